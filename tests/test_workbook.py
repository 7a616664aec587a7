"""Reading template-v1 workbooks into typed cells with lineage."""

from builders import ages_sheet, general_sheet, pupils_sheet, workbook
from ingest.read.workbook import read_workbook
from ingest.sample.xlsx import Formula, SheetSpec, write_xlsx


def cells_of(parsed, sheet_kind, field):
    return [
        (c.row, c.column, c.value_number, c.value_text)
        for c in parsed.cells
        if c.sheet_kind == sheet_kind and c.field == field
    ]


def test_general_and_pupils_with_lineage(tmp_path):
    path = workbook(
        tmp_path / "a.xlsx",
        "12109901",
        "Trường THCS A",
        [{"grade": "Lớp 6", "enrolled": 99, "enrolled_start": 100, "dropouts": 1}],
        {11: 99},
    )
    parsed = read_workbook(path)
    assert parsed.findings == []
    assert parsed.general["school_code"] == "12109901"
    assert parsed.general["period"] == "giua_nam"
    assert parsed.general["report_date"] == "2024-01-05"
    # header on row 2, first data row 3; columns in the order the builder wrote them
    assert cells_of(parsed, "pupils", "grade") == [(3, "A", None, "lop_6")]
    enrolled = cells_of(parsed, "pupils", "enrolled")
    assert enrolled[0][0] == 3 and enrolled[0][2] == 99.0
    # an empty "Bỏ học"-like column that means zero is zero; "Nữ" absent entirely is absent
    assert cells_of(parsed, "pupils", "female") == []


def test_messy_twin_reads_the_same_values(tmp_path):
    """No diacritics, upper case, columns swapped, numbers as Vietnamese text, title block,
    a hidden helper sheet and trailing empty rows: the same values as the clean file."""
    clean = workbook(
        tmp_path / "clean.xlsx",
        "12109901",
        "Trường THCS A",
        [{"grade": "Lớp 6", "enrolled": 1234, "enrolled_start": 1240, "dropouts": 6}],
        {11: 1234},
    )
    messy_pupils = SheetSpec(
        "HOC SINH",
        [
            ["BIỂU 01: SỐ LIỆU HỌC SINH"],
            ["Năm học 2023-2024"],
            [],
            ["BO HOC", "khoi / nhom tuoi", "TONG SO", "Dau nam"],
            ["6", "lop 6", "1.234", "1.240"],
            [None],
            [None],
        ],
        merges=["A1:D1"],
    )
    messy = tmp_path / "messy.xlsx"
    write_xlsx(
        messy,
        [
            general_sheet("12109901", "Trường THCS A", "2023-2024", "giua_nam"),
            SheetSpec("Tra cứu", [["ẩn"]], hidden=True),
            messy_pupils,
            ages_sheet({11: 1234}),
        ],
    )
    a, b = read_workbook(clean), read_workbook(messy)
    assert a.findings == [] and b.findings == []

    def values(parsed):
        return sorted((c.sheet_kind, c.field, c.value_number, c.value_text) for c in parsed.cells)

    assert values(a) == values(b)


def test_untypable_cells_are_findings_with_place(tmp_path):
    path = tmp_path / "bad.xlsx"
    write_xlsx(
        path,
        [
            general_sheet("12109901", "Trường THCS A", "2023-2024", "giua_nam"),
            SheetSpec(
                "Học sinh",
                [
                    ["Khối / nhóm tuổi", "Tổng số", "Nữ", "Bỏ học"],
                    ["Lớp 6", "12a", 5.5, Formula("B2-C2")],
                    ["Lớp 13", 10, 1, 0],
                ],
            ),
            ages_sheet({11: 1}),
        ],
    )
    found = {(f.code, f.row, f.column) for f in read_workbook(path).findings}
    assert ("CELL_NOT_NUMBER", 2, "B") in found
    assert ("CELL_NOT_WHOLE", 2, "C") in found
    assert ("FORMULA_NO_VALUE", 2, "D") in found
    assert ("CELL_BAD_VALUE", 3, "A") in found


def test_formula_with_cached_value_is_read(tmp_path):
    path = tmp_path / "f.xlsx"
    write_xlsx(
        path,
        [
            general_sheet("12109901", "A", "2023-2024", "giua_nam"),
            pupils_sheet([{"grade": "Lớp 6", "enrolled": Formula("SUM(1,2)", 3)}]),
            ages_sheet({11: 3}),
        ],
    )
    parsed = read_workbook(path)
    assert parsed.findings == []
    assert [c.value_number for c in parsed.cells if c.field == "enrolled"] == [3.0]


