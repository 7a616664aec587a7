"""A small, fast .xlsx writer for generated sample workbooks.

openpyxl takes ~50 ms to write a workbook; a national sample is 130,000 of them. This
writer emits the few SpreadsheetML parts a workbook needs (shared strings, a date style,
merged cells, hidden sheets, formulas with or without a cached value) in about 1 ms, and
gives the generator exact control over the quirks real files carry.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from ingest.serve.csv_safety import safe_cell

_EPOCH = date(1899, 12, 30)


class Raw(str):
    """Text written exactly as given, even when it starts with = + - @ (test fixtures only:
    everything else the project writes is escaped against formula injection)."""


class ExcelError(str):
    """An error cell as Excel saves one: a formula and its cached error, e.g. #DIV/0!."""


@dataclass
class Formula:
    expression: str  # without the leading "="
    cached: float | str | None = None  # None: saved without a computed value


@dataclass
class SheetSpec:
    name: str
    rows: list[list[object]]  # row-major values; None leaves a cell empty
    hidden: bool = False
    merges: list[str] = field(default_factory=list)  # e.g. ["A1:F1"]
    start_row: int = 1  # Excel row of rows[0]
    raw_dimension: str | None = None  # override <dimension ref=...> (hostile fixtures)


def _col(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _num(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


class _Strings:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def ref(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.index)
        return self.index[text]

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in self.index)
        n = len(self.index)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{n}" uniqueCount="{n}">{items}</sst>'
        )


def _cell(ref: str, value: object, strings: _Strings) -> str:
    if value is None:
        return ""
    if isinstance(value, ExcelError):
        return f'<c r="{ref}" t="e"><f>1/0</f><v>{escape(str(value))}</v></c>'
    if isinstance(value, Formula):
        f = f"<f>{escape(value.expression)}</f>"
        if value.cached is None:
            return f'<c r="{ref}">{f}</c>'
        if isinstance(value.cached, str):
            return f'<c r="{ref}" t="str">{f}<v>{escape(value.cached)}</v></c>'
        return f'<c r="{ref}">{f}<v>{_num(value.cached)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{_num(value)}</v></c>'
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>'
    text = str(value) if isinstance(value, Raw) else safe_cell(str(value))
    return f'<c r="{ref}" t="s"><v>{strings.ref(text)}</v></c>'


def _sheet_xml(sheet: SheetSpec, strings: _Strings) -> str:
    rows_xml = []
    width = max((len(r) for r in sheet.rows), default=1)
    for i, row in enumerate(sheet.rows):
        r = sheet.start_row + i
        cells = "".join(_cell(f"{_col(c)}{r}", v, strings) for c, v in enumerate(row))
        if cells:
            rows_xml.append(f'<row r="{r}">{cells}</row>')
    last = sheet.start_row + max(len(sheet.rows) - 1, 0)
    dimension = sheet.raw_dimension or f"A1:{_col(max(width - 1, 0))}{last}"
    merges = ""
    if sheet.merges:
        merges = (
            f'<mergeCells count="{len(sheet.merges)}">'
            + "".join(f'<mergeCell ref="{m}"/>' for m in sheet.merges)
            + "</mergeCells>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{"".join(rows_xml)}</sheetData>'
        f"{merges}</worksheet>"
    )


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Times New Roman"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)


def write_xlsx(path: Path, sheets: list[SheetSpec]) -> None:
    """Write `sheets` as an .xlsx workbook at `path` (parent folders must exist)."""
    strings = _Strings()
    sheet_parts = [_sheet_xml(s, strings) for s in sheets]
    n = len(sheets)
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(n)
        )
        + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + "".join(
            f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" sheetId="{i + 1}" '
            + ('state="hidden" ' if s.hidden else "")
            + f'r:id="rId{i + 1}"/>'
            for i, s in enumerate(sheets)
        )
        + "</sheets></workbook>"
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i + 1}" Type="{rel}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(n)
        )
        + f'<Relationship Id="rId{n + 1}" Type="{rel}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{n + 2}" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )
    parts = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": root_rels,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": workbook_rels,
        "xl/styles.xml": _STYLES,
        **{f"xl/worksheets/sheet{i + 1}.xml": p for i, p in enumerate(sheet_parts)},
        "xl/sharedStrings.xml": strings.xml(),
    }
    with zipfile.ZipFile(path, "w") as z:
        for name, text in parts.items():
            # a fixed timestamp keeps the bytes, hence the content hash, reproducible
            info = zipfile.ZipInfo(name, date_time=(2023, 9, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text, compresslevel=1)
