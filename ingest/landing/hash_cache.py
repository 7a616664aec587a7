"""The landing walk's memory: each file's SHA-256 by its path, size, modification and change
times and inode (as git's index), so a file that has not changed is never read again.

A Parquet file beside the warehouse, and deltas beside it for runs that hashed a few
files. Best effort: a lost or damaged cache only costs hashing again.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

CACHE_FILE = "landing_hashes.parquet"  # in the warehouse's root
CACHE_KEY = ["relpath", "size", "mtime_ns", "ctime_ns", "inode"]
MAX_CACHE_DELTAS = 24  # then the cache is written whole again (as when a tenth is stale)


def last_walk(path: Path | None) -> int | None:
    """When the last walk that saw something new started (ns), if there was one: the cache's
    modification time, which mark_walked sets."""
    try:
        return path.stat().st_mtime_ns if path is not None else None
    except OSError:
        return None


def mark_walked(path: Path, started_ns: int) -> None:
    """The walk that started at `started_ns` has seen every folder changed before it: the
    next walk warms the run's worker up only for a folder changed since (listing.walk_folder)."""
    with suppress(OSError):
        os.utime(path, ns=(started_ns, started_ns))


def deltas(path: Path) -> list[Path]:
    """The cache's later parts: what runs hashed since it was last written whole."""
    return sorted(path.parent.glob(f"{path.stem}.delta-*.parquet"))


def read_hash_cache(path: Path | None) -> pa.Table | None:
    import pyarrow.parquet as pq

    if path is None or not path.exists():
        return None
    try:
        parts = [pq.read_table(part) for part in [path, *deltas(path)]]
        if any(p.schema.field("relpath").type != pa.binary() for p in parts):
            return None  # an older cache (names as text): hash everything once
        cache = pa.concat_tables([p.select([*CACHE_KEY, "sha256"]).cast(_cache_schema()) for p in parts])
    except Exception:  # noqa: BLE001 - a damaged cache is only a cache: hash everything again
        return None
    return cache


def _cache_schema() -> pa.Schema:
    return pa.schema(
        [
            ("relpath", pa.binary()),
            ("size", pa.int64()),
            ("mtime_ns", pa.int64()),
            ("ctime_ns", pa.int64()),
            ("inode", pa.uint64()),
            ("sha256", pa.string()),
        ]
    )


def update_hash_cache(
    path: Path, known: pa.Table | None, files: pa.Table, sha256: pa.Array, added: pa.BooleanArray
) -> None:
    """Keep what this walk hashed. A run that brought a few files writes them alone (a
    delta beside the cache: rewriting the whole cache of a national landing costs ≈ 0.35 s
    a run); the cache is written whole when it has none yet, too many deltas, or when more
    than a tenth of it names files no longer there. Best effort: a lost cache only costs
    hashing again."""
    seen = pa.table(
        {"relpath": files["relpath_bytes"], **{c: files[c] for c in CACHE_KEY[1:]}, "sha256": sha256}
    ).cast(_cache_schema())
    new = pc.sum(added).as_py() or 0
    known_rows = known.num_rows if known is not None else 0
    stale = known_rows - (seen.num_rows - new)
    if not new and stale * 10 <= seen.num_rows:
        return
    parts = deltas(path)
    if path.exists() and known_rows and len(parts) < MAX_CACHE_DELTAS and stale * 10 <= seen.num_rows:
        last = int(parts[-1].stem.rsplit("-", 1)[1]) if parts else 0
        _write_parquet(path.with_name(f"{path.stem}.delta-{last + 1:04d}.parquet"), seen.filter(added))
        return
    if _write_parquet(path, seen):
        for delta in parts:
            delta.unlink(missing_ok=True)


def add_to_hash_cache(path: Path, rows: pa.Table) -> None:
    """Rows (CACHE_KEY and sha256) the cache did not hold, as a delta: a closed period's
    files when it is reopened, so that none is read again."""
    parts = deltas(path)
    last = int(parts[-1].stem.rsplit("-", 1)[1]) if parts else 0
    _write_parquet(path.with_name(f"{path.stem}.delta-{last + 1:04d}.parquet"), rows.cast(_cache_schema()))


def _write_parquet(path: Path, table: pa.Table) -> bool:
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, tmp)
        tmp.replace(path)
        return True
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
