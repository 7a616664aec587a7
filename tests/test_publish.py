"""Publishing for readers: atomic snapshot and PostgreSQL swaps, the BI role, the queries.

Needs PostgreSQL (CHITIEU_TEST_PG_DSN, default postgresql://postgres@127.0.0.1:5432/postgres).
"""

import datetime as dt
import multiprocessing
import os
import secrets
import time
from decimal import Decimal

import duckdb
import psycopg
import pytest
import readers

from ingest.config import PROJECT_DIR
from ingest.serve.publish import BI_ROLE, SNAPSHOT, publish, publish_postgres, publish_snapshot

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
QUERIES = sorted((PROJECT_DIR / "docs" / "queries").glob("*.sql"))


@pytest.fixture(scope="module")
def bi_user(pg_database):
    """A login for BI tools, created by the publisher from the environment."""
    user = "chitieu_dashboard"
    password = secrets.token_urlsafe(16)  # made up at run time, never written down
    os.environ.update(CHITIEU_PG_BI_USER=user, CHITIEU_PG_BI_PASSWORD=password)
    yield pg_database.replace("user=postgres", f"user={user} password={password}")
    os.environ.pop("CHITIEU_PG_BI_USER")
    os.environ.pop("CHITIEU_PG_BI_PASSWORD")


@pytest.fixture(scope="module")
def demo(demo_run, pg_database, bi_user):
    paths, _ = demo_run
    return paths, publish(paths, pg_database)


def _run_readers(target, argument, seconds=120):
    """A reader process that reads until the test sets its `stop` (or `seconds` pass)."""
    context = multiprocessing.get_context("spawn")
    queue, stop, ready = context.Queue(), context.Event(), context.Event()
    process = context.Process(target=target, args=(argument, seconds, queue, stop, ready))
    process.start()
    process.stop = stop
    assert ready.wait(timeout=60), "the reader never read"
    return process, queue


def _results(process, queue):
    """Stop the reader once it has read a few times more, and collect what it saw."""
    time.sleep(1)
    process.stop.set()
    return queue.get(timeout=120)


def test_snapshot_swap_is_atomic_for_readers(demo):
    paths, _ = demo
    process, queue = _run_readers(readers.duckdb_reader, str(paths.serving / SNAPSHOT))
    versions = [publish_snapshot(paths).version for _ in range(4)]
    seen, errors, reads = _results(process, queue)
    process.join(timeout=60)
    assert errors == []
    assert reads > 20 and len(seen) >= 2 and set(seen) <= {*versions, *seen}


def test_postgres_swap_is_atomic_for_readers(demo, pg_database, bi_user):
    paths, published = demo
    process, queue = _run_readers(readers.postgres_reader, bi_user)
    versions = []
    for _ in range(3):
        fresh = publish_snapshot(paths)
        publish_postgres(fresh, pg_database)
        versions.append(fresh.version)
    seen, errors, reads = _results(process, queue)
    process.join(timeout=60)
    assert errors == []
    assert reads > 20 and len(seen) >= 2


def test_postgres_snapshot_reader_sees_one_version_of_every_table(demo, pg_database, bi_user):
    """A REPEATABLE READ reader (an extract job, pg_dump, a BI tool reading several tables in
    one transaction) that began before a publish committed sees the old version of every
    table it reads after the commit — never an empty or a newer table."""
    paths, _ = demo
    with psycopg.connect(bi_user) as reader:
        reader.execute("set transaction isolation level repeatable read")
        before = dict(reader.execute("select table_name, row_count from marts.publish_info").fetchall())
        (version,) = reader.execute("select min(version) from marts.publish_info").fetchone()
        fresh = publish_snapshot(paths)
        publish_postgres(fresh, pg_database)  # commits while the reader's snapshot is open
        for table in (
            "dim_indicator",
            "dim_school",
            "fct_target_achievement_district",
            "fct_scorecard_district",
        ):
            (count,) = reader.execute(f"select count(*) from marts.{table}").fetchone()
            assert count == before[table] > 0, table
        assert reader.execute("select min(version) from marts.publish_info").fetchone() == (version,)
        reader.rollback()
        after = reader.execute("select min(version) from marts.publish_info").fetchone()[0]
    assert after == fresh.version != version


