"""List a folder of the landing: every file's and folder's lstat, breadth first.

The one step of a run that costs a Python step per file (walk.py does the rest on Arrow
columns): scandir and lstat, links listed and never followed, any name as bytes. A closed
period's folder (closed_periods.py) is checked, folder by folder, instead of listed.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    from ingest.landing import closed_periods

IGNORED_PREFIXES = ("~$", ".~lock", ".")  # Excel lock files and editor leftovers
_SEP = os.fsencode(os.sep)
_FS_ENCODING = sys.getfilesystemencoding()  # names as os.fsencode gives them, without its checks


@dataclass
class Listing:
    """What a walk found: the regular files with their lstat (Arrow columns), the symbolic
    links' paths, every folder's lstat (taken before the folder was listed), whether
    `on_changed` was called, and the closed folders listed whole (changed since recorded,
    or recorded too close to a change to tell)."""

    files: pa.Table
    links: list[bytes]
    folders: pa.Table
    called: bool = False
    closed_walked: list[str] = field(default_factory=list)


def walk_folder(
    root: bytes,
    start: bytes,
    since_ns: int | None = None,
    on_changed: Callable[[], None] | None = None,
    closed: closed_periods.ClosedFolders | None = None,
) -> Listing:
    """The files, links and folders under `start` (a folder under the landing `root`, or
    `root` itself). Links — to a file, to a folder, inside the folder or out of it — are
    listed, never followed: nothing outside the landing folder is ever read. Bytes, not
    text: any name is a name.

    Breadth first: every folder is met in its parent's listing before any file deeper
    down is read, so a folder changed since `since_ns` (a file added, renamed or removed
    there; None: no walk before) calls `on_changed` early in the walk. A file rewritten in
    place changes no folder: the hashing finds it (walk_landing). A folder of `closed`
    none of whose folders changed since it was recorded is not listed: its record's rows
    stand for it."""

    def changed(stat: os.stat_result) -> bool:
        return since_ns is None or stat.st_mtime_ns >= since_ns

    closed = closed if closed is not None else {}
    cut = len(root) + 1
    paths, sizes, mtimes, ctimes, inodes, links = [], [], [], [], [], []
    folder_stats: list[tuple[bytes, int, int, int]] = []
    recorded: list[tuple[pa.Table, pa.Table]] = []  # the closed folders taken as recorded
    closed_walked: list[str] = []
    folders, called = deque([start]), False
    stat = os.lstat(start)
    folder_stats.append((start, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
    if on_changed is not None and changed(stat):
        called = True
        on_changed()
    while folders:
        folder = folders.popleft()
        prefix = folder + _SEP
        record = closed.get(folder[cut:])
        if record is not None:
            if record.unchanged(root):
                recorded.append((record.files(root), record.folders(root)))
                links.extend(record.links(root))
                continue
            closed_walked.append(record.folder)
        with _listing(folder) as listing:
            for entry in listing:
                name = entry.name
                if entry.is_file(follow_symlinks=False):  # most entries: tested first
                    if name.startswith(IGNORED_PREFIXES):
                        continue
                    stat = entry.stat(follow_symlinks=False)
                    paths.append(prefix + name.encode(_FS_ENCODING, "surrogateescape"))
                    sizes.append(stat.st_size)
                    mtimes.append(stat.st_mtime_ns)
                    ctimes.append(stat.st_ctime_ns)
                    inodes.append(stat.st_ino)
                elif entry.is_dir(follow_symlinks=False):
                    path = prefix + os.fsencode(name)
                    folders.append(path)
                    stat = entry.stat(follow_symlinks=False)
                    folder_stats.append((path, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
                    if not called and on_changed is not None and changed(stat):
                        called = True
                        on_changed()
                elif name.startswith(IGNORED_PREFIXES):
                    continue
                elif entry.is_symlink():
                    links.append(prefix + os.fsencode(name))
                # sockets, pipes, devices: skipped
    files = pa.table(
        {
            "location": pa.array(paths, pa.binary()),
            "size": pa.array(sizes, pa.int64()),
            "mtime_ns": pa.array(mtimes, pa.int64()),
            "ctime_ns": pa.array(ctimes, pa.int64()),
            "inode": pa.array(inodes, pa.uint64()),
            "sha256": pa.nulls(len(paths), pa.string()),  # hashed later (walk.py)
        },
        schema=FILE_SCHEMA,
    )
    paths, mtimes, ctimes, inodes = zip(*folder_stats, strict=True)
    folders_found = pa.table(
        {
            "location": pa.array(paths, pa.binary()),
            "mtime_ns": pa.array(mtimes, pa.int64()),
            "ctime_ns": pa.array(ctimes, pa.int64()),
            "inode": pa.array(inodes, pa.uint64()),
        },
        schema=FOLDER_SCHEMA,
    )
    if recorded:
        files = pa.concat_tables([files, *(f for f, _ in recorded)])
        folders_found = pa.concat_tables([folders_found, *(d for _, d in recorded)])
    return Listing(files, links, folders_found, called, closed_walked)


FILE_SCHEMA = pa.schema(
    [
        ("location", pa.binary()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("ctime_ns", pa.int64()),
        ("inode", pa.uint64()),
        ("sha256", pa.string()),  # the record's, for a closed folder's file; else null
    ]
)
FOLDER_SCHEMA = pa.schema(
    [("location", pa.binary()), ("mtime_ns", pa.int64()), ("ctime_ns", pa.int64()), ("inode", pa.uint64())]
)


@contextmanager
def _listing(folder: bytes) -> Iterator[Iterator[os.DirEntry]]:
    """The entries of `folder`, listed through its descriptor: each entry's lstat is then
    an fstatat of its name, with no lookup of the whole path (measured: 6 % off a walk of
    257,000 files). Names come as text (surrogate escapes for bytes that are not UTF-8)."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        with os.scandir(descriptor) as listing:
            yield listing
    finally:
        os.close(descriptor)


def native(folder: str) -> bytes:
    """A folder under the landing ('/'-separated text) as walk_folder meets it."""
    return os.fsencode(folder.replace("/", os.sep))
