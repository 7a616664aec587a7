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
import string
from functools import cache
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import pandas as pd  # noqa: E402

from ingest.config import PROJECT_DIR  # noqa: E402
from ingest.contract.template import SHEETS_BY_KIND, Sheet  # noqa: E402
from ingest.read.cells import wide_frames  # noqa: E402
from ingest.validate.derived_columns import Context, derive_columns  # noqa: E402

EXPECTATIONS_DIR = PROJECT_DIR / "expectations"


def suite_paths() -> dict[str, Path]:
    """One suite per sheet kind (expectations/<kind>.json) and the suites across reports
    (expectations/across_reports/<name>.json)."""
    return {
        p.stem: p
        for p in sorted([*EXPECTATIONS_DIR.glob("*.json"), *EXPECTATIONS_DIR.glob("across_reports/*.json")])
    }


@cache
def _gx():
    """The GX context and one validation definition per suite, built once per process."""
    from ingest.validate.gx_import import import_gx

    gx = import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("submissions")
    definitions = {}
    for kind, path in suite_paths().items():
        suite = context.suites.add(gx.ExpectationSuite(**json.loads(path.read_text("utf-8"))))
        batch = source.add_dataframe_asset(kind).add_batch_definition_whole_dataframe(kind)
        definitions[kind] = context.validation_definitions.add(
            gx.ValidationDefinition(name=kind, data=batch, suite=suite)
        )
    return context, definitions


def build_data_docs(folder: Path) -> Path:
    """GX Data Docs of the validations this process ran since its last Data Docs (one
    batch's, for engineers) -> folder/index.html."""
    context, _ = _gx()
    while _unstored:  # the validations validate_batch kept for them
        context.validation_results_store.store_validation_results(**_unstored.pop(0))
    site = f"chitieu-{abs(hash(str(folder)))}"
    if site not in (context.get_site_names() or []):
        context.add_data_docs_site(
            site,
            {
                "class_name": "SiteBuilder",
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(folder)},
            },
        )
    context.build_data_docs(site_names=[site])
    # the site of the next batch shows that batch's validations only
    forget_validations()
    return folder / "index.html"


def forget_validations() -> None:
    """Drop the validation results this process's GX context keeps in memory: the Data Docs
    of a batch render them all, and a worker would otherwise keep every batch's."""
    _unstored.clear()
    results = _gx()[0].validation_results_store
    for key in results.list_keys():
        results.remove_key(key)


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


def _placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def validate_batch(cells: pd.DataFrame, context: Context, keep_results: bool = True) -> list[dict]:
    """Finding records (file_hash, code, severity, message, hint, sheet, row, column, ...).
    `keep_results`: the validation results are kept for the batch's Data Docs, and stored
    (serialised) only when build_data_docs builds them — off the path of a small load,
    whose Data Docs are built while the marts are."""
    if cells.empty:
        return []
    gx_context, definitions = _gx()
    frames = wide_frames(cells, SHEETS_BY_KIND)
    derive_columns(frames, context)
    store = gx_context.validation_results_store
    # for this call only, on this store only
    store.store_validation_results = _kept_for_docs if keep_results else _not_stored
    try:
        return _run_suites(definitions, frames, cells)
    finally:
        del store.store_validation_results


_unstored: list[dict] = []  # validation results kept for the next Data Docs, not stored yet


def _kept_for_docs(**result) -> None:
    """ValidationResultsStore.store_validation_results, put off until the Data Docs are
    built (GX discards the return value of a local store's)."""
    _unstored.append(result)


def _not_stored(**_) -> None:
    """ValidationResultsStore.store_validation_results, storing nothing."""


def validate_history(new_files: pd.DataFrame, previous: dict[str, float]) -> list[dict]:
    """The suites across reports, over every new report at once (see validate.history.check_history)."""
    _, definitions = _gx()
    frame = new_files[["file_hash", "school_code", "pupils_total"]].copy()
    frame["record_no"] = 0
    frame["previous_total"] = frame["file_hash"].map(previous).astype("float64")
    frame["enrolment_change_share"] = (frame["pupils_total"] - frame["previous_total"]).abs() / frame[
        "previous_total"
    ].where(frame["previous_total"] > 0)
    frame = frame.reset_index(drop=True)
    return _run_suites({"history": definitions["history"]}, {"history": frame}, None)