def test_missing_sheet_is_named(tmp_path):
    path = tmp_path / "m.xlsx"
    write_xlsx(path, [general_sheet("12109901", "A", "2023-2024", "giua_nam")])
    found = read_workbook(path).findings
    assert {f.sheet for f in found if f.code == "SHEET_MISSING"} == {"Học sinh", "Độ tuổi"}
    assert all("Thêm sheet" in f.hint for f in found)


def test_messy_twin_of_a_complete_report_reads_the_same(tmp_path):
    """All nine sheets, typed as real clerks type them, load the same values."""
    from ingest.sample.generate import simulate_district
    from ingest.sample.messy import messy_twin
    from ingest.sample.schools import phong_tho_schools
    from ingest.sample.workbooks import school_report

    communes = simulate_district(phong_tho_schools(), seed=7)
    schools = {sy.school.code: sy for cy in communes.values() for sy in cy.schools}
    for code in ("12109001", "12109002"):  # a preschool and a TH&THCS school
        sheets = school_report(schools[code], "2023-2024", "cuoi_nam", national_standard="Mức 1")
        write_xlsx(tmp_path / "clean.xlsx", sheets)
        write_xlsx(tmp_path / "messy.xlsx", messy_twin(sheets))
        clean, messy = read_workbook(tmp_path / "clean.xlsx"), read_workbook(tmp_path / "messy.xlsx")
        assert clean.findings == [] and messy.findings == []
        assert set(messy.sheets) == set(clean.sheets)

        def values(parsed):
            return sorted(
                (c.sheet_kind, c.field, c.value_number, c.value_text)
                for c in parsed.cells
                if c.field != "preparer"
            )

        assert values(clean) == values(messy)
        assert len(values(clean)) > 100


def test_gx_data_docs_show_the_validations_of_a_batch(tmp_path):
    """A batch validated, then the engineers' Data Docs: a site whose index links the runs."""
    from ingest.read.cells import cells_frame
    from ingest.sample.generate import base_reports
    from ingest.sample.xlsx import write_xlsx
    from ingest.validate.suites import Context, _gx, build_data_docs, forget_validations, validate_batch

    forget_validations()  # what earlier tests in this process validated
    source = tmp_path / "r.xlsx"
    write_xlsx(source, base_reports()["general"])
    validate_batch(cells_frame({"x" * 64: read_workbook(source).cells}), Context({"12109002": "th_thcs"}))
    # stored (serialised) only when the Data Docs are built: off a small load's path
    assert _gx()[0].validation_results_store.list_keys() == []
    index = build_data_docs(tmp_path / "docs")
    assert index.exists() and "validation" in index.read_text("utf-8").lower()
    pages = sorted((tmp_path / "docs" / "validations").rglob("*.html"))
    assert len(pages) >= 5  # a page per suite that ran (one per sheet kind the report fills)
    # the next batch's site holds its own validations, not the first batch's again
    validate_batch(cells_frame({"y" * 64: read_workbook(source).cells}), Context({"12109002": "th_thcs"}))
    build_data_docs(tmp_path / "docs2")
    assert len(sorted((tmp_path / "docs2" / "validations").rglob("*.html"))) == len(pages)


def test_a_worker_without_data_docs_keeps_no_validation_results(tmp_path, monkeypatch):
    """GX keeps each validation's results in memory for the Data Docs; with them turned off,
    a long-lived worker must not keep every batch's."""
    from ingest.config import Paths
    from ingest.landing.walk import discover
    from ingest.load.batches import parse_batch
    from ingest.sample.generate import base_reports
    from ingest.validate.suites import _gx, forget_validations

    monkeypatch.setenv("CHITIEU_GX_DATA_DOCS", "0")
    paths = Paths.from_env(tmp_path / "landing", tmp_path / "wh" / "chitieu.duckdb")
    paths.make_dirs()
    folder = paths.landing / "reports" / "2023-2024" / "cuoi_nam"
    folder.mkdir(parents=True)
    write_xlsx(folder / "r.xlsx", base_reports()["general"])
    arrivals = [a for a in discover(paths.landing) if a.kind == "reports"]
    forget_validations()
    parse_batch(paths, arrivals, {"12109002": "th_thcs"}, "batch-1")
    assert (paths.validated / "batch-1" / "findings.parquet").exists()
    assert _gx()[0].validation_results_store.list_keys() == []
    assert not (paths.root / "gx_data_docs").exists()
