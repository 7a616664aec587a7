"""New workbooks in batches: planned, then parsed and validated in worker processes.

plan_batches / write_plan decide the batches (write_plan for Airflow's mapped tasks);
parse_batch reads and validates one batch into the raw and validated zones (Parquet
only, never the warehouse), so batches run in parallel on any worker.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ingest.config import Paths
from ingest.landing.arrivals import Arrival, misplaced, name_warning, refused_before_reading
from ingest.landing.new_arrivals import Ledger, new_arrivals
from ingest.landing.walk import Landed
from ingest.load import raw_zone, warehouse
from ingest.ops.faults import checkpoint
from ingest.ops.gc_pause import gc_paused
from ingest.read.cells import cells_frame
from ingest.read.workbook import read_workbook
from ingest.validate import findings as f
from ingest.validate.path_rules import path_contradictions

SMALL_LOAD = 200  # new workbooks parsed as one batch (in a worker already warmed up)


BATCH_SIZE = 5_000  # files per batch: GX costs ~3 s a batch whatever its size; ~0.8 GB a worker


def plan_batches(
    paths: Paths,
    batch_size: int = BATCH_SIZE,
    workers: int = 1,
    arrived: Landed | None = None,
    ledger: Ledger | None = None,
) -> tuple[list[list[Arrival]], int]:
    """New report files (by content hash), in the order they arrived, in as many batches as
    keeps every worker busy to the end. Hashing happens here, once. Batch folders a crashed
    run parsed but never loaded are removed: their files are planned again."""
    paths.make_dirs()
    raw_zone.clean_temporary(paths.raw)
    raw_zone.clean_temporary(paths.validated)
    _remove_unloaded_batches(paths)
    arrivals, known = new_arrivals(paths, ("reports",), arrived, ledger)
    if not arrivals:
        return [], known
    count = -(-len(arrivals) // batch_size)
    count = -(-count // workers) * workers if count > 1 else 1  # a multiple of the workers
    size = -(-len(arrivals) // count)
    return [arrivals[i : i + size] for i in range(0, len(arrivals), size)], known


def parse_batch(
    paths: Paths,
    arrivals: list[Arrival],
    registry: dict[str, str],
    name: str | None = None,
    docs_later: bool = False,
) -> Path:
    """Parse and validate one batch of workbooks into the raw and validated zones.

    Runs in a worker process (or a mapped Airflow task): it writes Parquet files only,
    never the warehouse. Rules across reports (enrolment jumps) wait for check_history.
    `docs_later`: the batch's GX Data Docs are left for `build_later_data_docs`, a later
    job of the same worker (the run loads the batch meanwhile)."""
    with gc_paused():
        return _parse_batch(paths, arrivals, registry, name, docs_later)


_docs_later: dict[str, Path] = {}  # batch name -> its Data Docs folder, in this worker


def build_later_data_docs(name: str) -> Path:
    """The Data Docs parse_batch(docs_later=True) left for batch `name` in this worker."""
    from ingest.validate.suites import build_data_docs

    if name not in _docs_later:
        raise RuntimeError(
            f"lô {name}: không có kết quả kiểm tra GX nào chờ dựng Data Docs trong tiến trình này"
        )
    return build_data_docs(_docs_later.pop(name))


def _parse_batch(
    paths: Paths, arrivals: list[Arrival], registry: dict[str, str], name: str | None, docs_later: bool
) -> Path:
    from ingest.validate.suites import Context, build_data_docs, validate_batch

    for waiting in list(_docs_later):  # an earlier batch's, before its validations mix with these
        build_later_data_docs(waiting)
    files, cells, found = [], {}, []
    file_no = {}  # file hash -> its row in files
    for arrival in arrivals:
        refused = refused_before_reading(arrival)
        if refused is not None:
            files.append(raw_zone.file_row(arrival, "reports"))
            found += raw_zone.finding_records(arrival.sha256, "reader", [refused])
            continue
        parsed = read_workbook(arrival.path)
        problems = list(parsed.findings)
        if any(x.code in ("SHEET_MISSING", "FILE_NOT_XLSX_TEXT") for x in problems):
            wrong = misplaced(arrival)
            if wrong is not None:
                problems = [wrong]
        problems += path_contradictions(arrival, parsed.general)
        problems += [w for w in [name_warning(arrival)] if w is not None]
        files.append(raw_zone.file_row(arrival, "reports", parsed.general))
        found += raw_zone.finding_records(arrival.sha256, "reader", problems)
        if not f.has_errors(problems):
            cells[arrival.sha256] = parsed.cells
            file_no[arrival.sha256] = len(files) - 1
    checkpoint("parse")
    batch_cells = cells_frame(cells)
    totals = (
        batch_cells[(batch_cells["sheet_kind"] == "pupils") & (batch_cells["field"] == "enrolled")]
        .groupby("file_hash")["value_number"]
        .sum(min_count=1)  # as SQL sums: no number, no total
    )
    frame = pd.DataFrame(files, columns=raw_zone.FILE_COLUMNS)
    frame["pupils_total"] = frame["file_hash"].map(totals)
    name = name or f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{arrivals[0].sha256[:10]}-{len(arrivals)}"
    # each cell with its file's row: the load numbers the cells without joining them to the files
    batch_cells["file_no"] = np.repeat(
        np.fromiter(file_no.values(), dtype=np.int32, count=len(file_no)),
        [len(c) for c in cells.values()],
    )
    batch = raw_zone.write_parts(
        paths.raw / "reports" / name,
        {"files": frame, "cells": batch_cells, "findings": raw_zone.findings_frame(found)},
    )
    del batch_cells["file_no"]
    checkpoint("validate")
    docs = data_docs_wanted()
    records = validate_batch(batch_cells, Context(registry_levels=registry), keep_results=docs)
    raw_zone.write_parts(paths.validated / name, {"findings": raw_zone.findings_frame(records)})
    if docs and docs_later:
        _docs_later[name] = paths.root / "gx_data_docs" / name
    elif docs:
        build_data_docs(paths.root / "gx_data_docs" / name)
    return batch


def data_docs_wanted() -> bool:
    """GX Data Docs per batch, for engineers (CHITIEU_GX_DATA_DOCS=0 turns them off)."""
    import os

    return os.environ.get("CHITIEU_GX_DATA_DOCS", "1") not in ("0", "false", "no")


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


def registry_levels(paths: Paths) -> dict[str, str]:
    if not paths.warehouse.exists():
        return {}
    with warehouse.connect(paths.warehouse, read_only=True) as con:
        try:
            return warehouse.registry_levels(con)
        except duckdb.CatalogException:
            return {}
