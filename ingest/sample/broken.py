"""Deliberately broken submissions: what real clerks send, each with the outcome it must get.

Every `Case` starts from a good generated report (a TH&THCS school's end-of-year report,
or a preschool's), changes one thing, and says what the warehouse must do with it: the
status, the finding code and a piece of the Vietnamese message. The tests load them all
and check them case by case; `chitieu generate --broken` writes them for a demo.
"""

from __future__ import annotations

import copy
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingest.read.text import strip_diacritics
from ingest.sample.xlsx import ExcelError, Formula, Raw, SheetSpec, write_xlsx

HEADER_ROW = 3  # index of the header row in generated table sheets (after a 3-row title block)


@dataclass(frozen=True)
class Case:
    name: str
    what_vi: str  # what the clerk did, in Vietnamese
    status: str  # rejected / accepted_with_warnings / accepted
    code: str | None  # the finding that must be reported (None: no finding)
    message: str  # a piece of the Vietnamese message (or hint) that must appear
    base: str  # "general" (TH&THCS, cuoi_nam) or "preschool" (Mầm non, cuoi_nam)
    change: Callable[[list[SheetSpec]], list[SheetSpec]] | None = None
    raw: Callable[[Path], None] | None = None  # writes the file itself (not a workbook)
    folder: str = "2023-2024/cuoi_nam"
    file_name: bytes | None = None  # a name on disk that is not UTF-8 (bytes as Windows zips)
    link_to: str | None = None  # not a file: a symbolic link to this target
    edits_base: bool = False  # `raw` changes the bytes of the written base workbook

    @property
    def landing_path(self) -> str:
        """Where the ledger records it (a name that is not UTF-8 read as Windows-1258)."""
        from ingest.landing.arrivals import display_name

        name = os.fsdecode(self.file_name) if self.file_name else f"loi_{self.name}.xlsx"
        return f"reports/{self.folder}/{display_name(name)}"


def sheet(sheets: list[SheetSpec], name: str) -> SheetSpec:
    return next(s for s in sheets if s.name == name)


def col(spec: SheetSpec, label: str) -> int:
    return spec.rows[HEADER_ROW].index(label)


def form_row(spec: SheetSpec, label: str) -> list:
    return next(r for r in spec.rows if r and r[0] == label)


def set_cell(label_sheet: str, label: str, value, row: int = 0):
    """Change the first data row's (or `row`-th) cell under `label` in a table sheet."""

    def change(sheets):
        spec = sheet(sheets, label_sheet)
        spec.rows[HEADER_ROW + 1 + row][col(spec, label)] = value
        return sheets

    return change


def set_form(label_sheet: str, label: str, value):
    def change(sheets):
        form_row(sheet(sheets, label_sheet), label)[1] = value
        return sheets

    return change


def drop_sheet(name: str):
    return lambda sheets: [s for s in sheets if s.name != name]


def _rename_header(sheets):
    spec = sheet(sheets, "Học sinh")
    spec.rows[HEADER_ROW][col(spec, "Tổng số")] = "Sĩ số hiện tại"
    return sheets


def _duplicate_header(sheets):
    spec = sheet(sheets, "Học sinh")
    spec.rows[HEADER_ROW][col(spec, "Lưu ban")] = "Nữ"
    return sheets


def _drop_label(sheets):
    spec = sheet(sheets, "Thông tin chung")
    spec.rows = [r for r in spec.rows if not (r and r[0] == "Kỳ báo cáo")]
    return sheets


def _pupils_row_value(sheets, label, func):
    spec = sheet(sheets, "Học sinh")
    row = spec.rows[HEADER_ROW + 1]
    row[col(spec, label)] = func(row, spec)
    return sheets


def _female_over_total(sheets):
    return _pupils_row_value(sheets, "Nữ", lambda r, s: r[col(s, "Tổng số")] + 5)


def _dropouts_over_start(sheets):
    return _pupils_row_value(sheets, "Bỏ học", lambda r, s: r[col(s, "Đầu năm")] + 1)


def _absent_over_planned(sheets):
    return _pupils_row_value(sheets, "Ngày công vắng", lambda r, s: r[col(s, "Ngày công kế hoạch")] + 10)


def _outcomes(share: float):
    def change(sheets):
        return _pupils_row_value(sheets, "Lên lớp", lambda r, s: round(r[col(s, "Đầu năm")] * share))

    return change


def _ages_not_pupils(sheets):
    spec = sheet(sheets, "Độ tuổi")
    spec.rows[HEADER_ROW + 1][1] += 7
    return sheets


def _assessment_over(sheets):
    spec = sheet(sheets, "Đánh giá")
    spec.rows[HEADER_ROW + 1][3] += 500
    spec.rows[HEADER_ROW + 4][3] += 500  # the same grade's other dimension, so both sums match
    return sheets


def _assessment_dimensions_differ(sheets):
    spec = sheet(sheets, "Đánh giá")
    row = next(r for r in spec.rows[HEADER_ROW + 1 :] if r[1] == "Rèn luyện" and r[3] > 3)
    row[3] -= 3
    return sheets


