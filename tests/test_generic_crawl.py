"""`khotin crawl --start-url` on a site in a layout it has never seen, traps included."""

from __future__ import annotations

import sqlite3

from dnn_site import ARTICLES as DNN_ARTICLES
from dnn_site import DnnSite

from conftest import run_khotin
from unseen_site import ARTICLES, UnseenSite


def test_generic_crawl_finds_the_articles_and_avoids_traps(tmp_path):
    db = tmp_path / "generic.db"
    with UnseenSite() as site:
        result = run_khotin(
            "crawl",
            "--start-url",
            site.url + "tin-hoat-dong?page=1",
            "--db",
            str(db),
            "--delay",
            "0",
        )
        traps = site.trap_requests()
        requests = sum(site.requests.values())
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        rows = conn.execute("select title, published_at, site_id from articles").fetchall()
    found = {title for title, _, _ in rows}
    expected = {a["title"] for a in ARTICLES}
    assert len(found & expected) / len(expected) >= 0.95
    assert found <= expected, "only articles are archived, not listings or traps"
    assert all(published for _, published, _ in rows)
    assert {site_id for _, _, site_id in rows} == {site.url.split("/")[2]}
    assert traps <= 2
    assert requests <= len(ARTICLES) + 10


def test_a_dotnetnuke_news_module_portal_is_crawled_to_its_last_page_with_every_file(tmp_path):
    """DotNetNuke's news module: /ArticleID/N/slug articles, a windowed pager whose later
    pages show only through », "Trang cuối" and a moving window, and files behind
    LinkClick.aspx tickets named only by their link text."""
    db = tmp_path / "dnn.db"
    with DnnSite() as site:
        result = run_khotin(
            "crawl", "--start-url", site.url + "tin-tuc", "--db", str(db), "--delay", "0"
        )
        traps = site.trap_requests()
        fetched_files = site.file_requests()
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        titles = {row[0] for row in conn.execute("select title from articles")}
        stored = {
            row[0].removeprefix(site.url.rstrip("/"))
            for row in conn.execute("select url from attachment_files where sha256 is not null")
        }
    assert titles == {a["title"] for a in DNN_ARTICLES}
    assert fetched_files == site.files
    assert stored == site.files
    assert traps == 0
