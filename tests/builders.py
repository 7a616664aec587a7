"""Small, explicit inputs for tests: every number in them is chosen by hand.

`workbook()` writes a template-v1 report with exactly the rows given; `landing()` lays a
landing folder out with a registry, census and targets the test spells out.
"""

from __future__ import annotations

import csv
import unicodedata
from datetime import date
from pathlib import Path

from ingest.contract.template import AGES, PUPILS
from ingest.sample.generate import CENSUS_HEADERS, REGISTRY_HEADERS, TARGET_HEADERS
from ingest.sample.xlsx import SheetSpec, write_xlsx

# Two real communes of huyện Phong Thổ (district 109, tỉnh Lai Châu 12)
BAN_LANG = "03577"
MA_LI_PHO = "03574"
PERIOD_LABEL = {"dau_nam": "Đầu năm", "giua_nam": "Giữa năm", "cuoi_nam": "Cuối năm"}


def general_sheet(
    code: str, name: str, year: str, period: str, report_date: date = date(2024, 1, 5)
) -> SheetSpec:
    return SheetSpec(
        "Thông tin chung",
        [
            ["BÁO CÁO THỐNG KÊ"],
            [],
            ["Mã trường", code],
            ["Tên trường", name],
            ["Năm học", year],
            ["Kỳ báo cáo", PERIOD_LABEL[period]],
            ["Ngày báo cáo", report_date],
            ["Người lập biểu", "Lò Thị Test"],
        ],
    )


def pupils_sheet(rows: list[dict]) -> SheetSpec:
    """rows: dicts of canonical pupil fields, e.g. {"grade": "Lớp 6", "enrolled": 100, ...}."""
    fields = [f for f in PUPILS.fields if any(f.name in r for r in rows) or f.required]
    return SheetSpec(
        "Học sinh", [["BIỂU 01"], [f.label for f in fields], *[[r.get(f.name) for f in fields] for r in rows]]
    )


def ages_sheet(by_age: dict[int, int]) -> SheetSpec:
    return SheetSpec(
        "Độ tuổi", [[f.label for f in AGES.fields], *[[age, n, 0] for age, n in sorted(by_age.items())]]
    )


def assessment_sheet(grade: str, pupils: int) -> SheetSpec:
    """The «Đánh giá» sheet an end-of-year report of a general school must have: every pupil
    of the grade assessed, in learning and in conduct."""
    return SheetSpec(
        "Đánh giá",
        [
            ["Khối", "Nội dung", "Mức", "Số học sinh"],
            [grade, "Học tập", "Đạt", pupils],
            [grade, "Rèn luyện", "Tốt", pupils],
        ],
    )


def workbook(
    path: Path,
    code: str,
    name: str,
    pupils: list[dict],
    ages: dict[int, int],
    year: str = "2023-2024",
    period: str = "giua_nam",
    extra: list[SheetSpec] = (),
    report_date: date = date(2024, 1, 5),
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_xlsx(
        path,
        [
            general_sheet(code, name, year, period, report_date),
            pupils_sheet(pupils),
            ages_sheet(ages),
            *extra,
        ],
    )
    return path


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_1258_form(text: str) -> str:
    """Vietnamese as Windows-1258 stores it: base letters (â, ơ, ư…) precomposed, tone
    marks as separate combining characters — the form Python's cp1258 codec can encode."""
    out, marks = [], []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and ch in TONE_MARKS:
            marks.append(ch)
        elif unicodedata.combining(ch) and out:
            out[-1] = unicodedata.normalize("NFC", out[-1] + ch)
        else:
            out.extend(marks)
            marks = []
            out.append(ch)
    return "".join(out + marks)


def write_csv(path: Path, headers: list[str], rows: list[list], encoding: str = "utf-8-sig") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if encoding == "cp1258":
        headers = [windows_1258_form(h) for h in headers]
        rows = [[windows_1258_form(v) if isinstance(v, str) else v for v in r] for r in rows]
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        w.writerows(rows)
    return path


def registry(landing: Path, schools: list[tuple[str, str, str, str, str]]) -> Path:
    """schools: (code, name, level, commune_code, area label)."""
    return write_csv(
        landing / "registry" / "danh_muc.csv",
        REGISTRY_HEADERS,
        [
            [c, n, lvl, "Thường", "Công lập", commune, area, "2022-2023", ""]
            for c, n, lvl, commune, area in schools
        ],
    )


def census(landing: Path, populations: dict[str, dict[int, int]], year: str = "2023-2024") -> Path:
    rows = [
        [commune, year, age, pop, pop // 2, "Đạt", "Mức 3", "Mức 2", "Mức 2"]
        for commune, by_age in populations.items()
        for age, pop in sorted(by_age.items())
    ]
    return write_csv(landing / "census" / f"dieu_tra_{year}.csv", CENSUS_HEADERS, rows)


def targets(landing: Path, rows: list[tuple], name: str = "chi_tieu.csv") -> Path:
    """rows: (decision_no, issued_on dd/mm/yyyy, assignee_code, level label, year, indicator,
    segment label, comparator, value)."""
    return write_csv(
        landing / "targets" / name,
        TARGET_HEADERS,
        [
            [d, on, "109", code, lvl, year, ind, seg, cmp, val, ""]
            for d, on, code, lvl, year, ind, seg, cmp, val in rows
        ],
    )