def _wrong_scale(sheets):
    spec = sheet(sheets, "Đánh giá")
    row = next(r for r in spec.rows[HEADER_ROW + 1 :] if r[1] == "Rèn luyện" and r[2] == "Đạt")
    row[2] = "Trung bình"
    return sheets


def _facility_parts(sheets):
    row = form_row(sheet(sheets, "Cơ sở vật chất"), "Kiên cố")
    row[1] += 3
    return sheets


def _teaching_over(sheets):
    spec = sheet(sheets, "Chỉ số trường")
    form_row(spec, "Chi cho giảng dạy, học tập (triệu đồng)")[1] = (
        form_row(spec, "Chi thường xuyên (triệu đồng)")[1] + 100
    )
    return sheets


def _awarded_over(sheets):
    spec = sheet(sheets, "Học sinh giỏi")
    row = spec.rows[HEADER_ROW + 1]
    row[2] = row[1] + 2
    return sheets


def _qualified_over(sheets):
    spec = sheet(sheets, "Đội ngũ")
    row = spec.rows[HEADER_ROW + 2]  # Giáo viên
    row[3] = row[1] + 1
    row[4] = 0
    return sheets


def _underweight_over(sheets):
    spec = sheet(sheets, "Dinh dưỡng")
    row = spec.rows[HEADER_ROW + 1]
    row[2] = row[1] + 1
    return sheets


def _preschool_reports_grade_1(sheets):
    spec = sheet(sheets, "Học sinh")
    spec.rows[HEADER_ROW + 1][0] = "Lớp 1"
    return sheets


def _total_row(sheets):
    spec = sheet(sheets, "Học sinh")
    data = spec.rows[HEADER_ROW + 1 :]
    total = ["Tổng cộng"] + [
        sum(r[i] for r in data if isinstance(r[i], (int, float)))
        if any(isinstance(r[i], (int, float)) for r in data)
        else None
        for i in range(1, len(data[0]))
    ]
    spec.rows.append(total)
    return sheets


def _extra_column(sheets):
    spec = sheet(sheets, "Học sinh")
    spec.rows[HEADER_ROW].append("Ghi chú")
    for r in spec.rows[HEADER_ROW + 1 :]:
        r.append("đã rà soát")
    return sheets


def _double_counts(sheets):
    """Every count of pupils, ages and assessment doubled: consistent, but 100 % more pupils."""
    for name, first in (("Học sinh", 2), ("Độ tuổi", 1), ("Đánh giá", 3)):
        spec = sheet(sheets, name)
        skip = {col(spec, "Số nhóm, lớp")} if name == "Học sinh" else set()
        for r in spec.rows[HEADER_ROW + 1 :]:
            for i in range(first, len(r)):
                if isinstance(r[i], (int, float)) and i not in skip and not (name == "Độ tuổi" and i == 0):
                    r[i] = r[i] * 2
    return sheets


def _no_diacritic_headers(sheets):
    for spec in sheets:
        if len(spec.rows) > HEADER_ROW and spec.name not in (
            "Thông tin chung",
            "Cơ sở vật chất",
            "Chỉ số trường",
        ):
            spec.rows[HEADER_ROW] = [
                strip_diacritics(h).upper() if isinstance(h, str) else h for h in spec.rows[HEADER_ROW]
            ]
    return sheets


def _merged_whole_sheet(sheets):
    sheet(sheets, "Học sinh").merges.append("A1:XFD1048576")
    return sheets


def _header_moved(sheets):
    spec = sheet(sheets, "Học sinh")
    spec.rows[HEADER_ROW:HEADER_ROW] = [["Ghi chú: số liệu tính đến ngày báo cáo"], [], [], [], []]
    return sheets


def _nfd_text(sheets):
    """Labels, headers and category values typed in decomposed Unicode (NFD)."""
    import unicodedata

    for spec in sheets:
        spec.rows = [
            [unicodedata.normalize("NFD", v) if isinstance(v, str) else v for v in row] for row in spec.rows
        ]
        spec.name = unicodedata.normalize("NFD", spec.name)
    return sheets


def _csv(path: Path) -> None:
    path.write_text("Mã trường,Tổng số\n12109002,120\n", encoding="utf-8")


def _xls(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)


def _encrypted(path: Path) -> None:
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 512
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 512
    )


def _office(name: str):
    """A report saved by LibreOffice (ingest/sample/office/)."""

    def write(path: Path) -> None:
        from ingest.sample.office import HERE

        path.write_bytes((HERE / name).read_bytes())

    return write


def _encrypted_xls(path: Path) -> None:
    """A LibreOffice-made .xls whose workbook stream starts with a FILEPASS record, as Excel
    writes a password-protected one (the record in place of CODEPAGE, same length)."""
    from ingest.sample.office import HERE

    data = (HERE / "general.xls").read_bytes()
    at = data.index(b"\x42\x00\x02\x00")  # CODEPAGE: type 0x0042, 2 bytes of data
    path.write_bytes(data[:at] + b"\x2f\x00\x02\x00" + data[at + 4 :])


