"""What in the landing folder is new: arrivals whose content the ledger has not seen.

A file is known by its content hash. A content already loaded (a retry, the same file in
another folder) is recorded as a delivery in raw.deliveries and never loaded again.
Both sides are Arrow columns: a landing that lived for years holds hundreds of thousands
of known files, and only the new ones become Python objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ingest.config import Paths
from ingest.landing.arrivals import Arrival
from ingest.landing.closed_periods import closed_folders
from ingest.landing.hash_cache import CACHE_FILE
from ingest.landing.walk import Landed, to_arrivals, walk_landing
from ingest.load import warehouse

HASH_CACHE = CACHE_FILE  # walk.walk_landing's memory of what it has hashed
DELIVERY_COLUMNS = ["sha256", "relpath", "received_at"]  # of a landed file, for raw.deliveries


class Ledger:
    """The contents the warehouse has loaded (raw.files' hashes), read once a run, and
    those the run loads on top (`add`); and the digests of the deliveries last recorded."""

    def __init__(self, hashes: pa.Array, digests: dict[str, str] | None = None) -> None:
        self._parts = [hashes]  # what was read, then what each `add` brought
        self._looked_up: tuple[Landed, pa.ChunkedArray, int] | None = None
        self.digests = digests or {}
        # kinds -> the digest of the next run's deliveries, once this run's new files are
        # loaded (remember_loaded)
        self.after_load: dict[str, str] = {}

    def add(self, hashes: Iterable[str]) -> None:
        more = pa.array(list(hashes), pa.string())
        if len(more):
            self._parts.append(more)

    def holds(self, landing: Landed) -> pa.ChunkedArray:
        """Which files of the landing hold a content of the ledger. Looked up once a run for
        the whole landing (a set of a national ledger's hashes takes 50 ms to build), then
        only against what was added since."""
        if self._looked_up is not None and self._looked_up[0] is landing:
            _, known, done = self._looked_up
        else:
            known, done = pc.is_in(landing.table["sha256"], value_set=self._parts[0]), 1
        for more in self._parts[done:]:
            known = pc.or_(known, pc.is_in(landing.table["sha256"], value_set=more))
        self._looked_up = (landing, known, len(self._parts))
        return known


def read_ledger(paths: Paths) -> Ledger:
    if not paths.warehouse.exists():
        return Ledger(pa.array([], pa.string()))
    with warehouse.connect(paths.warehouse, read_only=True) as con:
        try:
            return Ledger(warehouse.known_hashes(con), warehouse.delivery_digests(con))
        except duckdb.CatalogException:
            return Ledger(pa.array([], pa.string()))


def landed(paths: Paths, on_unknown: Callable[[], None] | None = None) -> Landed:
    """Everything in the landing folder (hashed once, cached by path, size and times; the
    closed periods' files as recorded, closed_periods.py); `on_unknown`: see walk.walk_landing."""
    return walk_landing(paths.landing, paths.root / HASH_CACHE, on_unknown, closed_folders(paths))


def new_arrivals(
    paths: Paths,
    kinds: tuple[str, ...],
    arrived: Landed | None = None,
    ledger: Ledger | None = None,
) -> tuple[list[Arrival], int]:
    """Arrivals of `kinds` not in the ledger (first copy of each content), in the order they
    arrived, and how many were known. A known content delivered again (a retry, a copy in
    another folder) is only noted in raw.deliveries. `arrived` and `ledger`: the run's walk
    and ledger, when the caller has them (a national ledger takes a while to read)."""
    ledger = read_ledger(paths) if ledger is None else ledger
    arrived = landed(paths) if arrived is None else arrived
    ofkinds, known = arrived.of_kinds(kinds), ledger.holds(arrived)
    # the known files (most of a landing that lived for years) as the three columns their
    # deliveries need: filtering every column of them took most of this function's time
    again = arrived.table.select(DELIVERY_COLUMNS).filter(pc.and_(ofkinds, known))
    fresh, seen, copies = [], set(), []
    # in the order of arrival: of two copies of one new content, the first is loaded
    for arrival in sorted(
        to_arrivals(arrived.table.filter(pc.and_(ofkinds, pc.invert(known)))),
        key=lambda a: (a.received_at, a.relpath),
    ):
        if arrival.sha256 in seen:
            copies.append(arrival)
            continue
        seen.add(arrival.sha256)
        fresh.append(arrival)
    _record_deliveries(paths, again, copies, ",".join(kinds), ledger)
    if fresh and paths.warehouse.exists():
        ledger.after_load[",".join(kinds)] = _digest(_deliveries(again, [*copies, *fresh]))
    return fresh, again.num_rows + len(copies)


def remember_loaded(paths: Paths, ledger: Ledger) -> None:
    """This run's new files are loaded: each is in the ledger and raw.deliveries as the next
    run would record it, so the next run, seeing the same files, writes no deliveries
    (else the first run after a national load would note 257,000 of them again)."""
    if ledger.after_load and paths.warehouse.exists():
        with warehouse.connect(paths.warehouse) as con:
            for kinds, digest in ledger.after_load.items():
                warehouse.record_delivery_digest(con, kinds, digest)
        ledger.digests.update(ledger.after_load)
        ledger.after_load.clear()


def _record_deliveries(
    paths: Paths, again: pa.Table, copies: list[Arrival], kinds: str, ledger: Ledger
) -> None:
    """Deliveries of contents already received: kept for the record, loaded never again.
    The same deliveries as the last run recorded (most runs: the landing's every known
    file) are not written again: their digest says so without opening the warehouse to write."""
    if not (again.num_rows or copies) or not paths.warehouse.exists():
        return
    frame = _deliveries(again, copies)
    digest = _digest(frame)
    if ledger.digests.get(kinds) == digest:
        return
    with warehouse.connect(paths.warehouse) as con:
        warehouse.record_deliveries(con, frame, kinds, digest)
    ledger.digests[kinds] = digest


def _deliveries(again: pa.Table, arrivals: list[Arrival]) -> pa.Table:
    """(file_hash, landing_path, received_at) of the known files and of `arrivals`."""
    return pa.concat_tables(
        [
            again.select(DELIVERY_COLUMNS).rename_columns(["file_hash", "landing_path", "received_at"]),
            pa.table(
                {
                    "file_hash": pa.array([a.sha256 for a in arrivals], pa.string()),
                    "landing_path": pa.array([a.relpath for a in arrivals], pa.string()),
                    "received_at": pa.array([a.received_at for a in arrivals], pa.timestamp("us")),
                }
            ),
        ]
    )


def _digest(frame: pa.Table) -> str:
    """A digest of a set of deliveries, whatever their order (a sum of row hashes)."""
    with duckdb.connect() as con:
        con.register("deliveries", frame)
        return con.execute(
            "select count(*) || ':' || coalesce(sum(hash(file_hash, landing_path, received_at)), 0) "
            "from deliveries"
        ).fetchone()[0]
