"""Walk the landing folder into columns, and hash only what was not hashed before.

A landing that lived for years holds hundreds of thousands of files, and a run walks every
file of an open period (a file changed in place changes no folder's time: only its own
stat says so); a closed period's files come from its record (closed_periods.py). The walk
keeps one Python step per file — scandir and lstat, in listing.py — and does the rest on
Arrow columns: matching the hash cache, the times, the folder kinds. A run makes an
Arrival (a Python tuple) only for the files it will open or report on (`Landed.arrivals`).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.landing import arrivals as a
from ingest.landing.arrivals import Arrival, display_name, file_sha256, link_hash
from ingest.landing.hash_cache import CACHE_KEY, last_walk, mark_walked, read_hash_cache, update_hash_cache
from ingest.landing.listing import native, walk_folder

if TYPE_CHECKING:
    from ingest.landing import closed_periods

_SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("location", pa.binary()),  # the real path, as the file system's bytes
        ("relpath", pa.string()),  # display_name of the path under the landing folder
        ("sha256", pa.string()),
        ("size", pa.int64()),
        ("received_at", pa.timestamp("us")),  # naive UTC
        ("link_to", pa.string()),
    ]
)


class Landed:
    """Every file under the landing folder, one row each (columns: `_SCHEMA`); and the
    closed folders a file was added to, removed from or renamed in since they were closed
    (walked whole this time: closed_periods.py)."""

    def __init__(self, table: pa.Table, closed_changed: tuple[str, ...] = ()) -> None:
        self.table = table
        self.closed_changed = closed_changed

    def __len__(self) -> int:
        return self.table.num_rows

    def of_kinds(self, kinds: tuple[str, ...]) -> pa.ChunkedArray:
        """Which rows are of `kinds` (a mask)."""
        return pc.is_in(self.table["kind"], pa.array(kinds, pa.string()))

    def arrivals(self) -> list[Arrival]:
        """All of them as Arrivals, in a stable order (kind, then path)."""
        return to_arrivals(self.table)


def to_arrivals(table: pa.Table) -> list[Arrival]:
    """Rows of a Landed table as Arrivals, ordered by kind (KINDS, then none) and path."""
    columns = table.to_pydict()
    rows = zip(*(columns[c] for c in _SCHEMA.names), strict=True)
    made = [
        Arrival(kind, Path(os.fsdecode(loc)) if link else os.fsdecode(loc), rel, sha, size, at, link)
        for kind, loc, rel, sha, size, at, link in rows
    ]
    order = {k: i for i, k in enumerate((*a.KINDS, ""))}
    return sorted(made, key=lambda x: (order[x.kind], x.relpath, str(x.location)))


def discover(
    landing: Path,
    hash_cache: Path | None = None,
    on_unknown: Callable[[], None] | None = None,
    closed: closed_periods.ClosedFolders | None = None,
) -> list[Arrival]:
    """Every file under the landing folder as Arrivals (kind, then path): walk_landing's rows."""
    return walk_landing(landing, hash_cache, on_unknown, closed).arrivals()


