"""A distributed crawl for real: Debian's redis-server, three worker processes and one
writer (the real ``khotin`` command), three sample portals on loopback, and one worker
killed with SIGKILL midway. Checked from what the portals saw and the archive holds."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from scraper.sample_portal.server import SamplePortalServer
from scraper.sample_portal.site import SECTION_PATH, load_articles
from tests.conftest import ROOT
from tests.redis_server import PASSWORD, RedisServer

DELAY = 0.1
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "KHOTIN_REDIS_PASSWORD": PASSWORD}


def _start(args: list[str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", *args],
            cwd=ROOT,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _article_paths() -> set[str]:
    return {f"{SECTION_PATH}/{a['slug']}-{a['id']}.html" for a in load_articles()}


def _worker_of(client, keys, pid: int) -> str | None:
    """The name a worker process took (host-pid-random) once it has joined."""
    pattern = f"{keys.prefix}:worker:{socket.gethostname()}-{pid}-*:alive"
    for key in client.scan_iter(match=pattern):
        return key.decode().split(":")[2]
    return None


@pytest.fixture
def redis_server(tmp_path):
    with RedisServer(tmp_path) as server:
        yield server


def test_three_workers_share_three_portals_and_lose_nothing_when_one_is_killed(
    redis_server, tmp_path
):
    import redis

    from archive.store import Archive
    from scraper.distributed.connection import Keys
    from scraper.distributed.queue import held

    client = redis.Redis.from_url(redis_server.url, password=PASSWORD)
    keys = Keys()
    db = tmp_path / "khotin.db"
    portals = [SamplePortalServer().start() for _ in range(3)]
    try:
        writer = _start(
            ["store", "--distributed", redis_server.url, "--db", str(db), "--until-done",
             "--log-level", "INFO"],
            tmp_path / "writer.log",
        )  # fmt: skip
        starts = [arg for p in portals for arg in ("--start-url", p.url + SECTION_PATH.lstrip("/"))]
        workers = [
            _start(
                [
                    "crawl",
                    *starts,
                    "--distributed",
                    redis_server.url,
                    "--delay",
                    str(DELAY),
                    "--worker-ttl",
                    "2",
                    "--log-level",
                    "INFO",
                ],
                tmp_path / f"worker-{n}.log",
            )  # fmt: skip
            for n in range(3)
        ]
        articles = _article_paths()

        def fetched() -> int:
            return sum(1 for p in portals for path, *_ in list(p.log) if path in articles)

        victim = workers[0]
        deadline = time.monotonic() + 120
        victim_key = ""
        # Midway, and while it has requests in hand.
        while fetched() < 30 or not victim_key or not client.hlen(victim_key):
            if not victim_key and (name := _worker_of(client, keys, victim.pid)):
                victim_key = keys.processing(name)
            assert time.monotonic() < deadline, (tmp_path / "worker-0.log").read_text()[-3000:]
            assert workers[0].poll() is None, (tmp_path / "worker-0.log").read_text()[-3000:]
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        # What the dead worker held (nothing can change it now): the only requests that
        # may be asked for twice.
        in_hand = held(client, victim_key)
        for worker in workers[1:]:
            assert worker.wait(timeout=240) == 0, (tmp_path / "worker-1.log").read_text()[-3000:]
        assert writer.wait(timeout=120) == 0, (tmp_path / "writer.log").read_text()[-3000:]
    finally:
        for process in [*workers, writer]:
            if process.poll() is None:
                process.kill()
        for p in portals:
            p.stop()

    in_hand_paths = {"/" + url.split("/", 3)[3] for url in in_hand}
    with sqlite3.connect(db) as conn:
        for p in portals:
            site = p.url.split("/")[2]
            stored = {
                "/" + url.split("/", 3)[3]
                for (url,) in conn.execute("select url from articles where site_id = ?", [site])
            }
            assert stored == articles, f"{site}: missing {sorted(articles - stored)[:5]}"
            # Every article page asked for once, across all workers together; only what
            # the killed worker held may have been asked for again.
            asked = Counter(path for path, *_ in p.log if path in articles)
            assert set(asked) == articles
            twice = {path for path, n in asked.items() if n > 1}
            assert twice <= in_hand_paths, (twice, in_hand_paths)
            assert max(asked.values()) <= 2
            # Politeness held across workers: never two requests at once on a host, and
            # the delay between the end of one and the start of the next.
            # robots.txt read once for all workers (Scrapy alone: once per worker).
            assert [path for path, *_ in p.log].count("/robots.txt") == 1
            log = sorted(p.log, key=lambda entry: entry[1])
            for (_, _, end), (path, start, _) in zip(log, log[1:], strict=False):
                assert start >= end + DELAY - 0.01, (path, start - end)
        runs = conn.execute("select site_id, outcome from crawl_runs").fetchall()
        assert sorted(o for _, o in runs) == ["ok", "ok", "ok"], runs
        pages = conn.execute(
            "select a.url, a.raw_page_id from articles a where a.raw_page_id is not null"
        ).fetchall()
    # The raw pages crossed Redis intact: the WARC store holds the bytes each portal sent.
    assert len(pages) == 3 * len(articles)
    with Archive(db) as archive:
        for url, raw_id in pages[:: len(articles) // 4]:
            path = "/" + url.split("/", 3)[3]
            assert archive.raw_body(raw_id) == portals[0].portal.get(path).body
    with sqlite3.connect(db) as conn:
        stored_files = conn.execute(
            "select count(*) from attachment_files where sha256 is not null"
        ).fetchone()[0]
        # Every file's text (read by the workers, PDFs unaccented as the portal makes them).
        with_text = conn.execute(
            "select count(*) from attachment_files where sha256 is not null "
            "and (text like '%Ma ho so%' or text like '%Mã hồ sơ%')"
        ).fetchone()[0]
    # Every file of every article, from every portal.
    assert stored_files == 3 * sum(len(a["attachments"]) for a in load_articles())
    assert with_text == stored_files
    assert "reading the text of" not in (tmp_path / "writer.log").read_text()  # not the writer
    assert in_hand, "the worker was killed with nothing in hand: the test proved nothing"
    # The round is over and cleared; the stream is empty.
    assert not client.exists(keys.round)
    assert client.xlen(keys.items) == 0


def test_a_second_round_fetches_only_what_is_new(redis_server, tmp_path):
    """The writer seeds each round with what the archive holds: the next night's workers
    ask for the first listing page conditionally and fetch no stored article again."""
    db = tmp_path / "khotin.db"
    with SamplePortalServer() as portal:
        start = portal.url + SECTION_PATH.lstrip("/")
        for night in (1, 2):
            writer = _start(
                ["store", "--distributed", redis_server.url, "--db", str(db), "--until-done"],
                tmp_path / f"writer-{night}.log",
            )
            worker = _start(
                ["crawl", "--start-url", start, "--distributed", redis_server.url, "--delay", "0"],
                tmp_path / f"worker-{night}.log",
            )
            assert worker.wait(timeout=240) == 0, (tmp_path / f"worker-{night}.log").read_text()
            assert writer.wait(timeout=120) == 0, (tmp_path / f"writer-{night}.log").read_text()
            if night == 1:
                first_night = len(portal.log)
        second = [path for path, *_ in portal.log[first_night:]]
    articles = _article_paths()
    assert not [path for path in second if path in articles]
    assert SECTION_PATH in second  # asked, and answered "not modified"
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == len(articles)
        runs = conn.execute("select outcome, new from crawl_runs order by id").fetchall()
    assert runs == [("ok", len(articles)), ("ok", 0)]


def test_a_writer_killed_midway_and_restarted_stores_everything(redis_server, tmp_path):
    """The writer acknowledges a stream entry only once it is stored: killed with
    SIGKILL mid-run, a new writer takes the entries it had read, and the workers (paused
    while nobody stores) go on."""
    db = tmp_path / "khotin.db"
    with SamplePortalServer() as portal:
        start = portal.url + SECTION_PATH.lstrip("/")
        writer = _start(
            ["store", "--distributed", redis_server.url, "--db", str(db)], tmp_path / "writer.log"
        )
        worker = _start(
            ["crawl", "--start-url", start, "--distributed", redis_server.url, "--delay", "0.05",
             "--stream-max", "5"],
            tmp_path / "worker.log",
        )  # fmt: skip
        articles = _article_paths()
        deadline = time.monotonic() + 120
        while sum(1 for path, *_ in list(portal.log) if path in articles) < 15:
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.05)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        time.sleep(1.0)  # nobody stores meanwhile; the worker pauses
        writer = _start(
            ["store", "--distributed", redis_server.url, "--db", str(db), "--until-done"],
            tmp_path / "writer-2.log",
        )
        try:
            assert worker.wait(timeout=240) == 0, (tmp_path / "worker.log").read_text()[-3000:]
            assert writer.wait(timeout=120) == 0, (tmp_path / "writer-2.log").read_text()[-3000:]
        finally:
            for process in (worker, writer):
                if process.poll() is None:
                    process.kill()
    with sqlite3.connect(db) as conn:
        stored = {"/" + url.split("/", 3)[3] for (url,) in conn.execute("select url from articles")}
        outcomes = [o for (o,) in conn.execute("select outcome from crawl_runs order by id")]
    assert stored == articles
    # The killed writer's run row is left open; the restarted one records the end.
    assert outcomes[-1] == "ok"


def test_the_host_gate_gives_one_turn_at_a_time_and_honours_retry_after(redis_server):
    """Two workers' gates on one host: the second waits for the first's answer, and a
    503 with Retry-After holds the host for every worker."""
    import asyncio

    import redis
    from scrapy import Request
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from scraper.distributed.connection import Keys
    from scraper.distributed.context import WorkerContext, install
    from scraper.distributed.gate import HostGateMiddleware

    client = redis.Redis.from_url(redis_server.url, password=PASSWORD)
    keys = Keys("gate-test")
    install(WorkerContext(server=client, keys=keys, worker="a", round_id="1"))
    crawler = get_crawler(settings_dict={"KHOTIN_HOST_DELAY": 0})
    first = HostGateMiddleware.from_crawler(crawler)
    second = HostGateMiddleware(crawler, client, keys, "b")
    host = "portal.example:8080"

    async def scenario() -> tuple[bool, bool, int]:
        request = Request(f"http://{host}/a")
        await first.process_request(request)
        waiting = asyncio.ensure_future(second.process_request(Request(f"http://{host}/b")))
        await asyncio.sleep(0.3)
        blocked = not waiting.done()  # the host is busy with worker a's request
        first.process_response(
            request, Response(request.url, status=503, headers={"Retry-After": "2"})
        )
        await asyncio.sleep(0.3)
        still_blocked = not waiting.done()  # Retry-After: 2 s for everyone
        waiting.cancel()
        wait = second._take(keys=[keys.host_lock(host), keys.host_next(host)], args=["c", 1000])
        return blocked, still_blocked, wait

    blocked, still_blocked, wait = asyncio.run(scenario())
    assert blocked and still_blocked
    assert 1000 < wait <= 1700  # milliseconds still to wait, on Redis's clock


def test_a_round_left_by_its_only_worker_is_cleared_and_the_next_worker_finishes(
    redis_server, tmp_path
):
    """The only worker is killed midway: its run ends "interrupted", and the next worker
    (after its heartbeat expired) starts a new round, walks every listing page again and
    stores the rest; nothing already stored is fetched again."""
    db = tmp_path / "khotin.db"
    articles = _article_paths()
    with SamplePortalServer() as portal:
        start = portal.url + SECTION_PATH.lstrip("/")
        writer = _start(
            ["store", "--distributed", redis_server.url, "--db", str(db), "--until-done"],
            tmp_path / "writer.log",
        )
        crawl = ["crawl", "--start-url", start, "--distributed", redis_server.url,
                 "--delay", "0.05", "--worker-ttl", "1"]  # fmt: skip
        first = _start(crawl, tmp_path / "worker-1.log")
        deadline = time.monotonic() + 120
        while sum(1 for path, *_ in list(portal.log) if path in articles) < 12:
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        time.sleep(2.0)  # its heartbeat expires
        second = _start(crawl, tmp_path / "worker-2.log")
        try:
            assert second.wait(timeout=240) == 0, (tmp_path / "worker-2.log").read_text()[-3000:]
            # 1, as a crawl says an interrupted run: the summary names it.
            assert writer.wait(timeout=120) == 1, (tmp_path / "writer.log").read_text()[-3000:]
        finally:
            for process in (second, writer):
                if process.poll() is None:
                    process.kill()
        asked = Counter(path for path, *_ in portal.log if path in articles)
    with sqlite3.connect(db) as conn:
        stored = {"/" + url.split("/", 3)[3] for (url,) in conn.execute("select url from articles")}
        runs = conn.execute("select outcome from crawl_runs order by id").fetchall()
    assert stored == articles
    assert [o for (o,) in runs] == ["interrupted", "ok"]
    # Only what the killed worker had in hand may have been asked for twice.
    assert sum(n - 1 for n in asked.values()) <= 8


def test_workers_on_a_faulty_site_finish_obey_robots_and_record_what_was_lost(
    redis_server, tmp_path
):
    """Two workers on a site that fails the ways real ones do: a 503 that recovers, a
    page whose connection always resets, a redirect loop, a robots.txt-disallowed
    section. Both finish (no ticket left unsettled), nothing disallowed is asked for,
    and the page lost for good is in the archive's ledger to be asked for again."""
    from tests.fault_server import DISALLOWED, FaultServer

    db = tmp_path / "khotin.db"
    faults = {"http-503", "reset-always", "redirect-loop", "robots"}
    with FaultServer(faults=faults) as server:
        start = server.url + "tin-tuc-su-kien"
        writer = _start(
            ["store", "--distributed", redis_server.url, "--db", str(db), "--until-done"],
            tmp_path / "writer.log",
        )
        crawl = ["crawl", "--start-url", start, "--distributed", redis_server.url,
                 "--delay", "0"]  # fmt: skip
        workers = [_start(crawl, tmp_path / f"worker-{n}.log") for n in range(2)]
        try:
            for n, worker in enumerate(workers):
                log = (tmp_path / f"worker-{n}.log").read_text
                assert worker.wait(timeout=300) == 0, log()[-3000:]
            # 3: pages were lost this run ("partial"), as a single-process crawl says.
            assert writer.wait(timeout=120) == 3, (tmp_path / "writer.log").read_text()
        finally:
            for process in (*workers, writer):
                if process.poll() is None:
                    process.kill()
        assert server.hits(DISALLOWED) == 0
        reset_url = server.url + server.path_of("reset-always").lstrip("/")
        recovered = server.url + server.path_of("http-503").lstrip("/")
    with sqlite3.connect(db) as conn:
        stored = {url for (url,) in conn.execute("select url from articles")}
        missing = {url for (url,) in conn.execute("select url from missing")}
        outcomes = [o for (o,) in conn.execute("select outcome from crawl_runs")]
    assert recovered in stored
    assert reset_url not in stored and reset_url in missing
    assert outcomes == ["partial"]


