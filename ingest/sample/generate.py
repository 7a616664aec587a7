"""Write a landing folder of sample data: registry, census, targets and school workbooks.

`generate_phong_tho` is the demo: huyện Phong Thổ (tỉnh Lai Châu), 48 schools in its 17
real communes, school year 2023-2024, all three periods, the targets of decision
2331/QĐ-UBND — plus what real loads carry: a school that reports late, one that has not
sent its end-of-year report, a corrected resubmission, and two files that must be refused.
Seeded and byte-for-byte reproducible.
"""

from __future__ import annotations

import csv
import os
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from ingest.sample import targets_2331
from ingest.sample.schools import PHONG_THO, School, phong_tho_schools
from ingest.sample.simulate import CommuneYear, simulate_commune
from ingest.sample.workbooks import school_report
from ingest.sample.xlsx import write_xlsx
from ingest.serve.csv_safety import safe_cell

PERIODS = ("dau_nam", "giua_nam", "cuoi_nam")

REGISTRY_HEADERS = [
    "Mã trường",
    "Tên trường",
    "Cấp học",
    "Loại trường",
    "Loại hình",
    "Mã xã",
    "Vùng",
    "Áp dụng từ năm học",
    "Áp dụng đến năm học",
]
CENSUS_HEADERS = [
    "Mã xã",
    "Năm học",
    "Tuổi",
    "Dân số",
    "Nữ",
    "PCGD mầm non 5 tuổi",
    "PCGD tiểu học",
    "PCGD THCS",
    "XMC",
]
TARGET_HEADERS = [
    "Số quyết định",
    "Ngày ban hành",
    "Cơ quan giao",
    "Đơn vị nhận",
    "Cấp đơn vị nhận",
    "Năm học",
    "Mã chỉ tiêu",
    "Vùng",
    "So sánh",
    "Giá trị",
    "Ghi chú",
]


@dataclass
class SampleSummary:
    landing: Path
    schools: int = 0
    workbooks: int = 0
    broken: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def write_csv(path: Path, headers: list[str], rows: list[list[object]], encoding: str = "utf-8-sig") -> None:
    """Sample CSV files, text cells escaped against formula injection (csv_safety)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow([safe_cell(h) for h in headers])
        writer.writerows([safe_cell(v) for v in row] for row in rows)


def delivered(path: Path, day: date) -> None:
    """Set the file's time to 10:00 (Vietnam) on `day`: when the school uploaded it."""
    moment = datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC).timestamp()
    os.utime(path, (moment, moment))


