"""The generic spider: any site, driven by its profile.

``scrapy crawl site -a site=SITE_ID`` (or ``khotin crawl SITE_ID``) walks the
profile's listing pages newest first, follows each article link once, and hands each
article page to the parsing layer. The spider only decides what to fetch; what a page
means is decided in ``scraper.parsing``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from scraper.parsing.article import extract_article
from scraper.parsing.discovery import discover_links
from scraper.parsing.encoding import Decoded, decode_page
from scraper.parsing.listing import extract_listing
from scraper.sites import SiteProfile, generic_profile, load_profile


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(
        self,
        site: str | None = None,
        base_url: str | None = None,
        profile: SiteProfile | None = None,
        start_url: str | None = None,
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
        self.profile = profile
        self.allowed_domains = [profile.host.split(":")[0]]
        self.listing_pages = 0
        self.article_requests = 0

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # The profile's delay, below anything given on the command line (-s DOWNLOAD_DELAY).
        crawler.settings.set("DOWNLOAD_DELAY", spider.profile.crawl.delay, priority="spider")
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.profile.absolute_start_urls():
            self.listing_pages += 1
            yield scrapy.Request(url, callback=self.parse_listing, priority=10)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            self.logger.warning("listing %s is not a text page", response.url)
            return
        text = _decode(response).text
        if self.profile.listing.article_links:
            listing = extract_listing(text, response.url, self.profile.listing, self.profile.hosts)
        else:
            listing = discover_links(text, response.url, self.profile.hosts)
        if not listing.article_urls:
            self.crawler.stats.inc_value("khotin/empty_listings")
            self.logger.warning("listing %s has no article links", response.url)
        for url in listing.article_urls:
            if self.article_requests >= self.profile.crawl.max_articles:
                break
            self.article_requests += 1
            yield response.follow(self.profile.to_mirror(url), callback=self.parse_article)
        for url in listing.next_urls[:1]:
            if self.listing_pages < self.profile.crawl.max_listing_pages:
                self.listing_pages += 1
                # Listing pages before articles, so paging stays in order (newest first).
                yield response.follow(
                    self.profile.to_mirror(url), callback=self.parse_listing, priority=10
                )

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        if not isinstance(response, TextResponse):
            self.logger.warning("article %s is not a text page", response.url)
            return
        decoded = _decode(response)
        if decoded.note:
            self.logger.info("%s: %s", response.url, decoded.note)
            self.crawler.stats.inc_value(f"khotin/decoded_{decoded.encoding}")
        article = extract_article(
            decoded.text,
            response.url,
            self.profile.article,
            site_id=self.profile.id,
            default_category=self.profile.category,
        )
        article["raw"] = {
            "url": response.url,
            "status": response.status,
            "headers": {
                k.decode("latin-1"): [v.decode("latin-1") for v in vs]
                for k, vs in response.headers.items()
            },
            "body": response.body,
        }
        yield article


def _decode(response: TextResponse) -> Decoded:
    """The page as text, decoded by khotin's rules for Vietnamese pages (wrong or missing
    charsets, windows-1258, TCVN3/VNI-typed text) rather than Scrapy's generic ones."""
    content_type = response.headers.get("Content-Type")
    return decode_page(response.body, content_type.decode("latin-1") if content_type else None)
