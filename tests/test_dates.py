"""Vietnamese date lines as portals print them, each with the value a reader would take.

Tables rather than one test per form so that a new portal's format is one more row,
and a failure reads as the exact string that broke.
"""

from __future__ import annotations

import dataclasses
import sys
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest

from scraper.parsing.dates import ParsedDate, find_dates, parse_date

NOW = datetime.fromisoformat("2024-03-28T10:00:00+07:00")

# Forms the compiled patterns must read on their own (checked without dateparser below).
PATTERN_CASES: list[tuple[str, str]] = [
    # The sample article's date line, and weekday / separator variants of it.
    ("Thứ tư, 02/10/2019 | 15:42:26 GMT+7", "2019-10-02T15:42:26+07:00"),
    ("Thứ Tư, 02/10/2019 - 15:42:26 (GMT+7)", "2019-10-02T15:42:26+07:00"),
    ("THỨ TƯ, 02/10/2019 | 15:42:26 GMT+7", "2019-10-02T15:42:26+07:00"),
    ("thứ tư, 02/10/2019, 15:42", "2019-10-02T15:42:00+07:00"),
    ("Thứ 2, 07/10/2019", "2019-10-07"),
    ("Thứ 2 07/10/2019 08:00", "2019-10-07T08:00:00+07:00"),
    ("Thứ Năm 9-10-2025", "2025-10-09"),
    ("Thứ Năm, 9-10-2025 14:05", "2025-10-09T14:05:00+07:00"),
    ("CN, 06/10/2019", "2019-10-06"),
    ("Chủ nhật, 06/10/2019 - 10:20 PM", "2019-10-06T22:20:00+07:00"),
    ("Thứ bảy, [05/10/2019]", "2019-10-05"),
    ("(02/10/2019 15:42)", "2019-10-02T15:42:00+07:00"),
    ("[02/10/2019 | 15:42]", "2019-10-02T15:42:00+07:00"),
    # Labels before the date.
    ("Ngày đăng: 02/10/2019", "2019-10-02"),
    ("Ngày đăng: 02/10/2019 15:42", "2019-10-02T15:42:00+07:00"),
    ("Đăng ngày 02.10.2019 15:42:26", "2019-10-02T15:42:26+07:00"),
    ("Cập nhật lúc 08:05 SA, 05/01/2024", "2024-01-05T08:05:00+07:00"),
    ("Cập nhật: 15:42 | 02/10/2019", "2019-10-02T15:42:00+07:00"),
    ("Ban hành: 24/09/2019", "2019-09-24"),
    ("Ngày xuất bản: 2019-10-02", "2019-10-02"),
    ("Ngày xuất bản: 02/10/2019 lúc 9h15", "2019-10-02T09:15:00+07:00"),
    # Written out: ngày X tháng Y năm Z, mồng/mùng, any case.
    ("Hà Nội, ngày 24 tháng 9 năm 2019", "2019-09-24"),
    ("Bình Dương, ngày 02 tháng 10 năm 2019", "2019-10-02"),
    ("Thứ năm, ngày 28 tháng 3 năm 2024", "2024-03-28"),
    ("THỨ NĂM, NGÀY 28 THÁNG 3 NĂM 2024", "2024-03-28"),
    ("ngày mồng 2 tháng 9 năm 2019", "2019-09-02"),
    ("mùng 5 tháng 1 năm 2020", "2020-01-05"),
    ("9 giờ sáng ngày mồng 2 tháng 9 năm 2019", "2019-09-02T09:00:00+07:00"),
    ("24 tháng 9, 2019", "2019-09-24"),
    ("Hà Nội, ngày 24 tháng 9 năm 2019 lúc 3 giờ chiều", "2019-09-24T15:00:00+07:00"),
    # Times after the date, every spelling.
    ("02/10/2019 15:42:26", "2019-10-02T15:42:26+07:00"),
    ("02/10/2019 15:42", "2019-10-02T15:42:00+07:00"),
    ("02/10/2019 15h30", "2019-10-02T15:30:00+07:00"),
    ("02/10/2019 15h", "2019-10-02T15:00:00+07:00"),
    ("02/10/2019 15 giờ 30 phút", "2019-10-02T15:30:00+07:00"),
    ("02/10/2019 lúc 7 giờ tối", "2019-10-02T19:00:00+07:00"),
    ("02/10/2019 3:15 CH", "2019-10-02T15:15:00+07:00"),
    ("02/10/2019 9:05 AM", "2019-10-02T09:05:00+07:00"),
    ("02/10/2019 12:30 AM", "2019-10-02T00:30:00+07:00"),
    ("02/10/2019 12:30 PM", "2019-10-02T12:30:00+07:00"),
    # Times before the date.
    ("15:42:26 02/10/2019", "2019-10-02T15:42:26+07:00"),
    ("3:15 CH 05/01/2024", "2024-01-05T15:15:00+07:00"),
    ("08:05 SA 05/01/2024", "2024-01-05T08:05:00+07:00"),
    ("15h30 ngày 02/10/2019", "2019-10-02T15:30:00+07:00"),
    ("15h, 02/10/2019", "2019-10-02T15:00:00+07:00"),
    ("15 giờ 30 phút ngày 2/10/2019", "2019-10-02T15:30:00+07:00"),
    ("8 giờ sáng ngày 02/10/2019", "2019-10-02T08:00:00+07:00"),
    ("2 giờ chiều, 02/10/2019", "2019-10-02T14:00:00+07:00"),
    ("1 giờ trưa 02/10/2019", "2019-10-02T13:00:00+07:00"),
    ("12 giờ trưa 02/10/2019", "2019-10-02T12:00:00+07:00"),
    ("8h tối 02/10/2019", "2019-10-02T20:00:00+07:00"),
    ("15:42-02/10/2019", "2019-10-02T15:42:00+07:00"),
    # Timezones: GMT+7 is +07:00, never dateutil's −07:00; other offsets are kept.
    ("(GMT +7) 10:30 12.03.2023", "2023-03-12T10:30:00+07:00"),
    ("02/10/2019 15:42 GMT+07:00", "2019-10-02T15:42:00+07:00"),
    ("02/10/2019 15:42 UTC+7", "2019-10-02T15:42:00+07:00"),
    ("02/10/2019 15:42 (UTC +07:00)", "2019-10-02T15:42:00+07:00"),
    ("15:42 GMT+7 02/10/2019", "2019-10-02T15:42:00+07:00"),
    ("02/10/2019 15:42 +07:00", "2019-10-02T15:42:00+07:00"),
    # Other zones are given in Vietnam time (issue 11).
    ("02/10/2019 08:42 GMT", "2019-10-02T15:42:00+07:00"),
    # Numeric forms: two-digit years, dots, dashes, ISO.
    ("02/10/19", "2019-10-02"),
    ("02-10-19 15:42", "2019-10-02T15:42:00+07:00"),
    ("2/10/95", "1995-10-02"),
    ("02.10.2019", "2019-10-02"),
    ("02-10-2019", "2019-10-02"),
    ("24 - 9 - 2019", "2019-09-24"),
    ("24 / 09 / 2019 15:42", "2019-09-24T15:42:00+07:00"),
    ("2019-10-02", "2019-10-02"),
    ("2019-10-02T15:42:26+07:00", "2019-10-02T15:42:26+07:00"),
    ("2019-10-02T15:42:26.123+07:00", "2019-10-02T15:42:26+07:00"),
    ("2019-10-02T08:42:26Z", "2019-10-02T15:42:26+07:00"),
    ("2019-10-02T20:00:00Z", "2019-10-03T03:00:00+07:00"),
    # Month first only when the day cannot be a month.
    ("02/13/2019", "2019-02-13"),
    ("2/27/2018", "2018-02-27"),
    # A printed 0:0 is midnight, not "no time"; a time before the date, weekday between.
    ("Thứ hai, 01/01/2018 0:0", "2018-01-01T00:00:00+07:00"),
    ("Cập nhật, 05:22, Thứ Sáu, 21/04/2017 (GMT+7)", "2017-04-21T05:22:00+07:00"),
    ("11 giờ 30 phút ngày 30-4-1975", "1975-04-30T11:30:00+07:00"),
    # Dates before 1950.
    ("ngày 2 tháng 9 năm 1945", "1945-09-02"),
    ("12/03/1930", "1930-03-12"),
    ("2019-10-02 15:42", "2019-10-02T15:42:00+07:00"),
    ("2019/10/02 15:42:26", "2019-10-02T15:42:26+07:00"),
    ("29/02/2020", "2020-02-29"),
    # A time that cannot be is left off; the date stays.
    ("02/10/2019 25:00", "2019-10-02"),
    # A duration after a date is not its time.
    ("02/10/2019 (3 giờ trước)", "2019-10-02"),
]

