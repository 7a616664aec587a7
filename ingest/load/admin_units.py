"""Administrative units from the `vietnamadminunits` package, loaded as reference tables.

The package bundles the official lists (legacy 63 provinces / 696 districts / ~10,000
communes, and the 34 provinces / 3,321 communes in force from 1 July 2025) in a SQLite
file, and the old -> new converter's tables in a JSON file; nothing is fetched from the
network. The converter is keyed by names ("tinhbinhthuan_huyentuyphong_xaphongphu");
here it becomes a crosswalk by official codes:

    raw.admin_crosswalk_2025     legacy commune -> 2025 commune (a split commune has one
                                 row per part, one of them the default) and province
    raw.admin_province_crosswalk legacy province -> 2025 province

The package version is recorded with the tables; they are reloaded only when it changes.
"""

from __future__ import annotations

import json
import sqlite3
from importlib.metadata import version
from pathlib import Path

import duckdb
import pandas as pd

from ingest.load.warehouse import transaction

LEGACY_SQL = """
select provinceCode as province_code, province as province_name,
       districtCode as district_code, district as district_name, districtType as district_type,
       wardCode as commune_code, ward as commune_name, wardType as commune_type,
       wardLat as commune_lat, wardLon as commune_lon,
       districtLat as district_lat, districtLon as district_lon,
       provinceLat as province_lat, provinceLon as province_lon,
       provinceKey as province_key, districtKey as district_key, wardKey as commune_key
from admin_units_legacy
"""
CURRENT_SQL = """
select provinceCode as province_code, province as province_name,
       wardCode as commune_code, ward as commune_name, wardType as commune_type,
       wardLat as commune_lat, wardLon as commune_lon, wardAreaKm2 as commune_area_km2,
       provinceLat as province_lat, provinceLon as province_lon,
       provinceKey as province_key, wardKey as commune_key
from admin_units
"""


def package_version() -> str:
    return version("vietnamadminunits")


def dataset_path() -> Path:
    from importlib.util import find_spec  # not imported: the package loads its parsers on import

    return Path(find_spec("vietnamadminunits").origin).parent / "data" / "dataset.db"


def read_units() -> dict[str, pd.DataFrame]:
    with sqlite3.connect(f"file:{dataset_path()}?mode=ro", uri=True) as db:
        legacy = pd.read_sql_query(LEGACY_SQL, db)
        current = pd.read_sql_query(CURRENT_SQL, db)
    communes, provinces = crosswalk(legacy, current)
    return {
        "admin_units_legacy": legacy.drop(columns=["province_key", "district_key", "commune_key"]),
        "admin_units_2025": current.drop(columns=["province_key", "commune_key"]),
        "admin_crosswalk_2025": communes,
        "admin_province_crosswalk": provinces,
    }


def crosswalk(legacy: pd.DataFrame, current: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The package's name-keyed converter as code-keyed tables."""
    data = json.loads((dataset_path().parent / "converter_2025.json").read_text("utf-8"))
    old = {
        f"{r.province_key}_{r.district_key}_{r.commune_key}": r for r in legacy.itertuples() if r.commune_code
    }
    new = {(r.province_key, r.commune_key): r for r in current.itertuples()}
    rows = []

    def add(old_key: str, province_key: str, ward_key: str, split: bool, default: bool) -> None:
        before, after = old.get(old_key), new.get((province_key, ward_key))
        if before is not None and after is not None:
            rows.append(
                (
                    before.commune_code,
                    before.district_code,
                    before.province_code,
                    after.commune_code,
                    after.province_code,
                    split,
                    default,
                )
            )

    for province_key, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                add(old_key, province_key, ward_key, False, True)
    for province_key, splits in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in splits.items():
            for part in parts:
                add(old_key, province_key, part["newWardKey"], True, bool(part["isDefaultNewWard"]))
    communes = pd.DataFrame(
        rows,
        columns=[
            "legacy_commune_code",
            "legacy_district_code",
            "legacy_province_code",
            "commune_code_2025",
            "province_code_2025",
            "is_split",
            "is_default",
        ],
    ).drop_duplicates(["legacy_commune_code", "commune_code_2025"])
    old_provinces = legacy.drop_duplicates("province_key").set_index("province_key")["province_code"]
    new_provinces = current.drop_duplicates("province_key").set_index("province_key")["province_code"]
    provinces = pd.DataFrame(
        [(old_provinces[o], new_provinces[n]) for n, olds in data["DICT_PROVINCE"].items() for o in olds],
        columns=["legacy_province_code", "province_code_2025"],
    )
    return communes, provinces


def load_admin_units(con: duckdb.DuckDBPyConnection, force: bool = False) -> bool:
    """(Re)load the unit lists into raw.*; returns True when they were (re)loaded."""
    con.execute(
        "create table if not exists raw.admin_units_meta "
        "(package varchar, package_version varchar, loaded_at timestamp)"
    )
    current = con.execute("select package_version from raw.admin_units_meta").fetchone()
    if current and current[0] == package_version() and not force:
        return False
    with transaction(con):
        for name, frame in read_units().items():
            con.register("units_frame", frame)
            con.execute(f"create or replace table raw.{name} as select * from units_frame")
            con.unregister("units_frame")
        con.execute("delete from raw.admin_units_meta")
        con.execute(
            "insert into raw.admin_units_meta values ('vietnamadminunits', ?, now())", [package_version()]
        )
    return True
