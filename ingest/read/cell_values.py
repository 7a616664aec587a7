"""One raw cell value typed against its template field: a number, a text, or the reason why not.

Numbers are bounded where they are read (MAX_COUNT, MAX_NUMBER); Excel error cells
(#DIV/0!, #REF!, …) are marked so they are never mistaken for blanks; dates, school years,
codes and category labels are read as clerks type them. Pure functions: the same raw value
always types the same, so a sheet's reader types each distinct value once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ingest.contract.template import Field
from ingest.read.text import (
    NumberFormatError,
    clean_code,
    is_blank,
    lookalike_letters,
    nfc,
    parse_date,
    parse_number,
    school_year_text,
)

# Bounds on every number where it is read: no school counts 100 million of anything, and no
# budget line reaches a billion million đồng. A value past them is a typing or formula
# error, and refusing it here keeps every later sum and cast within range (the warehouse's
# decimal(18, 6) holds up to 10^12; sums of 50,000 schools' counts stay far below 10^32).
MAX_COUNT = 100_000_000


MAX_NUMBER = 1_000_000_000


_EXCEL_EPOCH = date(1899, 12, 30)


class ErrorValue(str):
    """An Excel error cell (#DIV/0!, #REF!, #VALUE!, #N/A…): the readers give it as an empty
    string, so the archive check finds it in the sheet's XML and the reader puts this in its
    place. Never blank, never a number."""


def is_error(value: object) -> bool:
    return isinstance(value, ErrorValue)


def mark_error_cells(rows: list[list], error_cells: dict[str, str]) -> None:
    """Put an ErrorValue where the sheet's XML holds an Excel error (read as "")."""
    for ref, error in error_cells.items():
        letters = ref.rstrip("0123456789")
        r = int(ref[len(letters) :]) - 1
        c = 0
        for ch in letters:
            c = c * 26 + ord(ch) - 64
        c -= 1
        if 0 <= r < len(rows) and 0 <= c < len(rows[r]) and is_blank(rows[r][c]):
            rows[r][c] = ErrorValue(error)


@dataclass(frozen=True)
class Typed:
    """A cell's value typed against its field, or the problem that prevents it."""

    number: float | None = None
    text: str | None = None
    problem: tuple[str, str, str] | None = None  # (code, message, hint)


# (id of the field, type, raw value) -> (the field, its typing). Labels, codes, blanks and
# category values repeat from file to file; a worker types each once. The field is kept
# beside its typing so that an id reused by another field can never hit.
_TYPED: dict[tuple[int, type, object], tuple[Field, Typed]] = {}
_CACHEABLE = frozenset((str, float, int, type(None)))  # an ErrorValue's type is not str
_TYPED_MAX = 1 << 17


def type_value(fld: Field, raw: object) -> Typed:
    """Type one raw cell value for `fld` (pure: the same raw value always types the same,
    so plain values are typed once per process)."""
    if type(raw) not in _CACHEABLE:
        return _type_value(fld, raw)
    key = (id(fld), type(raw), raw)
    hit = _TYPED.get(key)
    if hit is not None and hit[0] is fld:
        return hit[1]
    typed = _type_value(fld, raw)
    if len(_TYPED) >= _TYPED_MAX:
        _TYPED.clear()
    _TYPED[key] = (fld, typed)
    return typed


def _type_value(fld: Field, raw: object) -> Typed:
    if is_error(raw):
        return Typed(
            problem=(
                "CELL_FORMULA_ERROR",
                f"Ô «{fld.label}» chứa lỗi công thức {raw}.",
                "Sửa công thức (hoặc nhập trực tiếp số liệu) để ô có giá trị đúng, rồi lưu và gửi lại.",
            )
        )
    try:
        if fld.kind in ("count", "number"):
            number = parse_number(raw)
            if number is None and fld.blank_is_zero:
                number = 0.0
            limit = MAX_COUNT if fld.kind == "count" else MAX_NUMBER
            if number is not None and abs(number) > limit:
                return Typed(
                    problem=(
                        "CELL_OUT_OF_RANGE",
                        f"«{fld.label}» = {as_text(raw)} vượt quá giới hạn hợp lý ({limit:,}).".replace(
                            ",", "."
                        ),
                        "Kiểm tra lại số liệu của ô (gõ nhầm, thừa chữ số hoặc công thức sai) rồi gửi lại.",
                    )
                )
            if number is not None and fld.kind == "count" and number != int(number):
                return Typed(
                    problem=(
                        "CELL_NOT_WHOLE",
                        f"«{fld.label}» phải là số nguyên, ô đang ghi {as_text(raw)}.",
                        "Nhập số người/số lượng là số nguyên, không có phần thập phân.",
                    )
                )
            return Typed(number=number)
        if fld.kind == "date":
            if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 1 < raw < 2958466:
                day = _EXCEL_EPOCH + timedelta(days=int(raw))
            else:
                day = parse_date(raw)
            return Typed(text=day.isoformat() if day else None)
        if fld.kind == "category":
            if is_blank(raw):
                return Typed()
            code = fld.category.code_of(raw)
            if code is None:
                allowed = ", ".join(f"«{x}»" for x in fld.category.labels)
                return Typed(
                    problem=(
                        "CELL_BAD_VALUE",
                        f"«{as_text(raw)}» không phải giá trị hợp lệ của «{fld.label}».",
                        f"Chọn một trong: {allowed}.",
                    )
                )
            return Typed(text=code)
        text = as_text(raw)
        if fld.name == "school_year" and text is not None:
            text = school_year_text(text)
        if fld.name.endswith("_code") and text is not None:
            text = clean_code(text)
            odd = lookalike_letters(text)
            if odd:
                where = ", ".join(f"«{ch}» ở vị trí {i} là chữ {script}" for i, ch, script in odd)
                return Typed(
                    problem=(
                        "CELL_LOOKALIKE_LETTERS",
                        f"Mã «{text}» (cột «{fld.label}») có "
                        f"ký tự trông giống chữ Latinh hoặc chữ số nhưng không phải: "
                        f"{where}.",
                        "Gõ lại mã bằng bàn phím (chỉ chữ số và chữ Latinh), không sao chép từ văn bản khác.",
                    )
                )
        return Typed(text=text)
    except NumberFormatError:
        if isinstance(raw, (date, datetime)):
            message = f"Ô «{fld.label}» chứa ngày tháng ({as_text(raw)}) thay vì số."
            code = "CELL_DATE_NOT_NUMBER"
        else:
            message, code = f"«{as_text(raw)}» không phải là số (cột «{fld.label}»).", "CELL_NOT_NUMBER"
        return Typed(
            problem=(
                code,
                message,
                "Định dạng ô là Số (Number), nhập số không kèm chữ hay "
                "ký hiệu %; dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần thập "
                "phân (1.234 ; 99,8).",
            )
        )
    except ValueError:
        return Typed(
            problem=(
                "CELL_NOT_DATE",
                f"«{as_text(raw)}» không phải là ngày (cột «{fld.label}»).",
                "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/09/2023.",
            )
        )


def as_text(raw: object) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        return str(raw)
    if isinstance(raw, float) and abs(raw) >= 1e15:
        return f"{raw:.6g}"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (datetime, date)):
        return raw.strftime("%d/%m/%Y")
    text = nfc(str(raw))
    return text or None
