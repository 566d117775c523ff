"""How often the generic extractor (no profile) gets the key fields right on every saved
article page of ``tests/cases``, side by side with trafilatura (title, date, author) and
htmldate (date) on the same pages in the same run; then, field by field, on the real
pages of ``../shared/real_pages/`` (saved by others, read in place, never copied here).

A field counts as right when it equals the case's expected value; dates are compared at
the day when the other tool gives only a day. Run: ``.venv/bin/python
benchmarks/generic_accuracy.py``.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import unseen_cases  # noqa: E402

import real_pages  # noqa: E402
from case_files import all_cases  # noqa: E402

FIELDS = ("title", "published_at", "authors", "attachments", "related")


def same_day(found: str | None, expected: str | None) -> bool:
    if not found or not expected:
        return found == expected
    return str(found)[:10] == expected[:10]


def main() -> int:
    import htmldate
    import trafilatura

    cases = [case for case in all_cases() if case.kind == "article"]
    khotin: Counter[str] = Counter()
    khotin_day: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for case in cases:
        expected = case.expected
        found = case.extract(generic=True)
        for field in FIELDS:
            if field in expected and found[field] == expected[field]:
                khotin[field] += 1
        if same_day(found["published_at"], expected.get("published_at")):
            khotin_day["published_at"] += 1
        html = case.text()
        meta = trafilatura.bare_extraction(html, url=case.url, with_metadata=True) or {}
        if not isinstance(meta, dict):
            meta = meta.as_dict()
        if meta.get("title") == expected.get("title"):
            others["trafilatura title"] += 1
        if same_day(meta.get("date"), expected.get("published_at")):
            others["trafilatura date (day)"] += 1
        author = meta.get("author")
        if expected.get("authors") and author and expected["authors"][0] in author:
            others["trafilatura author"] += 1
        elif not expected.get("authors") and not author:
            others["trafilatura author"] += 1
        date = htmldate.find_date(html, url=case.url, original_date=True, outputformat="%Y-%m-%d")
        if same_day(date, expected.get("published_at")):
            others["htmldate date (day)"] += 1
    n = len(cases)
    print(f"{n} saved article pages in {len({c.site_id for c in cases})} layouts\n")
    print("khotin, generic layers only (exact value):")
    for field in FIELDS:
        print(f"  {field:<24} {khotin[field]:>3}/{n}")
    print(f"  {'published_at (day)':<24} {khotin_day['published_at']:>3}/{n}")
    total = sum(khotin[f] for f in FIELDS)
    print(f"  {'all five fields':<24} {total / (n * len(FIELDS)):.0%}\n")
    print("same pages, other tools:")
    for name in (
        "trafilatura title",
        "trafilatura date (day)",
        "trafilatura author",
        "htmldate date (day)",
    ):
        print(f"  {name:<24} {others[name]:>3}/{n}")
    report_unseen()
    report_real_pages()
    return 0


def report_unseen() -> None:
    """The unseen-layout cases (tests/unseen): held out (never tuned on) and tuning,
    per field and per layout, side by side with trafilatura on the same pages."""
    import trafilatura

    held_out_totals: dict[str, list[int]] = {}
    for part in (*unseen_cases.HELD_OUT_PARTS, unseen_cases.TUNING):
        cases = unseen_cases.load(part)
        if not cases:
            continue
        scored = unseen_cases.score(cases)
        layouts = unseen_cases.by_layout(scored)
        print(f"\nkhotin, generic layers, {part}: {len(cases)} pages in {len(layouts)} layouts")
        for field, (good, total) in unseen_cases.by_field(scored).items():
            print(f"  {field:<24} {good:>3}/{total:<3} {good / total if total else 0:.2f}")
            if part in unseen_cases.HELD_OUT_PARTS:
                sums = held_out_totals.setdefault(field, [0, 0])
                sums[0] += good
                sums[1] += total
        blind = part in unseen_cases.HELD_OUT_PARTS
        print("  per layout (fields right" + (", pages not named: held out)" if blind else "):"))
        for layout, (good, total) in layouts.items():
            misses = (
                []
                if blind
                else sorted(
                    f"{case_id.split('/')[1]}:{field}"
                    for case_id, marks in scored.items()
                    if case_id.startswith(layout + "/")
                    for field, ok in marks.items()
                    if not ok
                )
            )
            print(f"    {layout:<28} {good:>3}/{total:<3} {' '.join(misses)}")
        title = date = author = 0
        for case in cases:
            meta = trafilatura.bare_extraction(
                case.folder.joinpath("page.html").read_bytes(),
                url=case.meta["url"],
                with_metadata=True,
            )
            meta = (meta.as_dict() if not isinstance(meta, dict) else meta) if meta else {}
            expected = case.expected
            title += meta.get("title") == expected.get("title")
            date += same_day(meta.get("date"), expected.get("published_at"))
            people = [a.strip() for a in (meta.get("author") or "").split(";") if a.strip()]
            author += set(people) == set(expected.get("authors") or [])
        n = len(cases)
        print(
            f"  trafilatura, same pages: title {title / n:.2f}, date (day) {date / n:.2f}, "
            f"authors {author / n:.2f}"
        )
        if part == unseen_cases.HELD_OUT_PARTS[-1] and len(unseen_cases.HELD_OUT_PARTS) > 1:
            print("\nkhotin, generic layers, the held-out sets together:")
            for field, (good, total) in held_out_totals.items():
                print(f"  {field:<24} {good:>3}/{total:<3} {good / total if total else 0:.2f}")


def report_real_pages() -> None:
    """The pages nobody here wrote (../shared/real_pages, read in place), per field."""
    if not real_pages.available():
        print("\n../shared/real_pages is not here: real pages not scored")
        return
    scored = real_pages.score(real_pages.load())
    print(f"\nkhotin, generic layers, on {len(scored)} real pages saved by others:")
    names = list(scored)
    print(f"  {'page':<28}" + "".join(f"{f[:11]:>12}" for f in real_pages.FIELDS))
    for name in names:
        marks = "".join(
            f"{('yes' if scored[name][f] else 'NO') if f in scored[name] else '-':>12}"
            for f in real_pages.FIELDS
        )
        print(f"  {name:<28}{marks}")
    counts = [
        f"{sum(scored[n].get(f, False) for n in names)}/{sum(f in scored[n] for n in names)}"
        for f in real_pages.FIELDS
    ]
    totals = "".join(f"{count:>12}" for count in counts)
    print(f"  {'right':<28}{totals}")


if __name__ == "__main__":
    sys.exit(main())
