"""Refuse what is not a safe workbook before any parser touches it.

Three formats are read, whatever the file's extension says: Excel 2007+ (.xlsx, a zip),
OpenDocument (.ods, a zip: LibreOffice, the office suite state agencies are encouraged to
use) and Excel 97-2003 (.xls, an OLE compound file). Excel readers do not bound
decompression (a 1.3 MB zip bomb took 1.4 GB here), so every zip is first opened by this
module: entry count, declared and actual uncompressed sizes, compression ratios and DTDs
(entity expansion, external entities) are checked while streaming each part through zlib
with a hard cap. An .xls is not compressed: its size bounds what a reader holds. The same
pass finds what the fast readers show as empty cells: formulas without a cached value and
Excel errors (#DIV/0!, #REF!…), so that they can be reported by cell.

(Long on purpose: the checks of the three container formats sit side by side so that a
reviewer sees every refusal in one file; each check is a short function.)
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from defusedxml import ElementTree as SafeET

from ingest.read.zip_bytes import Unsupported, ZipBytes, stored_copy
from ingest.validate.findings import Finding, error

MAX_ENTRIES = 200
MAX_PART_BYTES = 20 * 1024 * 1024  # a template-v1 sheet is < 200 KB
MAX_TOTAL_BYTES = 60 * 1024 * 1024
MAX_RATIO = 150  # real sheets compress 5-30x; bombs 1000x
RATIO_CHECK_FROM = 1024 * 1024
FAST_READ_BYTES = 8 * 1024 * 1024  # a file up to this size is read whole, once

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_FORMULA_NO_VALUE = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]{1,3}[0-9]+)"[^>]*>\s*<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)'
    rb"\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
# searched with re, which finds a literal faster than `in` does in XML (full of "<")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)")
_FORMULA_TAG = re.compile(rb"<f")
_ERROR_TYPE = re.compile(rb't="e"')
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*)>(.*?)</(?:\w+:)?c>", re.S)
_ATTR_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]+)"')
_CACHED_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass
class ArchiveCheck:
    findings: list[Finding] = field(default_factory=list)
    kind: str = "xlsx"  # xlsx / ods / xls
    # sheet name -> cells (e.g. "D7") holding a formula with no cached value
    formulas_without_value: dict[str, list[str]] = field(default_factory=dict)
    # sheet name -> cell -> Excel error it shows (#DIV/0!, #REF!…): the readers give ""
    error_cells: dict[str, dict[str, str]] = field(default_factory=dict)
    # the file's bytes when they were read whole (calamine then reads them, not the disk)
    content: bytes | None = field(default=None, repr=False, compare=False)

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
    """Check that `path` is a well-formed, bounded workbook (.xlsx, .ods or .xls, whatever
    its extension); never raises on bad input."""
    with open(path, "rb", buffering=0) as fh:
        whole = os.fstat(fh.fileno()).st_size <= FAST_READ_BYTES
        content = fh.readall() if whole else fh.read(1 << 20)  # a report's file in one read
    head = content[:8192]
    kind = sniff(head)
    if kind == "empty":
        return _refuse("FILE_EMPTY", "Tệp rỗng (0 byte).", "Lưu lại biểu mẫu và gửi lại.")
    if kind == "ole2":
        if "EncryptedPackage".encode("utf-16-le") in content[: 1 << 20]:
            return _encrypted()
        return _check_xls(path)
    if kind == "text":
        return _refuse(
            "FILE_NOT_XLSX_TEXT",
            "Tệp là văn bản (có thể là CSV) nhưng mang đuôi .xlsx.",
            "Dùng đúng biểu mẫu Excel (.xlsx) do Phòng GD&ĐT phát hành.",
        )
    if kind != "zip":
        return _refuse(
            "FILE_NOT_XLSX",
            "Tệp không phải là tệp Excel (.xlsx).",
            "Dùng đúng biểu mẫu Excel (.xlsx) do Phòng GD&ĐT phát hành.",
        )
    try:
        if whole:
            try:
                check = _check_archive(ZipBytes(content))
                # an .xlsx comes back as its parts stored (see _check_archive); an .ods as it is
                check.content = (check.content or content) if check.ok else None
                return check
            except Unsupported:
                pass  # not the plain case: zipfile reads it, and says what is wrong
        with zipfile.ZipFile(path) as archive:
            return _check_archive(archive)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        return _refuse(
            "FILE_CORRUPT",
            f"Tệp Excel bị hỏng, không mở được ({type(exc).__name__}).",
            "Mở lại tệp bằng Excel, lưu lại và gửi lại.",
        )


def open_workbook(path: Path, kind: str = "xlsx", content: bytes | None = None):
    """python-calamine's workbook for a file that passed the checks. An .xls or .ods (which
    may carry any extension), or a name that is not UTF-8 (which cannot cross into
    calamine's Rust side), is handed over as bytes: calamine then reads the format from the
    content, not from the name. `content`, the file's bytes the check already read, saves
    reading it again (and calamine reads bytes faster than a path)."""
    import io

    import python_calamine as calamine

    if content is not None:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    if kind != "xlsx" or path.suffix.lower() != ".xlsx":
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    return calamine.CalamineWorkbook.from_path(name)


def _check_archive(archive: zipfile.ZipFile) -> ArchiveCheck:
    infos = archive.infolist()
    names = {i.filename for i in infos}
    if len(infos) > MAX_ENTRIES:
        return _refuse(
            "FILE_TOO_MANY_PARTS",
            f"Tệp có {len(infos)} thành phần, quá nhiều đối với một biểu mẫu.",
            "Dùng đúng biểu mẫu, không chèn thêm đối tượng.",
        )
    if "xl/workbook.bin" in names:
        return _refuse(
            "FILE_XLSB",
            "Tệp ở định dạng Excel nhị phân (.xlsb), hệ thống không đọc định dạng này.",
            "Mở tệp, chọn Lưu thành (Save As) → Excel Workbook (.xlsx) rồi gửi lại.",
        )
    ods = _is_ods(archive, names)
    if ods and _ods_encrypted(archive):
        return _encrypted()
    if not ods and ("xl/workbook.xml" not in names or "[Content_Types].xml" not in names):
        return _refuse(
            "FILE_NOT_XLSX",
            "Tệp nén không phải là sổ tính Excel (.xlsx) hay OpenDocument (.ods).",
            "Dùng đúng biểu mẫu do Phòng GD&ĐT phát hành.",
        )
    declared = sum(i.file_size for i in infos)
    if declared > MAX_TOTAL_BYTES:
        return _bomb(declared)
    total = 0
    parts: dict[str, bytes] = {}
    inflated = []  # every part with its bytes, in the archive's order
    for info in infos:
        if info.is_dir():
            continue
        data = _bounded_read(archive, info)
        if data is None:
            return _bomb(info.file_size)
        inflated.append((info, data))
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            return _bomb(total)
        if info.filename.endswith((".xml", ".rels")):
            if b"!" in data and _DTD.search(data):  # "!" is rare in a part: found at memchr's speed
                return _refuse(
                    "FILE_XML_DTD",
                    "Tệp chứa khai báo DTD/ENTITY trong XML, "
                    "không phải tệp Excel thông thường (có thể là tệp độc hại).",
                    "Dùng đúng biểu mẫu Excel do Phòng GD&ĐT phát hành.",
                )
            if (
                info.filename.startswith("xl/worksheets/")
                or info.filename == "xl/workbook.xml"
                or info.filename in ("xl/_rels/workbook.xml.rels", "content.xml")
            ):
                parts[info.filename] = data
    if ods:
        return ArchiveCheck(kind="ods", error_cells=_ods_error_cells(parts.get("content.xml", b"")))
    check = ArchiveCheck()
    check.formulas_without_value = _formulas_without_value(parts)
    check.error_cells = _error_cells(parts)
    if isinstance(archive, ZipBytes):  # read from memory: calamine reads these parts, not the file
        check.content = stored_copy(inflated)
    return check


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _is_ods(archive: zipfile.ZipFile, names: set[str]) -> bool:
    if "mimetype" not in names or "content.xml" not in names:
        return False
    info = archive.getinfo("mimetype")
    return info.file_size < 200 and archive.read(info).strip() == ODS_MIMETYPE


def _ods_encrypted(archive: zipfile.ZipFile) -> bool:
    """A password-protected .ods keeps its parts encrypted, said so in the manifest."""
    try:
        info = archive.getinfo("META-INF/manifest.xml")
    except KeyError:
        return False
    return info.file_size < MAX_PART_BYTES and b"encryption-data" in archive.read(info)


def _encrypted() -> ArchiveCheck:
    return _refuse(
        "FILE_ENCRYPTED",
        "Tệp có đặt mật khẩu nên không đọc được.",
        "Gỡ mật khẩu (Excel: File > Info > Protect Workbook; LibreOffice: bỏ chọn "
        "«Lưu với mật khẩu») rồi gửi lại.",
    )


def _check_xls(path: Path) -> ArchiveCheck:
    """An Excel 97-2003 file: bounded by its size (nothing in it is compressed); its error
    cells found with xlrd, which also knows a password-protected one."""
    import xlrd

    if path.stat().st_size > MAX_TOTAL_BYTES:
        return _bomb(path.stat().st_size)
    try:
        book = xlrd.open_workbook(str(path), on_demand=True, formatting_info=False)
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            return _encrypted()
        return _refuse(
            "FILE_CORRUPT",
            "Tệp Excel 97-2003 (.xls) bị hỏng, không mở được.",
            "Mở lại tệp bằng Excel hoặc LibreOffice, lưu lại (.xlsx) và gửi lại.",
        )
    except Exception:  # noqa: BLE001 - any failure of a hostile OLE file is a broken file
        return _refuse(
            "FILE_CORRUPT",
            "Tệp Excel 97-2003 (.xls) bị hỏng, không mở được.",
            "Mở lại tệp bằng Excel hoặc LibreOffice, lưu lại (.xlsx) và gửi lại.",
        )
    errors: dict[str, dict[str, str]] = {}
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            for r in range(min(sheet.nrows, 5_000)):
                for c, cell in enumerate(sheet.row(r)[:500]):
                    if cell.ctype == xlrd.XL_CELL_ERROR:
                        errors.setdefault(sheet.name, {})[f"{_letters(c)}{r + 1}"] = (
                            xlrd.error_text_from_code.get(cell.value, "#ERROR")
                        )
            book.unload_sheet(index)
    except Exception:  # noqa: BLE001
        return _refuse(
            "FILE_CORRUPT",
            "Tệp Excel 97-2003 (.xls) bị hỏng, không mở được.",
            "Mở lại tệp bằng Excel hoặc LibreOffice, lưu lại (.xlsx) và gửi lại.",
        )
    finally:
        book.release_resources()
    return ArchiveCheck(kind="xls", error_cells=errors)


def _letters(index: int) -> str:
    from ingest.read.cells import column_letter

    return column_letter(index)


_ODS = "urn:oasis:names:tc:opendocument:xmlns:"
_ODS_TABLE, _ODS_CELL, _ODS_ROW = (
    f"{{{_ODS}table:1.0}}table",
    f"{{{_ODS}table:1.0}}table-cell",
    f"{{{_ODS}table:1.0}}table-row",
)
_ODS_COVERED = f"{{{_ODS}table:1.0}}covered-table-cell"
_CALCEXT_TYPE = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}value-type"


def _ods_error_cells(content: bytes) -> dict[str, dict[str, str]]:
    """Cells LibreOffice saved as errors (calcext:value-type="error"), by sheet and cell."""
    if b'value-type="error"' not in content:
        return {}
    import io

    from defusedxml.ElementTree import iterparse

    found: dict[str, dict[str, str]] = {}
    sheet, row, column = None, 0, 0
    repeat = f"{{{_ODS}table:1.0}}number-columns-repeated"
    rows_repeat = f"{{{_ODS}table:1.0}}number-rows-repeated"
    for event, element in iterparse(io.BytesIO(content), events=("start", "end")):
        if event == "start" and element.tag == _ODS_TABLE:
            sheet, row = element.get(f"{{{_ODS}table:1.0}}name"), 0
        elif event == "start" and element.tag == _ODS_ROW:
            column = 0
        elif event == "end" and element.tag == _ODS_ROW:
            row += int(element.get(rows_repeat, "1"))
            element.clear()
        elif event == "end" and element.tag in (_ODS_CELL, _ODS_COVERED):
            if element.get(_CALCEXT_TYPE) == "error" and sheet is not None:
                text = "".join(element.itertext()).strip() or "#ERROR"
                found.setdefault(sheet, {})[f"{_letters(column)}{row + 1}"] = text
            column += int(element.get(repeat, "1"))
    return found


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
    return _refuse(
        "FILE_TOO_LARGE",
        f"Nội dung giải nén của tệp quá lớn (≈{size // 1_048_576} MB) "
        "so với một biểu mẫu báo cáo (tệp nén bất thường hoặc quá nhiều dòng).",
        "Xóa các dòng, cột và đối tượng thừa; chỉ giữ các sheet của biểu mẫu.",
    )


def _formulas_without_value(parts: dict[str, bytes]) -> dict[str, list[str]]:
    suspects = {
        name: data
        for name, data in parts.items()
        if name.startswith("xl/worksheets/") and _FORMULA_TAG.search(data)
    }
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
        if not name.startswith("xl/worksheets/") or not _ERROR_TYPE.search(data):
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
