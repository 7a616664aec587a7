"""Named points of the pipeline where the crash tests stop a run.

With CHITIEU_PAUSE_AT=<point> in the environment, the run prints `CHITIEU_PAUSED <point>`
on stderr when it reaches the point and waits there, so a test can SIGKILL it at exactly
that moment. Without the variable (always, outside tests) this does nothing.
"""

from __future__ import annotations

import os
import sys
import time

POINTS = ("parse", "validate", "load", "dbt", "publish", "publish_postgres")


def checkpoint(point: str) -> None:
    if os.environ.get("CHITIEU_PAUSE_AT") == point:
        print(f"CHITIEU_PAUSED {point}", file=sys.stderr, flush=True)
        time.sleep(3600)
