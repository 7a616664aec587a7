"""Keep refused files, and tell senders of refused or flagged files what to fix.

quarantine/<hash>/ holds a refused file exactly as received (named by its hash and a safe
extension, never by the name the sender gave it) with phan_hoi.txt and phan_hoi.html:
where each problem is (sheet, cell), what is wrong, what to do. A file accepted with
warnings gets the same feedback in feedback/<hash>/. The findings are also in
raw.findings and in marts.fct_submission_findings.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ingest.validate.feedback import render_html, render_text
from ingest.validate.findings import Finding

if TYPE_CHECKING:
    from ingest.config import Paths

SAFE_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}


def _text(value: object) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def as_findings(frame: pd.DataFrame | list[dict]) -> list[Finding]:
    """Finding records (as stored in the raw and validated zones) back into Findings."""
    records = frame.to_dict("records") if isinstance(frame, pd.DataFrame) else frame
    return [
        Finding(
            r["code"],
            r["severity"],
            r["message"],
            _text(r.get("hint")) or "",
            _text(r.get("sheet")),
            None if pd.isna(r.get("row")) else int(r["row"]),
            _text(r.get("column")),
            _text(r.get("field")),
            _text(r.get("value")),
        )
        for r in records
    ]


def quarantine_file(
    root: Path,
    source: Path,
    file_hash: str,
    landing_path: str,
    findings: list[Finding],
    school: str | None = None,
) -> Path:
    """Copy the refused file under its hash and write the feedback next to it."""
    folder = root / file_hash
    folder.mkdir(parents=True, exist_ok=True)
    ext = source.suffix.lower() if source.suffix.lower() in SAFE_EXTENSIONS else ".bin"
    kept = folder / f"{file_hash[:16]}{ext}"
    if not kept.exists() and source.exists() and not source.is_symlink():  # links: never followed
        tmp = folder / f".{kept.name}.tmp"
        shutil.copyfile(source, tmp)
        tmp.rename(kept)
    write_feedback(folder, landing_path, findings, school)
    return folder


def write_feedback(
    folder: Path, landing_path: str, findings: list[Finding], school: str | None = None
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "phan_hoi.txt").write_text(render_text(landing_path, findings, school), "utf-8")
    (folder / "phan_hoi.html").write_text(render_html(landing_path, findings, school), "utf-8")


def quarantine_refused(
    paths: Paths, ledger: pd.DataFrame, findings: pd.DataFrame, sources: dict[str, Path]
) -> None:
    """Refused files -> quarantine/<hash>/, flagged ones -> feedback/<hash>/, with feedback.
    `sources`: file hash -> the file on disk (its name may not be text)."""
    if ledger.empty:
        return
    flagged = ledger[ledger["status"] != "accepted"]
    if flagged.empty:
        return
    by_file: dict[str, list[dict]] = {}
    for record in findings[findings["file_hash"].isin(flagged["file_hash"])].to_dict("records"):
        by_file.setdefault(record["file_hash"], []).append(record)
    for row in flagged.to_dict("records"):
        school = row.get("school_name") or row.get("school_code")
        school = school if isinstance(school, str) else None
        mine = as_findings(by_file.get(row["file_hash"], []))
        if row["status"] == "rejected":
            source = sources.get(row["file_hash"], paths.landing / row["landing_path"])
            quarantine_file(paths.quarantine, source, row["file_hash"], row["landing_path"], mine, school)
        else:
            write_feedback(paths.feedback / row["file_hash"], row["landing_path"], mine, school)
