"""Keep Great Expectations quiet in benchmarks (no progress bars, no analytics)."""

from __future__ import annotations

import contextlib
import logging
import os


@contextlib.contextmanager
def quiet_gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logger = logging.getLogger("great_expectations")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
