"""The generic spider: any site, driven by its profile.

``scrapy crawl site -a site=SITE_ID`` (or ``khotin crawl SITE_ID``) walks the
profile's listing pages newest first and hands each article page to the parsing
layer. The spider only decides what to fetch; what a page means is decided in
``scraper.parsing``, and what is kept in ``scraper.pipelines``.

By default a crawl is incremental: listing pages are asked for conditionally
(ETag / Last-Modified), paging stops once ``overlap_pages`` pages in a row bring no
article the archive does not have, only new articles are fetched, and recently
published ones are re-checked on a schedule to catch silent edits and removals.
``mode="full"`` walks every listing page and re-checks every article (still
conditionally, so unchanged pages cost a 304).
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from archive.store import Archive, ArchiveError
from scraper.extract import extract
from scraper.failures import record_failure
from scraper.items import (
    ArticleItem,
    AttachmentItem,
    ListingItem,
    RemovedItem,
    UnchangedItem,
)
from scraper.parsing.discovery import discover_links
from scraper.parsing.fields import Article
from scraper.parsing.links import same_host
from scraper.parsing.listing import extract_listing
from scraper.parsing.page import Page
from scraper.sites import SiteProfile, generic_profile, load_profile

LISTING_PRIORITY = 10
ARTICLE_PRIORITY = 0
ATTACHMENT_PRIORITY = -10


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(
        self,
        site: str | None = None,
        base_url: str | None = None,
        profile: SiteProfile | None = None,
        start_url: str | None = None,
        mode: str = "incremental",
        since: str | None = None,
        revisit_after_hours: str | float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if profile is None:
            if start_url:
                profile = generic_profile(start_url)
            elif site:
                profile = load_profile(site)
            else:
                raise ValueError(
                    "which site? use -a site=SITE_ID (see `khotin sites`) or -a start_url=URL"
                )
        if base_url:
            profile = profile.rebased(base_url)
        if mode not in ("incremental", "full"):
            raise ValueError(f"mode must be incremental or full, not {mode!r}")
        self.profile = profile
        self.mode = mode
        self.since = since
        self.revisit_after_hours = (
            float(revisit_after_hours)
            if revisit_after_hours is not None
            else profile.crawl.revisit_after_hours
        )
        self.allowed_domains = [profile.host.split(":")[0]]
        self.listing_pages = 0
        self.article_requests = 0
        self.quiet_pages = 0  # listing pages in a row with nothing new
        self.repeat_pages = 0  # listing pages in a row showing only links seen this run
        self.seen_this_run: set[str] = set()
        self.stop_paging = False
        self.known: set[str] = set()
        self.validators: dict[str, tuple[str | None, str | None]] = {}
        self.known_files: set[str] = set()
        self.revisits: list[str] = []
        self.retry_articles: list[str] = []
        self.retry_files: list[tuple[str, str]] = []
        self.listing_validators: dict[str, tuple[str | None, str | None]] = {}
        self.resume = False
        self.archive_damaged: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # The profile's delay, below anything given on the command line (-s DOWNLOAD_DELAY).
        crawler.settings.set("DOWNLOAD_DELAY", spider.profile.crawl.delay, priority="spider")
        if not spider.profile.crawl.verify_tls:
            crawler.settings.set("DOWNLOAD_VERIFY_CERTIFICATES", False, priority="spider")
        spider.load_state(crawler.settings.get("KHOTIN_DB"))
        return spider

    def load_state(self, db_path: str | None) -> None:
        """What the archive already holds for this site: the crawl skips it. A damaged
        archive is noted (nothing is fetched, the run says why) instead of crashing
        the whole crawl process."""
        if not db_path:
            return
        try:
            self._load_state(db_path)
        except (sqlite3.DatabaseError, ArchiveError) as exc:
            self.archive_damaged = f"the archive cannot be read ({exc}): run `khotin verify`"

    def _load_state(self, db_path: str) -> None:
        with Archive(db_path) as archive:
            self.known = archive.known_urls(self.profile.id)
            self.validators = archive.article_validators(self.profile.id)
            self.known_files = archive.known_attachment_urls()
            self.listing_validators = {
                url: archive.listing_validators(url) for url in self.profile.absolute_start_urls()
            }
            # After a crawl that did not end normally, walk every listing page again.
            self.resume = self.mode == "incremental" and not archive.last_walk_complete(
                self.profile.id
            )
            # What earlier runs wanted and did not get, due again (archive.ledger).
            self.retry_articles = archive.ledger.due(self.profile.id, "article")
            if self.profile.crawl.download_attachments:
                self.retry_files = archive.ledger.unfetched_attachments(self.profile.id)
            if self.mode == "incremental":
                self.revisits = archive.due_for_revisit(
                    self.profile.id,
                    within_days=self.profile.crawl.revisit_days,
                    after_hours=self.revisit_after_hours,
                )

    # -- requests -----------------------------------------------------------------------

    def _conditional(self, validators: tuple[str | None, str | None] | None) -> dict[str, str]:
        etag, modified = validators or (None, None)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        return headers

    def _listing_request(self, url: str, first: bool = False) -> scrapy.Request:
        self.listing_pages += 1
        headers = {}
        if first and self.mode == "incremental" and not self.resume:
            headers = self._conditional(self.listing_validators.get(url))
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            headers=headers,
            # With --since, a page's articles come before the next page, so paging can
            # stop as soon as they are older than the limit.
            priority=-1 if self.since else LISTING_PRIORITY,
            meta={
                "handle_httpstatus_list": [304],
                "khotin_kind": "listing",
                "khotin_first_listing": first,
                "download_timeout": self.profile.crawl.download_timeout,
            },
        )

    def _article_request(self, url: str, conditional: bool) -> scrapy.Request:
        headers = self._conditional(self.validators.get(url)) if conditional else {}
        return scrapy.Request(
            url,
            callback=self.parse_article,
            headers=headers,
            priority=ARTICLE_PRIORITY,
            meta={
                "handle_httpstatus_list": [304, 404, 410],
                "khotin_kind": "article",
                "download_timeout": self.profile.crawl.download_timeout,
            },
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.archive_damaged:
            self.logger.error("%s: not crawling %s", self.archive_damaged, self.profile.id)
            return
        for url in self.profile.absolute_start_urls():
            yield self._listing_request(url, first=True)
        for url in self.revisits:
            self.crawler.stats.inc_value("khotin/revisits")
            yield self._article_request(url, conditional=True)
        for url in self.retry_articles:
            # Also when already archived: `khotin verify` queues articles whose stored page
            # was damaged, to store it again.
            self.crawler.stats.inc_value("khotin/retried_articles")
            yield self._article_request(url, conditional=False)
        for url, article_url in self.retry_files:
            request = self._attachment_request(url, article_url)
            if request is not None:
                self.crawler.stats.inc_value("khotin/retried_attachments")
                yield request

    # -- listings -----------------------------------------------------------------------

    def listing_failed(self, failure: Failure) -> None:
        self.crawler.stats.inc_value("khotin/listing_failures")
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "a listing page"
        record_failure(
            self.crawler.stats, url, f"listing: {failure.getErrorMessage()[:120]}", kind="listing"
        )
        self.logger.error("listing %s failed: %s", url, failure.getErrorMessage())

    def parse_listing(self, response: Response) -> Iterator[Any]:
        first = response.meta.get("khotin_first_listing", False)
        if response.status == 304:
            self.crawler.stats.inc_value("khotin/listing_not_modified")
            return  # the first page is as it was: nothing new anywhere
        if not isinstance(response, TextResponse):
            self.logger.warning("listing %s is not a text page", response.url)
            self.crawler.stats.inc_value("khotin/empty_listings")
            return
        text = page_of(response).text
        if self.profile.listing.article_links:
            listing = extract_listing(text, response.url, self.profile.listing, self.profile.hosts)
        else:
            listing = discover_links(text, response.url, self.profile.hosts)
        self.crawler.stats.inc_value("khotin/listing_pages")
        self.crawler.stats.inc_value("khotin/listing_links", len(listing.article_urls))
        if first:
            yield ListingItem(
                url=response.url,
                status=response.status,
                etag=_header(response, "ETag"),
                last_modified=_header(response, "Last-Modified"),
                article_links=len(listing.article_urls),
            )
        if not listing.article_urls:
            self.crawler.stats.inc_value("khotin/empty_listings")
            self.logger.warning("listing %s has no article links", response.url)
            return
        urls = [self.profile.to_mirror(url) for url in listing.article_urls]
        new = [url for url in urls if url not in self.known]
        self.quiet_pages = 0 if new else self.quiet_pages + 1
        # A pager that never ends shows the same articles again past the last page.
        repeated = all(url in self.seen_this_run for url in urls)
        self.repeat_pages = self.repeat_pages + 1 if repeated else 0
        self.seen_this_run.update(urls)
        wanted = urls if self.mode == "full" else new
        for url in wanted:
            if self.article_requests >= self.profile.crawl.max_articles:
                break
            self.article_requests += 1
            yield self._article_request(url, conditional=url in self.known)
        if self.repeat_pages > self.profile.crawl.overlap_pages:
            self.crawler.stats.inc_value("khotin/endless_pager_stopped")
            self.logger.info("listing pages repeat what was already seen: stop paging")
            return
        quiet_limit = self.profile.crawl.overlap_pages
        if self.mode == "incremental" and not self.resume and self.quiet_pages > quiet_limit:
            self.logger.info("nothing new on the last %d listing pages: stop", self.quiet_pages)
            return
        for url in listing.next_urls[:1]:
            if self.stop_paging or self.listing_pages >= self.profile.crawl.max_listing_pages:
                break
            yield self._listing_request(self.profile.to_mirror(url))

    # -- articles -----------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        if response.status == 304:
            yield UnchangedItem(response.url)
            return
        if response.status in (404, 410):
            yield RemovedItem(response.url, response.status)
            return
        if not isinstance(response, TextResponse):
            self.logger.warning("article %s is not a text page", response.url)
            return
        page = page_of(response)
        if page.decoded.note:
            self.logger.info("%s: %s", response.url, page.decoded.note)
            self.crawler.stats.inc_value(f"khotin/decoded_{page.decoded.encoding}")
        article = extract(page, self.profile)
        if self.since and article.published_at and article.published_at[:10] < self.since:
            # Older than asked for: not kept, and no need to page further back.
            self.crawler.stats.inc_value("khotin/skipped_before_since")
            self.stop_paging = True
            return
        yield ArticleItem(article, page)
        if self.profile.crawl.download_attachments:
            yield from self._attachment_requests(article)

    # -- attachments --------------------------------------------------------------------

    def _attachment_requests(self, article: Article) -> Iterator[scrapy.Request]:
        for attachment in article.attachments:
            request = self._attachment_request(attachment["url"], article.url)
            if request is not None:
                yield request

    def _attachment_request(self, url: str, article_url: str | None) -> scrapy.Request | None:
        """One download per file and run; None when it is stored, judged gone, or on
        another host (we stay on the site)."""
        fetched = self.profile.to_mirror(url)
        if url in self.known_files or fetched in self.known_files:
            return None
        if not any(same_host(fetched, h) for h in self.profile.hosts):
            return None
        self.known_files.add(fetched)
        return scrapy.Request(
            fetched,
            callback=self.parse_attachment,
            errback=self.attachment_failed,
            priority=ATTACHMENT_PRIORITY,
            meta={
                # Error statuses come to parse_attachment to be recorded; redirects are
                # left to Scrapy (within the site: scraper.middlewares.StayOnSiteMiddleware).
                "handle_httpstatus_list": ATTACHMENT_ERROR_STATUSES,
                "download_maxsize": self.profile.crawl.max_attachment_mb * 1024 * 1024,
                "khotin_kind": "attachment",
                "khotin_attachment": url,
                "khotin_article": article_url,
                "download_timeout": self.profile.crawl.download_timeout,
            },
        )

    def parse_attachment(self, response: Response) -> Iterator[AttachmentItem]:
        yield AttachmentItem(
            url=response.meta.get("khotin_attachment", response.url),
            article_url=response.meta.get("khotin_article"),
            status=response.status,
            content_type=_header(response, "Content-Type"),
            content_disposition=_header(response, "Content-Disposition"),
            body=response.body if response.status == 200 else b"",
        )

    def attachment_failed(self, failure: Failure) -> Iterator[AttachmentItem]:
        request = failure.request if hasattr(failure, "request") else None
        url = request.meta.get("khotin_attachment") if request is not None else None
        self.crawler.stats.inc_value("khotin/attachment_failures")
        if url:
            yield AttachmentItem(
                url=url,
                article_url=request.meta.get("khotin_article"),
                status=None,
                error=failure.getErrorMessage()[:500],
            )


ATTACHMENT_ERROR_STATUSES = list(range(400, 600))


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def page_of(response: Response) -> Page:
    """The response as khotin keeps and reads it: decoded by khotin's rules for
    Vietnamese pages (wrong or missing charsets, windows-1258, TCVN3/VNI-typed text)
    rather than Scrapy's generic ones, and dated now."""
    return Page(
        url=response.url,
        body=response.body,
        status=response.status,
        headers=tuple(
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items()
            for value in values
        ),
        fetched_at=datetime.now(UTC),
    )
