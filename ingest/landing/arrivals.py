"""Find what arrived in the landing folder, hash it, and refuse what is misplaced.

Layout (SUBMISSION_TEMPLATE.md): reports/ (school workbooks, any subfolders), census/,
targets/, registry/. A file is identified by the SHA-256 of its bytes: its name carries
no meaning and is never used to build a path.
"""

from __future__ import annotations

import gc
import hashlib
import os
import unicodedata
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from ingest.contract.template import CENSUS, GENERAL, REGISTRY, TARGETS
from ingest.read.archive import open_workbook, sniff
from ingest.read.reference import csv_rows, decode_text
from ingest.read.text import match_key
from ingest.validate import findings as f
from ingest.validate.findings import Finding

KINDS = ("registry", "census", "targets", "reports")
FOLDER_LABELS = {
    "reports": "reports/ (báo cáo của trường)",
    "census": "census/ (điều tra PCGD)",
    "targets": "targets/ (biểu giao chỉ tiêu)",
    "registry": "registry/ (danh mục trường)",
}
_IGNORED_PREFIXES = ("~$", ".~lock", ".")


class Arrival(NamedTuple):
    """One file in the landing folder (a tuple: a national landing holds hundreds of
    thousands of them, and a run makes one for each)."""

    kind: str  # the folder it arrived in: reports / census / targets / registry / "" (none)
    location: str | Path  # the real path (its name may not be text: see display_name)
    relpath: str  # path under the landing folder as text, metadata only (display_name)
    sha256: str
    size: int
    received_at: datetime  # the file's modification time (UTC): when it was delivered
    link_to: str | None = None  # a symbolic link: where it points (it is never followed)

    @property
    def path(self) -> Path:
        """The file on disk (made when asked: most arrivals of a run are known and never opened)."""
        return Path(self.location)


