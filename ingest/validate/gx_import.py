"""Import Great Expectations without the libraries only its unused features need.

GX imports scipy.stats and altair when it is imported, for expectations chitieu's suites
never use (KL divergence, Kolmogorov–Smirnov tests) and their charts: a third of GX's
import, ≈ 1.1 s of every worker's start here (docs/benchmarks.md). While GX is imported,
those two modules are created lazily (importlib.util.LazyLoader): each is executed at the
first use of one of its attributes, so a suite that did use them would still work, only
pay for them then. Only these exact module names are deferred; their own imports, when
they run, are ordinary ones.

GX's package of data sources also builds, at import, the pydantic models of its Spark,
Snowflake and Databricks sources (≈ 0.4 s, a fifth of what is left; on the critical path of
every hourly run with something new). chitieu validates pandas frames in memory only, and
those modules' only importer is the package itself, which re-exports their classes: while
GX is imported they are replaced by placeholder modules (STUBBED) whose classes refuse to be
used, with a message naming this file. And SQLAlchemy (installed for Airflow) is hidden from
GX when no one imported it before (≈ 0.15 s): GX then runs as installed without its SQL
extra, which it supports; where SQLAlchemy is already imported (an Airflow task), GX uses it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import re
import sys
import types
from importlib.abc import Loader, MetaPathFinder

DEFERRED = frozenset(("scipy.stats", "altair"))
HIDDEN = frozenset(("sqlalchemy",))
STUBBED = re.compile(
    r"great_expectations\.datasource\.fluent\."
    r"(spark_\w+|snowflake_datasource|databricks_sql_datasource|data_asset\.path\.spark(\.\w+)*)"
)


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


class _Placeholder(types.ModuleType):
    """A STUBBED module: each name imported from it is a class that cannot be used."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        where = f"{self.__name__}.{name}"

        def unavailable(*_, **__):
            raise RuntimeError(f"{where} is not imported in chitieu (see ingest/validate/gx_import.py)")

        placeholder = type(name, (), {"__module__": self.__name__, "__init__": unavailable})
        setattr(self, name, placeholder)
        return placeholder


class _StubFinder(MetaPathFinder, Loader):
    """Finds the STUBBED modules, as placeholders; says the HIDDEN packages are missing."""

    def find_spec(self, name, path, target=None):
        if name.split(".", 1)[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r} (hidden from GX by chitieu)", name=name)
        if not STUBBED.fullmatch(name):
            return None
        return importlib.machinery.ModuleSpec(name, self, is_package=name.endswith(".spark"))

    def create_module(self, spec):
        module = _Placeholder(spec.name)
        if spec.submodule_search_locations is not None:
            module.__path__ = []
        return module

    def exec_module(self, module) -> None:
        pass


def import_gx():
    """`great_expectations`, imported with scipy.stats and altair deferred, its Spark,
    Snowflake and Databricks sources as placeholders (see above), and with the
    configuration read once per call (gx_patches)."""
    from ingest.validate import gx_patches

    if "great_expectations" in sys.modules:  # imported by someone else: patched all the same
        gx_patches.apply(sys.modules["great_expectations"])
        return sys.modules["great_expectations"]
    finders = [_DeferredFinder(), _StubFinder()]
    sys.meta_path[:0] = finders
    try:
        import great_expectations
    finally:
        for finder in finders:
            sys.meta_path.remove(finder)

    gx_patches.apply(great_expectations)
    return great_expectations
