"""Comparators and target values as assignment files and plans write them.

"từ 99,8% trở lên", ">= 99,8", "đạt 99,8%", "tối thiểu 99,8" all mean >= 99.8;
"trên 94%" is strict (> 94); "dưới", "giảm xuống dưới", "còn dưới" mean <; "khoảng 65%"
is ~ 65 and needs a stated tolerance; "23/48" (23 of 48 units) is >= 23/48 = 47.92%.
Values are Decimals, so a target of 99,8 compares exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ingest.read.text import match_key, nfc

SYMBOLS = (">=", "<=", ">", "<", "=", "~")
_SYMBOL_ALIASES = {"≥": ">=", "=>": ">=", "≤": "<=", "=<": "<=", "≈": "~", "==": "="}

# Checked in order, on text without diacritics: the longer phrase first.
_WORDS: tuple[tuple[str, str], ...] = (
    ("khong duoi", ">="),
    ("khong it hon", ">="),
    ("tro len", ">="),
    ("toi thieu", ">="),
    ("it nhat", ">="),
    ("khong qua", "<="),
    ("khong vuot", "<="),
    ("toi da", "<="),
    ("tro xuong", "<="),
    ("duoi", "<"),
    ("it hon", "<"),
    ("tren", ">"),
    ("hon", ">"),
    ("vuot", ">"),
    ("khoang", "~"),
    ("xap xi", "~"),
    ("gan", "~"),
    ("bang", "="),
    ("duy tri", ">="),
    ("dat", ">="),
)
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_comparator(text: str) -> str | None:
    """'>=', '>', '<=', '<', '=', '~', 'N/M' from a symbol or Vietnamese words; None if unknown."""
    raw = nfc(text or "")
    if raw in SYMBOLS:
        return raw
    if raw in _SYMBOL_ALIASES:
        return _SYMBOL_ALIASES[raw]
    if match_key(raw) in ("n m", "n tren m"):
        return "N/M"
    key = f" {match_key(raw)} "
    for phrase, symbol in _WORDS:
        if f" {phrase} " in key:
            return symbol
    return None


@dataclass(frozen=True)
class TargetValue:
    value: Decimal  # in the indicator's unit (percent 0-100 for rates)
    count: Decimal | None = None  # N of "N/M"
    base: Decimal | None = None  # M of "N/M"


def parse_target_value(text: str) -> TargetValue:
    """'99,8' / '99,8%' / '1.234' / '23/48'. Raises ValueError when it is not a number."""
    raw = nfc(str(text)).replace("%", "").replace(" ", "")
    fraction = _FRACTION.match(raw)
    if fraction:
        count, base = Decimal(fraction.group(1)), Decimal(fraction.group(2))
        if base == 0:
            raise ValueError(text)
        try:
            return TargetValue((count * 100 / base).quantize(Decimal("0.000001")), count, base)
        except ArithmeticError as exc:  # beyond Decimal's precision: not a real target
            raise ValueError(text) from exc
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", raw):
        raw = raw.replace(".", "")
    raw = raw.replace(",", ".")
    try:
        return TargetValue(Decimal(raw))
    except InvalidOperation as exc:
        raise ValueError(text) from exc