# Relative forms, all against NOW = 2024-03-28T10:00:00+07:00.
RELATIVE_CASES: list[tuple[str, str]] = [
    # Forward as well as back, and weekday names (NOW is Thursday 2024-03-28 10:00).
    ("ngày mai", "2024-03-29"),
    ("ngày kia", "2024-03-30"),
    ("3 tuần sau", "2024-04-18"),
    ("2 ngày tới", "2024-03-30"),
    ("sau 22 giờ nữa", "2024-03-29T08:00:00+07:00"),
    ("2 tháng sau", "2024-05-28"),
    ("Thứ sáu", "2024-03-22"),
    ("Thứ tư", "2024-03-27"),
    ("Thứ năm", "2024-03-28"),
    ("Chủ nhật 08:30", "2024-03-24T08:30:00+07:00"),
    ("2 giờ trước", "2024-03-28T08:00:00+07:00"),
    ("2 tiếng trước", "2024-03-28T08:00:00+07:00"),
    ("30 phút trước", "2024-03-28T09:30:00+07:00"),
    ("45 giây trước", "2024-03-28T09:59:15+07:00"),
    ("một giờ trước", "2024-03-28T09:00:00+07:00"),
    ("Đăng 12 giờ trước", "2024-03-27T22:00:00+07:00"),
    ("hôm nay", "2024-03-28"),
    ("hôm qua", "2024-03-27"),
    ("Hôm kia", "2024-03-26"),
    ("hôm nay lúc 15:30", "2024-03-28T15:30:00+07:00"),
    ("08:15 hôm qua", "2024-03-27T08:15:00+07:00"),
    ("3 ngày trước", "2024-03-25"),
    ("3 tuần trước", "2024-03-07"),
    ("1 tháng trước", "2024-02-28"),
    ("2 năm trước", "2022-03-28"),
]

