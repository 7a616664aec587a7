"""The messy twin of a report: the same numbers, typed the way real clerks type them.

Sheet names and headers in capitals without diacritics, labels without diacritics,
columns in another order, numbers as Vietnamese text ("1.234", "99,8"), dates as text,
a taller title block, a hidden helper sheet, trailing empty rows. The reader must get the
same values from it as from the clean file.
"""

from __future__ import annotations

import copy
from datetime import date

from ingest.read.text import strip_diacritics
from ingest.sample.broken import HEADER_ROW
from ingest.sample.xlsx import SheetSpec

FORMS = {"Thông tin chung", "Cơ sở vật chất", "Chỉ số trường"}


def _text_number(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    whole = int(value)
    return f"{whole:,}".replace(",", ".")


def _loose(text: object) -> object:
    return strip_diacritics(text).upper() if isinstance(text, str) else text


def messy_twin(sheets: list[SheetSpec]) -> list[SheetSpec]:
    out = [SheetSpec("Tra cuu", [["Bảng phụ dùng cho công thức"], [1, 2, 3]], hidden=True)]
    for spec in copy.deepcopy(sheets):
        spec.name = _loose(spec.name)
        if any(strip_diacritics(f).upper() == spec.name for f in FORMS):
            spec.rows = [
                ["UBND HUYỆN PHONG THỔ"],
                *[
                    [
                        _loose(r[0]),
                        r[1].strftime("%d/%m/%Y") if isinstance(r[1], date) else _text_number(r[1]),
                    ]
                    if len(r) >= 2
                    else r
                    for r in spec.rows
                ],
            ]
        else:
            header = spec.rows[HEADER_ROW]
            order = list(reversed(range(len(header))))
            spec.rows = [
                ["PHÒNG GD&ĐT PHONG THỔ"],
                *spec.rows[:HEADER_ROW],
                [_loose(header[i]) for i in order],
            ] + [
                [_text_number(_loose(r[i]) if i == 0 else r[i]) for i in order]
                for r in spec.rows[HEADER_ROW + 1 :]
            ]
        spec.rows += [[None], [None], [None]]
        spec.merges = []
        out.append(spec)
    return out
