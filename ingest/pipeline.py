"""The load, step by step: what `chitieu run` and the Airflow DAG both call.

    load_reference_files  registry, census, targets -> raw.*            (per file)
    parse_reports         new workbooks -> raw/reports/<batch>/         (no database)
    validate_reports      GX suites over the batch -> validated/<batch>/
    load_reports          ledger + cells + findings -> raw.*, one transaction;
                          refused files -> quarantine/ with Vietnamese feedback
    build_marts           dbt build: staging -> intermediate -> marts
    publish               serving snapshot, Parquet, PostgreSQL (publish.py)

A file is known by its content hash: one already in the ledger is skipped at every step,
so running the load twice, or retrying any step, changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from ingest import findings as f
from ingest import raw_zone, warehouse
from ingest.admin_units import load_admin_units
from ingest.cells import cells_frame
from ingest.config import Paths
from ingest.landing import Arrival, discover, misplaced
from ingest.quarantine import as_findings, quarantine_file, write_feedback
from ingest.reference import read_reference
from ingest.template import PERIODS
from ingest.text import match_key
from ingest.transform import run_dbt
from ingest.workbook import read_workbook

_YEAR_IN_PATH = re.compile(r"(?<!\d)(\d{4})\s*[-_–]\s*(\d{4})(?!\d)")


@dataclass
class RunSummary:
    published: object = None  # publish.Published
    seen: int = 0
    already_loaded: int = 0
    loaded: pd.DataFrame = field(default_factory=pd.DataFrame)  # ledger rows of this run
    findings: pd.DataFrame = field(default_factory=pd.DataFrame)
    models: list[str] = field(default_factory=list)
    dbt_failures: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return 0 if self.loaded.empty else int((self.loaded["status"] == status).sum())


def known_hashes(paths: Paths) -> set[str]:
    if not paths.warehouse.exists():
        return set()
    with warehouse.connect(paths.warehouse, read_only=True) as con:
        try:
            return warehouse.known_hashes(con)
        except duckdb.CatalogException:
            return set()


def new_arrivals(paths: Paths, kinds: tuple[str, ...]) -> tuple[list[Arrival], int]:
    """Arrivals of `kinds` not in the ledger (first copy of each content), and how many were known."""
    known = known_hashes(paths)
    fresh, seen, skipped = [], set(), 0
    for arrival in discover(paths.landing):
        if arrival.kind not in kinds:
            continue
        if arrival.sha256 in known or arrival.sha256 in seen:
            skipped += 1
            continue
        seen.add(arrival.sha256)
        fresh.append(arrival)
    return fresh, skipped


def _file_row(arrival: Arrival, kind: str, general: dict | None = None) -> dict:
    general = general or {}
    return {"file_hash": arrival.sha256, "kind": kind or "unknown",
            "landing_path": arrival.relpath, "size_bytes": arrival.size,
            "received_at": arrival.received_at,
            "school_code": general.get("school_code"), "school_name": general.get("school_name"),
            "school_year": general.get("school_year"), "period": general.get("period"),
            "report_date": general.get("report_date")}


def _records(file_hash: str, source: str, items: list[f.Finding]) -> list[dict]:
    return [{"file_hash": file_hash, "source": source, **x.as_record()} for x in items]


def _quarantine(paths: Paths, ledger: pd.DataFrame, findings: pd.DataFrame) -> None:
    """Refused files -> quarantine/<hash>/, flagged ones -> feedback/<hash>/, with feedback."""
    if ledger.empty:
        return
    for row in ledger[ledger["status"] != "accepted"].to_dict("records"):
        school = row.get("school_name") or row.get("school_code")
        school = school if isinstance(school, str) else None
        mine = as_findings(findings[findings["file_hash"] == row["file_hash"]])
        if row["status"] == "rejected":
            quarantine_file(paths.quarantine, paths.landing / row["landing_path"], row["file_hash"],
                            row["landing_path"], mine, school)
        else:
            write_feedback(paths.feedback / row["file_hash"], row["landing_path"], mine, school)


def refresh_admin_units(paths: Paths, force: bool = False) -> bool:
    """Administrative units and the 2025 crosswalk from vietnamadminunits -> raw.*;
    reloaded only when the package version changed (or `force`). True when (re)loaded."""
    paths.make_dirs()
    with warehouse.connect(paths.warehouse) as con:
        return load_admin_units(con, force=force)


def load_reference_files(paths: Paths) -> RunSummary:
    """Registry, census and target files (and stray files) -> raw.*, one file at a time."""
    paths.make_dirs()
    summary = RunSummary()
    arrivals, summary.already_loaded = new_arrivals(paths, ("registry", "census", "targets", ""))
    ledgers, all_findings = [], []
    for arrival in arrivals:
        problem = misplaced(arrival)
        if problem is not None:
            parsed_findings, frame = [problem], pd.DataFrame()
        else:
            parsed = read_reference(arrival.path, arrival.kind)
            parsed_findings, frame = parsed.findings, parsed.frame
        findings = raw_zone.findings_frame(_records(arrival.sha256, "reader", parsed_findings))
        files = pd.DataFrame([_file_row(arrival, arrival.kind)])
        reference = {}
        if not f.has_errors(parsed_findings) and arrival.kind:
            reference = {arrival.kind: frame.assign(file_hash=arrival.sha256)}
        with warehouse.connect(paths.warehouse) as con:
            ledger = warehouse.load_files(con, files, findings, reference=reference)
        _quarantine(paths, ledger, findings)
        ledgers.append(ledger)
        all_findings.append(findings)
    summary.seen = len(arrivals) + summary.already_loaded
    summary.loaded = pd.concat(ledgers, ignore_index=True) if ledgers else pd.DataFrame()
    summary.findings = pd.concat(all_findings, ignore_index=True) if all_findings else pd.DataFrame()
    return summary


def _path_contradictions(arrival: Arrival, general: dict) -> list[f.Finding]:
    """A year or period folder in the landing path that the workbook contradicts."""
    out = []
    folders = Path(arrival.relpath).parts[1:-1]
    for folder in folders:
        year = _YEAR_IN_PATH.search(folder)
        stated = general.get("school_year")
        form = _YEAR_IN_PATH.fullmatch(stated or "")  # a malformed year is GX's to report
        well_formed = bool(form and int(form.group(2)) == int(form.group(1)) + 1)
        if year and well_formed and f"{year.group(1)}-{year.group(2)}" != stated:
            out.append(f.error("REPORT_YEAR_NOT_FOLDER", f"Năm học trong tệp ({stated}) khác năm "
                               f"học của thư mục nộp ({year.group(1)}-{year.group(2)}).",
                               "Sửa «Năm học» ở sheet «Thông tin chung» hoặc nộp vào đúng thư mục "
                               "năm học.", sheet="Thông tin chung", field="school_year"))
        period = PERIODS.code_of(folder) or PERIODS.code_of(match_key(folder).replace("_", " "))
        if period and general.get("period") and period != general["period"]:
            out.append(f.error("REPORT_PERIOD_NOT_FOLDER", "Kỳ báo cáo trong tệp khác kỳ của thư mục "
                               f"nộp ({folder}).", "Sửa «Kỳ báo cáo» ở sheet «Thông tin chung» hoặc "
                               "nộp vào đúng thư mục của kỳ.", sheet="Thông tin chung",
                               field="period"))
    return out


def parse_reports(paths: Paths, arrivals: list[Arrival] | None = None) -> Path | None:
    """Parse new report workbooks into a raw-zone batch; None when nothing is new."""
    paths.make_dirs()
    raw_zone.clean_temporary(paths.raw)
    if arrivals is None:
        arrivals, _ = new_arrivals(paths, ("reports",))
    if not arrivals:
        return None
    files, cells, found = [], {}, []
    for arrival in arrivals:
        parsed = read_workbook(arrival.path)
        problems = list(parsed.findings)
        if any(x.code in ("SHEET_MISSING", "FILE_NOT_XLSX_TEXT") for x in problems):
            wrong = misplaced(arrival)
            if wrong is not None:
                problems = [wrong]
        problems += _path_contradictions(arrival, parsed.general)
        files.append(_file_row(arrival, "reports", parsed.general))
        found += _records(arrival.sha256, "reader", problems)
        if not f.has_errors(problems):
            cells[arrival.sha256] = parsed.cells
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    batch = f"{stamp}-{arrivals[0].sha256[:8]}-{len(arrivals)}"
    return raw_zone.write_parts(paths.raw / "reports" / batch, {
        "files": pd.DataFrame(files, columns=raw_zone.FILE_COLUMNS),
        "cells": cells_frame(cells),
        "findings": raw_zone.findings_frame(found),
    })


def previous_enrolment(history: pd.DataFrame, files: pd.DataFrame,
                       cells: pd.DataFrame) -> dict[str, float]:
    """File hash -> total enrolled of the same school's previous report (accepted earlier,
    or earlier in this batch): the base of the "changed by more than 30 %" warning.

    Reports are ordered by (school year, period, arrival); the batch arrives last.
    """
    order = {"dau_nam": 1, "giua_nam": 2, "cuoi_nam": 3}
    totals = (cells[(cells["sheet_kind"] == "pupils") & (cells["field"] == "enrolled")]
              .groupby("file_hash")["value_number"].sum())
    batch = files[files["file_hash"].isin(totals.index) & files["school_year"].notna()].copy()
    if batch.empty:
        return {}
    batch["period_order"] = batch["period"].map(order)
    batch["enrolled"] = batch["file_hash"].map(totals)
    batch["load_seq"] = 10**9 - 1  # after everything already loaded

    def ordinal(frame: pd.DataFrame) -> pd.Series:
        year = pd.to_numeric(frame["school_year"].str[:4], errors="coerce")
        return (year * 10 + frame["period_order"]) * 10**9 + frame["load_seq"]

    pool = pd.concat([history.assign(file_hash=None), batch], ignore_index=True)
    for frame in (pool, batch):
        frame["school_code"] = frame["school_code"].astype(object)
        frame["ordinal"] = ordinal(frame).astype("float64")
    pool = pool.dropna(subset=["ordinal"]).sort_values("ordinal")
    batch = batch.dropna(subset=["ordinal"]).sort_values("ordinal")
    matched = pd.merge_asof(batch[["file_hash", "school_code", "ordinal"]],
                            pool[["school_code", "ordinal", "enrolled"]], on="ordinal",
                            by="school_code", allow_exact_matches=False)
    return {h: float(v) for h, v in zip(matched["file_hash"], matched["enrolled"], strict=True)
            if pd.notna(v)}


def validate_reports(paths: Paths, batch: Path) -> Path:
    """Run the GX suites over a parsed batch; findings go to validated/<batch>/."""
    from ingest.validate import Context, build_data_docs, validate_batch

    cells, files = raw_zone.read_part(batch, "cells"), raw_zone.read_part(batch, "files")
    with warehouse.connect(paths.warehouse) as con:
        context = Context(warehouse.registry_levels(con),
                          previous_enrolment(warehouse.accepted_enrolment(con), files, cells))
    records = validate_batch(cells, context)
    build_data_docs(paths.root / "gx_data_docs")
    return raw_zone.write_parts(paths.validated / batch.name,
                                {"findings": raw_zone.findings_frame(records)})


def load_reports(paths: Paths, batch: Path) -> RunSummary:
    """Ledger, cells and findings of a validated batch -> raw.*, in one transaction."""
    files = raw_zone.read_part(batch, "files")
    findings = pd.concat([raw_zone.read_part(batch, "findings"),
                          raw_zone.read_part(paths.validated / batch.name, "findings")],
                         ignore_index=True)
    with warehouse.connect(paths.warehouse) as con:
        ledger = warehouse.load_files(con, files, findings, cells=raw_zone.read_part(batch, "cells"),
                                      batch_id=batch.name)
    _quarantine(paths, ledger, findings)
    return RunSummary(seen=len(files), loaded=ledger, findings=findings)


def build_marts(paths: Paths) -> RunSummary:
    result = run_dbt(paths, "build")
    if not result.success:
        raise RuntimeError("dbt build failed:\n" + "\n".join(result.failures))
    return RunSummary(models=result.models)


def publish(paths: Paths, dsn: str | None = None):
    """The marts for readers: the serving snapshot, Parquet and (if configured) PostgreSQL."""
    from ingest.publish import publish as publish_marts

    return publish_marts(paths, dsn)


def run(paths: Paths, publish_marts: bool = True) -> RunSummary:
    """The whole load in-process: reference files, reports, validation, warehouse, marts."""
    refresh_admin_units(paths)
    reference = load_reference_files(paths)
    arrivals, skipped = new_arrivals(paths, ("reports",))
    batch = parse_reports(paths, arrivals)
    reports = RunSummary()
    if batch is not None:
        validate_reports(paths, batch)
        reports = load_reports(paths, batch)
    marts = build_marts(paths)
    frames = [x for x in (reference.loaded, reports.loaded) if not x.empty]
    found = [x for x in (reference.findings, reports.findings) if not x.empty]
    published = publish(paths) if publish_marts else None
    return RunSummary(
        published=published,
        seen=reference.seen + len(arrivals) + skipped,
        already_loaded=reference.already_loaded + skipped,
        loaded=pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(),
        findings=pd.concat(found, ignore_index=True) if found else pd.DataFrame(),
        models=marts.models)
