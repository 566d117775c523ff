"""``khotin store --distributed URL``: the archive's one writer in a distributed crawl.

SQLite wants one writer; workers on many machines send what they find to a Redis
stream, and this process stores it with the same pipeline a single-process crawl uses,
so an article stored here is stored exactly as there. It reads the stream as a
consumer group, up to 200 entries a read, stored in one batch of the archive
(``Archive.batch_commits``); the entries are acknowledged (and deleted) only once that
batch is committed, so a writer killed mid-batch reads them again when restarted.

It also keeps each site's ``crawl_runs`` row (opened when the first worker starts the
site, finished when the last one is done or gone, judged on all workers' numbers
together) and answers each site's first worker of a round with the incremental state
(known URLs, validators, what is due again) from the archive.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

from archive.lock import CrawlLock
from archive.store import Archive, ArchiveError, commit_shared
from scraper.distributed import wire
from scraper.distributed.connection import Keys, connect, shown
from scraper.distributed.rounds import reap
from scraper.failures import FAILED_PAGES
from scraper.pipelines import ArchivePipeline
from scraper.sites import SiteProfile, generic_profile, load_profile

logger = logging.getLogger("khotin.store")

GROUP = "writer"
CONSUMER = "writer"
BATCH = 1000  # entries read, stored and committed together (store.BATCH_ARTICLES)
# Bytes of entries a read should bring at most: pages of 50 KB fill a batch, files of
# megabytes make the next read take fewer (a read's entries are all in memory at once).
READ_BYTES = 64 * 1024 * 1024
BLOCK_MS = 1000
REAP_EVERY = 2.0
ABANDONED_ROUND_WAIT = 60.0  # seconds --until-done waits for a worker to take over


class WriterStopped(Exception):
    """The archive cannot take more: stop, leaving the entry in the stream."""


def profile_of(spec: dict[str, Any]) -> SiteProfile:
    """The profile a worker crawled, rebuilt from how it was chosen (never sent whole:
    the writer trusts its own profiles, not a stream entry's)."""
    if spec.get("start_url"):
        return generic_profile(spec["start_url"])
    profile = load_profile(spec["site"])
    return profile.rebased(spec["base_url"]) if spec.get("base_url") else profile


class RunStats:
    """The part of Scrapy's stats collector the pipeline uses, for a run with no crawler."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get_value(self, key: str, default: Any = None, spider: Any = None) -> Any:
        return self.values.get(key, default)

    def set_value(self, key: str, value: Any, spider: Any = None) -> None:
        self.values[key] = value

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider: Any = None) -> None:
        self.values[key] = self.values.get(key, start) + count

    def get_stats(self, spider: Any = None) -> dict[str, Any]:
        return self.values

    def merge(self, worker_stats: dict[str, Any]) -> None:
        for key, value in worker_stats.items():
            if key == FAILED_PAGES:
                self.values[key] = (self.values.get(key) or []) + list(value)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                self.values[key] = self.values.get(key, 0) + value


@dataclass
class _Engine:
    run: SiteRun

    def close_spider(self, spider: Any, reason: str) -> None:
        raise WriterStopped(self.run.pipeline.write_failure or reason)


@dataclass
class SiteRun:
    """One site's run across every worker that took part."""

    spec: dict[str, Any]
    mode: str
    db: Path
    round: str = ""
    workers: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    lost: int = 0
    reported: RunStats = field(default_factory=RunStats)  # the workers' numbers, summed
    stats: RunStats = field(default_factory=RunStats)
    pipeline: ArchivePipeline | None = None

    def __post_init__(self) -> None:
        self.profile = profile_of(self.spec)

    def saved(self) -> str:
        """What a restarted writer needs to go on with the run."""
        return json.dumps(
            {
                "spec": self.spec,
                "mode": self.mode,
                "round": self.round,
                "workers": sorted(self.workers),
                "reasons": self.reasons,
                "lost": self.lost,
                "reported": self.reported.values,
            }
        )

    @classmethod
    def restored(cls, raw: bytes, db: Path) -> SiteRun:
        data = json.loads(raw)
        run = cls(
            spec=data["spec"],
            mode=data["mode"],
            db=db,
            round=data.get("round", ""),
            workers=set(data["workers"]),
        )
        run.reasons, run.lost = data["reasons"], data["lost"]
        run.reported.values = data["reported"]
        return run

    # What the pipeline reads of a spider and a crawler.
    @property
    def logger(self) -> logging.Logger:
        return logger

    archive_damaged = None

    @property
    def engine(self) -> _Engine:
        return _Engine(self)

    def open(self) -> ArchivePipeline:
        if self.pipeline is None:
            self.pipeline = ArchivePipeline(str(self.db), batched=True)
            self.pipeline.crawler = self
            self.pipeline.open_spider(self)
        return self.pipeline

    def finish(self) -> str | None:
        """Record the run; its outcome (None when no worker did anything for it)."""
        if self.pipeline is None and not self.reported.get_value("downloader/request_count"):
            return None
        pipeline = self.open()
        self.stats.merge(self.reported.values)
        reason = next((r for r in self.reasons if r != "finished"), "finished")
        if self.lost and not self.reasons:
            reason = "every worker on it stopped answering (the next round goes on)"
        if self.lost:
            logger.warning(
                "%s: %d worker(s) died during the run; what they held was queued again",
                self.profile.id,
                self.lost,
            )
        pipeline.spider_closed(self, reason)
        return self.stats.get_value("khotin/outcome")


class Writer:
    def __init__(self, server: redis.Redis, keys: Keys, db: Path) -> None:
        self.server = server
        self.keys = keys
        self.db = db
        # Open runs live in Redis too: a writer killed and restarted goes on with them.
        self.runs: dict[str, SiteRun] = {
            site.decode(): SiteRun.restored(raw, db)
            for site, raw in server.hgetall(keys.writer_runs).items()
        }
        self.specs: dict[str, dict[str, Any]] = {s: r.spec for s, r in self.runs.items()}
        self.seen_work = bool(self.runs)
        self._publish_files()
        self.finished: list[tuple[str, str]] = []
        self.stored: Counter[str] = Counter()
        self.set_aside = 0
        self.abandoned_at: float | None = None
        self.stopping = False
        # What Redis may hear once the batch holding it is committed: set members the
        # workers read, entries set aside, runs ended.
        self.published: defaultdict[str, set[str]] = defaultdict(set)
        self.aside: list[dict[bytes, Any]] = []
        self.ended: list[str] = []
        self.read_count = BATCH  # entries per read, fewer while they are large (READ_BYTES)
        try:
            server.xgroup_create(keys.items, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def run(self, until_done: bool = False) -> None:
        # First what this writer read before and never acknowledged (it was killed).
        await self._drain("0")
        last_reap = 0.0
        while not self.stopping:
            if time.monotonic() - last_reap > REAP_EVERY:
                reap(self.server, self.keys)
                last_reap = time.monotonic()
            got = await self._drain(">", block=BLOCK_MS)
            if not got and until_done and self._done():
                break

    def _done(self) -> bool:
        """A round was stored and none is going on: no open run, nothing waiting, and
        no round, or one no worker is on any more (stopped with requests left)."""
        if not self.seen_work or self.runs or self.server.xlen(self.keys.items):
            return False
        round_id = self.server.get(self.keys.round)
        if round_id is None:
            return True
        if self.server.scard(self.keys.round_workers(round_id.decode())):
            self.abandoned_at = None
            return False
        # A round whose workers are all gone: done once no new worker came for a while
        # (a restarted worker takes it over within its heartbeat's time).
        now = time.monotonic()
        self.abandoned_at = self.abandoned_at or now
        return now - self.abandoned_at >= ABANDONED_ROUND_WAIT

    async def _drain(self, start: str, block: int | None = None) -> int:
        # The first read ("0": what a killed writer read and never acknowledged) takes
        # up to BATCH, at least what any earlier read took.
        count = BATCH if start == "0" else self.read_count
        answer = self.server.xreadgroup(
            GROUP, CONSUMER, {self.keys.items: start}, count=count, block=block
        )
        entries = answer[0][1] if answer else []
        size = sum(len(value) for _, fields in entries for value in (fields or {}).values())
        if size > READ_BYTES:
            self.read_count = max(1, len(entries) * READ_BYTES // size)
        elif len(entries) == count:
            self.read_count = min(BATCH, self.read_count * 2)
        for entry_id, fields in entries:
            if fields:  # else acknowledged elsewhere and deleted
                try:
                    await self._handle(fields)
                except WriterStopped:
                    raise  # the archive cannot take it: it stays in the stream
                except Exception as exc:  # noqa: BLE001 - one bad entry must not stop the crawl
                    # Not storable as it is (a profile this writer lacks, an entry from
                    # another version): kept aside, said loudly, and the crawl goes on.
                    self._set_aside(entry_id, fields, exc)
        if not entries:
            return 0
        # The archive commits in batches: what was read is durable before it leaves the
        # stream, and only then do the workers learn that its pages are known, finished
        # runs leave the writer's record and set-aside entries are filed, all at once.
        self._commit()
        done = self.server.pipeline(transaction=True)
        for key, members in self.published.items():
            done.sadd(key, *members)
        self.published.clear()
        for fields in self.aside:
            done.xadd(self.keys.set_aside, fields)
        self.aside.clear()
        if self.ended:
            done.hdel(self.keys.writer_runs, *self.ended)
            self.ended.clear()
        # Both or neither: an entry acknowledged but left in the stream would count as
        # waiting for ever.
        ids = [entry_id for entry_id, _ in entries]
        done.xack(self.keys.items, GROUP, *ids)
        done.xdel(self.keys.items, *ids)
        done.execute()
        return len(entries)

    def _commit(self) -> None:
        """The batch so far, durable; if the archive cannot take it, nothing read since
        the last commit is acknowledged: the writer stops and a restart reads it again."""
        try:
            commit_shared(self.db)
        except (ArchiveError, sqlite3.Error, OSError) as exc:
            raise WriterStopped(f"cannot write to the archive ({exc})") from exc

    def _set_aside(self, entry_id: bytes, fields: dict[bytes, bytes], exc: Exception) -> None:
        kind = fields.get(b"kind", b"?").decode(errors="replace")
        site = fields.get(b"site", b"").decode(errors="replace")
        logger.error(
            "an entry (%s%s) could not be stored: %s: %s; kept in %s",
            kind,
            f" of {site}" if site else "",
            type(exc).__name__,
            exc,
            self.keys.set_aside,
        )
        self.aside.append({**fields, b"error": f"{exc!r}"[:2000]})
        self.set_aside += 1

    async def _handle(self, fields: dict[bytes, bytes]) -> None:
        kind = fields[b"kind"].decode()
        if kind in ("opened", "closed", "lost"):
            meta = json.loads(fields[b"meta"])
            getattr(self, f"_{kind}")(meta)
            return
        site = fields[b"site"].decode()
        run = self.runs.get(site)
        late = run is None
        if late:
            # Its run ended before it came (a worker's events out of the usual order):
            # stored all the same, in a run of its own.
            if site not in self.specs:
                raise LookupError(f"an entry for {site}, a site no worker has opened")
            logger.info("%s: an entry after its run ended, stored in a run of its own", site)
            run = SiteRun(spec=self.specs[site], mode="incremental", db=self.db)
        item = wire.decode(fields)
        pipeline = run.open()
        await pipeline.process_item(item)
        if pipeline.write_failure:
            raise WriterStopped(pipeline.write_failure)
        self.stored[kind] += 1
        if kind == "article":
            self.published[self.keys.state(site, "known")].add(item.article.url)
        elif kind == "attachment" and item.status == 200 and item.body:
            self.published[self.keys.files].add(item.url)
        if late:
            run.finish()
            if pipeline.write_failure:
                raise WriterStopped(pipeline.write_failure)

    def _opened(self, meta: dict[str, Any]) -> None:
        self.seen_work = True
        site = meta["site"]
        run = self.runs.get(site)
        if run is not None and run.round != meta["round"]:
            # The site's run of an earlier round never ended (its workers stopped with
            # it): that run ends here, a new one begins.
            run.reasons.append("the round stopped before the site was done")
            run.workers.clear()
            self._maybe_finish(run)
            run = None
        if run is None:
            self.specs[site] = meta["spec"]
            run = self.runs[site] = SiteRun(
                spec=meta["spec"],
                mode=meta.get("mode", "incremental"),
                db=self.db,
                round=meta["round"],
            )
            self._publish_state(run, meta["round"], meta.get("revisit_after_hours"))
        run.workers.add(meta["worker"])
        self._save(run)

    def _closed(self, meta: dict[str, Any]) -> None:
        run = self.runs.get(meta["site"])
        if run is None or meta["worker"] not in run.workers:
            return
        run.workers.discard(meta["worker"])
        run.reported.merge(meta.get("stats") or {})
        run.reasons.append(meta.get("reason") or "finished")
        self._maybe_finish(run)

    def _lost(self, meta: dict[str, Any]) -> None:
        for run in list(self.runs.values()):
            if meta["worker"] in run.workers:
                run.workers.discard(meta["worker"])
                run.lost += 1
                run.reported.inc_value("khotin/workers_lost")
                self._maybe_finish(run)

    def _save(self, run: SiteRun) -> None:
        self.server.hset(self.keys.writer_runs, run.profile.id, run.saved())

    def _maybe_finish(self, run: SiteRun) -> None:
        if run.workers:
            self._save(run)
            return
        site = run.profile.id
        # Another worker of the round may still come for the site: it finds the queue
        # empty and closes; the run is over once none holds it.
        del self.runs[site]
        outcome = run.finish()
        if run.pipeline is not None and run.pipeline.write_failure:
            raise WriterStopped(run.pipeline.write_failure)
        self.ended.append(site)
        if outcome is not None:
            self.finished.append((site, outcome))
            logger.info("%s: run finished, %s", site, outcome)

    def _publish_files(self) -> None:
        """The files the archive has (or judged gone), for every site and worker: one
        set, asked about per file, not copied into every site's state."""
        with Archive(self.db) as archive:
            urls = sorted(archive.known_attachment_urls())
        key = self.keys.files
        pipe = self.server.pipeline()
        pipe.delete(key)
        for start in range(0, len(urls), 5000):
            pipe.sadd(key, *urls[start : start + 5000])
        pipe.execute()

    def _publish_state(self, run: SiteRun, round_id: str, revisit_after: float | None) -> None:
        """What a worker needs to crawl the site incrementally, from the archive."""
        profile = run.profile
        site = profile.id
        self._commit()  # read on a connection of its own: the batch so far first
        with Archive(self.db) as archive:
            known = archive.known_urls(site)
            state = {
                "round": round_id,
                "validators": archive.article_validators(site),
                "listings": {
                    url: archive.listing_validators(url) for url in profile.absolute_start_urls()
                },
                "resume": not archive.last_walk_complete(site),
                "retry_articles": archive.ledger.due(site, "article"),
                "retry_files": archive.ledger.unfetched_attachments(site)
                if profile.crawl.download_attachments
                else [],
                "revisits": archive.due_for_revisit(
                    site,
                    within_days=profile.crawl.revisit_days,
                    after_hours=revisit_after
                    if revisit_after is not None
                    else profile.crawl.revisit_after_hours,
                ),
            }
        known_key = self.keys.state(site, "known")
        pipe = self.server.pipeline()
        pipe.delete(known_key)
        urls = sorted(known)
        for start in range(0, len(urls), 5000):
            pipe.sadd(known_key, *urls[start : start + 5000])
        pipe.set(self.keys.state(site, "data"), json.dumps(state))
        pipe.execute()


def run_writer(
    redis_url: str, db: Path, *, prefix: str = "khotin", until_done: bool = False
) -> int:
    """Store what the workers send until stopped (SIGTERM, Ctrl-C) or, with
    ``until_done``, until a round has ended and everything of it is stored."""
    server = connect(redis_url)
    keys = Keys(prefix)
    with CrawlLock(db, kind="store"):
        writer = Writer(server, keys, db)

        def stop(*_: object) -> None:
            writer.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        print(f"khotin store: writing {db} from {shown(redis_url)}", file=sys.stderr, flush=True)
        try:
            asyncio.run(writer.run(until_done=until_done))
        except WriterStopped as exc:
            print(f"khotin store: stopped: {exc}; the entry stays in the stream", file=sys.stderr)
            return 1
    for site, outcome in writer.finished:
        print(f"{site:<28} {outcome}")
    print(
        f"stored: {writer.stored['article']} articles, {writer.stored['attachment']} files, "
        f"{writer.stored['unchanged']} unchanged, {writer.stored['removed']} removed"
    )
    if writer.set_aside:
        print(
            f"SET ASIDE: {writer.set_aside} entries could not be stored (kept in Redis, "
            f"{keys.set_aside}; the log says why)",
            file=sys.stderr,
        )
        return 1
    broken = [s for s, o in writer.finished if o in ("broken", "interrupted")]
    return 1 if broken else (3 if any(o == "partial" for _, o in writer.finished) else 0)
