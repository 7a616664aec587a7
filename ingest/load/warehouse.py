"""The DuckDB warehouse: the `raw` schema the pipeline loads and dbt reads as sources.

Everything a run adds for one batch — the ledger rows of its files, their cells and their
findings — goes in inside one transaction, keyed by file hash: a file already in the
ledger is never loaded twice, and a crash before COMMIT leaves nothing of the batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.contract.calendar import period_order_sql
from ingest.load.raw_schema import RAW_DDL, migrate

_held: dict[str, duckdb.DuckDBPyConnection] = {}  # warehouses held open (held_open), by path

# FSST, one of DuckDB's string compressions, took a sixth of the CPU of writing a table here
# and saved nothing: the dictionary compression does as well on these columns (a national
# period's cells: 5.6 -> 4.7 s to load, 89 MB either way; its largest mart: 3.0 -> 2.5 s
# of CPU to write, 77 -> 76 MB). Global to the open database; dbt's profile sets it too.
NO_FSST = "set disabled_compression_methods = 'fsst'"


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse. While `held_open`, one to the database already open:
    read-write (DuckDB opens a file in one mode per process), without the schema checks."""
    held = str(path) in _held
    if not held:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only and not held)
    try:
        if not read_only and not held:
            con.execute(NO_FSST)
            con.execute(RAW_DDL)
            migrate(con)
        yield con
    finally:
        con.close()


@contextmanager
def held_open(path: Path) -> Iterator[None]:
    """Keep the warehouse's database open in this process for a run's steps: each of them
    connects and closes, and opening a national warehouse (its catalog) and closing it cost
    ≈ 0.1 s a time. Its changes are checkpointed once, at the end. Nothing else may open the
    file meanwhile — not dbt, not a snapshot attaching it — so a run holds it only between them."""
    if str(path) in _held:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(NO_FSST)
        con.execute(RAW_DDL)
        migrate(con)
        _held[str(path)] = con
        yield
    finally:
        _held.pop(str(path), None)
        con.close()


def known_hashes(con: duckdb.DuckDBPyConnection) -> pa.Array:
    """Every content in the ledger (Arrow: a national ledger holds hundreds of thousands)."""
    return con.execute("select file_hash from raw.files").fetch_arrow_table()["file_hash"].combine_chunks()


