"""TCVN3 and VNI text, from byte sequences written out by hand from the encodings' code
tables (TCVN 5712:1993 VN3; VNI-Windows), turned into Unicode NFC."""

import pytest

from ingest.read.legacy_text import convert, convert_rows, decode_legacy_bytes
from ingest.read.reference import decode_csv

# (bytes as the old font stores them, the Unicode text)
TCVN3 = [
    (b"Tr\xad\xeang M\xc7m non", "Trường Mầm non"),  # ư=AD ờ=EA ầ=C7
    (b"H\xe4c sinh n\xf7", "Học sinh nữ"),  # ọ=E4 ữ=F7
    (b"C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    (b"\xa7\xe9c l\xcbp - T\xf9 do - H\xb9nh ph\xf3c", "Độc lập - Tự do - Hạnh phúc"),  # Đ=A7 ậ=CB
    (b"Gi\xb8o d\xf4c", "Giáo dục"),
]
VNI = [
    (b"Tr\xf6\xf4\xf8ng", "Trường"),  # ư=F6 ơ=F4, grave=F8
    (b"Xin cha\xf8o ca\xf9c ba\xefn", "Xin chào các bạn"),  # grave F8, acute F9, dot EF
    (b"Co\xe4ng ho\xf8a xa\xf5 ho\xe4i chu\xfb ngh\xf3a Vie\xe4t Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    (b"\xd1o\xe0ng Nai", "Đồng Nai"),  # Đ=D1, circumflex+grave=E0
    (b"Na\xeam ho\xefc", "Năm học"),  # breve=EA
    (b"L\xf4\xf9p 6", "Lớp 6"),
]


@pytest.mark.parametrize(("data", "text"), TCVN3 + VNI)
def test_cell_text_in_an_old_font_becomes_unicode(data, text):
    """In an .xlsx cell the bytes arrive as their Latin-1 look-alikes."""
    converted, encoding, sure = convert(data.decode("latin-1"))
    assert (converted, sure) == (text, True)
    assert encoding == ("tcvn3" if (data, text) in TCVN3 else "vni")


@pytest.mark.parametrize(("data", "text"), TCVN3 + VNI)
def test_csv_bytes_in_an_old_encoding_become_unicode(data, text):
    content = b"M\xe3 tr\xad\xeang," + data + b"\n" if (data, text) in TCVN3 else b"Tr\xf6\xf4\xf8ng," + data
    decoded, encoding, sure = decode_csv(content)
    assert sure and decoded.endswith(text + ("\n" if (data, text) in TCVN3 else ""))


@pytest.mark.parametrize(
    "text",
    [
        "Trường Mầm non Thái Bình",
        "Cà Mau",
        "Tây Ninh",
        "Café au lait",
        "Lào Cai",
        "THCS Ma Li Pho",
        "Bà Rịa",
        "Hồ Chí Minh",
    ],
)
def test_unicode_and_plain_text_stay_as_they_are(text):
    assert convert(text) == (text, None, False)


def test_a_whole_sheet_decides_for_its_short_cells():
    """«Líp» reads as a Vietnamese syllable in Unicode too; in a TCVN3 sheet it is «Lớp»."""
    rows = [["Khèi", "Sè l\xadîng"], ["Líp 6", 12]]
    done = convert_rows(rows)
    assert rows == [["Khối", "Số lượng"], ["Lớp 6", 12]]
    assert done.converted == {"tcvn3": 3} and done.first["tcvn3"][:2] == (0, 0)


def test_unsure_text_is_flagged_not_converted():
    text = "Ñ\xb8"  # a VNI capital and a TCVN3 sign: neither reading is Vietnamese
    assert convert(text)[0] == text and convert(text)[2] is False


def test_windows_1258_bytes_still_read_as_windows_1258():
    """Windows-1258 (Vietnamese Windows' own code page: ư=FD, ơ=F5, tones as combining
    marks, grave=CC) is not mistaken for an old font."""
    assert decode_legacy_bytes(b"Tr\xfd\xf5\xccng M\xe2\xccm non") == ("Trường Mầm non", None, False)
