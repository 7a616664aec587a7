"""The worker processes of a run: one per core, warmed up while the landing is hashed."""

from __future__ import annotations


def _warm_up() -> None:
    """A worker's first job: import and build what parsing and validating need (GX takes
    seconds), while the main process hashes the landing folder."""
    from ingest.validate.suites import _gx

    _gx()


def worker_pool(workers: int | None = None):
    """The process pool of a run: one worker per core, warmed up."""
    import os
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, initializer=_warm_up)
