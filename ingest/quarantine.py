"""Keep refused files and tell the sender, in Vietnamese, what to fix.

quarantine/<hash>/ holds the file exactly as received (named by its hash and a safe
extension, never by the name the sender gave it) and phan_hoi.txt: where each problem is
(sheet, cell), what is wrong, what to do. The same findings are in raw.findings and in
the marts' submission views.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from ingest.findings import Finding

SAFE_EXTENSIONS = {".xlsx", ".xlsm", ".xls", ".csv", ".txt"}


def as_findings(frame: pd.DataFrame) -> list[Finding]:
    out = []
    for r in frame.to_dict("records"):
        out.append(Finding(r["code"], r["severity"], r["message"], r.get("hint") or "",
                           r.get("sheet") or None,
                           None if pd.isna(r.get("row")) else int(r["row"]),
                           r.get("column") or None, r.get("field") or None,
                           None if r.get("value") is None or pd.isna(r.get("value")) else str(r["value"])))
    return out


def feedback_text(landing_path: str, findings: list[Finding], school: str | None = None) -> str:
    errors = [x for x in findings if x.severity == "error"]
    warnings = [x for x in findings if x.severity == "warning"]
    lines = [f"PHẢN HỒI VỀ TỆP BÁO CÁO: {landing_path}"]
    if school:
        lines.append(f"Trường: {school}")
    if errors:
        lines += ["", f"Tệp KHÔNG được tiếp nhận: có {len(errors)} lỗi cần sửa.",
                  "Sau khi sửa, gửi lại toàn bộ tệp; báo cáo đã được tiếp nhận trước đó (nếu có) "
                  "vẫn được giữ nguyên cho đến khi tệp sửa được tiếp nhận.", ""]
        lines += [f"{i}. {x.render()}" for i, x in enumerate(errors, 1)]
    else:
        lines += ["", "Tệp đã được tiếp nhận, nhưng có điểm cần kiểm tra lại:"]
    if warnings:
        lines += ["", "Cảnh báo (không chặn việc tiếp nhận):"]
        lines += [f"- {x.render()}" for x in warnings]
    return "\n".join(lines) + "\n"


def quarantine_file(root: Path, source: Path, file_hash: str, landing_path: str,
                    findings: list[Finding], school: str | None = None) -> Path:
    """Copy the refused file under its hash and write the feedback next to it."""
    folder = root / file_hash
    folder.mkdir(parents=True, exist_ok=True)
    ext = source.suffix.lower() if source.suffix.lower() in SAFE_EXTENSIONS else ".bin"
    kept = folder / f"{file_hash[:16]}{ext}"
    if not kept.exists() and source.exists():
        tmp = folder / f".{kept.name}.tmp"
        shutil.copyfile(source, tmp)
        tmp.rename(kept)
    (folder / "phan_hoi.txt").write_text(feedback_text(landing_path, findings, school), "utf-8")
    return folder
