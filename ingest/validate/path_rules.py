"""A workbook against the folder it was sent to: a year or period folder it contradicts."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.contract.template import PERIODS
from ingest.landing.arrivals import Arrival
from ingest.read.text import match_key
from ingest.validate import findings as f

_YEAR_IN_PATH = re.compile(r"(?<!\d)(\d{4})\s*[-_‐‑‒–—−]\s*(\d{4})(?!\d)")


def path_contradictions(arrival: Arrival, general: dict) -> list[f.Finding]:
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
