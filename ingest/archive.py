"""Refuse what is not a safe .xlsx before any parser touches it.

Excel readers do not bound decompression (a 1.3 MB zip bomb took 1.4 GB here), so every
workbook is first opened as a zip archive by this module: entry count, declared and
actual uncompressed sizes, compression ratios and DTDs (entity expansion, external
entities) are checked while streaming each part through zlib with a hard cap. The same
pass finds formulas that carry no cached value, which the fast readers would show as
empty cells.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree as SafeET

from ingest.findings import Finding, error

MAX_ENTRIES = 200
MAX_PART_BYTES = 20 * 1024 * 1024  # a template-v1 sheet is < 200 KB
MAX_TOTAL_BYTES = 60 * 1024 * 1024
MAX_RATIO = 150  # real sheets compress 5-30x; bombs 1000x
RATIO_CHECK_FROM = 1024 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_FORMULA_NO_VALUE = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]{1,3}[0-9]+)"[^>]*>\s*<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)'
    rb"\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_CELL_TAG = re.compile(rb'<(?:\w+:)?c\b([^>]*)>(.*?)</(?:\w+:)?c>', re.S)
_ATTR_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]+)"')
_CACHED_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass
class ArchiveCheck:
    findings: list[Finding] = field(default_factory=list)
    # sheet name -> cells (e.g. "D7") holding a formula with no cached value
    formulas_without_value: dict[str, list[str]] = field(default_factory=dict)
    # sheet name -> cell -> Excel error it shows (#DIV/0!, #REF!…): the readers give ""
    error_cells: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.findings


def _refuse(code: str, message: str, hint: str) -> ArchiveCheck:
    return ArchiveCheck([error(code, message, hint)])


def sniff(head: bytes) -> str:
    """What a file is by its first bytes: 'zip', 'ole2', 'empty', 'text' or 'binary'."""
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGICS):
        return "zip"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    sample = head[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in sample:
        return "text"
    return "binary"


def check_xlsx(path: Path) -> ArchiveCheck:
    """Check that `path` is a well-formed, bounded .xlsx; never raises on bad input."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
    kind = sniff(head)
    if kind == "empty":
        return _refuse("FILE_EMPTY", "Tệp rỗng (0 byte).", "Lưu lại biểu mẫu và gửi lại.")
    if kind == "ole2":
        if "EncryptedPackage".encode("utf-16-le") in _read_prefix(path, 1 << 20):
            return _refuse("FILE_ENCRYPTED", "Tệp Excel có đặt mật khẩu nên không đọc được.",
                           "Gỡ mật khẩu (File > Info > Protect Workbook) rồi gửi lại.")
        return _refuse("FILE_XLS", "Tệp ở định dạng Excel 97-2003 (.xls), không phải .xlsx.",
                       "Mở tệp, chọn Lưu thành (Save As) định dạng Excel Workbook (.xlsx).")
    if kind == "text":
        return _refuse("FILE_NOT_XLSX_TEXT",
                       "Tệp là văn bản (có thể là CSV) nhưng mang đuôi .xlsx.",
                       "Dùng đúng biểu mẫu Excel (.xlsx) do Phòng GD&ĐT phát hành.")
    if kind != "zip":
        return _refuse("FILE_NOT_XLSX", "Tệp không phải là tệp Excel (.xlsx).",
                       "Dùng đúng biểu mẫu Excel (.xlsx) do Phòng GD&ĐT phát hành.")
    try:
        with zipfile.ZipFile(path) as archive:
            return _check_archive(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        return _refuse("FILE_CORRUPT", f"Tệp Excel bị hỏng, không mở được ({type(exc).__name__}).",
                       "Mở lại tệp bằng Excel, lưu lại và gửi lại.")


def open_workbook(path: Path):
    """python-calamine's workbook for a file that passed the checks. A name that is not
    UTF-8 cannot cross into calamine's Rust side, so such a file is handed over as bytes."""
    import io

    import python_calamine as calamine

    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    return calamine.CalamineWorkbook.from_path(name)


def _read_prefix(path: Path, size: int) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(size)


def _check_archive(archive: zipfile.ZipFile) -> ArchiveCheck:
    infos = archive.infolist()
    names = {i.filename for i in infos}
    if len(infos) > MAX_ENTRIES:
        return _refuse("FILE_TOO_MANY_PARTS", f"Tệp có {len(infos)} thành phần, quá nhiều "
                       "đối với một biểu mẫu.", "Dùng đúng biểu mẫu, không chèn thêm đối tượng.")
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        return _refuse("FILE_NOT_XLSX", "Tệp nén không phải là sổ tính Excel (.xlsx).",
                       "Dùng đúng biểu mẫu Excel (.xlsx) do Phòng GD&ĐT phát hành.")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_TOTAL_BYTES:
        return _bomb(declared)
    total = 0
    parts: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        data = _bounded_read(archive, info)
        if data is None:
            return _bomb(info.file_size)
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            return _bomb(total)
        if info.filename.endswith((".xml", ".rels")):
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                return _refuse("FILE_XML_DTD", "Tệp chứa khai báo DTD/ENTITY trong XML, "
                               "không phải tệp Excel thông thường (có thể là tệp độc hại).",
                               "Dùng đúng biểu mẫu Excel do Phòng GD&ĐT phát hành.")
            if info.filename.startswith("xl/worksheets/") or info.filename == "xl/workbook.xml" \
                    or info.filename == "xl/_rels/workbook.xml.rels":
                parts[info.filename] = data
    check = ArchiveCheck()
    check.formulas_without_value = _formulas_without_value(parts)
    check.error_cells = _error_cells(parts)
    return check


def _bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The part's bytes, or None when it is larger or more compressed than allowed."""
    if info.file_size > MAX_PART_BYTES:
        return None
    if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return None
    # zipfile inflates at most the declared size (and checks the CRC), so a part that lies
    # about its size cannot make this read grow beyond MAX_PART_BYTES
    return archive.read(info)


def _bomb(size: int) -> ArchiveCheck:
    return _refuse("FILE_TOO_LARGE", f"Nội dung giải nén của tệp quá lớn (≈{size // 1_048_576} MB) "
                   "so với một biểu mẫu báo cáo (tệp nén bất thường hoặc quá nhiều dòng).",
                   "Xóa các dòng, cột và đối tượng thừa; chỉ giữ các sheet của biểu mẫu.")


def _formulas_without_value(parts: dict[str, bytes]) -> dict[str, list[str]]:
    suspects = {name: data for name, data in parts.items()
                if name.startswith("xl/worksheets/") and b"<f" in data}
    if not suspects:
        return {}
    found = {name: _FORMULA_NO_VALUE.findall(data) for name, data in suspects.items()}
    found = {name: cells for name, cells in found.items() if cells}
    if not found:
        return {}
    sheet_names = _sheet_names_by_part(parts)
    return {sheet_names.get(name, name): [c.decode() for c in cells] for name, cells in found.items()}


def _error_cells(parts: dict[str, bytes]) -> dict[str, dict[str, str]]:
    """Cells of type "e" (an Excel error such as #DIV/0!) in each sheet, with the error."""
    found: dict[str, dict[str, str]] = {}
    for name, data in parts.items():
        if not name.startswith("xl/worksheets/") or b't="e"' not in data:
            continue
        for attributes, body in _CELL_TAG.findall(data):
            if b't="e"' not in attributes:
                continue
            ref = _ATTR_REF.search(attributes)
            value = _CACHED_VALUE.search(body)
            if ref:
                error = value.group(1).decode("utf-8", "replace").strip() if value else ""
                found.setdefault(name, {})[ref.group(1).decode()] = error or "#ERROR"
    if not found:
        return {}
    sheet_names = _sheet_names_by_part(parts)
    return {sheet_names.get(name, name): cells for name, cells in found.items()}


def _sheet_names_by_part(parts: dict[str, bytes]) -> dict[str, str]:
    try:
        rels = SafeET.fromstring(parts["xl/_rels/workbook.xml.rels"])
        workbook = SafeET.fromstring(parts["xl/workbook.xml"])
    except Exception:  # noqa: BLE001 - a broken workbook is reported by the reader
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id")] = str(PurePosixPath(target))
    names = {}
    for element in workbook.iter():
        if element.tag.endswith("}sheet"):
            part = targets.get(element.get(f"{_REL_NS}id"))
            if part:
                names[part] = element.get("name")
    return names
