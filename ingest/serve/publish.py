"""Publish the marts for readers: a DuckDB snapshot, Parquet files and a PostgreSQL schema.

Readers never open the files dbt writes (DuckDB allows one writer or many readers, not
both). After a successful build:

    serving/chitieu.duckdb        a copy of the marts' own file (dbt writes every mart
                                  there), made aside and moved into place with one rename:
                                  a reader opens the old file or the new one, and keeps
                                  the one it opened until it closes it
    serving/parquet/current/      the marts as Parquet, partitioned by school year and
                                  period (the marts built by province: one file a 2025
                                  province in each period's folder); `current` is a
                                  symlink swapped in one rename
    PostgreSQL schema `marts`     every table's rows replaced in one transaction (MVCC: a
                                  reader sees one version of every table); the read-only
                                  role `chitieu_bi` can read it and nothing else

Every copy carries `marts.publish_info` (version, time, rows per table), so a reader can
tell which version it saw.

A publish costs what changed. The marts dbt builds incrementally by school year, period
and 2025 province (`incremental_marts`) are republished only for the partitions the builds
since the last publish redid (`changed`, decided by pipeline.publish from the build state):
the Parquet version writes those provinces' files and hard-links every other file of the
last version, and PostgreSQL deletes and copies only those partitions' rows. A mart no
build wrote since the last publish (the reference marts, after a build of reports only) is
kept as that version has it; every other mart is small and copied whole. The snapshot is
the marts' file copied whole: its bytes cost less to copy than any mart costs DuckDB to
write again. Each target stays
atomic for readers as above; whenever the last publish is not exactly the base expected
(`base_version`), everything is published afresh.

(Long on purpose: the three targets of a publish — DuckDB snapshot, Parquet, PostgreSQL —
must stay atomic together, and are easier to check side by side.)
"""

from __future__ import annotations

import io
import json
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import duckdb

from ingest.config import Paths
from ingest.load.warehouse import NO_FSST
from ingest.ops.faults import checkpoint
from ingest.transform import marts_file, partitions

SNAPSHOT = "chitieu.duckdb"  # what readers open
BI_ROLE = "chitieu_bi"
KEEP_PARQUET_VERSIONS = 2


@dataclass
class Published:
    version: str
    snapshot: Path
    tables: dict[str, int] = field(default_factory=dict)  # mart -> rows
    parquet: Path | None = None
    postgres: bool = False
    # '<school year>|<period>' partitions republished of the marts in `incremental`;
    # None: everything was published afresh
    changed: list[str] | None = None
    incremental: frozenset[str] = frozenset()
    # marts no build wrote since the last publish: kept as that version has them
    kept: frozenset[str] = frozenset()


