"""What the spider hands the pipeline: one type per kind of result.

Typed items rather than dicts tagged ``_type``: the pipeline dispatches on the type, and
a field that one side writes and the other never reads is an error at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from scraper.parsing.fields import Article
from scraper.parsing.page import Page


@dataclass
class ArticleItem:
    """An article and the exact page it was read from (kept in the WARC store)."""

    article: Article
    page: Page

    @property
    def url(self) -> str:
        return self.article.url


@dataclass
class ListingItem:
    """A site's first listing page: its validators, saved once the run ends well."""

    url: str
    status: int
    etag: str | None
    last_modified: str | None
    article_links: int


@dataclass
class UnchangedItem:
    """An archived article the site answered "304 Not Modified" for."""

    url: str


@dataclass
class RemovedItem:
    """An article URL the site now answers 404 or 410 for."""

    url: str
    status: int


@dataclass
class AttachmentItem:
    """One attachment download: its bytes, or why there are none."""

    url: str
    article_url: str | None
    status: int | None
    content_type: str | None = None
    content_disposition: str | None = None
    body: bytes = b""
    error: str | None = None


Item = ArticleItem | ListingItem | UnchangedItem | RemovedItem | AttachmentItem
