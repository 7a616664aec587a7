"""Nothing lost, nothing half-published: crashes, concurrent runs, rebuilds, failures of the world.

A small landing (huyện Phong Thổ) arrives in two parts: the start-of-year reports first
(state S0, loaded and published), then the mid- and end-of-year ones. The reference is an
uninterrupted run of the second part on a copy of S0. Every scenario starts from another
copy of S0 and must end with marts equal to the reference, while readers on the serving
snapshot (and PostgreSQL) never see a partial state.
"""

import multiprocessing
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import readers

from ingest.checksums import mart_checksums
from ingest.config import Paths
from ingest.publish import SNAPSHOT

pytestmark = pytest.mark.slow


def cli(paths: Paths, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ingest.cli",
            *args,
            "--warehouse",
            str(paths.warehouse),
            *(["--landing", str(paths.landing)] if args[0] in ("run", "rebuild") else []),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "CHITIEU_PG_DSN": "", "CHITIEU_GX_DATA_DOCS": "0", **(env or {})},
    )


def finish(process: subprocess.Popen, timeout: float = 600) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def kill_at(process: subprocess.Popen, point: str, timeout: float = 300) -> None:
    """Wait until the run reports it reached `point`, then SIGKILL it and its children."""
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            assert process.poll() is None, "the run ended before reaching " + point
            continue
        if line.startswith(f"CHITIEU_PAUSED {point}"):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return
    pytest.fail(f"the run never reached {point}")


def split_landing(full: Path, first: Path) -> None:
    """The start-of-year part of a landing folder (with the reference files)."""
    shutil.copytree(full, first, ignore=lambda d, names: [n for n in names if n in ("giua_nam", "cuoi_nam")])


@pytest.fixture(scope="module")
def states(tmp_path_factory, pg_database):
    from ingest import pipeline
    from ingest.publish import publish_postgres, publish_snapshot
    from ingest.sample.generate import generate_phong_tho

    root = tmp_path_factory.mktemp("reliability")
    full = root / "landing"
    generate_phong_tho(full)
    first = root / "landing_first"
    split_landing(full, first)
    s0 = Paths.from_env(first, root / "s0" / "chitieu.duckdb")
    pipeline.run(s0)
    publish_postgres(publish_snapshot(s0), pg_database)
    reference = copy_state(s0, root / "reference", full)
    code, out, err = finish(cli(reference, "run"))
    assert code == 0, err
    return root, s0, full, mart_checksums(reference.serving / SNAPSHOT)


def copy_state(state: Paths, target: Path, landing: Path) -> Paths:
    shutil.copytree(state.warehouse.parent, target / "wh", symlinks=True)
    return Paths(landing, target / "wh" / state.warehouse.name)


def start_reader(target, argument: str, seconds: float):
    """A reader process that reads until `seconds` pass or the test sets its stop event."""
    context = multiprocessing.get_context("spawn")
    results, stop = context.Queue(), context.Event()
    process = context.Process(target=target, args=(argument, seconds, results, stop))
    process.start()
    process.stop = stop
    return process, results


@pytest.mark.postgres
@pytest.mark.parametrize("point", ["parse", "validate", "load", "dbt", "publish", "publish_postgres"])
def test_killed_run_then_rerun_equals_an_uninterrupted_one(states, pg_database, point, tmp_path):
    root, s0, full, expected = states
    paths = copy_state(s0, tmp_path, full)
    env = {"CHITIEU_PG_DSN": pg_database} if point == "publish_postgres" else {}
    duck, duck_results = start_reader(readers.duckdb_reader, str(paths.serving / SNAPSHOT), 90)
    pg, pg_results = start_reader(readers.postgres_reader, pg_database, 90)
    kill_at(cli(paths, "run", env={"CHITIEU_PAUSE_AT": point, **env}), point)
    code, out, err = finish(cli(paths, "run", env=env))
    assert code == 0, err
    assert mart_checksums(paths.serving / SNAPSHOT) == expected
    for process, results in ((duck, duck_results), (pg, pg_results)):
        process.stop.set()
        seen, errors, reads = results.get(timeout=200)
        process.join(timeout=30)
        assert errors == [] and reads > 0