def incremental_marts(paths: Paths) -> frozenset[str]:
    """The marts dbt builds incrementally (by school year, period and province) (macros/
    incremental_by_period.sql), from the manifest of the last build; none without one."""
    try:
        manifest = json.loads((paths.root / "dbt" / "target" / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return frozenset()
    return frozenset(
        node["alias"]
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "model"
        and node.get("schema") == "marts"
        and node.get("config", {}).get("materialized") == "incremental"
    )


def _in_changed(changed: list[str], by_province: bool = True) -> str:
    """SQL: the row lies in one of the `changed` partitions (keys made by partitions.py) —
    by school year and period only when `by_province` is false."""
    return partitions.predicate(changed, province="province_code_2025" if by_province else None)


def new_version() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def mart_tables(con: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    return [
        t
        for (t,) in con.execute(
            "select table_name from duckdb_tables() where database_name = ? and schema_name = 'marts' "
            "order by table_name",
            [database],
        ).fetchall()
    ]


def publish_snapshot(
    paths: Paths,
    version: str | None = None,
    changed: list[str] | None = None,
    rewritten: frozenset[str] | None = None,
) -> Published:
    """The marts' file (config.Paths.marts: dbt writes every mart there) copied whole into a
    new DuckDB file, `marts.publish_info` added, moved into place atomically.

    A copy of the file costs its bytes; copying the marts table by table into a new
    database wrote (compressed) every mart a second time: 3.2 s of a national period's
    publish. `changed` and `rewritten` only say what the Parquet and PostgreSQL targets
    may keep of the last publish (every mart is in the copy): the `changed` partitions of
    the incremental marts are new, and a mart outside `rewritten` (None: any) is as the
    last publish had it."""
    version = version or new_version()
    paths.serving.mkdir(parents=True, exist_ok=True)
    target = paths.serving / SNAPSHOT
    tmp = paths.serving / f".{SNAPSHOT}.{version}.tmp"
    if changed is not None and not target.exists():
        changed = None
    published = Published(version, target, changed=changed)
    if changed is not None:
        published.incremental = incremental_marts(paths)
    try:
        if paths.marts.exists():
            marts_file.without_wal(paths.marts)
            shutil.copyfile(paths.marts, tmp)
        with duckdb.connect(str(tmp)) as snap:
            snap.execute(NO_FSST)
            snap.execute("create schema if not exists marts")
            snap.execute("drop table if exists marts.publish_info")
            here = snap.execute("select current_database()").fetchone()[0]
            for table in mart_tables(snap, here):
                published.tables[table] = snap.execute(f"select count(*) from marts.{table}").fetchone()[0]
            if changed is not None and rewritten is not None:
                published.kept = frozenset(published.tables) - rewritten - published.incremental
            snap.execute(
                "create table marts.publish_info (version varchar, published_at timestamp, "
                "table_name varchar, row_count bigint)"
            )
            now = datetime.now(UTC).replace(tzinfo=None)
            snap.executemany(
                "insert into marts.publish_info values (?, ?, ?, ?)",
                [(version, now, t, n) for t, n in published.tables.items()],
            )
            snap.execute("checkpoint")  # writes the new pages and syncs the whole file
        checkpoint("publish")
        os.replace(tmp, target)  # the atomic step
    finally:
        tmp.unlink(missing_ok=True)
    return published


def export_parquet(paths: Paths, published: Published) -> Path:
    """The snapshot's marts as Parquet under parquet/current: partitioned by school year and
    period (or school year), each mart in its own folder. For an incremental publish the
    unchanged partitions of the incremental marts are hard links to the last version's files."""
    root = paths.serving / "parquet"
    folder = root / published.version
    folder.mkdir(parents=True, exist_ok=True)
    previous = root / "current"
    previous = previous.resolve() if previous.is_symlink() else None
    with duckdb.connect(str(published.snapshot), read_only=True) as con:
        # two marts at a time, each on its own cursor: one COPY keeps the two cores busy
        # only part of the time (a national period: 3.1 -> 2.3 s)
        tables = sorted([*published.tables, "publish_info"], key=lambda t: -published.tables.get(t, 0))
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda t: _export_table(con.cursor(), t, folder / t, previous, published), tables))
    return _swap_parquet(root, published)


def _export_table(
    con: duckdb.DuckDBPyConnection, table: str, out: Path, previous: Path | None, published: Published
) -> None:
    """One mart of the snapshot -> its Parquet folder `out` (see export_parquet)."""
    try:
        columns = {
            c
            for (c,) in con.execute(
                "select column_name from duckdb_columns() where schema_name = 'marts' and table_name = ?",
                [table],
            ).fetchall()
        }
        rows = f"marts.{table}"
        if not con.execute(f"select exists (from marts.{table})").fetchone()[0]:
            columns = set()  # an empty mart is one empty file, so readers still see its columns
        incremental = (
            published.changed is not None
            and table in published.incremental
            and previous is not None
            and (previous / table).is_dir()
        )
        if table in published.kept and previous is not None and (previous / table).is_dir():
            shutil.copytree(previous / table, out, copy_function=os.link)
        elif {"school_year", "period", PROVINCE} <= columns:
            _export_by_province(con, table, out, previous / table if incremental else None, published)
        elif {"school_year", "period"} <= columns:
            if incremental:
                # a period's folder is written again when any of its provinces changed
                changed = {partitions.period_of(key) for key in published.changed}
                _link_partitions(previous / table, out, keep=lambda key, _, old=changed: key not in old)
                rows = f"(select * from marts.{table} where {_in_changed(published.changed, False)})"
            con.execute(
                f"copy {rows} to '{out}' (format parquet, partition_by (school_year, period), "
                "overwrite_or_ignore)"
            )
        elif "school_year" in columns:
            con.execute(
                f"copy {rows} to '{out}' (format parquet, partition_by (school_year), overwrite_or_ignore)"
            )
        else:
            out.mkdir(exist_ok=True)
            con.execute(f"copy {rows} to '{out / 'data.parquet'}' (format parquet)")
    finally:
        con.close()


def _swap_parquet(root: Path, published: Published) -> Path:
    """The new version becomes parquet/current in one rename; the oldest versions go."""
    link = root / f".current.{published.version}"
    link.symlink_to(published.version, target_is_directory=True)
    current = root / "current"
    if current.is_dir() and not current.is_symlink():
        # a restored backup or a copy that followed the link: a folder, not a link; it
        # cannot be replaced in one step, so it is moved aside first (once)
        current.rename(root / f".replaced.{published.version}")
    os.replace(link, current)  # the atomic step
    for moved in root.glob(".replaced.*"):
        shutil.rmtree(moved, ignore_errors=True)
    versions = sorted(
        p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")
    )
    for old in versions[:-KEEP_PARQUET_VERSIONS]:
        shutil.rmtree(old, ignore_errors=True)
    published.parquet = root / "current"
    return published.parquet


_PG_TYPES = {
    "VARCHAR": "text",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "HUGEINT": "numeric",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "SMALLINT": "smallint",
    "TINYINT": "smallint",
    "UBIGINT": "numeric",
}

# Indexes for the dashboard's filters (year, period, level, unit, indicator, status).
PG_INDEXES = {
    "fct_target_achievement_school": [
        ("school_year", "period", "district_code"),
        ("school_year", "period", "province_code"),
        ("unit_code",),
    ],
    "fct_target_achievement_commune": [("school_year", "period", "province_code"), ("unit_code",)],
    "fct_target_achievement_district": [("school_year", "period", "province_code"), ("unit_code",)],
    "fct_target_achievement_province": [("school_year", "period", "unit_code")],
    "fct_target_achievement_province_2025": [("unit_code", "indicator_code", "school_year")],
    "fct_scorecard_school": [("school_year", "period", "district_code")],
    "fct_completeness_school": [("school_year", "period", "district_code")],
    "fct_completeness_district": [("province_code", "school_year")],
    "fct_scorecard_district": [("school_year", "period", "province_code")],
    "fct_target_history": [("assignee_code",)],
    "fct_submissions": [("district_code", "status"), ("file_hash",)],
    "fct_submission_findings": [("file_hash",)],
    "fct_target_achievement_since_2025": [("unit_level", "indicator_code", "period")],
}


def _link_partitions(source: Path, out: Path, keep) -> None:
    """Hard-link the files of `source`'s school_year=…/period=… folders that
    `keep(key, file)` accepts ('<school year>|<period>', the file's path) into the same
    folders under `out` (the files are never written again: a new version writes new files)."""
    for year in source.glob("school_year=*"):
        for period in year.glob("period=*"):
            key = year.name.split("=", 1)[1] + "|" + period.name.split("=", 1)[1]
            into = out / year.name / period.name
            kept = [part for part in period.iterdir() if keep(key, part)]
            if kept:
                into.mkdir(parents=True, exist_ok=True)  # once a folder (4,000 files with six periods)
            for part in kept:
                os.link(part, into / part.name)


PROVINCE = "province_code_2025"


def _province_file(province: str, written: Path) -> str:
    """province_<code>.parquet ('none' for rows placed in no province); a second file
    DuckDB wrote for the same province keeps its own name after it."""
    suffix = "" if written.stem == "data_0" else f".{written.stem}"
    return f"province_{province or 'none'}{suffix}.parquet"


def _province_of(file: Path) -> str:
    code = file.name.removeprefix("province_").split(".", 1)[0]
    return "" if code == "none" else code


def _export_by_province(
    con: duckdb.DuckDBPyConnection, table: str, out: Path, previous: Path | None, published: Published
) -> None:
    """A mart built by province: school_year=…/period=…/province_<code>.parquet, one file a
    2025 province (a file, not a `province_code_2025=` folder: a folder would add a key whose
    type readers infer as a number). With `previous` (the last version's folder of this mart)
    only the changed provinces' files are written; the others are hard links."""
    rows = f"marts.{table}"
    if previous is not None:
        changed: dict[str, set[str]] = {}
        for key in published.changed or []:
            changed.setdefault(partitions.period_of(key), set()).add(key.rsplit("|", 1)[1])
        for period, provinces in changed.items():
            year, name = period.split("|")
            folder = previous / f"school_year={year}" / f"period={name}"
            if folder.is_dir() and any(not f.name.startswith("province_") for f in folder.iterdir()):
                provinces.add(partitions.WHOLE_PERIOD)  # one file for every province (before 2026-12)

        def unchanged(period: str, file: Path) -> bool:
            provinces = changed.get(period)
            if provinces is None:
                return True
            return partitions.WHOLE_PERIOD not in provinces and _province_of(file) not in provinces

        _link_partitions(previous, out, keep=unchanged)
        keys = [f"{period}|{province}" for period, provinces in changed.items() for province in provinces]
        rows = f"(select * from marts.{table} where {_in_changed(keys)})"
    staging = out.parent / f".{table}.by_province"
    con.execute(
        f"copy (select *, coalesce({PROVINCE}, '') as province_file from {rows}) to '{staging}' "
        "(format parquet, partition_by (school_year, period, province_file), overwrite_or_ignore)"
    )
    for written in sorted(staging.rglob("*.parquet")):
        province_dir = written.parent
        period_dir = province_dir.parent
        province = unquote(province_dir.name.split("=", 1)[1])
        into = out / period_dir.parent.name / period_dir.name
        into.mkdir(parents=True, exist_ok=True)
        os.replace(written, into / _province_file(province, written))
    shutil.rmtree(staging, ignore_errors=True)


def _pg_type(duck_type: str) -> str:
    if duck_type.startswith("DECIMAL"):
        return duck_type.replace("DECIMAL", "numeric")
    return _PG_TYPES.get(duck_type, "text")


def pg_dsn() -> str | None:
    """The publisher's connection string, from the environment only (never committed)."""
    return os.environ.get("CHITIEU_PG_DSN")


def ensure_bi_role(pg, password: str | None = None) -> None:
    """The read-only role for BI tools and analysts: it can read `marts` and nothing else."""
    # roles belong to the server, not the database: two publishers to two databases may race
    pg.execute(
        f"""do $$ begin
              if not exists (select 1 from pg_roles where rolname = '{BI_ROLE}') then
                create role {BI_ROLE} nologin;
              end if;
            exception when duplicate_object or unique_violation then null;
            end $$"""
    )
    reader = os.environ.get("CHITIEU_PG_BI_USER")
    password = password or os.environ.get("CHITIEU_PG_BI_PASSWORD")
    if reader and password:
        from psycopg import sql

        if not pg.execute("select 1 from pg_roles where rolname = %s", [reader]).fetchone():
            pg.execute(
                sql.SQL("create role {} login password {} in role {}").format(
                    sql.Identifier(reader), sql.Literal(password), sql.Identifier(BI_ROLE)
                )
            )
    database = pg.execute("select current_database()").fetchone()[0]
    pg.execute("revoke create on schema public from public")
    pg.execute(f'revoke all on database "{database}" from public')
    pg.execute(f'grant connect on database "{database}" to {BI_ROLE}')


def publish_postgres(published: Published, dsn: str, lock_timeout: str = "30s") -> None:
    """Replace the rows of every table of schema `marts` in one transaction.

    The tables stay the same tables (same OIDs): a reader whose transaction began before
    the commit goes on seeing the old rows of every table — in REPEATABLE READ, across
    several tables — and one that begins after sees only the new ones (PostgreSQL's MVCC).
    Renaming a freshly loaded schema into place would not do that: catalog look-ups see the
    new tables at once, and their rows are invisible to the older snapshot (empty marts).
    A table whose columns changed (a new version of the dbt project) is dropped and created
    again inside the same transaction; only that table is new to an older snapshot."""
    import psycopg

    with psycopg.connect(dsn) as pg, duckdb.connect(str(published.snapshot), read_only=True) as con:
        pg.execute(f"set lock_timeout = '{lock_timeout}'")
        ensure_bi_role(pg)
        pg.execute("create schema if not exists marts")
        wanted = [*published.tables, "publish_info"]
        for table in wanted:
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() where schema_name = 'marts' "
                "and table_name = ? order by column_index",
                [table],
            ).fetchall()
            ddl = ", ".join(f'"{name}" {_pg_type(kind)}' for name, kind in columns)
            where = None
            if _same_shape(pg, table, ddl):
                if table in published.kept:
                    continue  # as the last version has it
                if published.changed is not None and table in published.incremental:
                    where = _in_changed(published.changed, "province_code_2025" in dict(columns))
                pg.execute(f"delete from marts.{table}" + (f" where {where}" if where else ""))
            else:
                pg.execute(f"drop table if exists marts.{table}")
                pg.execute(f"create table marts.{table} ({ddl})")
                for i, index in enumerate(PG_INDEXES.get(table, [])):
                    cols = ", ".join(f'"{c}"' for c in index)
                    pg.execute(f"create index {table}_{i} on marts.{table} ({cols})")
            _copy_rows(con, pg, table, where)
            if where is None or published.changed:
                pg.execute(f"analyze marts.{table}")
        for (gone,) in pg.execute(
            "select tablename from pg_tables where schemaname = 'marts' and not (tablename = any(%s))",
            [wanted],
        ).fetchall():
            pg.execute(f'drop table marts."{gone}"')
        pg.execute(f"grant usage on schema marts to {BI_ROLE}")
        pg.execute(f"grant select on all tables in schema marts to {BI_ROLE}")
        checkpoint("publish_postgres")
        pg.commit()  # readers see the old rows until here, the new ones after
        _drop_previous(pg)
    published.postgres = True


