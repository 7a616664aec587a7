import pytest

from ingest.read.text import NumberFormatError, match_key, nfc, parse_date, parse_number


@pytest.mark.parametrize(
    "raw, expected",
    [
        (12, 12.0),
        (12.5, 12.5),
        ("1.234", 1234.0),
        ("12.345.678", 12345678.0),
        ("99,8", 99.8),
        ("1.234,5", 1234.5),
        ("0,01", 0.01),
        ("99.8", 99.8),
        (" 1 234 ", 1234.0),
        ("\u00a0120", 120.0),
        ("", None),
        (None, None),
        ("-5", -5.0),
    ],
)
def test_vietnamese_numbers(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["12a", "5%", "1,2,3", "mười", True])
def test_not_numbers(raw):
    with pytest.raises(NumberFormatError):
        parse_number(raw)


def test_headers_match_without_diacritics_case_or_spacing():
    assert match_key("Số nhóm, lớp") == match_key("SO NHOM LOP") == match_key("số  nhóm,lớp")
    assert match_key("Đầu năm") == "dau nam"


def test_nfc_recomposes_windows_1258_text():
    decomposed = "Tie\u0302\u0301ng Vie\u0323\u0302t"
    assert nfc(decomposed) == "Tiếng Việt"


def test_dates_day_first():
    assert parse_date("08/09/2023").isoformat() == "2023-09-08"
    with pytest.raises(ValueError):
        parse_date("2023/31/12")
