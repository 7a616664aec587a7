"""Vietnamese text and numbers as clerks type them.

Every string that enters the warehouse goes through `nfc`; every header or label is
compared through `match_key`, so "Số lớp", "SỐ  LỚP" and "So lop" are the same header.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")  # zero-width, word joiner, BOM


def nfc(value: str) -> str:
    """NFC-normalise, drop invisible characters (zero-width spaces and joiners, stray BOMs
    copied from web pages) and collapse whitespace, non-breaking spaces included
    (Windows-1258 text arrives decomposed)."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", value))).strip()


def clean_code(value: str) -> str:
    """A code as typed, without the invisible characters and soft hyphens that copying from
    a web page or a Word file leaves in it, and without any space."""
    return nfc(value).replace("\u00ad", "").replace(" ", "")


def lookalike_letters(code: str) -> list[tuple[int, str, str]]:
    """(position, character, script) of every Cyrillic or Greek letter in a code: «О»
    (Cyrillic) and «Ο» (Greek) look exactly like the Latin O or the digit 0."""
    found = []
    for i, ch in enumerate(code, start=1):
        if "\u0400" <= ch <= "\u04ff":
            found.append((i, ch, "Kirin (tiếng Nga)"))
        elif "\u0370" <= ch <= "\u03ff":
            found.append((i, ch, "Hy Lạp"))
    return found


def strip_diacritics(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)
def _key_of_text(text: str) -> str:
    text = _INVISIBLE.sub("", text).replace("\u00ad", "")
    return _NON_ALNUM.sub(" ", strip_diacritics(unicodedata.normalize("NFC", text).casefold())).strip()


def match_key(value: object) -> str:
    """The form under which headers, labels and category values are compared.

    Headers, labels and category values repeat from file to file, so keys are cached."""
    if value is None:
        return ""
    return _key_of_text(value if isinstance(value, str) else str(value))


class NumberFormatError(ValueError):
    """A cell that should hold a number holds text that is not one."""


_VN_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.234 / 12.345,5
_VN_DECIMAL = re.compile(r"^-?\d+(,\d+)?$")  # 99,8 / 1234
_DOT_DECIMAL = re.compile(r"^-?\d*\.\d+$")  # 99.8 typed the English way


def parse_number(raw: object) -> float | None:
    """A number from a cell: Excel numbers pass, Vietnamese text is read.

    "1.234" is one thousand two hundred thirty-four (dot groups thousands), "99,8" is
    ninety-nine point eight; "99.8" (no group of three after the dot) is accepted as a
    decimal. Empty means None. Percent signs, dates and other text raise NumberFormatError.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NumberFormatError("boolean")
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw):
            raise NumberFormatError(str(raw))
        return float(raw)
    if isinstance(raw, (date, datetime)):
        raise NumberFormatError("date")
    text = unicodedata.normalize("NFC", str(raw)).replace("\u00a0", " ").strip()
    text = text.replace(" ", "")
    if text == "":
        return None
    if _VN_GROUPED.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if _VN_DECIMAL.match(text):
        return float(text.replace(",", "."))
    if _DOT_DECIMAL.match(text):
        return float(text)
    raise NumberFormatError(text)  # also "inf", "nan", "1e400": not how a clerk types a count


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def parse_date(raw: object) -> date | None:
    """A date from a cell: Excel dates pass, text is read day first (08/09/2023)."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = nfc(str(raw))
    if text == "":
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-‐‑‒–—−/]\s*(\d{4})$")


def school_year_text(value: str) -> str:
    """A school year as the warehouse writes it: «2023–2024», «2023 - 2024», «2023/2024»
    all become «2023-2024». Anything else (2023/24, 2023-2025) is returned as typed, for the
    checks to name it."""
    text = nfc(value)
    match = _SCHOOL_YEAR.match(text)
    return f"{match.group(1)}-{match.group(2)}" if match else text


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")
