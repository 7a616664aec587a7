"""CSV files the project writes: UTF-8 with BOM (Excel opens it right) and no formula injection.

A cell that starts with = + - @ (or a tab / carriage return) would be run as a formula by
Excel or LibreOffice; such text cells are written with a leading apostrophe. Numbers are
written as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(path: Path, headers: list[str], rows: Iterable[Iterable[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow([safe_cell(h) for h in headers])
        writer.writerows([safe_cell(v) for v in row] for row in rows)
    return path
