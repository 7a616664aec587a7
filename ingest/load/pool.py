"""The worker processes of a run: one per core, warmed up while the landing is hashed.

The pool outlives a run and serves the next one in the same process (the test suite,
`airflow dags test`, which runs every task in one process): starting a worker costs
seconds, most of it importing GX. A run that fails shuts the pool down, so a
half-done batch never waits in the queue of the next run; a broken pool (a worker killed)
is replaced, and a run that parsed more than a small load lets its workers go (they hold
that load's memory). Workers are spawned, not forked: a forked worker would inherit the run lock
(`ops/runlock.py`, an flock) and the open warehouse files of the run that started it, and
hold them after that run ended.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor


def _exit_with_parent() -> None:
    """A worker whose run was killed outright (SIGKILL: the OOM killer, an orchestrator
    giving up on a task) would wait for work forever, holding GX and a batch's memory: the
    pool's queues are pipes the worker holds both ends of, so it never sees end-of-file.
    It watches its parent instead, and exits once it is gone."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _warm_up() -> None:
    """A worker's first job: import and build what parsing and validating need (GX takes
    seconds), while the main process hashes the landing folder."""
    _exit_with_parent()
    prepare_worker()


def prepare_worker() -> None:
    """What a process sets up before it parses and validates batches (a worker, at its
    start; the bench's P4, to measure what a worker does).

    Arrow allocates from the C library's malloc, not from its default mimalloc: mimalloc's
    first use commits its arena eagerly, which cost a worker's first batch 0.4 s more (the
    cells' frame of 5,000 workbooks: 0.67 s against 0.23 s for the next batches; 0.33 s
    with malloc, and 0.24 s after)."""
    import threading

    import pyarrow as pa
    from tqdm import tqdm

    from ingest.validate.suites import _gx

    pa.set_memory_pool(pa.system_memory_pool())
    # GX's progress bars share a lock; tqdm's default is a multiprocessing lock (a named
    # semaphore), which a worker stopped at the end of a run would leave behind, and the
    # resource tracker would warn about it on the terminal
    tqdm.set_lock(threading.RLock())
    _gx()


def _started() -> None:
    """The job `RunPool.warm_up` sends: its only effect is that a worker starts."""


class RunPool(ProcessPoolExecutor):
    """`with worker_pool() as pool:` keeps the workers after a run that succeeded."""

    # set while a small load's one batch is submitted: ProcessPoolExecutor starts another
    # worker for a job whenever none is idle, and the one warm_up started is still
    # importing GX, so a second GX import (≈ 2.7 s of CPU) would compete with it and with
    # dbt's start-up for the two cores, to parse nothing
    one_worker = False

    def _adjust_process_count(self) -> None:
        if self.one_worker and self._processes:
            self._idle_worker_semaphore.acquire(blocking=False)
            return
        super()._adjust_process_count()

    def warm_up(self) -> None:
        """Start one worker now: spawned workers start at the first job, and the first job
        of an hourly run comes after the landing walk and the plan. The walk calls this when
        it first sees something new (pipeline._run), so the worker imports GX (≈ 3 s) on the other
        core while the main process walks on and plans."""
        self.submit(_started)

    _later: list | None = None

    def workers_started(self) -> int:
        return len(self._processes or {})

    def later(self, job) -> None:
        """A job the run lets finish in the background (a small load's Data Docs, built
        while the marts are): `wait_later` waits for it before the run ends."""
        self._later = [*(self._later or []), job]

    def wait_later(self) -> None:
        jobs, self._later = self._later or [], None
        for job in jobs:
            job.result()

    def stop_now(self) -> None:
        """Stop the workers at once: one still importing GX (a run with nothing to parse
        ends before it is ready) would hold the exit until it is, and an idle one takes
        ≈ 1 s to exit as usual (its libraries' exit handlers)."""
        for process in list((self._processes or {}).values()):
            process.terminate()
        self.shutdown(wait=True, cancel_futures=True)

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is not None:
            self.shutdown(wait=False, cancel_futures=True)
        return False

    def usable(self, workers: int) -> bool:
        return self._max_workers == workers and not self._broken and not self._shutdown_thread


_shared: RunPool | None = None


def worker_pool(workers: int | None = None) -> RunPool:
    """The process pool of runs in this process: one worker per core, warmed up."""
    global _shared
    workers = workers or os.cpu_count() or 1
    if _shared is None or not _shared.usable(workers):
        _shared = RunPool(
            max_workers=workers, initializer=_warm_up, mp_context=multiprocessing.get_context("spawn")
        )
    return _shared


def stop_workers() -> None:
    """The end of a command-line run: its process exits, its workers need not finish."""
    global _shared
    if _shared is not None:
        _shared.stop_now()
        _shared = None
