"""Import Great Expectations without the libraries only its unused expectations need.

GX imports scipy.stats and altair when it is imported, for expectations chitieu's suites
never use (KL divergence, Kolmogorov–Smirnov tests) and their charts: a third of GX's
import, ≈ 1.1 s of every worker's start here (docs/benchmarks.md). While GX is imported,
those two modules are created lazily (importlib.util.LazyLoader): each is executed at the
first use of one of its attributes, so a suite that did use them would still work, only
pay for them then. Only these exact module names are deferred; their own imports, when
they run, are ordinary ones.
"""

from __future__ import annotations

import importlib.util
import sys
from importlib.abc import MetaPathFinder

DEFERRED = frozenset(("scipy.stats", "altair"))


class _DeferredFinder(MetaPathFinder):
    """Finds the DEFERRED modules as the other finders would, with a lazy loader."""

    def __init__(self) -> None:
        self._finding = False

    def find_spec(self, name, path, target=None):
        if name not in DEFERRED or self._finding:
            return None
        self._finding = True
        try:
            spec = importlib.util.find_spec(name)
        finally:
            self._finding = False
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def import_gx():
    """`great_expectations`, imported with scipy.stats and altair deferred (see above), and
    with the configuration read once per call (gx_patches)."""
    from ingest.validate import gx_patches

    if "great_expectations" in sys.modules:  # imported by someone else: patched all the same
        gx_patches.apply(sys.modules["great_expectations"])
        return sys.modules["great_expectations"]
    finder = _DeferredFinder()
    sys.meta_path.insert(0, finder)
    try:
        import great_expectations
    finally:
        sys.meta_path.remove(finder)

    gx_patches.apply(great_expectations)
    return great_expectations
