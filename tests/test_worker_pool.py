"""The run's worker processes: no more than a load needs, none outliving its run (ingest/load/pool.py)."""

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# a run that has started its two workers and waits
RUN = """
import time
from ingest.load.pool import worker_pool
pool = worker_pool(2)
pool.warm_up()
for job in [pool.submit(time.sleep, 0.2) for _ in range(2)]:
    job.result()
print(" ".join(str(pid) for pid in pool._processes), flush=True)
time.sleep(600)
"""


def running(pid: int) -> bool:
    """Whether the process exists and has not exited (an exited orphan may stay a zombie
    where nothing reaps it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_workers_exit_when_their_run_is_killed():
    """A run killed with SIGKILL (the OOM killer, an orchestrator giving up) leaves no worker
    behind holding GX and a batch's memory."""
    run = subprocess.Popen([sys.executable, "-c", RUN], stdout=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        workers = [int(pid) for pid in run.stdout.readline().split()]
        assert len(workers) >= 1 and all(running(pid) for pid in workers)
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 20
        while any(running(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in workers if running(pid)]
    finally:
        run.kill()
        for pid in workers:
            if running(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_small_load_starts_no_second_worker():
    """A small load's one batch goes to the worker warm_up started, even while it is still
    importing GX: no second worker imports GX beside it for nothing."""
    from ingest.load.pool import RunPool, _warm_up

    pool = RunPool(max_workers=2, initializer=_warm_up, mp_context=multiprocessing.get_context("spawn"))
    try:
        pool.warm_up()
        pool.one_worker = True
        job = pool.submit(os.getpid)
        pool.one_worker = False
        assert len(pool._processes) == 1
        assert job.result(timeout=120) in pool._processes
        # a large load: both workers (the pool counts the jobs done so far as idle workers)
        many = [pool.submit(time.sleep, 0.5) for _ in range(4)]
        assert len(pool._processes) == 2
        for m in many:
            m.result(timeout=120)
    finally:
        pool.stop_now()
