"""A national sample: every legacy province, about 43,000 schools, for the benchmark.

Schools are laid out commune by commune over the 10,035 real communes of
vietnamadminunits (legacy map), in the real mix of levels: one or two preschools per
commune, primary and lower-secondary schools (or a combined TH&THCS school in small
communes), upper-secondary schools per district; towns and wards get more and bigger
schools. Deterministic: the same arguments write the same bytes.

    reports/<year>/<period>/<province>/<district>/<school>.xlsx
    registry/, census/, targets/ one file per province
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ingest.load.admin_units import dataset_path
from ingest.sample import targets_2331
from ingest.sample.schools import Commune, School

PERIODS = ("dau_nam", "giua_nam", "cuoi_nam")


@dataclass
class NationalSummary:
    provinces: int = 0
    schools: int = 0
    workbooks: int = 0


def communes_by_province(provinces: Iterable[str] | None = None) -> dict[str, list[Commune]]:
    with sqlite3.connect(dataset_path()) as db:
        rows = db.execute(
            "select wardCode, ward, wardShort, districtCode, district, provinceCode, province "
            "from admin_units_legacy where wardCode != '' order by provinceCode, districtCode, wardCode"
        ).fetchall()
    wanted = set(provinces) if provinces else None
    out: dict[str, list[Commune]] = {}
    for row in rows:
        if wanted is None or row[5] in wanted:
            out.setdefault(row[5], []).append(Commune(*row))
    return out


def plan_schools(communes: list[Commune]) -> list[School]:
    """The schools of one province, commune by commune (codes <province><district><seq>)."""
    schools: list[School] = []
    districts: dict[str, int] = {}
    for commune in communes:
        rng = random.Random(f"plan-{commune.code}")
        urban = commune.name.startswith("Phường")
        town = commune.name.startswith("Thị trấn")
        area = "Thuận lợi" if urban or town or rng.random() < 0.55 else "ĐBKK"
        plan = ["Mầm non"] * (2 if urban or town else 1)
        plan += ["Mầm non"] if rng.random() < (0.5 if urban else 0.45) else []
        if not (urban or town) and rng.random() < 0.15:
            plan.append("TH&THCS")
        else:
            plan += ["Tiểu học"] * (2 if town else 1) + (["Tiểu học"] if rng.random() < 0.35 else [])
            plan.append("THCS")
        first_in_district = districts.get(commune.district_code, 0) == 0
        districts[commune.district_code] = districts.get(commune.district_code, 0) + 1
        if first_in_district or (urban and rng.random() < 0.3) or rng.random() < 0.22:
            plan.append("THPT" if rng.random() > 0.15 else "THCS&THPT")
        for i, level in enumerate(plan):
            seq = sum(1 for s in schools if s.commune.district_code == commune.district_code) + 1
            name = {
                "Mầm non": "Trường Mầm non",
                "Tiểu học": "Trường Tiểu học",
                "THCS": "Trường THCS",
                "TH&THCS": "Trường TH&THCS",
                "THPT": "Trường THPT",
                "THCS&THPT": "Trường THCS&THPT",
            }[level]
            suffix = f" số {plan[: i + 1].count(level)}" if plan.count(level) > 1 else ""
            kind = "PTDTBT" if area == "ĐBKK" and level in ("Tiểu học", "THCS", "TH&THCS") else "Thường"
            schools.append(
                School(
                    f"{commune.province_code}{commune.district_code}{seq:03d}",
                    f"{name}{suffix} {commune.short}",
                    level,
                    kind,
                    "Công lập",
                    commune,
                    area,
                )
            )
    return schools


def _write_province(args: tuple) -> tuple[int, int]:
    """Registry, census, targets and reports of one province (runs in a worker process)."""
    from ingest.sample.generate import (
        CENSUS_HEADERS,
        REGISTRY_HEADERS,
        TARGET_HEADERS,
        census_rows,
        delivered,
        registry_rows,
        write_csv,
    )
    from ingest.sample.simulate import simulate_commune
    from ingest.sample.workbooks import school_report
    from ingest.sample.xlsx import write_xlsx

    landing, province, communes, limit, periods, school_year, seed = args
    schools = plan_schools(communes)[:limit] if limit else plan_schools(communes)
    by_commune: dict[str, list[School]] = {}
    for s in schools:
        by_commune.setdefault(s.commune.code, []).append(s)
    rng = random.Random(f"{seed}-{province}")
    simulated = {code: simulate_commune(members, rng) for code, members in by_commune.items()}
    write_csv(
        landing / "registry" / f"danh_muc_truong_{province}.csv", REGISTRY_HEADERS, registry_rows(schools)
    )
    write_csv(
        landing / "census" / f"dieu_tra_pcgd_{province}_{school_year}.csv",
        CENSUS_HEADERS,
        census_rows(simulated, school_year),
    )
    districts = sorted({s.commune.district_code for s in schools})
    write_csv(
        landing / "targets" / f"chi_tieu_{province}_{school_year}.csv",
        TARGET_HEADERS,
        [
            [
                f"{district}/QĐ-MẪU",
                "08/09/2023",
                district,
                district,
                "Huyện",
                school_year,
                code,
                segment,
                comparator,
                value,
                "Chỉ tiêu mẫu theo QĐ 2331/QĐ-UBND (dữ liệu thử)",
            ]
            for district in districts
            for code, segment, comparator, value, _ in targets_2331.TARGETS
            if code not in ("universalisation_communes", "national_standard_schools")
        ],
    )
    standard = random.Random(f"standard-{province}")
    written = 0
    for cy in simulated.values():
        for sy in cy.schools:
            level = "Mức 1" if standard.random() < 0.45 else "Chưa đạt"
            for period in periods:
                sheets = school_report(sy, school_year, period, national_standard=level)
                path = (
                    landing
                    / "reports"
                    / school_year
                    / period
                    / province
                    / sy.school.commune.district_code
                    / f"{sy.school.code}.xlsx"
                )
                path.parent.mkdir(parents=True, exist_ok=True)
                write_xlsx(path, sheets)
                delivered(path, next(r[1] for r in sheets[0].rows if r and r[0] == "Ngày báo cáo"))
                written += 1
    return len(schools), written


def generate_national(
    landing: Path,
    provinces: list[str] | None = None,
    schools: int | None = None,
    periods: tuple[str, ...] = PERIODS,
    school_year: str = "2023-2024",
    seed: int = 2023,
    workers: int | None = None,
) -> NationalSummary:
    """Write the national sample; `schools` caps the total (spread over the provinces)."""
    by_province = communes_by_province(provinces)
    per_province = None
    if schools:
        per_province = max(1, -(-schools // len(by_province)))
    jobs = [
        (Path(landing), code, communes, per_province, tuple(periods), school_year, seed)
        for code, communes in by_province.items()
    ]
    summary = NationalSummary(provinces=len(jobs))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for n_schools, n_workbooks in pool.map(_write_province, jobs):
            summary.schools += n_schools
            summary.workbooks += n_workbooks
    return summary