def display_name(rel: str) -> str:
    """A landing path as text, whatever bytes the name is made of: names that are not UTF-8
    (Python keeps their bytes as surrogates) are read as Windows-1258, the encoding of
    Vietnamese Windows, and normalised to NFC."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        raw = os.fsencode(rel)
        return unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(landing: str) -> Iterator[tuple[str, str, bool, os.stat_result]]:
    """(path, name, is_link, lstat) of every regular file and every symbolic link under
    `landing`. Links — to a file, to a folder, inside the folder or out of it — are listed,
    never followed: nothing outside the landing folder is ever read. Strings and scandir,
    not pathlib: a national landing holds 43,000 files."""
    folders = [landing]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_symlink():
                    yield entry.path, entry.name, True, entry.stat(follow_symlinks=False)
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.is_file(follow_symlinks=False):  # sockets, pipes, devices: skipped
                    yield entry.path, entry.name, False, entry.stat(follow_symlinks=False)


def link_hash(rel: str, target: str) -> str:
    """The identity of a symbolic link: its place and where it points (its target is never
    read)."""
    return hashlib.sha256(b"symlink\0" + os.fsencode(rel) + b"\0" + os.fsencode(target)).hexdigest()


LARGE_LANDING = 10_000  # files: a walk this long is likely to find new ones (see discover)


def discover(
    landing: Path, hash_cache: Path | None = None, on_unknown: Callable[[], None] | None = None
) -> list[Arrival]:
    """Every file under the landing folder, in a stable order (kind, then path).

    With `hash_cache`, a file unchanged since it was last hashed (same path, size,
    modification and change times, inode — as git's index) is not read again. Symbolic
    links become arrivals that are refused (link_to is set); regular files only are read.
    `on_unknown` is called once, at the first file not hashed before — or after
    LARGE_LANDING files, where waiting for one could cost most of a long walk (the run
    starts its parsing worker then). No cycle collection meanwhile: none of the tuples made
    can be in a cycle, and scanning them cost 0.6 s of a 2.7 s walk of 257,000 files."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _discover(landing, hash_cache, on_unknown)
    finally:
        if enabled:
            gc.enable()


def _discover(
    landing: Path, hash_cache: Path | None = None, on_unknown: Callable[[], None] | None = None
) -> list[Arrival]:
    arrivals = []
    if not landing.exists():
        return arrivals
    known = _read_hash_cache(hash_cache)
    seen = {}
    root = str(landing)
    cut = len(root) + 1
    # the file's time in UTC, naive; the same value as fromtimestamp(t, UTC) without its
    # tzinfo in one call (Python is pinned to 3.11, where it is not deprecated)
    utc = datetime.utcfromtimestamp
    for walked, (path, name, is_link, stat) in enumerate(_walk(root)):
        if on_unknown is not None and walked == LARGE_LANDING:
            on_unknown, call = None, on_unknown
            call()
        if name.startswith(_IGNORED_PREFIXES):
            continue  # Excel lock files and editor leftovers
        rel = path[cut:] if os.sep == "/" else path[cut:].replace(os.sep, "/")
        shown = rel if rel.isascii() else display_name(rel)
        top, _, rest = rel.partition("/")
        kind = top if rest and top in KINDS else ""
        if is_link:
            target = os.readlink(path)
            arrivals.append(
                Arrival(
                    kind,
                    Path(path),
                    shown,
                    link_hash(rel, target),
                    0,
                    utc(stat.st_mtime),
                    link_to=display_name(target),
                )
            )
            continue
        key = (os.fsencode(rel), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        digest = known.get(key)
        if digest is None:
            if on_unknown is not None:
                on_unknown, call = None, on_unknown
                call()
            digest = file_sha256(path)
        seen[key] = digest
        arrivals.append(Arrival(kind, path, shown, digest, stat.st_size, utc(stat.st_mtime)))
    if hash_cache is not None:
        _update_hash_cache(hash_cache, known, seen)
    order = {k: i for i, k in enumerate((*KINDS, ""))}
    return sorted(arrivals, key=lambda a: (order[a.kind], a.relpath, str(a.location)))


_CACHE_KEY = ["relpath", "size", "mtime_ns", "ctime_ns", "inode"]
MAX_CACHE_DELTAS = 24  # then the cache is written whole again (as when a tenth is stale)


def _deltas(path: Path) -> list[Path]:
    """The cache's later parts: what runs hashed since it was last written whole."""
    return sorted(path.parent.glob(f"{path.stem}.delta-*.parquet"))


def _read_hash_cache(path: Path | None) -> dict[tuple, str]:
    import pyarrow.parquet as pq

    if path is None or not path.exists():
        return {}
    cache: dict[tuple, str] = {}
    try:
        for part in [path, *_deltas(path)]:
            columns = pq.read_table(part).to_pydict()
            keys = zip(*(columns[c] for c in _CACHE_KEY), strict=True)
            cache.update(zip(keys, columns["sha256"], strict=True))
    except Exception:  # noqa: BLE001 - a damaged cache is only a cache: hash everything again
        return {}
    if cache and not isinstance(next(iter(cache))[0], bytes):
        return {}  # an older cache (names as text): hash everything once
    return cache


def _update_hash_cache(path: Path, known: dict[tuple, str], seen: dict[tuple, str]) -> None:
    """Keep what this walk hashed. A run that brought a few files writes them alone (a
    delta beside the cache: rewriting the whole cache of a national landing costs ≈ 0.35 s
    a run); the cache is written whole when it has none yet, too many deltas, or when more
    than a tenth of it names files no longer there. Best effort: a lost cache only costs
    hashing again."""
    added = {k: v for k, v in seen.items() if k not in known}
    stale = len(known) - (len(seen) - len(added))
    if not added and stale * 10 <= len(seen):
        return
    deltas = _deltas(path)
    if path.exists() and known and len(deltas) < MAX_CACHE_DELTAS and stale * 10 <= len(seen):
        last = int(deltas[-1].stem.rsplit("-", 1)[1]) if deltas else 0
        _write_parquet(path.with_name(f"{path.stem}.delta-{last + 1:04d}.parquet"), added)
        return
    if _write_parquet(path, seen):
        for delta in deltas:
            delta.unlink(missing_ok=True)


def _write_parquet(path: Path, hashes: dict[tuple, str]) -> bool:
    import pandas as pd

    frame = pd.DataFrame(list(hashes), columns=_CACHE_KEY).assign(sha256=list(hashes.values()))
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(tmp, index=False)
        tmp.replace(path)
        return True
    except OSError:
        tmp.unlink(missing_ok=True)
        return False


def looks_like(path: Path) -> str | None:
    """Which kind of file this is by its content (for 'wrong folder' messages), if any."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
        if sniff(head) in ("zip", "ole2"):
            book = open_workbook(path, "detect")
            if any(GENERAL.matches(n) for n in book.sheet_names):
                return "reports"
            rows = book.get_sheet_by_index(0).to_python()[:30]
        elif sniff(head) == "text":
            rows = csv_rows(decode_text(path.read_bytes()[:65536]))[:30]
        else:
            return None
    except Exception:  # noqa: BLE001 - unreadable files are reported by their own reader
        return None
    for kind, spec in (("census", CENSUS), ("registry", REGISTRY), ("targets", TARGETS)):
        required = {match_key(x.label) for x in spec.fields if x.required}
        if any(required <= {match_key(v) for v in row} for row in rows):
            return kind
    return None


def refused_before_reading(arrival: Arrival) -> Finding | None:
    """What makes a file refused before any reader opens it: a symbolic link."""
    if arrival.link_to is None:
        return None
    return f.error(
        "FILE_SYMLINK",
        f"«{arrival.relpath}» là một liên kết (symbolic link) trỏ tới "
        f"«{arrival.link_to}», không phải một tệp; hệ thống không mở liên kết.",
        "Sao chép chính tệp báo cáo (không phải lối tắt/liên kết) vào thư mục nhận dữ liệu rồi gửi lại.",
    )


def name_warning(arrival: Arrival) -> Finding | None:
    """A warning when the file's name is not text (bytes of another encoding)."""
    try:
        os.fsencode(arrival.path).decode("utf-8")
        return None
    except UnicodeDecodeError:
        return f.warning(
            "FILE_NAME_NOT_UNICODE",
            f"Tên tệp không ở dạng Unicode (UTF-8); hệ thống đọc là «{arrival.relpath}».",
            "Đặt tên tệp bằng Unicode (thường do giải nén "
            "tệp .zip trên Windows cũ); nội dung tệp vẫn được xử lý bình thường.",
        )


def misplaced(arrival: Arrival) -> Finding | None:
    """A finding when the file sits outside a kind folder or in the wrong one."""
    actual = looks_like(arrival.path)
    if arrival.kind and (actual is None or actual == arrival.kind):
        return None
    if actual is None:
        return f.error(
            "FILE_WRONG_FOLDER",
            "Tệp nằm ngoài các thư mục nhận dữ liệu.",
            "Đặt tệp vào một trong các thư mục: " + ", ".join(FOLDER_LABELS.values()) + ".",
        )
    here = FOLDER_LABELS.get(arrival.kind, "thư mục gốc")
    return f.error(
        "FILE_WRONG_FOLDER",
        f"Tệp có nội dung của {FOLDER_LABELS[actual]} nhưng nằm trong {here}.",
        f"Chuyển tệp sang thư mục {actual}/.",
    )
