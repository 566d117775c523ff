"""Microseconds per call of khotin's text parsers, against dateparser where one exists.

Measured in the same run on the same strings:
- dates: ``parse_date`` against ``dateparser.parse(languages=["vi"], DMY, past)`` on ~60
  date lines as provincial portals print them (weekdays, labels, times before dates,
  two-digit years, ISO, relative forms, month words). Besides speed, it counts how many
  strings each one reads and on how many they agree to the day, because a fast parser
  that reads nothing is no win. The goal (the issue): dateparser >= 20x khotin's time.
- bylines: ``parse_byline`` on credit lines and ``find_byline`` on an article's body;
- document numbers: ``find_doc_refs`` on one article's body and on all 44 sample bodies.
These have no third-party peer; one ``dateparser.parse`` call, timed in the same run, is
printed beside them as the reference for "what a parser call costs".

Times are the median of ``--rounds`` rounds; each round repeats the inputs enough times
to last ~0.1 s (timeit-style, ``time.perf_counter``). Calls are warm: dateparser has
loaded its data, and the byline parser's small word caches are filled, as in a crawl.

Run: ``.venv/bin/python benchmarks/parsing_speed.py [--rounds N] [--verbose]``;
``--verbose`` prints each date string with both readings side by side.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scraper.parsing.bylines import Byline, find_byline, parse_byline  # noqa: E402
from scraper.parsing.dates import ParsedDate, parse_date  # noqa: E402
from scraper.parsing.docrefs import find_doc_refs  # noqa: E402
from scraper.sample_portal.site import load_articles  # noqa: E402

T = TypeVar("T")

# The crawl moment the relative forms are read against: Wednesday 15 October 2025, 09:00.
NOW = datetime(2025, 10, 15, 9, 0, tzinfo=timezone(timedelta(hours=7)))
SAMPLE_ID = 2105  # the sample article used for the single-article measurements
ROUND_SECONDS = 0.1

DATE_STRINGS = [
    # weekday first
    "Thứ tư, 02/10/2019 | 15:42:26 GMT+7",
    "Thứ Năm 9-10-2025",
    "CN, 05/01/2020",
    "Thứ 2, 07/10/2019, 14:20 (GMT+7)",
    "Thứ Sáu, 20/09/2019 - 09:30",
    "Chủ nhật, 29/09/2019 07:00",
    "T3, 08/10/2019",
    "Thứ bảy, ngày 12/10/2019",
    "THỨ HAI, 14/10/2019",
    "Thứ ba, 15/10/2019 10:05 AM",
    "Thứ năm, 10/10/2019 - 16:05 (GMT+07:00)",
    # a label first
    "Ngày đăng: 02/10/2019",
    "Cập nhật lúc 08:05 SA, 05/01/2024",
    "Ban hành: 24/9/2019",
    "Hà Nội, ngày 24 tháng 9 năm 2019",
    "Ngày cập nhật: 18/06/2021 16:20",
    "Đăng ngày: 03/03/2022",
    "Ngày xuất bản: 11/11/2020 08:00:00",
    "Cập nhật: 15:45 | 21/08/2023",
    "Bình Dương, ngày 05 tháng 10 năm 2019",
    "Ngày ban hành: 30/12/2018",
    "Đăng lúc: 07:30 01/02/2021",
    "Lượt xem: 1250 | Ngày đăng: 12/04/2022",
    "Cập nhật ngày 07/10/2019 lúc 14:20",
    "Tin ngày 31/12/2019 | 23:59",
    # the time before the date
    "15:42 02/10/2019",
    "08:15:00 - 25/12/2020",
    "15h30 ngày 2/10/2019",
    "(GMT +7) 10:30 12.03.2023",
    "9 giờ 30 phút, ngày 5/6/2020",
    "10:30 AM 12/03/2023",
    "14:20 | 07/10/2019",
    "8:05 CH, 5/1/2024",
    # two-digit years
    "02/10/19",
    "5-6-20 14:00",
    "Ngày 24/9/19",
    # ISO and other year-first forms
    "2019-10-02",
    "2019-10-02T15:42:26+07:00",
    "2023-03-12 10:30:00",
    "2020/01/05",
    # relative to the crawl
    "2 giờ trước",
    "hôm qua",
    "3 tuần trước",
    "15 phút trước",
    "5 ngày trước",
    "hôm qua lúc 15:30",
    "1 tháng trước",
    "hôm nay, 08:12",
    # month in words
    "mồng 2 tháng 9 năm 2019",
    "ngày 2 tháng 10 năm 2019",
    "mùng 5 tháng 1, 2020",
    "24 tháng 9, 2019",
    "2 tháng Mười, 2019",
    # digits only
    "02/10/2019",
    "2/10/2019 - 08:15",
    "02.10.2019",
    "24 - 9 - 2019",
    "02/10/2019 15:42",
    "02-10-2019 08:30:15",
    "[02/10/2019]",
    "02/10/2019 | 15:42:26 GMT+7",
]

BYLINE_LINES = [
    "Nguyễn Thị Lê - Ban Thi đua - Khen thưởng",
    "Kim Liên - Sở Ngoại vụ",
    "Thái Sinh - Ái Vân",
    "T. NGUYỆT",
    "PV",
    "(BTĐKT)",
    "Nguồn: Báo Bình Dương",
    "Minh Anh (Văn phòng Sở)",
    "Hoàng Duy - Phòng Tổ chức, biên chế và Tổ chức phi chính phủ",
    "Theo Thanh Niên",
    "Văn Tuấn - Phòng Xây dựng chính quyền",
    "Tin, ảnh: Hồng Nhung",
    "Phòng Công chức - Viên chức",
    "Thu Trang - Chi cục Văn thư - Lưu trữ",
    "Lê Phương - Hải Yến",
    "Hội nghị kết thúc vào lúc 11 giờ cùng ngày.",  # a sentence: must be refused
]


# --------------------------------------------------------------------------- timing


def per_call_us(fn: Callable[[T], object], inputs: Sequence[T], rounds: int) -> float:
    """Microseconds per call of ``fn`` over ``inputs``: the median of ``rounds`` rounds.

    Like ``timeit.autorange``: the number of passes over the inputs per round grows
    until a round lasts ``ROUND_SECONDS``, so fast functions are not timed on noise.
    The calibration passes double as the warm-up and are not counted.
    """

    def one_round(passes: int) -> float:
        start = time.perf_counter()
        for _ in range(passes):
            for item in inputs:
                fn(item)
        return time.perf_counter() - start

    passes = 1
    while (elapsed := one_round(passes)) < ROUND_SECONDS:
        passes = max(passes * 2, int(passes * ROUND_SECONDS / max(elapsed, 1e-9)) + 1)
    timings = [one_round(passes) for _ in range(rounds)]
    return statistics.median(timings) / (passes * len(inputs)) * 1e6


def report(name: str, micros: float, reference: float | None = None, extra: str = "") -> None:
    """One result line; with ``reference`` (one dateparser call), how many fit in it."""
    line = f"  {name:<44} {micros:>9.1f} µs/call"
    if reference is not None:
        line += f"   {reference / micros:>7.0f}× faster than one dateparser call"
    print(line + (f"   {extra}" if extra else ""), flush=True)


# --------------------------------------------------------------------------- dates


def khotin_day(result: ParsedDate | None) -> date | None:
    return None if result is None else date.fromisoformat(result.value[:10])


def dateparser_day(result: datetime | None) -> date | None:
    return None if result is None else result.date()


def fallback_strings(dateparser: ModuleType, strings: list[str]) -> set[str]:
    """The strings on which ``parse_date`` hands over to its dateparser fallback."""
    original = dateparser.parse
    used: set[str] = set()
    current = ""

    def counting(*args: Any, **kwargs: Any) -> Any:
        used.add(current)
        return original(*args, **kwargs)

    dateparser.parse = counting
    try:
        for current in strings:  # ``counting`` reads it
            parse_date(current, NOW)
    finally:
        dateparser.parse = original
    return used


def compare_dates(dateparser: ModuleType, settings: dict[str, Any], verbose: bool) -> list[str]:
    """Read every string with both; print the counts (and each pair if ``verbose``)."""
    khotin_read = dp_read = agree = 0
    notes: list[str] = []
    if verbose:
        print(f"  {'string':<42} {'khotin':<27} dateparser")
    for text in DATE_STRINGS:
        ours = parse_date(text, NOW)
        theirs = dateparser.parse(text, languages=["vi"], settings=settings)
        ours_day, their_day = khotin_day(ours), dateparser_day(theirs)
        khotin_read += ours is not None
        dp_read += theirs is not None
        if ours_day is not None and ours_day == their_day:
            agree += 1
            mark = "="
        elif their_day is None:
            mark = "-"  # dateparser silent
        elif ours_day is None:
            mark = "!"  # khotin silent
        else:
            mark = "≠"
        if mark != "=":
            notes.append(f"{mark} {text!r}: khotin {ours_day}, dateparser {their_day}")
        if verbose:
            left = ours.value if ours else "—"
            right = theirs.isoformat() if theirs else "—"
            print(f"{mark} {text:<42} {left:<27} {right}")
    if verbose:
        print("  (= same day, ≠ different day, - dateparser silent, ! khotin silent)\n")
    total = len(DATE_STRINGS)
    print(f"  read to a date:  khotin {khotin_read}/{total}, dateparser {dp_read}/{total}")
    print(f"  same day in both: {agree}/{total}")
    return notes


def bench_dates(rounds: int, verbose: bool) -> float:
    """Section 1. Returns the µs of one dateparser call, the reference for 2 and 3."""
    print(f"1. dates: {len(DATE_STRINGS)} date lines, read relative to {NOW.isoformat()}")
    start = time.perf_counter()
    import dateparser  # timed: importing it and its first call load its data

    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": NOW.replace(tzinfo=None),
    }
    dateparser.parse(DATE_STRINGS[0], languages=["vi"], settings=settings)
    warm_up = (time.perf_counter() - start) * 1e3

    handed_over = fallback_strings(dateparser, DATE_STRINGS)
    patterns_only = [text for text in DATE_STRINGS if text not in handed_over]

    def khotin(text: str) -> ParsedDate | None:
        return parse_date(text, NOW)

    def baseline(text: str) -> datetime | None:
        return dateparser.parse(text, languages=["vi"], settings=settings)

    ours = per_call_us(khotin, DATE_STRINGS, rounds)
    report(f"khotin parse_date, all {len(DATE_STRINGS)}", ours)
    theirs = per_call_us(baseline, DATE_STRINGS, rounds)
    report(
        f"dateparser.parse, all {len(DATE_STRINGS)}",
        theirs,
        extra=f"(import + first call: {warm_up:.0f} ms, not counted)",
    )
    ours_patterns = per_call_us(khotin, patterns_only, rounds)
    report(f"khotin parse_date, the {len(patterns_only)} its patterns read", ours_patterns)
    theirs_patterns = per_call_us(baseline, patterns_only, rounds)
    report(f"dateparser.parse, the same {len(patterns_only)}", theirs_patterns)
    if handed_over:
        listed = ", ".join(map(repr, sorted(handed_over)))
        print(f"  khotin handed {len(handed_over)} to its dateparser fallback: {listed}")
    notes = compare_dates(dateparser, settings, verbose)
    if notes:
        print("  where they differ (- dateparser silent, ≠ other day, ! khotin silent):")
        for note in notes:
            print(f"    {note}")
    ratio = theirs / ours
    print(
        f"  dateparser time / khotin time: {ratio:.0f}× on all {len(DATE_STRINGS)}, "
        f"{theirs_patterns / ours_patterns:.0f}× on the {len(patterns_only)} without fallback"
    )
    print(
        f"  goal: dateparser time / khotin time >= 20 on all strings: "
        f"{'met' if ratio >= 20 else 'NOT met'} ({ratio:.0f}×)\n"
    )
    return theirs


# --------------------------------------------------------------------------- bylines


def describe(byline: Byline | None) -> str:
    if byline is None:
        return "—"
    return f"authors={byline.authors} unit={byline.source_unit!r}"


def bench_bylines(rounds: int, reference: float, article: dict[str, Any], verbose: bool) -> None:
    print(f"2. bylines: {len(BYLINE_LINES)} credit lines; the body of sample article {SAMPLE_ID}")
    parsed = [parse_byline(line) for line in BYLINE_LINES]
    if verbose:
        for line, result in zip(BYLINE_LINES, parsed, strict=True):
            print(f"    {line:<62} {describe(result)}")
    report(
        "parse_byline, per line",
        per_call_us(parse_byline, BYLINE_LINES, rounds),
        reference,
        f"({sum(p is not None for p in parsed)}/{len(BYLINE_LINES)} read as credits)",
    )
    # The page prints the credit as the body's last paragraph; without it, find_byline
    # tries the last three paragraphs and finds nothing (its slowest path).
    with_credit = [*article["paragraphs"], article["byline"]]
    found = find_byline(with_credit)
    report(
        f"find_byline, {len(with_credit)} paragraphs with the credit",
        per_call_us(find_byline, [with_credit], rounds),
        reference,
        f"(found: {describe(found[0]) if found else '—'})",
    )
    report(
        f"find_byline, {len(article['paragraphs'])} paragraphs, no credit",
        per_call_us(find_byline, [article["paragraphs"]], rounds),
        reference,
    )
    print()


# --------------------------------------------------------------------------- doc refs


def bench_docrefs(rounds: int, reference: float, articles: list[dict[str, Any]]) -> None:
    bodies = {a["id"]: "\n\n".join(a["paragraphs"]) for a in articles}
    one = bodies[SAMPLE_ID]
    one_kb = len(one.encode("utf-8")) / 1024
    all_kb = sum(len(b.encode("utf-8")) for b in bodies.values()) / 1024
    refs_one = len(find_doc_refs(one))
    refs_all = sum(len(find_doc_refs(b)) for b in bodies.values())
    print(
        f"3. document numbers: article {SAMPLE_ID} ({one_kb:.1f} KB, {refs_one} refs); "
        f"all {len(bodies)} bodies ({all_kb:.0f} KB, {refs_all} refs)"
    )
    micros = per_call_us(find_doc_refs, [one], rounds)
    report(f"find_doc_refs, article {SAMPLE_ID}", micros, reference, f"{micros / one_kb:.1f} µs/KB")
    micros = per_call_us(find_doc_refs, list(bodies.values()), rounds)
    per_kb = micros * len(bodies) / all_kb
    report(f"find_doc_refs, {len(bodies)} bodies (mean)", micros, reference, f"{per_kb:.1f} µs/KB")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="print both readings per string")
    args = parser.parse_args()
    rounds = max(1, args.rounds)
    print(f"median of {rounds} rounds of >= {ROUND_SECONDS:.1f} s each\n")
    articles = load_articles()
    article = next(a for a in articles if a["id"] == SAMPLE_ID)
    reference = bench_dates(rounds, args.verbose)
    print(f"reference for 2 and 3: one dateparser.parse call = {reference:.0f} µs\n")
    bench_bylines(rounds, reference, article, args.verbose)
    bench_docrefs(rounds, reference, articles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
