"""The tables rebuilt by partition are stored in partition order (macros/clustered_tables.sql).

DuckDB skips a row group by the min/max of its columns: stored in the order of school
year, period and 2025 province, a correction's build deletes from and reads only the row
groups of its province, instead of every row group of the table."""

import duckdb
import pytest

from ingest.transform.marts_file import reading

pytestmark = pytest.mark.slow

KEY = ("school_year", "period", "province_code_2025")


def partitioned_tables(con) -> list[str]:
    """Every table (not view) of the warehouse with the partition key's columns."""
    return [
        f"{schema}.{table}"
        for schema, table in con.execute(
            "select c.schema_name, c.table_name from duckdb_columns() as c "
            "inner join duckdb_tables() as t using (schema_name, table_name) "
            "where c.schema_name in ('intermediate', 'marts') and c.column_name in ('school_year', 'period', "
            "'province_code_2025') group by all having count(*) = 3 order by all"
        ).fetchall()
    ]


def test_a_full_build_stores_each_partitioned_table_in_partition_order(demo_run):
    paths, _ = demo_run
    with reading(paths) as con:
        con.execute("set threads = 1")  # a scan then returns the rows in their stored order
        tables = partitioned_tables(con)
        assert "marts.fct_target_achievement_school" in tables and len(tables) >= 10, tables
        for table in tables:
            stored = con.execute(f"select {', '.join(KEY)} from {table}").fetchall()
            assert len({row[:2] for row in stored}) >= 2 or table.endswith("since_2025"), table
            in_order = sorted(stored, key=lambda row: tuple((v is None, v or "") for v in row))  # nulls last
            assert stored == in_order, table


def test_the_serving_snapshot_keeps_the_partition_order_of_the_marts_built_by_province(demo_run):
    """ingest/serve/publish.py copies the marts' file as dbt wrote it."""
    paths, _ = demo_run
    with duckdb.connect(str(paths.serving / "chitieu.duckdb"), read_only=True) as con:
        con.execute("set threads = 1")
        tables = partitioned_tables(con)
        assert "marts.fct_target_achievement_school" in tables and len(tables) >= 6, tables
        for table in tables:
            stored = con.execute(f"select {', '.join(KEY)} from {table}").fetchall()
            in_order = sorted(stored, key=lambda row: tuple((v is None, v or "") for v in row))
            assert stored == in_order, table


def test_no_table_is_stored_with_fsst_the_string_compression_that_costs_and_saves_nothing(demo_run):
    """ingest/load/warehouse.py NO_FSST, dbt's profile: the warehouse (loads and dbt's
    models), the marts' file and the serving snapshot are written with DuckDB's other
    compressions only."""
    paths, _ = demo_run
    for database in (paths.warehouse, paths.marts, paths.serving / "chitieu.duckdb"):
        with duckdb.connect(str(database), read_only=True) as con:
            tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
            segments = [
                (f"{schema}.{table}", compression)
                for schema, table in tables
                for (compression,) in con.execute(
                    f"select distinct compression from pragma_storage_info('{schema}.{table}')"
                ).fetchall()
            ]
        assert len(tables) >= 15 and any(c.upper() == "DICTIONARY" for _, c in segments), database
        assert [s for s in segments if "FSST" in s[1].upper()] == [], database
