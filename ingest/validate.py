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
    """The GX context and one batch definition per suite, built once per process."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("submissions")
    definitions, suites = {}, {}
    for kind, path in suite_paths().items():
        suites[kind] = context.suites.add(gx.ExpectationSuite(**json.loads(path.read_text("utf-8"))))
        definitions[kind] = source.add_dataframe_asset(kind).add_batch_definition_whole_dataframe(kind)
    return context, definitions, suites


def _derive(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Columns the rules need that no single cell holds."""
    if kind == "general":
        years = frame["school_year"].astype("string").str.extract(r"^(\d{4})-(\d{4})$")
        frame["school_year_span"] = (pd.to_numeric(years[1]) - pd.to_numeric(years[0])).astype("float64")
    if kind == "pupils":
        outcomes = frame["promoted"] + frame["repeaters"] + frame["dropouts"]
        gap = (outcomes - frame["enrolled_start"]).abs() / frame["enrolled_start"].where(
            frame["enrolled_start"] > 0)
        frame["outcome_gap_share"] = gap.where(frame["promoted"].notna())
    return frame


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


def validate_batch(cells: pd.DataFrame, registry_codes: set[str]) -> list[dict]:
    """Finding records (file_hash, code, severity, message, hint, sheet, row, column, ...)."""
    if cells.empty:
        return []
    _, definitions, suites = _gx()
    places = _places(cells)
    parameters = {"registry_school_codes": sorted(registry_codes)}
    records: list[dict] = []
    for kind, suite in suites.items():
        sheet = SHEETS_BY_KIND[kind]
        frame = wide_frame(cells, sheet)
        if frame.empty:
            continue
        frame = _derive(kind, frame)
        batch = definitions[kind].get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(suite, expectation_parameters=parameters,
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
