"""The pages a crawl wanted and did not get, kept in the crawl's stats.

Its own module, free of Twisted imports: the spider and the pipeline import it before
Scrapy has installed its reactor.
"""

from __future__ import annotations

from typing import Any

FAILED_PAGES = "khotin/failed_pages"


def record_failure(
    stats: Any, url: str, why: str, *, kind: str | None = None, status: int | None = None
) -> None:
    """Keep the page, the reason and what it was (``article`` pages go to the archive's
    ledger at the end of the run, to be asked for again): the run's summary and
    crawl_runs name them."""
    failed = stats.get_value(FAILED_PAGES) or []
    if len(failed) < 1000:
        entry = {"url": url, "why": why, "kind": kind, "status": status}
        stats.set_value(FAILED_PAGES, [*failed, entry])


def describe(entry: dict[str, Any]) -> str:
    return f"{entry['url']} ({entry['why']})"
