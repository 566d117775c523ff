"""Credit lines ("bylines") at the end of Vietnamese government news articles.

Department portals print the credit as a short last line of the body, in shapes like
``Nguyễn Thị Lê - Ban Thi đua - Khen thưởng`` (person and unit), ``Thái Sinh - Ái Vân``
(two people), ``T. NGUYỆT``, ``(BTĐKT)``, ``Nguồn: Báo Bình Dương`` or
``Theo baochinhphu.vn``. There is no markup to tell us which part is a person and
which is an agency, so this module decides from the words themselves:

* a *unit* starts with an organisation word (``Ban``, ``Sở``, ``Văn phòng``, ``UBND``,
  ``Báo``…) or is an all-caps acronym that is not a Vietnamese syllable (``BTĐKT``,
  ``TTXVN``, ``BBT``). Unit names contain `` - `` themselves
  (``Ban Thi đua - Khen thưởng``, ``Phòng Công chức - Viên chức``), so once a unit
  starts, the rest of the line belongs to it;
* a *person* is 1–5 capitalised Vietnamese syllables or initials (``T.``), printed in
  title case or ALL CAPS, with no digits and no sentence punctuation;
* *roles* and *notes* — ``PV`` (phóng viên), ``CTV``, ``Nhóm PV``, ``(tổng hợp)``,
  ``(TH)`` — are neither: a line made only of them is still a credit line (so the
  caller can cut it from the body), but yields no author and no unit. ``PV`` names a
  job, not a person, and the archive's ``authors`` field promises people only.

Anything else — and in particular an ordinary sentence — is not a byline, because a
wrong byline both loses a sentence of the body and invents an author.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from scraper.parsing.vocabulary import CREDIT_LABEL, LINK_LABELS, PAGE_PHRASES, PAGE_WORDS

__all__ = ["Byline", "find_byline", "parse_byline"]


@dataclass(frozen=True)
class Byline:
    """One parsed credit line.

    ``raw`` is the line as printed (NFC, stripped) so it can be stored verbatim and
    cut from the body; ``authors`` holds people only, spelled as printed; and
    ``source_unit`` is the agency, unit or publication, or ``None``.
    """

    raw: str
    authors: list[str]
    source_unit: str | None


# A credit line is short; anything longer is body text.
_MAX_LEN = 80
_MAX_WORDS = 16
_MAX_UNIT_WORDS = 15

# --- vocabulary --------------------------------------------------------------------

# First word(s) of an organisation name, lower case. Matched case-insensitively so that
# ALL-CAPS credits ("SỞ NGOẠI VỤ") work too.
_ORG_1 = frozenset(
    """
    ban phòng sở báo đài cổng bộ cục vụ hội đoàn trường viện huyện tỉnh xã phường quận
    khoa khối tổ đội quỹ đồn ubnd hđnd tp tp. vp
    """.split()
)
_ORG_2 = frozenset(
    _phrase.strip()
    for _phrase in """
    văn phòng, trung tâm, ủy ban, uỷ ban, chi cục, thanh tra, bệnh viện, công an, thị xã,
    thành phố, thị trấn, tạp chí, công đoàn, tổng cục, học viện, đảng ủy, đảng uỷ,
    tỉnh ủy, tỉnh uỷ, huyện ủy, huyện uỷ, thành ủy, thành uỷ, quận ủy, quận uỷ, thị ủy,
    thị uỷ, tỉnh đoàn, thành đoàn, huyện đoàn, liên đoàn, hội đồng, mặt trận, công ty,
    tổng công, ngân hàng, kho bạc, cơ quan, bảo hiểm, chi nhánh, tòa án, toà án,
    nhà xuất, thông tấn, câu lạc, hợp tác, điện lực, đảng bộ, chi bộ, tòa soạn, toà soạn,
    lữ đoàn, sư đoàn, trung đoàn, trang thông, trang tin, truyền hình, phát thanh,
    liên hiệp, tổng liên
    """.split(",")
)
# An organisation word followed by these reads as an ordinary noun or verb:
# "Hội nghị …" (a conference), "Ban hành …" (to issue), "Báo cáo …" (a report).
_ORG_FALSE_STARTS = frozenset(
    _phrase.strip()
    for _phrase in """
    hội nghị, hội thảo, hội thi, hội diễn, hội chợ, hội viên, ban hành, ban đầu, ban ngày,
    phòng chống, phòng ngừa, phòng tránh, bộ máy, sở hữu, đoàn kết, trường hợp, khoa học,
    tổ chức, đội ngũ, cục bộ, vụ việc, báo cáo, báo chí, xã hội, tỉnh táo, viện dẫn,
    khối lượng, quỹ đất, đài thọ, cổng trường, bộ ảnh, bộ hồ sơ, bộ tài liệu, bộ tiêu chí,
    bộ sách, bộ câu hỏi, bộ đề, bộ mẫu, bộ công cụ, bộ chỉ số, ban nhạc, phòng họp,
    phòng học, sở thích, báo hiệu, cục diện
    """.split(",")
)
# Organisation words that are also Vietnamese names or surnames ("Đoàn Văn Hùng",
# "Trường Giang", "Đăng Khoa"): a unit only when the segment does not read as a name.
_ORG_AMBIGUOUS = frozenset({"đoàn", "trường", "hội", "khoa", "đài"})

# Jobs, not people: the line is a credit, but nobody is named.
_ROLES = frozenset(
    _phrase.strip()
    for _phrase in """
    pv, ctv, btv, pv-ctv, pv/ctv, ctv-pv, nhóm pv, nhóm ctv, nhóm pv-ctv, phóng viên,
    nhóm phóng viên, cộng tác viên, biên tập viên, nhà báo
    """.split(",")
)
# Notes about how the text was made ("tổng hợp" = compiled, "sưu tầm" = collected).
_NOTES = frozenset(
    {"th", "st", "t/h", "tổng hợp", "sưu tầm", "lược dịch", "biên dịch", "tổng hợp từ"}
)

# Words that never occur in a Vietnamese personal name but do in page furniture
# ("Xem Thêm", "Tin Khác", "Trở Về") and in title-case fragments of sentences.
_NOT_NAME_WORDS = frozenset(
    """
    tin xem thêm trở chia sẻ chủ bài gửi của các những được với cho là có không này
    đó theo tại trong ngày tháng số về bản khác đọc hỏi đáp và hoặc nhưng đã sẽ đang
    hình ảnh hoạt động thống kê truy cập đăng nhập tìm kiếm mới nhất nổi bật
    """.split()
)
# Words that mark a sentence, never an organisation name.
_SENTENCE_WORDS = frozenset(
    "đã sẽ đang được bị rằng nhằm là có không này đó những cũng vẫn hãy".split()
)

# --- patterns ----------------------------------------------------------------------

_SPACES_RE = re.compile(r"\s+")
_LEADING_JUNK_RE = re.compile(r"^[\s\-–—•*·>]+")
_TRAILING_JUNK_RE = re.compile(r"[\s.,;]+$")
_CLOSING_MARK_RE = re.compile(r"\.?\s*/\s*\.")
# "Tác giả: X", "Tin, ảnh: X", "Bài và ảnh: X" — labels in front of people.
_LABEL = CREDIT_LABEL
# Capitals with Vietnamese marks (a name begins with one; "Bởi vì" does not).
_UPPER_VI = "".join(
    c
    for c in map(chr, range(0xC0, 0x1EFA))
    if c.isupper() and c.lower() != c and "LATIN" in unicodedata.name(c, "")
)
_AUTHOR_LABEL_RE = re.compile(
    rf"^(?:{_LABEL}\s*[:：]\s*|(?:viết|đăng)\s+bởi\s+(?=\S)"
    # WordPress's "By X" in Vietnamese: "Bởi Nguyễn Ngọc Lan", never "Bởi vì …".
    rf"|bởi\s+(?-i:(?=[A-Z{_UPPER_VI}])))",
    re.IGNORECASE,
)
_LABEL_AT_END_RE = re.compile(rf"(?:^|[\s|/·•])({_LABEL}\s*[:：])\s*$", re.IGNORECASE)
_INNER_LABEL_RE = re.compile(rf"\s*[,;\-–—]\s*{_LABEL}\s*[:：]\s*", re.IGNORECASE)
# "Nguồn: X", "Nguồn tin: X", "Theo X" — the publication the text came from.
_SOURCE_LABEL_RE = re.compile(
    r"^(?:(?:nguồn(?:\s+tin)?|source)\s*[:：\-–]\s*|theo\s*:?\s+(?=\S))", re.IGNORECASE
)
_TRAILING_PAREN_RE = re.compile(r"\s*\(([^()]*)\)\s*$")
_TRAILING_NOTE_RE = re.compile(
    r"\s+(?:tổng\s+hợp|sưu\s+tầm|lược\s+dịch|biên\s+dịch|t/h)$", re.IGNORECASE
)
# Separators between credits. A hyphen only with a space beside it, so that
# "PT-TH" or "PV-CTV" stay whole; en and em dashes always separate.
_SEP_RE = re.compile(r"\s*[–—]\s*|\s+-\s*|\s*-\s+|\s*[,;]\s*|\s*/\s*|\s+(?:và|&)\s+")
_ROLE_PREFIX_RE = re.compile(
    r"^(?:PV|CTV|BTV|[Pp]hóng\s+viên|[Cc]ộng\s+tác\s+viên|[Nn]hà\s+báo)\s+(?=\S)"
)
# Degrees and ranks printed before a name ("ThS. Nguyễn Văn An", "BS.CKII Lê Nam",
# "Đại úy Trần Dũng"): the person is the name after them.
_HONORIFIC_RE = re.compile(
    r"^(?:(?:PGS|GS|TS|ThS|Ths|BS|BSCK|CKI{1,2}|BSCKI{1,2}|KS|LS|DS|NCS)[.\s]\s*)+"
    r"(?=[A-ZĐÀ-Ỹ])|^(?:[Đđ]ại|[Tt]hượng|[Tt]rung|[Tt]hiếu)\s+(?:úy|uý|tá|tướng)\s+(?=\S)"
    r"|^(?:[Ll]uật\s+sư|[Bb]ác\s+sĩ|[Tt]iến\s+sĩ|[Tt]hạc\s+sĩ|[Kk]ỹ\s+sư)\s+(?=[A-ZĐÀ-Ỹ])"
)
_DOMAIN_RE = re.compile(
    r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|gov|info|edu)"
    r"(?:\.vn)?(?:/\S*)?$",
    re.IGNORECASE,
)
_BAD_PUNCT_RE = re.compile(r"[!?\"“”:;…]")
_DOC_OR_DATE_RE = re.compile(r"\d\s*[/:]|\d{4}")
_DIGIT_RE = re.compile(r"\d")
# A Vietnamese syllable with its marks removed, upper case: onset, vowel nucleus, coda.
# All-caps acronyms (UBND, BTĐKT, TTXVN, PV) fail it; all-caps names (NGUYỆT) pass.
_SYLLABLE_RE = re.compile(
    r"(?:NGH|NG|NH|CH|GH|GI|KH|PH|QU|TH|TR|[BCDGHKLMNPRSTVX])?[AEIOUY]{1,3}"
    r"(?:NG|NH|CH|[CMNPT])?"
)


# Abbreviations of places that look like initials before a name ("TP.Huế", "Q.1").
_PLACE_ABBREVIATIONS = frozenset({"TP", "TX", "TT", "Q", "P", "H", "X"})
# (A leading vowel too: the Ê Đê "Ênuôl", "Adrơng".)
_ETHNIC_WORD_RE = re.compile(
    r"[AEIOUY]?[BCDGHKLMNPRSTVXJWZ]{1,3}[AEIOUY]{1,2}[BCDGHKLMNPRSTVXJWZ]{0,2}"
)


def _build_base_table() -> dict[int, str]:
    """Map every accented Latin letter to its base letter (đ→d) for syllable checks."""
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base != chr(cp) and base.isascii():
            table[cp] = base
    return table


_BASE = _build_base_table()


@lru_cache(maxsize=8192)
def _is_syllable(word: str) -> bool:
    """True if ``word`` could be one Vietnamese syllable (ignoring tone and vowel marks)."""
    return _SYLLABLE_RE.fullmatch(word.translate(_BASE).upper()) is not None


@lru_cache(maxsize=8192)
def _name_word(word: str) -> int:
    """Classify one word of a would-be name: 0 = not a name word, 1 = initial, 2 = word."""
    if 2 <= len(word) <= 3 and word[-1] == "." and word[0].isupper():
        rest = word[1:-1]
        if word[:-1].isalpha() and (not rest or rest.islower()):
            return 1
        return 0
    head, dot, tail = word.rpartition(".")
    if dot and head and tail:
        # An initial glued to a name: "K.Nhi", "T.HẰNG", "TH.HẰNG", "N.Hà".
        initials = head.split(".")
        if head.upper() in _PLACE_ABBREVIATIONS:
            return 0  # "TP.Huế", "TX.Quảng Trị": a place, not an initial
        if all(1 <= len(i) <= 2 and i.isalpha() and i.isupper() for i in initials):
            return 2 if _name_word(tail) == 2 else 0
        return 0
    parts = re.split(r"['’]", word)
    if len(parts) > 1:
        # Names of the Central Highlands peoples: "H'Hen", "Y'Bih", "Ksor H’Luân".
        ok = all(p and p.isalpha() and p[0].isupper() for p in parts)
        cased = word.isupper() or all(not p[1:] or p[1:].islower() for p in parts)
        return 2 if ok and cased else 0
    letters = word
    if not letters.isalpha() or not word[0].isupper():
        return 0
    if not (len(letters) == 1 or letters[1:].islower() or letters.isupper()):
        return 0
    if word.lower() in _NOT_NAME_WORDS:
        return 0
    if _is_syllable(word):
        return 2
    # Names of the Central Highlands and northern peoples that are not Vietnamese
    # syllables ("Ksor", "Kpă", "Mlô"): short, one vowel group; a name word only beside
    # a Vietnamese one (see _is_person).
    base = word.translate(_BASE).upper()
    if base[0] in "AEIOUY" and (len(base) < 5 or word.translate(_BASE) == word):
        # "Ama", "Email", "Admin": a vowel-initial name word is a long one with
        # Vietnamese marks ("Ênuôl", "Adrơng").
        return 0
    return 3 if _ETHNIC_WORD_RE.fullmatch(base) else 0


def _is_acronym(word: str) -> bool:
    """An all-caps token of ≥3 letters that is not a syllable: UBND, BTĐKT, TTXVN, BBT."""
    letters = word.rstrip(".")
    return (
        len(letters) >= 3
        and letters.isupper()
        and letters.replace("-", "").isalnum()
        and not _is_syllable(letters)
    )


def _is_person(words: list[str]) -> bool:
    """1–5 name words, at least one of them a Vietnamese syllable (not an initial)."""
    if not 1 <= len(words) <= 5:
        return False
    kinds = [_name_word(w) for w in words]
    return 0 not in kinds and 2 in kinds


def _unit_ok(text: str) -> bool:
    """Reject organisation-looking text that is really a sentence or a document reference."""
    words = text.split()
    if not words or len(words) > _MAX_UNIT_WORDS:
        return False
    if _BAD_PUNCT_RE.search(text) or _DOC_OR_DATE_RE.search(text):
        return False
    return not any(w.lower() in _SENTENCE_WORDS for w in words)


def _starts_unit(words: list[str]) -> bool:
    """Whether a segment begins an organisation name (see the module docstring)."""
    first = words[0].lower()
    if len(words) >= 2:
        pair = f"{first} {words[1].lower()}"
        if pair in _ORG_FALSE_STARTS:
            return False
        if pair in _ORG_2:
            return True
    if first in _ORG_1:
        if first not in _ORG_AMBIGUOUS:
            return True
        # "Đoàn Thanh niên", "Trường THPT …" are units; "Đoàn Văn Hùng" is a person.
        has_lower_or_acronym = any(w.islower() or _is_acronym(w) for w in words[1:])
        return has_lower_or_acronym or not _is_person(words)
    return _is_acronym(words[0].strip("()"))


def _is_role(text: str) -> bool:
    return text.lower() in _ROLES


# Posts that follow a name in a credit line; they are neither a person nor a unit.
_JOB_TITLES = (
    "giám đốc",
    "phó giám đốc",
    "trưởng phòng",
    "phó trưởng phòng",
    "chánh văn phòng",
    "phó chánh văn phòng",
    "chánh thanh tra",
    "phó chánh thanh tra",
    "chuyên viên",
    "chủ tịch",
    "phó chủ tịch",
    "bí thư",
    "phó bí thư",
    "trưởng ban",
    "phó trưởng ban",
    "chi cục trưởng",
    "phó chi cục trưởng",
    "thanh tra viên",
    "cán bộ",
    "công chức",
)
_INITIALS_RE = re.compile(r"^(?:[A-ZĐ]\.\s?){1,3}[A-ZĐ]\.?$")


_INITIAL_THEN_NAME = re.compile(r"^((?:[^\W\d_]\.\s?){1,2})([^\W\d_][^\d.]*)$")


def _initial_and_name(segment: str) -> bool:
    """An initial or two before a given name ("Q.Anh", "N. Tuấn", "T.T.Hà"), the way
    reporters shorten their names: capitals for the initials and each word after."""
    match = _INITIAL_THEN_NAME.match(segment.strip())
    if match is None:
        return False
    initials = [c for c in match.group(1) if c.isalpha()]
    words = match.group(2).split()
    return (
        all(c.isupper() for c in initials)
        and 1 <= len(words) <= 2
        and all(w[0].isupper() for w in words)
    )


def _parse_body(text: str) -> tuple[list[str], str | None, bool] | None:
    """Split a label-free credit into people and a unit.

    Returns ``(authors, unit, saw_role)``, or ``None`` when a part is neither a
    person, a unit, a role nor a note — then the text is not a credit line.
    """
    units_in_parens: list[str] = []
    saw_role = False
    # Trailing "(…)": a unit ("Minh Anh (Văn phòng Sở)"), or a note ("(tổng hợp)").
    for _ in range(2):
        m = _TRAILING_PAREN_RE.search(text)
        if not m or m.start() == 0:
            break
        inner = m.group(1).strip()
        text = text[: m.start()]
        inner = _SOURCE_LABEL_RE.sub("", inner, count=1).strip()
        low = inner.lower()
        if not inner:
            continue
        if low in _NOTES or low.startswith(("tổng hợp", "theo ", "nguồn")):
            continue
        if _is_role(inner):
            saw_role = True
            continue
        if inner[0].islower() and not _DOMAIN_RE.match(inner):
            continue  # a lowercase remark
        if _DIGIT_RE.search(inner) or not _unit_ok(inner):
            return None
        units_in_parens.insert(0, inner)
    text = _TRAILING_NOTE_RE.sub("", text).strip()

    authors: list[str] = []
    unit: str | None = None
    pos = 0
    spans: list[tuple[int, int]] = []
    for m in _SEP_RE.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    for start, end in spans:
        segment = text[start:end].strip()
        if not segment:
            continue
        if _is_role(segment) or segment.lower() in _NOTES:
            saw_role = True
            continue
        if authors and segment.lower().startswith(_JOB_TITLES):
            continue  # "Lê Thanh Hải, Phó Giám đốc Sở": the person's post, not a unit
        if _INITIALS_RE.match(segment) or _initial_and_name(segment):
            authors.append(segment)  # "Đ.T", "T.H.", "Q.Anh", "N. Tuấn"
            continue
        segment = _HONORIFIC_RE.sub("", _ROLE_PREFIX_RE.sub("", segment))
        words = segment.split()
        if _starts_unit(words):
            unit = text[start:].strip()
            if not _unit_ok(unit):
                return None
            break
        if _is_person(words):
            authors.append(segment)
            continue
        return None

    if units_in_parens:
        paren = " ".join(f"({u})" for u in units_in_parens)
        unit = f"{unit} {paren}" if unit else " ".join(units_in_parens)
    if not authors and unit is None and not saw_role:
        return None
    return authors, unit, saw_role


def _source_name(text: str) -> str | None:
    """A publication named after "Theo"/"Nguồn:": a domain or a short capitalised name."""
    if _DOMAIN_RE.match(text):
        return text
    words = text.split()
    if not 1 <= len(words) <= 6 or not words[0][0].isupper():
        return None
    if "," in text or not _unit_ok(text):
        return None
    return text


def _ends_like_sentence(text: str) -> bool:
    """A period after several words with lowercase among them closes a sentence.

    Credits rarely end with a period, and when they do they are a name ("Minh Anh.")
    or a short unit, so "Sở Nội vụ trân trọng thông báo." is body text.
    """
    if not text.endswith(".") or text.endswith("/."):
        return False
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    return len(words) > 5 and any(w.islower() for w in words)


def parse_byline(line: str) -> Byline | None:
    """Split one credit line into people and unit; ``None`` if it is not a credit line.

    See the module docstring for the rules. Decisions worth knowing:

    * ``PV``/``CTV``/``Nhóm PV`` alone give ``Byline(raw, [], None)``: a credit, but
      it names a job, not a person.
    * After ``Nguồn:``/``Theo`` the text names a publication: when it parses as
      people only (``Theo Thanh Niên``), the whole text becomes the unit.
    """
    if not line:
        return None
    raw = unicodedata.normalize("NFC", line).strip()
    if not raw or len(raw) > _MAX_LEN:
        return None
    text = _SPACES_RE.sub(" ", raw)
    if _ends_like_sentence(text):
        return None
    text = _LEADING_JUNK_RE.sub("", text)
    text = _TRAILING_JUNK_RE.sub("", text)
    if text.endswith(")") and text.startswith("(") and text.count("(") == 1:
        text = text[1:-1].strip()
    if not text or len(text.split()) > _MAX_WORDS:
        return None
    if (
        LINK_LABELS.match(text)
        or text.lower() in PAGE_PHRASES
        or all(w.lower() in PAGE_WORDS for w in text.split())
    ):
        # A page tool's label ("In", "Chia sẻ": "In" reads as a syllable), a pager's
        # "Trước Tiếp", a field label ("Thẻ"): words of the page, not a person.
        return None

    m = _SOURCE_LABEL_RE.match(text)
    if m:
        rest = text[m.end() :].strip()
        if not rest:
            return None
        parsed = _parse_body(rest)
        if parsed is not None and parsed[1] is not None:
            return Byline(raw, parsed[0], parsed[1])
        unit = _source_name(rest)
        return Byline(raw, [], unit) if unit else None

    m = _AUTHOR_LABEL_RE.match(text)
    if m:
        text = text[m.end() :]
    text = _INNER_LABEL_RE.sub(", ", text).strip()
    if not text:
        return None
    parsed = _parse_body(text)
    if parsed is None:
        return None
    return Byline(raw, parsed[0], parsed[1])


def trailing_author_label(text: str | None) -> str | None:
    """A credit label that ends a text ("… / Tác giả:"), its name in the element after
    it ("Tác giả: <a href=…/author/37>T.HẰNG</a>"); the label, or None."""
    match = _LABEL_AT_END_RE.search(text or "")
    return match.group(1) if match else None


def _candidates(paragraph: str) -> list[str]:
    """Pieces of one paragraph that may be the credit, most specific first."""
    out: list[str] = []
    closing = None
    for found in _CLOSING_MARK_RE.finditer(paragraph):
        closing = found
    if closing is not None:
        tail = paragraph[closing.end() :].strip()
        if tail:
            out.append(tail)
        else:
            return out  # the paragraph ends the body text with "./."
    if len(paragraph) <= _MAX_LEN:
        out.append(paragraph)
    if "\n" in paragraph:
        last = paragraph.rstrip().rsplit("\n", 1)[-1].strip()
        if last and last not in out:
            out.append(last)
    m = _TRAILING_PAREN_RE.search(paragraph)
    if m and m.start() > 0 and _SOURCE_LABEL_RE.match(m.group(1).strip()):
        out.append(paragraph[m.start() :].strip())
    return out


def find_byline(paragraphs: list[str]) -> tuple[Byline, int] | None:
    """Find the credit line among the last three non-empty body paragraphs.

    Returns the byline and the index of the paragraph it came from, or ``None``.
    When ``byline.raw`` equals the stripped paragraph, the caller drops the
    paragraph; otherwise the credit was the tail of that paragraph (after a closing
    ``./.``, on its last line, or a trailing ``(Theo …)``) and the caller cuts
    ``byline.raw`` from its end. Only the end of the body is searched, because credits
    come last and a short title-case line in the middle is far more likely a heading.
    """
    seen = 0
    for index in range(len(paragraphs) - 1, -1, -1):
        paragraph = unicodedata.normalize("NFC", paragraphs[index] or "").strip()
        if not paragraph:
            continue
        seen += 1
        for candidate in _candidates(paragraph):
            byline = parse_byline(candidate)
            if byline is not None:
                return byline, index
        if seen >= 3:
            break
    return None
