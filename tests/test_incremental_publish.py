"""A publish costs what changed, and every target still equals the warehouse.

One small warehouse lives through four publishes: the first one (everything), a correction
(one period republished), a registry change (everything again, since any other input
rebuilds every mart) and a publish after a target was left behind (everything). After each,
the DuckDB snapshot, the Parquet tree and PostgreSQL hold exactly the warehouse's marts.

Needs PostgreSQL (CHITIEU_TEST_PG_DSN).
"""

import datetime as dt
import os
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from builders import BAN_LANG, MA_LI_PHO, census, registry, workbook
from ingest import pipeline
from ingest.config import Paths
from ingest.serve.publish import SNAPSHOT, publish_snapshot
from ingest.transform.checksums import mart_checksums
from ingest.transform.marts_file import reading

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
A, B = "12109931", "12109932"


def report(paths, code, dropouts, period, version, hour):
    path = paths.landing / "reports" / "2023-2024" / period / f"{code}_v{version}.xlsx"
    row = {"grade": "Lớp 6", "enrolled": 100 - dropouts, "enrolled_start": 100, "dropouts": dropouts,
           "planned_days": 2000, "absent_days": 10 * dropouts}  # fmt: skip
    workbook(path, code, f"Trường THCS {code}", [row], {11: 100 - dropouts}, period=period,
             report_date=date(2024, 1, version))  # fmt: skip
    moment = datetime(2024, 2, 1, hour, tzinfo=UTC).timestamp()
    os.utime(path, (moment, moment))


def schools(paths, name_b="Trường THCS B"):
    registry(
        paths.landing, [(A, "Trường THCS A", "THCS", BAN_LANG, "ĐBKK"), (B, name_b, "THCS", MA_LI_PHO, "")]
    )


def _normal(value):
    if isinstance(value, (Decimal, float)):
        return round(float(value), 9)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def rows(fetch, table, columns):
    return sorted(
        (tuple(_normal(v) for v in row) for row in fetch(f"select {columns} from {table}")), key=repr
    )


def assert_targets_equal_the_warehouse(paths, dsn):
    warehouse = mart_checksums(paths.marts)
    assert mart_checksums(paths.serving / SNAPSHOT) == warehouse
    with reading(paths) as con, psycopg.connect(dsn) as pg:
        for table in warehouse:
            names = [c for (c,) in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'marts' and table_name = ? "
                "order by column_index", [table]).fetchall()]  # fmt: skip
            columns = ", ".join(f'"{c}"' for c in names)
            expected = rows(lambda sql: con.execute(sql).fetchall(), f"marts.{table}", columns)
            parquet = paths.serving / "parquet" / "current" / table
            from_files = rows(
                lambda sql: con.execute(sql).fetchall(),
                f"read_parquet('{parquet}/**/*.parquet', hive_partitioning = true, union_by_name = true)",
                columns,
            )
            assert from_files == expected, f"Parquet {table}"
            assert rows(lambda sql: pg.execute(sql).fetchall(), f"marts.{table}", columns) == expected, table


@pytest.fixture(scope="module")
def lived(tmp_path_factory, pg_database):
    """The warehouse after each of the four publishes: (published, parquet inodes) per step."""
    root = tmp_path_factory.mktemp("incremental_publish")
    paths = Paths.from_env(root / "landing", root / "wh" / "chitieu.duckdb")
    schools(paths)
    census(paths.landing, {BAN_LANG: {11: 100}, MA_LI_PHO: {11: 100}})
    for code, hour in ((A, 1), (B, 2)):
        report(paths, code, 1, "giua_nam", 1, hour)
        report(paths, code, 2, "dau_nam", 2, hour)
    steps = {}
    os.environ["CHITIEU_PG_DSN"] = pg_database
    try:
        steps["first"] = pipeline.run(paths).published
        assert_targets_equal_the_warehouse(paths, pg_database)
        report(paths, A, 0, "giua_nam", 3, 5)  # a correction of A's mid-year report
        steps["last_load_seq_before"] = last_load_seq(paths)
        steps["correction"] = pipeline.run(paths).published
        steps["tests"] = compiled_tests(paths)
        steps["build_scope_after"] = build_scope(paths)
        assert_targets_equal_the_warehouse(paths, pg_database)
        steps["links"] = same_files(paths, steps["first"].version, steps["correction"].version)
        schools(paths, "Trường PTDTBT THCS B")
        (paths.landing / "registry" / "danh_muc.csv").rename(paths.landing / "registry" / "danh_muc_2.csv")
        steps["registry"] = pipeline.run(paths).published
        assert_targets_equal_the_warehouse(paths, pg_database)
        publish_snapshot(paths)  # a publish that stopped after the snapshot: the others lag
        report(paths, B, 0, "dau_nam", 4, 6)
        steps["after_a_half_publish"] = pipeline.run(paths).published
        assert_targets_equal_the_warehouse(paths, pg_database)
    finally:
        os.environ.pop("CHITIEU_PG_DSN")
    return paths, steps


