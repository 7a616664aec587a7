"""dbt's own unit tests (`unit_tests:` next to the models): each indicator family's
arithmetic, the comparators with the mid-year projection, and which report is in force —
hand-computed rows in the YAML, run here on an empty warehouse (dbt needs the relations to
exist to read their columns; the hourly build leaves unit tests out)."""

import json
import subprocess
import sys

import pytest

from ingest import pipeline
from ingest.config import Paths
from ingest.transform.dbt_build import dbt_args, dbt_env, prepare_parse, run_dbt


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An empty warehouse (`--empty`: every relation, no rows), built with the unit tests,
    which run before the model each tests; their results are kept (later commands rewrite
    run_results.json)."""
    root = tmp_path_factory.mktemp("unit")
    paths = Paths(root / "landing", root / "chitieu.duckdb")
    pipeline.refresh_admin_units(paths)  # the raw schema, with the administrative units
    result = run_dbt(paths, "build", "--empty", "--select", "*", "--exclude-resource-type", "test")
    results = json.loads((paths.root / "dbt" / "target" / "run_results.json").read_text("utf-8"))["results"]
    unit_tests = {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}
    return paths, result, unit_tests


@pytest.fixture(scope="module")
def empty_warehouse(built):
    paths, result, _ = built
    assert result.success, result.failures
    return paths


def test_every_unit_test_passes(built):
    _, result, unit_tests = built
    assert result.success, "\n".join(result.failures)
    assert len(unit_tests) == 8 and set(unit_tests.values()) == {"pass"}, unit_tests


def test_a_wrong_expectation_fails(empty_warehouse, tmp_path):
    """The unit tests can fail: the dropout case with 4 instead of 3 dropouts expected."""
    import shutil

    from ingest.transform.dbt_build import DBT_DIR

    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    families = project / "models/intermediate/indicators/families/_families__models.yml"
    text = families.read_text("utf-8")
    expected = "indicator_code: thcs_dropout, numerator: 3,"
    wrong = text.replace(expected, expected.replace("3", "4"))
    assert wrong != text
    families.write_text(wrong, "utf-8")
    import ingest.transform.dbt_build as dbt_build

    original = dbt_build.DBT_DIR
    dbt_build.DBT_DIR = project
    try:
        result = run_dbt(empty_warehouse, "test", "--select", "int_family_dropout,test_type:unit")
    finally:
        dbt_build.DBT_DIR = original
    assert not result.success
    assert any("dropout_counts_the_grades_of_each_level" in f for f in result.failures)


def test_the_real_project_after_an_altered_copy_passes(empty_warehouse):
    """After a run on the altered copy (the test above, same warehouse), the real project is
    parsed afresh: its expectation is 3 dropouts again (dbt's partial parse of the copy
    kept the altered one)."""
    result = run_dbt(empty_warehouse, "test", "--select", "int_family_dropout,test_type:unit")
    assert result.success, "\n".join(result.failures)


LIST = """
import json, sys
from dbt.cli.main import dbtRunner
common, selections = json.loads(sys.argv[1])
parsed = dbtRunner().invoke(["parse", *common])
runner = dbtRunner(manifest=parsed.result)  # one parse for every listing
for selection in selections:
    listed = runner.invoke(["ls", *common, *selection, "--output", "name", "--quiet"])
    assert listed.success, listed.exception
    print(json.dumps(sorted(listed.result)))
"""


def dbt_ls(paths, *selections: list[str]) -> list[set[str]]:
    """The names `dbt ls` lists for each selection, from one dbt process (a process and a
    parse per listing cost seconds each)."""
    prepare_parse(paths)  # not a parse of the altered copy above
    common = dbt_args(paths, "ls")[2:]
    done = subprocess.run(
        [sys.executable, "-c", LIST, json.dumps([common, list(selections)])],
        env=dbt_env(paths),
        cwd=paths.warehouse.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [set(json.loads(line)) for line in done.stdout.splitlines() if line.startswith("[")]


@pytest.fixture(scope="module")
def listed(empty_warehouse):
    """What a reports-only build (downstream_of_reports) selects, beside what reads the
    report loads' sources and the views: models, and the tests it runs."""
    from ingest.transform.dbt_build import REPORT_SOURCES, downstream_of_reports

    selection = downstream_of_reports()
    after_reports = list(selection[: selection.index("--exclude-resource-type")])
    models = ["--resource-type", "model"]
    everything, views, selected, tests = dbt_ls(
        empty_warehouse,
        ["--select", *(f"source:raw.{name}+" for name in REPORT_SOURCES), *models],
        ["--select", "config.materialized:view", *models],
        [*after_reports, *models],
        [*after_reports, "--resource-type", "test"],
    )
    return {"everything": everything, "views": views, "selected": selected, "tests": tests}


def test_a_reports_only_build_leaves_out_only_models_no_report_changes(listed):
    """Of the models that read raw.files, a reports-only build (downstream_of_reports)
    leaves out those that read it only to order the reference files among themselves, and
    the views, which it does not recreate (views are read afresh: they may). (The order of
    arrival is (received_at, file_hash), macros/arrival_order.sql: no model stores a rank of
    arrival that a report arriving late would change.)"""
    selected, views = listed["selected"], listed["views"]
    assert not selected & views
    # the tables it leaves out (the reference staging models are views)
    left_out = listed["everything"] - selected - views
    assert left_out == {"dim_school", "fct_target_history"}
    assert {"stg_registry__schools", "stg_targets__assignments", "stg_ledger__arrivals"} <= views


def test_a_reports_only_build_keeps_the_tests_of_the_views_it_does_not_recreate(listed):
    """The submissions are a view: a reports-only build does not recreate it, but its data
    changed, so its tests run, and so does the ledger's own (the arrival order, a view of
    one row per ledger row, has no test of its own: see its _ledger__models.yml)."""
    tests = listed["tests"]
    assert {
        "source_primary_key_raw_files_file_hash",
        "valid_values_stg_reports__submissions",
    } <= tests
