"""The long cells of a batch turned into one wide row per file and record, as the GX
suites read them (`ingest.read.cells.wide_frames`), checked value by value on a hand-made
batch."""

import math

import pandas as pd

from ingest.contract.template import SHEETS_BY_KIND
from ingest.read.cells import Cell, cells_frame, wide_frames

A, B = "a" * 64, "b" * 64


def _batch() -> pd.DataFrame:
    return cells_frame(
        {
            # listed out of order on purpose: rows come out by (file_hash, record_no)
            B: [
                Cell("pupils", "Học sinh", 9, 9, "A", "grade", None, "lop_2"),
                Cell("pupils", "Học sinh", 9, 9, "C", "enrolled", 31.0, None),
                Cell("pupils", "Học sinh", 8, 8, "A", "grade", None, "lop_1"),
                Cell("pupils", "Học sinh", 8, 8, "C", "enrolled", 40.0, None),
                Cell("pupils", "Học sinh", 8, 8, "D", "female", 21.0, None),
                Cell("general", "Thông tin chung", 0, 5, "B", "school_code", None, "12109002"),
            ],
            A: [
                Cell("general", "Thông tin chung", 0, 5, "B", "school_code", None, "12109001"),
                Cell("general", "Thông tin chung", 0, 7, "B", "school_year", None, "2023-2024"),
                Cell("pupils", "Học sinh", 7, 7, "A", "grade", None, "lop_1"),
                Cell("pupils", "Học sinh", 7, 7, "C", "enrolled", 35.0, None),
                Cell("pupils", "Học sinh", 7, 7, "Q", "extra:Ghi chú", None, "mới"),
                Cell("school_status", "Thông tin trường", 0, 4, "B", "recurrent_spend", 1.5, None),
                Cell("staff", "Cán bộ", 6, 6, "H", "extra:Ghi chú", None, "x"),
            ],
        }
    )


def test_a_row_per_file_and_record_in_order_with_every_field():
    frames = wide_frames(_batch(), SHEETS_BY_KIND)
    pupils = frames["pupils"]
    fields = [x.name for x in SHEETS_BY_KIND["pupils"].fields]
    assert list(pupils.columns) == ["file_hash", "record_no", *fields]
    assert list(zip(pupils["file_hash"], pupils["record_no"], strict=True)) == [(A, 7), (B, 8), (B, 9)]
    assert pupils["grade"].tolist() == ["lop_1", "lop_1", "lop_2"]
    assert pupils["enrolled"].tolist() == [35.0, 40.0, 31.0]
    female = pupils["female"].tolist()
    assert math.isnan(female[0]) and female[1] == 21.0 and math.isnan(female[2])
    assert pupils["classes"].isna().all() and pupils["classes"].dtype == "float64"
    assert pupils["grade"].dtype == object
    assert "extra:Ghi chú" not in pupils.columns  # a column the template lacks is not a field


def test_text_missing_in_a_file_is_nan_and_a_field_no_file_carried_is_none():
    general = wide_frames(_batch(), SHEETS_BY_KIND)["general"]
    assert general["file_hash"].tolist() == [A, B]
    assert general["school_code"].tolist() == ["12109001", "12109002"]
    year = general["school_year"].tolist()
    assert year[0] == "2023-2024" and isinstance(year[1], float) and math.isnan(year[1])
    assert general["preparer"].tolist() == [None, None]


def test_a_sheet_no_file_filled_is_an_empty_frame_with_its_columns():
    frames = wide_frames(_batch(), SHEETS_BY_KIND)
    assert frames["staff"].empty  # only a column the template lacks
    ages = frames["ages"]
    assert ages.empty and list(ages.columns) == ["file_hash", "record_no", "age", "pupils", "female"]
    status = frames["school_status"]
    assert status["recurrent_spend"].tolist() == [1.5] and status["file_hash"].tolist() == [A]
