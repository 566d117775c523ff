"""The backfill spider: a site's past, read from a web archive.

``khotin backfill SITE_ID`` (or ``--host HOST``) lists the site's captures from the
archive's CDX API (status 200, one per distinct content, paged with resume keys),
keeps the ones whose address is an article of the site (the profile's ``[urls]``
patterns; without them every HTML capture, judged by its content), and fetches each
one's original bytes (the ``id_`` form: never the replay page with the archive's
toolbar). Each capture is read by the same ``extract`` as a live page, with the
capture time as the page's fetch time, and stored with its provenance.

The ledger of captures (``archive.captures``) makes it resumable and incremental: a
capture with an outcome is never fetched again; the CDX is listed again on every run
(cheap, and it finds new captures). A run fetches at most ``batch`` captures, so a
backfill of years runs as many short batches that never hold the crawl lock long.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from archive.captures import capture_id as ledger_id
from archive.store import Archive, ArchiveError
from scraper.extract import extract
from scraper.items import (
    ArticleItem,
    AttachmentItem,
    CaptureFailedItem,
    CaptureItem,
    CapturesListedItem,
)
from scraper.parsing.captures import is_html, judge_capture
from scraper.parsing.cdx import Capture, CdxError, parse_listing, query_url
from scraper.parsing.discovery import discover_links
from scraper.parsing.links import identity_key, is_document, same_host
from scraper.sites import SiteProfile
from scraper.spiders.site import ATTACHMENT_ERROR_STATUSES, _header

DEFAULT_ARCHIVE = "https://web.archive.org"
# The Wayback Machine's published limits (2026): the CDX API 30 requests a minute
# (averaged over five), playback more; past them it answers 429, and one that ignores
# 429s for a minute is blocked for an hour. khotin stays well under both.
CDX_SLOT = "khotin-cdx"
CAPTURE_SLOT = "khotin-captures"
CDX_DELAY = 3.0
CAPTURE_DELAY = 1.0
CDX_PAGE = 1000


class BackfillSpider(scrapy.Spider):
    name = "backfill"
    custom_settings = {
        "ITEM_PIPELINES": {"scraper.backfill_pipeline.BackfillPipeline": 300},
        # One request at a time per slot; redirects are judged, not followed (a
        # capture of a redirect is no article; attachments follow theirs by hand).
        "REDIRECT_ENABLED": False,
        "METAREFRESH_ENABLED": False,
    }

    def __init__(
        self,
        profile: SiteProfile,
        wayback_url: str = DEFAULT_ARCHIVE,
        since: str | None = None,
        until: str | None = None,
        batch: int = 500,
        generic: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.profile = profile
        self.mode = "backfill"
        self.wayback = wayback_url.rstrip("/")
        self.since = since
        self.until = until
        self.batch = batch
        # --host: no profile rules, every field by the generic layers.
        self.generic = generic
        self.fetch_hosts = (urlsplit(self.wayback).netloc,)
        self.allowed_domains = [urlsplit(self.wayback).hostname or ""]
        self.settled: set[str] = set()
        self.read_digests: set[tuple[str, str]] = set()  # content read by earlier runs
        self.claimed: set[tuple[str, str]] = set()  # content being fetched this run
        self.queued: set[str] = set()
        self.known_files: set[str] = set()
        self.archive_damaged: str | None = None
        self.cdx_failed: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BackfillSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        delay = crawler.settings.get("KHOTIN_BACKFILL_DELAY")
        slots = {
            CDX_SLOT: {"concurrency": 1, "delay": CDX_DELAY if delay is None else float(delay)},
            CAPTURE_SLOT: {
                "concurrency": 1,
                "delay": CAPTURE_DELAY if delay is None else float(delay),
            },
        }
        crawler.settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        spider.load_state(crawler.settings.get("KHOTIN_DB"))
        return spider

    def load_state(self, db_path: str | None) -> None:
        if not db_path:
            return
        try:
            with Archive(db_path) as archive:
                rows = archive.db.execute(
                    "SELECT id, url_key, digest, outcome FROM captures WHERE site_id = ?",
                    [self.profile.id],
                ).fetchall()
                self.known_files = archive.known_attachment_urls()
        except (sqlite3.DatabaseError, ArchiveError) as exc:
            self.archive_damaged = f"the archive cannot be read ({exc}): run `khotin verify`"
            return
        for capture_id, key, digest, outcome in rows:
            if outcome is not None:
                self.settled.add(capture_id)
                # Content counts as read only when its bytes were: an archive's redirect or
                # 404 read nothing, and another capture of the same content may still be.
                if digest and outcome in ("article", "error-page", "not-html"):
                    self.read_digests.add((key, digest))

    # -- the CDX listing ------------------------------------------------------------------

    def _cdx_request(self, resume_key: str | None = None) -> scrapy.Request:
        url = query_url(
            self.wayback,
            self.profile.host,
            match_type="host",
            since=self.since,
            until=self.until,
            limit=CDX_PAGE,
            resume_key=resume_key,
        )
        return scrapy.Request(
            url,
            callback=self.parse_cdx,
            errback=self.cdx_error,
            priority=10,
            dont_filter=True,
            meta={"download_slot": CDX_SLOT, "khotin_kind": "cdx"},
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.archive_damaged:
            self.logger.error("%s: not backfilling %s", self.archive_damaged, self.profile.id)
            return
        yield self._cdx_request()

    def parse_cdx(self, response: Response) -> Iterator[Any]:
        try:
            listing = parse_listing(response.text)
        except (CdxError, AttributeError, UnicodeDecodeError) as exc:
            self._cdx_broke(f"{response.url}: {exc}")
            return
        self.crawler.stats.inc_value("khotin/cdx_pages")
        wanted: list[tuple[Capture, str]] = []
        for capture in listing.captures:
            kind = self._kind(capture)
            if kind is not None:
                wanted.append((capture, kind))
        self.crawler.stats.inc_value("khotin/captures_listed", len(wanted))
        if wanted:
            yield CapturesListedItem([(c, k) for c, k in wanted])
        for capture, kind in wanted:
            yield from self._plan(capture, kind)
        if listing.resume_key and len(self.queued) < self.batch:
            # A full batch lists no further: the next run starts again from the top and
            # skips what is settled (listing a portal's 600k captures would hold the
            # archive's lock for half an hour, and the nightly crawl with it).
            yield self._cdx_request(listing.resume_key)

    def _kind(self, capture: Capture) -> str | None:
        """ "article", "listing" or "unknown" (judged once fetched); None: not the
        site's page at all (an image, a script, a page the patterns leave out)."""
        if not is_html(capture.mimetype) and not is_document(capture.original):
            return None
        if is_document(capture.original):
            return None  # attachments are fetched through the articles that link them
        if not _on_host(capture.original, self.profile.host):
            return None
        if self.profile.urls and not self.generic:
            kind = self.profile.urls.kind(capture.original)
            # A registry site's patterns are generic guesses: what they do not place is
            # fetched and judged by its content, never dropped unseen.
            return kind or ("unknown" if self.profile.family == "generic" else None)
        return "unknown"

    def _plan(self, capture: Capture, kind: str) -> Iterator[Any]:
        """A capture's fate without fetching it, when that can be known; else its fetch."""
        capture_id = ledger_id(capture.timestamp, capture.original)
        if capture_id in self.settled or capture_id in self.queued:
            return
        key = identity_key(capture.original)
        if kind == "listing":
            self.settled.add(capture_id)
            yield CaptureItem(capture_id, "listing", "a listing page, by the profile's [urls]")
            return
        if capture.digest and (key, capture.digest) in self.read_digests:
            self.settled.add(capture_id)
            yield CaptureItem(capture_id, "duplicate", f"same content as another capture of {key}")
            return
        if capture.digest and (key, capture.digest) in self.claimed:
            # The same content is being fetched under another capture this run: this one
            # waits (pending) for the next run, which knows whether that one was read.
            return
        if len(self.queued) >= self.batch:
            self.crawler.stats.inc_value("khotin/captures_left_for_next_batch")
            return
        if capture.digest:
            self.claimed.add((key, capture.digest))
        self.queued.add(capture_id)
        yield scrapy.Request(
            capture.raw_url(self.wayback),
            callback=self.parse_capture,
            errback=self.capture_failed,
            # Oldest first (Scrapy takes the highest priority first): an article's
            # versions then usually arrive in time order.
            priority=-int(capture.timestamp[:8]),
            meta={
                "download_slot": CAPTURE_SLOT,
                "khotin_kind": "capture",
                "khotin_capture": capture,
                "handle_httpstatus_list": [301, 302, 303, 307, 308, 404, 410],
                "download_timeout": self.profile.crawl.download_timeout,
            },
        )

    def cdx_error(self, failure: Failure) -> None:
        self._cdx_broke(failure.getErrorMessage()[:300])

    def _cdx_broke(self, why: str) -> None:
        self.cdx_failed = why
        self.crawler.stats.set_value("khotin/cdx_failed", why)
        self.logger.error("the web archive's capture list could not be read: %s", why)

    # -- captures ---------------------------------------------------------------------

    def parse_capture(self, response: Response) -> Iterator[Any]:
        capture: Capture = response.meta["khotin_capture"]
        capture_id = ledger_id(capture.timestamp, capture.original)
        if 300 <= response.status < 400:
            target = response.urljoin(_header(response, "Location") or "")
            hops = response.meta.get("khotin_hops", 0)
            if _same_capture(target, capture, self.fetch_hosts[0]) and hops < 3:
                # The archive's own redirect to the nearest timestamp of the same page.
                yield response.request.replace(
                    url=target, meta={**response.meta, "khotin_hops": hops + 1}, dont_filter=True
                )
                return
            yield CaptureItem(capture_id, "redirect", f"HTTP {response.status} to {target}")
            return
        if response.status in (404, 410):
            yield CaptureItem(capture_id, "gone", f"the archive answers HTTP {response.status}")
            return
        content_type = _header(response, "Content-Type")
        if content_type and not is_html(content_type):
            yield CaptureItem(capture_id, "not-html", content_type)
            return
        page = capture.page(response.body, _original_headers(response))
        article = extract(page, None if self.generic else self.profile)
        article.site_id = self.profile.id
        links = 0
        if len(article.body_text or "") < 200:
            links = len(discover_links(page.text, page.url, [self.profile.host]).article_urls)
        outcome, why = judge_capture(article, article_links=links)
        if outcome != "article":
            yield CaptureItem(capture_id, outcome, why)
            return
        raw_url = response.url
        yield ArticleItem(
            article=article,
            page=page,
            source="web-archive",
            capture_url=raw_url,
            capture_id=capture_id,
        )
        for attachment in article.attachments:
            url = attachment.get("url")
            if not url or url in self.known_files:
                continue
            self.known_files.add(url)
            yield self._attachment_request(
                f"{self.wayback}/web/{capture.timestamp}id_/{url}", url, article.url
            )

    def capture_failed(self, failure: Failure) -> Iterator[Any]:
        request = getattr(failure, "request", None)
        capture = request.meta.get("khotin_capture") if request is not None else None
        if capture is not None:
            capture_id = ledger_id(capture.timestamp, capture.original)
            yield CaptureFailedItem(capture_id, failure.getErrorMessage()[:300])

    # -- attachments: the archive's capture nearest the article's ---------------------

    def _attachment_request(
        self, archived: str, url: str, article_url: str, hops: int = 0
    ) -> scrapy.Request:
        return scrapy.Request(
            archived,
            callback=self.parse_attachment,
            errback=self.attachment_failed,
            priority=-10,
            meta={
                "download_slot": CAPTURE_SLOT,
                "khotin_kind": "attachment",
                "khotin_attachment": url,
                "khotin_article": article_url,
                "khotin_hops": hops,
                "handle_httpstatus_list": [301, 302, 303, 307, 308, *ATTACHMENT_ERROR_STATUSES],
                "download_timeout": self.profile.crawl.download_timeout,
                "download_maxsize": self.profile.crawl.max_attachment_mb * 1024 * 1024,
            },
        )

    def parse_attachment(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        if 300 <= response.status < 400:
            # The archive sends a file's request to its nearest capture: followed, on the
            # archive's own host only, a few hops at most.
            target = response.urljoin(_header(response, "Location") or "")
            if same_host(target, self.fetch_hosts[0]) and meta["khotin_hops"] < 3:
                hops = meta["khotin_hops"] + 1
                yield self._attachment_request(
                    target, meta["khotin_attachment"], meta["khotin_article"], hops
                )
                return
        yield AttachmentItem(
            url=meta["khotin_attachment"],
            article_url=meta.get("khotin_article"),
            status=response.status,
            content_type=_header(response, "Content-Type"),
            content_disposition=_header(response, "Content-Disposition"),
            body=response.body if response.status == 200 else b"",
        )

    def attachment_failed(self, failure: Failure) -> Iterator[AttachmentItem]:
        request = getattr(failure, "request", None)
        if request is not None and request.meta.get("khotin_attachment"):
            yield AttachmentItem(
                url=request.meta["khotin_attachment"],
                article_url=request.meta.get("khotin_article"),
                status=None,
                error=failure.getErrorMessage()[:500],
            )


_CAPTURE_PATH = re.compile(r"^/web/\d{8,14}(?:id_)?/(?P<original>.+)$")


def _same_capture(target: str, capture: Capture, archive_host: str) -> bool:
    """``target`` is the archive's copy of the very page the capture is of (another
    timestamp of it), not a redirect the site itself answered with."""
    parts = urlsplit(target)
    if parts.netloc != archive_host:
        return False
    match = _CAPTURE_PATH.match(parts.path + (f"?{parts.query}" if parts.query else ""))
    return match is not None and identity_key(match.group("original")) == identity_key(
        capture.original
    )


def _on_host(url: str, host: str) -> bool:
    """The capture is of the site's host: any scheme, with or without ``www.`` or a
    default port (the forms archives captured the same site under)."""
    return identity_key(url).split("/", 1)[0] == identity_key(f"http://{host}/").split("/", 1)[0]


def _original_headers(response: Response) -> dict[str, str]:
    """The headers the site sent, as the archive replays them: the Wayback Machine
    prefixes the originals with ``x-archive-orig-`` and keeps Content-Type as is."""
    headers: dict[str, str] = {}
    for name, values in response.headers.items():
        key = name.decode("latin-1")
        value = values[-1].decode("latin-1")
        if key.lower().startswith("x-archive-orig-"):
            headers.setdefault(key[len("x-archive-orig-") :], value)
        elif key.lower() == "content-type":
            headers["Content-Type"] = value
    return headers