def _xlsb(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")


def _encrypted_ods(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", b"\x8f\x02 encrypted bytes")
        z.writestr(
            "META-INF/manifest.xml",
            "<manifest:manifest><manifest:file-entry manifest:full-path="
            '"content.xml"><manifest:encryption-data manifest:checksum-type="SHA1"/>'
            "</manifest:file-entry></manifest:manifest>",
        )


def _nul_in_shared_strings(path: Path) -> None:
    """A character reference XML forbids (&#0;) inside a shared string: a broken file."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["xl/sharedStrings.xml"] = (
        parts["xl/sharedStrings.xml"].replace(b"<t", b"<t", 1).replace(b"</t>", b"&#0;</t>", 1)
    )
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 8)


def _docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")


def _external_entity(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM '
            '"file:///etc/passwd">]><workbook>&x;</workbook>',
        )


def _huge_shared_strings(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr(
            "xl/sharedStrings.xml", b"<sst>" + b"<si><t>" + b"A" * (40 * 1024 * 1024) + b"</t></si></sst>"
        )


def _million_rows(path: Path) -> None:
    """A sheet of a million rows: 1,048,576 rows of one cell (the Excel maximum)."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(1, 1_048_577))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{rows}</sheetData></worksheet>")


def _census_in_reports(path: Path) -> None:
    path.write_text("Mã xã,Năm học,Tuổi,Dân số\n03391,2023-2024,5,120\n", encoding="utf-8")


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<x>" + b"0" * (200 * 1024 * 1024) + b"</x>")


def _entities(path: Path) -> None:
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" if i > 1 else "&lol;"}'
            f'{("&lol" + str(i - 1) + ";") * 9 if i > 1 else "&lol;" * 9}">'
            for i in range(1, 10)
        )
        + "]><workbook>&lol9;</workbook>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", lol)


def _compose(*changes):
    def change(sheets):
        for c in changes:
            sheets = c(sheets)
        return sheets

    return change


