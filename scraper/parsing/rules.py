"""What a site profile tells the extractor: CSS selectors for listing and article pages.

Plain data, here in the pure parsing layer so that extraction depends on nothing above
it; ``scraper.sites`` reads them from the TOML profiles.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListingRules:
    """Where a listing page keeps its article links and the way to the next page."""

    article_links: str
    next_page: str | None = None


@dataclass(frozen=True)
class ArticleRules:
    """CSS selectors for the fields of an article page; an empty one means "find it generically"."""

    title: str | None = None
    date: str | None = None
    updated: str | None = None
    summary: str | None = None
    body: str | None = None
    byline: str | None = None
    category: str | None = None
    attachments: str | None = None
    related: str | None = None
    images: str | None = None
    remove: tuple[str, ...] = ()