def _same_shape(pg, table: str, ddl: str) -> bool:
    """Whether marts.<table> exists with exactly the columns and types of `ddl`."""
    shape = (
        "select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a "
        "where a.attrelid = %s::regclass and a.attnum > 0 and not a.attisdropped "
        "order by a.attnum"
    )
    if not pg.execute("select to_regclass(%s)", [f"marts.{table}"]).fetchone()[0]:
        return False
    pg.execute(f"create temporary table _chitieu_shape ({ddl}) on commit drop")
    try:
        return (
            pg.execute(shape, [f"marts.{table}"]).fetchall()
            == pg.execute(shape, ["_chitieu_shape"]).fetchall()
        )
    finally:
        pg.execute("drop table _chitieu_shape")


def _copy_rows(con: duckdb.DuckDBPyConnection, pg, table: str, where: str | None = None) -> None:
    import pyarrow.csv as pacsv

    sql = f"select * from marts.{table}" + (f" where {where}" if where else "")
    reader = con.execute(sql).fetch_record_batch(100_000)
    with pg.cursor().copy(f"copy marts.{table} from stdin (format csv, null '')") as copy:
        for batch in reader:
            buffer = io.BytesIO()
            pacsv.write_csv(batch, buffer, pacsv.WriteOptions(include_header=False))
            copy.write(buffer.getvalue())