def test_bi_role_reads_marts_and_nothing_else(demo, pg_database, bi_user):
    with psycopg.connect(pg_database, autocommit=True) as admin:  # something private beside the marts
        admin.execute("create schema if not exists raw")
        admin.execute("create table if not exists raw.report_cells as select 1 as value")
    with psycopg.connect(bi_user, autocommit=True) as bi:
        assert bi.execute("select count(*) from marts.fct_target_achievement_district").fetchone()[0] > 0
        assert bi.execute("select pg_has_role(current_user, %s, 'member')", [BI_ROLE]).fetchone()[0]
        for statement in (
            "insert into marts.dim_indicator (indicator_code) values ('x')",
            "update marts.dim_indicator set indicator_name = 'x'",
            "delete from marts.fct_submissions",
            "drop table marts.dim_indicator",
            "create table marts.mine (x int)",
            "create table public.mine (x int)",
            "create schema mine",
            "select * from raw.report_cells",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                bi.execute(statement)


def _normal(value):
    if isinstance(value, (Decimal, float)):
        return round(float(value), 6)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return value


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_example_query_agrees_on_duckdb_and_postgres(demo, pg_database, query):
    paths, _ = demo
    sql = query.read_text("utf-8")
    with duckdb.connect(str(paths.serving / SNAPSHOT), read_only=True) as con:
        on_duckdb = [tuple(map(_normal, row)) for row in con.execute(sql).fetchall()]
    with psycopg.connect(pg_database) as pg:
        on_postgres = [tuple(map(_normal, row)) for row in pg.execute(sql).fetchall()]
    assert on_duckdb, f"{query.name} returned no rows"
    assert on_duckdb == on_postgres


def test_lam_dong_trend_spans_the_reform(demo):
    paths, _ = demo
    query = PROJECT_DIR / "docs" / "queries" / "01_lam_dong_dropout_trend_2025_boundaries.sql"
    with duckdb.connect(str(paths.serving / SNAPSHOT), read_only=True) as con:
        result = con.execute(query.read_text("utf-8")).fetchall()
    assert [r[0] for r in result] == ["2022-2023", "2023-2024", "2024-2025", "2025-2026"]
    assert all(0 < r[3] < 2 for r in result)


def test_parquet_publishes_over_a_copy_that_followed_the_link(demo, tmp_path):
    """A backup restored without symlinks leaves parquet/current a real folder: the next
    publish replaces it with the link again instead of failing."""
    import shutil

    from ingest.config import Paths
    from ingest.serve.publish import export_parquet

    paths, _ = demo
    copy = Paths(paths.landing, tmp_path / "wh" / paths.warehouse.name)
    shutil.copytree(paths.root, copy.root, symlinks=False)
    shutil.copyfile(paths.warehouse, copy.warehouse)
    current = copy.serving / "parquet" / "current"
    assert current.is_dir() and not current.is_symlink()
    published = publish_snapshot(copy)
    export_parquet(copy, published)
    assert current.is_symlink() and os.readlink(current) == published.version
    assert any((current / "fct_scorecard_district").rglob("*.parquet"))
    assert not list(current.parent.glob(".replaced.*"))


def test_parquet_by_province_over_a_version_written_by_period(demo, tmp_path):
    """A mart built by province is written one file a province; a version written before
    that (one file for the whole period) is not linked into a publish of one province:
    the period is written again whole, without a row twice."""
    import shutil

    from ingest.config import Paths
    from ingest.serve.publish import export_parquet

    paths, _ = demo
    copy = Paths(paths.landing, tmp_path / "wh" / paths.warehouse.name)
    shutil.copytree(paths.root, copy.root, symlinks=True)
    shutil.copyfile(paths.warehouse, copy.warehouse)
    mart = "fct_target_achievement_school"
    current = copy.serving / "parquet" / "current"
    period = current.resolve() / mart / "school_year=2023-2024" / "period=cuoi_nam"
    files = sorted(period.glob("province_*.parquet"))
    assert files  # the layout of today
    with duckdb.connect() as con:  # as an older version wrote it: one file for the period
        con.execute(f"copy (from read_parquet({[str(f) for f in files]})) to '{period / 'data_0.parquet'}'")
    for f in files:
        f.unlink()
    published = publish_snapshot(copy, changed=["2023-2024|cuoi_nam|12"])
    assert mart in published.incremental
    export_parquet(copy, published)
    names = {f.name for f in (current / mart / "school_year=2023-2024" / "period=cuoi_nam").iterdir()}
    # the demo's two districts: Phong Thổ (Lai Châu, 12) and Tuy Phong (now Lâm Đồng, 68)
    assert names == {"province_12.parquet", "province_68.parquet"}
    with duckdb.connect(str(copy.serving / SNAPSHOT), read_only=True) as con:
        expected = con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
        found = con.execute(
            f"select count(*) from read_parquet('{current}/{mart}/**/*.parquet', hive_partitioning = true)"
        ).fetchone()[0]
    assert found == expected