def to_legacy(text: str, encoding: str) -> str:
    """Unicode Vietnamese as a .VnTime (TCVN3) or VNI-Times user's file holds it: the Latin-1
    look-alikes of the encoding's bytes (for the «typed in an old font» cases)."""
    import unicodedata

    from ingest.read.legacy_text import TCVN3_TO_UNICODE

    if encoding == "tcvn3":
        back = {u: t for t, u in TCVN3_TO_UNICODE.items()}
        return "".join(back.get(ch, back.get(ch.lower(), ch)) for ch in unicodedata.normalize("NFC", text))
    tones = {"\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
    circumflex = {"": "â", "\u0300": "à", "\u0301": "á", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
    breve = {"": "ê", "\u0300": "è", "\u0301": "é", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
    single = {
        "đ": "ñ",
        "Đ": "Ñ",
        "ỉ": "æ",
        "Ỉ": "Æ",
        "ĩ": "ó",
        "Ĩ": "Ó",
        "ị": "ò",
        "Ị": "Ò",
        "ỵ": "î",
        "Ỵ": "Î",
    }
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in single:
            out.append(single[ch])
            continue
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        tone = next((m for m in marks if m in tones), "")
        if "\u031b" in marks:  # horn: ơ, ư
            out.append({"o": "ô", "O": "Ô", "u": "ö", "U": "Ö"}[base] + tones.get(tone, ""))
        elif "\u0302" in marks:
            out.append(base + circumflex[tone])
        elif "\u0306" in marks:
            out.append(base + breve[tone])
        elif base.lower() == "i" and tone:
            out.append(unicodedata.normalize("NFC", base + tone))  # ì í: the same bytes
        else:
            out.append(base + tones.get(tone, ""))
    return "".join(out)


def _typed_in(encoding: str):
    """Every text of the workbook (sheet names, titles, headers, labels, values) in `encoding`."""

    def change(sheets):
        for spec in sheets:
            spec.name = to_legacy(spec.name, encoding)
            spec.rows = [
                [to_legacy(v, encoding) if isinstance(v, str) else v for v in row] for row in spec.rows
            ]
        return sheets

    return change


E, W, A = "rejected", "accepted_with_warnings", "accepted"
G, P = "general", "preschool"

CASES: tuple[Case, ...] = (
    # wrong files
    Case("csv_doi_duoi", "Lưu CSV rồi đổi đuôi thành .xlsx", E, "FILE_NOT_XLSX_TEXT", "CSV", G, raw=_csv),
    Case(
        "excel_97",
        "Tệp Excel 97-2003 (.xls) do LibreOffice lưu, đổi tên .xlsx",
        A,
        None,
        "",
        G,
        raw=_office("general.xls"),
    ),
    Case(
        "excel_97_duoi_xls",
        "Tệp Excel 97-2003 đúng đuôi .xls",
        A,
        None,
        "",
        P,
        raw=_office("preschool.xls"),
        file_name=b"loi_excel_97_duoi_xls.xls",
    ),
    Case(
        "opendocument",
        "Lưu bằng LibreOffice dạng OpenDocument (.ods)",
        A,
        None,
        "",
        G,
        raw=_office("general.ods"),
        file_name=b"loi_opendocument.ods",
    ),
    Case("xls_hong", "Tệp .xls hỏng (chỉ có phần đầu)", E, "FILE_CORRUPT", "hỏng", G, raw=_xls),
    Case(
        "xls_mat_khau",
        "Tệp Excel 97-2003 đặt mật khẩu",
        E,
        "FILE_ENCRYPTED",
        "mật khẩu",
        G,
        raw=_encrypted_xls,
        file_name=b"loi_xls_mat_khau.xls",
    ),
    Case("excel_nhi_phan", "Lưu dạng Excel nhị phân (.xlsb)", E, "FILE_XLSB", ".xlsx", G, raw=_xlsb),
    Case(
        "ods_mat_khau",
        "Tệp .ods đặt mật khẩu",
        E,
        "FILE_ENCRYPTED",
        "mật khẩu",
        G,
        raw=_encrypted_ods,
        file_name=b"loi_ods_mat_khau.ods",
    ),
    Case("dat_mat_khau", "Đặt mật khẩu cho tệp", E, "FILE_ENCRYPTED", "mật khẩu", G, raw=_encrypted),
    Case("tep_rong", "Tệp rỗng (0 byte)", E, "FILE_EMPTY", "rỗng", G, raw=lambda p: p.write_bytes(b"")),
    Case(
        "tep_cat_cut",
        "Tệp tải lên bị cắt giữa chừng",
        E,
        "FILE_CORRUPT",
        "hỏng",
        G,
        raw=_truncated,
        edits_base=True,
    ),
    Case(
        "ky_tu_nul_trong_xml",
        "Ký tự &#0; (không hợp lệ trong XML) trong bảng chuỗi",
        E,
        "FILE_CORRUPT",
        "Không đọc được",
        G,
        raw=_nul_in_shared_strings,
        edits_base=True,
    ),
    Case(
        "tep_nhi_phan",
        "Tệp không phải Excel (ảnh, tệp nén lạ)",
        E,
        "FILE_NOT_XLSX",
        "không phải",
        G,
        raw=_binary,
    ),
    Case("tep_word", "Tệp Word đổi tên .xlsx", E, "FILE_NOT_XLSX", "không phải", G, raw=_docx),
    Case(
        "sai_thu_muc",
        "Gửi tệp điều tra dân số vào thư mục báo cáo",
        E,
        "FILE_WRONG_FOLDER",
        "census/",
        G,
        raw=_census_in_reports,
    ),
    Case("zip_bomb", "Tệp nén bất thường (zip bomb)", E, "FILE_TOO_LARGE", "quá lớn", G, raw=_zip_bomb),
    Case(
        "xml_entity", "XML có khai báo ENTITY (billion laughs)", E, "FILE_XML_DTD", "ENTITY", G, raw=_entities
    ),
    # structure
    Case(
        "thieu_sheet_hoc_sinh",
        "Xóa sheet «Học sinh»",
        E,
        "SHEET_MISSING",
        "Học sinh",
        G,
        drop_sheet("Học sinh"),
    ),
    Case("doi_ten_cot", "Đổi tên cột «Tổng số»", E, "HEADER_NOT_FOUND", "Tổng số", G, _rename_header),
    Case("cot_trung", "Hai cột cùng tên «Nữ»", E, "HEADER_DUPLICATE", "hai lần", G, _duplicate_header),
    Case(
        "thieu_ma_truong",
        "Bỏ trống «Mã trường»",
        E,
        "CELL_REQUIRED",
        "Mã trường",
        G,
        set_form("Thông tin chung", "Mã trường", None),
    ),
    Case("thieu_dong_ky", "Xóa dòng «Kỳ báo cáo»", E, "LABEL_MISSING", "Kỳ báo cáo", G, _drop_label),
    Case(
        "thieu_danh_gia_cuoi_nam",
        "Báo cáo cuối năm không có sheet «Đánh giá»",
        E,
        "GENERAL_ASSESSMENT_MISSING",
        "Đánh giá",
        G,
        drop_sheet("Đánh giá"),
    ),
    # cells
    Case(
        "chu_trong_o_so",
        "Gõ «12a» vào ô số",
        E,
        "CELL_NOT_NUMBER",
        "không phải là số",
        G,
        set_cell("Học sinh", "Tổng số", "12a"),
    ),
    Case(
        "dau_phan_tram",
        "Gõ «5%» vào ô số lượng",
        E,
        "CELL_NOT_NUMBER",
        "5%",
        G,
        set_cell("Học sinh", "Nữ", "5%"),
    ),
    Case(
        "so_le",
        "Số học sinh có phần thập phân (12,5)",
        E,
        "CELL_NOT_WHOLE",
        "số nguyên",
        G,
        set_cell("Học sinh", "Khuyết tật", "12,5"),
    ),
    Case(
        "ngay_trong_o_so",
        "Ô số bị định dạng ngày tháng",
        E,
        "CELL_DATE_NOT_NUMBER",
        "ngày tháng",
        G,
        set_cell("Học sinh", "Dân tộc thiểu số", date(1900, 4, 9)),
    ),
    Case(
        "cong_thuc_chua_tinh",
        "Công thức chưa được tính (không có giá trị lưu)",
        E,
        "FORMULA_NO_VALUE",
        "công thức",
        G,
        set_cell("Học sinh", "Tổng số", Formula("SUM(D5:E5)")),
    ),
    Case(
        "khoi_khong_hop_le",
        "Khối «Lớp 13»",
        E,
        "CELL_BAD_VALUE",
        "Lớp 13",
        G,
        set_cell("Học sinh", "Khối / nhóm tuổi", "Lớp 13"),
    ),
    Case(
        "ky_khong_hop_le",
        "Kỳ báo cáo «Cả năm»",
        E,
        "CELL_BAD_VALUE",
        "Cả năm",
        G,
        set_form("Thông tin chung", "Kỳ báo cáo", "Cả năm"),
    ),
    Case(
        "ngay_sai",
        "Ngày báo cáo «32/13/2024»",
        E,
        "CELL_NOT_DATE",
        "32/13/2024",
        G,
        set_form("Thông tin chung", "Ngày báo cáo", "32/13/2024"),
    ),
    # semantics
    Case("so_am", "Số bỏ học âm", E, "PUPILS_NEGATIVE", "số âm", G, set_cell("Học sinh", "Bỏ học", -2)),
    Case(
        "nu_lon_hon_tong",
        "Số nữ lớn hơn tổng số",
        E,
        "PUPILS_FEMALE_OVER_TOTAL",
        "số học sinh nữ",
        G,
        _female_over_total,
    ),
    Case(
        "bo_hoc_lon_hon_dau_nam",
        "Số bỏ học lớn hơn số đầu năm",
        E,
        "PUPILS_DROPOUTS_OVER_START",
        "số bỏ học",
        G,
        _dropouts_over_start,
    ),
    Case(
        "vang_lon_hon_ke_hoach",
        "Ngày công vắng lớn hơn kế hoạch",
        E,
        "PUPILS_ABSENT_OVER_PLANNED",
        "ngày công vắng",
        G,
        _absent_over_planned,
    ),
    Case(
        "len_lop_lech_xa",
        "Lên lớp + lưu ban + bỏ học lệch hơn 50% số đầu năm",
        E,
        "PUPILS_OUTCOMES_FAR_FROM_START",
        "50%",
        G,
        _outcomes(0.3),
    ),
    Case(
        "truong_ngoai_danh_muc",
        "Mã trường không có trong danh mục",
        E,
        "GENERAL_SCHOOL_NOT_IN_REGISTRY",
        "không có trong danh mục",
        G,
        set_form("Thông tin chung", "Mã trường", "12109999"),
    ),
    Case(
        "nam_hoc_sai_dang",
        "Năm học ghi «2023/24»",
        E,
        "GENERAL_YEAR_FORMAT",
        "2023/24",
        G,
        set_form("Thông tin chung", "Năm học", "2023/24"),
    ),
    Case(
        "nam_hoc_cach_2_nam",
        "Năm học ghi «2023-2025»",
        E,
        "GENERAL_YEAR_SPAN",
        "cộng 1",
        G,
        set_form("Thông tin chung", "Năm học", "2023-2025"),
    ),
    Case(
        "nam_hoc_khac_thu_muc",
        "Tệp năm học 2022-2023 nộp vào thư mục 2023-2024",
        E,
        "REPORT_YEAR_NOT_FOLDER",
        "thư mục",
        G,
        _compose(
            set_form("Thông tin chung", "Năm học", "2022-2023"),
            set_form("Thông tin chung", "Ngày báo cáo", date(2023, 5, 20)),
        ),
    ),
    Case(
        "ky_khac_thu_muc",
        "Báo cáo giữa năm nộp vào thư mục cuối năm",
        E,
        "REPORT_PERIOD_NOT_FOLDER",
        "Kỳ báo cáo",
        G,
        set_form("Thông tin chung", "Kỳ báo cáo", "Giữa năm"),
    ),
    Case(
        "ngay_ngoai_nam_hoc",
        "Ngày báo cáo năm 2022 cho năm học 2023-2024",
        E,
        "GENERAL_DATE_OUTSIDE_YEAR",
        "ngoài năm học",
        G,
        set_form("Thông tin chung", "Ngày báo cáo", date(2022, 5, 20)),
    ),
    Case(
        "do_tuoi_khong_khop",
        "Tổng theo độ tuổi khác tổng số học sinh",
        E,
        "GENERAL_AGES_NOT_PUPILS",
        "độ tuổi",
        G,
        _ages_not_pupils,
    ),
    Case(
        "khoi_khong_thuoc_cap",
        "Trường mầm non báo cáo «Lớp 1»",
        E,
        "PUPILS_GRADE_NOT_OF_LEVEL",
        "không thuộc cấp học",
        P,
        _preschool_reports_grade_1,
    ),
    Case(
        "danh_gia_vuot_si_so",
        "Tổng các mức đánh giá vượt sĩ số",
        E,
        "ASSESSMENT_OVER_ENROLLED",
        "lớn hơn số học sinh của khối",
        G,
        _assessment_over,
    ),
    Case(
        "danh_gia_lech_noi_dung",
        "Tổng rèn luyện khác tổng học tập",
        E,
        "ASSESSMENT_DIMENSIONS_DIFFER",
        "không bằng nhau",
        G,
        _assessment_dimensions_differ,
    ),
    Case(
        "muc_sai_thang",
        "Mức «Trung bình» cho «Rèn luyện» (thang 2018)",
        E,
        "ASSESSMENT_LEVEL_NOT_OF_DIMENSION",
        "Trung bình",
        G,
        _wrong_scale,
    ),
    Case(
        "phong_hoc_khong_khop",
        "Tổng các loại phòng khác tổng số phòng",
        E,
        "FACILITIES_PARTS_NOT_TOTAL",
        "tổng số phòng học",
        G,
        _facility_parts,
    ),
    Case(
        "chi_giang_day_vuot",
        "Chi giảng dạy lớn hơn chi thường xuyên",
        E,
        "STATUS_TEACHING_OVER_RECURRENT",
        "chi thường xuyên",
        G,
        _teaching_over,
    ),
    Case(
        "dat_giai_vuot_du_thi",
        "Số đạt giải lớn hơn số dự thi",
        E,
        "GIFTED_AWARDED_OVER_CANDIDATES",
        "số dự thi",
        G,
        _awarded_over,
    ),
    Case(
        "gv_dat_chuan_vuot",
        "Giáo viên đạt chuẩn nhiều hơn tổng số",
        E,
        "STAFF_QUALIFIED_OVER_TOTAL",
        "đạt chuẩn",
        G,
        _qualified_over,
    ),
    Case(
        "sdd_vuot_so_can",
        "Trẻ suy dinh dưỡng nhiều hơn trẻ được cân",
        E,
        "NUTRITION_UNDERWEIGHT_OVER_MEASURED",
        "được cân",
        P,
        _underweight_over,
    ),
    Case(
        "xml_external_entity",
        "XML có ENTITY SYSTEM (đọc tệp của máy chủ)",
        E,
        "FILE_XML_DTD",
        "DTD",
        G,
        raw=_external_entity,
    ),
    Case(
        "shared_strings_khong_lo",
        "Bảng chuỗi dùng chung 40 MB",
        E,
        "FILE_TOO_LARGE",
        "quá lớn",
        G,
        raw=_huge_shared_strings,
    ),
    Case(
        "mot_trieu_dong",
        "Một sheet có 1.048.576 dòng",
        E,
        "FILE_TOO_LARGE",
        "quá nhiều dòng",
        G,
        raw=_million_rows,
    ),
    Case("gop_o_ca_sheet", "Gộp ô trên toàn bộ sheet «Học sinh»", A, None, "", G, _merged_whole_sheet),
    Case("tieu_de_xuong_duoi", "Dòng tiêu đề bảng bị đẩy xuống 5 dòng", A, None, "", G, _header_moved),
    Case("chu_nfd", "Chữ tiếng Việt dạng tổ hợp (NFD)", A, None, "", G, _nfd_text),
    Case(
        "phay_hang_nghin",
        "«1,234» (dấu phẩy kiểu Anh) trong ô số học sinh",
        E,
        "CELL_NOT_WHOLE",
        "1,234",
        G,
        set_cell("Học sinh", "Khuyết tật", "1,234"),
    ),
    Case(
        "ngay_1900_nhuan",
        "Ngày báo cáo là ngày 29/02/1900 không có thật (số 60 của Excel)",
        E,
        "GENERAL_DATE_OUTSIDE_YEAR",
        "ngoài năm học",
        G,
        set_form("Thông tin chung", "Ngày báo cáo", 60),
    ),
    Case(
        "so_duoi_dang_chu_am",
        "Số âm gõ dạng chữ «-3»",
        E,
        "PUPILS_NEGATIVE",
        "số âm",
        G,
        set_cell("Học sinh", "Lưu ban", Raw("-3")),
    ),
    # hostile or odd: each stays this file's problem, the load goes on
    Case(
        "loi_cong_thuc_div0",
        "Ô «Nữ» hiện lỗi công thức #DIV/0!",
        E,
        "CELL_FORMULA_ERROR",
        "#DIV/0!",
        G,
        set_cell("Học sinh", "Nữ", ExcelError("#DIV/0!")),
    ),
    Case(
        "loi_cong_thuc_ref",
        "Ô «Chi thường xuyên» hiện lỗi #REF!",
        E,
        "CELL_FORMULA_ERROR",
        "#REF!",
        G,
        set_form("Chỉ số trường", "Chi thường xuyên (triệu đồng)", ExcelError("#REF!")),
    ),
    Case(
        "loi_na_o_chu",
        "Ô «Khối» hiện lỗi #N/A",
        E,
        "CELL_FORMULA_ERROR",
        "#N/A",
        G,
        set_cell("Học sinh", "Khối / nhóm tuổi", ExcelError("#N/A")),
    ),
    Case(
        "vo_cuc",
        "Ô số học sinh nữ là Infinity",
        E,
        "CELL_NOT_NUMBER",
        "inf",
        G,
        set_cell("Học sinh", "Nữ", float("inf")),
    ),
    Case(
        "so_khong_lo",
        "Ngày công kế hoạch = 1e308",
        E,
        "CELL_OUT_OF_RANGE",
        "giới hạn",
        G,
        set_cell("Học sinh", "Ngày công kế hoạch", 1e308),
    ),
    Case(
        "so_khong_lo_tien",
        "Chi thường xuyên = 1e30 triệu đồng",
        E,
        "CELL_OUT_OF_RANGE",
        "giới hạn",
        G,
        set_form("Chỉ số trường", "Chi thường xuyên (triệu đồng)", 1e30),
    ),
    Case(
        "nam_hoc_gach_dai",
        "Năm học ghi «2023–2024» (gạch dài)",
        A,
        None,
        "",
        G,
        set_form("Thông tin chung", "Năm học", "2023–2024"),
    ),
    Case(
        "nam_hoc_co_cach",
        "Năm học ghi «2023 - 2024» (có dấu cách)",
        A,
        None,
        "",
        G,
        _compose(
            set_form("Thông tin chung", "Năm học", "2023 - 2024"),
            set_form("Thông tin chung", "Ngày báo cáo", date(2024, 5, 24)),
        ),
    ),
    Case(
        "ten_tep_khong_unicode",
        "Tên tệp mã Windows-1258 (giải nén .zip trên Windows)",
        W,
        "FILE_NAME_NOT_UNICODE",
        "Unicode",
        G,
        set_form("Thông tin chung", "Ngày báo cáo", date(2024, 5, 27)),
        file_name=b"loi_t\xean_t\xeap_b\xe1o_c\xe1o.xlsx",
    ),
    Case(
        "lien_ket_ra_ngoai",
        "Liên kết (symlink) tới /etc/passwd",
        E,
        "FILE_SYMLINK",
        "liên kết",
        G,
        link_to="/etc/passwd",
    ),
    Case(
        "lien_ket_thu_muc",
        "Liên kết tới một thư mục ngoài (/etc)",
        E,
        "FILE_SYMLINK",
        "/etc",
        G,
        link_to="/etc",
    ),
    Case(
        "lien_ket_noi_bo",
        "Liên kết tới một báo cáo khác trong reports/",
        E,
        "FILE_SYMLINK",
        "liên kết",
        G,
        link_to="12109002.xlsx",
    ),
    Case(
        "ma_co_ky_tu_an",
        "Mã trường dán từ trang web, có ký tự ẩn (zero-width space)",
        A,
        None,
        "",
        G,
        _compose(
            set_form("Thông tin chung", "Mã trường", "\u200b12109002\u00a0"),
            set_form("Thông tin chung", "Ngày báo cáo", date(2024, 5, 28)),
        ),
    ),
    Case(
        "ma_chu_kirin",
        "Mã trường có chữ «О» Kirin thay cho số 0",
        E,
        "CELL_LOOKALIKE_LETTERS",
        "Kirin",
        G,
        set_form("Thông tin chung", "Mã trường", "121О9002"),
    ),
    Case(
        "chu_tcvn3",
        "Cả tệp gõ bằng phông .VnTime (bảng mã TCVN3)",
        W,
        "TEXT_LEGACY_ENCODING",
        "TCVN3",
        G,
        _compose(set_form("Thông tin chung", "Ngày báo cáo", date(2024, 5, 29)), _typed_in("tcvn3")),
    ),
    Case(
        "chu_vni",
        "Cả tệp gõ bằng phông VNI-Times (bảng mã VNI)",
        W,
        "TEXT_LEGACY_ENCODING",
        "VNI",
        G,
        _compose(set_form("Thông tin chung", "Ngày báo cáo", date(2024, 5, 30)), _typed_in("vni")),
    ),
    # accepted, flagged
    Case(
        "dong_tong_cong",
        "Thêm dòng «Tổng cộng» cuối bảng",
        W,
        "TOTAL_ROW_SKIPPED",
        "Tổng cộng",
        G,
        _total_row,
    ),
    Case(
        "len_lop_lech_5",
        "Lên lớp + lưu ban + bỏ học lệch hơn 5% số đầu năm",
        W,
        "PUPILS_OUTCOMES_OFF_START",
        "5%",
        G,
        _outcomes(0.88),
    ),
    Case(
        "si_so_tang_dot_bien",
        "Sĩ số tăng gấp đôi so với báo cáo giữa năm",
        W,
        "HISTORY_ENROLMENT_JUMP",
        "30%",
        G,
        _double_counts,
    ),
    Case(
        "mam_non_thieu_dinh_duong",
        "Trường mầm non không gửi sheet «Dinh dưỡng»",
        W,
        "GENERAL_NUTRITION_MISSING",
        "Dinh dưỡng",
        P,
        drop_sheet("Dinh dưỡng"),
    ),
    # accepted as a careful clerk would
    Case("them_cot_ghi_chu", "Thêm cột «Ghi chú»", A, None, "", G, _extra_column),
    Case("tieu_de_khong_dau", "Tiêu đề cột viết hoa, không dấu", A, None, "", G, _no_diacritic_headers),
)


@dataclass(frozen=True)
class ReferenceCase:
    """A broken registry, census or target file, with the outcome it must get."""

    relpath: str  # under the landing folder
    what_vi: str
    status: str
    code: str
    message: str
    content: str | None = None  # the file's text (UTF-8)
    link_to: str | None = None  # not a file: a symbolic link


_TARGET_HEAD = "Số quyết định,Ngày ban hành,Cơ quan giao,Đơn vị nhận,Cấp đơn vị nhận,Năm học,Mã chỉ tiêu,Vùng,So sánh,Giá trị,Ghi chú\n"
_REGISTRY_HEAD = (
    "Mã trường,Tên trường,Cấp học,Loại trường,Loại hình,Mã xã,Vùng,Áp dụng từ năm học,Áp dụng đến năm học\n"
)
_CENSUS_HEAD = "Mã xã,Năm học,Tuổi,Dân số,Nữ,PCGD mầm non 5 tuổi,PCGD tiểu học,PCGD THCS,XMC\n"

REFERENCE_CASES: tuple[ReferenceCase, ...] = (
    ReferenceCase(
        "census/loi_lien_ket.csv",
        "Liên kết (symlink) tới /etc/passwd trong census/",
        E,
        "FILE_SYMLINK",
        "liên kết",
        link_to="/etc/passwd",
    ),
    ReferenceCase(
        "census/loi_dan_so_khong_lo.csv",
        "Dân số 999.999.999.999",
        E,
        "CELL_OUT_OF_RANGE",
        "giới hạn",
        _CENSUS_HEAD + "03391,2023-2024,5,999999999999,60,Đạt,Mức 3,Mức 2,Mức 2\n",
    ),
    ReferenceCase(
        "targets/loi_gia_tri_khong_lo.csv",
        "Giá trị chỉ tiêu 1e308 và Infinity",
        E,
        "TARGET_OUT_OF_RANGE",
        "ngoài khoảng",
        _TARGET_HEAD + "99/QĐ-TEST,01/09/2023,109,109,Huyện,2023-2024,thcs_dropout,,<,1e308,\n"
        "99/QĐ-TEST,01/09/2023,109,109,Huyện,2023-2024,th_enrol_6_10,,>=,Infinity,\n",
    ),
    ReferenceCase(
        "registry/loi_trung_ma.csv",
        "Một mã trường hai dòng chồng thời gian, tên gõ TCVN3",
        W,
        "REGISTRY_CODE_OVERLAP",
        "chồng nhau",
        _REGISTRY_HEAD + "12109998,Trường Mầm non Thử Nghiệm,Mầm non,Thường,Công lập,03391,ĐBKK,2022-2023,\n"
        "12109998,Trường Mầm non Thử Nghiệm Mới,Mầm non,Thường,Công lập,03391,ĐBKK,2023-2024,\n"
        "12109997,Tr\u00adêng MÇm non Th¸i B×nh,Mầm non,Thường,Công lập,03391,ĐBKK,2022-2023,\n",
    ),
)


def write_reference_case(case: ReferenceCase, landing: Path) -> Path:
    path = landing / case.relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    if case.link_to is not None:
        path.unlink(missing_ok=True)
        path.symlink_to(case.link_to)
    else:
        path.write_text(case.content or "", encoding="utf-8")
    return path


def write_case(case: Case, bases: dict[str, list[SheetSpec]], reports: Path) -> Path:
    """Write one broken submission under `reports`/<folder>/ and return its path."""
    path = (
        reports / case.folder / (os.fsdecode(case.file_name) if case.file_name else f"loi_{case.name}.xlsx")
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    if case.link_to is not None:
        path.unlink(missing_ok=True)
        path.symlink_to(case.link_to)
        return path
    if case.raw is not None and case.change is None:
        if case.edits_base:
            write_xlsx(path, copy.deepcopy(bases[case.base]))
        case.raw(path)
        return path
    write_xlsx(path, case.change(copy.deepcopy(bases[case.base])))
    return path
