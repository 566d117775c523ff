"""Page bytes to NFC Unicode, for Vietnamese pages that lie about their charset.

Old provincial pages come in four shapes, often mislabelled:

- **UTF-8**, sometimes served as ``iso-8859-1`` by a default server config. Valid
  UTF-8 with non-ASCII bytes almost never happens by accident, so a body that decodes
  as strict UTF-8 is UTF-8 whatever the label says.
- **windows-1258**, often with no charset at all or labelled ``iso-8859-1``. Its tone
  marks are separate combining bytes (``0xCC 0xEC 0xD2 0xDE 0xF2``) after the vowel,
  and ``đ ă ơ ư`` sit where Western text has ``ð ã õ ý``; NFC composes the result.
- **TCVN3 (ABC)** and **VNI** text: 8-bit text typed with the ``.VnTime`` or
  ``VNI-Times`` fonts, which shows as Latin-1 gibberish ("B¶o Th¾ng", "Sôû Noäi vuï").
  A whole page may be in one of them, or a UTF-8 page may carry one pasted paragraph.
- Plain **windows-1252**, the last resort (the WHATWG meaning of ``iso-8859-1``).
- **Mojibake**: UTF-8 once read as windows-1252 and stored again ("Sá»Ÿ Ná»™i vá»¥"),
  usually one article body in an otherwise sound UTF-8 page. It is valid UTF-8, so
  only the text can tell; ``fix_legacy_text`` repairs those lines too.

``decode_page`` picks the codec in this order: byte order mark; strict UTF-8; mostly
UTF-8 (a few broken sequences in a UTF-8 page are replaced, not a reason to read the
page as windows-1252); the HTTP header charset, then the ``<meta>`` one, when Python
knows it and it decodes (a Latin single-byte label is checked for windows-1258, TCVN3
and VNI signatures first); detection; and finally ``fix_legacy_text`` and NFC. It never
raises: anything unexpected ends in a UTF-8 decode with replacement characters, noted.

The TCVN3 and VNI tables are built from Unicode composition (base letter + combining
marks, NFC) from the rows below, not pasted code point by code point.

Limitations:

- TCVN3 uppercase accented letters lived in separate "H" fonts (``.VnTimeH``) that reuse
  the lowercase codes, so they come out lowercase. A word whose letters of known case
  are all capitals (``TØNH`` → ``TỈNH``) is upper-cased; a word typed with lowercase
  keys in an H font cannot be told apart and stays lowercase.
- ``©``, ``®``, ``»`` and ``·`` standing alone stay symbols in TCVN3 text (â, đ, ằ, ã
  are never words by themselves); next to a letter they are letters.
- Legacy text written as HTML entities (``Th&frac34;ng``) is only visible after the
  HTML is parsed: call ``fix_legacy_text`` on extracted text as well.
- Inside a page, detection works per line (and per block-level element of a line that
  also carries Unicode). A line needs two distinct legacy-typed words making up 30 % of
  its words with non-ASCII letters, and one character Unicode Vietnamese pages do not
  use (``_RARE_TCVN3``/``_RARE_VNI``): a one-word line such as a menu item is only
  converted when the whole page is. A whole page is judged on a sample of at most
  16 KB of its non-ASCII-bearing blocks, with three distinct words needed.
- A whole-page TCVN3 or VNI decode converts every Latin-1 letter on the page: French
  or Spanish text on the same page would be converted too (not seen on these sites).
- Mojibake is repaired per sequence of non-ASCII windows-1252 characters; a sequence
  glued to a real accented letter ("éÄ‘") stays as it is.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

__all__ = [
    "Decoded",
    "decode_page",
    "detect_legacy",
    "fix_legacy_text",
    "tcvn3_to_unicode",
    "vni_to_unicode",
]


@dataclass(frozen=True)
class Decoded:
    """A decoded page and how it was read.

    ``encoding`` is the codec actually used ("utf-8", "windows-1258", "windows-1252",
    "tcvn3", "vni", …), with ``+tcvn3``/``+vni`` appended when lines typed in those
    fonts were converted inside it (``+mojibake`` for repaired double-encoded lines).
    ``declared`` is the charset the HTTP header (else the page) declared, normalised
    ("iso-8859-1", "windows-1258", "utf-8"), or ``None``.
    ``note`` says what was surprising, ``None`` when nothing was.
    """

    text: str
    encoding: str
    declared: str | None
    note: str | None


# ---------------------------------------------------------------- legacy font tables

_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
# The order every TCVN3 row below follows: huyền, sắc, hỏi, ngã, nặng.
_TCVN3_TONE_ORDER = (_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT)


def _compose(*parts: str) -> str:
    return unicodedata.normalize("NFC", "".join(parts))


# TCVN3 (ABC): one byte per letter. (base letter as NFD parts, codes): the codes give
# the bare letter first when it is not ASCII, then the five tones in the order above.
_TCVN3_ROWS: tuple[tuple[str, str], ...] = (
    ("a", "µ¸¶·¹"),
    ("a" + _BREVE, "¨»¾¼½Æ"),
    ("a" + _CIRCUMFLEX, "©ÇÊÈÉË"),
    ("e", "ÌÐÎÏÑ"),
    ("e" + _CIRCUMFLEX, "ªÒÕÓÔÖ"),
    ("i", "×ÝØÜÞ"),
    ("o", "ßãáâä"),
    ("o" + _CIRCUMFLEX, "«åèæçé"),
    ("o" + _HORN, "¬êíëìî"),
    ("u", "ïóñòô"),
    ("u" + _HORN, "\xadõøö÷ù"),
    ("y", "úýûüþ"),
)
# The seven capitals the base font carries: Ă Â Đ Ê Ô Ơ Ư.
_TCVN3_CAPITALS = "¡¢§£¤¥¦"


def _build_tcvn3() -> dict[str, str]:
    table = {"®": "đ"}
    for base, codes in _TCVN3_ROWS:
        forms = ([] if len(codes) == 5 else [_compose(base)]) + [
            _compose(base, tone) for tone in _TCVN3_TONE_ORDER
        ]
        table.update(zip(codes, forms, strict=True))
    capitals = ("A" + _BREVE, "A" + _CIRCUMFLEX, "Đ", "E" + _CIRCUMFLEX)
    capitals += ("O" + _CIRCUMFLEX, "O" + _HORN, "U" + _HORN)
    table.update(zip(_TCVN3_CAPITALS, map(_compose, capitals), strict=True))
    return table


_TCVN3 = _build_tcvn3()
_TCVN3_TABLE = str.maketrans(_TCVN3)
# TCVN3 letters in U+00A1–U+00BF, where Latin-1 has only symbols and VNI nothing.
_TCVN3_LOW = "".join(sorted(ch for ch in _TCVN3 if ch <= "\xbf"))

# VNI: an ASCII base letter followed by mark characters (lowercase; capitals derived).
_VNI_TONES = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_HAT_TONES = {"á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_VNI_BREVE_TONES = {"é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
# Letters that are one character in VNI: ơ ư, i with its tones, ỵ and đ.
_VNI_SINGLE = {
    "ô": "o" + _HORN,
    "ö": "u" + _HORN,
    "æ": "i" + _HOOK,
    "ó": "i" + _TILDE,
    "ò": "i" + _DOT,
    "î": "y" + _DOT,
    "ñ": "đ",
}


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, parts in _VNI_SINGLE.items():
        table[key] = _compose(parts)
    for base in ("a", "e", "o", "u", "y", "ô", "ö"):
        plain = _VNI_SINGLE.get(base, base)
        for mark, tone in _VNI_TONES.items():
            if base == "y" and mark == "ï":
                continue  # ỵ is the single character î
            table[base + mark] = _compose(plain, tone)
    for base in "aeo":
        table[base + "â"] = _compose(base, _CIRCUMFLEX)
        for mark, tone in _VNI_HAT_TONES.items():
            table[base + mark] = _compose(base, _CIRCUMFLEX, tone)
    table["aê"] = _compose("a", _BREVE)
    for mark, tone in _VNI_BREVE_TONES.items():
        table["a" + mark] = _compose("a", _BREVE, tone)
    for key, value in list(table.items()):
        table[key.upper()] = value.upper()  # AÙ → Á, Ñ → Đ
        table[key[0].upper() + key[1:]] = value.upper()  # Aù, typed with a lowercase mark
    return {key: value for key, value in table.items() if key != value}


_VNI = _build_vni()
# A base letter and a mark, else a one-character letter: longest sequence first. (A
# character class is far faster for the regex engine than 300 alternatives.)
_VNI_BASES = "".join(sorted({key[0] for key in _VNI if len(key) == 2}))
_VNI_MARKS = "".join(sorted({key[1] for key in _VNI if len(key) == 2}))
_VNI_SINGLES = "".join(sorted(key for key in _VNI if len(key) == 1))
_VNI_RE = re.compile(f"[{_VNI_BASES}][{_VNI_MARKS}]|[{_VNI_SINGLES}]")

# Characters a legacy run needs at least one of: frequent in legacy text (à á ạ ả ư ă ê
# ơ ắ ệ ị ậ ì ỉ ầ in TCVN3; huyền, nặng, hỏi, đ, ậ, ẩ in VNI) and absent from Unicode
# Vietnamese pages (ù õ © « » · ® Ê Õ are common there, so they are not listed).
# ``fix_legacy_text`` pre-checks for these with ``in`` tests, one scan per character,
# so the lists are kept short: a run whose only legacy letters are elsewhere (say
# "§«ng") is left alone.
_RARE_TCVN3 = "µ¸\xad¹¶¨ª¬¾ÖÞË×ØÇ"
_RARE_VNI = "øïûñäåØÏÛÑÄ"
_RARE = "".join(dict.fromkeys(_RARE_VNI + _RARE_TCVN3))

# Anything above U+00FF except the punctuation windows-1252 puts in 0x80–0x9F (and the
# rest of General Punctuation): a letter there means the run is real Unicode.
_ABOVE_LATIN1 = re.compile("[^\x00-\xff\u2000-\u206f\u20ac\u2122\u02c6\u02dc]")
# A word, for detection and conversion: ASCII letters and anything in U+00A1–U+00FF
# (TCVN3 uses × ÷ « » as letters); NBSP, digits and punctuation split words. Only words
# with a non-ASCII letter are judged, each with one regex search per font.
_L = "A-Za-z\xa1-\xff"
_NONASCII_WORD = re.compile(f"[{_L}]*[\xa1-\xff][{_L}]*")
# TCVN3: its letters from U+00A1–U+00BF (but « at a word's start and » or ® at its end
# are French guillemets and a trademark sign: ô and ằ never stand there, đ never ends a
# word); × ÷ (ì ữ) between letters; a capital right after a small letter (ViÖc, tÞch,
# cÊp: TCVN3's ệ ị ấ), which no Latin-script word writes.
_TCVN3_PLAIN = "".join(ch for ch in _TCVN3_LOW if ch not in "«»®")
_TCVN3_SIGNAL = re.compile(
    f"[{_TCVN3_PLAIN}]|(?<=[{_L}])«|[»®](?=[{_L}])|(?<=[{_L}])[×÷](?=[{_L}])|(?<=[a-z])[\xc0-\xde]"
)
_TCVN3_MID = re.compile(f"(?<=[{_L}])[{_TCVN3_LOW}×÷](?=[{_L}])|(?<=[a-z])[\xc0-\xde](?=[{_L}])")
# VNI: marks after the letters that take them. "Strong" pairs occur in no Western
# European language; "weak" ones do (French où, goût, naïf, Raphaël; Spanish ñ).
_VNI_STRONG_PAIRS = (
    "[aeuyôöAEUYÔÖ][ùÙ]|[aeouyôöAEOUYÔÖ][øõØÕ]|[auyôöAUYÔÖ][ûÛ]|[ôöÔÖ][ïÏ]"
    "|[aeoAEO][âåäÂÅÄ]|[aA][êüÊÜ]|[öÖ][ôÔ]"
)
_VNI_WEAK_PAIRS = (
    "[oO][ùÙ]|[eoEO][ûÛ]|[aeouAEOU][ïÏ]|[aA][ëË]|[A-Za-z\xc0-\xff][ñÑ]|[ñÑ][A-Za-z\xc0-\xff]"
)
_VNI_SIGNAL = re.compile(f"{_VNI_STRONG_PAIRS}|{_VNI_WEAK_PAIRS}")
_VNI_STRONG = re.compile(_VNI_STRONG_PAIRS)
# Share of the words with non-ASCII letters that must carry legacy signals.
_MIN_SHARE = 0.3


def tcvn3_to_unicode(text: str) -> str:
    """Text typed with a TCVN3 (ABC) font, as Unicode.

    Only characters in U+00A1–U+00FF change; ASCII and everything above stays. Words in
    capitals (``TØNH``) come out in capitals; see the module notes on H fonts.
    """
    if text.isascii():
        return text
    converted = text.translate(_TCVN3_TABLE)  # one character for one: offsets hold
    patches = [
        (match.start(), match.end(), _tcvn3_special(match.group()))
        for match in _TCVN3_SPECIAL.finditer(text)
    ]
    if not patches:
        return converted
    pieces: list[str] = []
    done = 0
    for start, end, word in patches:
        if word is not None:
            pieces += (converted[done:start], word)
            done = end
    pieces.append(converted[done:])
    return "".join(pieces)


# Words the plain table gets wrong: a lone © ® » · (â, đ, ằ, ã are never words on their
# own, so alone these are the symbols they look like: a © footer stays ©), and words
# with two or more capitals, which may be all capitals.
_TCVN3_UPPER = f"A-Z{_TCVN3_CAPITALS}"
_TCVN3_SPECIAL = re.compile(
    f"(?<![{_L}])(?:[©®»·]|[A-Z\xa1-\xff]*[{_TCVN3_UPPER}][A-Z\xa1-\xff]*[{_TCVN3_UPPER}]"
    f"[A-Z\xa1-\xff]*)(?![{_L}])"
)


def _tcvn3_special(word: str) -> str | None:
    """The Unicode for ``word`` when the table alone would get it wrong, else None."""
    if len(word) == 1:
        return word  # a lone symbol
    if word.isascii():
        return None
    return word.translate(_TCVN3_TABLE).upper()


def vni_to_unicode(text: str) -> str:
    """Text typed with a VNI font, as NFC Unicode (longest mark sequences first)."""
    if text.isascii():
        return text
    return _VNI_RE.sub(_vni_letter, text)


def _vni_letter(match: re.Match[str]) -> str:
    found = match.group()
    letter = _VNI.get(found)
    if letter is None:  # a base and a mark that do not combine (eé): the base alone
        letter = _VNI.get(found[0], found[0]) + found[1]
    return letter


# ------------------------------------------------------------------------- detection


def _judge(text: str, min_words: int) -> str | None:
    """The legacy font of ``text`` when its signals are strong enough, else None.

    ``min_words`` distinct signal words are needed (a word repeated in a data file is
    one word), and signal words must be 30 % of the words with non-ASCII letters.
    """
    has_tcvn3 = any(ch in text for ch in _RARE_TCVN3)
    has_vni = any(ch in text for ch in _RARE_VNI)
    if not (has_tcvn3 or has_vni):
        return None
    words = _NONASCII_WORD.findall(text)
    share = _MIN_SHARE * len(words)
    tcvn3: list[str] = []
    if has_tcvn3:
        tcvn3 = [word for word in words if len(word) > 1 and _TCVN3_SIGNAL.search(word)]
        if len(tcvn3) >= share and len(set(tcvn3)) >= min_words and _TCVN3_MID.search(text):
            return "tcvn3"
    if not has_vni:
        return None
    vni: set[str] = set()
    count = 0
    for word in words:
        if _VNI_SIGNAL.search(word):
            vni.add(word)
            count += 1
    if count < share or len(vni) < min_words or len(tcvn3) * 4 > count:
        return None
    strong = sum(1 for word in vni if _VNI_STRONG.search(word))
    return "vni" if strong >= min_words - 1 else None


def detect_legacy(text: str) -> str | None:
    """ "tcvn3" or "vni" when this run of text was typed with that legacy font, else None.

    A run is legacy only when it holds no letter above U+00FF (real Unicode Vietnamese
    always does, "© 2019 Sở Nội vụ" included), at least two words carry the font's
    signature, and they are a meaningful share (30 %) of the words with non-ASCII
    letters. TCVN3: letters from U+00A1–U+00BF inside words (B¶o, Th¾ng), × ÷ between
    letters, a capital right after a small letter (ViÖc). VNI: marks after the vowels
    that take them; ñ beside letters and marks French also writes (où, goût, naïf)
    count only next to one that no Western language writes, so "España" and French
    stay alone.
    """
    if text.isascii() or _ABOVE_LATIN1.search(text):
        return None
    return _judge(text, 2)


_CONVERT = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}
_FIX_NOTES = {
    "mojibake": "utf-8 text read as windows-1252 (mojibake) repaired",
    "tcvn3": "text typed in TCVN3 converted",
    "vni": "text typed in VNI converted",
}
# Block-level tags: a long line carrying Unicode is judged one block at a time.
_BLOCK_TAG = re.compile(
    r"(<(?:br|/?(?:p|div|td|th|tr|li|ul|ol|table|tbody|h[1-6]|title|section|article"
    r"|header|footer|nav|aside|main|option|dd|dt|dl|blockquote|pre|figcaption))\b[^<>]*>)",
    re.IGNORECASE,
)


def _fix_line(line: str, present: str) -> tuple[str, set[str]]:
    kind = detect_legacy(line)
    if kind:
        return _CONVERT[kind](line), {kind}
    if "<" not in line:
        return line, set()
    parts = _BLOCK_TAG.split(line)
    if len(parts) == 1:
        return line, set()
    kinds: set[str] = set()
    for i in range(0, len(parts), 2):  # odd indexes are the tags themselves
        part = parts[i]
        kind = detect_legacy(part) if any(ch in part for ch in present) else None
        if kind:
            parts[i] = _CONVERT[kind](part)
            kinds.add(kind)
    return ("".join(parts), kinds) if kinds else (line, kinds)


# UTF-8 read as windows-1252 and saved again ("Sá»Ÿ Ná»™i vá»¥" for "Sở Nội vụ") is
# repaired too: it would otherwise pass for TCVN3. Its Vietnamese always shows one of
# these: º » from U+1EA0–U+1EFF (ạ … ỹ), Ä from đ Đ ă, Æ from ơ ư.
_MOJIBAKE_HINTS = "º»ÄÆ"
_CP1252_EXTRA = bytes(range(0x80, 0xA0)).decode("cp1252", "ignore")
# A run of non-ASCII windows-1252 characters: one mojibake sequence or several, each
# repaired on its own so a real "à" beside it does not spoil the decode.
_CP1252_RUN = re.compile(f"[\x80-\xff{_CP1252_EXTRA}]+")
_C1_BYTES = "khotin-c1"


def _c1_bytes(exc: UnicodeError) -> tuple[bytes, int]:
    # U+0080–U+009F are the bytes windows-1252 leaves undefined (read as Latin-1).
    chunk = exc.object[exc.start : exc.end] if isinstance(exc, UnicodeEncodeError) else ""
    if not chunk or any(not "\x80" <= ch <= "\x9f" for ch in chunk):
        raise exc
    return chunk.encode("latin-1"), exc.end


codecs.register_error(_C1_BYTES, _c1_bytes)


def _mojibake_run(match: re.Match[str]) -> str:
    run = match.group()
    try:
        return run.encode("cp1252", _C1_BYTES).decode("utf-8")
    except UnicodeError:
        return run


def _repair_mojibake(line: str) -> str:
    return _CP1252_RUN.sub(_mojibake_run, line)


def _line_spans(text: str, needles: str) -> set[tuple[int, int]]:
    """(start, end) of every line holding one of ``needles``, found with ``str.find``.

    º and » only count after á, as in mojibake (áº, á»): » alone is a breadcrumb.
    """
    spans: set[tuple[int, int]] = set()
    size = len(text)
    for ch in needles:
        i = text.find(ch)
        while i >= 0:
            if ch in "º»" and text[i - 1 : i] != "á":
                i = text.find(ch, i + 1)
                continue
            start = text.rfind("\n", 0, i) + 1
            end = text.find("\n", i)
            end = size if end < 0 else end
            spans.add((start, end))
            i = text.find(ch, end)
    return spans


def _fix_legacy(text: str) -> tuple[str, set[str]]:
    if text.isascii():
        return text, set()
    present = "".join(ch for ch in _RARE if ch in text)
    hints = "".join(ch for ch in _MOJIBAKE_HINTS if ch in text)
    if not (present or hints):
        return text, set()
    # Only the lines holding one of those characters are looked at.
    pieces: list[str] = []
    kinds: set[str] = set()
    done = 0
    for start, end in sorted(_line_spans(text, present + hints)):
        line = fixed = text[start:end]
        found: set[str] = set()
        if hints and ("á»" in line or "áº" in line or "Ä" in line or "Æ" in line):
            fixed = _repair_mojibake(line)
            if fixed != line:
                found.add("mojibake")
        if present and any(ch in fixed for ch in present):
            fixed, legacy = _fix_line(fixed, present)
            found |= legacy
        if found:
            pieces += (text[done:start], fixed)
            done = end
            kinds |= found
    if not kinds:
        return text, kinds
    pieces.append(text[done:])
    return "".join(pieces), kinds


def fix_legacy_text(text: str) -> str:
    """``text`` with its TCVN3- or VNI-typed lines converted; Unicode text untouched.

    Judged line by line (and block by block inside an HTML line that also carries
    Unicode). Lines of UTF-8 mojibake ("Ä‘áº¡i há»™i") are repaired first. When none of
    the characters these need is present, this costs a couple of dozen ``in`` tests.
    """
    return _fix_legacy(text)[0]


# --------------------------------------------------------------------- decode_page

# windows-1258 signatures on bytes: a combining tone byte right after a vowel (plain or
# one of the 1258 letters â ă ê ô ơ ư); đ/Đ before a letter; ă ơ ư after a consonant.
_W1258_VOWEL = rb"AEIOUYaeiouy\xc2\xc3\xca\xd4\xd5\xdd\xe2\xe3\xea\xf4\xf5\xfd"
_W1258_TONE = re.compile(rb"[" + _W1258_VOWEL + rb"][\xcc\xd2\xde\xec\xf2]")
_W1258_LETTER = re.compile(
    rb"[\xd0\xf0][A-Za-z" + _W1258_VOWEL + rb"]"
    rb"|[B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z][\xc3\xd5\xdd\xe3\xf5\xfd]"
)
_SINGLE_BYTE_LATIN = frozenset({"cp1252", "cp1258", "iso8859-1", "iso8859-15"})
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_ERRORS = "khotin-latin1"
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    # The bytes windows-125x leaves undefined read as their Latin-1 (C1) characters,
    # as browsers do (WHATWG); nothing is lost.
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error(_ERRORS, _latin1_fallback)


@lru_cache(maxsize=64)
def _name(label: str) -> str:
    """The usual spelling of a charset: windows-1258, iso-8859-1, utf-8, us-ascii."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return label.strip().lower()
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    if name.startswith("iso8859-"):
        return "iso-" + name[3:]
    return {"ascii": "us-ascii"}.get(name, name)


