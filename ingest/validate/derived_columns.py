"""Columns the GX suites test that no single cell holds, computed before they run.

A rule such as "the pupils of the «Độ tuổi» sheet add up to those of «Học sinh»" or "this
grade is taught at a school of this level" needs values from several rows, sheets or the
registry. `derive_columns` adds them to the batch's frames (vectorised: a national batch
has millions of rows); expectations/<sheet>.json then test them like any other column —
`pupils_total`, `ages_total`, `school_in_registry`, `grade_fits_level`, `outcome_gap_share`,
`assessed_share`, `group_enrolled`, `parts_total`, …
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ingest.contract.calendar import GRADE_FACTS, LEVEL_GRADES

PRIMARY_GRADES = [g.code for g in GRADE_FACTS if g.stage == "th"]


@dataclass
class Context:
    """What the rules need beyond the batch itself (read from the warehouse)."""

    registry_levels: dict[str, str] = field(default_factory=dict)  # school code -> school level


# the levels of each assessment dimension: primary (Thông tư 27), the 2018 programme
# (Thông tư 22) and the old programme (Thông tư 58)
DIMENSION_LEVELS = {
    "hoan_thanh_chuong_trinh": {"hoan_thanh_tot", "hoan_thanh", "chua_hoan_thanh"},
    "ren_luyen": {"tot", "kha", "dat", "chua_dat"},
    "hoc_tap": {"tot", "kha", "dat", "chua_dat"},
    "hanh_kiem": {"tot", "kha", "trung_binh", "yeu", "kem"},
    "hoc_luc": {"gioi", "tot", "kha", "trung_binh", "yeu", "kem"},
}
PRIMARY_DIMENSIONS = {"hoan_thanh_chuong_trinh"}


def _flag(condition: pd.Series) -> pd.Series:
    """1.0 where a rule holds, 0.0 where it does not, missing where it does not apply."""
    return condition.astype("float64")


def _lookup(frame: pd.DataFrame, keys: list[str], table: pd.Series) -> pd.Series:
    """table[(frame's keys)] for every row of frame, vectorised (a left merge)."""
    looked = frame[keys].merge(table.rename("_value").reset_index(), on=keys, how="left")
    return pd.Series(looked["_value"].to_numpy(), index=frame.index)


def _pairs(mapping: dict[str, set[str]], names: tuple[str, str]) -> pd.Series:
    """{a: {b, …}} as a Series of True indexed by (a, b)."""
    index = pd.MultiIndex.from_tuples([(a, b) for a, bs in mapping.items() for b in bs], names=names)
    return pd.Series(True, index=index)


def derive_columns(frames: dict[str, pd.DataFrame], context: Context) -> None:
    """Columns the rules need that no single cell holds (cross-row and cross-sheet).

    Vectorised: a national batch has millions of rows."""
    general, pupils = frames["general"], frames["pupils"]
    by_file = general.set_index("file_hash")

    years = general["school_year"].astype("string").str.extract(r"^(\d{4})-(\d{4})$")
    first, second = pd.to_numeric(years[0]), pd.to_numeric(years[1])
    general["school_year_span"] = (second - first).astype("float64")
    dates = pd.to_datetime(general["report_date"], errors="coerce")
    in_year = (
        dates >= pd.to_datetime(first.astype("Int64").astype("string") + "-08-01", errors="coerce")
    ) & (dates <= pd.to_datetime(second.astype("Int64").astype("string") + "-08-31", errors="coerce"))
    general["report_date_in_year"] = _flag(in_year).where(dates.notna() & first.notna())
    totals = pupils.groupby("file_hash")["enrolled"].sum()
    ages_totals = frames["ages"].groupby("file_hash")["pupils"].sum()
    general["pupils_total"] = general["file_hash"].map(totals).astype("float64")
    general["ages_total"] = general["file_hash"].map(ages_totals).astype("float64")
    level = general["school_code"].map(context.registry_levels)
    # (not a GX value_set of every school code: GX copies its parameters into every result)
    general["school_in_registry"] = _flag(level.notna()).where(general["school_code"].notna())
    general_school = level.notna() & (level != "mam_non")
    has_assessment = _flag(general["file_hash"].isin(set(frames["assessment"]["file_hash"])))
    general["assessment_present_end"] = has_assessment.where(
        general_school & (general["period"] == "cuoi_nam")
    )
    general["assessment_present_mid"] = has_assessment.where(
        general_school & (general["period"] == "giua_nam")
    )
    general["nutrition_present"] = _flag(
        general["file_hash"].isin(set(frames["nutrition"]["file_hash"]))
    ).where(level == "mam_non")

    outcomes = pupils["promoted"] + pupils["repeaters"] + pupils["dropouts"]
    gap = (outcomes - pupils["enrolled_start"]).abs() / pupils["enrolled_start"].where(
        pupils["enrolled_start"] > 0
    )
    pupils["outcome_gap_share"] = gap.where(pupils["promoted"].notna())
    # object, not float: with no registry loaded yet every level is missing (NaN)
    pupils["_level"] = (
        pupils["file_hash"].map(by_file["school_code"]).map(context.registry_levels).astype("object")
    )
    fits = _lookup(pupils, ["_level", "grade"], _pairs(LEVEL_GRADES, ("_level", "grade")))
    pupils["grade_fits_level"] = _flag(fits.notna()).where(pupils["_level"].notna() & pupils["grade"].notna())
    pupils.drop(columns="_level", inplace=True)

    assessment = frames["assessment"]
    if not assessment.empty:
        keys = ["file_hash", "grade", "dimension"]
        assessment["assessed_total"] = assessment.groupby(keys)["pupils"].transform("sum")
        enrolled = pupils.drop_duplicates(["file_hash", "grade"]).set_index(["file_hash", "grade"])[
            "enrolled"
        ]
        assessment["grade_enrolled"] = _lookup(assessment, ["file_hash", "grade"], enrolled).astype("float64")
        per_grade = assessment.groupby(keys)["pupils"].sum().groupby(level=[0, 1]).agg(["min", "max"])
        assessment["dimension_totals_spread"] = _lookup(
            assessment, ["file_hash", "grade"], per_grade["max"] - per_grade["min"]
        ).astype("float64")
        allowed = _lookup(
            assessment, ["dimension", "level"], _pairs(DIMENSION_LEVELS, ("dimension", "level"))
        )
        assessment["level_fits_dimension"] = _flag(allowed.notna())
        primary_grade = assessment["grade"].isin(PRIMARY_GRADES)
        assessment["dimension_fits_grade"] = _flag(
            primary_grade == assessment["dimension"].isin(PRIMARY_DIMENSIONS)
        )
        end_of_year = assessment["file_hash"].map(by_file["period"]) == "cuoi_nam"
        assessment["assessed_share"] = (
            assessment["assessed_total"]
            / assessment["grade_enrolled"].where(assessment["grade_enrolled"] > 0)
        ).where(end_of_year)

    nutrition = frames["nutrition"]
    if not nutrition.empty:
        group = pupils["grade"].where(
            pupils["grade"] == "nha_tre",
            pupils["grade"].where(~pupils["grade"].astype("string").str.startswith("mau_giao"), "mau_giao"),
        )
        by_group = pupils.assign(group=group).groupby(["file_hash", "group"])["enrolled"].sum()
        nutrition["group_enrolled"] = _lookup(nutrition, ["file_hash", "group"], by_group).astype("float64")

    facilities = frames["facilities"]
    if not facilities.empty:
        facilities["parts_total"] = facilities[["solid", "semi_solid", "temporary", "borrowed"]].sum(
            axis=1, min_count=1
        )