def walk_landing(
    landing: Path,
    hash_cache: Path | None = None,
    on_unknown: Callable[[], None] | None = None,
    closed: closed_periods.ClosedFolders | None = None,
) -> Landed:
    """Every file under the landing folder, hashed.

    With `hash_cache`, a file unchanged since it was last hashed (same path, size,
    modification and change times, inode — as git's index) is not read again. Symbolic
    links are listed, never followed (their identity is link_hash: the run refuses them).
    `on_unknown` is called once, as soon as the walk sees something new: a folder changed
    since the last walk, or else a file not hashed before (the run starts its parsing
    worker then: a run with nothing new starts none). `closed`: the closed folders
    (closed_periods.py), whose files are taken as recorded while none of their folders
    changed. No cycle collection meanwhile: none of the objects made can be in a cycle,
    and scanning them costs a tenth of the walk."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _walk_landing(landing, hash_cache, on_unknown, closed)
    finally:
        if enabled:
            gc.enable()


def _walk_landing(
    landing: Path,
    hash_cache: Path | None,
    on_unknown: Callable[[], None] | None,
    closed: closed_periods.ClosedFolders | None,
) -> Landed:
    if not landing.exists():
        return Landed(_SCHEMA.empty_table())
    started = time.time_ns()
    root = os.fsencode(landing)
    listing = walk_folder(root, root, last_walk(hash_cache), on_unknown, closed)
    files, links, called = listing.files, listing.links, listing.called
    rel = pc.binary_slice(files["location"], len(root) + 1, 1 << 30)
    if os.sep != "/":
        rel = pc.replace_substring(rel, os.fsencode(os.sep), b"/")
    files = files.append_column("relpath_bytes", rel)
    known = read_hash_cache(hash_cache)
    if closed is not None and listing.closed_walked:  # their old records know their files
        known = closed.as_hash_cache(listing.closed_walked, known)
    sha256, added = hashes(files, known, None if called else on_unknown)
    if hash_cache is not None:
        # the cache keeps the files of open periods: a closed period's record carries its own
        looked_up = files["sha256"].is_null()
        update_hash_cache(
            hash_cache, known, files.filter(looked_up), sha256.filter(looked_up), added.filter(looked_up)
        )
        if called or pc.any(added).as_py():
            mark_walked(hash_cache, started)
    table = pa.table(
        {
            "kind": _kinds(rel),
            "location": files["location"],
            "relpath": _display(rel),
            "sha256": sha256,
            "size": files["size"],
            "received_at": _utc_micros(files["mtime_ns"]),
            "link_to": pa.nulls(files.num_rows, pa.string()),
        },
        schema=_SCHEMA,
    )
    if links:
        table = pa.concat_tables([table, _links(root, links)])
    changed = ()
    if closed is not None and listing.closed_walked:
        changed = tuple(f for f in listing.closed_walked if not closed.get(native(f)).racy)
        closed.record_again(root, listing, started, sha256)
    return Landed(table, changed)


def hashes(
    files: pa.Table, known: pa.Table | None, on_unknown=None
) -> tuple[pa.ChunkedArray, pa.BooleanArray]:
    """Each file's SHA-256: the one it carries (a closed folder's record), else the cache's
    where its key matches, else read from the file; and which were read. Arrow throughout:
    no Python object for a file the cache knows, and a record's hashes are not copied (a
    chunk that carries all of its hashes is kept as it is)."""
    count = files.num_rows
    carried = files["sha256"]
    need = carried.is_null().to_numpy(zero_copy_only=False)
    lookup = np.flatnonzero(need)  # the rows that carry none
    position = np.full(count, -1, dtype=np.int64)  # row of the file's match in `matched`
    matched = pa.array([], pa.string())
    if known is not None and known.num_rows and len(lookup):
        rows = pa.array(lookup, pa.int64())
        keys = pa.table(
            {
                "relpath": files["relpath_bytes"].take(rows),
                **{c: files[c].take(rows) for c in CACHE_KEY[1:]},
                "row": rows,
            }
        )
        joined = keys.join(known, keys=CACHE_KEY, join_type="inner")
        position[joined["row"].to_numpy()] = np.arange(joined.num_rows, dtype=np.int64)
        matched = joined["sha256"].combine_chunks()
    missing = (position < 0) & need
    todo = np.flatnonzero(missing)
    if len(todo) and on_unknown is not None:
        on_unknown()
    locations = files["location"]
    read = {int(row): file_sha256(Path(os.fsdecode(locations[int(row)].as_py()))) for row in todo}
    chunks, start = [], 0
    for chunk in carried.chunks:
        end = start + len(chunk)
        if chunk.null_count:
            here = position[start:end]
            found = pc.coalesce(chunk, matched.take(pa.array(here, mask=here < 0)))
            if missing[start:end].any():
                texts = [read.get(row) for row in range(start, end) if missing[row]]
                found = pc.replace_with_mask(
                    found, pa.array(missing[start:end]), pa.array(texts, pa.string())
                )
            chunk = found
        chunks.append(chunk)
        start = end
    return pa.chunked_array(chunks, pa.string()), pa.array(missing)


def _kinds(rel: pa.Array) -> pa.Array:
    """The kind folder a path is in ("" outside them: the run reports it as misplaced)."""
    kind = pa.array([""] * len(rel), pa.string())
    for name in a.KINDS:
        kind = pc.if_else(pc.starts_with(rel, name.encode() + b"/"), name, kind)
    return kind


def _display(rel: pa.Array) -> pa.Array:
    """The paths as text: UTF-8 as it is, other bytes through display_name (rare)."""
    try:
        return rel.cast(pa.string())
    except pa.ArrowInvalid:
        return pa.array([display_name(os.fsdecode(r)) for r in rel.to_pylist()], pa.string())


def _utc_micros(mtime_ns: pa.Array) -> pa.Array:
    """Modification times as naive UTC timestamps, to the microsecond exactly as
    datetime.utcfromtimestamp(st_mtime) rounds them (half to even, from the float
    seconds): the warehouse's received_at must not move by a microsecond between versions."""
    ns = mtime_ns.to_numpy()
    seconds = (ns // 1_000_000_000).astype(np.float64) + (ns % 1_000_000_000).astype(np.float64) * 1e-9
    frac, whole = np.modf(seconds)
    micros = np.rint(frac * 1e6)
    carry = micros >= 1e6
    micros[carry] -= 1e6
    whole[carry] += 1
    return pa.array(whole.astype(np.int64) * 1_000_000 + micros.astype(np.int64), pa.timestamp("us"))


def _links(root: bytes, links: list[bytes]) -> pa.Table:
    from datetime import datetime

    cut = len(root) + 1
    rows = []
    for path in links:
        rel = os.fsdecode(path[cut:]).replace(os.sep, "/")
        target = os.readlink(path)
        stat = os.lstat(path)
        kind_top, _, rest = rel.partition("/")
        kind = kind_top if rest and kind_top in a.KINDS else ""
        rows.append(
            {
                "kind": kind,
                "location": path,
                "relpath": display_name(rel),
                "sha256": link_hash(rel, os.fsdecode(target)),
                "size": 0,
                "received_at": datetime.utcfromtimestamp(stat.st_mtime),
                "link_to": display_name(os.fsdecode(target)),
            }
        )
    return pa.Table.from_pylist(rows, schema=_SCHEMA)
