"""The worker this process is: set once by ``run_worker`` before Scrapy starts, read by
the scheduler, middlewares and pipeline Scrapy builds (a Redis client cannot travel in
Scrapy's settings, which are deep-copied per crawler)."""

from __future__ import annotations

from dataclasses import dataclass

import redis

from scraper.distributed.connection import Keys


@dataclass
class WorkerContext:
    server: redis.Redis
    keys: Keys
    worker: str
    round_id: str
    stream_max: int = 2000  # items waiting for the writer before workers pause
    state_wait: float = 300.0  # seconds a site waits for the writer's state


_current: WorkerContext | None = None


def install(context: WorkerContext) -> None:
    global _current
    _current = context


def current() -> WorkerContext:
    if _current is None:
        raise RuntimeError("not a distributed worker: run `khotin crawl --distributed URL`")
    return _current
