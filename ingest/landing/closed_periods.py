"""Closed periods (khóa sổ): folders of the landing whose files a run takes as recorded.

A landing that lives for years is mostly periods whose reports are final, and the walk
(listing.py) lstat's every file of them at every run: a file rewritten in place changes no
folder's time, so only its own stat would show it. When the department closes a period
(`chitieu close-period 2023-2024 cuoi_nam`), the listing of its folder
(`reports/<school year>/<period>/`: every file's and folder's lstat, every file's hash) is
recorded, and from then on a run lstat's that folder's folders only and takes its files'
rows, hashes included, from the record. That relies on the landing's rule that a file,
once delivered, is never modified:

- a file added, removed or renamed anywhere in the closed folder changes a folder's times:
  the run walks the closed folder whole, loads what is new as it would in an open period,
  says so (Landed.closed_changed) and records the listing again;
- a file rewritten in place there is not seen until the period is reopened
  (`chitieu reopen-period`) or the warehouse rebuilt (a rebuild walks everything);
- a folder changed within RACY_NS of its recording is walked whole at every run until a
  later recording (as git's "racy" entries: a change in the same tick of the file
  system's clock as the recording would leave its times as recorded).

The records live in the warehouse's root (`closed_periods/`), one Parquet file each.
Closing changes no number: a rebuild from the landing folder alone gives the same marts.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ingest.config import Paths
from ingest.contract.calendar import PERIOD_ORDER
from ingest.landing import listing, walk
from ingest.landing.hash_cache import CACHE_FILE, CACHE_KEY, add_to_hash_cache, read_hash_cache
from ingest.landing.listing import FILE_SCHEMA, FOLDER_SCHEMA, Listing

CLOSED_DIR = "closed_periods"  # under the warehouse's root
RACY_NS = 2_000_000_000  # the coarsest clock of a file system a landing may sit on (FAT: 2 s)
_SEP = os.fsencode(os.sep)
_RECORD = pa.schema(
    [
        ("kind", pa.string()),  # file, folder, link
        ("relpath", pa.binary()),  # under the landing, the system's separator
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("ctime_ns", pa.int64()),
        ("inode", pa.uint64()),
        ("sha256", pa.string()),  # a file's, as the walk that recorded it hashed it
    ]
)


class ClosingError(ValueError):
    """A period that cannot be closed or reopened; the message says why, in Vietnamese."""


@dataclass
class ClosedFolder:
    folder: str  # under the landing, with '/': reports/2023-2024/cuoi_nam
    closed_at: str  # when the department closed it (ISO, UTC)
    recorded_ns: int  # when its listing was taken (the walk's start)
    record: pa.Table  # _RECORD

    def __post_init__(self) -> None:
        folders = self.record.filter(pc.equal(self.record["kind"], "folder"))
        self._folders = list(
            zip(*(folders[c].to_pylist() for c in ("relpath", "mtime_ns", "ctime_ns", "inode")), strict=True)
        )
        self.racy = any(mtime >= self.recorded_ns - RACY_NS for _, mtime, _, _ in self._folders)

    def unchanged(self, root: bytes) -> bool:
        """Whether every folder recorded is there with the times and inode recorded (and the
        recording is not racy): then no file was added, removed or renamed in any of them."""
        if self.racy or not self._folders:
            return False
        prefix = root + _SEP
        for relpath, mtime_ns, ctime_ns, inode in self._folders:
            try:
                stat = os.lstat(prefix + relpath)
            except OSError:
                return False
            if stat.st_mtime_ns != mtime_ns or stat.st_ctime_ns != ctime_ns or stat.st_ino != inode:
                return False
        return True

    def files(self, root: bytes) -> pa.Table:
        """The recorded files as listing.walk_folder lists them (FILE_SCHEMA)."""
        rows = self.record.filter(pc.equal(self.record["kind"], "file"))
        return pa.table(
            {
                "location": _located(root, rows["relpath"]),
                **{c: rows[c] for c in FILE_SCHEMA.names[1:]},
            },
            schema=FILE_SCHEMA,
        )

    def folders(self, root: bytes) -> pa.Table:
        rows = self.record.filter(pc.equal(self.record["kind"], "folder"))
        return pa.table(
            {
                "location": _located(root, rows["relpath"]),
                **{c: rows[c] for c in FOLDER_SCHEMA.names[1:]},
            },
            schema=FOLDER_SCHEMA,
        )

    def hash_rows(self) -> pa.Table:
        """The recorded files as the hash cache keeps them (hash_cache.CACHE_KEY, sha256)."""
        rows = self.record.filter(
            pc.and_(pc.equal(self.record["kind"], "file"), pc.is_valid(self.record["sha256"]))
        )
        relpath = rows["relpath"]
        if os.sep != "/":
            relpath = pc.replace_substring(relpath, _SEP, b"/")
        return pa.table({"relpath": relpath, **{c: rows[c] for c in (*CACHE_KEY[1:], "sha256")}})

    def links(self, root: bytes) -> list[bytes]:
        rows = self.record.filter(pc.equal(self.record["kind"], "link"))
        return [root + _SEP + relpath for relpath in rows["relpath"].to_pylist()]


def _located(root: bytes, relpaths: pa.ChunkedArray) -> pa.ChunkedArray:
    """root/relpath for each relpath, on the column."""
    return pc.binary_join_element_wise(
        pa.scalar(root + _SEP, pa.binary()), relpaths, pa.scalar(b"", pa.binary())
    )


class ClosedFolders:
    """The closed folders of one warehouse, by path under the landing (bytes, as listing.py
    meets them), and where their records are kept."""

    def __init__(self, directory: Path, records: list[ClosedFolder]) -> None:
        self.directory = directory
        self.by_path = {listing.native(r.folder): r for r in records}

    def __bool__(self) -> bool:
        return bool(self.by_path)

    def get(self, relpath: bytes) -> ClosedFolder | None:
        return self.by_path.get(relpath)

    def as_hash_cache(self, folders: list[str], known: pa.Table | None) -> pa.Table | None:
        """The hash cache `known` with the files of `folders`' records (walk.walk_landing:
        a closed folder walked whole finds its files' hashes there, not in the cache)."""
        parts = [] if known is None else [known]
        parts += [self.by_path[listing.native(f)].hash_rows() for f in folders]
        return pa.concat_tables(parts) if parts else None

    def record_again(self, root: bytes, found: Listing, started_ns: int, sha256: pa.Array) -> None:
        """The closed folders this walk listed whole: their listings as this walk saw them
        (`sha256`: the hashes of found.files)."""
        for folder in found.closed_walked:
            closed = self.by_path[listing.native(folder)]
            self._write(_from_listing(root, folder, closed.closed_at, started_ns, found, sha256))

    def _write(self, closed: ClosedFolder) -> None:
        import pyarrow.parquet as pq

        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / _file_name(closed.folder)
        tmp = path.with_name(f".{path.name}.tmp")
        metadata = {
            "folder": closed.folder,
            "closed_at": closed.closed_at,
            "recorded_ns": str(closed.recorded_ns),
        }
        pq.write_table(closed.record.replace_schema_metadata(metadata), tmp)
        os.replace(tmp, path)
        self.by_path[listing.native(closed.folder)] = closed


