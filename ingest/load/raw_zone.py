"""The raw and validated zones: Parquet files per batch, written atomically.

A batch is the set of new report files of one run (or one mapped Airflow task). Its
folder appears by a rename once every file in it is complete, so a crash leaves either
a whole batch or a temporary folder that the next run removes.

    raw/reports/<batch>/files.parquet     one row per submission (hash, landing path, general sheet)
    raw/reports/<batch>/cells.parquet     every typed cell with its sheet, row and column, and
                                          `file_no`, its file's row in files.parquet
    raw/reports/<batch>/findings.parquet  what the reader found
    validated/<batch>/findings.parquet    what the GX suites found
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ingest.validate.findings import Finding

if TYPE_CHECKING:
    from ingest.landing.arrivals import Arrival

FINDING_COLUMNS = [
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
FILE_COLUMNS = [
    "file_hash",
    "kind",
    "landing_path",
    "size_bytes",
    "received_at",
    "school_code",
    "school_name",
    "school_year",
    "period",
    "report_date",
    "source_path",
]  # the name on disk as bytes (it may not be text): to keep the file


def findings_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=FINDING_COLUMNS)
    return frame.astype({"row": "Int64"})


# DuckDB's row group: a Parquet file in row groups of exactly this size is inserted on every
# core, each row group becoming one of the table's, compressed once. (In one row group, one
# core inserts it; in groups of another size, the cores' partial row groups were written
# again at the next checkpoint, 2.8 s for a national period, and the file grew by 70 %.)
ROW_GROUP_ROWS = 122_880


def write_parts(folder: Path, parts: dict[str, pd.DataFrame]) -> Path:
    """Write `parts` as <name>.parquet files in `folder`, appearing all at once."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.parent / f".tmp-{folder.name}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    for name, frame in parts.items():
        frame.to_parquet(tmp / f"{name}.parquet", index=False, row_group_size=ROW_GROUP_ROWS)
    if folder.exists():
        shutil.rmtree(folder)
    tmp.rename(folder)
    return folder


def read_part(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(folder / f"{name}.parquet")


def clean_temporary(zone: Path) -> None:
    """Remove half-written batch folders left by an interrupted run."""
    if zone.exists():
        for leftover in zone.rglob(".tmp-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def file_row(arrival: Arrival, kind: str, general: dict | None = None) -> dict:
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


def finding_records(file_hash: str, source: str, items: list[Finding]) -> list[dict]:
    return [{"file_hash": file_hash, "source": source, **x.as_record()} for x in items]
