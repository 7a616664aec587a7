"""Lay a simulated school year out as template-v1 workbooks, one per reporting period."""

from __future__ import annotations

import math
import random
from datetime import date

from ingest.contract.template import (
    AGES,
    ASSESSMENT,
    ASSESSMENT_DIMENSIONS,
    ASSESSMENT_LEVELS,
    CHILD_GROUPS,
    CONTEST_LEVELS,
    FACILITIES,
    GENERAL,
    GIFTED,
    GRADES,
    NUTRITION,
    PERIOD_LABELS,
    PUPILS,
    SCHOOL_STATUS,
    STAFF,
    STAFF_GROUPS,
    YES_NO,
    Sheet,
)
from ingest.sample.simulate import PERIOD_DAYS, GradeYear, SchoolYear, _binomial, _split
from ingest.sample.xlsx import SheetSpec

PREPARERS = [
    "Lò Văn Thào",
    "Giàng Thị Mai",
    "Tẩn A Sình",
    "Lý Thị Hoa",
    "Vàng Văn Dũng",
    "Sần Thị Lan",
    "Phàn Văn Chín",
    "Chảo Thị Mây",
    "Nguyễn Thị Hương",
    "Hoàng Văn Nam",
]

# Shares of each level among pupils assessed (the sample's school culture, not a target).
PRIMARY_LEVELS = {"hoan_thanh_tot": 0.36, "hoan_thanh": 0.638, "chua_hoan_thanh": 0.002}
NEW_CONDUCT = {"tot": 0.72, "kha": 0.25, "dat": 0.026, "chua_dat": 0.004}
NEW_ACADEMIC = {"tot": 0.1, "kha": 0.37, "dat": 0.515, "chua_dat": 0.015}
OLD_CONDUCT = {"tot": 0.73, "kha": 0.245, "trung_binh": 0.022, "yeu": 0.003}
OLD_ACADEMIC = {"gioi": 0.08, "kha": 0.38, "trung_binh": 0.52, "yeu": 0.018, "kem": 0.002}


def _headers(sheet: Sheet) -> list[str]:
    return [f.label for f in sheet.fields]


def _title(text: str, width: int) -> tuple[list[object], str]:
    return [text] + [None] * (width - 1), f"A1:{chr(64 + min(width, 26))}1"


def _table(sheet: Sheet, title: str, subtitle: str, rows: list[list[object]]) -> SheetSpec:
    header = _headers(sheet)
    first, merge = _title(title, len(header))
    return SheetSpec(sheet.title, [first, [subtitle], [], header, *rows], merges=[merge])


def _form(sheet: Sheet, title: str, pairs: list[tuple[str, object]]) -> SheetSpec:
    first, merge = _title(title, 2)
    return SheetSpec(
        sheet.title,
        [first, [], ["Nội dung", "Giá trị"], *[[label, value] for label, value in pairs]],
        merges=[merge],
    )


DEADLINES = {"dau_nam": (10, 15, 0), "giua_nam": (1, 15, 1), "cuoi_nam": (5, 31, 1)}  # DOMAIN §3


def report_date(period: str, school_year: str, rng: random.Random, late: bool = False) -> date:
    """A date a few days before the period's deadline, or (late) a few days after it."""
    month, day, offset = DEADLINES[period]
    deadline = date(int(school_year[:4]) + offset, month, day)
    shift = rng.randint(3, 10) if late else -rng.randint(1, 12)
    return date.fromordinal(deadline.toordinal() + shift)


