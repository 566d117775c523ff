"""Articles extracted per second on the sample portal's pages, against two baselines.

Baselines, measured in the same run on the same pages:
- a bare lxml parse with a few XPath lookups (the floor any extractor pays);
- trafilatura's extraction (a general-purpose peer).
khotin is measured with the site profile and with no profile (generic layers only).
The goal (issue 2): all fields with the profile at no less than half the bare lxml rate.

Run: ``make bench`` or ``.venv/bin/python benchmarks/extract_speed.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lxml import html as lxml_html  # noqa: E402

from scraper.extract import extract  # noqa: E402
from scraper.parsing.page import Page  # noqa: E402
from scraper.sample_portal.site import SamplePortal, article_path, load_articles  # noqa: E402
from scraper.sites import load_profile  # noqa: E402

BASE = "http://127.0.0.1:8721"


def pages() -> list[tuple[str, str]]:
    portal = SamplePortal()
    return [
        (BASE + article_path(a), portal.get(article_path(a)).body.decode("utf-8"))
        for a in load_articles()
    ]


def bare_lxml(html: str, url: str) -> object:
    root = lxml_html.document_fromstring(html, base_url=url)
    return (
        root.xpath("//h1//text()"),
        root.xpath("//div[contains(@class,'date-line')]//text()"),
        root.xpath("//div[contains(@class,'news-content')]//p//text()"),
        root.xpath("//a/@href"),
    )


def rate(
    name: str, fn: Callable[[str, str], object], corpus: list[tuple[str, str]], rounds: int
) -> float:
    """Pages per second: the median of ``rounds`` passes over the corpus."""
    for url, html in corpus[:3]:
        fn(html, url)  # warm caches and imports
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        for url, html in corpus:
            fn(html, url)
        timings.append(time.perf_counter() - start)
    per_second = len(corpus) / statistics.median(timings)
    print(f"{name:<34} {per_second:>9.0f} pages/s", flush=True)
    return per_second


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    corpus = pages()
    profile = load_profile("sample-sonoivu")
    print(
        f"{len(corpus)} sample article pages, "
        f"{sum(len(h) for _, h in corpus) // len(corpus) // 1024} KB average, "
        f"median of {args.rounds} rounds\n"
    )

    results = {
        "bare lxml parse + 4 XPath": rate(
            "bare lxml parse + 4 XPath", bare_lxml, corpus, args.rounds
        ),
        "khotin, site profile": rate(
            "khotin, site profile",
            lambda html, url: extract(Page.of(url, html.encode()), profile),
            corpus,
            args.rounds,
        ),
        "khotin, generic (no profile)": rate(
            "khotin, generic (no profile)",
            lambda html, url: extract(Page.of(url, html.encode())),
            corpus,
            args.rounds,
        ),
    }
    try:
        import trafilatura
    except ImportError:
        print("trafilatura not installed (pip install -e '.[bench]'); skipped")
    else:
        results["trafilatura.bare_extraction"] = rate(
            "trafilatura.bare_extraction",
            lambda html, url: trafilatura.bare_extraction(html, url=url, with_metadata=True),
            corpus,
            max(1, args.rounds // 2),
        )
    baseline = results["bare lxml parse + 4 XPath"]
    print("\nratio to the bare lxml rate (same run, same pages):")
    for name, value in results.items():
        print(f"  {name:<34} {value / baseline:6.2f}")
    profile_ratio = results["khotin, site profile"] / baseline
    print(
        f"\ngoal: profile extraction >= 0.50 of bare lxml: "
        f"{'met' if profile_ratio >= 0.5 else 'NOT met'} ({profile_ratio:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
