"""Grades, school levels, reporting periods and target statuses: declared here once.

The reader and the GX suites import them; dbt reads them through the seeds and the macro
that `python -m ingest.contract.export` writes from this module (grades.csv, periods.csv,
macros/contract/*.sql), and a test fails when those files drift from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ingest.contract.template import GRADES, PERIOD_LABELS, SCHOOL_LEVELS


@dataclass(frozen=True)
class Grade:
    code: str  # as the template's «Khối lớp» column is read (template.GRADES)
    stage: str  # mn, th, thcs, thpt: the level of education that teaches it
    number: int | None  # 1..12 for the general-education grades
    official_age: int | None  # the age a pupil of the grade has by law (preschool: its group)


_STAGE_OF_NUMBER = {**dict.fromkeys(range(1, 6), "th"), **dict.fromkeys(range(6, 10), "thcs")}
GRADE_FACTS = (
    Grade("nha_tre", "mn", None, None),
    Grade("mau_giao_3", "mn", None, 3),
    Grade("mau_giao_4", "mn", None, 4),
    Grade("mau_giao_5", "mn", None, 5),
    *(Grade(f"lop_{n}", _STAGE_OF_NUMBER.get(n, "thpt"), n, n + 5) for n in range(1, 13)),
)
GRADE_LABELS = {code: label for label, code in GRADES.labels.items()}
PRESCHOOL = tuple(g.code for g in GRADE_FACTS if g.stage == "mn")

# the stages each kind of school in the registry (template.SCHOOL_LEVELS) teaches
LEVEL_STAGES = {
    "mam_non": ("mn",),
    "tieu_hoc": ("th",),
    "thcs": ("thcs",),
    "th_thcs": ("th", "thcs"),
    "thcs_thpt": ("thcs", "thpt"),
    "thpt": ("thpt",),
    "gdtx": ("thcs", "thpt"),  # continuing education: lower and upper secondary programmes
}
LEVEL_GRADES = {  # grades a school of each level may report
    level: {g.code for g in GRADE_FACTS if g.stage in stages} for level, stages in LEVEL_STAGES.items()
}


@dataclass(frozen=True)
class Period:
    code: str
    deadline_month: int  # default deadline of the report (the department may set another)
    deadline_day: int
    deadline_year_offset: int  # 0: in the school year's first calendar year, 1: its second


PERIOD_FACTS = (  # in the order of the school year
    Period("dau_nam", 10, 15, 0),
    Period("giua_nam", 1, 15, 1),
    Period("cuoi_nam", 5, 31, 1),
)
PERIOD_ORDER = {p.code: i for i, p in enumerate(PERIOD_FACTS, start=1)}


def past_deadline(school_year: str, period: str, today: date) -> bool:
    """Whether the period's report is overdue on `today` (its deadline day is over): what
    turns a school that has not reported from «not due» into «missing»."""
    facts = {p.code: p for p in PERIOD_FACTS}.get(period)
    if facts is None or not school_year[:4].isdigit():
        return False
    year = int(school_year[:4]) + facts.deadline_year_offset
    return today > date(year, facts.deadline_month, facts.deadline_day)


def period_order_sql(column: str = "period") -> str:
    """The period order as a SQL expression (for queries that cannot join the seed)."""
    whens = " ".join(f"when '{code}' then {order}" for code, order in PERIOD_ORDER.items())
    return f"case {column} {whens} end"


@dataclass(frozen=True)
class Status:
    code: str
    label: str  # as readers see it (marts' status_label, the report, the dashboard)
    colour: str  # the badge colour of the report and the dashboard


STATUSES = (  # verdicts at the end of the year, readings before it, then no verdict
    Status("met", "Đạt", "#2e7d32"),
    Status("not_met", "Chưa đạt", "#c62828"),
    Status("on_track", "Đúng tiến độ", "#66bb6a"),
    Status("at_risk", "Có nguy cơ không đạt", "#ef6c00"),
    Status("no_data", "Chưa có số liệu", "#9e9e9e"),
    Status("no_target", "Chưa giao chỉ tiêu", "#9e9e9e"),
)
STATUS_LABELS = {s.code: s.label for s in STATUSES}

assert [g.code for g in GRADE_FACTS] == list(GRADE_LABELS), "GRADE_FACTS must follow template.GRADES"
assert [p.code for p in PERIOD_FACTS] == list(PERIOD_LABELS), "PERIOD_FACTS must follow template.PERIODS"
assert set(LEVEL_STAGES) == set(SCHOOL_LEVELS.labels.values()), "a school level without its stages"