def _drop_previous(pg) -> None:
    """Drop schemas left by publishes of earlier versions, which swapped whole schemas
    (best effort: a reader may still hold one)."""
    pg.execute("set lock_timeout = '2s'")
    for (name,) in pg.execute(
        "select nspname from pg_namespace where nspname like 'marts_previous_%'"
    ).fetchall():
        try:
            pg.execute(f"drop schema {name} cascade")
            pg.commit()
        except Exception:  # noqa: BLE001 - a reader still holds it; the next publish drops it
            pg.rollback()


def publish(
    paths: Paths,
    dsn: str | None = None,
    changed: list[str] | None = None,
    base_version: str | None = None,
    rewritten: frozenset[str] | None = None,
) -> Published:
    """Snapshot, Parquet and (when a DSN is configured) PostgreSQL, in that order: only the
    `changed` partitions of the incremental marts, and the marts in `rewritten` (None: any),
    when every target still holds exactly `base_version` (the last publish), everything
    otherwise."""
    dsn = dsn or pg_dsn()
    if changed is not None and not (base_version and published_version(paths, dsn) == base_version):
        changed = None
    published = publish_snapshot(paths, changed=changed, rewritten=rewritten if changed is not None else None)
    export_parquet(paths, published)
    if dsn:
        publish_postgres(published, dsn)
    return published


def published_version(paths: Paths, dsn: str | None) -> str | None:
    """The version every target holds — snapshot, Parquet and PostgreSQL (with a DSN) —
    or None when they differ or one has none (a publish failed half-way, a target was
    restored or dropped)."""
    snapshot = paths.serving / SNAPSHOT
    if not snapshot.exists():
        return None
    try:
        with duckdb.connect(str(snapshot), read_only=True) as con:
            (version,) = con.execute("select min(version) from marts.publish_info").fetchone()
    except duckdb.Error:
        return None
    current = paths.serving / "parquet" / "current"
    if not (current.is_symlink() and os.readlink(current) == version):
        return None
    if dsn:
        import psycopg

        try:
            with psycopg.connect(dsn, connect_timeout=10) as pg:
                row = pg.execute("select min(version) from marts.publish_info").fetchone()
        except psycopg.Error:
            return None
        if not row or row[0] != version:
            return None
    return version
