"""The run's worker processes never outlive it (ingest/load/pool.py)."""

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
