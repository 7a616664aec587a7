from decimal import Decimal

import pytest

from ingest.targets.comparators import parse_comparator, parse_target_value


@pytest.mark.parametrize(
    "text, symbol",
    [
        (">=", ">="),
        ("≥", ">="),
        ("từ … trở lên", ">="),
        ("từ 99,8% trở lên", ">="),
        ("đạt", ">="),
        ("tối thiểu", ">="),
        ("trên", ">"),
        ("dưới", "<"),
        ("giảm xuống dưới", "<"),
        ("còn dưới", "<"),
        ("khoảng", "~"),
        ("N/M", "N/M"),
        ("không quá", "<="),
        ("Trên", ">"),
    ],
)
def test_comparator_words(text, symbol):
    assert parse_comparator(text) == symbol


def test_unknown_comparator():
    assert parse_comparator("tăng") is None


def test_values_are_exact_decimals():
    assert parse_target_value("99,8").value == Decimal("99.8")
    assert parse_target_value("0,01%").value == Decimal("0.01")
    share = parse_target_value("23/48")
    assert (share.count, share.base) == (23, 48)
    assert share.value == Decimal("47.916667")
