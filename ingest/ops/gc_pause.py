"""Python's cycle collector paused while a batch is parsed and validated.

A batch of 5,000 workbooks holds about a million cells (small tuples) until it is written:
the collector's full passes walk all of them again and again as the heap grows, which cost
a fifth of the parse here (docs/benchmarks.md). Reading creates no reference cycles, so
nothing waits for the collector; what GX or pandas leave in cycles meanwhile is collected
when the pause ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
