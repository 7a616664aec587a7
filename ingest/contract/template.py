"""Template v1 of the school report workbook, as data.

One place says which sheets exist, which headers and labels they carry, what type each
value has and which category values are allowed. The reader (workbook.py), the GX suites
(expectations/), the sample generator and the dbt staging models all follow it; the
contract itself is docs/SUBMISSION_TEMPLATE.md.

(Long on purpose: it is the declaration of every sheet and reference file, field by
field; split, the contract would be scattered again.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from ingest.read.text import match_key

FieldKind = Literal["count", "number", "text", "date", "category"]


@dataclass(frozen=True)
class Category:
    """Allowed values of a category field: Vietnamese label -> canonical code."""

    labels: dict[str, str]
    aliases: dict[str, str] = field(default_factory=dict)

    @cached_property
    def _by_key(self) -> dict[str, str]:
        return {match_key(label): code for label, code in {**self.labels, **self.aliases}.items()}

    def code_of(self, raw: object) -> str | None:
        return self._by_key.get(match_key(raw))

    def label_of(self, code: str) -> str:
        return next(label for label, c in self.labels.items() if c == code)


@dataclass(frozen=True)
class Field:
    name: str  # canonical snake_case name, the column name downstream
    label: str  # header (table sheets) or label (form sheets) as the template prints it
    kind: FieldKind
    required: bool = False  # a header that must be present (table) / a value that must be given
    blank_is_zero: bool = False  # an empty cell means 0 rather than "not reported"
    category: Category | None = None
    aliases: tuple[str, ...] = ()
    pii: bool = False  # personal data: kept in the raw zone only

    @cached_property
    def keys(self) -> frozenset[str]:
        return frozenset({match_key(self.label), *map(match_key, self.aliases)})

    def matches(self, text: object) -> bool:
        return match_key(text) in self.keys


@dataclass(frozen=True)
class Sheet:
    kind: str  # canonical name of the sheet kind
    title: str  # the sheet name in the template
    layout: Literal["table", "form"]  # table: header row + one row per item; form: label/value
    fields: tuple[Field, ...]
    required: bool = True
    aliases: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @cached_property
    def field_by_key(self) -> dict[str, Field]:
        """Every accepted header or label (as a match key) -> its field."""
        return {key: f for f in self.fields for key in f.keys}

    @cached_property
    def keys(self) -> frozenset[str]:
        return frozenset({match_key(self.title), *map(match_key, self.aliases)})

    def matches(self, sheet_name: str) -> bool:
        return match_key(sheet_name) in self.keys


PERIODS = Category(
    {"Đầu năm": "dau_nam", "Giữa năm": "giua_nam", "Cuối năm": "cuoi_nam"},
    {
        "Đầu năm học": "dau_nam",
        "Giữa năm học": "giua_nam",
        "Học kỳ I": "giua_nam",
        "Cuối năm học": "cuoi_nam",
    },
)
PERIOD_LABELS = {code: label for label, code in PERIODS.labels.items()}

GRADES = Category(
    {
        "Nhà trẻ": "nha_tre",
        "Mẫu giáo 3 tuổi": "mau_giao_3",
        "Mẫu giáo 4 tuổi": "mau_giao_4",
        "Mẫu giáo 5 tuổi": "mau_giao_5",
        **{f"Lớp {n}": f"lop_{n}" for n in range(1, 13)},
    },
    {
        "MG 3 tuổi": "mau_giao_3",
        "MG 4 tuổi": "mau_giao_4",
        "MG 5 tuổi": "mau_giao_5",
        **{f"Khối {n}": f"lop_{n}" for n in range(1, 13)},
    },
)

ASSESSMENT_DIMENSIONS = Category(
    {
        "Hoàn thành chương trình": "hoan_thanh_chuong_trinh",
        "Rèn luyện": "ren_luyen",
        "Học tập": "hoc_tap",  # 2018 programme
        "Hạnh kiểm": "hanh_kiem",
        "Học lực": "hoc_luc",  # old programme
    }
)
ASSESSMENT_LEVELS = Category(
    {
        "Hoàn thành tốt": "hoan_thanh_tot",
        "Hoàn thành": "hoan_thanh",
        "Chưa hoàn thành": "chua_hoan_thanh",
        "Tốt": "tot",
        "Giỏi": "gioi",
        "Khá": "kha",
        "Đạt": "dat",
        "Chưa đạt": "chua_dat",
        "Trung bình": "trung_binh",
        "Yếu": "yeu",
        "Kém": "kem",
    },
    {"TB": "trung_binh"},
)
CHILD_GROUPS = Category({"Nhà trẻ": "nha_tre", "Mẫu giáo": "mau_giao"})
STAFF_GROUPS = Category(
    {"Cán bộ quản lý": "can_bo_quan_ly", "Giáo viên": "giao_vien", "Nhân viên": "nhan_vien"},
    {"CBQL": "can_bo_quan_ly"},
)
CONTEST_LEVELS = Category(
    {"Huyện": "huyen", "Tỉnh": "tinh", "Quốc gia": "quoc_gia"},
    {"Cấp huyện": "huyen", "Cấp tỉnh": "tinh", "Cấp quốc gia": "quoc_gia"},
)
NATIONAL_STANDARD = Category({"Chưa đạt": "chua_dat", "Mức 1": "muc_1", "Mức 2": "muc_2"})
ACCREDITATION = Category(
    {"Chưa": "chua", **{f"Cấp độ {n}": f"cap_do_{n}" for n in range(1, 5)}}, {"Chưa đạt": "chua"}
)
YES_NO = Category({"Có": "co", "Không": "khong"}, {"x": "co"})


def _count(name: str, label: str, *aliases: str, required: bool = False, zero: bool = False) -> Field:
    return Field(name, label, "count", required=required, blank_is_zero=zero, aliases=aliases)


GENERAL = Sheet(
    "general",
    "Thông tin chung",
    "form",
    (
        Field("school_code", "Mã trường", "text", required=True),
        Field("school_name", "Tên trường", "text", required=True),
        Field("school_year", "Năm học", "text", required=True),
        Field("period", "Kỳ báo cáo", "category", required=True, category=PERIODS),
        Field("report_date", "Ngày báo cáo", "date", required=True),
        Field("preparer", "Người lập biểu", "text", pii=True),
    ),
    aliases=("Thong tin chung", "Thông tin"),
)

PUPILS = Sheet(
    "pupils",
    "Học sinh",
    "table",
    (
        Field(
            "grade",
            "Khối / nhóm tuổi",
            "category",
            required=True,
            category=GRADES,
            aliases=("Khối", "Nhóm tuổi", "Khối/nhóm tuổi", "Khối lớp"),
        ),
        _count("classes", "Số nhóm, lớp", "Số lớp", "Số nhóm lớp"),
        _count("enrolled", "Tổng số", "Tổng số học sinh", required=True),
        _count("female", "Nữ", "Học sinh nữ", zero=True),
        _count("ethnic_minority", "Dân tộc thiểu số", "DTTS", zero=True),
        _count("disabled", "Khuyết tật", zero=True),
        _count("enrolled_start", "Đầu năm", "Số học sinh đầu năm"),
        _count("dropouts", "Bỏ học", zero=True),
        _count("planned_days", "Ngày công kế hoạch"),
        _count("absent_days", "Ngày công vắng", zero=True),
        _count("new_entrants", "Tuyển mới", zero=True),
        _count("new_entrants_of_age", "Tuyển mới đúng tuổi", zero=True),
        _count("promoted", "Lên lớp"),
        _count("promoted_after_resit", "Lên lớp sau thi lại", zero=True),
        _count("repeaters", "Lưu ban", zero=True),
        _count("completers", "Hoàn thành chương trình"),
    ),
    aliases=("Hoc sinh",),
)

AGES = Sheet(
    "ages",
    "Độ tuổi",
    "table",
    (
        _count("age", "Tuổi", "Độ tuổi", required=True),
        _count("pupils", "Số học sinh", "Tổng số", required=True),
        _count("female", "Nữ", zero=True),
    ),
    aliases=("Do tuoi", "Học sinh theo độ tuổi"),
)

ASSESSMENT = Sheet(
    "assessment",
    "Đánh giá",
    "table",
    (
        Field("grade", "Khối", "category", required=True, category=GRADES, aliases=("Lớp",)),
        Field(
            "dimension",
            "Nội dung",
            "category",
            required=True,
            category=ASSESSMENT_DIMENSIONS,
            aliases=("Nội dung đánh giá",),
        ),
        Field(
            "level",
            "Mức",
            "category",
            required=True,
            category=ASSESSMENT_LEVELS,
            aliases=("Mức đánh giá", "Xếp loại"),
        ),
        _count("pupils", "Số học sinh", required=True),
    ),
    required=False,
    aliases=("Danh gia",),
)

NUTRITION = Sheet(
    "nutrition",
    "Dinh dưỡng",
    "table",
    (
        Field("group", "Nhóm", "category", required=True, category=CHILD_GROUPS),
        _count("measured", "Số trẻ được cân, đo", "Số trẻ được cân đo", required=True),
        _count("underweight", "Suy dinh dưỡng thể nhẹ cân", "SDD thể nhẹ cân", zero=True),
        _count("stunted", "Suy dinh dưỡng thể thấp còi", "SDD thể thấp còi", zero=True),
        _count("boarding_meals", "Ăn bán trú", zero=True),
        _count("two_sessions", "Học 2 buổi/ngày", "Học 2 buổi/ ngày", zero=True),
    ),
    required=False,
)

STAFF = Sheet(
    "staff",
    "Đội ngũ",
    "table",
    (
        Field("group", "Nhóm", "category", required=True, category=STAFF_GROUPS),
        _count("total", "Tổng số", required=True),
        _count("female", "Nữ", zero=True),
        _count("qualified", "Đạt chuẩn trình độ đào tạo", "Đạt chuẩn"),
        _count("above_standard", "Trên chuẩn", zero=True),
    ),
    required=False,
    aliases=("Doi ngu", "Đội ngũ CBQL, GV, NV"),
)

FACILITIES = Sheet(
    "facilities",
    "Cơ sở vật chất",
    "form",
    (
        _count("classrooms", "Tổng số phòng học", required=True),
        _count("solid", "Kiên cố", zero=True),
        _count("semi_solid", "Bán kiên cố", zero=True),
        _count("temporary", "Tạm", "Phòng tạm", zero=True),
        _count("borrowed", "Mượn, nhờ", "Mượn", "Phòng mượn", zero=True),
        _count("subject_rooms", "Phòng học bộ môn", zero=True),
    ),
    required=False,
    aliases=("CSVC", "Co so vat chat"),
)

SCHOOL_STATUS = Sheet(
    "school_status",
    "Chỉ số trường",
    "form",
    (
        Field("national_standard", "Đạt chuẩn quốc gia", "category", category=NATIONAL_STANDARD),
        Field("accreditation", "Kiểm định chất lượng", "category", category=ACCREDITATION),
        Field(
            "stem",
            "Triển khai giáo dục STEM/STEAM",
            "category",
            category=YES_NO,
            aliases=("Giáo dục STEM", "STEM/STEAM"),
        ),
        Field(
            "inclusive_ready",
            "Đủ điều kiện giáo dục hòa nhập",
            "category",
            category=YES_NO,
            aliases=("Đủ điều kiện giáo dục hoà nhập",),
        ),
        Field("high_quality", "Trường chất lượng cao", "category", category=YES_NO),
        Field("recurrent_spend", "Chi thường xuyên (triệu đồng)", "number", aliases=("Chi thường xuyên",)),
        Field(
            "teaching_spend",
            "Chi cho giảng dạy, học tập (triệu đồng)",
            "number",
            aliases=("Chi cho giảng dạy, học tập", "Chi cho giảng dạy học tập"),
        ),
    ),
    required=False,
    aliases=("Chi so truong",),
)

GIFTED = Sheet(
    "gifted",
    "Học sinh giỏi",
    "table",
    (
        Field("contest_level", "Cấp thi", "category", required=True, category=CONTEST_LEVELS),
        _count("candidates", "Số dự thi", required=True),
        _count("awarded", "Số đạt giải", zero=True),
        _count("science_projects", "Dự án KHKT", zero=True),
    ),
    required=False,
    aliases=("Hoc sinh gioi", "HSG"),
)

SHEETS: tuple[Sheet, ...] = (
    GENERAL,
    PUPILS,
    AGES,
    ASSESSMENT,
    NUTRITION,
    STAFF,
    FACILITIES,
    SCHOOL_STATUS,
    GIFTED,
)
SHEETS_BY_KIND = {s.kind: s for s in SHEETS}

MAX_AGE = 18


# Reference files (SUBMISSION_TEMPLATE.md): one header row, one record per row, CSV or xlsx.

SCHOOL_LEVELS = Category(
    {
        "Mầm non": "mam_non",
        "Tiểu học": "tieu_hoc",
        "THCS": "thcs",
        "TH&THCS": "th_thcs",
        "THCS&THPT": "thcs_thpt",
        "THPT": "thpt",
        "GDTX": "gdtx",
    },
    {
        "Mẫu giáo": "mam_non",
        "Trung học cơ sở": "thcs",
        "TH và THCS": "th_thcs",
        "Tiểu học và THCS": "th_thcs",
        "Trung học phổ thông": "thpt",
        "THCS và THPT": "thcs_thpt",
        "Phổ thông DTNT": "thcs_thpt",
    },
)
SCHOOL_TYPES = Category(
    {"Thường": "thuong", "PTDTBT": "ptdtbt", "PTDTNT": "ptdtnt"},
    {"Phổ thông": "thuong", "Bán trú": "ptdtbt", "Nội trú": "ptdtnt"},
)
OWNERSHIP = Category(
    {"Công lập": "cong_lap", "Tư thục": "tu_thuc", "Dân lập": "dan_lap"},
    {"CL": "cong_lap", "Ngoài công lập": "tu_thuc"},
)
AREAS = Category(
    {"ĐBKK": "dbkk", "Thuận lợi": "thuan_loi"},
    {"Đặc biệt khó khăn": "dbkk", "Vùng ĐBKK": "dbkk", "Vùng thuận lợi": "thuan_loi", "Khó khăn": "dbkk"},
)
ASSIGNEE_LEVELS = Category(
    {"Trường": "school", "Xã": "commune", "Huyện": "district", "Tỉnh": "province"},
    {
        "Phường": "commune",
        "Thị trấn": "commune",
        "Quận": "district",
        "Thị xã": "district",
        "Thành phố": "district",
        "Xã, phường": "commune",
    },
)
PCGD_STATUS = Category(
    {"Chưa đạt": "chua_dat", "Đạt": "dat", "Mức 1": "muc_1", "Mức 2": "muc_2", "Mức 3": "muc_3"}
)

REGISTRY = Sheet(
    "registry",
    "Danh mục trường",
    "table",
    (
        Field("school_code", "Mã trường", "text", required=True),
        Field("school_name", "Tên trường", "text", required=True),
        Field("school_level", "Cấp học", "category", required=True, category=SCHOOL_LEVELS),
        Field("school_type", "Loại trường", "category", category=SCHOOL_TYPES),
        Field("ownership", "Loại hình", "category", category=OWNERSHIP),
        Field("commune_code", "Mã xã", "text", required=True, aliases=("Mã xã, phường",)),
        Field("area", "Vùng", "category", category=AREAS, aliases=("Vùng khó khăn",)),
        Field("valid_from", "Áp dụng từ năm học", "text", aliases=("Từ năm học",)),
        Field("valid_to", "Áp dụng đến năm học", "text", aliases=("Đến năm học",)),
    ),
)

CENSUS = Sheet(
    "census",
    "Điều tra phổ cập",
    "table",
    (
        Field("commune_code", "Mã xã", "text", required=True, aliases=("Mã xã, phường",)),
        Field("school_year", "Năm học", "text", required=True),
        _count("age", "Tuổi", "Độ tuổi", required=True),
        _count("population", "Dân số", "Số trẻ", "Tổng số", required=True),
        _count("female", "Nữ"),
        Field(
            "pcgd_preschool_5",
            "PCGD mầm non 5 tuổi",
            "category",
            category=PCGD_STATUS,
            aliases=("PCGD MN 5 tuổi", "PCGD mầm non"),
        ),
        Field("pcgd_primary", "PCGD tiểu học", "category", category=PCGD_STATUS, aliases=("PCGD TH",)),
        Field("pcgd_lower_secondary", "PCGD THCS", "category", category=PCGD_STATUS),
        Field("literacy", "XMC", "category", category=PCGD_STATUS, aliases=("Xóa mù chữ",)),
    ),
)

TARGETS = Sheet(
    "targets",
    "Biểu giao chỉ tiêu",
    "table",
    (
        Field("decision_no", "Số quyết định", "text", required=True, aliases=("Số QĐ",)),
        Field("issued_on", "Ngày ban hành", "date", required=True, aliases=("Ngày quyết định",)),
        Field("issuer_code", "Cơ quan giao", "text", aliases=("Mã cơ quan giao",)),
        Field("assignee_code", "Đơn vị nhận", "text", required=True, aliases=("Mã đơn vị nhận",)),
        Field("assignee_level", "Cấp đơn vị nhận", "category", required=True, category=ASSIGNEE_LEVELS),
        Field("school_year", "Năm học", "text", required=True, aliases=("Năm học / mốc",)),
        Field("indicator_code", "Mã chỉ tiêu", "text", required=True),
        Field("segment", "Vùng", "category", category=AREAS),
        Field("comparator", "So sánh", "text", required=True),
        Field("target_value", "Giá trị", "text", required=True, aliases=("Giá trị chỉ tiêu",)),
        Field("tolerance", "Sai số", "number", aliases=("Dung sai",)),
        Field("note", "Ghi chú", "text"),
    ),
)

REFERENCE_FILES = {"registry": REGISTRY, "census": CENSUS, "targets": TARGETS}
