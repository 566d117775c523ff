"""Politeness held across every worker: one request at a time per host, the site's delay
between the end of one and the start of the next, and a server's Retry-After for all.

Scrapy keeps these per process (download slots); with several workers each would keep
its own. Here a host's turn is a lock in Redis, taken before the request leaves and
given back when its answer (or failure) arrives, setting the earliest moment of the
next turn. Times are Redis's own clock, so machines need not agree on the time.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.http import Response

from scraper.distributed.connection import Keys
from scraper.distributed.context import current

# KEYS: lock, next.  ARGV: worker, lock ttl ms.  0 when the turn is ours, else ms to wait.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local next_at = tonumber(redis.call('GET', KEYS[2]) or '0')
if next_at > now then return next_at - now end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 0
"""
# KEYS: lock, next.  ARGV: worker, delay ms, wait ms (Retry-After).
_GIVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
local next_at = now + math.max(tonumber(ARGV[2]), tonumber(ARGV[3]))
local before = tonumber(redis.call('GET', KEYS[2]) or '0')
if next_at > before then
  redis.call('SET', KEYS[2], next_at, 'PX', next_at - now + 60000)
end
return 1
"""
POLL = 0.05  # seconds between asks while another worker has the host
TURN = "khotin_host_turn"
RETRY_AFTER_STATUSES = (429, 503)


def host_of(url: str) -> str:
    """Host and port: two sites on one machine are two hosts to be polite to."""
    return urlsplit(url).netloc.lower()


class HostGateMiddleware:
    """Downloader middleware, last before the download (and first to see the answer)."""

    def __init__(self, crawler: Any, server: Any, keys: Keys, worker: str) -> None:
        self.crawler = crawler
        self.server = server
        self.keys = keys
        self.worker = worker
        self.retry_after_max = crawler.settings.getfloat("RETRY_AFTER_MAX", 120.0)
        self.delay_override = crawler.settings.get("KHOTIN_HOST_DELAY")
        self._take = server.register_script(_TAKE)
        self._give = server.register_script(_GIVE)
        self.waited = 0.0
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> HostGateMiddleware:
        context = current()
        return cls(crawler, context.server, context.keys, context.worker)

    def _delay(self, spider: Any) -> float:
        if self.delay_override is not None:
            return float(self.delay_override)
        profile = getattr(spider, "profile", None)
        return profile.crawl.delay if profile is not None else 1.0

    async def process_request(self, request: Request, spider: Any = None) -> None:
        spider = spider or self.crawler.spider
        host = host_of(request.url)
        # One local download slot per host too (Scrapy's default slot is the host name
        # without the port).
        request.meta.setdefault("download_slot", host)
        timeout = float(request.meta.get("download_timeout") or 30)
        ttl_ms = int((timeout + 30) * 1000)
        self.server.sadd(self.keys.hosts, host)
        while True:
            wait = self._take(
                keys=[self.keys.host_lock(host), self.keys.host_next(host)],
                args=[self.worker, ttl_ms],
            )
            if wait == 0:
                break
            pause = POLL if wait < 0 else min(wait / 1000.0, 5.0)
            self.waited += pause
            await asyncio.sleep(pause)
        request.meta[TURN] = host
        return None

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        extra = 0.0
        if response.status in RETRY_AFTER_STATUSES:
            extra = min(_retry_after(response.headers.get("Retry-After")), self.retry_after_max)
        self._end_turn(request, spider, extra)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        self._end_turn(request, spider, 0.0)
        return None

    def _end_turn(self, request: Request, spider: Any, extra: float) -> None:
        host = request.meta.pop(TURN, None)
        if host is None:
            return
        delay = self._delay(spider or self.crawler.spider)
        self._give(
            keys=[self.keys.host_lock(host), self.keys.host_next(host)],
            args=[self.worker, int(delay * 1000), int(extra * 1000)],
        )

    def _closed(self, spider: Any) -> None:
        self.crawler.stats.set_value("khotin/host_gate_waited_s", round(self.waited, 1))


def _retry_after(value: bytes | None) -> float:
    if not value:
        return 0.0
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return 0.0
    if moment.tzinfo is None:  # "-0000": UTC by RFC 5322
        moment = moment.replace(tzinfo=UTC)
    return max((moment - datetime.now(UTC)).total_seconds(), 0.0)
