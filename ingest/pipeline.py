"""The load, step by step: what `chitieu run` and the Airflow DAG both call.

    load_reference_files  registry, census, targets -> raw.*            (per file)
    plan_batches          new workbooks (by content hash), in batches
    parse_batch           parse + GX suites per sheet kind -> raw/ and validated/ Parquet
                          (worker processes / mapped Airflow tasks; no database)
    check_history         rules across reports (enrolment jumps), all new batches at once
    load_reports          ledger + cells + findings -> raw.*, one transaction per batch;
                          refused files -> quarantine/ with Vietnamese feedback
    ingest_reports        the four above, parallel, with progress
    build_marts           dbt build: staging -> intermediate -> marts
    publish               serving snapshot, Parquet, PostgreSQL (publish.py)

Both last steps are skipped when nothing the marts depend on changed (freshness.py): an
hourly run with nothing new costs the hashing of what is in the landing folder.

A file is known by its content hash: one already in the ledger is skipped at every step,
so running the load twice, or retrying any step, changes nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from ingest import findings as f
from ingest import freshness, raw_zone, warehouse
from ingest.admin_units import load_admin_units
from ingest.cells import cells_frame
from ingest.config import Paths
from ingest.faults import checkpoint
from ingest.landing import Arrival, discover, misplaced, name_warning, refused_before_reading
from ingest.quarantine import as_findings, quarantine_file, write_feedback
from ingest.reference import read_reference
from ingest.template import PERIODS
from ingest.text import match_key
from ingest.transform import MartsBuildFailed, explain_failure, run_dbt
from ingest.workbook import read_workbook

HASH_CACHE = "landing_hashes.parquet"  # landing.discover's memory of what it has hashed
_YEAR_IN_PATH = re.compile(r"(?<!\d)(\d{4})\s*[-_‐‑‒–—−]\s*(\d{4})(?!\d)")


@dataclass
class RunSummary:
    published: object = None  # publish.Published
    seen: int = 0
    already_loaded: int = 0
    loaded: pd.DataFrame = field(default_factory=pd.DataFrame)  # ledger rows of this run
    findings: pd.DataFrame = field(default_factory=pd.DataFrame)
    models: list[str] = field(default_factory=list)
    dbt_failures: list[str] = field(default_factory=list)
    rebuilt: bool = True  # False: nothing the marts depend on changed, dbt was not run

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


def landed(paths: Paths) -> list[Arrival]:
    """Everything in the landing folder (hashed once, cached by path, size and times)."""
    return discover(paths.landing, paths.root / HASH_CACHE)


def new_arrivals(
    paths: Paths, kinds: tuple[str, ...], arrived: list[Arrival] | None = None
) -> tuple[list[Arrival], int]:
    """Arrivals of `kinds` not in the ledger (first copy of each content), in the order they
    arrived, and how many were known. A known content delivered again (a retry, a copy in
    another folder) is only noted in raw.deliveries."""
    known = known_hashes(paths)
    fresh, again, seen = [], [], set()
    arrivals = sorted(
        (a for a in (landed(paths) if arrived is None else arrived) if a.kind in kinds),
        key=lambda a: (a.received_at, a.relpath),
    )
    for arrival in arrivals:
        if arrival.sha256 in known or arrival.sha256 in seen:
            again.append(arrival)
            continue
        seen.add(arrival.sha256)
        fresh.append(arrival)
    _record_deliveries(paths, again)
    return fresh, len(again)


def _record_deliveries(paths: Paths, arrivals: list[Arrival]) -> None:
    """Deliveries of contents already received: kept for the record, loaded never again."""
    if not arrivals or not paths.warehouse.exists():
        return
    frame = pd.DataFrame(
        {
            "file_hash": [a.sha256 for a in arrivals],
            "landing_path": [a.relpath for a in arrivals],
            "received_at": pd.to_datetime([a.received_at for a in arrivals]),
        }
    )
    with warehouse.connect(paths.warehouse) as con:
        warehouse.record_deliveries(con, frame)


def _file_row(arrival: Arrival, kind: str, general: dict | None = None) -> dict:
    general = general or {}
    return {
        "file_hash": arrival.sha256,
        "kind": kind or "unknown",
        "source_path": os.fsencode(arrival.path),
        "landing_path": arrival.relpath,
        "size_bytes": arrival.size,
        "received_at": arrival.received_at,
        "school_code": general.get("school_code"),
        "school_name": general.get("school_name"),
        "school_year": general.get("school_year"),
        "period": general.get("period"),
        "report_date": general.get("report_date"),
    }


def _records(file_hash: str, source: str, items: list[f.Finding]) -> list[dict]:
    return [{"file_hash": file_hash, "source": source, **x.as_record()} for x in items]


def _quarantine(paths: Paths, ledger: pd.DataFrame, findings: pd.DataFrame, sources: dict[str, Path]) -> None:
    """Refused files -> quarantine/<hash>/, flagged ones -> feedback/<hash>/, with feedback.
    `sources`: file hash -> the file on disk (its name may not be text)."""
    if ledger.empty:
        return
    for row in ledger[ledger["status"] != "accepted"].to_dict("records"):
        school = row.get("school_name") or row.get("school_code")
        school = school if isinstance(school, str) else None
        mine = as_findings(findings[findings["file_hash"] == row["file_hash"]])
        if row["status"] == "rejected":
            source = sources.get(row["file_hash"], paths.landing / row["landing_path"])
            quarantine_file(paths.quarantine, source, row["file_hash"], row["landing_path"], mine, school)
        else:
            write_feedback(paths.feedback / row["file_hash"], row["landing_path"], mine, school)


def refresh_admin_units(paths: Paths, force: bool = False) -> bool:
    """Administrative units and the 2025 crosswalk from vietnamadminunits -> raw.*;
    reloaded only when the package version changed (or `force`). True when (re)loaded."""
    paths.make_dirs()
    with warehouse.connect(paths.warehouse) as con:
        return load_admin_units(con, force=force)


def load_reference_files(paths: Paths, pool=None, arrived: list[Arrival] | None = None) -> RunSummary:
    """Registry, census and target files (and stray files) -> raw.*, in one transaction.

    Each file is accepted or refused on its own (a refused file loads nothing but its
    ledger row and findings); the order of arrival decides which file wins later."""
    paths.make_dirs()
    summary = RunSummary()
    arrivals, summary.already_loaded = new_arrivals(paths, ("registry", "census", "targets", ""), arrived)
    summary.seen = len(arrivals) + summary.already_loaded
    if not arrivals:
        return summary
    files, found, reference = [], [], {}
    for arrival, (problems, frame) in zip(arrivals, _parse_references(arrivals, pool), strict=True):
        files.append(_file_row(arrival, arrival.kind))
        found += _records(arrival.sha256, "reader", problems)
        if not f.has_errors(problems) and arrival.kind:
            reference.setdefault(arrival.kind, []).append(frame.assign(file_hash=arrival.sha256))
    findings = raw_zone.findings_frame(found)
    with warehouse.connect(paths.warehouse) as con:
        summary.loaded = warehouse.load_files(
            con,
            pd.DataFrame(files),
            findings,
            reference={kind: pd.concat(frames, ignore_index=True) for kind, frames in reference.items()},
        )
    _quarantine(paths, summary.loaded, findings, {a.sha256: a.path for a in arrivals})
    summary.findings = findings
    return summary


def _parse_reference(arrival: Arrival) -> tuple[list[f.Finding], pd.DataFrame]:
    problem = refused_before_reading(arrival) or misplaced(arrival)
    if problem is not None:
        return [problem], pd.DataFrame()
    parsed = read_reference(arrival.path, arrival.kind)
    warning = name_warning(arrival)
    return parsed.findings + ([warning] if warning else []), parsed.frame


def _parse_references(arrivals: list[Arrival], pool=None) -> list[tuple[list[f.Finding], pd.DataFrame]]:
    """Reference files parsed on every core when there are many (a national load has
    hundreds of census, registry and target files), in order."""
    if pool is None or len(arrivals) < 8:
        return [_parse_reference(a) for a in arrivals]
    return list(pool.map(_parse_reference, arrivals, chunksize=4))


def _warm_up() -> None:
    """A worker's first job: import and build what parsing and validating need (GX takes
    seconds), while the main process hashes the landing folder."""
    from ingest.validate import _gx

    _gx()


def worker_pool(workers: int | None = None):
    """The process pool of a run: one worker per core, warmed up."""
    import os
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, initializer=_warm_up)


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
            out.append(
                f.error(
                    "REPORT_YEAR_NOT_FOLDER",
                    f"Năm học trong tệp ({stated}) khác năm "
                    f"học của thư mục nộp ({year.group(1)}-{year.group(2)}).",
                    "Sửa «Năm học» ở sheet «Thông tin chung» hoặc nộp vào đúng thư mục năm học.",
                    sheet="Thông tin chung",
                    field="school_year",
                )
            )
        period = PERIODS.code_of(folder) or PERIODS.code_of(match_key(folder).replace("_", " "))
        if period and general.get("period") and period != general["period"]:
            out.append(
                f.error(
                    "REPORT_PERIOD_NOT_FOLDER",
                    f"Kỳ báo cáo trong tệp khác kỳ của thư mục nộp ({folder}).",
                    "Sửa «Kỳ báo cáo» ở sheet «Thông tin chung» hoặc nộp vào đúng thư mục của kỳ.",
                    sheet="Thông tin chung",
                    field="period",
                )
            )
    return out


SMALL_LOAD = 200  # new workbooks parsed in the run's own process (no worker start-up)
BATCH_SIZE = 5_000  # files per batch: GX costs ~3 s a batch whatever its size; ~0.8 GB a worker


def plan_batches(
    paths: Paths, batch_size: int = BATCH_SIZE, workers: int = 1, arrived: list[Arrival] | None = None
) -> tuple[list[list[Arrival]], int]:
    """New report files (by content hash), in the order they arrived, in as many batches as
    keeps every worker busy to the end. Hashing happens here, once. Batch folders a crashed
    run parsed but never loaded are removed: their files are planned again."""
    paths.make_dirs()
    raw_zone.clean_temporary(paths.raw)
    raw_zone.clean_temporary(paths.validated)
    _remove_unloaded_batches(paths)
    arrivals, known = new_arrivals(paths, ("reports",), arrived)
    if not arrivals:
        return [], known
    count = -(-len(arrivals) // batch_size)
    count = -(-count // workers) * workers if count > 1 else 1  # a multiple of the workers
    size = -(-len(arrivals) // count)
    return [arrivals[i : i + size] for i in range(0, len(arrivals), size)], known


def parse_batch(
    paths: Paths, arrivals: list[Arrival], registry: dict[str, str], name: str | None = None
) -> Path:
    """Parse and validate one batch of workbooks into the raw and validated zones.

    Runs in a worker process (or a mapped Airflow task): it writes Parquet files only,
    never the warehouse. Rules across reports (enrolment jumps) wait for check_history."""
    from ingest.validate import Context, build_data_docs, validate_batch

    files, cells, found = [], {}, []
    for arrival in arrivals:
        refused = refused_before_reading(arrival)
        if refused is not None:
            files.append(_file_row(arrival, "reports"))
            found += _records(arrival.sha256, "reader", [refused])
            continue
        parsed = read_workbook(arrival.path)
        problems = list(parsed.findings)
        if any(x.code in ("SHEET_MISSING", "FILE_NOT_XLSX_TEXT") for x in problems):
            wrong = misplaced(arrival)
            if wrong is not None:
                problems = [wrong]
        problems += _path_contradictions(arrival, parsed.general)
        problems += [w for w in [name_warning(arrival)] if w is not None]
        files.append(_file_row(arrival, "reports", parsed.general))
        found += _records(arrival.sha256, "reader", problems)
        if not f.has_errors(problems):
            cells[arrival.sha256] = parsed.cells
    checkpoint("parse")
    batch_cells = cells_frame(cells)
    totals = (
        batch_cells[(batch_cells["sheet_kind"] == "pupils") & (batch_cells["field"] == "enrolled")]
        .groupby("file_hash")["value_number"]
        .sum()
    )
    frame = pd.DataFrame(files, columns=raw_zone.FILE_COLUMNS)
    frame["pupils_total"] = frame["file_hash"].map(totals)
    name = name or f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{arrivals[0].sha256[:10]}-{len(arrivals)}"
    batch = raw_zone.write_parts(
        paths.raw / "reports" / name,
        {"files": frame, "cells": batch_cells, "findings": raw_zone.findings_frame(found)},
    )
    checkpoint("validate")
    records = validate_batch(batch_cells, Context(registry_levels=registry))
    raw_zone.write_parts(paths.validated / name, {"findings": raw_zone.findings_frame(records)})
    if data_docs_wanted():
        build_data_docs(paths.root / "gx_data_docs" / name)
    return batch


def data_docs_wanted() -> bool:
    """GX Data Docs per batch, for engineers (CHITIEU_GX_DATA_DOCS=0 turns them off)."""
    import os

    return os.environ.get("CHITIEU_GX_DATA_DOCS", "1") not in ("0", "false", "no")


def previous_enrolment(history: pd.DataFrame, new: pd.DataFrame) -> dict[str, float]:
    """File hash -> total enrolled of the same school's previous report (accepted earlier,
    or earlier among the new files): the base of the "changed by more than 30 %" warning.

    Reports are ordered by (school year, period, arrival); the new files arrive last.
    """
    order = {"dau_nam": 1, "giua_nam": 2, "cuoi_nam": 3}
    new = new[new["pupils_total"].notna() & new["school_year"].notna()].copy()
    if new.empty:
        return {}
    new["period_order"] = new["period"].map(order)
    new["enrolled"] = new["pupils_total"]
    new["load_seq"] = 10**9 - 1  # after everything already loaded

    def ordinal(frame: pd.DataFrame) -> pd.Series:
        year = pd.to_numeric(frame["school_year"].str[:4], errors="coerce")
        return (year * 10 + frame["period_order"]) * 10**9 + frame["load_seq"]

    columns = ["file_hash", "school_code", "school_year", "period_order", "load_seq", "enrolled"]
    pool = pd.concat([history.assign(file_hash=None), new[columns]], ignore_index=True)
    for frame in (pool, new):
        frame["school_code"] = frame["school_code"].astype(object)
        frame["ordinal"] = ordinal(frame).astype("float64")
    pool = pool.dropna(subset=["ordinal"]).sort_values("ordinal")
    new = new.dropna(subset=["ordinal"]).sort_values("ordinal")
    matched = pd.merge_asof(
        new[["file_hash", "school_code", "ordinal"]],
        pool[["school_code", "ordinal", "enrolled"]],
        on="ordinal",
        by="school_code",
        allow_exact_matches=False,
    )
    return {
        h: float(v) for h, v in zip(matched["file_hash"], matched["enrolled"], strict=True) if pd.notna(v)
    }


def check_history(paths: Paths, batches: list[Path], pool=None) -> None:
    """Rules across reports, over every new batch at once and what is already loaded:
    the GX suite expectations/across_reports/history.json (e.g. enrolment changed by more than 30 %)."""
    from ingest.validate import validate_history

    if not batches:
        return
    new = pd.concat(
        [raw_zone.read_part(b, "files").assign(_batch=b.name) for b in batches], ignore_index=True
    )
    with warehouse.connect(paths.warehouse) as con:
        history = warehouse.accepted_enrolment(con)
    previous = previous_enrolment(history, new)
    records = (
        pool.submit(validate_history, new, previous).result()
        if pool is not None
        else validate_history(new, previous)
    )
    found = raw_zone.findings_frame(records)
    batch_of = dict(zip(new["file_hash"], new["_batch"], strict=False))
    for batch in batches:
        mine = found[found["file_hash"].map(batch_of) == batch.name]
        folder = paths.validated / batch.name
        mine.to_parquet(folder / ".history.tmp", index=False)
        (folder / ".history.tmp").rename(folder / "history.parquet")


def _remove_unloaded_batches(paths: Paths) -> None:
    loaded = set()
    if paths.warehouse.exists():
        with warehouse.connect(paths.warehouse) as con:
            loaded = warehouse.loaded_batches(con)
    for zone in (paths.raw / "reports", paths.validated):
        if zone.exists():
            for folder in zone.iterdir():
                if folder.is_dir() and not folder.name.startswith(".") and folder.name not in loaded:
                    shutil.rmtree(folder, ignore_errors=True)


def write_plan(paths: Paths, batch_size: int = BATCH_SIZE) -> list[dict]:
    """plan_batches for Airflow: the plan as a Parquet file, one XCom item per batch
    (for dynamic task mapping: parse_and_validate.expand(item=…))."""
    plan, _ = plan_batches(paths, batch_size)
    if not plan:
        return []
    rows = [
        {
            "batch": i,
            "relpath": a.relpath,
            "kind": a.kind,
            "sha256": a.sha256,
            "size": a.size,
            "received_at": a.received_at,
            "source_path": os.fsencode(a.path),
            "link_to": a.link_to,
        }
        for i, arrivals in enumerate(plan)
        for a in arrivals
    ]
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%S}"
    target = paths.root / "plans" / f"{stamp}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_parquet(target, index=False)
    # the registry travels with the plan: parsing tasks never open the warehouse
    registry = target.with_suffix(".registry.json")
    registry.write_text(json.dumps(registry_levels(paths)), "utf-8")
    return [
        {
            "plan": str(target),
            "registry": str(registry),
            "batch": i,
            "files": len(b),
            "name": f"{stamp}-{i:04d}-{len(b)}",
        }
        for i, b in enumerate(plan)
    ]


def arrivals_of(paths: Paths, item: dict) -> list[Arrival]:
    """The arrivals of one planned batch."""
    frame = pd.read_parquet(item["plan"])
    frame = frame[frame["batch"] == item["batch"]]
    return [
        Arrival(
            r.kind,
            Path(os.fsdecode(r.source_path)),
            r.relpath,
            r.sha256,
            int(r.size),
            r.received_at.to_pydatetime() if hasattr(r.received_at, "to_pydatetime") else r.received_at,
            r.link_to if isinstance(r.link_to, str) else None,
        )
        for r in frame.itertuples()
    ]


def load_batches(paths: Paths, batches: list[Path], pool=None) -> RunSummary:
    """Cross-report rules, then every batch into the warehouse, one transaction each."""
    check_history(paths, batches, pool)
    summary = RunSummary()
    loaded, found = [], []
    for batch in sorted(batches):
        part = load_reports(paths, batch)
        loaded.append(part.loaded)
        found.append(part.findings)
        checkpoint("load")
    summary.loaded = pd.concat([x for x in loaded if not x.empty] or [pd.DataFrame()], ignore_index=True)
    summary.findings = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
    return summary


def registry_levels(paths: Paths) -> dict[str, str]:
    if not paths.warehouse.exists():
        return {}
    with warehouse.connect(paths.warehouse, read_only=True) as con:
        try:
            return warehouse.registry_levels(con)
        except duckdb.CatalogException:
            return {}


def ingest_reports(
    paths: Paths,
    pool=None,
    batch_size: int = BATCH_SIZE,
    progress: bool = True,
    arrived: list[Arrival] | None = None,
) -> RunSummary:
    """New report workbooks -> raw.*: parse and validate in parallel, check across reports,
    load batch by batch (one transaction each). Progress on the terminal and in the log."""
    from concurrent.futures import as_completed

    from ingest.progress import Progress

    own_pool = pool is None
    pool = pool or worker_pool()
    try:
        plan, known = plan_batches(paths, batch_size, pool._max_workers, arrived)
        total = sum(len(b) for b in plan)
        summary = RunSummary(seen=total + known, already_loaded=known)
        if not plan:
            return summary
        registry = registry_levels(paths)
        batches: list[Path] = []
        stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%S}"
        if total <= SMALL_LOAD:  # an hourly trickle: worker start-up would cost more than it saves
            batch = parse_batch(paths, [a for b in plan for a in b], registry, f"{stamp}-0000-{total}")
            loaded = load_batches(paths, [batch])
            summary.loaded, summary.findings = loaded.loaded, loaded.findings
            return summary
        with Progress(total, "Đọc và kiểm tra báo cáo", enabled=progress) as bar:
            # batch names sort in plan order, which is the order of loading (of arrival)
            futures = {
                pool.submit(parse_batch, paths, arrivals, registry, f"{stamp}-{i:04d}-{len(arrivals)}"): len(
                    arrivals
                )
                for i, arrivals in enumerate(plan)
            }
            for future in as_completed(futures):
                batches.append(future.result())
                bar.batch_done(batches[-1], futures[future])
        loaded = load_batches(paths, batches, pool)
        summary.loaded, summary.findings = loaded.loaded, loaded.findings
        return summary
    finally:
        if own_pool:
            pool.shutdown()


def load_reports(paths: Paths, batch: Path) -> RunSummary:
    """Ledger, cells and findings of a validated batch -> raw.*, in one transaction."""
    files = raw_zone.read_part(batch, "files").drop(columns=["pupils_total"], errors="ignore")
    validated = paths.validated / batch.name
    parts = [raw_zone.read_part(batch, "findings"), raw_zone.read_part(validated, "findings")]
    if (validated / "history.parquet").exists():
        parts.append(raw_zone.read_part(validated, "history"))
    findings = pd.concat([p for p in parts if not p.empty] or [parts[0]], ignore_index=True)
    with warehouse.connect(paths.warehouse) as con:
        ledger = warehouse.load_files(
            con, files, findings, cells=batch / "cells.parquet", batch_id=batch.name
        )
    sources = (
        {
            h: Path(os.fsdecode(p))
            for h, p in zip(files["file_hash"], files["source_path"], strict=True)
            if isinstance(p, bytes)
        }
        if "source_path" in files
        else {}
    )
    _quarantine(paths, ledger, findings, sources)
    return RunSummary(seen=len(files), loaded=ledger, findings=findings)


def marts_out_of_date(paths: Paths, dsn: str | None = None) -> bool:
    """Whether anything the marts depend on changed since they were last built and
    published (freshness.py): False after a run that brought nothing new."""
    from ingest.publish import SNAPSHOT, pg_dsn

    current = freshness.fingerprint(paths)
    target = freshness.publish_target(paths, dsn or pg_dsn())
    return not (
        freshness.built_from(paths) == current
        and freshness.published_from(paths, target) == current
        and (paths.serving / SNAPSHOT).exists()
    )


def build_marts(paths: Paths, force: bool = False) -> RunSummary:
    """dbt build — skipped when the marts were built from exactly the current inputs."""
    current = freshness.fingerprint(paths)
    if not force and freshness.built_from(paths) == current:
        return RunSummary(rebuilt=False)
    result = run_dbt(paths, "build")
    if not result.success:
        raise MartsBuildFailed(explain_failure(paths, result))
    freshness.record_built(paths, current)
    return RunSummary(models=result.models)


def publish(paths: Paths, dsn: str | None = None, force: bool = True):
    """The marts for readers: the serving snapshot, Parquet and (if configured) PostgreSQL.
    With force=False, nothing is published when this version of the marts already was
    (None is returned)."""
    from ingest.publish import SNAPSHOT, pg_dsn
    from ingest.publish import publish as publish_marts

    current = freshness.fingerprint(paths)
    target = freshness.publish_target(paths, dsn or pg_dsn())
    if (
        not force
        and freshness.published_from(paths, target) == current
        and (paths.serving / SNAPSHOT).exists()
    ):
        return None
    published = publish_marts(paths, dsn)
    freshness.record_published(paths, target, current)
    return published


def run(paths: Paths, publish_marts: bool = True, progress: bool = False, wait_s: float = 0.0) -> RunSummary:
    """The whole load in-process: reference files, reports, validation, warehouse, marts,
    publish — holding the warehouse's run lock (a second run waits `wait_s`, then stops)."""
    from ingest.runlock import run_lock

    with run_lock(paths, "chitieu run", wait_s):
        return _run(paths, publish_marts, progress)


