"""dbt's own unit tests (`unit_tests:` next to the models): each indicator family's
arithmetic, the comparators with the mid-year projection, and which report is in force —
hand-computed rows in the YAML, run here on an empty warehouse (dbt needs the relations to
exist to read their columns; the hourly build leaves unit tests out)."""

import pytest

from ingest import pipeline
from ingest.config import Paths
from ingest.transform.dbt_build import run_dbt


@pytest.fixture(scope="module")
def empty_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("unit")
    paths = Paths(root / "landing", root / "chitieu.duckdb")
    pipeline.refresh_admin_units(paths)  # the raw schema, with the administrative units
    built = run_dbt(paths, "build", "--empty", "--exclude-resource-type", "test")  # relations only
    assert built.success, built.failures
    return paths


def test_every_unit_test_passes(empty_warehouse):
    result = run_dbt(empty_warehouse, "test", "--select", "test_type:unit")
    assert result.success, "\n".join(result.failures)
    assert "PASS=8" in result.output


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


def _models(paths, *selection):
    listed = run_dbt(paths, "ls", *selection, "--resource-type", "model", "--output", "name", "--quiet")
    assert listed.success, listed.failures
    return set(listed.output.split())


def test_a_reports_only_build_leaves_out_only_models_no_report_changes(empty_warehouse):
    """Of the models that read raw.files, a reports-only build (downstream_of_reports)
    leaves out those that read it only to order the reference files among themselves — and
    none of those may store the arrival number, which a report arriving late renumbers —
    and the views, which it does not recreate (views are read afresh: they may)."""
    import duckdb

    from ingest.transform.dbt_build import REPORT_SOURCES, downstream_of_reports

    everything = _models(empty_warehouse, "--select", *(f"source:raw.{name}+" for name in REPORT_SOURCES))
    views = _models(empty_warehouse, "--select", "config.materialized:view")
    selection = downstream_of_reports()
    selected = _models(empty_warehouse, *selection[: selection.index("--exclude-resource-type")])
    assert not selected & views
    # the tables it leaves out (the reference staging models are views)
    left_out = everything - selected - views
    assert left_out == {"dim_school", "fct_target_history"}
    assert {"stg_registry__schools", "stg_targets__assignments", "stg_ledger__arrivals"} <= views
    with duckdb.connect(str(empty_warehouse.warehouse), read_only=True) as con:
        stored = con.execute(
            "select table_name, column_name from duckdb_columns() where column_name = 'arrival_seq' "
            "and table_name in (select table_name from duckdb_tables())"
        ).fetchall()
    assert not [t for t, _ in stored if t in left_out]


def test_a_reports_only_build_keeps_the_tests_of_the_views_it_does_not_recreate(empty_warehouse):
    """The arrival order and the submissions are views: a reports-only build does not
    recreate them, but their data changed, so their tests run."""
    from ingest.transform.dbt_build import downstream_of_reports

    selection = downstream_of_reports()
    listed = run_dbt(
        empty_warehouse,
        "ls",
        *selection[: selection.index("--exclude-resource-type")],
        "--resource-type",
        "test",
        "--output",
        "name",
        "--quiet",
    )
    assert listed.success, listed.failures
    tests = set(listed.output.split())
    assert {
        "primary_key_stg_ledger__arrivals_file_hash",
        "primary_key_stg_ledger__arrivals_arrival_seq",
        "primary_key_stg_reports__submissions_file_hash",
        "valid_values_stg_reports__submissions",
    } <= tests
