"""A crawl killed at a random moment (SIGKILL) and run again loses nothing (issue 6)."""

from __future__ import annotations

import hashlib
import random
import signal
import sqlite3
import time

import pytest

from archive.store import unindex
from scraper.sample_portal.server import SamplePortalServer
from scraper.sample_portal.site import load_articles

from conftest import run_khotin, start_khotin

ARTICLES = load_articles()


def stored(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


def archive_state(db) -> dict:
    with sqlite3.connect(db) as conn:
        return {
            "integrity": conn.execute("pragma integrity_check").fetchone()[0],
            "titles": {row[0] for row in conn.execute("select title from articles")},
            "indexed": conn.execute("select count(*) from articles_fts").fetchone()[0],
            "articles": conn.execute("select count(*) from articles").fetchone()[0],
            "attachments": dict(
                conn.execute(
                    "select a.title, count(t.id) from articles a left join attachments t "
                    "on t.article_id = a.id group by a.id"
                ).fetchall()
            ),
            "doc_refs": dict(
                conn.execute(
                    "select a.title, count(d.id) from articles a left join doc_refs d "
                    "on d.article_id = a.id group by a.id"
                ).fetchall()
            ),
        }


def assert_whole(state: dict) -> None:
    """Every stored article is complete: its children and its search entry are there."""
    assert state["integrity"] == "ok"
    assert state["indexed"] == state["articles"]
    by_title = {a["title"]: a for a in ARTICLES}
    for title, count in state["attachments"].items():
        assert count == len(by_title[title]["attachments"]), title
    for title, count in state["doc_refs"].items():
        assert count == len(by_title[title]["doc_refs"]), title


@pytest.mark.parametrize(("seed", "earliest"), [(1, 1), (2, 1), (3, 31)])
def test_killed_crawl_rerun_collects_everything(seed, earliest, tmp_path):
    """Kill points are random; one is always late, after whole listing pages are in,
    where an incremental rerun would otherwise stop early and miss the rest."""
    rng = random.Random(seed)
    db = tmp_path / "killed.db"
    with SamplePortalServer() as site:
        crawl = start_khotin(
            "crawl", "sample-sonoivu", "--base-url", site.url, "--db", str(db), "--delay", "0.03"
        )
        # Kill at a random point of the crawl: once a random number of articles is in.
        target = rng.randint(earliest, len(ARTICLES) - 5)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and stored(db) < target:
            time.sleep(rng.uniform(0.0, 0.05))
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(timeout=30)
        before = archive_state(db)
        assert_whole(before)
        assert 0 < before["articles"] < len(ARTICLES), "killed in the middle of the crawl"
        again = run_khotin(
            "crawl", "sample-sonoivu", "--base-url", site.url, "--db", str(db), "--delay", "0"
        )
        assert again.returncode == 0, again.stderr[-2000:]
    after = archive_state(db)
    assert_whole(after)
    assert before["titles"] <= after["titles"]
    assert after["titles"] == {a["title"] for a in ARTICLES}
    with sqlite3.connect(db) as conn:
        outcomes = [row[0] for row in conn.execute("select outcome from crawl_runs order by id")]
    assert outcomes == ["interrupted", "ok"]
    assert_every_file_stored(db)


def assert_every_file_stored(db) -> None:
    """Every attachment of every article is in the store, bytes checked by sha256."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "select t.url, f.sha256 from attachments t "
            "left join attachment_files f on f.url = t.url"
        ).fetchall()
        left = conn.execute("select count(*) from missing").fetchone()[0]
    assert rows and left == 0
    for url, sha in rows:
        assert sha, f"no file for {url}"
        path = db.parent / "files" / sha[:2] / sha[2:4] / sha
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha, url


def test_rerun_after_an_interrupted_walk_reaches_the_oldest_pages(tmp_path):
    """A run that died after the newest pages were archived (and whose run row says
    so) must not stop at the first known page next time: it walks to the end."""
    db = tmp_path / "resume.db"
    oldest = {a["title"] for a in ARTICLES[-8:]}
    with SamplePortalServer() as site:
        first = run_khotin(
            "crawl", "sample-sonoivu", "--base-url", site.url, "--db", str(db), "--delay", "0"
        )
        assert first.returncode == 0
        with sqlite3.connect(db) as conn:
            # What a crawl killed before reaching the last listing page leaves behind.
            ids = [
                row[0]
                for row in conn.execute(
                    f"select id from articles where title in ({','.join('?' * len(oldest))})",
                    sorted(oldest),
                )
            ]
            for table in ("attachments", "related_links", "doc_refs"):
                conn.executemany(f"delete from {table} where article_id = ?", [(i,) for i in ids])
            for i in ids:
                unindex(conn, i)
            conn.executemany("delete from articles where id = ?", [(i,) for i in ids])
            conn.execute("update crawl_runs set outcome = 'interrupted'")
        again = run_khotin(
            "crawl", "sample-sonoivu", "--base-url", site.url, "--db", str(db), "--delay", "0"
        )
    assert again.returncode == 0, again.stderr[-2000:]
    assert oldest <= archive_state(db)["titles"]
