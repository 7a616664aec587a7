"""Property-based: whatever cells and shapes a sheet holds, the readers answer with cells or
findings — never an exception, never a hang."""

import string
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.contract.template import AGES, GENERAL, PUPILS, REGISTRY, TARGETS
from ingest.read.cells import SheetCells, read_sheet_rows, read_table_frame
from ingest.read.reference import csv_rows
from ingest.read.workbook import read_workbook
from ingest.sample.xlsx import SheetSpec, write_xlsx

LABELS = [f.label for f in PUPILS.fields] + [f.label for f in GENERAL.fields] + ["Tổng cộng", "Lớp 6"]
cell = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=string.printable + "ĐđÁàẢãẠăắằẳẵặâấầẩẫậÊêếềểễệƯươờởỡợ,.%", max_size=12),
    st.sampled_from(LABELS),
    st.dates(date(1899, 1, 1), date(2100, 1, 1)),
    st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)),
    st.booleans(),
)
grid = st.lists(st.lists(cell, max_size=20), max_size=40)


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(rows=grid)
def test_any_table_or_form_types_or_explains(rows):
    for sheet in (PUPILS, AGES, GENERAL):
        result = SheetCells()
        read_sheet_rows(sheet, sheet.title, rows, result)
        assert all(f.message and f.severity in ("error", "warning") for f in result.findings)


@settings(max_examples=200, deadline=2000)
@given(rows=grid)
def test_any_reference_table_types_or_explains(rows):
    for sheet in (REGISTRY, TARGETS):
        frame, findings = read_table_frame(sheet, "x", rows)
        assert findings or frame is not None


@settings(max_examples=200, deadline=2000)
@given(text=st.text(max_size=400))
def test_any_csv_text_splits_into_rows(text):
    assert isinstance(csv_rows(text), list)


@settings(max_examples=60, deadline=5000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sheets=st.lists(
        st.tuples(st.sampled_from(["Thông tin chung", "Học sinh", "Độ tuổi", "Khác"]), grid),
        min_size=1,
        max_size=4,
        unique_by=lambda s: s[0],
    )
)
def test_any_workbook_is_accepted_or_refused_with_a_message(sheets, tmp_path_factory):
    path = tmp_path_factory.mktemp("prop") / "w.xlsx"
    write_xlsx(path, [SheetSpec(name, rows) for name, rows in sheets])
    parsed = read_workbook(path)
    assert parsed.rejected == any(f.severity == "error" for f in parsed.findings)
    assert all(f.message for f in parsed.findings)
    if parsed.rejected:
        assert parsed.findings


@settings(max_examples=200, deadline=2000)
@given(data=st.binary(max_size=2000))
def test_any_bytes_named_xlsx_are_refused_or_read(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("bytes") / "b.xlsx"
    path.write_bytes(data)
    parsed = read_workbook(path)
    assert parsed.findings  # random bytes are never a valid report
