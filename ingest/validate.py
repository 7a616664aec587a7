"""Validate a batch of parsed submissions with the Great Expectations suites.

One suite per sheet kind lives in expectations/<kind>.json, in GX's own format; each
expectation carries in `meta` a code, the Vietnamese message (a template over the row's
values) and a hint, and in `severity` whether it quarantines the file (critical) or only
flags it (warning). A batch is validated as one DataFrame per sheet kind — one GX
context per process, not per file — and every unexpected row is mapped back to its file,
sheet, row and column.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import pandas as pd  # noqa: E402

from ingest.cells import wide_frame  # noqa: E402
from ingest.config import PROJECT_DIR  # noqa: E402
from ingest.template import SHEETS_BY_KIND, Sheet  # noqa: E402

EXPECTATIONS_DIR = PROJECT_DIR / "expectations"


def suite_paths() -> dict[str, Path]:
    return {p.stem: p for p in sorted(EXPECTATIONS_DIR.glob("*.json"))}


@cache
def _gx():
    """The GX context and one validation definition per suite, built once per process."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("submissions")
    definitions = {}
    for kind, path in suite_paths().items():
        suite = context.suites.add(gx.ExpectationSuite(**json.loads(path.read_text("utf-8"))))
        batch = source.add_dataframe_asset(kind).add_batch_definition_whole_dataframe(kind)
        definitions[kind] = context.validation_definitions.add(
            gx.ValidationDefinition(name=kind, data=batch, suite=suite))
    return context, definitions


