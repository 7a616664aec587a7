"""The schools of a sample district, with real commune codes from vietnamadminunits."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import vietnamadminunits

from ingest.contract.calendar import GRADE_FACTS, LEVEL_GRADES
from ingest.contract.template import SCHOOL_LEVELS


@dataclass(frozen=True)
class Commune:
    code: str
    name: str  # e.g. "Xã Bản Lang"
    short: str  # "Bản Lang"
    district_code: str
    district_name: str
    province_code: str
    province_name: str


@dataclass(frozen=True)
class School:
    code: str
    name: str
    level: str  # Mầm non / Tiểu học / THCS / TH&THCS / ...
    school_type: str  # Thường / PTDTBT / PTDTNT
    ownership: str
    commune: Commune
    area: str  # ĐBKK / Thuận lợi

    @property
    def grades(self) -> list[str]:
        level = LEVEL_GRADES[SCHOOL_LEVELS.code_of(self.level)]  # the contract's grade sets
        return [g.code for g in GRADE_FACTS if g.code in level]


def _dataset() -> Path:
    return Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"


@cache
def legacy_communes(district_code: str) -> tuple[Commune, ...]:
    """The communes of a legacy (pre-2025) district, ordered by code."""
    with sqlite3.connect(_dataset()) as db:
        rows = db.execute(
            "select wardCode, ward, wardShort, districtCode, district, provinceCode, province "
            "from admin_units_legacy where districtCode = ? and wardCode != '' order by wardCode",
            (district_code,),
        ).fetchall()
    return tuple(Commune(*r) for r in rows)


# Huyện Phong Thổ (tỉnh Lai Châu): its schools as the 2023-2024 plan (seed 002) names them
# where it does, otherwise named the way the district names its schools.
PHONG_THO = "109"
FAVOURABLE = {"Phong Thổ", "Mường So", "Khổng Lào", "Hoang Thèn"}
_PHONG_THO_SCHOOLS = {
    "Phong Thổ": [
        ("Mầm non", "Thường", "Trường Mầm non Thị trấn Phong Thổ"),
        ("Mầm non", "Thường", "Trường Mầm non Hoa Ban"),
        ("Tiểu học", "Thường", "Trường Tiểu học Thị trấn Phong Thổ"),
        ("THCS", "Thường", "Trường THCS Thị trấn Phong Thổ"),
    ],
    "Bản Lang": [
        ("TH&THCS", "Thường", "Trường TH&THCS số 1 Bản Lang"),
        ("Tiểu học", "PTDTBT", "Trường PTDTBT Tiểu học số 2 Bản Lang"),
    ],
    "Ma Li Pho": [
        ("Tiểu học", "PTDTBT", "Trường PTDTBT Tiểu học Ma Li Pho"),
        ("THCS", "PTDTBT", "Trường PTDTBT THCS Ma Li Pho"),
    ],
    "Dào San": [
        ("Tiểu học", "PTDTBT", "Trường PTDTBT Tiểu học số 1 Dào San"),
        ("Tiểu học", "PTDTBT", "Trường PTDTBT Tiểu học số 2 Dào San"),
        ("THCS", "PTDTBT", "Trường PTDTBT THCS Dào San"),
    ],
    "Sin Suối Hồ": [
        ("Tiểu học", "PTDTBT", "Trường PTDTBT Tiểu học số 1 Sin Suối Hồ"),
        ("Tiểu học", "PTDTBT", "Trường PTDTBT Tiểu học số 2 Sin Suối Hồ"),
        ("THCS", "PTDTBT", "Trường PTDTBT THCS Sin Suối Hồ"),
    ],
}
_COMBINED = {"Nậm Xe", "Lản Nhì Thàng", "Mồ Sì San", "Pa Vây Sử", "Vàng Ma Chải", "Mù Sang"}


def phong_tho_schools() -> list[School]:
    """48 schools in the 17 communes of huyện Phong Thổ."""
    schools: list[School] = []
    for commune in legacy_communes(PHONG_THO):
        area = "Thuận lợi" if commune.short in FAVOURABLE else "ĐBKK"
        plan = _PHONG_THO_SCHOOLS.get(commune.short)
        if plan is None:
            prefix = "PTDTBT " if area == "ĐBKK" else ""
            kind = "PTDTBT" if area == "ĐBKK" else "Thường"
            plan = [("Mầm non", "Thường", f"Trường Mầm non {commune.short}")]
            if commune.short in _COMBINED:
                plan.append(("TH&THCS", kind, f"Trường {prefix}TH&THCS {commune.short}"))
            else:
                plan.append(("Tiểu học", kind, f"Trường {prefix}Tiểu học {commune.short}"))
                plan.append(("THCS", kind, f"Trường {prefix}THCS {commune.short}"))
        elif not any(level == "Mầm non" for level, _, _ in plan):
            plan = [("Mầm non", "Thường", f"Trường Mầm non {commune.short}"), *plan]
        for level, school_type, name in plan:
            seq = len(schools) + 1
            schools.append(
                School(
                    f"{commune.province_code}{PHONG_THO}{seq:03d}",
                    name,
                    level,
                    school_type,
                    "Công lập",
                    commune,
                    area,
                )
            )
    return schools
