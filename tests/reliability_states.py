"""What the reliability tests share: the two-part landing, its state S0 (loaded and published)
and the reference checksums of an uninterrupted run, the CLI in a subprocess, a kill at a
named point, readers that run beside a load.

A small landing (huyện Phong Thổ) arrives in two parts: the start-of-year reports first
(state S0, loaded and published), then the mid- and end-of-year ones. The reference is an
uninterrupted run of the second part on a copy of S0. Every scenario starts from another
copy of S0 and must end with marts equal to the reference.
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

from ingest.config import Paths
from ingest.serve.publish import SNAPSHOT
from ingest.transform.checksums import mart_checksums


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
    from ingest.sample.generate import generate_phong_tho
    from ingest.serve.publish import publish_postgres, publish_snapshot

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
