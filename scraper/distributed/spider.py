"""The site spider as a worker of a distributed crawl.

Same requests, same parsing, same items as ``SiteSpider``; what differs is where its
state comes from (Redis, seeded by the writer, instead of the archive file the worker
may not have), when it is done (when its site's queue is empty and no worker holds a
request of it, not when this process has nothing left), and that every callback ends
by settling its ticket.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scraper.distributed.context import WorkerContext, current
from scraper.distributed.queue import TICKET, settle, settle_own
from scraper.distributed.rounds import reap
from scraper.distributed.scheduler import CALLBACK, ERRBACK
from scraper.failures import FAILED_PAGES
from scraper.spiders.site import SiteSpider

# The callbacks and errbacks a request from the queue may name.
HANDLERS = frozenset(
    (
        "parse",
        "parse_listing",
        "parse_article",
        "parse_attachment",
        "listing_failed",
        "attachment_failed",
    )
)
# What a worker's stats tell the writer when its part of a site's run ends.
REPORTED_PREFIXES = ("khotin/", "log_count/ERROR", "spider_exceptions/")
REPORTED_KEYS = ("downloader/request_count", "response_received_count", "item_scraped_count")


class SharedSet:
    """The archive's files as the writer keeps them in Redis, asked about one by one;
    what this worker asks for in this run is remembered here too."""

    def __init__(self, server: Any, key: str) -> None:
        self.server = server
        self.key = key
        self.local: set[str] = set()

    def __contains__(self, url: object) -> bool:
        return url in self.local or bool(self.server.sismember(self.key, str(url)))

    def add(self, url: str) -> None:
        self.local.add(url)


@dataclass
class Settled:
    """The last output of a callback: everything it produced has been handed on."""

    ticket: str | None
    url: str


class DistributedSiteSpider(SiteSpider):
    name = "site"

    def __init__(self, *args: Any, spec: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # How the writer rebuilds this profile: a bundled one by id (maybe on a mirror)
        # or the generic one of a start URL.
        self.spec = spec or {"site": self.profile.id}
        self.context: WorkerContext = current()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> DistributedSiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        return spider

    # -- state, from the writer --------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        ctx = self.context
        site = self.profile.id
        ctx.server.sadd(ctx.keys.round_sites(ctx.round_id), site)
        self._tell("opened", spec=self.spec, mode=self.mode)
        state = await self._state_from_writer()
        if state is None:
            self.archive_damaged = (
                f"no state for {site} from the archive writer within {ctx.state_wait:.0f} s: "
                "is `khotin store` running against the same Redis?"
            )
            self.logger.error("%s: not crawling it", self.archive_damaged)
            self.crawler.stats.set_value("khotin/distributed_error", self.archive_damaged)
        else:
            self._apply_state(state)
        async for request in super().start():
            yield request

    async def _state_from_writer(self) -> dict[str, Any] | None:
        ctx = self.context
        key = ctx.keys.state(self.profile.id, "data")
        deadline = time.monotonic() + ctx.state_wait
        while time.monotonic() < deadline:
            raw = ctx.server.get(key)
            if raw:
                state = json.loads(raw)
                if state.get("round") == ctx.round_id:
                    return state
            await asyncio.sleep(0.2)
        return None

    def _apply_state(self, state: dict[str, Any]) -> None:
        ctx = self.context
        self.known = {
            m.decode() for m in ctx.server.smembers(ctx.keys.state(self.profile.id, "known"))
        }
        self.validators = {url: tuple(v) for url, v in state["validators"].items()}
        self.known_files = SharedSet(ctx.server, ctx.keys.files)
        self.listing_validators = {url: tuple(v) for url, v in state["listings"].items()}
        self.resume = self.mode == "incremental" and state["resume"]
        self.retry_articles = state["retry_articles"]
        self.retry_files = [tuple(pair) for pair in state["retry_files"]]
        if self.mode == "incremental":
            self.revisits = state["revisits"]

    # -- settling ----------------------------------------------------------------------

    def settle_callback(self, response: Response) -> Iterator[Any]:
        name = response.meta.get(CALLBACK)
        yield from self._settled(response.request, self._handler(name or "parse"), response)

    def _handler(self, name: str) -> Any:
        """A callback named in a request from Redis: only the spider's own handlers (a
        queue anyone can write to must not choose which method runs)."""
        if name not in HANDLERS:
            raise ValueError(f"not a callback of a khotin spider: {name!r}")
        return getattr(self, name)

    def settle_errback(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        name = request.meta.get(ERRBACK)
        if name is None:
            # As with no errback at all: a request a middleware refused (robots.txt, off
            # the site) is quietly dropped; a lost page is recorded and logged by
            # ReportFailuresMiddleware; an error status is noted.
            if failure.check(IgnoreRequest, HttpError):
                self.logger.info("not archived: %s: %s", request.url, failure.getErrorMessage())
            yield Settled(request.meta.get(TICKET), request.url)
            return
        yield from self._settled(request, self._handler(name), failure)

    def _settled(self, request: Request, handler: Any, arg: Any) -> Iterator[Any]:
        ticket = request.meta.get(TICKET)
        try:
            out = handler(arg)
            if out is not None:
                yield from out
        except Exception:
            # A parsing bug: the request is done with (as in a single-process crawl),
            # not held for ever.
            self._settle_now(ticket)
            raise
        yield Settled(ticket, request.url)

    def _settle_now(self, ticket: str | None) -> None:
        if ticket is not None:
            ctx = self.context
            settle(ctx.server, ctx.keys, ctx.worker, ctx.round_id, self.profile.id, ticket)

    # -- when the site is done ---------------------------------------------------------

    def on_idle(self, spider: Any) -> None:
        """Idle here is not done: another worker may hold requests of this site whose
        answers bring more, and a dead worker's requests come back to the queue."""
        ctx = self.context
        reap(ctx.server, ctx.keys)
        site = self.profile.id
        # Idle, this worker holds nothing of the site in flight: a ticket of it still in
        # its own hash is a request Scrapy dropped unseen (an off-site redirect refused
        # at scheduling, an error on the way): done with, or the site never ends.
        left = settle_own(ctx.server, ctx.keys, ctx.worker, ctx.round_id, site)
        if left:
            self.logger.warning("%d requests of %s were dropped unsettled: settled", left, site)
        queued = ctx.server.zcard(ctx.keys.requests(ctx.round_id, site))
        held = int(ctx.server.get(ctx.keys.inflight(ctx.round_id, site)) or 0)
        if queued or held:
            raise DontCloseSpider

    def on_closed(self, spider: Any, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        reported = {
            k: v
            for k, v in stats.items()
            if (k.startswith(REPORTED_PREFIXES) or k in REPORTED_KEYS)
            and isinstance(v, int | float | str | list)
        }
        reported[FAILED_PAGES] = stats.get(FAILED_PAGES) or []
        self._tell("closed", reason=reason, stats=reported)

    def _tell(self, kind: str, **fields: Any) -> None:
        ctx = self.context
        meta = {"site": self.profile.id, "worker": ctx.worker, "round": ctx.round_id, **fields}
        ctx.server.xadd(ctx.keys.items, {"kind": kind, "meta": json.dumps(meta, default=str)})
