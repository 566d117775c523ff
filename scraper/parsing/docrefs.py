"""Official document numbers cited in Vietnamese government news.

Journalists search the archive by the number of a plan or decision ("4846/KH-UBND",
"34-CT/TW"), so every article's citations are pulled out, normalised and given a
search key. Two numbering schemes coexist:

* state documents: ``number[/year]/TYPE-ISSUER`` — ``4846/KH-UBND``,
  ``17/2007/CT-UBND``, ``30/2020/NĐ-CP``; a công văn carries no type code, only
  ``ISSUER-DEPARTMENT`` (``1520/UBND-KT``), and a law only its issuer
  (``52/2019/QH14``);
* Party documents: ``number-TYPE/ISSUER`` — ``34-CT/TW``, ``23-KH/ĐUK``.

A citation is a numeric part, ``/`` or ``-``, then a code part of letter groups.
Dates (``02/10/2019``), scores (``9/10``), ranges (``2015-2020``), phone numbers,
URLs and paths never have a letter group right after the number, or sit inside a
longer token, which the patterns below refuse. A code with no known type code and no
``số``/document word before it is accepted only in the unmistakable
``number[/year]/ISSUER…`` state form, so that addresses and road names
("12-QL13") stay out.

Decisions:

* ``number`` is the citation as printed with spaces removed, code parts upper-cased
  and dash variants turned into ``-``; ``QD`` stays ``QD`` there, but ``type`` is
  ``QĐ``.
* ``type`` comes from the code (``KH``, ``QĐ``…); when the code has none, from the word
  before the number (``Công văn số 1520/UBND-KT`` → ``CV``). A law (``Luật số
  52/2019/QH14``) has no type code in Vietnamese practice and we do not invent one:
  ``type`` is ``None`` and ``issuer`` ``QH14`` says it is from the National Assembly.
* ``issuer`` is what follows the type code (``UBND``, ``TW``, ``BTP-BTC`` for joint
  documents); without a type code it is the first group (``UBND`` in
  ``1520/UBND-KT``, the rest being the drafting department).
* ``date`` is the issue date: a ``ngày d/m/yyyy`` or ``ngày d tháng m năm yyyy`` right
  after the number (optionally after ``ban hành``/``ký`` or ``của <issuer>``), or in the
  same sentence before it when ``ban hành``/``ký`` stands between the date and the
  number with no other number in between.
* Citations are unique by :func:`number_key`, so ``123/QD-UBND`` and ``123/QĐ-UBND``
  in one article are one document; the first printing is kept and missing fields
  (date, type) are filled from later mentions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date as _date

from scraper.parsing.folding import doc_number_key as number_key

__all__ = ["DocRef", "find_doc_refs", "number_key"]


@dataclass(frozen=True)
class DocRef:
    """One cited document, normalised for storage and search (see module docstring)."""

    number: str
    type: str | None
    issuer: str | None
    date: str | None
    raw: str


# Type codes of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP, and the
# Party's own list), keyed by their upper-case spelling, valued by the canonical form.
_TYPE_CODES: dict[str, str] = {
    "KH": "KH",  # kế hoạch
    "QĐ": "QĐ",  # quyết định
    "QD": "QĐ",
    "CT": "CT",  # chỉ thị
    "NQ": "NQ",  # nghị quyết
    "TB": "TB",  # thông báo
    "CV": "CV",  # công văn (Party numbering)
    "TT": "TT",  # thông tư
    "TTLT": "TTLT",  # thông tư liên tịch
    "NĐ": "NĐ",  # nghị định
    "ND": "NĐ",
    "HD": "HD",  # hướng dẫn
    "BC": "BC",  # báo cáo
    "TTR": "TTr",  # tờ trình
    "QC": "QC",  # quy chế
    "QYĐ": "QyĐ",  # quy định
    "QĐI": "QĐi",  # quy định of the Party (Quy định số 08-QĐi/TW)
    "CTR": "CTr",  # chương trình
    "KL": "KL",  # kết luận
    "CĐ": "CĐ",  # công điện
    "ĐA": "ĐA",  # đề án
    "BB": "BB",  # biên bản
    "GM": "GM",  # giấy mời
}
# Issuers whose official spelling is mixed case (Thủ tướng Chính phủ: 225/QĐ-TTg).
_MIXED_CODES = {"TTG": "TTg"}
# The word before a number, for codes that carry no type (công văn: "1520/UBND-KT").
_TYPE_WORDS: dict[str, str | None] = {
    "công văn": "CV",
    "kế hoạch": "KH",
    "quyết định": "QĐ",
    "chỉ thị": "CT",
    "nghị quyết": "NQ",
    "thông báo": "TB",
    "thông tư liên tịch": "TTLT",
    "thông tư": "TT",
    "nghị định": "NĐ",
    "hướng dẫn": "HD",
    "báo cáo": "BC",
    "tờ trình": "TTr",
    "quy chế": "QC",
    "quy định": "QyĐ",
    "chương trình": "CTr",
    "kết luận": "KL",
    "công điện": "CĐ",
    "đề án": "ĐA",
    "biên bản": "BB",
    "giấy mời": "GM",
    # Known document words without a code of their own: they vouch for the number.
    "luật": None,
    "pháp lệnh": None,
    "lệnh": None,
    "văn bản": None,
}
# Issuers accepted in an all-lowercase citation ("số 4846/kh-ubnd").
_LOWERCASE_ISSUERS = frozenset({"ubnd", "hđnd", "tw", "tu", "cp", "ttg", "snv", "bnv"})

_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014"
_GROUP = r"[^\W\d_]{1,12}[0-9]{0,3}"
# The pattern starts with a digit so that the regex engine can skip ahead to digits;
# what may stand before the number is checked in Python (see _BAD_BEFORE).
_REF_RE = re.compile(
    # A letter may follow the digits: "Nghị quyết 30a/2008/NQ-CP", "30c/NQ-CP".
    r"(?P<num>[0-9]{1,6}[a-e]?)"
    r"(?:\s?/\s?(?P<year>(?:19|20)[0-9]{2})(?![0-9]))?"
    rf"(?P<sep>\s?[/{_DASHES}]\s?)"
    rf"(?P<code>{_GROUP}(?:\s?[/{_DASHES}]\s?{_GROUP})*)"
    r"(?!\w)"
)
_SEPARATORS = ("/", "-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014")
_DIGITS = frozenset("0123456789")
_SUFFIXES = frozenset("abcde")  # not h nor g: "17h/…" is an hour
# A number right after these is inside a longer token: a phone number, a date, a
# decimal, a URL, a path or a query string.
_BAD_BEFORE = frozenset("./=&?#%~@+_\u2010\u2011\u2012\u2013\u2014-")
_CODE_PART_RE = re.compile(rf"(\s?[/{_DASHES}]\s?)?({_GROUP})")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_KEYWORD_RE = re.compile(
    r"(?:(?<!\w)(?P<kw>"
    + "|".join(sorted((re.escape(w) for w in _TYPE_WORDS), key=len, reverse=True))
    + r")\s*(?:số(?:\s+hiệu)?)?|(?<!\w)số(?:\s+hiệu)?)\s*:?\s*$",
    re.IGNORECASE,
)
_KEYWORD_WINDOW = 32

_DATE = (
    r"(?:(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s*,?\s+năm\s+(?P<y2>\d{4}))(?!\d)"
)
# Words that end the "của <issuer>" phrase: past them the sentence has moved on.
_NOT_ISSUER_WORD = r"(?!(?:và|về|các|với|để|nhằm|theo|tại|trong|đã|được|ngày)\b)"
_DATE_AFTER_RE = re.compile(
    r"\s*[,(]?\s*(?:(?:được\s+)?(?:ban\s+hành|ký|kí)\s+)?(?:vào\s+)?"
    rf"(?:của\s+(?:{_NOT_ISSUER_WORD}[^\W\d_]+\s+){{1,6}}?)?"
    rf"ngày\s+{_DATE}",
    re.IGNORECASE,
)
_DATE_PHRASE_RE = re.compile(rf"(?<!\w)ngày\s+{_DATE}", re.IGNORECASE)
_ISSUED_RE = re.compile(r"(?<!\w)(?:ban\s+hành|ký|kí)(?!\w)", re.IGNORECASE)
_SENTENCE_ENDS = (". ", "! ", "? ", "; ", "\n")
_DIGIT_RE = re.compile(r"\d")
_BEFORE_WINDOW = 300


# Units whose code keeps a "Tr" (Trung, Trình) or "Tg" (tướng) inside: GDTrH (Giáo dục
# Trung học), TTrB; upper case otherwise.
_TR_CODE_RE = re.compile(r"(?:[A-ZĐ]+T[rg])+[A-ZĐ]*")


def _canon(group: str) -> str:
    """A code group as official numbers print it: upper case, but TTg, TTr, CTr, QyĐ, QĐ,
    GDTrH."""
    upper = group.upper()
    known = _TYPE_CODES.get(upper) or _MIXED_CODES.get(upper)
    if known:
        return known
    return group if _TR_CODE_RE.fullmatch(group) else upper


def _code_like(group: str, lowercase_ok: bool) -> bool:
    """An upper-case code group (KH, UBND, QH14, ĐUK) or a known mixed one (TTg, TTr)."""
    letters = group.rstrip("0123456789")
    if not letters:
        return False
    if letters.isupper():
        return True
    if _TYPE_CODES.get(letters.upper()) == letters:
        return True  # TTr, CTr, QyĐ
    lowers = sum(1 for c in letters if c.islower())
    if letters[0].isupper() and lowers == 1 and letters[-1].islower() and len(letters) >= 3:
        return True  # TTg
    if _TR_CODE_RE.fullmatch(letters):
        return True  # GDTrH
    return lowercase_ok and letters.islower()


def _valid_date(day: str, month: str, year: str) -> str | None:
    try:
        return _date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _date_from(m: re.Match[str]) -> str | None:
    if m.group("d"):
        return _valid_date(m.group("d"), m.group("m"), m.group("y"))
    return _valid_date(m.group("d2"), m.group("m2"), m.group("y2"))


def _date_before(text: str, start: int) -> str | None:
    """'Ngày 24/9/2019, UBND tỉnh … ban hành Kế hoạch số 4846/KH-UBND' → 2019-09-24."""
    window = text[max(0, start - _BEFORE_WINDOW) : start]
    cut = max(window.rfind(end) for end in _SENTENCE_ENDS)
    sentence = window[cut + 1 :]
    lowered = sentence.lower()
    if len(lowered) != len(sentence):
        lowered = sentence  # a letter whose lower case is longer; fall back to exact case
    # The last "ngày <date>" of the sentence (str.rfind is far cheaper than a regex scan).
    last = None
    i = lowered.rfind("ngày")
    while i != -1 and last is None:
        last = _DATE_PHRASE_RE.match(sentence, i)
        i = lowered.rfind("ngày", 0, i)
    if last is None:
        return None
    between = sentence[last.end() :]
    if _DIGIT_RE.search(between) or not _ISSUED_RE.search(between):
        return None
    return _date_from(last)


def _keyword_before(text: str, start: int) -> re.Match[str] | None:
    """The "số", "Công văn số", "Nghị quyết" … right before the number at ``start``."""
    return _KEYWORD_RE.search(text, max(0, start - _KEYWORD_WINDOW), start)


def _parse_match(text: str, m: re.Match[str]) -> DocRef | None:
    """Validate one candidate and build its DocRef, or None when it is not a citation."""
    code = m.group("code")
    groups: list[str] = []
    seps: list[str] = []
    code_end = 0
    # The word before the number ("Công văn số …") is looked up only when needed: for a
    # lower-case code, or for a code without a type.
    kw_match: re.Match[str] | None = None
    kw_done = False
    # A lower-case citation ("số 4846/kh-ubnd") is lower-case throughout and unspaced;
    # a lower-case word after an upper-case code is the sentence going on.
    lowercase = False
    if code[:1].islower():
        kw_match, kw_done = _keyword_before(text, m.start()), True
        lowercase = kw_match is not None
    for part in _CODE_PART_RE.finditer(code):
        group = part.group(2)
        if not _code_like(group, lowercase):
            break
        if lowercase and part.group(1) is not None and part.group(1).strip() != part.group(1):
            break
        if part.group(1) is not None:
            seps.append("/" if "/" in part.group(1) else "-")
        groups.append(group)
        code_end = part.end()
    if not groups or not any(len(g.rstrip("0123456789")) >= 2 for g in groups):
        return None

    type_ = _TYPE_CODES.get(groups[0].upper())
    if lowercase and type_ is None and groups[0].lower() not in _LOWERCASE_ISSUERS:
        return None  # only recognisable lower-case codes
    sep = "/" if "/" in m.group("sep") else "-"
    year = m.group("year")
    if type_ is None and not kw_done:
        kw_match = _keyword_before(text, m.start())
    if type_ is None and kw_match is None and not (sep == "/" and (year or len(groups) >= 2)):
        return None

    if type_ is not None:
        rest = groups[1:]
        issuer = "".join((seps[i] if i else "") + _canon(g) for i, g in enumerate(rest)) or None
    else:
        issuer = _canon(groups[0])
        if kw_match is not None and kw_match.group("kw"):
            type_ = _TYPE_WORDS.get(kw_match.group("kw").lower())

    code_norm = _canon(groups[0]) + "".join(
        s + _canon(g) for s, g in zip(seps, groups[1:], strict=True)
    )
    number = m.group("num") + (f"/{year}" if year else "") + sep + code_norm
    end = m.start("code") + code_end
    raw = text[m.start() : end]

    date_m = _DATE_AFTER_RE.match(text, end)
    issued = _date_from(date_m) if date_m else None
    if issued is None:
        issued = _date_before(text, m.start())
    return DocRef(number=number, type=type_, issuer=issuer, date=issued, raw=raw)


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """Matches of ``_REF_RE`` that start a token, in text order.

    Scanning 2 KB with a regex costs tens of µs on its own, while a citation always
    has a separator right after digits; so separators are found with ``str.find``
    (C speed, and rare in prose) and the pattern is only tried at the digits before
    them.
    """
    starts: set[int] = set()
    for sep in _SEPARATORS:
        i = text.find(sep)
        while i != -1:
            j = i - 1
            if j >= 0 and text[j].isspace():
                j -= 1
            if j > 0 and text[j] in _SUFFIXES and text[j - 1] in _DIGITS:
                j -= 1  # "30c/NQ-CP"
            if j >= 0 and text[j] in _DIGITS:
                while j > 0 and text[j - 1] in _DIGITS:
                    j -= 1
                starts.add(j)
                # "17/2007/CT-UBND": the run before "/CT" is the year; start at "17".
                k = j - 1
                if k >= 0 and text[k].isspace():
                    k -= 1
                if k > 0 and text[k] == "/":
                    k -= 1
                    if k >= 0 and text[k].isspace():
                        k -= 1
                    if k > 0 and text[k] in _SUFFIXES and text[k - 1] in _DIGITS:
                        k -= 1  # "30a/2008/NQ-CP"
                    if k >= 0 and text[k] in _DIGITS:
                        while k > 0 and text[k - 1] in _DIGITS:
                            k -= 1
                        starts.add(k)
            i = text.find(sep, i + 1)
    end = 0
    for start in sorted(starts):
        if start < end:
            continue
        before = text[start - 1] if start else " "
        if before.isalnum() or before in _BAD_BEFORE:
            continue
        m = _REF_RE.match(text, start)
        if m is not None:
            end = m.end()
            yield m


def find_doc_refs(text: str) -> list[DocRef]:
    """All document numbers cited in ``text``, unique by key, in order of first mention."""
    if not text:
        return []
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    url_spans = (
        [m.span() for m in _URL_RE.finditer(text)] if ("://" in text or "www." in text) else []
    )
    refs: list[DocRef] = []
    index: dict[str, int] = {}
    for m in _candidates(text):
        if url_spans and any(a <= m.start() < b for a, b in url_spans):
            continue
        ref = _parse_match(text, m)
        if ref is None:
            continue
        key = number_key(ref.number)
        seen = index.get(key)
        if seen is None:
            index[key] = len(refs)
            refs.append(ref)
            continue
        first = refs[seen]
        if (first.date is None and ref.date) or (first.type is None and ref.type):
            refs[seen] = replace(first, date=first.date or ref.date, type=first.type or ref.type)
    return refs
