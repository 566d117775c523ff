"""robots.txt read once per host for every worker of a crawl, not once per worker.

Scrapy's middleware keeps each host's rules per process; here the first worker to fetch
a host's robots.txt leaves its bytes in Redis for a few hours and the others read the
rules from there, so a site sees one robots.txt request per crawl and every worker obeys
the same rules.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

from scraper.distributed.context import current

KEEP_SECONDS = 6 * 3600
FETCH_WAIT = 60  # seconds others wait for the worker fetching a host's robots.txt


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.context = current()

    def _key(self, netloc: str) -> str:
        return self.context.keys.robots(netloc)

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            body = await self._shared(netloc)
            if body is not None:
                self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, body)
                self._stats.inc_value("robotstxt/shared")
        return await super().robot_parser(request)

    async def _shared(self, netloc: str) -> bytes | None:
        """The host's robots.txt as another worker fetched it; None when this worker is
        the one to fetch it (or the one fetching took too long)."""
        server, key = self.context.server, self._key(netloc)
        deadline = time.monotonic() + FETCH_WAIT
        while True:
            body = server.get(key)
            if body is not None:
                return body
            if server.set(key + ":fetching", self.context.worker, nx=True, ex=FETCH_WAIT):
                return None
            if time.monotonic() > deadline:
                return None
            await asyncio.sleep(0.1)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        # The fetch failed: let the next worker try at once rather than wait it out.
        self.context.server.delete(self._key(netloc) + ":fetching")
        super()._robots_error(exc, netloc)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        self.context.server.set(self._key(netloc), response.body, ex=KEEP_SECONDS)
        await super()._parse_robots(response, netloc, request)
