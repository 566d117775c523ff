"""Workers, their heartbeats, and rounds: one distributed crawl from first worker to last.

A round scopes the queues and the duplicate filter: a URL fetched tonight is fetched
again tomorrow night. The first worker to arrive opens a round, later ones join it, and
the last to leave closes it and deletes its queues. A worker whose heartbeat key has
expired is dead: the reaper (every worker runs it, and the writer) puts back what it
held, frees the hosts it had locked, and tells the writer it is gone.
"""

from __future__ import annotations

import json
import logging
import time

import redis

from scraper.distributed.connection import Keys
from scraper.distributed.queue import requeue, script

logger = logging.getLogger(__name__)

# KEYS: round, rounds, alive.  ARGV: worker, ttl ms, prefix.  Join the open round, or
# open one. A round nobody works on any more (stopped midway, its last workers dead and
# reaped) is cleared first: its duplicate filter would hide tonight's listing pages.
_JOIN = """
local r = redis.call('GET', KEYS[1])
if r and redis.call('SCARD', ARGV[3] .. ':round:' .. r .. ':workers') == 0 then
  local sites = ARGV[3] .. ':round:' .. r .. ':sites'
  for _, site in ipairs(redis.call('SMEMBERS', sites)) do
    local base = ARGV[3] .. ':r' .. r .. ':' .. site
    redis.call('DEL', base .. ':requests', base .. ':seen', base .. ':inflight')
  end
  redis.call('DEL', sites)
  r = false
end
if not r then
  r = tostring(redis.call('INCR', KEYS[2]))
  redis.call('SET', KEYS[1], r)
end
redis.call('SADD', ARGV[3] .. ':round:' .. r .. ':workers', ARGV[1])
redis.call('SET', KEYS[3], r, 'PX', ARGV[2])
return r
"""
# KEYS: round's workers, alive.  ARGV: worker, round, ttl ms.  A beat only while the
# round still counts the worker.
_BEAT = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
"""
# KEYS: round.  ARGV: prefix, round, worker.  Leave; the last one out closes the round.
_LEAVE = """
local workers = ARGV[1] .. ':round:' .. ARGV[2] .. ':workers'
local sites = ARGV[1] .. ':round:' .. ARGV[2] .. ':sites'
redis.call('SREM', workers, ARGV[3])
if redis.call('SCARD', workers) > 0 then return 0 end
for _, site in ipairs(redis.call('SMEMBERS', sites)) do
  local base = ARGV[1] .. ':r' .. ARGV[2] .. ':' .. site
  if redis.call('ZCARD', base .. ':requests') > 0 then return 0 end
end
for _, site in ipairs(redis.call('SMEMBERS', sites)) do
  local base = ARGV[1] .. ':r' .. ARGV[2] .. ':' .. site
  redis.call('DEL', base .. ':requests', base .. ':seen', base .. ':inflight')
end
redis.call('DEL', workers, sites)
if redis.call('GET', KEYS[1]) == ARGV[2] then redis.call('DEL', KEYS[1]) end
return 1
"""
# KEYS: -.  ARGV: prefix, worker.  Free every host lock the worker holds.
_FREE_HOSTS = """
local freed = 0
for _, host in ipairs(redis.call('SMEMBERS', ARGV[1] .. ':hosts')) do
  local lock = ARGV[1] .. ':host:' .. host .. ':lock'
  if redis.call('GET', lock) == ARGV[2] then
    redis.call('DEL', lock)
    freed = freed + 1
  end
end
return freed
"""


class Membership:
    """This process as a worker of the current round."""

    def __init__(self, server: redis.Redis, keys: Keys, worker: str, ttl: float) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self.ttl_ms = max(int(ttl * 1000), 500)
        self.round_id = ""
        self.evicted = False

    def join(self) -> str:
        got = script(self.server, _JOIN)(
            keys=[self.keys.round, self.keys.rounds, self.keys.alive(self.worker)],
            args=[self.worker, self.ttl_ms, self.keys.prefix],
        )
        self.round_id = got.decode() if isinstance(got, bytes) else str(got)
        return self.round_id

    def beat(self) -> bool:
        """Still alive; False when the round no longer counts this worker (it was silent
        past its time and reaped: what it held is someone else's now)."""
        return bool(
            script(self.server, _BEAT)(
                keys=[self.keys.round_workers(self.round_id), self.keys.alive(self.worker)],
                args=[self.worker, self.round_id, self.ttl_ms],
            )
        )

    def add_site(self, site: str) -> None:
        self.server.sadd(self.keys.round_sites(self.round_id), site)

    def leave(self) -> bool:
        """Done: anything still held goes back (a graceful stop mid-crawl), the
        heartbeat goes, and the round closes if this was its last worker."""
        requeue(self.server, self.keys.processing(self.worker))
        script(self.server, _FREE_HOSTS)(args=[self.keys.prefix, self.worker])
        self.server.delete(self.keys.alive(self.worker))
        closed = script(self.server, _LEAVE)(
            keys=[self.keys.round], args=[self.keys.prefix, self.round_id, self.worker]
        )
        return bool(closed)


def reap(server: redis.Redis, keys: Keys) -> list[str]:
    """Find the round's dead workers and undo what they held; their names."""
    round_id = server.get(keys.round)
    if round_id is None:
        return []
    round_id = round_id.decode()
    dead = []
    for raw in server.smembers(keys.round_workers(round_id)):
        worker = raw.decode()
        if server.exists(keys.alive(worker)):
            continue
        put_back = requeue(server, keys.processing(worker))
        freed = script(server, _FREE_HOSTS)(args=[keys.prefix, worker])
        # The writer closes the runs this worker had open (it will never say it is done).
        server.xadd(
            keys.items,
            {"kind": "lost", "meta": json.dumps({"worker": worker, "at": time.time()})},
        )
        server.srem(keys.round_workers(round_id), worker)
        logger.warning(
            "worker %s stopped answering: %d requests it held are queued again, %d hosts freed",
            worker,
            put_back,
            freed,
        )
        dead.append(worker)
    return dead
