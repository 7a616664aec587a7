"""Administrative units from the `vietnamadminunits` package, loaded as reference tables.

The package bundles the official lists (legacy 63 provinces / 696 districts / ~10,000
communes, and the 34 provinces / 3,321 communes in force from 1 July 2025) in a SQLite
file; nothing is fetched from the network. The package version is recorded with the
tables, and they are reloaded only when it changes.
"""

from __future__ import annotations

import sqlite3
from importlib.metadata import version
from pathlib import Path

import duckdb
import pandas as pd
import vietnamadminunits

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
    return Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"


def read_units() -> dict[str, pd.DataFrame]:
    with sqlite3.connect(f"file:{dataset_path()}?mode=ro", uri=True) as db:
        return {"admin_units_legacy": pd.read_sql_query(LEGACY_SQL, db),
                "admin_units_2025": pd.read_sql_query(CURRENT_SQL, db)}


def load_admin_units(con: duckdb.DuckDBPyConnection, force: bool = False) -> bool:
    """(Re)load the unit lists into raw.*; returns True when they were (re)loaded."""
    con.execute("create table if not exists raw.admin_units_meta "
                "(package varchar, package_version varchar, loaded_at timestamp)")
    current = con.execute("select package_version from raw.admin_units_meta").fetchone()
    if current and current[0] == package_version() and not force:
        return False
    con.execute("begin transaction")
    try:
        for name, frame in read_units().items():
            con.register("units_frame", frame)
            con.execute(f"create or replace table raw.{name} as select * from units_frame")
            con.unregister("units_frame")
        con.execute("delete from raw.admin_units_meta")
        con.execute("insert into raw.admin_units_meta values ('vietnamadminunits', ?, now())",
                    [package_version()])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return True
