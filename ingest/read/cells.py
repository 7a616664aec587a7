"""Type the cells of one sheet against its template: the rows of an .xlsx sheet or a CSV.

`read_sheet_rows` finds the header row (tables) or the labels (forms), matches headers
and labels loosely (see text.match_key), types every value and records its place. What
cannot be typed becomes a Finding; nothing here raises on bad input.

(Long on purpose: forms and tables are read by the same small steps — find the header,
type, emit — and the vectorised table reader must match the cell-by-cell one.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from ingest.contract.template import Field, Sheet
from ingest.read.cell_values import MAX_COUNT, Typed, as_text, type_value
from ingest.read.text import (
    is_blank,
    match_key,
    nfc,
)
from ingest.validate import findings as f
from ingest.validate.findings import Finding

HEADER_SEARCH_ROWS = 30
_TOTAL_ROW_KEYS = ("tong", "cong", "tong cong", "tong so", "toan truong")


class Cell(NamedTuple):
    """One value of a submission with its place in the file (the raw zone's row)."""

    sheet_kind: str
    sheet_name: str
    record_no: int  # groups the cells of one table row; 0 for a form sheet
    row: int  # Excel row, 1-based
    column: str  # Excel column letter
    field: str  # canonical field, or "extra:<header>" for a column the template lacks
    value_number: float | None
    value_text: str | None


# Cell(...) runs a Python-level __new__; a reader makes ~200 cells a workbook, so it builds
# them as tuple.__new__ does (the same Cell, a third of the cost)
_new_cell = tuple.__new__


@dataclass
class SheetCells:
    """What one sheet yielded: typed cells and the findings about it."""

    cells: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@lru_cache(maxsize=1024)
def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_sheet_rows(sheet: Sheet, name: str, rows: list[list], result: SheetCells) -> None:
    """Append the typed cells of `rows` (a sheet as a list of rows from A1) to `result`."""
    if sheet.layout == "form":
        _read_form(sheet, name, rows, result)
    else:
        _read_table(sheet, name, rows, result)


def _read_form(sheet: Sheet, name: str, rows: list[list], result: SheetCells) -> None:
    """Label/value sheets: a row whose first filled cell is a label; the value is to its right."""
    seen: dict[str, int] = {}
    by_key = sheet.field_by_key
    for r, row in enumerate(rows):
        if row and type(row[0]) is str and row[0].strip():
            c = 0  # the label in column A, as the template has it
        else:
            c = next((i for i, v in enumerate(row) if not is_blank(v)), None)
            if c is None or not isinstance(row[c], str):
                continue
        fld = by_key.get(match_key(row[c]))
        if fld is None:
            continue
        if fld.name in seen:
            result.findings.append(
                f.error(
                    "LABEL_DUPLICATE",
                    f"Mục «{fld.label}» xuất hiện hai lần (dòng {seen[fld.name]} và dòng {r + 1}).",
                    "Giữ một dòng duy nhất cho mỗi mục.",
                    sheet=name,
                    row=r + 1,
                    field=fld.name,
                )
            )
            continue
        seen[fld.name] = r + 1
        right = row[c + 1] if c + 1 < len(row) else None
        if right is not None and not (type(right) is str and not right.strip()):
            v = c + 1  # the value right of its label, as the template has it
        else:
            v = next((i for i in range(c + 2, len(row)) if not is_blank(row[i])), c + 1)
        raw = row[v] if v < len(row) else None
        _emit(sheet, name, 0, r + 1, v, fld, raw, result)
    for fld in sheet.fields:
        if fld.required and fld.name not in seen:
            result.findings.append(
                f.error(
                    "LABEL_MISSING",
                    f"Thiếu mục «{fld.label}».",
                    f"Thêm dòng «{fld.label}» và điền giá trị ở ô bên phải.",
                    sheet=name,
                    field=fld.name,
                )
            )


def _find_header(sheet: Sheet, rows: list[list]) -> tuple[int, dict[int, Field], list[int]] | None:
    """(header row index, column -> field, columns of headers the template lacks); the
    returned mapping is shared (cached), never to be changed."""
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        header = _header_of(sheet, row)
        if header is not None:
            return r, *header
    return None


# (id of the sheet, a row's values) -> (the sheet, what _header_of found). Title rows and
# header rows repeat from file to file; the sheet is kept beside it so that an id reused by
# another sheet can never hit.
_HEADERS: dict[tuple[int, tuple], tuple[Sheet, tuple[dict[int, Field], list[int]] | None]] = {}


def _header_of(sheet: Sheet, row: list) -> tuple[dict[int, Field], list[int]] | None:
    """The fields a row names and its other filled columns, when it names every required
    field of the sheet (it is the header row); else None."""
    key = (id(sheet), tuple(row))
    hit = _HEADERS.get(key)
    if hit is not None and hit[0] is sheet:
        return hit[1]
    by_key = sheet.field_by_key
    mapping: dict[int, Field] = {}
    for c, value in enumerate(row):
        if isinstance(value, str) and value:
            fld = by_key.get(match_key(value))
            if fld is not None:
                mapping[c] = fld
    found = None
    if {x.name for x in sheet.fields if x.required} <= {x.name for x in mapping.values()}:
        found = mapping, [c for c, v in enumerate(row) if not is_blank(v) and c not in mapping]
    if len(_HEADERS) >= 1 << 14:
        _HEADERS.clear()
    _HEADERS[key] = (sheet, found)
    return found


def _read_table(sheet: Sheet, name: str, rows: list[list], result: SheetCells) -> None:
    found = _find_header(sheet, rows)
    if found is None:
        needed = ", ".join(f"«{x.label}»" for x in sheet.fields if x.required)
        result.findings.append(
            f.error(
                "HEADER_NOT_FOUND",
                f"Không tìm thấy dòng tiêu đề của bảng (cần các cột {needed}).",
                "Giữ nguyên dòng tiêu đề của biểu mẫu; không xóa hoặc đổi tên cột.",
                sheet=name,
            )
        )
        return
    header_row, mapping, extras = found
    by_field: dict[str, int] = {}
    for c, fld in mapping.items():
        if fld.name in by_field:
            result.findings.append(
                f.error(
                    "HEADER_DUPLICATE",
                    f"Cột «{fld.label}» xuất hiện hai lần (cột "
                    f"{column_letter(by_field[fld.name])} và cột {column_letter(c)}).",
                    "Xóa cột thừa, mỗi chỉ số chỉ một cột.",
                    sheet=name,
                    row=header_row + 1,
                    column=column_letter(c),
                    field=fld.name,
                )
            )
            return
        by_field[fld.name] = c
    key_col = by_field[sheet.fields[0].name]
    # per column, what _emit's common cases need: a typed number goes straight in, and so
    # does an empty cell (as the field types it)
    columns = [
        (
            c,
            fld,
            column_letter(c),
            fld.kind in ("count", "number"),
            fld.kind == "number",
            _blank_typed(fld),
            _plain_texts(fld),
        )
        for c, fld in mapping.items()
    ]
    append, kind = result.cells.append, sheet.kind
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        key = row[key_col] if key_col < len(row) else None
        if (key is None or (type(key) is str and not key.strip())) and all(
            v is None or (type(v) is str and not v.strip()) for v in row
        ):
            continue
        if isinstance(key, str) and match_key(key).startswith(_TOTAL_ROW_KEYS):
            result.findings.append(
                f.warning(
                    "TOTAL_ROW_SKIPPED",
                    f"Dòng tổng «{nfc(key)}» không được tính (hệ thống tự cộng).",
                    "Không cần nhập dòng tổng trong bảng.",
                    sheet=name,
                    row=r + 1,
                    column=column_letter(key_col),
                )
            )
            continue
        width = len(row)
        for c, fld, letter, numeric, fractional, blank, plain in columns:
            raw = row[c] if c < width else None
            if (
                type(raw) is float
                and numeric
                and -MAX_COUNT <= raw <= MAX_COUNT
                and (fractional or raw.is_integer())
            ):  # _emit's common case, inlined: most cells of a table are typed numbers
                append(_new_cell(Cell, (kind, name, r + 1, r + 1, letter, fld.name, raw, None)))
            elif blank is not None and (raw is None or raw == ""):  # the next most common
                if blank.number is not None or blank.text is not None:
                    append(
                        _new_cell(
                            Cell, (kind, name, r + 1, r + 1, letter, fld.name, blank.number, blank.text)
                        )
                    )
            elif type(raw) is str and raw in plain:  # a category or code seen before
                number, text = plain[raw]
                append(_new_cell(Cell, (kind, name, r + 1, r + 1, letter, fld.name, number, text)))
            else:
                _emit(sheet, name, r + 1, r + 1, c, fld, raw, result)
                _remember_plain(plain, fld, raw)
        for c in extras:
            raw = row[c] if c < len(row) else None
            if not is_blank(raw):
                header = nfc(str(rows[header_row][c]))
                result.cells.append(
                    Cell(
                        sheet.kind,
                        name,
                        r + 1,
                        r + 1,
                        column_letter(c),
                        f"extra:{header}",
                        None,
                        as_text(raw),
                    )
                )


_BLANKS: dict[int, tuple[Field, Typed | None]] = {}  # id of the field -> (the field, answer)


def _blank_typed(fld: Field) -> Typed | None:
    """How _emit types an empty cell of `fld`, when that is a value or nothing (not a
    finding): empty counts of most fields are 0, other empty cells yield no cell."""
    hit = _BLANKS.get(id(fld))
    if hit is None or hit[0] is not fld:
        typed = type_value(fld, "")
        empty = typed.number is None and typed.text is None
        usable = typed == type_value(fld, None) and typed.problem is None and not (empty and fld.required)
        hit = _BLANKS[id(fld)] = (fld, typed if usable else None)
    return hit[1]


_PLAIN: dict[int, tuple[Field, dict[str, tuple[float | None, str | None]]]] = {}
_PLAIN_MAX = 4096  # texts remembered per field: categories and codes repeat, names do not


def _plain_texts(fld: Field) -> dict[str, tuple[float | None, str | None]]:
    """The texts of `fld`'s cells that typed to a value without a problem, with that value
    (number, text): table cells of categories (grades, levels) repeat in every file, and
    the reader types them without _emit's steps."""
    hit = _PLAIN.get(id(fld))
    if hit is None or hit[0] is not fld:
        hit = _PLAIN[id(fld)] = (fld, {})
    return hit[1]


def _remember_plain(plain: dict, fld: Field, raw: object) -> None:
    if type(raw) is not str or len(plain) >= _PLAIN_MAX:
        return
    typed = type_value(fld, raw)
    if typed.problem is None and (typed.number is not None or typed.text is not None):
        plain[raw] = (typed.number, typed.text)


_REQUIRED = ("CELL_REQUIRED", "Chưa điền «{label}».", "Điền giá trị vào ô này.")


def _emit(
    sheet: Sheet, name: str, record_no: int, row: int, col: int, fld: Field, raw: object, result: SheetCells
) -> None:
    """Type one cell and append it, or append the finding that says why it cannot be typed."""
    letter = column_letter(col)
    if (
        type(raw) is float
        and fld.kind in ("count", "number")
        and -MAX_COUNT <= raw <= MAX_COUNT
        and (fld.kind == "number" or raw.is_integer())
    ):  # the common case: a typed number
        result.cells.append(_new_cell(Cell, (sheet.kind, name, record_no, row, letter, fld.name, raw, None)))
        return
    typed = type_value(fld, raw)
    problem = typed.problem
    if problem is None and typed.number is None and typed.text is None and fld.required:
        problem = (_REQUIRED[0], _REQUIRED[1].format(label=fld.label), _REQUIRED[2])
    if problem is not None:
        result.findings.append(
            f.error(*problem, sheet=name, row=row, column=letter, field=fld.name, value=as_text(raw))
        )
    elif typed.number is not None or typed.text is not None:
        result.cells.append(
            _new_cell(Cell, (sheet.kind, name, record_no, row, letter, fld.name, typed.number, typed.text))
        )


def read_table_frame(sheet: Sheet, name: str, rows: list[list]) -> tuple[pd.DataFrame, list[Finding]]:
    """A table sheet straight into a typed DataFrame (one column per field, `row` = Excel row).

    For reference files (a census has hundreds of thousands of cells): every distinct raw
    value of a column is typed once, and problems still name their row and column."""
    result = SheetCells()
    found = _find_header(sheet, rows)
    if found is None:
        needed = ", ".join(f"«{x.label}»" for x in sheet.fields if x.required)
        return pd.DataFrame(), [
            f.error(
                "HEADER_NOT_FOUND",
                f"Không tìm thấy dòng tiêu đề của bảng (cần các cột {needed}).",
                "Giữ nguyên dòng tiêu đề của biểu mẫu; không xóa hoặc đổi tên cột.",
                sheet=name,
            )
        ]
    header_row, mapping, _ = found
    seen: dict[str, int] = {}
    for c, fld in sorted(mapping.items()):
        if fld.name in seen:
            return pd.DataFrame(), [
                f.error(
                    "HEADER_DUPLICATE",
                    f"Cột «{fld.label}» xuất hiện hai lần (cột "
                    f"{column_letter(seen[fld.name])} và cột {column_letter(c)}).",
                    "Xóa cột thừa, mỗi chỉ số chỉ một cột.",
                    sheet=name,
                    row=header_row + 1,
                    column=column_letter(c),
                    field=fld.name,
                )
            ]
        seen[fld.name] = c
    data = [
        (r + 1, row)
        for r, row in enumerate(rows[header_row + 1 :], start=header_row + 1)
        if not _blank_row(row)
    ]
    columns: dict[str, object] = {"row": [r for r, _ in data]}
    width = min((len(row) for _, row in data), default=0)
    for fld in sheet.fields:
        c = seen.get(fld.name)
        if c is not None and c < width:  # every row reaches the column (a CSV's always do)
            raw = [row[c] for _, row in data]
        else:
            raw = [row[c] if c is not None and c < len(row) else None for _, row in data]
        typed = {value: type_value(fld, value) for value in set(raw)}
        wrong = {  # the distinct values with a problem: most columns have none
            v
            for v, t in typed.items()
            if t.problem is not None or (fld.required and t.number is None and t.text is None)
        }
        problems = [(r, v) for (r, _), v in zip(data, raw, strict=True) if v in wrong] if wrong else []
        for r, v in problems:
            problem = typed[v].problem or (_REQUIRED[0], _REQUIRED[1].format(label=fld.label), _REQUIRED[2])
            result.findings.append(
                f.error(
                    *problem,
                    sheet=name,
                    row=r,
                    column=column_letter(c) if c is not None else None,
                    field=fld.name,
                    value=as_text(v),
                )
            )
        numeric = fld.kind in ("count", "number")
        value_of = {v: t.number if numeric else t.text for v, t in typed.items()}
        columns[fld.name] = pd.Series([value_of[v] for v in raw], dtype="float64" if numeric else "object")
    return pd.DataFrame(columns), result.findings


def _blank_row(row: list) -> bool:
    """Whether every value of the row is blank. Most rows of a table are full: the first
    value that is not blank decides, and an all-text row is tested without a call."""
    for value in row:
        if value is None or (type(value) is str and (not value or value.isspace())):
            continue
        if not is_blank(value):
            return False
    return True


CELL_COLUMNS = [
    "file_hash",
    "sheet_kind",
    "sheet_name",
    "record_no",
    "row",
    "column",
    "field",
    "value_number",
    "value_text",
]


def cells_frame(cells_by_file: dict[str, list[Cell]]) -> pd.DataFrame:
    """The long cells of many files as one DataFrame (the raw zone's shape).

    Arrow reads the cells' tuples into columns in one pass (a batch has about a million
    cells: records typed by pandas one by one were five times slower, and a transpose with
    `zip` plus pandas' own typing of the text columns took three times as long)."""
    flat = [c for cells in cells_by_file.values() for c in cells]
    columns = pa.array(flat, type=_CELL_STRUCT).flatten()
    files = np.repeat(np.arange(len(cells_by_file), dtype=np.int32), [len(c) for c in cells_by_file.values()])
    hashes = pa.DictionaryArray.from_arrays(files, pa.array(list(cells_by_file), type=pa.large_string()))
    frame = {"file_hash": _text(hashes.cast(pa.large_string()))}
    for name, column in zip(Cell._fields, columns, strict=True):
        dtype = _CELL_DTYPES.get(name)
        frame[name] = column.to_numpy(zero_copy_only=False).astype(dtype) if dtype else _text(column)
    return pd.DataFrame(frame, columns=CELL_COLUMNS)


_CELL_DTYPES = {"record_no": "int64", "row": "int64", "value_number": "float64"}
_CELL_STRUCT = pa.struct(
    [
        (name, {"int64": pa.int64(), "float64": pa.float64()}.get(_CELL_DTYPES.get(name), pa.large_string()))
        for name in Cell._fields
    ]
)


def _text(column: pa.Array) -> pd.api.extensions.ExtensionArray:
    """pandas' default text column (missing = NaN), over the Arrow strings as they are."""
    return pd.array(column, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def wide_frames(cells: pd.DataFrame, sheets: dict[str, Sheet]) -> dict[str, pd.DataFrame]:
    """Per sheet kind, one row per file and record, one column per template field.

    Numbers come from value_number, everything else from value_text; a field no file
    carried is still a column (all missing), so suites and models can rely on it. Rows are
    in (file_hash, record_no) order. A file has one cell per record and field (the reader
    refuses a repeated header or label), so each cell has its own place in the table: the
    cells are put there with numpy, by their codes (a pandas unstack of a national batch's
    million cells took five times as long)."""
    frames = {}
    if cells.empty:
        kinds = {}
    else:
        kind_codes, kind_names = pd.factorize(cells["sheet_kind"])
        kinds = {name: i for i, name in enumerate(kind_names)}
        field_codes, field_names = pd.factorize(cells["field"])
        file_codes, file_names = pd.factorize(cells["file_hash"], sort=True)
        records = cells["record_no"].to_numpy(dtype="int64")
        numbers = cells["value_number"].to_numpy(dtype="float64")
        texts = cells["value_text"].to_numpy(dtype="object")
    for kind, sheet in sheets.items():
        at = np.flatnonzero(kind_codes == kinds[kind]) if kind in kinds else np.array([], dtype=np.int64)
        column_of = {x.name: i for i, x in enumerate(sheet.fields)}
        # each distinct field of the batch -> its column in this sheet (-1: another sheet's, extra:)
        if len(at):
            place = np.array([column_of.get(name, -1) for name in field_names], dtype=np.int64)
            columns = place[field_codes[at]]
            at, columns = at[columns >= 0], columns[columns >= 0]
        if not len(at):
            frames[kind] = _empty_wide(sheet)
            continue
        span = int(records[at].max()) + 1
        row_key = file_codes[at].astype(np.int64) * span + records[at]
        rows_keys, row_of = np.unique(row_key, return_inverse=True)
        wide = {
            "file_hash": pd.Series(file_names.to_numpy(dtype="object")[rows_keys // span], dtype="object"),
            "record_no": rows_keys % span,
        }
        numeric = [x.kind in ("count", "number") for x in sheet.fields]
        is_number = np.array(numeric)[columns]
        n = len(rows_keys)
        number_table = np.full((len(sheet.fields), n), np.nan)
        number_table[columns[is_number], row_of[is_number]] = numbers[at[is_number]]
        text_at, text_columns = at[~is_number], columns[~is_number]
        carried = set(np.unique(text_columns).tolist())
        text_table = np.full((len(sheet.fields), n), np.nan, dtype="object")
        text_table[text_columns, row_of[~is_number]] = texts[text_at]
        for i, x in enumerate(sheet.fields):
            if numeric[i]:
                wide[x.name] = number_table[i]
            elif i in carried:
                wide[x.name] = pd.Series(text_table[i], dtype="object")
            else:  # no file carried it
                wide[x.name] = pd.Series([None] * n, dtype="object")
        frames[kind] = pd.DataFrame(wide)
    return frames


def _empty_wide(sheet: Sheet) -> pd.DataFrame:
    wide = pd.DataFrame(columns=["file_hash", "record_no"])
    for x in sheet.fields:
        wide[x.name] = pd.Series(dtype="float64" if x.kind in ("count", "number") else "object")
    return wide
