"""What in the landing folder is new: arrivals whose content the ledger has not seen.

A file is known by its content hash. A content already loaded (a retry, the same file in
another folder) is recorded as a delivery in raw.deliveries and never loaded again.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pyarrow as pa

from ingest.config import Paths
from ingest.landing.arrivals import Arrival, discover
from ingest.load import warehouse

HASH_CACHE = "landing_hashes.parquet"  # landing.discover's memory of what it has hashed


def known_hashes(paths: Paths) -> set[str]:
    if not paths.warehouse.exists():
        return set()
    with warehouse.connect(paths.warehouse, read_only=True) as con:
        try:
            return warehouse.known_hashes(con)
        except duckdb.CatalogException:
            return set()


def landed(paths: Paths, on_unknown: Callable[[], None] | None = None) -> list[Arrival]:
    """Everything in the landing folder (hashed once, cached by path, size and times);
    `on_unknown`: see arrivals.discover."""
    return discover(paths.landing, paths.root / HASH_CACHE, on_unknown)


def new_arrivals(
    paths: Paths,
    kinds: tuple[str, ...],
    arrived: list[Arrival] | None = None,
    in_ledger: set[str] | None = None,
) -> tuple[list[Arrival], int]:
    """Arrivals of `kinds` not in the ledger (first copy of each content), in the order they
    arrived, and how many were known. A known content delivered again (a retry, a copy in
    another folder) is only noted in raw.deliveries. `in_ledger`: the ledger's hashes, when
    the caller has read them (a national ledger takes 0.3-0.5 s to read)."""
    known = known_hashes(paths) if in_ledger is None else in_ledger
    fresh, seen = [], set()
    arrivals = [a for a in (landed(paths) if arrived is None else arrived) if a.kind in kinds]
    again = [a for a in arrivals if a.sha256 in known]
    # in the order of arrival: of two copies of one new content, the first is loaded
    unknown = [a for a in arrivals if a.sha256 not in known]
    for arrival in sorted(unknown, key=lambda a: (a.received_at, a.relpath)):
        if arrival.sha256 in seen:
            again.append(arrival)
            continue
        seen.add(arrival.sha256)
        fresh.append(arrival)
    _record_deliveries(paths, again)
    return fresh, len(again)


def _record_deliveries(paths: Paths, arrivals: list[Arrival]) -> None:
    """Deliveries of contents already received: kept for the record, loaded never again."""
    if not arrivals or not paths.warehouse.exists():
        return
    frame = pa.table(  # Arrow, not pandas: a national landing's every file, at each run
        {
            "file_hash": pa.array([a.sha256 for a in arrivals], pa.string()),
            "landing_path": pa.array([a.relpath for a in arrivals], pa.string()),
            "received_at": pa.array([a.received_at for a in arrivals], pa.timestamp("us")),
        }
    )
    with warehouse.connect(paths.warehouse) as con:
        warehouse.record_deliveries(con, frame)
