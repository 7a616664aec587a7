"""`chitieu targets extract` on the plans themselves (../shared/seeds or docs/seeds)."""

from decimal import Decimal

import pytest

from ingest.config import PROJECT_DIR
from ingest.read.reference import read_reference
from ingest.sample import targets_2331
from ingest.targets.comparators import parse_comparator, parse_target_value
from ingest.targets.extraction import extract, write_proposals

SEEDS = PROJECT_DIR / "docs" / "seeds"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text("utf-8")


@pytest.fixture(scope="module")
def decision_2331():
    return extract(seed("002"))


def test_header_of_the_decision(decision_2331):
    assert decision_2331.decision_no == "2331/QĐ-UBND"
    assert decision_2331.issued_on == "08/09/2023"
    assert decision_2331.school_year == "2023-2024"


# every target docs/domain.md and docs/seeds/002 name for seed 002, transcribed by hand from the decision
EXPECTED = [
    (code, {"": "", "ĐBKK": "ĐBKK"}[segment], parse_comparator(comparator), parse_target_value(value).value)
    for code, segment, comparator, value, _ in targets_2331.TARGETS
]


@pytest.mark.parametrize(
    "code, segment, comparator, value",
    EXPECTED,
    ids=[f"{e[0]}{'-' + e[1] if e[1] else ''}" for e in EXPECTED],
)
def test_every_target_of_2331(decision_2331, code, segment, comparator, value):
    found = [p for p in decision_2331.mapped if p.indicator_code == code and p.segment == segment]
    assert len(found) == 1, [(p.indicator_code, p.segment, p.value) for p in decision_2331.mapped]
    proposal = found[0]
    expected = ">=" if comparator == "N/M" else comparator
    assert (proposal.comparator, proposal.value_decimal) == (expected, value)
    assert proposal.school_year == "2023-2024"
    assert proposal.sentence  # with the sentence it came from


def test_strict_and_non_strict_boundaries(decision_2331):
    by_code = {(p.indicator_code, p.segment): p for p in decision_2331.mapped}
    assert by_code[("thcs_attendance", "")].comparator == ">"  # "trên 94%"
    assert by_code[("mn_enrol_3_5", "")].comparator == ">="  # "từ 99,8% trở lên"
    assert by_code[("thcs_conduct_avg_plus", "")].comparator == ">"  # "từ TB trở lên trên 98,2%"
    assert by_code[("thcs_conduct_good_plus", "ĐBKK")].value_decimal == Decimal("96")
    assert by_code[("thcs_dropout", "")].comparator == "<"  # "dưới 0,7%"


def test_what_cannot_be_mapped_is_listed(decision_2331):
    unmapped = [p.sentence for p in decision_2331.unmapped]
    assert any("tăng cường tiếng Việt" in s for s in unmapped)
    assert any("giao tiếp tiếng phổ thông" in s for s in unmapped)


def test_horizon_and_segment_of_the_muong_la_plan():
    plan = extract(seed("001"))
    by_code = {(p.indicator_code, p.level, p.segment): p for p in plan.mapped}
    dropout = by_code[("thcs_dropout", "thcs", "")]
    assert (dropout.comparator, dropout.value, dropout.school_year) == ("<", "1,3", "2025")
    assert by_code[("thcs_continuation", "thcs", "")].comparator == "~"
    english = by_code[("mn_english_5", "mn", "Thuận lợi")]
    assert (english.value, english.school_year) == ("10", "2025")
    assert by_code[("national_standard_schools", None, "")].value == "70,1"
    assert {lv for (c, lv, _) in by_code if c == "stem_schools"} == {"mn", "th", "thcs"}


def test_around_sixty_numeric_targets_in_the_three_plans():
    counts = {prefix: extract(seed(prefix)) for prefix in ("001", "002", "004")}
    total = sum(len(e.proposals) for e in counts.values())
    assert 55 <= total <= 75
    assert [p.indicator_code for p in counts["004"].mapped] == ["teaching_spend_share"]


def test_proposal_file_loads_as_an_assignment_file(decision_2331, tmp_path):
    mapped, unmapped = write_proposals(decision_2331, tmp_path / "de_xuat.csv", "109", "109", "Huyện")
    parsed = read_reference(mapped, "targets")
    assert parsed.findings == []
    assert len(parsed.frame) == 34
    assert unmapped.read_text("utf-8-sig").count("\n") == 1 + len(decision_2331.unmapped)