def test_two_runs_at_once_one_stops_with_a_message(states, tmp_path):
    _, s0, full, expected = states
    paths = copy_state(s0, tmp_path, full)
    holder = cli(paths, "run", env={"CHITIEU_PAUSE_AT": "load"})
    lines = []
    while not any(x.startswith("CHITIEU_PAUSED") for x in lines):
        lines.append(holder.stderr.readline())
    code, out, err = finish(cli(paths, "run"), timeout=120)
    assert code == 3
    assert "Một lần nạp/công bố khác đang chạy" in err and "chitieu run" in err
    os.killpg(holder.pid, signal.SIGKILL)
    holder.wait()
    code, _, err = finish(cli(paths, "run"))
    assert code == 0, err
    assert mart_checksums(paths.serving / SNAPSHOT) == expected


def test_second_delivery_and_second_run_change_nothing(states, tmp_path):
    _, s0, full, expected = states
    paths = copy_state(s0, tmp_path, full)
    assert finish(cli(paths, "run"))[0] == 0
    before = mart_checksums(paths.serving / SNAPSHOT)
    batches = sorted(p.name for p in (paths.raw / "reports").iterdir())
    # the same file delivered again under another name, and a second run
    copy = paths.landing / "reports" / "gui_lai"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    original = next((paths.landing / "reports" / "2023-2024" / "cuoi_nam").glob("*.xlsx"))
    shutil.copy(original, copy / "ban_sao.xlsx")
    try:
        code, out, _ = finish(cli(paths, "run"))
    finally:
        shutil.rmtree(copy)
    assert code == 0 and "0 tệp mới" in out
    assert sorted(p.name for p in (paths.raw / "reports").iterdir()) == batches  # nothing re-parsed
    assert mart_checksums(paths.serving / SNAPSHOT) == before == expected
    import duckdb

    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        assert (
            con.execute(
                "select count(*) from raw.deliveries where landing_path like 'reports/gui_lai/%'"
            ).fetchone()[0]
            == 1
        )


def test_rebuild_from_the_landing_alone_equals_the_incremental_result(states, tmp_path):
    _, s0, full, expected = states
    paths = copy_state(s0, tmp_path, full)
    assert finish(cli(paths, "run"))[0] == 0
    code, out, err = finish(cli(paths, "rebuild"))
    assert code == 0, err
    assert "Đã dựng lại" in out
    assert mart_checksums(paths.serving / SNAPSHOT) == expected


def test_postgres_down_during_publish_is_said_and_a_rerun_publishes(states, pg_database, tmp_path):
    _, s0, full, expected = states
    paths = copy_state(s0, tmp_path, full)
    code, _, err = finish(cli(paths, "run", env={"CHITIEU_PG_DSN": "postgresql://postgres@127.0.0.1:9/x"}))
    assert code == 1
    assert "PostgreSQL" in err and "chitieu publish" in err
    assert mart_checksums(paths.serving / SNAPSHOT) == expected  # DuckDB and Parquet went out
    code, out, err = finish(cli(paths, "publish", "--pg-dsn", pg_database))
    assert code == 0, err
    assert "schema marts" in out


def test_read_only_landing_is_only_read(states, tmp_path):
    _, s0, full, expected = states
    landing = tmp_path / "landing"
    shutil.copytree(full, landing)
    paths = copy_state(s0, tmp_path, landing)
    before = {p: p.stat().st_mtime_ns for p in landing.rglob("*")}
    for path in [landing, *landing.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    code, _, err = finish(cli(paths, "run"))
    assert code == 0, err
    assert {p: p.stat().st_mtime_ns for p in landing.rglob("*")} == before
    assert mart_checksums(paths.serving / SNAPSHOT) == expected


@pytest.fixture
def small_disk(tmp_path, states):
    """A tmpfs with room for a copy of S0 and 2 MB more: the next run cannot finish."""
    _, s0, _, _ = states
    used = sum(p.stat().st_size for p in s0.warehouse.parent.rglob("*") if p.is_file())
    mount = tmp_path / "disk"
    mount.mkdir()
    size = f"{(used + 2 * 1024 * 1024) // 1024}k"
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail("the disk-full test needs to mount a tmpfs (root) in CI")
        pytest.skip("cannot mount a tmpfs here (needs root): disk-full test skipped")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_disk_full_is_said_and_a_rerun_with_space_completes(states, small_disk):
    _, s0, full, expected = states
    paths = copy_state(s0, small_disk, full)  # 2 MB free: the run fills it
    code, _, err = finish(cli(paths, "run"))
    assert code == 1
    assert "hết dung lượng đĩa" in err
    subprocess.run(["mount", "-o", "remount,size=400m", str(small_disk)], check=True)
    code, _, err = finish(cli(paths, "run"))
    assert code == 0, err
    assert mart_checksums(paths.serving / SNAPSHOT) == expected