@lru_cache(maxsize=64)
def _ascii_compatible(codec: str) -> bool:
    try:
        return "<meta a='x'>".encode(codec) == b"<meta a='x'>"
    except (LookupError, UnicodeError, TypeError):
        return False


def _header_declaration(content_type: str | None) -> tuple[str, str | None] | None:
    """(normalised label, Python codec or None if unknown) from the Content-Type header."""
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        label = match.group(1)
        return _name(label), resolve_encoding(label)
    return None


def _page_declaration(body: bytes) -> tuple[str, str | None] | None:
    """The same from ``<meta charset>``, ``<meta http-equiv>`` or the XML declaration."""
    codec = html_body_declared_encoding(body)  # skips comments, stops at <body>
    labels = [m.group(1).decode("ascii") for m in _META_CHARSET.finditer(body[:4096])]
    if codec is not None:
        # Report the label the page wrote (iso-8859-1), not w3lib's codec for it (cp1252).
        label = next((label for label in labels if resolve_encoding(label) == codec), codec)
        return _name(label), codec
    if labels and resolve_encoding(labels[0]) is None:
        return _name(labels[0]), None
    return None


def _is_windows_1258(body: bytes) -> bool:
    # Two different vowel+tone pairs and one 1258 letter (đ ă ơ ư), which any
    # Vietnamese text has; Yoruba's "yì" or Italian's "può" alone are not enough.
    tones = _W1258_TONE.findall(body)
    if len(set(tones)) < 2:
        return False
    letters = len(_W1258_LETTER.findall(body))
    return letters >= 1 and len(tones) + letters >= 4