# Nothing a reader could call one exact date.
NEGATIVE_CASES: list[str] = [
    "",
    "   ",
    "31/02/2019",
    "29/02/2019",
    "13/13/2019",
    "00/10/2019",
    "02/10/1790",
    "Tổng truy cập 2763032",
    "Đang truy cập3",
    "0274.3822.xxx",
    "028.38.22.12.34",
    "1.2.10",
    "năm 2020",
    "2015-2020",
    "giai đoạn 2015-2020",
    "ngày 24/9",
    "tháng 9/2019",
    "15:42",
    "4846/KH-UBND",
    "17/2007/CT-UBND",
    "Quyết định 02/10/2019/QĐ-UBND",
    "tuần trước",
    "năm ngoái",
]


@pytest.mark.parametrize(("text", "expected"), PATTERN_CASES)
def test_parse_date_pattern_forms(text: str, expected: str) -> None:
    result = parse_date(text, now=NOW)
    assert result is not None
    assert result.value == expected
    assert result.has_time == ("T" in expected)


@pytest.mark.parametrize(("text", "expected"), PATTERN_CASES)
def test_pattern_forms_never_reach_dateparser(
    text: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A None entry makes "import dateparser" raise: these forms must cost a pattern only.
    monkeypatch.setitem(sys.modules, "dateparser", None)
    result = parse_date(text, now=NOW)
    assert result is not None and result.value == expected


@pytest.mark.parametrize(("text", "expected"), RELATIVE_CASES)
def test_parse_date_relative(text: str, expected: str) -> None:
    result = parse_date(text, now=NOW)
    assert result is not None
    assert result.value == expected
    assert result.has_time == ("T" in expected)


@pytest.mark.parametrize("text", NEGATIVE_CASES)
def test_parse_date_refuses(text: str) -> None:
    assert parse_date(text, now=NOW) is None


@pytest.mark.parametrize(
    "text",
    [
        "năm 2020",
        "Tổng truy cập 2763032",
        "0274.3822.xxx",
        "1.2.10",
        "ngày 24/9",
        "31/02/2019",
        "tuần trước",
        "15:42",
    ],
)
def test_refusals_do_not_pay_for_dateparser(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The guard must turn these away before the 1 ms call (and before the import).
    monkeypatch.setitem(sys.modules, "dateparser", None)
    assert parse_date(text, now=NOW) is None


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("Thứ tư, 02/10/2019 | 15:42:26 GMT+7", "02/10/2019 | 15:42:26 GMT+7"),
        ("Ngày đăng: 02/10/2019", "02/10/2019"),
        ("Hà Nội, ngày 24 tháng 9 năm 2019", "24 tháng 9 năm 2019"),
        ("ngày mồng 2 tháng 9 năm 2019", "mồng 2 tháng 9 năm 2019"),
        ("Cập nhật lúc 08:05 SA, 05/01/2024", "08:05 SA, 05/01/2024"),
        ("(GMT +7) 10:30 12.03.2023", "(GMT +7) 10:30 12.03.2023"),
        ("  2 giờ trước  ", "2 giờ trước"),
    ],
)
def test_raw_is_the_substring_read(text: str, raw: str) -> None:
    result = parse_date(text, now=NOW)
    assert result is not None
    assert result.raw == raw
    assert raw in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 Tháng Mười, 2019", "2019-10-02"),
        ("Thứ Hai, 2 tháng Mười, 2019 15:00", "2019-10-02T15:00:00+07:00"),
        ("Ngày đăng: 2 tháng mười hai năm 2019", "2019-12-02"),
    ],
)
def test_dateparser_fallback_for_month_words(text: str, expected: str) -> None:
    result = parse_date(text, now=NOW)
    assert result is not None
    assert result.value == expected
    assert result.raw == text


