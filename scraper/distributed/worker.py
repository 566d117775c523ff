"""``khotin crawl --distributed URL``: one worker of a distributed crawl."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from typing import Any

from scraper.distributed.connection import Keys, connect, shown, worker_name
from scraper.distributed.context import WorkerContext, install
from scraper.distributed.rounds import Membership, reap
from scraper.runner import CrawlOptions
from scraper.sites import SiteProfile

logger = logging.getLogger(__name__)

HEARTBEAT_TTL = 30.0  # seconds without a beat before a worker counts as dead


@dataclass(frozen=True)
class WorkerOptions:
    redis_url: str
    prefix: str = "khotin"
    heartbeat_ttl: float = HEARTBEAT_TTL
    stream_max: int = 2000
    state_wait: float = 300.0


def run_worker(
    sites: list[tuple[SiteProfile, dict[str, Any]]],
    options: CrawlOptions,
    worker: WorkerOptions,
) -> list[dict[str, Any]]:
    """Crawl the given sites together with every other worker of the current round.
    Returns this worker's share of each site's results; the archive's ``crawl_runs``
    (written by ``khotin store``) has the whole run."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scraper.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings
    from twisted.internet import task

    from scraper.distributed.spider import DistributedSiteSpider

    server = connect(worker.redis_url)
    keys = Keys(worker.prefix)
    me = worker_name()
    membership = Membership(server, keys, me, worker.heartbeat_ttl)
    reap(server, keys)  # a dead worker of a stopped round must not keep it open
    round_id = membership.join()
    install(
        WorkerContext(
            server=server,
            keys=keys,
            worker=me,
            round_id=round_id,
            stream_max=worker.stream_max,
            state_wait=worker.state_wait,
        )
    )
    print(f"khotin: worker {me} in round {round_id} of {shown(worker.redis_url)}", file=sys.stderr)

    settings = get_project_settings()
    settings.set("KHOTIN_DB", "", priority="cmdline")  # a worker never opens the archive
    settings.set("LOG_LEVEL", options.log_level.upper(), priority="cmdline")
    settings.set("SCHEDULER", "scraper.distributed.scheduler.DistributedScheduler", "cmdline")
    settings.set("ITEM_PIPELINES", {"scraper.distributed.pipeline.StreamPipeline": 300}, "cmdline")
    # One output at a time per answer: a callback's Settled item comes after its results.
    settings.set("CONCURRENT_ITEMS", 1, priority="cmdline")
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares["scraper.distributed.gate.HostGateMiddleware"] = 950
    middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] = None
    middlewares["scraper.distributed.robots.SharedRobotsTxtMiddleware"] = 100
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    # Delays are kept by the host gate, across workers; Scrapy's own are per process.
    settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
    settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
    if options.delay is not None:
        settings.set("KHOTIN_HOST_DELAY", options.delay, priority="cmdline")

    process = CrawlerProcess(settings)
    beat = None
    crawlers = []
    try:
        for profile, spec in sites:
            crawler = process.create_crawler(DistributedSiteSpider)
            process.crawl(
                crawler,
                profile=profile,
                spec=spec,
                mode=options.mode,
                since=options.since,
                revisit_after_hours=options.revisit_after_hours,
            )
            crawlers.append((profile, crawler))
        # Scrapy has installed its reactor by now; a LoopingCall made earlier would
        # install Twisted's default one instead.
        beat = task.LoopingCall(_beat, membership, server, keys, process)
        beat.start(worker.heartbeat_ttl / 3, now=True)
        process.start()
    finally:
        if beat is not None and beat.running:
            beat.stop()
        closed = membership.leave()
        if closed:
            print(f"khotin: round {round_id} is over (last worker out)", file=sys.stderr)
    results = []
    for profile, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        reason = stats.get("finish_reason", "not started")
        if membership.evicted:
            reason = "reaped as dead"
        results.append(
            {
                "site": profile.id,
                "requests": stats.get("downloader/request_count", 0),
                "items": stats.get("item_scraped_count", 0),
                "reason": stats.get("khotin/distributed_error") or reason,
            }
        )
    return results


def _beat(membership: Membership, server: Any, keys: Keys, process: Any) -> None:
    try:
        alive = membership.beat()
        reap(server, keys)
    except Exception as exc:  # a missed beat is retried at the next one
        logger.warning("heartbeat to Redis failed: %s", exc)
        return
    if not alive and not membership.evicted:
        # Declared dead while it was only slow: its requests and hosts are someone
        # else's now, so it must not go on fetching.
        membership.evicted = True
        logger.error("this worker was reaped as dead (silent past --worker-ttl): stopping")
        process.stop()


def print_worker_summary(results: list[dict[str, Any]]) -> int:
    print(f"{'site':<28} {'requests':>9} {'items':>9}  ended")
    for r in results:
        print(f"{r['site']:<28} {r['requests']:>9} {r['items']:>9}  {r['reason']}")
    print("the archive's crawl_runs (written by `khotin store`) has each site's whole run")
    return 0 if all(r["reason"] == "finished" for r in results) else 1