def _file_name(folder: str) -> str:
    return folder.replace("/", "__") + ".parquet"


def closed_folders(paths: Paths) -> ClosedFolders:
    """The warehouse's closed folders. A record that cannot be read is left out: its folder
    is walked as an open one (a lost record only costs time)."""
    import pyarrow.parquet as pq

    directory = paths.root / CLOSED_DIR
    records = []
    for path in sorted(directory.glob("*.parquet")) if directory.is_dir() else []:
        try:
            table = pq.read_table(path)
            if "sha256" not in table.column_names:  # recorded before records kept hashes
                table = table.append_column("sha256", pa.nulls(table.num_rows, pa.string()))
            meta = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
            records.append(
                ClosedFolder(meta["folder"], meta["closed_at"], int(meta["recorded_ns"]), table.cast(_RECORD))
            )
        except Exception:  # noqa: BLE001,S112 - a damaged record: the folder is walked whole
            continue
    return ClosedFolders(directory, records)


def period_folder(school_year: str, period: str) -> str:
    """The landing folder of a period's reports, as the template lays it out."""
    match = re.fullmatch(r"(\d{4})-(\d{4})", school_year)
    if not match or int(match[2]) != int(match[1]) + 1:
        raise ClosingError(f"Năm học «{school_year}» không hợp lệ: ghi dạng 2023-2024.")
    if period not in PERIOD_ORDER:
        raise ClosingError(f"Kỳ báo cáo «{period}» không hợp lệ: dùng một trong {', '.join(PERIOD_ORDER)}.")
    return f"reports/{school_year}/{period}"


