"""What arrived in the landing folder: one file (Arrival), its identity, and what refuses it
(a link, the wrong folder). The walk that finds them all is walk.py.

Layout (SUBMISSION_TEMPLATE.md): reports/ (school workbooks, any subfolders), census/,
targets/, registry/. A file is identified by the SHA-256 of its bytes: its name carries
no meaning and is never used to build a path.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
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


def link_hash(rel: str, target: str) -> str:
    """The identity of a symbolic link: its place and where it points (its target is never
    read)."""
    return hashlib.sha256(b"symlink\0" + os.fsencode(rel) + b"\0" + os.fsencode(target)).hexdigest()


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
