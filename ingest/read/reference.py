"""Read the reference files: school registry, commune census and target assignments.

They come as CSV (UTF-8 with or without BOM, UTF-16, or Windows-1258, comma, semicolon
or tab separated) or as .xlsx, with the headers of SUBMISSION_TEMPLATE.md matched as
loosely as the workbooks' (template.REGISTRY, CENSUS, TARGETS). A file with any error is
refused whole, with every problem listed: a half-loaded registry is worse than none.

(Long on purpose: three kinds of reference file share one reader — encodings, separators,
headers — with a short section for each kind's own rules.)
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine as calamine

from ingest.contract.catalogue import indicators
from ingest.contract.template import REFERENCE_FILES, Sheet
from ingest.read.archive import check_xlsx, open_workbook, sniff
from ingest.read.cell_values import mark_error_cells
from ingest.read.cells import read_table_frame
from ingest.read.legacy_text import Conversions, convert_rows, decode_legacy_bytes, legacy_findings
from ingest.read.text import nfc, school_year_text
from ingest.targets.comparators import parse_comparator, parse_target_value
from ingest.validate import findings as f
from ingest.validate.findings import Finding

MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_FINDINGS = 200  # per file: a wrong column could produce one per row


@dataclass
class ReferenceFile:
    kind: str  # registry / census / targets
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    findings: list[Finding] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return f.has_errors(self.findings)


def decode_text(data: bytes) -> str:
    """Text of a CSV whatever Excel or a Vietnamese Windows saved it as."""
    return decode_csv(data)[0]


def decode_csv(data: bytes) -> tuple[str, str | None, bool]:
    """(text, legacy encoding or None, whether the text was converted from it): UTF-8 with or
    without BOM, UTF-16, TCVN3 or VNI bytes (legacy_text.py), else Windows-1258 (which
    decodes to NFD; every value is NFC-normalised later)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), None, False
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None, False
    try:
        return data.decode("utf-8"), None, False
    except UnicodeDecodeError:
        return decode_legacy_bytes(data)