def school_report(
    sy: SchoolYear, school_year: str, period: str, *, late: bool = False, national_standard: str = "Chưa đạt"
) -> list[SheetSpec]:
    """The sheets of one school's report for one period."""
    rng = random.Random(f"{sy.seed}-{school_year}-{period}")
    school = sy.school
    period_label = PERIOD_LABELS[period]
    subtitle = f"Năm học {school_year} — {period_label}"
    sheets = [
        _form(
            GENERAL,
            "BÁO CÁO THỐNG KÊ GIÁO DỤC",
            [
                ("Mã trường", school.code),
                ("Tên trường", school.name),
                ("Năm học", school_year),
                ("Kỳ báo cáo", period_label),
                ("Ngày báo cáo", report_date(period, school_year, rng, late)),
                ("Người lập biểu", rng.choice(PREPARERS)),
            ],
        )
    ]
    grades = [sy.grades[g] for g in GRADES.labels.values() if g in sy.grades]
    sheets.append(
        _table(
            PUPILS,
            "BIỂU 01: SỐ LIỆU HỌC SINH",
            subtitle,
            [_pupil_row(g, period, school.level) for g in grades],
        )
    )
    sheets.append(_table(AGES, "BIỂU 02: HỌC SINH THEO ĐỘ TUỔI", subtitle, _age_rows(grades, period)))
    if period != "dau_nam" and school.level != "Mầm non":
        sheets.append(
            _table(
                ASSESSMENT,
                "BIỂU 03: KẾT QUẢ ĐÁNH GIÁ HỌC SINH",
                subtitle,
                _assessment_rows(grades, period, school_year, rng),
            )
        )
    if school.level == "Mầm non":
        sheets.append(
            _table(NUTRITION, "BIỂU 04: DINH DƯỠNG, BÁN TRÚ", subtitle, _nutrition_rows(grades, period, rng))
        )
    sheets.append(
        _table(
            STAFF,
            "BIỂU 05: ĐỘI NGŨ CÁN BỘ, GIÁO VIÊN, NHÂN VIÊN",
            subtitle,
            _staff_rows(grades, school.level, random.Random(f"{sy.seed}-staff")),
        )
    )
    sheets.append(
        _form(
            FACILITIES, "BIỂU 06: CƠ SỞ VẬT CHẤT", _facility_pairs(grades, random.Random(f"{sy.seed}-rooms"))
        )
    )
    sheets.append(
        _form(
            SCHOOL_STATUS,
            "BIỂU 07: CHỈ SỐ TRƯỜNG",
            _status_pairs(national_standard, random.Random(f"{sy.seed}-status")),
        )
    )
    if period == "cuoi_nam" and school.level != "Mầm non":
        sheets.append(_table(GIFTED, "BIỂU 08: HỌC SINH GIỎI", subtitle, _gifted_rows(school.level, rng)))
    return sheets


def _pupil_row(g: GradeYear, period: str, level: str) -> list[object]:
    enrolled = g.enrolled(period)
    planned = enrolled * PERIOD_DAYS[period]
    absent = round(planned * g.absence_rate)
    first_of_level = g.grade in ("lop_1", "lop_6", "lop_10")
    new = g.enrolled_start - g.repeaters if first_of_level else 0
    of_age = (
        sum(n for age, n in g.ages.items() if age == int(g.grade.split("_")[-1]) + 5)
        if g.grade.startswith("lop_")
        else 0
    )
    last_grade = g.grade in ("lop_5", "lop_9", "lop_12")  # the last grade of a level
    end = period == "cuoi_nam"
    promoted = enrolled - g.repeaters if end and not g.grade.startswith(("nha", "mau")) else None
    values = {
        "grade": GRADES.label_of(g.grade),
        "classes": g.classes,
        "enrolled": enrolled,
        "female": min(g.female, enrolled),
        "ethnic_minority": min(g.ethnic_minority, enrolled),
        "disabled": g.disabled,
        "enrolled_start": g.enrolled_start,
        "dropouts": g.dropouts(period),
        "planned_days": planned,
        "absent_days": absent,
        "new_entrants": new if first_of_level else None,
        "new_entrants_of_age": min(of_age, new) if first_of_level else None,
        "promoted": promoted,
        "promoted_after_resit": g.after_resit if end else None,
        "repeaters": g.repeaters if end else None,
        "completers": (promoted if last_grade else None) if end else None,
    }
    return [values[f.name] for f in PUPILS.fields]


def _age_rows(grades: list[GradeYear], period: str) -> list[list[object]]:
    by_age: dict[int, int] = {}
    female: dict[int, int] = {}
    for g in grades:
        current = g.enrolled(period)
        ages = sorted(g.ages)
        parts = _split(current, [g.ages[a] for a in ages], random.Random(0)) if current else []
        girls = _split(min(g.female, current), [g.ages[a] for a in ages], random.Random(1)) if current else []
        for a, n, w in zip(ages, parts, girls, strict=False):
            by_age[a] = by_age.get(a, 0) + n
            female[a] = female.get(a, 0) + w
    return [[age, by_age[age], female[age]] for age in sorted(by_age)]


def _levels(total: int, shares: dict[str, float], rng: random.Random) -> dict[str, int]:
    jitter = [max(1e-6, s * rng.uniform(0.8, 1.2)) for s in shares.values()]
    return dict(zip(shares, _split(total, jitter, rng), strict=True))


def _assessment_rows(
    grades: list[GradeYear], period: str, school_year: str, rng: random.Random
) -> list[list[object]]:
    rows = []
    dims = ASSESSMENT_DIMENSIONS
    old_programme_grades = _old_programme(school_year)
    for g in grades:
        if not g.grade.startswith("lop_"):
            continue
        number = int(g.grade.split("_")[1])
        assessed = g.enrolled(period)
        if number <= 5:
            plan = [("hoan_thanh_chuong_trinh", PRIMARY_LEVELS)]
        elif number in old_programme_grades:
            plan = [("hanh_kiem", OLD_CONDUCT), ("hoc_luc", OLD_ACADEMIC)]
        else:
            plan = [("ren_luyen", NEW_CONDUCT), ("hoc_tap", NEW_ACADEMIC)]
        for dimension, shares in plan:
            for level, n in _levels(assessed, shares, rng).items():
                rows.append(
                    [GRADES.label_of(g.grade), dims.label_of(dimension), ASSESSMENT_LEVELS.label_of(level), n]
                )
    return rows


