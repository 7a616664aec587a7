"""The archive check refuses what is not a safe .xlsx before any parser touches it."""

import zipfile

import pytest

from ingest.read.archive import check_xlsx
from ingest.read.workbook import read_workbook


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


def test_a_broken_xls_is_refused_with_a_way_out(tmp_path):
    p = tmp_path / "a.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    finding = check_xlsx(p).findings[0]
    assert finding.code == "FILE_CORRUPT" and ".xls" in finding.message and ".xlsx" in finding.hint


@pytest.mark.parametrize("name", ["general.xls", "general.ods", "preschool.xls"])
def test_libreoffice_files_read_as_the_xlsx_they_were_saved_from(tmp_path, name):
    """The same cells, with the same sheet, row and column, whatever format (and extension)."""
    from ingest.sample.generate import base_reports
    from ingest.sample.office import HERE
    from ingest.sample.xlsx import write_xlsx

    original = tmp_path / "original.xlsx"
    write_xlsx(original, base_reports()[name.split(".")[0]])
    renamed = tmp_path / "renamed.xlsx"  # an .xls or .ods under an .xlsx name
    renamed.write_bytes((HERE / name).read_bytes())
    expected = read_workbook(original)
    for path in (HERE / name, renamed):
        got = read_workbook(path)
        assert got.findings == expected.findings == []
        assert got.cells == expected.cells and len(got.cells) > 100


def test_error_cells_of_xls_and_ods_are_found(tmp_path, soffice):
    """LibreOffice saves #DIV/0! as an error cell in both formats; the readers give ""."""
    import subprocess

    from ingest.sample.xlsx import ExcelError, SheetSpec, write_xlsx

    source = tmp_path / "err.xlsx"
    write_xlsx(source, [SheetSpec("S", [["a", ExcelError("#DIV/0!"), 5]])])
    for fmt in ("xls", "ods"):
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        assert check_xlsx(tmp_path / f"err.{fmt}").error_cells == {"S": {"B1": "#DIV/0!"}}


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
