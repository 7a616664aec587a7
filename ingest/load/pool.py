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


def _warm_up() -> None:
    """A worker's first job: import and build what parsing and validating need (GX takes
    seconds), while the main process hashes the landing folder."""
    from ingest.validate.suites import _gx

    _gx()


class RunPool(ProcessPoolExecutor):
    """`with worker_pool() as pool:` keeps the workers after a run that succeeded."""

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