def _old_programme(school_year: str) -> set[int]:
    """Secondary grades still on the old programme (the 2018 curriculum reached grade 6 in
    2021-2022 and grade 10 in 2022-2023, one grade more each year)."""
    start = int(school_year[:4])
    return {n for n in range(6, 10) if n - 6 >= start - 2020} | {
        n for n in range(10, 13) if n - 10 >= start - 2021
    }


def _nutrition_rows(grades: list[GradeYear], period: str, rng: random.Random) -> list[list]:
    nursery = sum(g.enrolled(period) for g in grades if g.grade == "nha_tre")
    kinder = sum(g.enrolled(period) for g in grades if g.grade.startswith("mau_giao"))
    rows = []
    for group, n, uw, st in (("nha_tre", nursery, 0.085, 0.095), ("mau_giao", kinder, 0.095, 0.11)):
        if n == 0:
            continue
        meals = n - (1 if rng.random() < 0.15 else 0)
        rows.append(
            [
                CHILD_GROUPS.label_of(group),
                n,
                _binomial(n, uw * rng.uniform(0.6, 1.4), rng),
                _binomial(n, st * rng.uniform(0.6, 1.4), rng),
                meals,
                n,
            ]
        )
    return rows


def _staff_rows(grades: list[GradeYear], level: str, rng: random.Random) -> list[list]:
    classes = sum(g.classes for g in grades)
    ratio = {"Mầm non": 2.0, "Tiểu học": 1.5, "THCS": 1.9, "TH&THCS": 1.7}.get(level, 1.8)
    teachers = math.ceil(classes * ratio)
    rows = []
    for group, total in (
        ("can_bo_quan_ly", rng.randint(2, 3)),
        ("giao_vien", teachers),
        ("nhan_vien", rng.randint(2, 5)),
    ):
        qualified = total if group == "can_bo_quan_ly" else total - _binomial(total, 0.06, rng)
        above = _binomial(qualified, 0.35, rng)
        rows.append([STAFF_GROUPS.label_of(group), total, _binomial(total, 0.7, rng), qualified, above])
    return rows


def _facility_pairs(grades: list[GradeYear], rng: random.Random) -> list[tuple[str, object]]:
    rooms = sum(g.classes for g in grades) + rng.randint(-1, 2)
    rooms = max(rooms, 1)
    solid = round(rooms * rng.uniform(0.55, 0.95))
    semi = round((rooms - solid) * rng.uniform(0.4, 0.9))
    temporary = round((rooms - solid - semi) * rng.uniform(0.3, 1.0))
    borrowed = rooms - solid - semi - temporary
    return [
        (f.label, v)
        for f, v in zip(
            FACILITIES.fields, [rooms, solid, semi, temporary, borrowed, rng.randint(0, 4)], strict=True
        )
    ]


def _status_pairs(national_standard: str, rng: random.Random) -> list[tuple[str, object]]:
    recurrent = round(rng.uniform(2500, 9000), 1)
    values = {
        "national_standard": national_standard,
        "accreditation": rng.choice(["Cấp độ 1", "Cấp độ 2", "Cấp độ 2", "Chưa"]),
        "stem": YES_NO.label_of("co") if rng.random() < 0.25 else YES_NO.label_of("khong"),
        "inclusive_ready": YES_NO.label_of("co") if rng.random() < 0.6 else "Không",
        "high_quality": "Không",
        "recurrent_spend": recurrent,
        "teaching_spend": round(recurrent * rng.uniform(0.12, 0.25), 1),
    }
    return [(f.label, values[f.name]) for f in SCHOOL_STATUS.fields]


def _gifted_rows(level: str, rng: random.Random) -> list[list]:
    rows = []
    for contest, (lo, hi), share in (("huyen", (4, 14), 0.5), ("tinh", (0, 4), 0.45)):
        candidates = rng.randint(lo, hi)
        if candidates == 0:
            continue
        projects = rng.choice([0, 0, 1]) if contest == "tinh" and level != "Tiểu học" else 0
        rows.append(
            [
                CONTEST_LEVELS.label_of(contest),
                candidates,
                _binomial(candidates, share * rng.uniform(0.7, 1.3), rng),
                projects,
            ]
        )
    return rows
