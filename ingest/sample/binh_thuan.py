"""Huyện Tuy Phong (tỉnh Bình Thuận, district 595) across the 2025 reform.

Tỉnh Bình Thuận (60) joined tỉnh Lâm Đồng (68) on 1 July 2025; the district level was
abolished and Tuy Phong's 11 communes became 4 (Liên Hương, Phan Rí Cửa, Tuy Phong, Vĩnh
Hảo; xã Phong Phú was split). The sample has reports for 2022-2023 and 2024-2025 (end of
year) and 2023-2024 and 2025-2026 (all periods); from 2025-2026 the registry places each
school in its new commune, one school is renamed and one is merged into another.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from ingest.load.admin_units import read_units
from ingest.sample.schools import Commune, School, legacy_communes
from ingest.sample.simulate import simulate_commune
from ingest.sample.workbooks import school_report
from ingest.sample.xlsx import write_xlsx

TUY_PHONG = "595"
REFORM_YEAR = "2025-2026"
YEARS = {
    "2022-2023": ("cuoi_nam",),
    "2023-2024": ("dau_nam", "giua_nam", "cuoi_nam"),
    "2024-2025": ("cuoi_nam",),
    "2025-2026": ("dau_nam", "giua_nam", "cuoi_nam"),
}
DIFFICULT = {"Phan Dũng"}
SMALL = {"Vĩnh Tân", "Phú Lạc", "Phước Thể", "Bình Thạnh"}  # one TH&THCS school
RENAMED = ("Trường Tiểu học Thị trấn Liên Hương", "Trường Tiểu học Liên Hương")
MERGED = ("Trường Tiểu học số 2 Thị trấn Liên Hương", RENAMED[0])  # the first joins the second


def tuy_phong_schools() -> list[School]:
    schools: list[School] = []
    for commune in legacy_communes(TUY_PHONG):
        town = commune.name.startswith("Thị trấn")
        place = f"Thị trấn {commune.short}" if town else commune.short
        area = "ĐBKK" if commune.short in DIFFICULT else "Thuận lợi"
        plan = [("Mầm non", f"Trường Mầm non {place}")]
        if commune.short in SMALL:
            plan.append(("TH&THCS", f"Trường TH&THCS {place}"))
        else:
            plan.append(("Tiểu học", f"Trường Tiểu học {place}"))
            plan.append(("THCS", f"Trường THCS {place}"))
        if town:
            plan.append(("Tiểu học", f"Trường Tiểu học số 2 {place}"))
        for level, name in plan:
            kind = "PTDTBT" if area == "ĐBKK" and level != "Mầm non" else "Thường"
            schools.append(
                School(f"60{TUY_PHONG}{len(schools) + 1:03d}", name, level, kind, "Công lập", commune, area)
            )
    return schools


def new_commune_of() -> dict[str, Commune]:
    """Legacy commune code -> its default 2025 commune (as a Commune with no district)."""
    units = read_units()
    crosswalk = units["admin_crosswalk_2025"]
    crosswalk = crosswalk[crosswalk["is_default"]]
    current = units["admin_units_2025"].set_index("commune_code")
    out = {}
    for row in crosswalk[crosswalk["legacy_district_code"] == TUY_PHONG].itertuples():
        unit = current.loc[row.commune_code_2025]
        out[row.legacy_commune_code] = Commune(
            row.commune_code_2025,
            unit.commune_name,
            unit.commune_name.split(" ", 1)[1],
            "",
            "",
            unit.province_code,
            unit.province_name,
        )
    return out


def schools_in(year: str, schools: list[School]) -> list[School]:
    """The schools open in `year`, named and placed as the registry of that year says."""
    if year < REFORM_YEAR:
        return schools
    moved = new_commune_of()
    out = []
    for s in schools:
        if s.name == MERGED[0]:
            continue
        out.append(
            replace(s, commune=moved[s.commune.code], name=RENAMED[1] if s.name == RENAMED[0] else s.name)
        )
    return out


def registry_rows(schools: list[School]) -> list[list[object]]:
    moved = new_commune_of()
    rows = []
    for s in schools:
        last = "2024-2025"
        rows.append(
            [s.code, s.name, s.level, s.school_type, s.ownership, s.commune.code, s.area, "2022-2023", last]
        )
        if s.name != MERGED[0]:
            name = RENAMED[1] if s.name == RENAMED[0] else s.name
            rows.append(
                [
                    s.code,
                    name,
                    s.level,
                    s.school_type,
                    s.ownership,
                    moved[s.commune.code].code,
                    s.area,
                    REFORM_YEAR,
                    "",
                ]
            )
    return rows


def simulate_year(schools: list[School], year: str, seed: int):
    """CommuneYears of `year`, by legacy commune (the population does not move with the map).

    `schools` carry their legacy commune; the caller renames and re-places them after."""
    by_legacy: dict[str, list[School]] = {}
    for s in schools:
        by_legacy.setdefault(s.commune.code, []).append(s)
    rng = random.Random(f"{seed}-{year}")
    return {code: simulate_commune(members, rng) for code, members in sorted(by_legacy.items())}


def generate_tuy_phong(landing: Path, seed: int = 2025) -> int:
    """Write Tuy Phong's registry, census, targets and reports; returns the workbook count."""
    from ingest.sample.generate import CENSUS_HEADERS, REGISTRY_HEADERS, TARGET_HEADERS, delivered, write_csv

    schools = tuy_phong_schools()
    moved = new_commune_of()
    write_csv(
        landing / "registry" / "danh_muc_truong_tuy_phong.csv", REGISTRY_HEADERS, registry_rows(schools)
    )
    workbooks = 0
    for year, periods in YEARS.items():
        active = schools_in(year, schools)
        communes = simulate_year([s for s in schools if s.code in {a.code for a in active}], year, seed)
        census: dict[str, dict[int, list[int]]] = {}
        for legacy_code, cy in communes.items():
            code = moved[legacy_code].code if year >= REFORM_YEAR else legacy_code
            for age in range(19):
                cell = census.setdefault(code, {}).setdefault(age, [0, 0])
                cell[0] += cy.population[age]
                cell[1] += cy.female[age]
        write_csv(
            landing / "census" / f"dieu_tra_pcgd_tuy_phong_{year}.csv",
            CENSUS_HEADERS,
            [
                [code, year, age, pop, fem, "Đạt", "Mức 3", "Mức 2", "Mức 2"]
                for code, ages in sorted(census.items())
                for age, (pop, fem) in ages.items()
            ],
        )
        named = {s.code: s for s in active}
        for cy in communes.values():
            for sy in cy.schools:
                sy.school = named[sy.school.code]
                for period in periods:
                    sheets = school_report(sy, year, period)
                    path = landing / "reports" / year / period / f"{sy.school.code}.xlsx"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    write_xlsx(path, sheets)
                    delivered(path, next(r[1] for r in sheets[0].rows if r and r[0] == "Ngày báo cáo"))
                    workbooks += 1
    write_csv(
        landing / "targets" / "kh_3461_binh_thuan_2023-2024.csv",
        TARGET_HEADERS,
        [
            [
                "3461/KH-UBND",
                "14/09/2023",
                "60",
                "60",
                "Tỉnh",
                "2023-2024",
                "teaching_spend_share",
                "",
                "tối thiểu",
                "19",
                "chi cho hoạt động giảng dạy và học tập đạt tỷ lệ tối thiểu 19% "
                "trong tổng chi thường xuyên (seed 004)",
            ]
        ],
    )
    write_csv(
        landing / "targets" / "mau_lam_dong_2025-2026.csv",
        TARGET_HEADERS,
        [
            [
                "01/QĐ-MẪU",
                "15/09/2025",
                "68",
                "68",
                "Tỉnh",
                REFORM_YEAR,
                code,
                "",
                cmp,
                value,
                "Chỉ tiêu mẫu cho tỉnh Lâm Đồng sau sáp nhập (dữ liệu thử, không phải văn bản thật)",
            ]
            for code, cmp, value in (
                ("thcs_dropout", "dưới", "0,7"),
                ("th_attendance", ">=", "98,7"),
                ("mn_enrol_3_5", ">=", "99,8"),
            )
        ],
    )
    return workbooks
