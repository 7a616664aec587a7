"""GX as chitieu imports it: without executing scipy.stats and altair, with placeholders for
its Spark, Snowflake and Databricks sources, and with its configuration read once per call
(ingest/validate/gx_import.py, gx_patches.py)."""

import subprocess
import sys

CHECK = """
import sys
from ingest.validate.suites import _gx
context, definitions = _gx()
assert len(definitions) >= 9, definitions
print("scipy.stats._continuous_distns" in sys.modules, "altair.vegalite" in sys.modules)
import scipy.stats
import altair
print(scipy.stats.norm.cdf(0.0), "altair.vegalite" in sys.modules and bool(altair.Chart))
"""


def test_gx_context_is_built_without_scipy_stats_and_altair_which_still_work_when_used():
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    deferred, used = done.stdout.splitlines()[-2:]
    assert deferred == "False False"  # neither executed while GX was imported and set up
    assert used == "0.5 True"  # executed, and right, at their first use


STUBS = """
import sys
from ingest.validate.gx_import import STUBBED, _Placeholder
from ingest.validate.suites import _gx
_gx()
import great_expectations.datasource.fluent as fluent
stubbed = sorted(m for m in sys.modules if STUBBED.fullmatch(m))
print(len(stubbed), all(isinstance(sys.modules[m], _Placeholder) for m in stubbed))
print(isinstance(sys.modules["great_expectations.datasource.fluent.pandas_datasource"], _Placeholder))
print("sqlalchemy" in sys.modules)
try:
    fluent.SparkDatasource(name="x")
except RuntimeError as exc:
    print("refused:", exc)
"""


def test_gx_spark_snowflake_and_databricks_sources_are_placeholders_that_refuse_to_be_used():
    done = subprocess.run([sys.executable, "-c", STUBS], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    counted, pandas_stubbed, sqlalchemy, refused = done.stdout.splitlines()[-4:]
    count, all_placeholders = counted.split()
    assert int(count) >= 5 and all_placeholders == "True"  # never executed
    assert pandas_stubbed == "False"  # the source chitieu uses is GX's own
    assert sqlalchemy == "False"  # hidden from GX, which runs as without its SQL extra
    assert refused.startswith(
        "refused: great_expectations.datasource.fluent.spark_datasource.SparkDatasource"
    )
    assert "gx_import.py" in refused


def test_gx_patches_are_applied_and_change_no_validation_result(tmp_path):
    """ingest/validate/gx_patches.py: GX reads an expectation's configuration once per call;
    a district's reports, problems included, give the same findings with GX's own methods."""
    from great_expectations.core.id_dict import IDDict
    from great_expectations.expectations.expectation import Expectation

    from ingest.read.cells import cells_frame
    from ingest.read.workbook import read_workbook
    from ingest.sample.generate import generate_phong_tho
    from ingest.validate import gx_patches
    from ingest.validate.suites import Context, _gx, forget_validations, validate_batch

    generate_phong_tho(tmp_path, with_problems=True, broken_set=True)
    cells = cells_frame(
        {
            str(i): read_workbook(p).cells
            for i, p in enumerate(sorted(tmp_path.rglob("*.xlsx")))
            if p.is_file()
        }
    )
    context = Context()
    _gx()  # GX imported, and patched, before its patched to_id is wrapped
    patched_to_id, ids = IDDict.to_id, []
    assert patched_to_id is gx_patches.to_id

    def recorded(self, *args):  # every metric id the patched GX computes, kept to check
        mine = patched_to_id(self, *args)
        ids.append((type(self), dict(self), args, mine))
        return mine

    IDDict.to_id = recorded
    try:
        patched = validate_batch(cells, context)
    finally:
        IDDict.to_id = patched_to_id
    assert Expectation._get_domain_kwargs is gx_patches._get_domain_kwargs
    with gx_patches.unpatched():
        assert Expectation._get_domain_kwargs is not gx_patches._get_domain_kwargs
        original = validate_batch(cells, context)
    assert Expectation._get_domain_kwargs is gx_patches._get_domain_kwargs
    forget_validations()  # the next test's Data Docs show its own
    assert len({r["code"] for r in original}) >= 10  # rules failed, of many kinds
    assert patched == original
    # the fast metric ids are GX's own, and most metrics took the fast path
    fast = [(kind(d), args, mine) for kind, d, args, mine in ids if gx_patches._plain(d)]
    assert len(ids) > 1000 and len(fast) > len(ids) / 2
    assert all(gx_patches._originals["to_id"](d, *args) == mine for d, args, mine in fast)


def test_data_docs_views_compile_each_template_once_and_render_as_gx_does():
    """gx_patches.jinja_view_init: every Data Docs view has its own Jinja environment; they
    share the compiled templates, so a second batch's Data Docs compile nothing, and a page
    renders the same as with GX's own views."""
    from great_expectations.render.view.view import DefaultJinjaView, DefaultMarkdownPageView
    from jinja2 import Environment

    from ingest.validate import gx_patches
    from ingest.validate.suites import _gx

    _gx()
    assert DefaultJinjaView.__init__ is gx_patches.jinja_view_init
    document = {"sections": [], "data_asset_name": "lô 1", "renderer_type": "x"}
    template = "markdown_validation_results_page.j2"
    compiled, compile_ = [], Environment.compile

    def counted(self, *args, **kwargs):
        compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
        return compile_(self, *args, **kwargs)

    Environment.compile = counted
    try:
        first = DefaultMarkdownPageView().env.get_template(template).render(document)
        assert compiled == [] or template in compiled
        compiled.clear()
        second = DefaultMarkdownPageView().env.get_template(template).render(document)
        assert compiled == []  # from the shared cache
        with gx_patches.unpatched():
            own = DefaultMarkdownPageView()
            assert own.env.bytecode_cache is None
            theirs = own.env.get_template(template).render(document)
        assert template in compiled  # GX's own view compiles it again
    finally:
        Environment.compile = compile_
    assert "# Validation Results" in first and first == second == theirs
