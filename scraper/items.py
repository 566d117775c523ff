"""What the spider hands the pipeline: one type per kind of result.

Typed items rather than dicts tagged ``_type``: the pipeline dispatches on the type, and
a field that one side writes and the other never reads is an error at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scraper.parsing.cdx import Capture
from scraper.parsing.fields import Article
from scraper.parsing.page import Page

if TYPE_CHECKING:
    from archive.prepared import PreparedArticle, PreparedText


@dataclass
class ArticleItem:
    """An article and the exact page it was read from (kept in the WARC store), and
    where that page came from: the live site, or a web archive's capture."""

    article: Article
    page: Page
    source: str = "live"
    capture_url: str | None = None  # the archive's address of the capture's bytes
    capture_id: str | None = None  # its row in the ledger of captures
    # What a distributed crawl's worker computed for the store (archive.prepared).
    prepared: PreparedArticle | None = None

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
    # Its text, read by a distributed crawl's worker (archive.prepared.prepare_file).
    text: PreparedText | None = None


@dataclass
class CapturesListedItem:
    """Captures a CDX answer listed (with their kind by the profile's URL patterns)."""

    captures: list[tuple[Capture, str]]

    @property
    def url(self) -> str:
        return self.captures[0][0].original if self.captures else ""


@dataclass
class CaptureItem:
    """What a capture turned out to be, when it is no article (archive.captures)."""

    capture_id: str
    outcome: str
    detail: str | None = None

    @property
    def url(self) -> str:
        return self.capture_id.split(" ", 1)[-1]


@dataclass
class CaptureFailedItem:
    """A capture the archive did not give this time (still pending)."""

    capture_id: str
    error: str

    @property
    def url(self) -> str:
        return self.capture_id.split(" ", 1)[-1]


Item = (
    ArticleItem
    | ListingItem
    | UnchangedItem
    | RemovedItem
    | AttachmentItem
    | CapturesListedItem
    | CaptureItem
    | CaptureFailedItem
)
