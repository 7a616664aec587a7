"""The checksums that compare two warehouses see values as SQL does."""

import duckdb

from ingest.transform.checksums import mart_checksums


def warehouse(path, values):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.t (unit_code varchar, gap double, loaded_at timestamp)")
        con.executemany("insert into marts.t values (?, ?, now())", values)
    return path


def test_a_zero_is_a_zero_whatever_its_sign(tmp_path):
    # DuckDB stores a segment of zeros as one constant, so a −0.0 may come back as 0.0
    plus = warehouse(tmp_path / "plus.duckdb", [("a", 0.0), ("b", 1.5)])
    minus = warehouse(tmp_path / "minus.duckdb", [("a", -0.0), ("b", 1.5)])
    assert mart_checksums(plus) == mart_checksums(minus)


def test_a_different_value_or_row_is_seen(tmp_path):
    base = mart_checksums(warehouse(tmp_path / "base.duckdb", [("a", 0.0), ("b", 1.5)]))
    assert base["t"][0] == 2
    assert mart_checksums(warehouse(tmp_path / "value.duckdb", [("a", 0.0), ("b", 1.25)])) != base
    assert mart_checksums(warehouse(tmp_path / "row.duckdb", [("a", 0.0), ("b", 1.5), ("b", 1.5)])) != base
    assert mart_checksums(warehouse(tmp_path / "unit.duckdb", [("c", 0.0), ("b", 1.5)])) != base
