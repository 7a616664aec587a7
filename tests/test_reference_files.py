"""Registry, census and target files as Vietnamese offices save them."""

import pytest

from builders import write_csv
from ingest.read.reference import read_reference
from ingest.sample.generate import CENSUS_HEADERS, REGISTRY_HEADERS, TARGET_HEADERS
from ingest.sample.xlsx import SheetSpec, write_xlsx

ROWS = [
    [
        "12109001",
        "Trường Mầm non Lản Nhì Thàng",
        "Mầm non",
        "Thường",
        "Công lập",
        "03391",
        "ĐBKK",
        "2022-2023",
        "",
    ]
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258", "utf-16"])
def test_registry_in_every_encoding(tmp_path, encoding):
    path = write_csv(tmp_path / "r.csv", REGISTRY_HEADERS, ROWS, encoding=encoding)
    parsed = read_reference(path, "registry")
    assert parsed.findings == []
    row = parsed.frame.iloc[0]
    assert row["school_name"] == "Trường Mầm non Lản Nhì Thàng"  # NFC, whatever the encoding
    assert (row["school_level"], row["area"], row["commune_code"]) == ("mam_non", "dbkk", "03391")


def test_semicolons_headers_without_diacritics_and_numeric_codes(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("MA XA;NAM HOC;TUOI;DAN SO;NU\n3391;2023 - 2024;5;1.234;600\n", encoding="utf-8")
    parsed = read_reference(path, "census")
    assert parsed.findings == []
    row = parsed.frame.iloc[0]
    assert (row["commune_code"], row["school_year"], row["age"], row["population"]) == (
        "03391",
        "2023-2024",
        5,
        1234,
    )


def test_registry_as_xlsx(tmp_path):
    path = tmp_path / "r.xlsx"
    write_xlsx(path, [SheetSpec("Danh mục", [["DANH MỤC TRƯỜNG HỌC"], REGISTRY_HEADERS, *ROWS])])
    parsed = read_reference(path, "registry")
    assert parsed.findings == [] and parsed.frame.iloc[0]["school_code"] == "12109001"


def test_target_file_errors_are_listed_with_rows(tmp_path):
    path = write_csv(
        tmp_path / "t.csv",
        TARGET_HEADERS,
        [
            ["1/QĐ", "01/09/2023", "109", "109", "Huyện", "2023-2024", "khong_co_ma", "", ">=", "5", ""],
            ["1/QĐ", "01/09/2023", "109", "109", "Huyện", "2023-2024", "thcs_dropout", "", "tăng", "5", ""],
            [
                "1/QĐ",
                "01/09/2023",
                "109",
                "109",
                "Huyện",
                "2023-2024",
                "thcs_continuation",
                "",
                "khoảng",
                "65",
                "",
            ],
            ["1/QĐ", "01/09/2023", "109", "109", "Huyện", "2023/24", "thcs_dropout", "", "<", "abc", ""],
        ],
    )
    found = {(f.code, f.row) for f in read_reference(path, "targets").findings}
    assert found == {
        ("TARGET_UNKNOWN_INDICATOR", 2),
        ("TARGET_BAD_COMPARATOR", 3),
        ("TARGET_APPROX_NO_TOLERANCE", 4),
        ("CELL_BAD_YEAR", 5),
        ("TARGET_BAD_VALUE", 5),
    }


def test_census_with_bad_year_is_refused(tmp_path):
    path = write_csv(
        tmp_path / "c.csv",
        CENSUS_HEADERS,
        [["03391", "2023-2025", 5, 100, 50, "Đạt", "Mức 3", "Mức 2", "Mức 2"]],
    )
    assert [f.code for f in read_reference(path, "census").findings] == ["CELL_BAD_YEAR"]


def test_a_long_census_is_checked_on_every_row(tmp_path):
    """Each distinct value of a long table is checked once: a bad year repeated on several
    rows is reported on each of its rows, codes are padded on every row, and one name typed
    in TCVN3 deep in a long registry is still found and converted."""
    good = ["3391", "2023-2024", 5, 100, 50, "Đạt", "Mức 3", "Mức 2", "Mức 2"]
    bad = ["3391", "2023-2025", 5, 100, 50, "Đạt", "Mức 3", "Mức 2", "Mức 2"]
    rows = [good] * 700 + [bad] + [good] * 99 + [bad]  # Excel rows: header 1, then 2..802
    found = read_reference(write_csv(tmp_path / "c.csv", CENSUS_HEADERS, rows), "census").findings
    assert [(f.code, f.row) for f in found] == [("CELL_BAD_YEAR", 702), ("CELL_BAD_YEAR", 802)]

    parsed = read_reference(write_csv(tmp_path / "ok.csv", CENSUS_HEADERS, [good] * 800), "census")
    assert set(parsed.frame["commune_code"]) == {"03391"} and len(parsed.frame) == 800

    school = ROWS[0]
    registry = [[f"{int(school[0]) + i}", *school[1:]] for i in range(799)]
    typed_in_tcvn3 = b"Tr\xad\xeang M\xc7m non".decode("latin-1")  # as an .xlsx or a paste gives it
    registry.append([f"{int(school[0]) + 799}", typed_in_tcvn3, *school[2:]])
    parsed = read_reference(write_csv(tmp_path / "r.csv", REGISTRY_HEADERS, registry), "registry")
    assert parsed.frame["school_name"].iloc[-1] == "Trường Mầm non"
    assert parsed.frame["school_name"].iloc[0] == "Trường Mầm non Lản Nhì Thàng"
    assert [f.code for f in parsed.findings] == ["TEXT_LEGACY_ENCODING"]  # a warning, not refused
