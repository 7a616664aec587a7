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
