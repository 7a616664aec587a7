"""Nothing lost, nothing half-published: concurrent runs, second deliveries, rebuilds,
failures of the world. (The states and helpers: tests/reliability_states.py; the crash
tests: tests/test_reliability_crashes.py.)"""

import os
import shutil
import signal
import subprocess

import pytest
from reliability_states import SNAPSHOT, cli, copy_state, finish, mart_checksums, states

from ingest.transform.marts_file import reading

pytestmark = pytest.mark.slow
__all__ = ["states"]


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

    with reading(paths) as con:
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