def test_nfd_input_is_read_like_nfc() -> None:
    text = unicodedata.normalize("NFD", "Hà Nội, ngày 24 tháng 9 năm 2019 lúc 3 giờ chiều")
    result = parse_date(text)
    assert result == ParsedDate(
        "2019-09-24T15:00:00+07:00", True, "24 tháng 9 năm 2019 lúc 3 giờ chiều"
    )


def test_naive_now_counts_as_vietnam_time() -> None:
    result = parse_date("2 giờ trước", now=datetime(2024, 3, 28, 10, 0))
    assert result is not None and result.value == "2024-03-28T08:00:00+07:00"


def test_aware_now_is_converted_to_vietnam_time() -> None:
    # 18:30 UTC on the 27th is already 01:30 on the 28th in Vietnam.
    now = datetime(2024, 3, 27, 18, 30, tzinfo=UTC)
    assert parse_date("hôm qua", now=now) == ParsedDate("2024-03-27", False, "hôm qua")
    result = parse_date("1 giờ trước", now=now)
    assert result is not None and result.value == "2024-03-28T00:30:00+07:00"


def test_default_now_is_today_in_vietnam() -> None:
    result = parse_date("hôm nay")
    today = datetime.now(timezone(timedelta(hours=7))).date().isoformat()
    assert result is not None and result.value == today


def test_parsed_date_is_frozen() -> None:
    result = parse_date("02/10/2019")
    assert result == ParsedDate("2019-10-02", False, "02/10/2019")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = "x"  # type: ignore[misc]


SAMPLE = """Sở Nội Vụ Tỉnh Bình Dương
Tin tức sự kiện
Thứ tư, 02/10/2019 | 15:42:26 GMT+7
Kế hoạch tổ chức Hội nghị điển hình tiên tiến và Đại hội thi đua yêu nước
Ngày 24/9/2019, UBND tỉnh Bình Dương ban hành Kế hoạch số 4846/KH-UBND về việc tổ chức \
Hội nghị điển hình tiên tiến, tiến tới Đại hội thi đua yêu nước toàn quốc lần thứ X năm 2020.
Theo tinh thần Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị, gắn với Chỉ thị số \
05/CT-TW, giai đoạn 2015-2020. Hôm qua, 3 ngày trước hội nghị, ngày 24/9 đã họp.
Nguyễn Thị Lê - Ban Thi đua - Khen thưởng
Thống kê truy cập
Đang truy cập3
Tổng truy cập 2763032"""


def test_find_dates_in_an_article() -> None:
    assert find_dates(SAMPLE, now=NOW) == [
        ParsedDate("2019-10-02T15:42:26+07:00", True, "02/10/2019 | 15:42:26 GMT+7"),
        ParsedDate("2019-09-24", False, "24/9/2019"),
        ParsedDate("2014-04-07", False, "07/4/2014"),
    ]