def vn_number(value: float) -> str:
    """99.8 -> '99,8' as a Vietnamese clerk types it."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def registry_rows(schools: list[School], valid_from: str = "2022-2023") -> list[list[object]]:
    return [
        [s.code, s.name, s.level, s.school_type, s.ownership, s.commune.code, s.area, valid_from, ""]
        for s in schools
    ]


def census_rows(communes: dict[str, CommuneYear], school_year: str) -> list[list[object]]:
    rows = []
    for code, cy in communes.items():
        for age in range(19):
            rows.append(
                [code, school_year, age, cy.population[age], cy.female[age], "Đạt", "Mức 3", "Mức 2", "Mức 2"]
            )
    return rows


def simulate_district(schools: list[School], seed: int) -> dict[str, CommuneYear]:
    by_commune: dict[str, list[School]] = {}
    for s in schools:
        by_commune.setdefault(s.commune.code, []).append(s)
    rng = random.Random(seed)
    return {code: simulate_commune(members, rng) for code, members in sorted(by_commune.items())}


def generate_phong_tho(
    landing: Path,
    seed: int = 2023,
    school_year: str = "2023-2024",
    with_problems: bool = True,
    broken_set: bool = False,
) -> SampleSummary:
    landing = Path(landing)
    summary = SampleSummary(landing)
    schools = phong_tho_schools()
    summary.schools = len(schools)
    communes = simulate_district(schools, seed)
    rng = random.Random(seed + 1)
    standard = set(rng.sample([s.code for s in schools], 24))  # schools recognised (Mức 1/2)

    write_csv(
        landing / "registry" / "danh_muc_truong_phong_tho.csv", REGISTRY_HEADERS, registry_rows(schools)
    )
    write_csv(
        landing / "census" / f"dieu_tra_pcgd_phong_tho_{school_year}.csv",
        CENSUS_HEADERS,
        census_rows(communes, school_year),
    )
    write_csv(
        landing / "targets" / "qd_2331_phong_tho_2023-2024.csv",
        TARGET_HEADERS,
        [
            [
                targets_2331.DECISION_NO,
                targets_2331.ISSUED_ON,
                PHONG_THO,
                PHONG_THO,
                "Huyện",
                targets_2331.SCHOOL_YEAR,
                code,
                segment,
                comparator,
                value,
                sentence,
            ]
            for code, segment, comparator, value, sentence in targets_2331.TARGETS
        ],
    )

    late = {schools[7].code, schools[30].code} if with_problems else set()
    missing = {schools[40].code} if with_problems else set()
    summary.late, summary.missing = sorted(late), sorted(missing)
    for cy in communes.values():
        for sy in cy.schools:
            code = sy.school.code
            level = "Mức 2" if code in standard and rng.random() < 0.2 else "Mức 1"
            for period in PERIODS:
                if period == "cuoi_nam" and code in missing:
                    continue
                sheets = school_report(
                    sy,
                    school_year,
                    period,
                    late=(period == "dau_nam" and code in late),
                    national_standard=level if code in standard else "Chưa đạt",
                )
                path = landing / "reports" / school_year / period / f"{code}.xlsx"
                path.parent.mkdir(parents=True, exist_ok=True)
                write_xlsx(path, sheets)
                delivered(path, next(r[1] for r in sheets[0].rows if r and r[0] == "Ngày báo cáo"))
                summary.workbooks += 1
    if with_problems:
        summary.broken = _write_problems(landing, communes, school_year)
    if broken_set:
        summary.broken += write_broken_set(landing, communes, school_year)
    return summary


def generate_demo(landing: Path, seed: int = 2023) -> SampleSummary:
    """The demo's landing folder: huyện Phong Thổ (2023-2024) and huyện Tuy Phong across the
    2025 reform (2022-2023 to 2025-2026)."""
    from ingest.sample.binh_thuan import generate_tuy_phong

    summary = generate_phong_tho(landing, seed=seed)
    summary.workbooks += generate_tuy_phong(landing)
    summary.schools += 31
    return summary


def base_reports(
    communes: dict[str, CommuneYear] | None = None, school_year: str = "2023-2024"
) -> dict[str, list]:
    """The two good end-of-year reports every broken case starts from: a TH&THCS school's
    (12109002) and a preschool's (12109001)."""
    if communes is None:
        communes = simulate_district(phong_tho_schools(), 2023)
    schools = {sy.school.code: sy for cy in communes.values() for sy in cy.schools}
    return {
        "general": school_report(schools["12109002"], school_year, "cuoi_nam"),
        "preschool": school_report(schools["12109001"], school_year, "cuoi_nam"),
    }


def write_broken_set(landing: Path, communes: dict[str, CommuneYear], school_year: str) -> list[str]:
    """Every case of sample/broken.py, built from two good end-of-year reports."""
    from ingest.sample.broken import CASES, REFERENCE_CASES, write_case, write_reference_case

    bases = base_reports(communes, school_year)
    written = [write_case(case, bases, landing / "reports") for case in CASES]
    written += [write_reference_case(case, landing) for case in REFERENCE_CASES]
    return [str(p.relative_to(landing)) for p in written]


def _write_problems(landing: Path, communes: dict[str, CommuneYear], school_year: str) -> list[str]:
    """A rejected correction (girls outnumber pupils) and a CSV saved with an .xlsx name."""
    sy = next(iter(communes.values())).schools[1]
    sheets = school_report(sy, school_year, "giua_nam")
    pupils = next(s for s in sheets if s.name == "Học sinh")
    pupils.rows[4][3] = pupils.rows[4][2] + 5  # Nữ > Tổng số on the first grade
    bad = landing / "reports" / school_year / "giua_nam" / f"{sy.school.code}_sua_lai.xlsx"
    write_xlsx(bad, sheets)
    renamed = landing / "reports" / school_year / "giua_nam" / "bao_cao_truong_chua_ro.xlsx"
    renamed.write_text("Mã trường;Tổng số\n12109099;120\n", encoding="utf-8")
    return [str(bad.relative_to(landing)), str(renamed.relative_to(landing))]
