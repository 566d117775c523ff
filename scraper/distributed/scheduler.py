"""scrapy-redis's scheduler, keyed per site and round, handing out tickets.

Each site's spider gets the queue and duplicate filter of its site in the current
round (scrapy-redis keys them by spider name, and every khotin spider is "site"). The
queue is ``ReliableQueue``; nothing is flushed when a spider closes, since other
workers may still be on the site: the round's last worker clears it.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from scraper.distributed import serializer
from scraper.distributed.context import WorkerContext, current
from scraper.distributed.queue import ReliableQueue

# Callbacks and errbacks are run through the spider's settling wrappers; the names of
# the real ones travel in the request's meta.
CALLBACK = "khotin_callback"
ERRBACK = "khotin_errback"


class DistributedScheduler(Scheduler):
    def __init__(self, context: WorkerContext, stats: Any = None) -> None:
        super().__init__(server=context.server, persist=True, serializer=serializer)
        self.context = context
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> DistributedScheduler:
        return cls(current(), crawler.stats)

    def open(self, spider: Any) -> None:
        self.spider = spider
        keys, round_id, site = self.context.keys, self.context.round_id, spider.profile.id
        self.queue = ReliableQueue(
            self.server,
            spider,
            keys.requests(round_id, site),
            serializer,
            keys=keys,
            worker=self.context.worker,
            inflight_key=keys.inflight(round_id, site),
        )
        self.df = RFPDupeFilter(self.server, keys.seen(round_id, site))
        if len(self.queue):
            spider.logger.info("joining %s: %d requests already queued", site, len(self.queue))

    def enqueue_request(self, request: Request) -> bool:
        """scrapy-redis's filter-then-push, as one Redis step."""
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        queued = self.queue.push(request, self.df.key, fingerprint)
        if not queued:
            self.df.log(request, self.spider)
        elif self.stats:
            self.stats.inc_value("scheduler/enqueued/redis", spider=self.spider)
        return queued

    def close(self, reason: str) -> None:
        """Nothing to flush: the round's queues belong to every worker of the round."""

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is None:
            return None
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis", spider=self.spider)
        settle_through(request, self.spider)
        return request


def settle_through(request: Request, spider: Any) -> None:
    """Route the request's callback and errback through the spider's settling wrappers,
    which yield a ``Settled`` item after everything the real ones produce."""
    if _name(request.callback) != "settle_callback":
        request.meta[CALLBACK] = _name(request.callback)
        request.callback = spider.settle_callback
    if _name(request.errback) != "settle_errback":
        request.meta[ERRBACK] = _name(request.errback)
        request.errback = spider.settle_errback


def _name(method: Any) -> str | None:
    return getattr(method, "__name__", None)