def test_find_dates_attaches_each_time_to_its_own_date() -> None:
    text = (
        "Tin mới: 15:42:26 02/10/2019 Hội nghị; 03/10/2019 | 08:00 GMT+7 Đại hội; "
        "04/10/2019 Khai mạc; ngày 5 tháng 10 năm 2019, 31/02/2019 và 06.10.2019."
    )
    assert [d.value for d in find_dates(text)] == [
        "2019-10-02T15:42:26+07:00",
        "2019-10-03T08:00:00+07:00",
        "2019-10-04",
        "2019-10-05",
        "2019-10-06",
    ]


def test_find_dates_skips_relative_words_and_needs_no_dateparser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "dateparser", None)
    assert find_dates("Hôm qua, 2 giờ trước, 2 Tháng Mười, 2019.") == []
    assert find_dates("") == []


NOW_FIXED = datetime(2024, 3, 28, 10, 0, 0, tzinfo=timezone(timedelta(hours=7)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("October 2, 2019", "2019-10-02"),
        ("Oct 2, 2019 3:42 PM", "2019-10-02T15:42:00+07:00"),
        ("2 October 2019", "2019-10-02"),
        ("Posted on October 2, 2019 at 8:15 am", "2019-10-02T08:15:00+07:00"),
        ("Wed, 02 Oct 2019 15:42:26 GMT", "2019-10-02T22:42:26+07:00"),
        ("Sept 31, 2019", None),
        ("Vừa xong", "2024-03-28T10:00:00+07:00"),
        ("mayday 2019", None),
    ],
)
def test_english_month_names_and_just_now(text, expected):
    parsed = parse_date(text, NOW_FIXED)
    assert (parsed.value if parsed else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Forms from peers' Vietnamese test suites and locale data (chrono, moment/adone,
        # dateparser's vi.py), as portals print them.
        ("31 tháng 7 2004", "2004-07-31"),
        ("ngày 31 tháng bảy năm 2004", "2004-07-31"),
        ("Tháng mười hai 8, 2026", "2026-12-08"),
        ("15 thg 3, 2024", "2024-03-15"),
        ("26 Th04 2014", "2014-04-26"),
        ("26-Apr-2014", "2014-04-26"),
        ("thứ 7, 26-04-2014", "2014-04-26"),
        ("T7, 26/04/2014", "2014-04-26"),
        ("CN, 27/04/2014", "2014-04-27"),
        ("chu nhat 27/04/2014", "2014-04-27"),
        ("14h30 ngày 26/4/2014", "2014-04-26T14:30:00+07:00"),
        ("26/04/2014 08:00 CH", "2014-04-26T20:00:00+07:00"),
        ("8 giờ tối ngày 26/4/2014", "2014-04-26T20:00:00+07:00"),
        ("Thứ Bảy, ngày 26 tháng 4 năm 2014 - 08:00", "2014-04-26T08:00:00+07:00"),
    ],
)
def test_forms_of_peers_test_suites(text: str, expected: str) -> None:
    parsed = parse_date(text, NOW)
    assert parsed is not None and parsed.value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20/10 09:30", "2024-10-20T09:30:00+07:00"),
        ("Cập nhật: 09:30 20/10", "2024-10-20T09:30:00+07:00"),
        ("Thứ Hai, 20/10", "2024-10-20"),
        ("Ngày đăng: 5/11", "2024-11-05"),
        ("28/12 16:05", "2023-12-28T16:05:00+07:00"),  # after the fetch: last year
    ],
)
def test_a_date_line_without_a_year_is_of_the_latest_year_before_the_fetch(text, expected):
    now = datetime(2024, 11, 5, 10, 0, tzinfo=timezone(timedelta(hours=7)))
    assert parse_date(text, now=now).value == expected


@pytest.mark.parametrize("text", ["20/10", "4/5", "Trang 1/10", "9/10 tiêu chí", "1.2"])
def test_a_day_and_month_alone_or_in_a_sentence_is_no_date(text):
    assert (
        parse_date(text, now=datetime(2024, 11, 5, 10, 0, tzinfo=timezone(timedelta(hours=7))))
        is None
    )
