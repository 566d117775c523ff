"""Retries that are kind to a struggling server.

Scrapy's RetryMiddleware retries at once. A department server answering 503 is
usually overloaded or in maintenance; hammering it again makes things worse. This
subclass waits before each retry: as long as the server's ``Retry-After`` asks (up to
``RETRY_AFTER_MAX`` seconds; longer requests are not honoured, the retry is given up),
or else an exponential backoff from ``RETRY_BACKOFF_BASE``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import reactor
from twisted.internet.task import deferLater


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
