"""Find the targets in a plan's prose and propose them as an assignment file to review.

Planners write targets in sentences: "Huy động trẻ từ 3 đến 5 tuổi đạt từ 99,8% trở lên;
… giảm tỷ lệ bỏ học dưới 0,7%; … khá, tốt trên 96,4% (ĐBKK 96%)". The rules here read
that phrasing: every percentage, N/M ("17/17 xã") and counted goal ("04 dự án", "tối
thiểu một trường") becomes a proposal with its indicator (keyword rules over the clause,
its sentence and the level heading above it), comparator (the words right before the
number, or "trở lên" after it), value, segment (ĐBKK / thuận lợi) and horizon ("đến năm
2025"), together with the sentence it came from. What maps to no catalogue indicator is
kept as unmapped, never dropped.

(Long on purpose: the grammar of planners' sentences — indicator phrases, comparators,
numbers, horizons — is one piece that must be read as a whole.)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ingest.contract.catalogue import indicators
from ingest.read.text import match_key

_NUMBER = re.compile(
    r"(?P<fraction>\b\d{1,3}\s*/\s*\d{1,3}\b(?=\s*(?:xã|trường|đơn vị|huyện)))"
    r"|(?P<percent>\b\d{1,3}(?:,\d+)?\s*%)"
    r"|(?P<count>\b(?:\d{1,3}|một|hai|ba)\b(?=\s+(?:dự án|trường\b[^.;]*chất lượng cao)))",
    re.IGNORECASE,
)
_WORD_NUMBERS = {"một": "1", "hai": "2", "ba": "3"}
_HORIZON = re.compile(r"(?:đến|vào|tới)\s+(?:cuối\s+)?năm\s+(20\d\d)", re.IGNORECASE)
_SCHOOL_YEAR = re.compile(r"năm học\s+(20\d\d)\s*[-–]\s*(20\d\d)", re.IGNORECASE)
_DECISION = re.compile(r"Số\s*:?\s*(\d+)\s*/\s*([A-ZĐ]+)\s*-\s*([A-ZĐ&]+)")
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(20\d\d)", re.IGNORECASE)
_LEVEL_HEADINGS = (("mn", ("mam non",)), ("th", ("tieu hoc",)), ("thcs", ("trung hoc co so", "thcs")))

# (indicator, words that must all appear, words that must not appear, level it needs or None)
RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str | None], ...] = (
    ("mn_enrol_0_2", ("huy dong", "duoi 3 tuoi"), (), None),
    ("mn_enrol_3_5", ("3 den 5 tuoi",), ("chuyen can",), None),
    ("mn_enrol_5", ("mau giao 5 tuoi",), ("chuyen can",), None),
    ("mn_attendance_5", ("chuyen can", "5 tuoi"), (), "mn"),
    ("mn_attendance", ("chuyen can",), (), "mn"),
    ("th_attendance", ("chuyen can",), (), "th"),
    ("thcs_attendance", ("chuyen can",), (), "thcs"),
    ("th_enrol_6_10", ("6 10 tuoi",), (), None),
    ("th_enrol_grade1", ("6 tuoi vao lop 1",), ("phat trien", "khao sat", "giao tiep", "dat yeu cau"), None),
    ("thcs_transition_g6", ("hoan thanh chuong trinh tieu hoc vao lop 6",), ("khao sat",), None),
    ("thcs_enrol_11_14", ("huy dong", "do tuoi"), (), "thcs"),
    ("th_dropout", ("bo hoc",), (), "th"),
    ("thcs_dropout", ("bo hoc",), (), "thcs"),
    ("mn_underweight_nt", ("nhe can", "nha tre"), (), None),
    ("mn_underweight_mg", ("nhe can", "mau giao"), (), None),
    ("mn_stunting_nt", ("thap coi", "nha tre"), (), None),
    ("mn_stunting_mg", ("thap coi", "mau giao"), (), None),
    ("mn_underweight_nt", ("nhe can",), ("mau giao",), "mn"),  # no group named: both groups
    ("mn_underweight_mg", ("nhe can",), ("nha tre",), "mn"),
    ("mn_stunting_nt", ("thap coi",), ("mau giao",), "mn"),
    ("mn_stunting_mg", ("thap coi",), ("nha tre",), "mn"),
    ("mn_boarding_meals", ("an ban tru",), (), None),
    ("mn_two_sessions", ("hoc 2 buoi",), (), None),
    ("mn_english_5", ("5 tuoi", "tieng anh"), (), None),
    ("th_subject_completion", ("hoan thanh cac mon hoc",), (), None),
    ("th_promotion", ("chuyen lop",), (), None),
    ("th_completion", ("hoan thanh chuong trinh tieu hoc",), ("vao lop 6", "khao sat"), None),
    ("th_literacy_g1", ("biet doc", "phep tinh"), (), None),
    ("thcs_conduct_good_plus", ("hanh kiem", "kha tot"), (), None),
    ("thcs_conduct_avg_plus", ("hanh kiem", "tb tro len"), (), None),
    ("thcs_academic_good_plus", ("hoc luc", "kha gioi"), (), None),
    ("thcs_academic_avg_plus", ("hoc luc", "tb tro len"), (), None),
    ("thcs_promotion_after_resit", ("len lop sau thi lai",), (), None),
    ("thcs_continuation", ("tiep tuc hoc",), (), None),
    ("thcs_graduation", ("tot nghiep",), ("tiep tuc hoc",), None),
    ("gifted_district_award_rate", ("cap huyen", "dat giai"), (), None),
    ("gifted_province_award_rate", ("cap tinh", "du thi"), ("cap huyen",), None),
    ("science_fair_projects", ("khkt", "du an"), (), None),
    ("national_standard_schools", ("chuan quoc gia", "truong"), ("pho cap",), None),
    ("stem_schools", ("stem",), (), None),
    ("high_quality_schools", ("chat luong cao", "truong"), (), None),
    ("inclusive_ready_schools", ("hoa nhap", "truong"), (), None),
    ("universalisation_communes", ("pho cap", "xoa mu chu"), (), None),
    ("teachers_qualified", ("giao vien", "dat chuan"), ("truong",), None),
    ("teaching_spend_share", ("chi cho", "giang day"), (), None),
)


@dataclass
class Proposal:
    indicator_code: str | None  # None: unmapped
    comparator: str  # >=, >, <=, <, ~
    value: str  # as the plan wrote it ("99,8", "23/48", "4")
    segment: str  # "", "ĐBKK", "Thuận lợi"
    school_year: str  # "2023-2024" or a horizon "2025"
    sentence: str
    level: str | None = None
    clause: str = ""

    @property
    def value_decimal(self) -> Decimal:
        if "/" in self.value:
            n, m = self.value.split("/")
            return (Decimal(n) * 100 / Decimal(m)).quantize(Decimal("0.000001"))
        return Decimal(self.value.replace(",", "."))


@dataclass
class Extraction:
    decision_no: str | None
    issued_on: str | None  # dd/mm/yyyy
    school_year: str | None
    proposals: list[Proposal]

    @property
    def mapped(self) -> list[Proposal]:
        return [p for p in self.proposals if p.indicator_code]

    @property
    def unmapped(self) -> list[Proposal]:
        return [p for p in self.proposals if not p.indicator_code]


def _level_of_heading(line: str) -> str | None:
    key = match_key(line)
    head = key[:60]
    # a heading names a level near its start: "Cấp học Mầm non:", "2.2. Cấp tiểu học", "THCS:"
    for level, words in reversed(_LEVEL_HEADINGS):
        for word in words:
            if re.match(rf"^(\d+(\s\d+)*\s)?(cap\s(hoc\s)?)?{word}\b", head) or re.match(
                rf"^[a-z]\s(cap\s(hoc\s)?)?{word}\b", head
            ):
                return level
    return None


def _clauses(sentence: str) -> list[str]:
    return [c.strip() for c in re.split(r";|(?<=[^\d]),\s*trong đó|\.\s", sentence) if c.strip()]


def _comparator(before: str, after: str, previous: str | None, direction: str) -> str:
    tail = match_key(before)[-40:]
    after_key = match_key(after)[:20]
    words = tail.split()
    last = " ".join(words[-3:])
    if after_key.startswith("tro len") or re.search(r"\btu$", tail):
        return ">="
    for phrase, symbol in (
        ("tren", ">"),
        ("duoi", "<"),
        ("khoang", "~"),
        ("xap xi", "~"),
        ("toi thieu", ">="),
        ("it nhat", ">="),
        ("khong qua", "<="),
        ("toi da", "<="),
    ):
        if re.search(rf"\b{phrase}$", tail) or re.search(rf"\b{phrase}\b", last):
            return symbol
    if previous and ("dbkk" in last or "thuan loi" in last):
        return previous  # "(ĐBKK 96%)" takes the comparator of the figure it qualifies
    if re.search(r"\b(dat|duy tri|dat ty le|ty le)$", tail):
        return ">=" if direction == "higher" else "<="
    return ">=" if direction == "higher" else "<="


def _segment(local: str, context: str) -> str:
    for text in (local, context):
        key = match_key(text)
        if "dbkk" in key or "dac biet kho khan" in key or "dieu kien kinh te xa hoi kho khan" in key:
            return "ĐBKK"
        if "thuan loi" in key:
            return "Thuận lợi"
    return ""


def _has(key: str, word: str) -> bool:
    return f" {word} " in key


def _indicators(context: str, local: str, level: str | None) -> list[str]:
    """Indicators whose keywords all appear in `context` and at least one in `local`.

    `local` is the text between the previous figure and this one: "…, trẻ mẫu giáo dưới
    12%" after "suy dinh dưỡng thể nhẹ cân nhà trẻ xuống dưới 10%" is the mẫu giáo rate.
    """
    key, near = f" {match_key(context)} ", f" {match_key(local)} "
    found = []
    for code, needs, excludes, needs_level in RULES:
        if needs_level and needs_level != level:
            continue
        if (
            all(_has(key, w) for w in needs)
            and not any(_has(near, w) for w in excludes)
            and any(_has(near, w) for w in needs)
            and code not in found
        ):
            found.append(code)
    if "mn_attendance_5" in found and "mn_attendance" in found:
        found.remove("mn_attendance")  # "chuyên cần … 5 tuổi" is the 5-year-olds' rate
    return found


def extract(text: str) -> Extraction:
    text = unicodedata.normalize("NFC", text.replace("\r", ""))
    decision = _DECISION.search(text[:2000])
    date = _DATE.search(text[:3000])
    year = _SCHOOL_YEAR.search(text[:6000])
    school_year = f"{year.group(1)}-{year.group(2)}" if year else None
    catalogue = indicators()
    proposals: list[Proposal] = []
    level: str | None = None
    section_horizon: str | None = None
    for line in (raw.strip() for raw in text.split("\n")):
        if not line:
            continue
        heading_level = _level_of_heading(line)
        if heading_level:
            level = heading_level
        if re.match(r"^\d+(\.\d+)*\.?\s", line) or len(line) < 80:
            horizon = _HORIZON.search(line)
            if horizon and not _NUMBER.search(line):
                section_horizon = horizon.group(1)
            elif re.match(r"^[IVX]+\.\s", line):
                section_horizon = None
        if not _NUMBER.search(line):
            continue
        paragraph_segment = _segment(line.split(":")[0] if ":" in line[:120] else "", "")
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZĐÂ-Ỹ])", line):
            horizon = _HORIZON.search(sentence)
            target_year = horizon.group(1) if horizon else section_horizon or school_year or ""
            previous_topic = ""
            for clause in _clauses(sentence):
                matches = list(_NUMBER.finditer(clause))
                if not matches:
                    previous_topic = clause
                    continue
                previous_symbol, codes = None, []
                for i, m in enumerate(matches):
                    start = matches[i - 1].end() if i else 0
                    end = matches[i + 1].start() if i + 1 < len(matches) else len(clause)
                    before = clause[start : m.start()]
                    after = clause[m.end() : end]
                    lead = re.sub(r"^.*:", "", before)  # "Mầm non: 100% trẻ …" leads with the figure
                    if i or len(match_key(lead).split()) > 3:
                        after = re.split(r"[,(]", after, maxsplit=1)[0]  # the rest is another figure's
                    local = f"{before} {after}"
                    upto = clause[: m.end()] + after
                    # the clause itself first, then with the clause before it ("…, trong đó
                    # khá, tốt trên 96,4%"), then the figure before it ("(ĐBKK 96%)")
                    codes = (
                        _indicators(upto, local, level)
                        or _indicators(f"{previous_topic} {upto}", local, level)
                        or codes
                    )
                    raw = m.group(0)
                    if m.group("percent") and re.search(r"=\s*$", before):
                        continue  # "23/48 trường = 47,92%": the same target restated
                    value = _WORD_NUMBERS.get(raw.lower(), raw).replace("%", "").replace(" ", "")
                    value = value.lstrip("0") or "0" if value.isdigit() else value
                    segment = _segment(before[-30:], paragraph_segment)
                    for code in codes or [None]:
                        direction = catalogue[code].direction if code else "higher"
                        symbol = _comparator(before, after, previous_symbol, direction)
                        proposals.append(
                            Proposal(
                                code, symbol, value, segment, target_year, sentence.strip(), level, clause
                            )
                        )
                    previous_symbol = _comparator(before, after, previous_symbol, "higher")
                previous_topic = clause
    return Extraction(
        f"{decision.group(1)}/{decision.group(2)}-{decision.group(3)}" if decision else None,
        f"{int(date.group(1)):02d}/{int(date.group(2)):02d}/{date.group(3)}" if date else None,
        school_year,
        _dedupe(proposals),
    )


def _dedupe(proposals: list[Proposal]) -> list[Proposal]:
    seen, out = set(), []
    for p in proposals:
        key = (p.indicator_code or p.clause, p.comparator, p.value, p.segment, p.school_year, p.level)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


ASSIGNMENT_HEADERS = [
    "Số quyết định",
    "Ngày ban hành",
    "Cơ quan giao",
    "Đơn vị nhận",
    "Cấp đơn vị nhận",
    "Năm học",
    "Mã chỉ tiêu",
    "Vùng",
    "So sánh",
    "Giá trị",
    "Sai số",
    "Ghi chú",
]
UNMAPPED_HEADERS = ["Năm học", "So sánh", "Giá trị", "Vùng", "Cấp học", "Câu gốc"]


def write_proposals(
    extraction: Extraction, out: Path, issuer: str = "", assignee: str = "", assignee_level: str = ""
) -> tuple[Path, Path]:
    """The assignment file to review (loadable once checked) and the list of unmapped figures."""
    from ingest.serve.csv_safety import write_csv

    rows = []
    for p in extraction.mapped:
        tolerance, note = "", ""
        if p.comparator == "~":
            tolerance, note = "1", "Sai số 1 điểm % là đề xuất, cần xác nhận. "
        rows.append(
            [
                extraction.decision_no or "",
                extraction.issued_on or "",
                issuer,
                assignee,
                assignee_level,
                p.school_year,
                p.indicator_code,
                p.segment,
                p.comparator,
                p.value,
                tolerance,
                f"{note}Đề xuất tự động, cần rà soát. Câu gốc: {p.sentence}",
            ]
        )
    unmapped = [
        [p.school_year, p.comparator, p.value, p.segment, p.level or "", p.sentence]
        for p in extraction.unmapped
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    other = out.with_name(out.stem + "_chua_anh_xa.csv")
    write_csv(out, ASSIGNMENT_HEADERS, rows)
    write_csv(other, UNMAPPED_HEADERS, unmapped)
    return out, other