def test_the_first_publish_is_whole(lived):
    _, steps = lived
    assert steps["first"].changed is None


def test_a_correction_republishes_its_period_only(lived):
    paths, steps = lived
    published = steps["correction"]
    assert published.changed == ["2023-2024|giua_nam|12"]  # the period, in the one province (Lai Châu)
    assert "fct_target_achievement_school" in published.incremental
    assert "dim_school" not in published.incremental  # not built by period
    # no build of reports writes the reference marts: the last version's are kept
    assert {"dim_school", "fct_target_history", "dim_admin_unit"} <= published.kept
    assert "fct_completeness_district" not in published.kept  # rebuilt from the reports


def test_a_registry_change_keeps_no_mart(lived):
    _, steps = lived
    assert steps["registry"].kept == frozenset()


def compiled_tests(paths):
    """The SQL every data test of the last build ran: test id -> compiled code."""
    import json

    results = json.loads((paths.root / "dbt" / "target" / "run_results.json").read_text("utf-8"))
    tests = [r for r in results["results"] if r["unique_id"].startswith("test.")]
    return {r["unique_id"]: r["compiled_code"] for r in tests}


def test_a_correction_tests_the_rebuilt_partitions_only(lived):
    """The data tests of the incremental marts read the rebuilt rows (the rest was tested by
    the build that wrote it); those of the marts built whole read every row."""
    _, steps = lived
    school = {k: sql for k, sql in steps["tests"].items() if "fct_target_achievement_school" in k}
    assert len(school) >= 3, sorted(steps["tests"])  # unique key, row rules, relationship
    for sql in school.values():
        assert "period = 'giua_nam'" in sql and "province_code_2025 in ('12')" in sql, sql
    # the singular tests of the achievement marts too: the verdicts of the rebuilt rows, and
    # the districts of the rebuilt partitions against every school of their period
    verdicts = steps["tests"]["test.chitieu.assert_verdict_agrees_with_gap_count"]
    assert verdicts.count("province_code_2025 in ('12')") == 4, verdicts  # one per level
    sums = steps["tests"]["test.chitieu.assert_districts_sum_their_schools"]
    assert "province_code_2025 in ('12')" in sums and sums.count("period = 'giua_nam'") == 2, sums
    # the marts rebuilt by period: their tests read the rebuilt period, every province of it
    by_period = ("fct_submission_findings", "fct_completeness_district")
    period = [sql for k, sql in steps["tests"].items() if any(name in k for name in by_period)]
    assert period and all("period = 'giua_nam'" in sql and "province_code_2025" not in sql for sql in period)


def last_load_seq(paths):
    with reading(paths) as con:
        return con.execute("select max(load_seq) from raw.files").fetchone()[0]


def build_scope(paths):
    with reading(paths) as con:
        return con.execute("select * from raw.build_scope").fetchall()


def test_a_correction_tests_the_new_files_of_the_tables_that_grow_by_file(lived):
    """The report sheets' tables only ever receive new files' rows (pivot_report_sheet):
    their tests read the rows of the files loaded since the last build; after the build,
    raw.build_scope is empty again, so that dbt run by hand tests every row."""
    _, steps = lived
    pupils = {k: sql for k, sql in steps["tests"].items() if "stg_reports__pupils" in k}
    assert len(pupils) == 2, sorted(steps["tests"])  # unique record, grade in the catalogue
    first_new = steps["last_load_seq_before"] + 1
    for sql in pupils.values():
        assert f"load_seq >= {first_new})" in sql, sql
    assert steps["build_scope_after"] == []


def same_files(paths, first, second):
    """Per period of 2023-2024: is the school mart's Parquet file of `second` the very file
    (a hard link) of `first`?"""
    part = paths.serving / "parquet" / "{}" / "fct_target_achievement_school/school_year=2023-2024/period={}"
    out = {}
    for period in ("giua_nam", "dau_nam"):
        (now,) = Path(str(part).format(second, period)).glob("*.parquet")
        (was,) = Path(str(part).format(first, period)).glob("*.parquet")
        out[period] = os.path.samefile(now, was)
    return out


def test_unchanged_parquet_partitions_are_links_to_the_last_version(lived):
    _, steps = lived
    assert steps["links"] == {"giua_nam": False, "dau_nam": True}


def test_another_input_republishes_everything(lived):
    _, steps = lived
    assert steps["registry"].changed is None


def test_a_target_left_behind_is_republished_whole(lived):
    _, steps = lived
    assert steps["after_a_half_publish"].changed is None
