"""Vietnamese dates as portals print them, read without guessing.

Why this module exists rather than a call to dateparser or dateutil:

- **Day before month, always.** ``02/10/2019`` is 2 October. dateutil-based extractors
  read it as February, and turn ``GMT+7`` into UTC−07:00 (POSIX sign convention).
  Here ``GMT+7``, ``(GMT +7)``, ``UTC+7``, ``GMT+07:00`` and ``+07:00`` all mean +07:00.
- **Labels and weekdays.** dateparser returns nothing for ``Ngày đăng: …``,
  ``Cập nhật lúc …`` or ``Hà Nội, ngày …`` and misreads ``Thứ Năm`` before a number.
  Compiled patterns cut the date out of whatever surrounds it instead.
- **Speed.** A pattern costs a few microseconds; dateparser costs 1–2 ms a call. Patterns
  run first; dateparser (imported lazily) is only a guarded fallback in ``parse_date``
  for the rare wording the patterns do not know (``2 tháng Mười, 2019``).
- **No invented precision.** A date without a time stays a date (``"2019-10-02"``), never
  midnight; an impossible date (31/02, month 13) is ``None``, never a neighbouring day.

All text is normalised to NFC first: decomposed input would otherwise miss every
Vietnamese word in the patterns. ``ParsedDate.raw`` is a substring of that NFC text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

__all__ = ["ParsedDate", "VN_TZ", "find_dates", "parse_date"]

#: Vietnam has used UTC+7 without daylight saving since 1975; it is the default offset.
VN_TZ = timezone(timedelta(hours=7), "ICT")

# Historic documents are archived too ("ngày 2 tháng 9 năm 1945"); choosing an article's
# own date among a page's dates is stricter about old years (scraper.parsing.article).
MIN_YEAR = 1800
MAX_YEAR = 2100

# Strings longer than this are not date lines; dateparser on them is slow and unreliable.
_FALLBACK_MAX_LEN = 80


@dataclass(frozen=True)
class ParsedDate:
    """A date, or a date with a time, read from text.

    ``value`` is ISO 8601: ``"2019-10-02T15:42:26+07:00"`` when the text has a time
    (seconds always printed; offset +07:00 unless the text gives another one), or
    ``"2019-10-02"`` when it has only a date. ``raw`` is the stripped substring the
    value was read from, kept so a page can be re-parsed or audited later.
    """

    value: str
    has_time: bool
    raw: str


# --------------------------------------------------------------------------- patterns
#
# Built from small pieces so the date, time and timezone grammars are written once and
# reused before and after each other. Every pattern is compiled with IGNORECASE so that
# Thứ/THỨ/thứ and SA/sa all match; Python's re folds Vietnamese letters correctly.

_FLAGS = re.IGNORECASE | re.VERBOSE

# What may stand between a date and its time: spaces, "|", "-", ",", brackets, bullets.
# Newlines are allowed (markup often becomes a line break) but the run is bounded so a
# time two lines away is not attached to the wrong date.
_SEP = r"[\s|,;()\[\]\-–—•·]"

# Day-month-year digits. The look-behinds stop a match inside a longer number such as
# a phone number "028.38.22.12.34"; the look-aheads stop one that runs on into more
# digits, or into a document number "…/2019/QĐ-UBND". Two-digit years only with "/" or
# "-": "1.2.10" is far more often a version or a section than a date. Only the
# four-digit-year form may space its separators ("24 - 9 - 2019"). A time glued on
# with a hyphen ("15:42-02/10/2019") is the one digit-and-hyphen prefix allowed.
_DATE_PATTERN = r"""
(?=\d)(?:(?<!\d)(?<!\d[./-])|(?<=:\d\d-))
(?:
    (?P<iy>\d{4})(?P<isep>[-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})
        (?!\d|[/.-]\d)
  | (?P<d>\d{1,2})\x20?(?P<sep>[/.-])\x20?(?P<m>\d{1,2})\x20?(?P=sep)\x20?(?P<y>\d{4})
        (?!\d|[/.-]\d|/\w)
  | (?P<d2>\d{1,2})(?P<sep2>[/-])(?P<m2>\d{1,2})(?P=sep2)(?P<y2>\d{2})
        (?!\d|[/.-]\d|/\w)
  | (?P<td>\d{1,2})\s*tháng\s*(?P<tm>\d{1,2})
        (?:\s*,\s*|\s+)(?:năm\s*)?(?P<ty>\d{4})(?!\d)
)
"""

# "mồng"/"mùng" (used for days 1–10) is looked for behind a match rather than inside the
# pattern: a pattern that can only start on a digit lets the regex engine skip ahead,
# which makes scanning a whole article ~8× faster.
_MONG_BEFORE = re.compile(r"(?:mồng|mùng)\s*\Z", re.IGNORECASE)

# Clock times. Three spellings: 15:42[:26[.123]], 15h30 / 15h / 15g30, and
# "15 giờ 30 phút". Any of them may carry SA/CH, AM/PM or a part of the day. A time
# followed by "trước" is a duration ("2 giờ trước"), not a clock time. The marker must
# be on the same line: "9:00" ending one line and "Chiều qua…" starting the next is not 21:00.
_TIME_PATTERN = r"""
(?=\d)(?<![\d:])
(?:
    (?P<h1>\d{1,2}):(?P<n1>\d{1,2})(?::(?P<s1>\d{2})(?:\.\d{1,6})?)?(?!\d|:\d)
  | (?P<h2>\d{1,2})\s?[hg](?:\s?(?P<n2>\d{2})(?!\d|[/.-]\d)['’]?)?(?![^\W\d_])
  | (?P<h3>\d{1,2})\s*giờ
        (?:\s*(?P<n3>\d{1,2})(?!\d|[/.-]\d)(?:\s*phút)?
            (?:\s*(?P<s3>\d{1,2})\s*giây)?)?
)
(?:[^\S\n]*
    (?P<mer>sa|ch|am|pm|a\.m\.|p\.m\.|sáng|chiều|tối|trưa|đêm|khuya)(?![^\W\d_])
)?
(?!\s*trước)
"""

# Timezone tokens. Only GMT/UTC/ICT with an optional signed offset, or an ISO offset
# glued to the time. The ISO offset needs its minutes so "15:42-02/10" is not -02:00.
_TZ_NAMED_PATTERN = r"""
(?:\(\s*)?(?<![^\W\d_])(?:GMT|UTC|ICT)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?(?:\s*\))?
"""
_TZ_PATTERN = rf"""
(?:
    {_TZ_NAMED_PATTERN}
  | (?<![^\W\d_])Z(?![^\W\d_])
  | [+-]\d{{2}}:?\d{{2}}(?!\d)
)
"""

_CONN_AFTER = rf"(?:T|{_SEP}{{0,8}}(?:(?:vào\s+)?lúc{_SEP}{{0,4}})?)"
# A time printed before its date may have the weekday between them ("05:22, Thứ Sáu,
# 21/04/2017") or "ngày" ("11 giờ 30 phút ngày 30-4-1975").
_WEEKDAY_WORD = r"(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật)"
_CONN_BEFORE = rf"{_SEP}{{0,8}}(?:{_WEEKDAY_WORD}{_SEP}{{0,4}})?(?:ngày{_SEP}{{0,4}})?"

_DATE = re.compile(_DATE_PATTERN, _FLAGS)
_TIME = re.compile(_TIME_PATTERN, _FLAGS)
_TIME_AFTER = re.compile(
    rf"{_CONN_AFTER}(?P<time>{_TIME_PATTERN})(?:{_SEP}{{0,3}}(?P<tz>{_TZ_PATTERN}))?", _FLAGS
)
_TIME_BEFORE = re.compile(
    rf"(?P<time>{_TIME_PATTERN})(?:{_SEP}{{0,3}}(?P<tz>{_TZ_PATTERN}))?{_CONN_BEFORE}\Z", _FLAGS
)
_TZ_AFTER = re.compile(rf"{_SEP}{{0,3}}(?P<tz>{_TZ_PATTERN})", _FLAGS)
_TZ_BEFORE = re.compile(rf"(?P<tz>{_TZ_PATTERN}){_SEP}{{0,3}}\Z", _FLAGS)
_TZ_NAMED = re.compile(_TZ_NAMED_PATTERN, _FLAGS)
_TZ_OFFSET = re.compile(r"([+-])\s*(\d{1,2})(?::?(\d{2}))?")

# Relative forms that name a precise moment or day. Vague ones ("tuần trước" = last
# week, "năm ngoái" = last year) are deliberately absent: they are not dates.
_RELATIVE = re.compile(
    r"""
    (?<![\w])
    (?:
        (?P<n>\d{1,3}|một)\s*(?P<unit>giây|phút|giờ|tiếng|ngày|tuần|tháng|năm)
            \s+(?P<dir>trước|sau|nữa|tới)
      | sau\s+(?P<n2>\d{1,3}|một)\s*(?P<unit2>giây|phút|giờ|tiếng|ngày|tuần|tháng|năm)
            (?:\s+nữa)?
      | hôm\s+(?P<day>nay|qua|kia)
      | ngày\s+(?P<ahead>mai|kia)
    )
    (?![^\W\d_])
    """,
    _FLAGS,
)
# A weekday standing alone ("Thứ Sáu", "Chủ nhật 08:30"): the latest such day up to now.
_WEEKDAY_ONLY = re.compile(
    rf"^\W*(?P<weekday>{_WEEKDAY_WORD})(?![^\W\d_])[^\d]*(?:\d{{1,2}}[:hg]\d{{0,2}}.*)?$",
    re.IGNORECASE,
)
_WEEKDAY_INDEX = {
    "hai": 0, "2": 0, "ba": 1, "3": 1, "tư": 2, "4": 2, "năm": 3, "5": 3, "sáu": 4, "6": 4,
    "bảy": 5, "7": 5,
}  # fmt: skip

# How far before a date to look for its time or timezone.
_BEFORE_WINDOW = 40

# For the dateparser fallback only: words that confuse it and carry no date.
_WEEKDAY = re.compile(
    r"(?<![\w])(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn|t[2-7])(?![\w])\s*[,|\-–]?",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"(?:ngày\s+(?:đăng|xuất\s+bản|ban\s+hành|cập\s+nhật)|đăng\s+ngày|đăng\s+lúc|cập\s+nhật"
    r"(?:\s+lúc)?|ban\s+hành|xuất\s+bản|lúc)\s*:?",
    re.IGNORECASE,
)
_DIGIT_RUN = re.compile(r"\d+")
# dateparser can read month names written as words; let those through the guard.
_MONTH_WORD = re.compile(
    r"tháng\s+(?:một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười|giêng|chạp)", re.IGNORECASE
)
# A month word with the day that may come before it ("08 Tháng Mười").
_DAY_MONTH_WORD = re.compile(r"(?:\b\d{1,2}\s+)?" + _MONTH_WORD.pattern, re.IGNORECASE)


# --------------------------------------------------------------------------- helpers


def _nfc(text: str) -> str:
    """NFC form; the check is cheap and skips the copy for already-composed text."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _as_vn(now: datetime | None) -> datetime:
    """``now`` in Vietnam time; a naive ``now`` is taken to be Vietnam time already."""
    if now is None:
        return datetime.now(VN_TZ)
    if now.tzinfo is None or now.utcoffset() is None:
        return now.replace(tzinfo=VN_TZ)
    return now.astimezone(VN_TZ)


def _full_year(text: str) -> int:
    """A printed year; two digits pivot at 90 (``19`` → 2019, ``95`` → 1995)."""
    year = int(text)
    if len(text) == 2:
        year += 1900 if year >= 90 else 2000
    return year


def _make_date(year: int, month: int, day: int) -> date | None:
    """A real calendar day in the accepted years, or None (31/02, month 13, 1890…)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_first(month: int, day: int) -> tuple[int, int]:
    """(month, day) as printed day first; month first only when the "month" cannot be
    one and the "day" can ("2/27/2018", from an English-locale template)."""
    if month > 12 and day <= 12:
        return day, month
    return month, day


def _date_of(m: re.Match[str]) -> date | None:
    g = m.group
    if g("iy"):
        return _make_date(int(g("iy")), int(g("im")), int(g("id")))
    if g("y"):
        return _make_date(int(g("y")), *_day_first(int(g("m")), int(g("d"))))
    if g("y2"):
        return _make_date(_full_year(g("y2")), *_day_first(int(g("m2")), int(g("d2"))))
    return _make_date(int(g("ty")), int(g("tm")), int(g("td")))


def _apply_meridiem(hour: int, mer: str) -> int:
    """24-hour value of ``hour`` read with SA/CH, AM/PM or a part of the day.

    A 24-hour value (13+) already says what it means, so the marker is then ignored
    rather than used to reject or shift it.
    """
    mer = mer.lower()
    if hour > 12:
        return hour
    if mer in ("sa", "am", "a.m."):
        return 0 if hour == 12 else hour
    if mer in ("ch", "pm", "p.m."):
        return hour if hour == 12 else hour + 12
    if mer == "trưa":  # around noon: 11, 12 stay; 1 giờ trưa is 13:00
        return hour + 12 if 1 <= hour <= 5 else hour
    if mer in ("chiều", "tối"):
        return hour + 12 if 1 <= hour <= 11 else hour
    if mer in ("đêm", "khuya"):  # 11 giờ đêm is 23:00, 2 giờ đêm is 02:00
        if hour == 12:
            return 0
        return hour + 12 if 6 <= hour <= 11 else hour
    return hour  # sáng: morning, as printed


def _time_of(m: re.Match[str]) -> tuple[int, int, int] | None:
    """(hour, minute, second) from a match of the time grammar, or None if impossible."""
    g = m.group
    if g("h1") is not None:
        hour, minute, second = int(g("h1")), int(g("n1")), int(g("s1") or 0)
    elif g("h2") is not None:
        hour, minute, second = int(g("h2")), int(g("n2") or 0), 0
    else:
        hour, minute, second = int(g("h3")), int(g("n3") or 0), int(g("s3") or 0)
    if g("mer"):
        hour = _apply_meridiem(hour, g("mer"))
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _tz_minutes(token: str) -> int | None:
    """Offset in minutes east of UTC for a timezone token; None if out of range.

    "GMT+7" means seven hours *ahead* of Greenwich, the way every Vietnamese site means
    it (dateutil's POSIX reading flips the sign).
    """
    m = _TZ_OFFSET.search(token)
    if m is None:
        return 420 if "ict" in token.lower() else 0  # bare GMT/UTC/Z
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    total = hours * 60 + minutes
    return -total if m.group(1) == "-" else total


def _format(day: date, clock: tuple[int, int, int] | None, offset: int | None) -> str:
    """ISO 8601; a moment printed in another zone (UTC, "Z", "+00:00") is given in Vietnam
    time, +07:00, like every other moment of the archive."""
    if clock is None:
        return day.isoformat()
    h, mi, s = clock
    if offset is not None and offset != 420:
        moment = datetime(
            day.year, day.month, day.day, h, mi, s, tzinfo=timezone(timedelta(minutes=offset))
        )
        local = moment.astimezone(VN_TZ)
        day, (h, mi, s) = local.date(), (local.hour, local.minute, local.second)
    return f"{day.isoformat()}T{h:02d}:{mi:02d}:{s:02d}+07:00"


def _attach_time(
    text: str, start: int, end: int, lo: int
) -> tuple[tuple[int, int, int] | None, int | None, int, int]:
    """Find the time (and timezone) printed right after or right before ``text[start:end]``.

    Portals print both orders ("02/10/2019 | 15:42:26 GMT+7", "15:42 02/10/2019") and put
    the timezone before, between or after. ``lo`` is where the previous date ended, so a
    time that belongs to it is not borrowed. Returns (clock, offset, start, end) with the
    span widened over whatever was used.
    """
    clock: tuple[int, int, int] | None = None
    tz_token: str | None = None
    m = _TIME_AFTER.match(text, end)
    if m is not None:
        clock = _time_of(m)
        if clock is not None:
            tz_token = m.group("tz")
            end = m.end()
    if clock is None:
        m = _TIME_BEFORE.search(text, max(lo, start - _BEFORE_WINDOW), start)
        if m is not None:
            clock = _time_of(m)
            if clock is not None:
                tz_token = m.group("tz")
                start = m.start()
    if clock is None:
        return None, None, start, end
    if tz_token is None:
        m = _TZ_AFTER.match(text, end)
        if m is not None:
            tz_token, end = m.group("tz"), m.end()
        else:
            m = _TZ_BEFORE.search(text, max(lo, start - _BEFORE_WINDOW), start)
            if m is not None:
                tz_token, start = m.group("tz"), m.start()
    offset = _tz_minutes(tz_token) if tz_token else None
    return clock, offset, start, end


def _scan(text: str, first_only: bool) -> tuple[list[ParsedDate], bool]:
    """Pattern dates in ``text`` (already NFC), and whether any date-shaped text was seen.

    The flag lets ``parse_date`` refuse "31/02/2019" outright instead of handing it to
    dateparser, which might find some other reading of it.
    """
    found: list[ParsedDate] = []
    seen = False
    lo = 0
    for m in _DATE.finditer(text):
        seen = True
        day = _date_of(m)
        if day is None:
            continue
        start = m.start()
        mong = _MONG_BEFORE.search(text, max(lo, start - 6), start)
        if mong is not None:
            start = mong.start()
        clock, offset, start, end = _attach_time(text, start, m.end(), lo)
        lo = end
        found.append(
            ParsedDate(_format(day, clock, offset), clock is not None, text[start:end].strip())
        )
        if first_only:
            break
    return found, seen


def _shift_months(day: date, months: int) -> date:
    """``day`` moved back ``months`` calendar months (forward when negative), clamped to
    the month's last day."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _relative(text: str, now: datetime | None) -> ParsedDate | None:
    """Relative forms ("2 giờ trước", "hôm qua" …) computed against ``now`` in Vietnam time.

    Hours, minutes and seconds give a moment; days and longer give only a date, because
    "3 ngày trước" says nothing about the hour. "hôm qua 15:30" gives a moment.
    """
    compound = _relative_compound(text, now)
    if compound is not None:
        return compound
    m = _RELATIVE.search(text)
    if m is None:
        return _weekday(text, now)
    base = _as_vn(now).replace(microsecond=0)
    start, end = m.start(), m.end()
    if m.group("day") or m.group("ahead"):
        if m.group("day"):
            shift = -{"nay": 0, "qua": 1, "kia": 2}[m.group("day").lower()]
        else:  # ngày mai: tomorrow; ngày kia: the day after
            shift = {"mai": 1, "kia": 2}[m.group("ahead").lower()]
        day = base.date() + timedelta(days=shift)
        clock, offset, start, end = _attach_time(text, start, end, 0)
        return ParsedDate(_format(day, clock, offset), clock is not None, text[start:end].strip())
    count = m.group("n") or m.group("n2")
    n = 1 if count.lower() == "một" else int(count)
    unit = (m.group("unit") or m.group("unit2")).lower()
    # "3 tuần sau", "sau 22 giờ nữa", "2 ngày tới": forward; "2 giờ trước": back.
    sign = -1 if (m.group("dir") or "").lower() == "trước" else 1
    raw = text[start:end].strip()
    if unit in ("giây", "phút", "giờ", "tiếng"):
        seconds = n * {"giây": 1, "phút": 60, "giờ": 3600, "tiếng": 3600}[unit]
        moment = base + sign * timedelta(seconds=seconds)
        return ParsedDate(moment.isoformat(), True, raw)
    today = base.date()
    if unit == "ngày":
        day = today + sign * timedelta(days=n)
    elif unit == "tuần":
        day = today + sign * timedelta(weeks=n)
    elif unit == "tháng":
        day = _shift_months(today, -sign * n)
    else:
        day = _shift_months(today, -sign * 12 * n)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return None
    return ParsedDate(day.isoformat(), False, raw)


_UNIT_SECONDS = {"tuần": 604800, "ngày": 86400, "giờ": 3600, "tiếng": 3600, "phút": 60, "giây": 1}
_COMPOUND_RELATIVE = re.compile(
    r"(?<!\w)(?:(\d+)\s*(tuần|ngày|giờ|tiếng|phút|giây)\s+){2,3}?(?:trước|nữa)(?!\w)",
    re.IGNORECASE,
)
_AMOUNT = re.compile(r"(\d+)\s*(tuần|ngày|giờ|tiếng|phút|giây)", re.IGNORECASE)


def _relative_compound(text: str, now: datetime | None) -> ParsedDate | None:
    """ "2 ngày 4 giờ trước", "1 giờ 20 phút trước" (Drupal, forums): every amount
    counts; a moment when the smallest is under a day, a date otherwise."""
    m = _COMPOUND_RELATIVE.search(text)
    if m is None:
        return None
    amounts = [(int(n), unit.lower()) for n, unit in _AMOUNT.findall(m.group(0))]
    if len(amounts) < 2:
        return None
    seconds = sum(n * _UNIT_SECONDS[unit] for n, unit in amounts)
    sign = -1 if m.group(0).lower().rstrip().endswith("trước") else 1
    try:
        moment = _as_vn(now).replace(microsecond=0) + sign * timedelta(seconds=seconds)
    except OverflowError:  # "3000000 tuần trước": no date a page can mean
        return None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    if min(_UNIT_SECONDS[unit] for _, unit in amounts) >= 86400:
        return ParsedDate(moment.date().isoformat(), False, m.group(0))
    return ParsedDate(moment.isoformat(), True, m.group(0))


def _weekday(text: str, now: datetime | None) -> ParsedDate | None:
    """A weekday name alone, read as the latest such day up to ``now`` (a news page's
    "Thứ Sáu" is this week's Friday, or last week's if today is Thursday)."""
    m = _WEEKDAY_ONLY.match(text)
    if m is None:
        return None
    word = m.group("weekday").lower()
    index = (
        6 if word.startswith("chủ") else _WEEKDAY_INDEX.get(word.split()[-1].replace("thứ", ""), -1)
    )
    if index < 0:
        return None
    base = _as_vn(now).replace(microsecond=0)
    day = base.date() - timedelta(days=(base.weekday() - index) % 7)
    clock, offset, start, end = _attach_time(text, m.start("weekday"), m.end("weekday"), 0)
    return ParsedDate(_format(day, clock, offset), clock is not None, text[start:end].strip())


def _fallback(text: str, now: datetime | None) -> ParsedDate | None:
    """dateparser, for wording the patterns do not know (month names as words).

    Guarded because it costs 1–2 ms and guesses: long strings are not date lines, and a
    string without three numbers (or two and a month word) cannot hold the day, month
    and year we require, so "năm 2020" or a visit counter never pays for the call.
    Relative words are not let through: the exact ones are read by ``_relative`` and the
    vague ones ("tuần trước") would only get an invented day from dateparser.
    Nor is it asked about digits alone: there the patterns are authoritative, and
    dateparser would read "1.2.10" (a version, a section) as 1 February 2010.
    Weekdays, labels and timezones are removed first (it misreads "Thứ Năm 9-10-2025",
    gives up on "Ngày đăng: …", and would flip GMT+7). The time comes from our own
    pattern, so a result has a time only when the text prints one in digits.
    """
    if len(text) > _FALLBACK_MAX_LEN:
        return None
    # With REQUIRE_PARTS day+month+year it needs three numbers, or two and a month word.
    numbers = len(_DIGIT_RUN.findall(text))
    if numbers < 2 or (numbers == 2 and _MONTH_WORD.search(text) is None):
        return None
    dated = text
    if (month := _DAY_MONTH_WORD.search(text)) is not None:
        # "Trung tâm Truyền thông đăng lúc Tháng Mười 08, 2024": who posted it is no
        # part of the date (dateparser gives up on the whole line).
        dated = text[month.start() :]
    cleaned = _TZ_NAMED.sub(" ", _LABEL.sub(" ", _WEEKDAY.sub(" ", dated)))
    cleaned = re.sub(r"[|\[\]]", " ", cleaned).strip(" ,-–")
    if not any(c.isalpha() for c in cleaned):
        return None
    import dateparser  # lazy: importing it costs far more than all the patterns

    base = _as_vn(now)
    settings: dict[str, Any] = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RELATIVE_BASE": base.replace(tzinfo=None),
    }
    try:
        result = dateparser.parse(cleaned, languages=["vi"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; no date then
        return None
    if result is None:
        return None
    day = _make_date(result.year, result.month, result.day)
    if day is None:
        return None
    clock = None
    offset = None
    tm = _TIME.search(text)
    if tm is not None:
        clock = _time_of(tm)
        tz = _TZ_NAMED.search(text)
        offset = _tz_minutes(tz.group()) if tz else None
    return ParsedDate(_format(day, clock, offset), clock is not None, text)


_JUST_NOW = re.compile(r"^\W*(vừa xong|vừa mới đăng|vừa đăng|just now)\W*$", re.IGNORECASE)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# The abbreviations of the Vietnamese locale ("26 Th04 2014", "thg 4").
_MONTHS.update({f"th{n:02d}": n for n in range(1, 13)})
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ENGLISH = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_NAME})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?[\s\-/]+(?P<m2>{_MONTH_NAME})\.?,?[\s\-/]+"
    rf"(?P<y2>\d{{4}}))\b",
    re.IGNORECASE,
)
_ENGLISH_TIME = re.compile(
    r"\b(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s*(?P<mer>[ap]\.?m\.?)?", re.IGNORECASE
)
_ENGLISH_TZ = re.compile(r"\b(?:GMT|UTC|Z)\b|[+-]\d{2}:?\d{2}\b")


def _english(text: str) -> ParsedDate | None:
    """Dates printed with English month names ("October 2, 2019", "Wed, 02 Oct 2019
    15:42:26 GMT"), as English-locale templates and RSS/meta tags write them."""
    m = _ENGLISH.search(text)
    if not m:
        return None
    month = _MONTHS[(m.group("m1") or m.group("m2")).lower()]
    day = _make_date(
        int(m.group("y1") or m.group("y2")), month, int(m.group("d1") or m.group("d2"))
    )
    if day is None:
        return None
    clock = None
    offset = None
    t = _ENGLISH_TIME.search(text, m.end()) or _ENGLISH_TIME.search(text)
    if t:
        hour = int(t.group("h"))
        mer = (t.group("mer") or "").lower().replace(".", "")
        if mer == "pm" and hour < 12:
            hour += 12
        elif mer == "am" and hour == 12:
            hour = 0
        if hour < 24 and int(t.group("m")) < 60:
            clock = (hour, int(t.group("m")), int(t.group("s") or 0))
            zone = _ENGLISH_TZ.search(text, t.end())
            if zone:
                offset = (
                    0 if zone.group().upper() in ("GMT", "UTC", "Z") else _tz_minutes(zone.group())
                )
    return ParsedDate(_format(day, clock, offset), clock is not None, m.group().strip())


# --------------------------------------------------------------------------- public API


def parse_date(text: str, now: datetime | None = None) -> ParsedDate | None:
    """Read the first/primary date(+time) in a short string such as a date line.

    Order: printed dates by pattern (the first one wins; a header date above an
    article's date is the caller's concern), then relative forms against ``now``
    (default: the current time in +07:00; a naive ``now`` counts as +07:00), then
    dateparser. None if nothing recognisable, and None without consulting dateparser
    when the only date-shaped text is impossible (31/02/2019, 13/13/2019).
    """
    if not text:
        return None
    text = _nfc(text).strip()
    found, seen = _scan(text, first_only=True)
    if found:
        return found[0]
    if seen:
        return None
    if _JUST_NOW.search(text):
        moment = _as_vn(now).replace(microsecond=0)
        return ParsedDate(moment.isoformat(), True, text)
    rel = _relative(text, now)
    if rel is not None:
        return rel
    english = _english(text)
    if english is not None:
        return english
    yearless = _yearless(text, now)
    if yearless is not None:
        return yearless
    return _fallback(text, now)


# A date line with no year ("20/10 09:30", "Cập nhật: 09:30 20/10", "Thứ Hai, 20/10"):
# portals print this year's dates so. Only a whole line of it: in running text "9/10"
# is a count ("9/10 tiêu chí") far more often than a date.
_YEARLESS = re.compile(
    r"^(?:(?P<label>[^\d]{0,30}?)[\s:,|-]*)?"
    r"(?:(?P<t1>\d{1,2}[:h]\d{2})\s*[,|-]?\s*)?"
    r"(?P<day>\d{1,2})/(?P<month>\d{1,2})"
    r"(?:\s*[,|-]?\s*(?P<t2>\d{1,2}[:h]\d{2}))?\s*$",
    re.IGNORECASE,
)


def _yearless(text: str, now: datetime | None) -> ParsedDate | None:
    """A day and month of the most recent year in which that day is not after the page
    was fetched (a page fetched in January printing "28/12" means last December)."""
    match = _YEARLESS.match(text)
    if match is None or now is None:
        return None
    label = (match.group("label") or "").strip(" :,|-")
    clock = match.group("t1") or match.group("t2")
    if not (label or clock):
        return None  # "20/10" alone may be a score, a page count, a fraction
    if label and not (
        _LABEL.fullmatch(label + ":") or _LABEL.fullmatch(label) or _WEEKDAY.fullmatch(label)
    ):
        return None
    base = _as_vn(now)
    day, month = int(match.group("day")), int(match.group("month"))
    found = _make_date(base.year, month, day)
    if found is None:
        return None
    if found > base.date() + timedelta(days=1):
        found = _make_date(base.year - 1, month, day)
        if found is None:
            return None
    time_value = None
    if clock:
        hour, minute = (int(x) for x in re.split(r"[:h]", clock.lower()))
        if hour > 23 or minute > 59:
            return None
        time_value = (hour, minute, 0)
    return ParsedDate(_format(found, time_value, None), time_value is not None, text)


def find_dates(text: str, now: datetime | None = None) -> list[ParsedDate]:
    """All dates found in a longer text, in order of appearance (patterns only).

    Each printed date carries the time adjacent to it, before or after. Partial dates
    ("ngày 24/9") and bare years ("năm 2020", "2015-2020") are not dates. Relative words
    are not read here: in running text "3 ngày trước" and "hôm qua" are relative to the
    article's own date, not to the crawl, so reading them against ``now`` would be wrong.
    ``now`` is accepted for symmetry with ``parse_date``.
    """
    if not text:
        return []
    found, _ = _scan(_nfc(text), first_only=False)
    return found
