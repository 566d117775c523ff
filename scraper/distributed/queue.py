"""The request queue of one site in one round, with no request lost to a dead worker.

scrapy-redis pops destructively: a worker killed with requests in hand loses them.
Here a pop moves the request, atomically, into the worker's *processing* hash under a
ticket; the ticket is settled once the request's callback has handed on everything it
produced (``DistributedSiteSpider`` yields a ``Settled`` item last). A retried or
redirected copy pushed back settles its ticket in the same step. What a dead worker
still holds goes back to its queue (``requeue``), run by the reaper.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import redis
from scrapy import Request
from scrapy.utils.request import request_from_dict
from scrapy_redis.queue import Base

from scraper.distributed import serializer
from scraper.distributed.connection import Keys

TICKET = "khotin_ticket"

# KEYS: queue, processing, inflight, seen.  ARGV: score, data, old ticket or "",
# fingerprint or "".  Seen and queued in one step (a worker killed between the two would
# leave a URL marked seen that nobody fetches); the taken request it replaces settles.
_PUSH = """
local queued = 1
if ARGV[4] ~= '' and redis.call('SADD', KEYS[4], ARGV[4]) == 0 then
  queued = 0
else
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
end
if ARGV[3] ~= '' and redis.call('HDEL', KEYS[2], ARGV[3]) == 1 then
  redis.call('DECR', KEYS[3])
end
return queued
"""
# KEYS: queue, processing, inflight, tickets.  ARGV: -.
_POP = """
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return nil end
redis.call('ZREM', KEYS[1], top[1])
local ticket = tostring(redis.call('INCR', KEYS[4]))
redis.call('HSET', KEYS[2], ticket,
  cjson.encode({queue = KEYS[1], inflight = KEYS[3], score = top[2], data = top[1]}))
redis.call('INCR', KEYS[3])
return {ticket, top[1]}
"""
# KEYS: processing, inflight.  ARGV: ticket.
_SETTLE = """
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 then
  redis.call('DECR', KEYS[2])
  return 1
end
return 0
"""
# KEYS: processing.  Every request a worker held goes back to the queue it came from.
_REQUEUE = """
local held = redis.call('HGETALL', KEYS[1])
local n = 0
for i = 2, #held, 2 do
  local entry = cjson.decode(held[i])
  redis.call('ZADD', entry.queue, entry.score, entry.data)
  redis.call('DECR', entry.inflight)
  n = n + 1
end
redis.call('DEL', KEYS[1])
return n
"""


class ReliableQueue(Base):
    """A priority queue (a sorted set, like scrapy-redis's) whose pops are tickets."""

    def __init__(
        self,
        server: redis.Redis,
        spider: Any,
        key: str,
        serializer: Any = serializer,
        *,
        keys: Keys,
        worker: str,
        inflight_key: str,
    ) -> None:
        super().__init__(server, spider, key, serializer)
        self.keys = keys
        self.processing_key = keys.processing(worker)
        self.inflight_key = inflight_key
        self._push = script(server, _PUSH)
        self._pop = script(server, _POP)

    def __len__(self) -> int:
        return self.server.zcard(self.key)

    def push(self, request: Request, seen_key: str = "", fingerprint: str = "") -> bool:
        """Queue the request unless its fingerprint is already in ``seen_key``; either
        way the taken request it replaces (a retry's, a redirect's) is settled."""
        old = request.meta.pop(TICKET, None)
        data = self._encode_request(request)
        if old is not None:
            request.meta[TICKET] = old
        return bool(
            self._push(
                keys=[self.key, self.processing_key, self.inflight_key, seen_key or self.key],
                args=[-request.priority, data, old or "", fingerprint],
            )
        )

    def pop(self, timeout: int = 0) -> Request | None:
        got = self._pop(keys=[self.key, self.processing_key, self.inflight_key, self.keys.tickets])
        if not got:
            return None
        ticket, data = got
        fields = self.serializer.loads(data)
        fields.pop("_class", None)  # always a plain Request: no class named by Redis data
        request = request_from_dict(fields, spider=self.spider)
        request.meta[TICKET] = ticket.decode() if isinstance(ticket, bytes) else str(ticket)
        return request


@functools.cache
def script(server: redis.Redis, source: str) -> Any:
    """A Lua script registered once per client (it is run by its SHA after the first
    call), not again for every request settled."""
    return server.register_script(source)


def requeue(server: redis.Redis, processing_key: str) -> int:
    """Put back every request one worker held; how many."""
    return int(script(server, _REQUEUE)(keys=[processing_key]))


def held(server: redis.Redis, processing_key: str) -> list[str]:
    """The URLs a worker holds (for reports and tests)."""
    urls = []
    for raw in server.hvals(processing_key):
        entry = json.loads(raw)
        urls.append(serializer.loads(entry["data"])["url"])
    return urls


def settle(
    server: redis.Redis, keys: Keys, worker: str, round_id: str, site: str, ticket: str
) -> bool:
    """Done with one request: its ticket leaves the worker's processing hash."""
    return bool(
        script(server, _SETTLE)(
            keys=[keys.processing(worker), keys.inflight(round_id, site)], args=[ticket]
        )
    )


def settle_own(server: redis.Redis, keys: Keys, worker: str, round_id: str, site: str) -> int:
    """Settle every ticket of one site that this worker still holds; how many."""
    queue = keys.requests(round_id, site).encode()
    mine = [
        ticket.decode()
        for ticket, raw in server.hgetall(keys.processing(worker)).items()
        if json.loads(raw)["queue"].encode() == queue
    ]
    return sum(settle(server, keys, worker, round_id, site, t) for t in mine)
