"""Read a school report workbook (template v1) into typed cells with lineage.

The reader types every cell (count, number, date, category, text) and reports what
cannot be typed; the rules between values (ranges, parts <= totals, sums) are the GX
suites' job (validate.py). It accepts what a careful clerk would: headers without
diacritics, in any order, below a title block; numbers typed as Vietnamese text; hidden
helper sheets; trailing empty rows; a total row at the bottom of a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import python_calamine as calamine

from ingest.contract.template import GENERAL, SHEETS, Sheet
from ingest.read.archive import check_xlsx, open_workbook
from ingest.read.cell_values import mark_error_cells
from ingest.read.cells import Cell, SheetCells, read_sheet_rows
from ingest.read.legacy_text import convert, convert_rows, legacy_findings
from ingest.validate import findings as f

MAX_ROWS = 2_000
assert SHEETS[0] is GENERAL  # _general_values relies on it
MAX_COLUMNS = 200


@dataclass
class ParsedWorkbook(SheetCells):
    general: dict[str, object] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)  # sheet kind -> sheet name in the file

    @property
    def rejected(self) -> bool:
        return f.has_errors(self.findings)


def read_workbook(path: Path) -> ParsedWorkbook:
    """Parse one workbook. Never raises on bad input: problems become findings."""
    result = ParsedWorkbook()
    archive = check_xlsx(path)
    if not archive.ok:
        result.findings.extend(archive.findings)
        return result
    try:
        book = open_workbook(path, archive.kind, archive.content)
        visible = [
            m.name
            for m in book.sheets_metadata
            if m.visible == calamine.SheetVisibleEnum.Visible and m.typ == calamine.SheetTypeEnum.WorkSheet
        ]
        names = _sheet_names(tuple(visible))
        for sheet in SHEETS:
            name = names.get(sheet.kind)
            if name is None:
                if sheet.required:
                    result.findings.append(
                        f.error(
                            "SHEET_MISSING",
                            f"Thiếu sheet «{sheet.title}».",
                            f"Thêm sheet «{sheet.title}» theo biểu mẫu (các sheet đang có: "
                            f"{', '.join(visible) or 'không có'}).",
                            sheet=sheet.title,
                        )
                    )
                continue
            result.sheets[sheet.kind] = name
            _read_sheet(
                book,
                sheet,
                name,
                archive.formulas_without_value.get(name, []),
                archive.error_cells.get(name, {}),
                result,
            )
    except (
        calamine.CalamineError,
        calamine.ZipError,
        calamine.XmlError,
        calamine.PasswordError,
        ValueError,
        OverflowError,
        UnicodeError,
        KeyError,
    ) as exc:
        result.findings.append(
            f.error(
                "FILE_CORRUPT",
                f"Không đọc được nội dung tệp Excel ({type(exc).__name__}).",
                "Mở lại tệp bằng Excel, lưu lại (.xlsx) và gửi lại.",
            )
        )
    if not result.rejected:
        result.general = _general_values(result.cells)
    return result


@lru_cache(maxsize=4096)
def _sheet_names(visible: tuple[str, ...]) -> dict[str, str]:
    """Sheet kind -> the visible sheet that is it, if any (the first that matches). Cached:
    the names repeat from file to file. The dict is shared, never to be changed."""
    names = {}
    for sheet in SHEETS:
        name = next((n for n in visible if sheet.matches(convert(n)[0])), None)
        if name is not None:
            names[sheet.kind] = name
    return names


def _read_sheet(
    book,
    sheet: Sheet,
    name: str,
    formula_cells: list[str],
    error_cells: dict[str, str],
    result: ParsedWorkbook,
) -> None:
    data = book.get_sheet_by_name(name)
    if data.total_height > MAX_ROWS or data.total_width > MAX_COLUMNS:
        result.findings.append(
            f.error(
                "SHEET_TOO_LARGE",
                f"Sheet «{name}» có {data.total_height} dòng × {data.total_width} "
                "cột, vượt xa kích thước của biểu mẫu.",
                "Xóa các dòng, cột thừa (kể cả định dạng) rồi gửi lại.",
                sheet=name,
            )
        )
        return
    rows = data.to_python(skip_empty_area=False)
    for ref in formula_cells:
        result.findings.append(
            f.error(
                "FORMULA_NO_VALUE",
                "Ô chứa công thức nhưng không có giá trị đã tính.",
                "Mở tệp bằng Excel, nhấn F9 (tính lại) và lưu trước khi gửi; hoặc nhập trực tiếp số liệu.",
                sheet=name,
                row=int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
                column=ref.rstrip("0123456789"),
            )
        )
    mark_error_cells(rows, error_cells)
    result.findings.extend(legacy_findings(convert_rows(rows), name))
    read_sheet_rows(sheet, name, rows, result)


def _general_values(cells: list[Cell]) -> dict[str, object]:
    values = {}
    for c in cells:  # the general sheet is read first (SHEETS[0]): its cells lead the list
        if c.sheet_kind != GENERAL.kind:
            break
        values[c.field] = c.value_text if c.value_text is not None else c.value_number
    return values