def test_the_writer_reads_fewer_entries_at_a_time_while_they_are_large(
    redis_server, tmp_path, monkeypatch
):
    """A read's entries are all in memory at once: files of megabytes make the next
    read take fewer, pages of kilobytes fill it again; nothing is lost on the way (the
    unknown entries here are set aside, each with its reason)."""
    import asyncio

    import redis

    from scraper.distributed import writer as writing
    from scraper.distributed.connection import Keys

    monkeypatch.setattr(writing, "READ_BYTES", 3 * 1024 * 1024)
    client = redis.Redis.from_url(redis_server.url, password=PASSWORD)
    keys = Keys("reads-test")
    store = writing.Writer(client, keys, tmp_path / "khotin.db")
    for _ in range(20):  # a kind no khotin sends: set aside, like a bad entry
        client.xadd(keys.items, {"kind": "odd", "meta": "{}", "body": b"x" * 1024 * 1024})
    assert asyncio.run(store._drain(">")) == 20  # the first read: up to BATCH
    assert store.read_count == 2  # 3 MB of 1 MB entries
    for _ in range(10):
        client.xadd(keys.items, {"kind": "odd", "meta": "{}", "body": b"x" * 1024})
    assert asyncio.run(store._drain(">")) == 2
    assert store.read_count == 4  # small again: twice as many each read, up to BATCH
    assert asyncio.run(store._drain(">")) == 4
    assert asyncio.run(store._drain(">")) == 4
    assert client.xlen(keys.items) == 0
    assert client.xlen(keys.set_aside) == 30
