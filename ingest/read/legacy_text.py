"""Vietnamese typed in the pre-Unicode encodings TCVN3 (ABC) and VNI-Windows.

Offices still keep forms made with the .VnTime (TCVN3) or VNI-Times (VNI) fonts. Such
text reaches chitieu in two ways: in a workbook cell it is Unicode text made of the
Latin-1 look-alikes of the bytes («Tr­êng» for «Trường» in TCVN3, «Tröôøng» in VNI); in a
CSV it is raw bytes. Both are detected and turned into Unicode NFC here.

TCVN3 gives every lower-case letter with its marks one byte (the capitals with marks are
drawn by a separate capitals font from the same bytes, so they come back lower-case; the
seven plain capitals Ă Â Đ Ê Ô Ơ Ư have bytes of their own). VNI writes a base letter
followed by one byte for its shape (circumflex, breve) and tone together or the tone
alone, and gives đ, ơ, ư and the marked i and ỵ one byte each.

Detection is deliberately strict: two or more signs of the encoding and not one letter
that only real Unicode Vietnamese has (ă đ ơ ư and the precomposed letters with marks).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

# TCVN3 (TCVN 5712:1993, VN3): the letter and the byte that stands for it.
_TCVN3_LETTERS = (
    "àµ á¸ ả¶ ã· ạ¹ ă¨ ằ» ắ¾ ẳ¼ ẵ½ ặÆ â© ầÇ ấÊ ẩÈ ẫÉ ậË đ® èÌ éÐ ẻÎ ẽÏ ẹÑ êª ềÒ ếÕ ểÓ ễÔ "
    "ệÖ ì× íÝ ỉØ ĩÜ ịÞ òß óã ỏá õâ ọä ô« ồå ốè ổæ ỗç ộé ơ¬ ờê ớí ởë ỡì ợî ùï úó ủñ ũò ụô "
    "ư\u00ad ừõ ứø ửö ữ÷ ựù ỳú ýý ỷû ỹü ỵþ Ă¡ Â¢ Ê£ Ô¤ Ơ¥ Ư¦ Đ§"
)
TCVN3_TO_UNICODE = {pair[1]: pair[0] for pair in _TCVN3_LETTERS.split(" ")}

# VNI-Windows: one-byte letters, and the bytes after a vowel for its shape and tone.
_VNI_SINGLE = {
    "ñ": "đ",
    "Ñ": "Đ",
    "ô": "ơ",
    "Ô": "Ơ",
    "ö": "ư",
    "Ö": "Ư",
    "æ": "ỉ",
    "Æ": "Ỉ",
    "ó": "ĩ",
    "Ó": "Ĩ",
    "ò": "ị",
    "Ò": "Ị",
    "î": "ỵ",
    "Î": "Ỵ",
}
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
_VNI_TONE = {"ø": _GRAVE, "ù": _ACUTE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_CIRCUMFLEX = {"â": "", "à": _GRAVE, "á": _ACUTE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_VNI_BREVE = {"ê": "", "è": _GRAVE, "é": _ACUTE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
_VNI_MARK = re.compile("([aeiouyAEIOUYơưƠƯ])([øùûõïâàáåãäêèéúüëØÙÛÕÏÂÀÁÅÃÄÊÈÉÚÜË])")

_TCVN3_SIGNS = frozenset("\u00ad¬®µ¶·¸¹ª«©¨§¦¢£¤¥¼½¾ÇÆÞßÐ×Øãäåæçèéêëìíîïñòóôõö÷øùúûüýþ")
_VNI_SIGNS = re.compile("[aeiouyAEIOUY][øùûõïâàáåãäêèéúüëØÙÛÕÏÂÀÁÅÃÄÊÈÉÚÜË]|[öÖñÑôÔ]")
_VIETNAMESE_ONLY = re.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")
_LATIN1_HIGH = re.compile("[\u00a1-\u00fe]")
# Latin-1 letters that Unicode Vietnamese uses; any other Latin-1 sign is foreign to it
_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_TONES = frozenset((_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT))


def _foreign(text: str) -> int:
    return sum(1 for ch in _LATIN1_HIGH.findall(text) if ch not in _VIETNAMESE_LATIN1)


# the vowel groups a Vietnamese syllable can have (tones left out)
_NUCLEI = frozenset(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi ua uâ uê ui uô uơ "
    "uy ưa ưi ươ ưu yê iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu".split()
)
_VOWELS = re.compile("[aăâeêioôơuưy]+")


def _implausible(text: str) -> int:
    """Signs that `text` is not Vietnamese: foreign Latin-1 signs left, words carrying more
    than one tone (a syllable has one) and vowel groups no syllable has («aư», «oâ»)."""
    bad = _foreign(text)
    for word in re.split(r"[\s\d.,;:!?()/\\-]+", unicodedata.normalize("NFD", text.lower())):
        bad += sum(ch in _TONES for ch in word) > 1
        bare = unicodedata.normalize("NFC", "".join(ch for ch in word if ch not in _TONES))
        bare = re.sub("^(qu|gi)(?=[aăâeêioôơuưy])", "", bare)
        bad += sum(group not in _NUCLEI for group in _VOWELS.findall(bare))
    return bad


@lru_cache(maxsize=1 << 16)
def detect(text: str) -> tuple[str | None, bool]:
    """(the legacy encoding `text` is most likely in, whether that is sure). (None, True)
    for Unicode or plain text; (encoding, False) when it looks legacy but neither
    conversion reads as Vietnamese (the file is then flagged, not converted).

    Cached: labels, headers and names repeat from file to file, and a worker reads
    thousands of files."""
    if not _LATIN1_HIGH.search(text) or _VIETNAMESE_ONLY.search(text) or not _implausible(text):
        return None, True
    scores = {encoding: _implausible(to_unicode(text, encoding)) for encoding in ("tcvn3", "vni")}
    signs = {"tcvn3": sum(ch in _TCVN3_SIGNS for ch in text), "vni": len(_VNI_SIGNS.findall(text))}
    best = min(scores, key=lambda e: (scores[e], -signs[e]))
    return best, scores[best] == 0


def _vni_mark(match: re.Match) -> str:
    base, mark = match.group(1), match.group(2).lower()
    if base.lower() in "aeo" and mark in _VNI_CIRCUMFLEX:
        return base + _CIRCUMFLEX + _VNI_CIRCUMFLEX[mark]
    if base.lower() == "a" and mark in _VNI_BREVE:
        return base + _BREVE + _VNI_BREVE[mark]
    if mark in _VNI_TONE:
        return base + _VNI_TONE[mark]
    return match.group(0)


def to_unicode(text: str, encoding: str) -> str:
    """`text` (Latin-1 look-alikes of the encoding's bytes) as Unicode NFC."""
    if encoding == "tcvn3":
        out = "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in text)
    elif encoding == "vni":
        out = _VNI_MARK.sub(_vni_mark, "".join(_VNI_SINGLE.get(ch, ch) for ch in text))
    else:
        raise ValueError(encoding)
    return unicodedata.normalize("NFC", out)


def convert(text: str) -> tuple[str, str | None, bool]:
    """(text in Unicode, the legacy encoding it was in or None, whether it was converted).
    Unsure cases keep their text and name the likely encoding."""
    encoding, sure = detect(text)
    if encoding and sure:
        return to_unicode(text, encoding), encoding, True
    return text, encoding, False


@dataclass
class Conversions:
    """What convert_rows did to a sheet: cells converted and cells only suspected, by
    encoding, with the first cell of each (row, column index)."""

    converted: dict[str, int] = field(default_factory=dict)
    suspected: dict[str, int] = field(default_factory=dict)
    first: dict[str, tuple[int, int, str]] = field(default_factory=dict)


@lru_cache(maxsize=1 << 16)
def _scripts(text: str) -> tuple[bool, bool]:
    """(has letters only Unicode Vietnamese has, has other Latin-1 letters: may be legacy).
    Cached: most texts of a sheet are labels that every file repeats."""
    vietnamese = _VIETNAMESE_ONLY.search(text) is not None
    return vietnamese, not vietnamese and _LATIN1_HIGH.search(text) is not None


def _may_be_legacy(rows: list[list]) -> bool:
    """Whether any text of `rows` may be in a legacy encoding (both checks are cached)."""
    values = chain.from_iterable(rows)
    if len(rows) > 500:  # a long table (a census) repeats its few texts on every row
        values = set(values)
    for value in values:
        if type(value) is str and value and _scripts(value)[1] and detect(value)[0]:
            return True
    return False


def convert_rows(rows: list[list]) -> Conversions:
    """Convert, in place, every cell of `rows` typed in a legacy encoding. A sheet with no
    Unicode Vietnamese in it is typed in the old font throughout: the encoding most cells
    surely are in decides for the short cells that read as Vietnamese either way («Líp» is
    «Lớp» in TCVN3, «Löu» is «Lưu» in VNI). In a sheet that mixes both, only the cells
    surely in a legacy encoding are converted."""
    done = Conversions()
    if not _may_be_legacy(rows):
        return done  # no text that may be legacy-encoded: nothing to convert or flag
    candidates, unicode_vietnamese = [], False
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if type(value) is str and value:
                vietnamese, candidate = _scripts(value)
                unicode_vietnamese |= vietnamese
                if candidate:
                    candidates.append((r, c, value, *detect(value)))
    sure = [encoding for *_, encoding, certain in candidates if encoding and certain]
    # only a sheet with no real Unicode Vietnamese in it is typed in the old font throughout
    dominant = max(set(sure), key=sure.count) if sure and not unicode_vietnamese else None
    for r, c, value, encoding, certain in candidates:
        if dominant and (text := to_unicode(value, dominant)) != value and not _implausible(text):
            encoding, certain = dominant, True
        elif encoding is None:
            continue
        tally = done.converted if certain else done.suspected
        tally[encoding] = tally.get(encoding, 0) + 1
        done.first.setdefault(encoding, (r, c, value))
        if certain:
            rows[r][c] = to_unicode(value, encoding)
    return done


def decode_legacy_bytes(data: bytes) -> tuple[str, str | None, bool]:
    """A CSV's bytes that are neither UTF-8 nor UTF-16: Windows-1258 when they read as
    Vietnamese in it, else TCVN3 or VNI when they surely are (the bytes read one to one as
    Latin-1 are what the converter expects), else Windows-1258 with the likely legacy
    encoding named."""
    windows = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    if not _implausible(windows):
        return windows, None, False
    text = data.decode("latin-1")
    encoding, sure = detect(text)
    if encoding and sure:
        return to_unicode(text, encoding), encoding, True
    return windows, encoding, False


NAMES_VI = {"tcvn3": "TCVN3 (ABC, phông .VnTime)", "vni": "VNI-Windows (phông VNI-Times)"}


def legacy_findings(done: Conversions, sheet: str, whole_file: bool = False) -> list:
    """The findings that tell the sender what was converted, or what looks legacy-encoded
    but could not be read surely (then nothing was converted)."""
    if not done.converted and not done.suspected:
        return []
    from ingest.read.cells import column_letter
    from ingest.validate import findings as f

    out = []
    for encoding, count in done.converted.items():
        where = "" if whole_file else f" ({count} ô, ví dụ ô {_cell(done, encoding, column_letter)})"
        out.append(
            f.warning(
                "TEXT_LEGACY_ENCODING",
                f"Chữ được gõ bằng bảng mã {NAMES_VI[encoding]}{where}; hệ thống đã tự chuyển sang Unicode.",
                "Lần sau hãy lưu tệp bằng Unicode (Unikey: Công cụ "
                f"chuyển mã, {encoding.upper()} → Unicode; dùng phông Times New Roman).",
                sheet=sheet,
            )
        )
    for encoding in done.suspected:
        where = "" if whole_file else f" (ví dụ ô {_cell(done, encoding, column_letter)})"
        out.append(
            f.warning(
                "TEXT_LEGACY_ENCODING_UNSURE",
                f"Một số chữ{where} có vẻ được gõ bằng bảng mã "
                f"{NAMES_VI[encoding]} nhưng không đọc chắc chắn được; giữ nguyên như đã gõ.",
                f"Chuyển tệp sang Unicode (Unikey: {encoding.upper()} → Unicode) rồi gửi lại.",
                sheet=sheet,
            )
        )
    return out


def _cell(done: Conversions, encoding: str, column_letter) -> str:
    r, c, value = done.first[encoding]
    return f"{column_letter(c)}{r + 1} «{value[:40]}»"
