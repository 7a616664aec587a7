"""The marts' own DuckDB file (ingest/transform/marts_file.py): dbt writes the marts there,
the publish copies it whole, and the warehouse reads it attached."""

import duckdb
import pytest

from ingest import pipeline
from ingest.config import Paths
from ingest.load import warehouse
from ingest.serve.publish import SNAPSHOT, publish_snapshot
from ingest.transform.marts_file import reading


def marts_file(paths: Paths, rows: list[tuple[str, float]], checkpoint_on_close: bool = True) -> None:
    """A marts file as dbt leaves it (schema `marts`), with one mart of `rows`."""
    paths.marts.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(paths.marts)) as con:
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.fct_rates (unit_code varchar, rate double)")
        con.execute("checkpoint")
        if not checkpoint_on_close:  # as a process killed after its commit would leave it
            con.execute("pragma disable_checkpoint_on_shutdown")
        con.executemany("insert into marts.fct_rates values (?, ?)", rows)


def test_the_snapshot_is_the_marts_file_with_its_publish_info(tmp_path):
    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    marts_file(paths, [("109", 0.25), ("110", 1.5)])
    published = publish_snapshot(paths, version="v1")
    assert published.tables == {"fct_rates": 2}
    with duckdb.connect(str(paths.serving / SNAPSHOT), read_only=True) as con:
        assert con.execute("select * from marts.fct_rates order by 1").fetchall() == [
            ("109", 0.25),
            ("110", 1.5),
        ]
        assert con.execute("select version, table_name, row_count from marts.publish_info").fetchall() == [
            ("v1", "fct_rates", 2)
        ]
    with duckdb.connect(str(paths.marts), read_only=True) as con:  # the file dbt writes is left as it was
        assert con.execute(
            "select count(*) from duckdb_tables() where table_name = 'publish_info'"
        ).fetchone() == (0,)


def test_rows_left_in_the_write_ahead_log_are_in_the_snapshot(tmp_path):
    """A copy of the file alone would miss the last commit, still in `<file>.wal`."""
    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    marts_file(paths, [("109", 0.25), ("110", 1.5), ("111", 3.0)], checkpoint_on_close=False)
    assert paths.marts.with_name(paths.marts.name + ".wal").exists()
    publish_snapshot(paths, version="v1")
    with duckdb.connect(str(paths.serving / SNAPSHOT), read_only=True) as con:
        assert con.execute("select count(*), sum(rate) from marts.fct_rates").fetchone() == (3, 4.75)


def test_the_warehouse_reads_its_marts_by_their_schema_name(tmp_path):
    """`marts.…` joins `raw.…` in one connection, as in dbt's models."""
    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    with warehouse.connect(paths.warehouse) as con:
        con.execute("create table raw.units as select '109' as unit_code, 'Phong Thổ' as unit_name")
    marts_file(paths, [("109", 0.25)])
    with reading(paths) as con:
        assert con.execute(
            "select u.unit_name, m.rate from marts.fct_rates as m join raw.units as u using (unit_code)"
        ).fetchall() == [("Phong Thổ", 0.25)]


def test_marts_left_inside_an_older_warehouse_are_dropped(tmp_path):
    """Before 2026-12-07 dbt wrote the marts into the warehouse; left there, `marts.x` would
    be ambiguous beside the attached file, and stale."""
    path = tmp_path / "chitieu.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create table marts.fct_rates as select 1 as x")
    with warehouse.connect(path) as con:
        assert con.execute(
            "select count(*) from duckdb_schemas() where schema_name = 'marts'"
        ).fetchone() == (0,)


@pytest.mark.slow
def test_a_lost_marts_file_is_built_again_whole(demo_run, tmp_path):
    """The build state says the marts are current, but their file is gone: the next run
    builds every mart again, and they are the ones published."""
    import shutil

    paths, _ = demo_run
    copy = Paths(paths.landing, tmp_path / "wh" / paths.warehouse.name)
    shutil.copytree(paths.warehouse.parent, copy.warehouse.parent)
    with duckdb.connect(str(copy.serving / SNAPSHOT), read_only=True) as con:
        published = dict(con.execute("select table_name, row_count from marts.publish_info").fetchall())
    copy.marts.unlink()
    summary = pipeline.run(copy)
    assert summary.rebuilt and summary.partitions is None  # a full build
    with duckdb.connect(str(copy.marts), read_only=True) as con:
        for table, rows in published.items():
            assert con.execute(f"select count(*) from marts.{table}").fetchone()[0] == rows, table


@pytest.mark.slow
def test_every_mart_is_a_table_that_reads_from_a_copy_of_the_file(demo_run):
    """A view in the marts' file would name the catalog dbt attached it as (`marts_db`),
    which a reader of the snapshot does not have: every mart is a table."""
    paths, _ = demo_run
    with duckdb.connect(str(paths.serving / SNAPSHOT), read_only=True) as con:
        assert con.execute("select view_name from duckdb_views() where not internal").fetchall() == []
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        ]
        assert len(tables) >= 17
        for table in tables:
            con.execute(f"select * from marts.{table} limit 1").fetchall()