def _run(paths: Paths, publish_marts: bool, progress: bool) -> RunSummary:
    with worker_pool() as pool:  # warms up while the admin units and the landing are read
        refresh_admin_units(paths)
        arrived = landed(paths)  # the landing folder walked and hashed once per run
        reference = load_reference_files(paths, pool, arrived)
        reports = ingest_reports(paths, pool, progress=progress, arrived=arrived)
    marts = build_marts(paths)
    frames = [x for x in (reference.loaded, reports.loaded) if not x.empty]
    found = [x for x in (reference.findings, reports.findings) if not x.empty]
    published = publish(paths, force=False) if publish_marts else None
    return RunSummary(
        rebuilt=marts.rebuilt,
        published=published,
        seen=reference.seen + reports.seen,
        already_loaded=reference.already_loaded + reports.already_loaded,
        loaded=pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(),
        findings=pd.concat(found, ignore_index=True) if found else pd.DataFrame(),
        models=marts.models,
    )


REBUILT_ZONES = ("raw", "validated", "quarantine", "feedback", "gx_data_docs", "dbt", "plans")


def rebuild(paths: Paths, progress: bool = False) -> RunSummary:
    """The warehouse rebuilt from the landing zone alone, then swapped in and published.

    Everything is built beside the current warehouse (which readers and the serving
    snapshot keep using meanwhile); the warehouse file moves into place with one rename."""
    from ingest.runlock import run_lock

    with run_lock(paths, "chitieu rebuild"):
        fresh_dir = paths.warehouse.parent / f".{paths.warehouse.stem}.rebuild"
        shutil.rmtree(fresh_dir, ignore_errors=True)
        fresh = Paths(paths.landing, fresh_dir / paths.warehouse.name)
        summary = _run(fresh, publish_marts=False, progress=progress)
        for zone in REBUILT_ZONES:
            shutil.rmtree(paths.root / zone, ignore_errors=True)
            if (fresh.root / zone).exists():
                (fresh.root / zone).rename(paths.root / zone)
        os.replace(fresh.warehouse, paths.warehouse)
        shutil.rmtree(fresh_dir, ignore_errors=True)
        freshness.record_built(paths, freshness.fingerprint(paths))
        summary.published = publish(paths)
        return summary