def registry_levels(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """School code -> school level, from the latest arrived accepted registry row of each school."""
    return dict(
        con.execute(
            "select r.school_code, r.school_level from raw.registry r "
            "join raw.files f using (file_hash) where f.status != 'rejected' "
            "qualify row_number() over (partition by r.school_code "
            "order by f.received_at desc, f.file_hash desc, r.row desc) = 1"
        ).fetchall()
    )


PERIOD_ORDER_SQL = period_order_sql("period")


def accepted_enrolment(con: duckdb.DuckDBPyConnection, schools: list[str]) -> pd.DataFrame:
    """Total enrolled of every accepted report of `schools`: school, year, period, arrival, total.

    From the ledger alone (each report's total is kept with it when it is loaded): the
    cells of every earlier period of these schools would be read otherwise, a cost that
    grows with every period of history."""
    con.register("wanted_schools", pd.DataFrame({"school_code": pd.Series(schools, dtype="object")}))
    try:
        return con.execute(f"""
            select school_code, school_year, {PERIOD_ORDER_SQL} as period_order, load_seq,
                   pupils_total as enrolled
            from raw.files semi join wanted_schools using (school_code)
            where kind = 'reports' and status != 'rejected' and pupils_total is not null""").df()
    finally:
        con.unregister("wanted_schools")


def _next_seq(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select coalesce(max(load_seq), 0) + 1 from raw.files").fetchone()[0]


LEDGER_FROM_FILES = (
    "file_hash",
    "kind",
    "landing_path",
    "size_bytes",
    "received_at",
    "school_code",
    "school_name",
    "school_year",
    "period",
    "report_date",
    "pupils_total",
)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing. When the commit itself fails (a full disk), DuckDB has already
    ended the transaction: the original error is raised, not the failed rollback's."""
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException:
        with suppress(duckdb.TransactionException):
            con.execute("rollback")
        raise


def load_files(
    con: duckdb.DuckDBPyConnection,
    files: pd.DataFrame,
    findings: pd.DataFrame,
    cells: list[Path] | None = None,
    reference: dict[str, pd.DataFrame] | None = None,
    batch_id: str | None = None,
) -> pd.DataFrame:
    """Record `files` in the ledger with their findings (and cells / reference rows).

    `cells`: the batches' cell files, each batch's files in `files` in the same order (and
    its name in their `batch_id`, unless `batch_id` is given). One transaction; files whose
    hash is already in the ledger are skipped, so a retried load changes nothing. Returns
    the ledger rows written.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    with transaction(con):
        con.register("batch_hashes", files[["file_hash"]])
        known = {  # of this batch only: the ledger holds hundreds of thousands
            h
            for (h,) in con.execute(
                "select file_hash from raw.files semi join batch_hashes using (file_hash)"
            ).fetchall()
        }
        con.unregister("batch_hashes")
        batch_files = len(files)
        files = files[~files["file_hash"].isin(known)].drop_duplicates("file_hash")
        if files.empty:
            return files
        seq = _next_seq(con)
        ledger = files[[c for c in LEDGER_FROM_FILES if c in files.columns]].copy()
        by_file = (
            findings.groupby(["file_hash", "severity"]).size().unstack(fill_value=0)
            if len(findings)
            else pd.DataFrame()
        )
        errors = ledger["file_hash"].map(by_file.get("error", pd.Series(dtype=int))).fillna(0)
        warnings = ledger["file_hash"].map(by_file.get("warning", pd.Series(dtype=int))).fillna(0)
        ledger["errors"], ledger["warnings"] = errors.astype(int), warnings.astype(int)
        ledger["status"] = "accepted"
        ledger.loc[ledger["warnings"] > 0, "status"] = "accepted_with_warnings"
        ledger.loc[ledger["errors"] > 0, "status"] = "rejected"
        ledger["batch_id"] = files["batch_id"] if batch_id is None and "batch_id" in files else batch_id
        ledger["loaded_at"] = now
        ledger["load_seq"] = range(seq, seq + len(ledger))
        ledger["report_date"] = pd.to_datetime(ledger.get("report_date"), errors="coerce").dt.date
        new = set(ledger["file_hash"])
        con.register("ledger_new", ledger)
        con.execute("""insert into raw.files by name select * from ledger_new""")
        con.execute("insert into raw.deliveries select file_hash, landing_path, loaded_at from ledger_new")
        f_new = findings[findings["file_hash"].isin(new)]
        if len(f_new):
            con.register("findings_new", f_new)
            con.execute("insert into raw.findings by name select * from findings_new")
        if cells:  # the batches' Parquet files, read by DuckDB itself
            _insert_cells(con, cells, _first_rows(files, cells), seq if len(ledger) == batch_files else None)
        for kind, frame in (reference or {}).items():
            frame = frame[frame["file_hash"].isin(new)]
            if len(frame):
                con.register("reference_new", frame)
                con.execute(f"insert into raw.{kind} by name select * from reference_new")
        return ledger


def _first_rows(files: pd.DataFrame, cells: list[Path]) -> list[int]:
    """The row in `files` of each batch's first file (its cells' file_no counts from it)."""
    if len(cells) == 1 or "batch_id" not in files:
        return [0] * len(cells)
    sizes = files.groupby("batch_id", sort=False).size()
    return [int(sum(sizes.get(c.parent.name, 0) for c in cells[:i])) for i in range(len(cells))]


def _insert_cells(
    con: duckdb.DuckDBPyConnection, cells: list[Path], first_rows: list[int], first_seq
) -> None:
    """The batches' cells -> raw.report_cells, each with its file's load_seq. When the ledger
    took every file, in their order (`first_seq`: the first file's load_seq), a cell's is
    first_seq + its file's row: its batch's first row + its row in the batch (`file_no`).
    Without a join, DuckDB inserts the files' row groups on every core (a national period:
    4.6 -> 2.9 s)."""
    with_no = ["file_no" in pq.read_schema(c).names for c in cells]  # not in a batch of old
    numbered = all(with_no)
    columns = "c.* exclude (file_no, filename)" if any(with_no) else "c.* exclude (filename)"
    paths = [str(c) for c in cells]
    if numbered and first_seq is not None:
        offset = " ".join("when ? then ?::bigint" for _ in paths)
        con.execute(
            f"insert into raw.report_cells by name select {columns}, "
            f"?::bigint + (case c.filename {offset} end) + c.file_no as load_seq "
            "from read_parquet(?, filename = true) as c",
            [first_seq, *[x for pair in zip(paths, first_rows, strict=True) for x in pair], paths],
        )
    else:  # a file already loaded or repeated was left out: the ledger's numbers, by hash
        con.execute(
            f"insert into raw.report_cells by name select {columns}, l.load_seq "
            "from read_parquet(?, filename = true, union_by_name = true) as c "
            "join ledger_new as l using (file_hash)",
            [paths],
        )


def delivery_digests(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """What record_deliveries last recorded, by kinds (none in a warehouse made before them)."""
    if not con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = 'delivery_digests'"
    ).fetchone()[0]:
        return {}
    return dict(con.execute("select kinds, digest from raw.delivery_digests").fetchall())


def record_delivery_digest(con: duckdb.DuckDBPyConnection, kinds: str, digest: str) -> None:
    con.execute("insert or replace into raw.delivery_digests values (?, ?)", [kinds, digest])


def record_deliveries(
    con: duckdb.DuckDBPyConnection, frame: pd.DataFrame | pa.Table, kinds: str = "", digest: str = ""
) -> int:
    """Note deliveries (hash, landing path, received_at) not seen before, in one transaction,
    and that `frame` (the deliveries of `kinds`, digest `digest`) was recorded.

    A content's arrival is its first delivery: a copy found with an earlier time than the
    ledger's (loaded late, its time preserved) moves `received_at` back, so the warehouse is
    the same whatever order the copies were loaded in. Returns how many files moved."""
    con.register("deliveries_new", frame)
    with transaction(con):
        con.execute("""insert into raw.deliveries
                       select distinct n.file_hash, n.landing_path, now()::timestamp
                       from deliveries_new n
                       anti join raw.deliveries d
                           on d.file_hash = n.file_hash and d.landing_path = n.landing_path""")
        moved = con.execute("""
            update raw.files as f set received_at = n.received_at
            from (select file_hash, min(received_at) as received_at from deliveries_new group by 1) as n
            where f.file_hash = n.file_hash and n.received_at < f.received_at""").fetchone()[0]
        if kinds:
            record_delivery_digest(con, kinds, digest)
    con.unregister("deliveries_new")
    return int(moved)


def loaded_batches(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        b
        for (b,) in con.execute(
            "select distinct batch_id from raw.files where batch_id is not null"
        ).fetchall()
    }