def _sniff(body: bytes, declared: str | None = None) -> str | None:
    """ "tcvn3", "windows-1258" or "vni" when the bytes carry that signature, else None.

    A page declared windows-1258 is only checked for TCVN3: a few 1258 words (thuở)
    look like VNI, while TCVN3 letters are symbols in 1258 that real text rarely uses.
    """
    body = _sample(body)
    kind = _judge(body.decode("latin-1"), 3)
    if kind == "tcvn3" or declared == "cp1258":
        return kind if kind == "tcvn3" else None
    if _is_windows_1258(body):
        return "windows-1258"
    return kind


def _sample(body: bytes, block: int = 2048, blocks: int = 8) -> bytes:
    """At most ``blocks`` blocks of ``body`` that hold non-ASCII bytes, spread evenly.

    Judging costs about half a µs a byte; 16 KB of a page's text (some 2,500 words)
    tells as well as all of it.
    """
    if len(body) <= block * blocks:
        return body
    rich = [i for i in range(0, len(body), block) if not body[i : i + block].isascii()]
    step = max(1, len(rich) // blocks)
    return b"\n".join(body[i : i + block] for i in rich[::step][:blocks])


def _decode_as(body: bytes, kind: str) -> str:
    if kind == "windows-1258":
        return body.decode("cp1258", _ERRORS)
    text = body.decode("cp1252", _ERRORS)
    return _CONVERT[kind](text) if kind in _CONVERT else text


def _mostly_utf8(body: bytes) -> tuple[str, int] | None:
    """A UTF-8 page with a few broken sequences: (text, broken count), else None."""
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")
    high = len(body) - len(body.translate(None, _HIGH_BYTES))
    good = len(text) - (len(body) - high) - bad  # non-ASCII characters decoded
    return (text, bad) if good >= 20 and good >= 20 * bad else None


def _finish(
    text: str, encoding: str, declared: str | None, notes: list[str], *, fix: bool = True
) -> Decoded:
    if fix:
        text, kinds = _fix_legacy(text)
        for kind in sorted(kinds):
            encoding += "+" + kind
            notes.append(_FIX_NOTES[kind])
    # windows-1258 text is never NFC (its tones are combining marks): skip the check.
    if encoding.startswith("windows-1258") or not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return Decoded(text, encoding, declared, "; ".join(notes) or None)


def _decode(body: bytes, content_type: str | None) -> Decoded:
    header = _header_declaration(content_type)
    first = header or _page_declaration(body)
    declared, first_codec = first if first else (None, None)
    notes: list[str] = []

    bom_codec, bom = read_bom(body)
    if bom_codec is not None and bom is not None:
        encoding = _name(bom_codec)
        if declared and not (first_codec and bom_codec.startswith(first_codec)):
            notes.append(f"declared {declared} but byte order mark says {encoding}")
        try:
            text = body[len(bom) :].decode(bom_codec)
        except UnicodeDecodeError:
            text = body[len(bom) :].decode(bom_codec, "replace")
            notes.append(f"invalid {encoding} sequences replaced")
        return _finish(text, encoding, declared, notes)

    if body.isascii():
        encoding = "utf-8"
        if first_codec and _ascii_compatible(first_codec):
            encoding = _name(first_codec)
        return Decoded(body.decode("ascii"), encoding, declared, None)

    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared and first_codec != "utf-8":
            notes.append(f"declared {declared} but body is utf-8")
        return _finish(text, "utf-8", declared, notes)

    if mostly := _mostly_utf8(body):
        text, bad = mostly
        if declared and first_codec != "utf-8":
            notes.append(f"declared {declared} but body is utf-8")
        notes.append(f"{bad} invalid utf-8 sequence(s) replaced")
        return _finish(text, "utf-8", declared, notes)

    declarations = [first] if first else []
    if header and (page := _page_declaration(body)) and page != header:
        declarations.append(page)
    for label, codec in declarations:
        if codec is None:
            notes.append(f"declared charset {label} is unknown")
            continue
        if codec == "utf-8":
            notes.append(f"declared {label} but body is not {label}")
            continue
        if not _ascii_compatible(codec):  # utf-16 without a byte order mark, EBCDIC
            notes.append(f"declared {label} ignored")
            continue
        if codec in _SINGLE_BYTE_LATIN:
            kind = _sniff(body, codec)
            if kind:
                notes.append(f"declared {label} but body is {kind}")
                return _finish(
                    _decode_as(body, kind), kind, declared, notes, fix=kind not in _CONVERT
                )
            errors = _ERRORS
        else:
            errors = _ERRORS if codec.startswith("cp125") else "strict"
        try:
            text = body.decode(codec, errors)
        except (UnicodeDecodeError, LookupError):
            notes.append(f"declared {label} but body is not {label}")
            continue
        return _finish(text, _name(codec), declared, notes)

    kind = _sniff(body) or "windows-1252"
    notes.append(f"{'no usable charset' if declared else 'no charset'}: detected {kind}")
    return _finish(_decode_as(body, kind), kind, declared, notes, fix=kind not in _CONVERT)


def decode_page(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page's bytes to NFC text, trusting the bytes over the labels.

    ``content_type`` is the HTTP Content-Type header, if any. Never raises.
    """
    try:
        if isinstance(content_type, bytes):
            content_type = content_type.decode("latin-1")
        return _decode(bytes(body), content_type)
    except Exception as exc:  # one odd page must never stop a crawl
        raw = bytes(body) if isinstance(body, bytes | bytearray | memoryview) else b""
        text = unicodedata.normalize("NFC", raw.decode("utf-8", "replace"))
        note = f"decoding failed ({type(exc).__name__}): read as utf-8 with replacements"
        return Decoded(text, "utf-8", None, note)