def csv_rows(text: str) -> list[list[str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _rows_of(path: Path, spec: Sheet, result: ReferenceFile) -> tuple[str, list[list]] | None:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if sniff(head) in ("zip", "ole2"):
        check = check_xlsx(path)
        if not check.ok:
            result.findings.extend(check.findings)
            return None
        book = open_workbook(path, check.kind)
        names = [m.name for m in book.sheets_metadata if m.visible == calamine.SheetVisibleEnum.Visible]
        if not names:
            result.findings.append(
                f.error("SHEET_MISSING", "Tệp không có sheet nào.", "Gửi lại tệp có dữ liệu.")
            )
            return None
        rows = book.get_sheet_by_name(names[0]).to_python(skip_empty_area=False)
        mark_error_cells(rows, check.error_cells.get(names[0], {}))
        result.findings.extend(legacy_findings(convert_rows(rows), names[0]))
        return names[0], rows
    if path.stat().st_size > MAX_CSV_BYTES:
        result.findings.append(f.error("FILE_TOO_LARGE", "Tệp CSV quá lớn.", "Chia nhỏ tệp."))
        return None
    text, encoding, converted = decode_csv(path.read_bytes())
    rows = csv_rows(text)
    if encoding:  # the file's bytes were TCVN3 or VNI
        conversions = Conversions()
        (conversions.converted if converted else conversions.suspected)[encoding] = 1
        result.findings.extend(legacy_findings(conversions, path.name, whole_file=True))
    else:  # text pasted from a .VnTime or VNI-Times document into a Unicode file
        result.findings.extend(legacy_findings(convert_rows(rows), path.name))
    return path.name, rows


def read_reference(path: Path, kind: str) -> ReferenceFile:
    """Parse one reference file of `kind` into a DataFrame of canonical columns."""
    spec = REFERENCE_FILES[kind]
    result = ReferenceFile(kind)
    try:
        got = _rows_of(path, spec, result)
    except (calamine.CalamineError, UnicodeError, csv.Error, ValueError) as exc:
        result.findings.append(
            f.error(
                "FILE_CORRUPT",
                f"Không đọc được tệp ({type(exc).__name__}).",
                "Lưu lại tệp dạng CSV (UTF-8) hoặc .xlsx rồi gửi lại.",
            )
        )
        return result
    if got is None:
        return result
    sheet_name, rows = got
    frame, problems = read_table_frame(spec, sheet_name, rows)
    result.findings.extend(problems[:MAX_FINDINGS])
    if len(problems) > MAX_FINDINGS:
        result.findings.append(
            f.error(
                "TOO_MANY_ERRORS",
                f"… và {len(problems) - MAX_FINDINGS} lỗi khác cùng loại.",
                "Sửa các lỗi trên rồi kiểm tra lại cả tệp.",
            )
        )
    if result.rejected:
        return result
    result.frame = _normalise(kind, frame, sheet_name, result.findings)
    return result


def _school_year(value: object) -> str | None:
    """'2023-2024' from '2023 - 2024', '2023/2024'; None when malformed."""
    if value is None or pd.isna(value):
        return None
    text = school_year_text(str(value))
    match = re.fullmatch(r"(\d{4})-(\d{4})", text)
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        return None
    return text


def _normalise(kind: str, frame: pd.DataFrame, sheet: str, findings: list[Finding]) -> pd.DataFrame:
    """Codes zero-padded as the GSO writes them; school years checked. Each distinct value
    is looked at once (a census repeats its codes and years on every row)."""
    if "commune_code" in frame:
        codes = frame["commune_code"].tolist()
        padded = {v: v.zfill(5) for v in set(codes) if isinstance(v, str) and v.isdigit()}
        frame["commune_code"] = pd.Series([padded.get(v, v) for v in codes], index=frame.index)
    year_columns = {"registry": ["valid_from", "valid_to"], "census": ["school_year"], "targets": []}[kind]
    for column in year_columns:
        given = [None if v is None or pd.isna(v) else v for v in frame[column].tolist()]
        years = {v: _school_year(v) for v in set(given) if v is not None}
        years[None] = None
        for i, value in enumerate(given):
            if value is not None and years[value] is None:
                findings.append(
                    f.error(
                        "CELL_BAD_YEAR",
                        f"Năm học «{value}» không đúng dạng.",
                        "Ghi năm học dạng 2023-2024 (năm sau = năm trước + 1).",
                        sheet=sheet,
                        row=int(frame["row"].iat[i]),
                        field=column,
                        value=str(value),
                    )
                )
        frame[column] = pd.Series(given, index=frame.index, dtype=object).map(years).astype(object)
    if kind == "registry":
        _check_registry(frame, sheet, findings)
    if kind == "targets":  # a school year, or a horizon year (2025)
        values = frame["school_year"].tolist()
        texts = {v: nfc(str(v)) for v in set(values)}
        as_year = {t: _school_year(t) for t in set(texts.values())}
        for i, value in enumerate(values):
            text = texts[value]
            if not (as_year[text] or re.fullmatch(r"\d{4}", text)):
                findings.append(
                    f.error(
                        "CELL_BAD_YEAR",
                        f"Năm học/mốc «{value}» không đúng dạng.",
                        "Ghi năm học dạng 2023-2024, hoặc năm mốc dạng 2025.",
                        sheet=sheet,
                        row=int(frame["row"].iat[i]),
                        field="school_year",
                        value=text,
                    )
                )
        frame["school_year"] = pd.Series(
            [as_year[texts[v]] or texts[v] for v in values], index=frame.index, dtype=object
        )
        frame = _parse_targets(frame, sheet, findings)
    return frame


def _check_registry(frame: pd.DataFrame, sheet: str, findings: list[Finding]) -> None:
    """A warning a registry clerk must see: one school code listed twice for overlapping
    years (which name holds?). Names typed in TCVN3 or VNI are converted when read."""

    def start(v):
        return int(v[:4]) if isinstance(v, str) else -1

    def end(v):
        return int(v[:4]) if isinstance(v, str) else 10**6

    duplicated = frame[frame["school_code"].duplicated(keep=False) & frame["school_code"].notna()]
    for code, rows in duplicated.groupby("school_code", sort=True):
        rows = rows.sort_values("row").to_dict("records")
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                overlap = start(a["valid_from"]) <= end(b["valid_to"]) and start(b["valid_from"]) <= end(
                    a["valid_to"]
                )
                if overlap:
                    names = (
                        f" (tên «{a['school_name']}» và «{b['school_name']}»)"
                        if a["school_name"] != b["school_name"]
                        else ""
                    )
                    findings.append(
                        f.warning(
                            "REGISTRY_CODE_OVERLAP",
                            f"Mã trường {code} có ở dòng {a['row']} và dòng "
                            f"{b['row']} với thời gian áp dụng chồng nhau{names}.",
                            "Mỗi mã trường chỉ một dòng cho mỗi khoảng năm học: ghi «Áp dụng đến năm "
                            "học» cho dòng cũ khi trường đổi tên, sáp nhập hoặc chuyển xã.",
                            sheet=sheet,
                            row=int(b["row"]),
                            field="school_code",
                            value=str(code),
                        )
                    )


MAX_TARGET = 1_000_000_000  # raw.targets holds decimal(18, 6)


def _target_in_range(target, unit: str | None) -> bool:
    numbers = [x for x in (target.value, target.count, target.base) if x is not None]
    if any(not x.is_finite() or abs(x) > MAX_TARGET for x in numbers):
        return False
    return unit != "percent" or 0 <= target.value <= 100


def _parse_targets(frame: pd.DataFrame, sheet: str, findings: list[Finding]) -> pd.DataFrame:
    """Comparator and value of each target, exact (Decimal), checked against the catalogue."""
    catalogue = indicators()
    parsed = []
    names = list(frame.columns)  # the records as to_dict("records") gives them, faster
    columns = [frame[c].tolist() for c in names]
    for record in (dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)):
        where = dict(sheet=sheet, row=int(record["row"]))
        code = nfc(str(record["indicator_code"])).lower()
        comparator = parse_comparator(str(record["comparator"]))
        out = {
            "indicator_code": code,
            "comparator_text": record["comparator"],
            "target_text": record["target_value"],
            "comparator": comparator,
            "target_value": None,
            "target_count": None,
            "target_base": None,
            "segment": record["segment"] if isinstance(record["segment"], str) else "all",
        }
        if code not in catalogue:
            findings.append(
                f.error(
                    "TARGET_UNKNOWN_INDICATOR",
                    f"Mã chỉ tiêu «{code}» không có trong danh mục chỉ tiêu.",
                    "Dùng mã trong dbt_project/seeds/indicators.csv (ví dụ thcs_dropout).",
                    field="indicator_code",
                    value=code,
                    **where,
                )
            )
        if comparator is None:
            findings.append(
                f.error(
                    "TARGET_BAD_COMPARATOR",
                    f"Không hiểu phép so sánh «{record['comparator']}».",
                    "Dùng >=, >, <=, <, =, ~ hoặc «từ … trở lên», «trên», «dưới», «khoảng», «N/M».",
                    field="comparator",
                    value=str(record["comparator"]),
                    **where,
                )
            )
        try:
            value = parse_target_value(record["target_value"])
            out.update(target_value=value.value, target_count=value.count, target_base=value.base)
            if comparator == "N/M" or (value.count is not None and comparator in ("=", None)):
                out["comparator"] = ">="
            if comparator == "N/M" and value.count is None:
                raise ValueError(record["target_value"])
            unit = catalogue[code].unit if code in catalogue else None
            if not _target_in_range(value, unit):
                findings.append(
                    f.error(
                        "TARGET_OUT_OF_RANGE",
                        f"Giá trị chỉ tiêu «{record['target_value']}» nằm ngoài "
                        "khoảng hợp lệ" + (" (0–100%)." if unit == "percent" else "."),
                        "Kiểm tra lại giá trị chỉ tiêu trong quyết định giao (tỷ lệ ghi từ 0 đến 100).",
                        field="target_value",
                        value=str(record["target_value"])[:40],
                        **where,
                    )
                )
                out.update(target_value=None, target_count=None, target_base=None)
        except ValueError:
            findings.append(
                f.error(
                    "TARGET_BAD_VALUE",
                    f"Giá trị chỉ tiêu «{record['target_value']}» không phải là số.",
                    "Ghi số dạng 99,8 (phần trăm không cần dấu %), hoặc N/M dạng 23/48.",
                    field="target_value",
                    value=str(record["target_value"]),
                    **where,
                )
            )
        tolerance = record.get("tolerance")
        if out["comparator"] == "~" and (tolerance is None or pd.isna(tolerance)):
            findings.append(
                f.error(
                    "TARGET_APPROX_NO_TOLERANCE",
                    "Chỉ tiêu «khoảng» cần ghi sai số cho phép.",
                    "Ghi sai số ở cột «Sai số» (ví dụ 1 cho ±1 điểm %).",
                    field="tolerance",
                    **where,
                )
            )
        parsed.append(out)
    extra = pd.DataFrame(parsed, index=frame.index)
    frame = frame.drop(columns=["comparator", "target_value", "indicator_code", "segment"])
    return pd.concat([frame, extra], axis=1)
