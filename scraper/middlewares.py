"""Downloader middlewares: retries kind to a struggling server, a crawl that stays on
its site, and failures that are reported instead of dropped.

Retries: Scrapy's RetryMiddleware retries at once. A department server answering 503 is
usually overloaded or in maintenance; hammering it again makes things worse. This
subclass waits before each retry: as long as the server's ``Retry-After`` asks (up to
``RETRY_AFTER_MAX`` seconds; longer requests are not honoured, the retry is given up),
or else an exponential backoff from ``RETRY_BACKOFF_BASE``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import get_meta_refresh, response_status_message
from twisted.internet import reactor
from twisted.internet.task import deferLater
from w3lib.url import safe_url_string

from scraper.failures import record_failure
from scraper.parsing.links import on_site


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (a number or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class PoliteRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):  # type: ignore[no-untyped-def]
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: object = None
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is not None and asked > self.retry_after_max:
            self.crawler.stats.inc_value("khotin/retry_after_too_long")
            return response  # the server asked for more patience than a nightly run has
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        attempt = retry.meta.get("retry_times", 1)
        delay = asked if asked is not None else self.backoff_base * 2 ** (attempt - 1)
        delay = min(delay, self.retry_after_max if asked is not None else self.backoff_max)
        if delay > 0:
            self.crawler.stats.inc_value("khotin/retry_wait_seconds", delay)
            # Scrapy runs this coroutine on asyncio: a Twisted Deferred must be wrapped.
            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return retry


class StayOnSiteMiddleware:
    """Redirects and ``<meta refresh>`` are followed only to the site's own hosts.

    Scrapy's offsite check compares host names without ports, so a redirect from a site
    on 127.0.0.1:8721 to 127.0.0.1:9000 (another service on the same machine) would be
    followed and archived as the site's page. This runs before Scrapy's redirect
    middlewares see the response: an off-site target is recorded (an ERROR line, so
    the run counts it) and not followed."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> StayOnSiteMiddleware:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        spider = spider or self.crawler.spider
        profile = getattr(spider, "profile", None)
        if profile is None:
            return response
        # A backfill fetches from the web archive, never from the site itself.
        hosts = getattr(spider, "fetch_hosts", None) or profile.hosts
        target = _redirect_target(request, response)
        if target is None or on_site(target, hosts):
            return response
        self.crawler.stats.inc_value("khotin/offsite_redirects")
        record_failure(
            self.crawler.stats,
            request.url,
            f"redirects off the site to {target}",
            kind=request.meta.get("khotin_kind"),
            status=response.status,
        )
        spider.logger.error(
            "%s: redirects off the site to %s (%s); not followed",
            request.url,
            target,
            "meta refresh" if response.status == 200 else f"HTTP {response.status}",
        )
        raise IgnoreRequest(f"off-site redirect to {target}")


def _redirect_target(request: Request, response: Response) -> str | None:
    if 300 <= response.status < 400 and response.status != 304:
        location = response.headers.get("Location")
        if location:
            return safe_url_string(urljoin(request.url, location.decode("latin-1")))
        return None
    if isinstance(response, HtmlResponse):
        interval, url = get_meta_refresh(response)
        if url:
            return url
    return None


class ReportFailuresMiddleware:
    """A listing or article page the site would not give is an error of the run.

    Scrapy drops a 403, or a 503 still failing after its retries, at INFO level, and a
    download refused for its size with a WARNING: the run said "ok" with pages missing.
    This sits after the retries (it sees only what they gave up on) and logs each such
    page at ERROR with its URL, so the run ends "partial" and says which pages."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> ReportFailuresMiddleware:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        meta = request.meta
        if response.status < 400 or meta.get("handle_httpstatus_all"):
            return response
        if response.status in meta.get("handle_httpstatus_list", ()):
            return response
        if _reported_elsewhere(request):
            return response
        self.crawler.stats.inc_value(f"khotin/failed_status/{response.status}")
        asked = response.headers.get("Retry-After")
        record_failure(
            self.crawler.stats,
            request.url,
            f"HTTP {response.status}",
            kind=request.meta.get("khotin_kind"),
            status=response.status,
        )
        (spider or self.crawler.spider).logger.error(
            "%s: HTTP %d%s; page not archived this run",
            request.url,
            response.status,
            f" (Retry-After {asked.decode('latin-1')})" if asked else "",
        )
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        if isinstance(exception, IgnoreRequest) or _reported_elsewhere(request):
            return None
        self.crawler.stats.inc_value("khotin/failed_downloads")
        record_failure(
            self.crawler.stats,
            request.url,
            type(exception).__name__,
            kind=request.meta.get("khotin_kind"),
        )
        (spider or self.crawler.spider).logger.error(
            "%s: could not be downloaded (%s: %s); page not archived this run",
            request.url,
            type(exception).__name__,
            str(exception)[:200] or "no detail",
        )
        return None


def _reported_elsewhere(request: Request) -> bool:
    """robots.txt is Scrapy's business; listings and attachments have errbacks that
    record their own failures. (A distributed worker routes every request through a
    settling errback and keeps the spider's own errback's name in ``khotin_errback``.)"""
    if request.url.endswith("/robots.txt"):
        return True
    if "khotin_errback" in request.meta:
        return request.meta["khotin_errback"] is not None
    return request.errback is not None