def close_period(paths: Paths, school_year: str, period: str) -> ClosedFolder:
    """Close a period: record the listing of its landing folder (listing.walk_folder)."""
    folder = period_folder(school_year, period)
    where = paths.landing / folder
    if not where.is_dir() or where.is_symlink():
        raise ClosingError(
            f"Không có thư mục {where}: kỳ {period} năm học {school_year} chưa có báo cáo nào."
        )
    closed = closed_folders(paths)
    root = os.fsencode(paths.landing)
    started = time.time_ns()
    found = listing.walk_folder(root, os.fsencode(where))
    files = found.files.append_column(
        "relpath_bytes", pc.binary_slice(found.files["location"], len(root) + 1, 1 << 30)
    )
    sha256, _ = walk.hashes(files, read_hash_cache(paths.root / CACHE_FILE))
    at = datetime.now(UTC).isoformat(timespec="seconds")
    record = _from_listing(root, folder, at, started, found, sha256)
    closed._write(record)
    return record


def reopen_period(paths: Paths, school_year: str, period: str) -> bool:
    """Reopen a closed period: its folder is walked file by file again. False: not closed."""
    folder = period_folder(school_year, period)
    path = paths.root / CLOSED_DIR / _file_name(folder)
    if not path.exists():
        return False
    record = closed_folders(paths).get(listing.native(folder))
    if record is not None:  # its files' hashes go back to the hash cache: none is read again
        add_to_hash_cache(paths.root / CACHE_FILE, record.hash_rows())
    path.unlink()
    return True


def _from_listing(
    root: bytes, folder: str, closed_at: str, started_ns: int, found: Listing, sha256: pa.Array
) -> ClosedFolder:
    """The record of `folder` out of a walk's listing (which may cover more than it)."""
    top = root + _SEP + listing.native(folder)
    cut = len(root) + 1

    def under(locations: pa.ChunkedArray | pa.Array) -> pa.Array:
        return pc.or_(pc.equal(locations, pa.scalar(top, pa.binary())), pc.starts_with(locations, top + _SEP))

    def relative(locations) -> pa.Array:
        return pc.binary_slice(locations, cut, 1 << 30)

    inside = under(found.files["location"])
    files = found.files.set_column(found.files.schema.get_field_index("sha256"), "sha256", sha256).filter(
        inside
    )
    folders = found.folders.filter(under(found.folders["location"]))
    links = [link for link in found.links if link.startswith(top + _SEP)]
    parts = [
        pa.table(
            {
                "kind": pa.array(["file"] * files.num_rows, pa.string()),
                "relpath": relative(files["location"]),
                **{c: files[c] for c in ("size", "mtime_ns", "ctime_ns", "inode", "sha256")},
            }
        ),
        pa.table(
            {
                "kind": pa.array(["folder"] * folders.num_rows, pa.string()),
                "relpath": relative(folders["location"]),
                "size": pa.nulls(folders.num_rows, pa.int64()),
                **{c: folders[c] for c in ("mtime_ns", "ctime_ns", "inode")},
                "sha256": pa.nulls(folders.num_rows, pa.string()),
            }
        ),
        pa.table(
            {
                "kind": pa.array(["link"] * len(links), pa.string()),
                "relpath": pa.array([link[cut:] for link in links], pa.binary()),
                "size": pa.nulls(len(links), pa.int64()),
                "mtime_ns": pa.nulls(len(links), pa.int64()),
                "ctime_ns": pa.nulls(len(links), pa.int64()),
                "inode": pa.nulls(len(links), pa.uint64()),
                "sha256": pa.nulls(len(links), pa.string()),
            }
        ),
    ]
    record = pa.concat_tables([p.cast(_RECORD) for p in parts]).combine_chunks()
    return ClosedFolder(folder, closed_at, started_ns, record)
