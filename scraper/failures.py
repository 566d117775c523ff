"""The pages a crawl wanted and did not get, kept in the crawl's stats.

Its own module, free of Twisted imports: the spider and the pipeline import it before
Scrapy has installed its reactor.
"""

from __future__ import annotations

from typing import Any

FAILED_PAGES = "khotin/failed_pages"


def record_failure(stats: Any, url: str, why: str) -> None:
    """Keep the page and the reason: the run's summary and crawl_runs name them."""
    failed = stats.get_value(FAILED_PAGES) or []
    if len(failed) < 1000:
        stats.set_value(FAILED_PAGES, [*failed, f"{url} ({why})"])