def build_data_docs(folder: Path) -> Path:
    """GX Data Docs of this process's validations (for engineers) -> folder/index.html."""
    context, _ = _gx()
    site = f"chitieu-{abs(hash(str(folder)))}"
    if site not in (context.get_site_names() or []):
        context.add_data_docs_site(site, {
            "class_name": "SiteBuilder", "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(folder)}})
    context.build_data_docs(site_names=[site])
    return folder / "index.html"


@dataclass
class Context:
    """What the rules need beyond the batch itself (read from the warehouse)."""

    registry_levels: dict[str, str] = field(default_factory=dict)  # school code -> school level
    previous_enrolled: dict[str, float] = field(default_factory=dict)  # file hash -> enrolled
    # of the same school's previous accepted report (for the >30 % change warning)


LEVEL_GRADES = {  # grades a school of each level may report
    "mam_non": {"nha_tre", "mau_giao_3", "mau_giao_4", "mau_giao_5"},
    "tieu_hoc": {f"lop_{n}" for n in range(1, 6)},
    "thcs": {f"lop_{n}" for n in range(6, 10)},
    "th_thcs": {f"lop_{n}" for n in range(1, 10)},
    "thcs_thpt": {f"lop_{n}" for n in range(6, 13)},
    "thpt": {f"lop_{n}" for n in range(10, 13)},
    "gdtx": {f"lop_{n}" for n in range(6, 13)},
}
DIMENSION_LEVELS = {
    "hoan_thanh_chuong_trinh": {"hoan_thanh_tot", "hoan_thanh", "chua_hoan_thanh"},
    "ren_luyen": {"tot", "kha", "dat", "chua_dat"}, "hoc_tap": {"tot", "kha", "dat", "chua_dat"},
    "hanh_kiem": {"tot", "kha", "trung_binh", "yeu", "kem"},
    "hoc_luc": {"gioi", "tot", "kha", "trung_binh", "yeu", "kem"},
}
PRIMARY_DIMENSIONS = {"hoan_thanh_chuong_trinh"}
PRESCHOOL = ("nha_tre", "mau_giao_3", "mau_giao_4", "mau_giao_5")


def _flag(condition: pd.Series) -> pd.Series:
    """1.0 where a rule holds, 0.0 where it does not, missing where it does not apply."""
    return condition.astype("float64")


def _derive(frames: dict[str, pd.DataFrame], context: Context) -> None:
    """Columns the rules need that no single cell holds (cross-row and cross-sheet)."""
    general, pupils = frames["general"], frames["pupils"]
    school_of = general.set_index("file_hash")["school_code"]
    period_of = general.set_index("file_hash")["period"]

    years = general["school_year"].astype("string").str.extract(r"^(\d{4})-(\d{4})$")
    first, second = pd.to_numeric(years[0]), pd.to_numeric(years[1])
    general["school_year_span"] = (second - first).astype("float64")
    dates = pd.to_datetime(general["report_date"], errors="coerce")
    in_year = (dates >= pd.to_datetime(first.astype("Int64").astype("string") + "-08-01",
                                       errors="coerce")) & \
              (dates <= pd.to_datetime(second.astype("Int64").astype("string") + "-08-31",
                                       errors="coerce"))
    general["report_date_in_year"] = _flag(in_year).where(dates.notna() & first.notna())
    totals = pupils.groupby("file_hash")["enrolled"].sum()
    ages_totals = frames["ages"].groupby("file_hash")["pupils"].sum()
    general["pupils_total"] = general["file_hash"].map(totals).astype("float64")
    general["ages_total"] = general["file_hash"].map(ages_totals).astype("float64")
    previous = general["file_hash"].map(context.previous_enrolled).astype("float64")
    general["enrolment_change_share"] = ((general["pupils_total"] - previous).abs()
                                         / previous.where(previous > 0))
    level = general["school_code"].map(context.registry_levels)
    kinds_present = {kind: set(frame["file_hash"]) for kind, frame in frames.items()}
    general_school = level.notna() & (level != "mam_non")
    has_assessment = _flag(general["file_hash"].isin(kinds_present["assessment"]))
    general["assessment_present_end"] = has_assessment.where(
        general_school & (general["period"] == "cuoi_nam"))
    general["assessment_present_mid"] = has_assessment.where(
        general_school & (general["period"] == "giua_nam"))
    general["nutrition_present"] = _flag(general["file_hash"].isin(kinds_present["nutrition"])
                                         ).where(level == "mam_non")

    outcomes = pupils["promoted"] + pupils["repeaters"] + pupils["dropouts"]
    gap = (outcomes - pupils["enrolled_start"]).abs() / pupils["enrolled_start"].where(
        pupils["enrolled_start"] > 0)
    pupils["outcome_gap_share"] = gap.where(pupils["promoted"].notna())
    pupil_level = pupils["file_hash"].map(school_of).map(context.registry_levels)
    pupils["grade_fits_level"] = _flag(pd.Series(
        [g in LEVEL_GRADES.get(lv, set()) for g, lv in zip(pupils["grade"], pupil_level, strict=True)],
        index=pupils.index, dtype="bool")).where(pupil_level.notna() & pupils["grade"].notna())

    assessment = frames["assessment"]
    if not assessment.empty:
        keys = ["file_hash", "grade", "dimension"]
        assessment["assessed_total"] = assessment.groupby(keys)["pupils"].transform("sum")
        enrolled = pupils.set_index(["file_hash", "grade"])["enrolled"]
        enrolled = enrolled[~enrolled.index.duplicated()]
        assessment["grade_enrolled"] = pd.Series(
            [enrolled.get((h, g)) for h, g in zip(assessment["file_hash"], assessment["grade"],
                                                  strict=True)],
            index=assessment.index, dtype="float64")
        per_dimension = assessment.groupby(keys)["pupils"].sum().reset_index()
        spread = per_dimension.groupby(["file_hash", "grade"])["pupils"].agg(["min", "max"])
        assessment["dimension_totals_spread"] = pd.Series(
            [spread["max"].get((h, g), 0) - spread["min"].get((h, g), 0)
             for h, g in zip(assessment["file_hash"], assessment["grade"], strict=True)],
            index=assessment.index, dtype="float64")
        assessment["level_fits_dimension"] = _flag(pd.Series(
            [lv in DIMENSION_LEVELS.get(d, set())
             for d, lv in zip(assessment["dimension"], assessment["level"], strict=True)],
            index=assessment.index, dtype="bool"))
        primary_grade = assessment["grade"].isin([f"lop_{n}" for n in range(1, 6)])
        assessment["dimension_fits_grade"] = _flag(
            primary_grade == assessment["dimension"].isin(PRIMARY_DIMENSIONS))
        assessment["assessed_share"] = (assessment["assessed_total"]
                                        / assessment["grade_enrolled"].where(
                                            assessment["grade_enrolled"] > 0)).where(
            assessment["file_hash"].map(period_of) == "cuoi_nam")

    nutrition = frames["nutrition"]
    if not nutrition.empty:
        group_of = pupils["grade"].map(lambda g: "nha_tre" if g == "nha_tre" else
                                       "mau_giao" if str(g).startswith("mau_giao") else None)
        by_group = pupils.assign(child_group=group_of).groupby(["file_hash", "child_group"])[
            "enrolled"].sum()
        nutrition["group_enrolled"] = pd.Series(
            [by_group.get((h, g)) for h, g in zip(nutrition["file_hash"], nutrition["group"],
                                                  strict=True)],
            index=nutrition.index, dtype="float64")

    facilities = frames["facilities"]
    if not facilities.empty:
        facilities["parts_total"] = facilities[["solid", "semi_solid", "temporary", "borrowed"]
                                               ].sum(axis=1, min_count=1)


def _display(value: object, sheet: Sheet, column: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "(trống)"
    fld = next((x for x in sheet.fields if x.name == column), None)
    if fld is not None and fld.category is not None and isinstance(value, str):
        try:
            return fld.category.label_of(value)
        except StopIteration:
            return value
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}".replace(",", ".")
        return f"{value:.2f}".replace(".", ",")
    return str(value)


class _RowValues(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def validate_batch(cells: pd.DataFrame, context: Context) -> list[dict]:
    """Finding records (file_hash, code, severity, message, hint, sheet, row, column, ...)."""
    if cells.empty:
        return []
    _, definitions = _gx()
    places = _places(cells)
    parameters = {"registry_school_codes": sorted(context.registry_levels)}
    frames = {kind: wide_frame(cells, sheet) for kind, sheet in SHEETS_BY_KIND.items()}
    _derive(frames, context)
    records: list[dict] = []
    for kind, definition in definitions.items():
        sheet = SHEETS_BY_KIND[kind]
        frame = frames[kind]
        if frame.empty:
            continue
        result = definition.run(batch_parameters={"dataframe": frame},
                                expectation_parameters=parameters,
                                result_format={"result_format": "COMPLETE"})
        for outcome in result.results:
            config = outcome.expectation_config
            if outcome.exception_info and outcome.exception_info.get("raised_exception"):
                raise RuntimeError(f"GX suite {kind}: {config.type} failed to run: "
                                   f"{outcome.exception_info.get('exception_message')}")
            if outcome.success:
                continue
            meta = config.meta or {}
            column = meta.get("field") or config.kwargs.get("column") or config.kwargs.get("column_A")
            severity = "warning" if str(config.severity).lower().endswith("warning") else "error"
            for index in outcome.result.get("unexpected_index_list") or []:
                row = frame.loc[index]
                values = _RowValues({c: _display(row[c], sheet, c) for c in frame.columns})
                sheet_name, excel_row, letter = places.get(
                    (row["file_hash"], kind, int(row["record_no"]), column),
                    places.get((row["file_hash"], kind, int(row["record_no"]), None),
                               (sheet.title, None, None)))
                records.append({
                    "file_hash": row["file_hash"], "source": "gx", "code": meta.get("code", config.type),
                    "severity": severity,
                    "message": meta.get("message", config.type).format_map(values),
                    "hint": meta.get("hint", "").format_map(values),
                    "sheet": sheet_name, "row": excel_row, "column": letter, "field": column,
                    "value": None if pd.isna(row.get(column)) else _display(row.get(column), sheet, column),
                })
    return records


def _places(cells: pd.DataFrame) -> dict[tuple, tuple[str, int | None, str | None]]:
    """(file, sheet kind, record, field) -> (sheet name, row, column) of every cell.

    The key with field None points at the record's row, for rules over several cells.
    """
    places: dict[tuple, tuple[str, int | None, str | None]] = {}
    for h, kind, name, record, row, col, fld in cells[
            ["file_hash", "sheet_kind", "sheet_name", "record_no", "row", "column", "field"]
    ].itertuples(index=False):
        places[(h, kind, record, fld)] = (name, row, col)
        places.setdefault((h, kind, record, None), (name, row if record else None, None))
    return places