def _run_suites(definitions: dict, frames: dict[str, pd.DataFrame], cells: pd.DataFrame | None) -> list[dict]:
    records: list[dict] = []
    for kind, definition in definitions.items():
        if kind not in frames:
            continue
        sheet = SHEETS_BY_KIND.get(kind, SHEETS_BY_KIND["pupils"])
        frame = frames[kind]
        if frame.empty:
            continue
        result = definition.run(
            batch_parameters={"dataframe": frame},
            # every failing row (its index), without the pandas query that would select them
            result_format={"result_format": "COMPLETE", "return_unexpected_index_query": False},
        )
        for outcome in result.results:
            config = outcome.expectation_config
            if outcome.exception_info and outcome.exception_info.get("raised_exception"):
                raise RuntimeError(
                    f"GX suite {kind}: {config.type} failed to run: "
                    f"{outcome.exception_info.get('exception_message')}"
                )
            if outcome.success:
                continue
            meta = config.meta or {}
            column = meta.get("field") or config.kwargs.get("column") or config.kwargs.get("column_A")
            severity = "warning" if str(config.severity).lower().endswith("warning") else "error"
            message, hint = meta.get("message", config.type), meta.get("hint", "")
            wanted = [
                c for c in {*_placeholders(message), *_placeholders(hint), column} if c in frame.columns
            ]
            unexpected = outcome.result.get("unexpected_index_list") or []
            # the failing rows at once (a row at a time costs a millisecond each)
            for row in frame.loc[
                unexpected, ["file_hash", "record_no", *(set(wanted) - {"file_hash", "record_no"})]
            ].to_dict("records"):
                values = _RowValues({c: _display(row[c], sheet, c) for c in wanted})
                records.append(
                    {
                        "file_hash": row["file_hash"],
                        "source": "gx",
                        "code": meta.get("code", config.type),
                        "severity": severity,
                        "message": message.format_map(values),
                        "hint": hint.format_map(values),
                        "sheet_kind": kind,
                        "record_no": int(row["record_no"]),
                        "field": column,
                        "value": None if pd.isna(row.get(column)) else values[column],
                        "fix_in": meta.get("fix_in"),  # the sheet kind the clerk must correct
                    }
                )
    if cells is None:  # rules across reports point at the report's general sheet
        for r in records:
            r.update(sheet="Thông tin chung", row=None, column=None)
            r.pop("sheet_kind"), r.pop("record_no")
        return records
    return _place(records, cells)


def _point_at_the_sheet_to_fix(placed: pd.DataFrame, cells: pd.DataFrame) -> None:
    """A rule between two sheets (ages against pupils) names the sheet the clerk must correct
    (its `fix_in` sheet kind, as the file names it), not a cell of the other one."""
    if "fix_in" not in placed or placed["fix_in"].isna().all():
        return
    names = cells.drop_duplicates(["file_hash", "sheet_kind"]).set_index(["file_hash", "sheet_kind"])[
        "sheet_name"
    ]
    titles = {kind: sheet.title for kind, sheet in SHEETS_BY_KIND.items()}
    for i in placed.index[placed["fix_in"].notna()]:
        kind = placed.at[i, "fix_in"]
        placed.at[i, "sheet"] = names.get((placed.at[i, "file_hash"], kind), titles.get(kind))
        placed.at[i, "row"], placed.at[i, "column"] = None, None


def _place(records: list[dict], cells: pd.DataFrame) -> list[dict]:
    """Give each finding its sheet name, Excel row and column, from the cells it is about.

    A rule over several cells points at its record's row (and the field's column when the
    field has a cell there); only the failing records' cells are looked at."""
    if not records:
        return []
    found = pd.DataFrame(records)
    keys = ["file_hash", "sheet_kind", "record_no"]
    # the failing files' cells first: a merge over the batch's million cells costs more
    mine = cells[cells["file_hash"].isin(found["file_hash"].unique())]
    mine = mine.merge(found[keys].drop_duplicates(), on=keys)
    exact = mine[["file_hash", "sheet_kind", "record_no", "field", "sheet_name", "row", "column"]]
    record_place = mine.groupby(keys).agg(sheet_name=("sheet_name", "first"), row=("row", "min"))
    placed = found.merge(exact, on=[*keys, "field"], how="left").merge(
        record_place.reset_index().rename(columns={"sheet_name": "record_sheet", "row": "record_row"}),
        on=keys,
        how="left",
    )
    titles = {kind: sheet.title for kind, sheet in SHEETS_BY_KIND.items()}
    placed["sheet"] = (
        placed["sheet_name"].fillna(placed["record_sheet"]).fillna(placed["sheet_kind"].map(titles))
    )
    form = placed["record_no"] == 0
    placed["row"] = placed["row"].fillna(placed["record_row"].where(~form)).astype("Int64")
    _point_at_the_sheet_to_fix(placed, cells)
    out = placed[
        [
            "file_hash",
            "source",
            "code",
            "severity",
            "message",
            "hint",
            "sheet",
            "row",
            "column",
            "field",
            "value",
        ]
    ]
    return out.astype(object).where(out.notna(), None).to_dict("records")
