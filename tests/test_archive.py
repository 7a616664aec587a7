"""The archive check refuses what is not a safe .xlsx before any parser touches it."""

import zipfile

from ingest.archive import check_xlsx
from ingest.workbook import read_workbook


def test_empty_file(tmp_path):
    p = tmp_path / "a.xlsx"
    p.write_bytes(b"")
    assert [f.code for f in check_xlsx(p).findings] == ["FILE_EMPTY"]


def test_csv_renamed_xlsx(tmp_path):
    p = tmp_path / "a.xlsx"
    p.write_text("Mã trường;Tổng số\n1;2\n", encoding="utf-8")
    found = read_workbook(p).findings
    assert [f.code for f in found] == ["FILE_NOT_XLSX_TEXT"]
    assert "CSV" in found[0].message


def test_xls_is_refused_with_a_way_out(tmp_path):
    p = tmp_path / "a.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    finding = check_xlsx(p).findings[0]
    assert finding.code == "FILE_XLS" and ".xlsx" in finding.hint


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    p = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (30 * 1024 * 1024) + b"</a>")
    assert p.stat().st_size < 100_000
    assert [f.code for f in check_xlsx(p).findings] == ["FILE_TOO_LARGE"]


def test_xml_entities_are_refused(tmp_path):
    p = tmp_path / "xxe.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><workbook/>')
    assert [f.code for f in check_xlsx(p).findings] == ["FILE_XML_DTD"]


def test_zip_that_is_not_a_workbook(tmp_path):
    p = tmp_path / "a.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert [f.code for f in check_xlsx(p).findings] == ["FILE_NOT_XLSX"]
