"""The in-memory zip reader gives the archive check the verdict zipfile gives, or steps aside.

ingest/read/zip_bytes.py reads a report's zip from its bytes (once) instead of through
zipfile; anything but the plain case raises Unsupported and zipfile reads the file. These
tests hold it to that: on every sample and broken report the check says the same through
both readers, and a part that lies about its size is never inflated past what it declares.
"""

import io
import struct
import tracemalloc
import zipfile

import pytest

from ingest.read.archive import _check_archive, check_xlsx, sniff
from ingest.read.zip_bytes import Unsupported, ZipBytes
from ingest.sample.generate import generate_phong_tho


def _verdicts(path):
    """(through ZipBytes or None when it steps aside, through zipfile)."""
    data = path.read_bytes()
    try:
        fast = _check_archive(ZipBytes(data))
    except Unsupported:
        fast = None
    try:
        with zipfile.ZipFile(path) as archive:
            slow = _check_archive(archive)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError) as exc:
        slow = type(exc).__name__
    return fast, slow


def test_every_sample_and_broken_report_gets_the_same_verdict(tmp_path):
    generate_phong_tho(tmp_path, with_problems=True, broken_set=True)
    compared = stepped_aside = 0
    for path in sorted(tmp_path.rglob("*")):
        if not path.is_file() or sniff(path.read_bytes()[:8192]) != "zip":
            continue
        fast, slow = _verdicts(path)
        if fast is None:
            stepped_aside += 1
            continue
        assert not isinstance(slow, str), f"{path.name}: zipfile failed ({slow}) where ZipBytes did not"
        assert (fast.findings, fast.kind, fast.formulas_without_value, fast.error_cells) == (
            slow.findings,
            slow.kind,
            slow.formulas_without_value,
            slow.error_cells,
        ), path.name
        compared += 1
    assert compared > 100  # the plain case is the common one
    assert stepped_aside >= 1  # the broken set has archives zipfile must judge


def _lying_archive(declared: int, actual: int) -> bytes:
    """A workbook whose sheet's headers declare `declared` bytes but inflate to `actual`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (actual - 7) + b"</a>")
    data = bytearray(buffer.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<L", data, info.header_offset + 22, declared)  # local header
    position = data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02"))
    central = data.rfind(b"PK\x01\x02", 0, position)
    struct.pack_into("<L", data, central + 24, declared)  # central directory
    return bytes(data)


@pytest.mark.parametrize("declared", [0, 1_000])
def test_a_part_that_lies_about_its_size_is_never_inflated_past_it(tmp_path, declared):
    data = _lying_archive(declared, actual=40 * 1024 * 1024)
    assert len(data) < 100_000
    archive = ZipBytes(data)
    entry = archive.getinfo("xl/worksheets/sheet1.xml")
    assert entry.file_size == declared
    tracemalloc.start()
    with pytest.raises(Unsupported):
        archive.read(entry)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1024 * 1024  # not the 40 MB the stream holds
    path = tmp_path / "liar.xlsx"
    path.write_bytes(data)
    assert [f.code for f in check_xlsx(path).findings] == ["FILE_CORRUPT"]  # zipfile's verdict


def _workbook_zip(**options) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", **options) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", '<x><c r="B2" t="e"><v>#REF!</v></c></x>')
    return buffer.getvalue()


class _Unseekable(io.RawIOBase):
    """A stream zipfile cannot seek back in: it then writes data descriptors."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.data += b
        return len(b)


def test_stored_parts_comments_and_data_descriptors_read_as_zipfile_reads_them(tmp_path):
    stream = _Unseekable()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    variants = {
        "stored": _workbook_zip(compression=zipfile.ZIP_STORED),
        "deflated": _workbook_zip(compression=zipfile.ZIP_DEFLATED),
        "descriptors": bytes(stream.data),
    }
    commented = io.BytesIO(variants["deflated"])
    with zipfile.ZipFile(commented, "a") as z:
        z.comment = b"saved by a clerk's tool"
    variants["comment"] = commented.getvalue()
    for name, data in variants.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(data)
        fast, slow = _verdicts(path)
        assert fast is not None, name
        assert (fast.findings, fast.error_cells) == (slow.findings, slow.error_cells), name
    assert check_xlsx(tmp_path / "stored.xlsx").error_cells == {"xl/worksheets/sheet1.xml": {"B2": "#REF!"}}


def test_what_is_not_the_plain_case_goes_to_zipfile():
    plain = _workbook_zip(compression=zipfile.ZIP_DEFLATED)
    with pytest.raises(Unsupported):
        ZipBytes(b"junk before the archive" + plain)  # offsets no longer match
    with pytest.raises(Unsupported):
        ZipBytes(plain[:-30])  # no end record
    bzip = io.BytesIO()
    with zipfile.ZipFile(bzip, "w", zipfile.ZIP_BZIP2) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(Unsupported):
        ZipBytes(bzip.getvalue())


def test_calamine_reads_the_stored_copy_as_it_reads_the_file(tmp_path):
    """The check hands calamine the report's parts stored, not deflated (inflated once):
    a valid zip, every part uncompressed with its CRC, read cell for cell as the original."""
    import python_calamine as calamine

    generate_phong_tho(tmp_path, with_problems=True)
    reports = sorted((tmp_path / "reports").rglob("*.xlsx"))[:40]
    non_ascii = tmp_path / "tên.xlsx"  # a part named in UTF-8 keeps its name
    with zipfile.ZipFile(reports[0]) as source, zipfile.ZipFile(non_ascii, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            copy.writestr(info, source.read(info))
        copy.writestr("docProps/ghi chú.xml", "<x/>")
    for path in [*reports, non_ascii]:
        check = check_xlsx(path)
        assert check.ok, path.name
        with zipfile.ZipFile(path) as original, zipfile.ZipFile(io.BytesIO(check.content)) as stored:
            assert stored.testzip() is None
            assert [i.filename for i in stored.infolist()] == [i.filename for i in original.infolist()]
            assert {i.compress_type for i in stored.infolist()} == {zipfile.ZIP_STORED}
            assert all(stored.read(i.filename) == original.read(i) for i in original.infolist())
        file_book = calamine.CalamineWorkbook.from_path(str(path))
        copy_book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(check.content))
        assert copy_book.sheet_names == file_book.sheet_names
        for name in file_book.sheet_names:
            assert copy_book.get_sheet_by_name(name).to_python(
                skip_empty_area=False
            ) == file_book.get_sheet_by_name(name).to_python(skip_empty_area=False), (path.name, name)
