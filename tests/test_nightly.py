"""Nightly crawls an operator can trust (issue 5), shown with real crawls over loopback.

Each test runs its own copy of the sample portal, so it can publish, edit and remove
articles between runs, as a department's editors do.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time

import pytest

from archive.lock import CrawlLock
from archive.serve import build_datasette
from scraper.sample_portal.server import SamplePortalServer
from scraper.sample_portal.site import dossier_code, load_articles
from scraper.sites import SITES_DIR

from conftest import run_khotin, start_khotin
from unseen_site import UnseenSite

SAMPLE_ID = 2105
SAMPLE_TITLE = "Kế hoạch tổ chức Hội nghị điển hình tiên tiến và Đại hội thi đua yêu nước"


def crawl(server, db, *extra, env=None):
    return run_khotin(
        "crawl", "sample-sonoivu", "--base-url", server.url, "--db", str(db), *extra, env=env
    )


def last_run(db) -> dict:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return dict(conn.execute("select * from crawl_runs order by id desc limit 1").fetchone())


def count(db, sql, *params):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchone()[0]


@pytest.fixture
def site():
    with SamplePortalServer() as server:
        yield server


@pytest.fixture
def archived(site, tmp_path):
    db = tmp_path / "nightly.db"
    first = crawl(site, db)
    assert first.returncode == 0, first.stderr[-2000:]
    return db


def test_unchanged_site_costs_at_most_two_requests_and_adds_nothing(site, archived):
    before = count(archived, "select count(*) from articles")
    result = crawl(site, archived)
    assert result.returncode == 0, result.stderr[-2000:]
    run = last_run(archived)
    assert run["requests"] - 1 <= 2  # robots.txt aside
    assert (run["new"], run["updated"]) == (0, 0)
    assert count(archived, "select count(*) from articles") == before
    assert run["outcome"] == "ok"


def test_new_article_on_the_first_listing_page_is_picked_up(site, archived):
    article = dict(
        load_articles()[0],
        id=9001,
        slug="bai-moi",
        published="31/12/2019 09:00:00",
        title="Sở Nội vụ triển khai nhiệm vụ năm 2020 theo Quyết định số 99/QĐ-UBND",
    )
    site.portal.add(article)
    crawl(site, archived)
    run = last_run(archived)
    assert run["new"] == 1 and run["requests"] - 1 <= 4
    assert count(archived, "select count(*) from articles where title = ?", article["title"]) == 1


def test_edited_article_keeps_its_old_version(site, archived):
    old_title = SAMPLE_TITLE
    site.portal.edit(SAMPLE_ID, title=old_title + " (cập nhật)")
    result = crawl(site, archived, "--revisit-after", "0")
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(archived) as conn:
        title, article_id = conn.execute(
            "select title, id from articles where title like ?", (old_title + "%",)
        ).fetchone()
        versions = conn.execute(
            "select title, changed_fields from article_versions where article_id = ?",
            (article_id,),
        ).fetchall()
    assert title == old_title + " (cập nhật)"
    assert versions == [(old_title, '["title"]')]
    assert last_run(archived)["updated"] == 1


def test_removed_article_is_marked_and_kept(site, archived):
    site.portal.remove(SAMPLE_ID)
    crawl(site, archived, "--revisit-after", "0")
    with sqlite3.connect(archived) as conn:
        removed_at, body = conn.execute(
            "select removed_at, body_text from articles where title = ?", (SAMPLE_TITLE,)
        ).fetchone()
    assert removed_at is not None and "4846/KH-UBND" in body
    assert last_run(archived)["removed"] == 1


def test_full_recrawl_rechecks_every_article_conditionally(site, archived):
    result = crawl(site, archived, "--full")
    assert result.returncode == 0
    run = last_run(archived)
    assert run["mode"] == "full" and run["unchanged"] == len(load_articles())
    assert run["new"] == 0 and run["updated"] == 0


def test_since_keeps_only_recent_articles(site, tmp_path):
    db = tmp_path / "since.db"
    crawl(site, db, "--since", "2019-12-01")
    with sqlite3.connect(db) as conn:
        dates = [row[0] for row in conn.execute("select published_at from articles")]
    expected = [a for a in load_articles() if a["published"][3:10] == "12/2019"]
    assert len(dates) == len(expected) and all(d >= "2019-12-01" for d in dates)


def test_reparse_after_a_profile_fix_needs_no_request(site, tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    profile = (SITES_DIR / "sample-sonoivu.toml").read_text(encoding="utf-8")
    broken = profile.replace('id = "sample-sonoivu"', 'id = "local-site"').replace(
        'title = "div.news-detail h1.news-title"', 'title = "div.news-detail div.date-line"'
    )
    (sites / "local-site.toml").write_text(broken, encoding="utf-8")
    env = {**os.environ, "KHOTIN_SITES": str(sites)}
    db = tmp_path / "reparse.db"
    result = run_khotin("crawl", "local-site", "--base-url", site.url, "--db", str(db), env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert count(db, "select count(*) from articles where title = ?", SAMPLE_TITLE) == 0
    (sites / "local-site.toml").write_text(
        profile.replace('id = "sample-sonoivu"', 'id = "local-site"'), encoding="utf-8"
    )
    site.stop()  # no network from here on
    result = run_khotin("reparse", "--db", str(db), env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"changed title: {len(load_articles())}" in result.stdout
    assert count(db, "select count(*) from articles where title = ?", SAMPLE_TITLE) == 1
    assert count(db, "select count(*) from article_versions") == len(load_articles())


def test_attachments_stored_once_searchable_and_fakes_flagged(site, tmp_path):
    sample = next(a for a in load_articles() if a["id"] == SAMPLE_ID)
    shared = sample["attachments"][0]
    site.portal.add(
        dict(
            sample,
            id=9002,
            slug="tin-chia-se",
            published="30/12/2019 10:00:00",
            title="Bài khác dẫn cùng kế hoạch 4846",
            attachments=[shared],
        )
    )
    site.portal.add(
        dict(
            sample,
            id=9003,
            slug="tin-loi",
            published="29/12/2019 10:00:00",
            title="Bài có tệp đính kèm hỏng",
            attachments=[
                {"file": "mat-tep.pdf", "name": "Tệp hỏng", "kind": "pdf", "broken": True}
            ],
        )
    )
    db = tmp_path / "files.db"
    assert crawl(site, db).returncode == 0
    with sqlite3.connect(db) as conn:
        shared_rows = conn.execute(
            "select count(distinct article_id) from attachments where url like ?",
            ("%/" + shared["file"],),
        ).fetchone()[0]
        files = conn.execute(
            "select sha256, kind, type_mismatch, text from attachment_files where url like ?",
            ("%/" + shared["file"],),
        ).fetchall()
        fake = conn.execute(
            "select kind, claimed_kind, type_mismatch from attachment_files where url like ?",
            ("%/mat-tep.pdf",),
        ).fetchone()
    assert shared_rows == 2 and len(files) == 1
    sha, kind, mismatch, text = files[0]
    assert kind == "pdf" and mismatch == 0 and dossier_code(shared) in text
    stored = list((tmp_path / "files").rglob(sha))
    assert len(stored) == 1 and stored[0].read_bytes().startswith(b"%PDF")
    assert fake == ("html", "pdf", 1)
    datasette = build_datasette(db)
    response = asyncio.run(
        datasette.client.get(
            "/khotin/articles.json", params={"_search": dossier_code(shared), "_shape": "objects"}
        )
    )
    titles = {row["title"] for row in response.json()["rows"]}
    assert titles == {SAMPLE_TITLE, "Bài khác dẫn cùng kế hoạch 4846"}


def test_a_broken_site_fails_the_run_loudly_and_others_are_kept(site, tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    profile = (SITES_DIR / "sample-sonoivu.toml").read_text(encoding="utf-8")
    db = tmp_path / "two.db"
    with UnseenSite() as other:
        # The same profile on two sites: one still in its layout, one whose layout changed.
        (sites / "good-site.toml").write_text(
            profile.replace('id = "sample-sonoivu"', 'id = "good-site"').replace(
                "http://127.0.0.1:8721/", site.url
            ),
            encoding="utf-8",
        )
        (sites / "changed-site.toml").write_text(
            profile.replace('id = "sample-sonoivu"', 'id = "changed-site"')
            .replace('start_urls = ["/tin-tuc-su-kien"]', 'start_urls = ["/tin-hoat-dong?page=1"]')
            .replace("http://127.0.0.1:8721/", other.url),
            encoding="utf-8",
        )
        env = {**os.environ, "KHOTIN_SITES": str(sites)}
        result = run_khotin("crawl", "good-site", "changed-site", "--db", str(db), env=env)
    assert result.returncode == 1
    assert "BROKEN: changed-site" in result.stderr
    assert "good-site" not in result.stderr
    good = count(db, "select count(*) from articles where site_id = 'good-site'")
    assert good == len(load_articles())
    with sqlite3.connect(db) as conn:
        outcome, reason = conn.execute(
            "select outcome, reason from crawl_runs where site_id = 'changed-site'"
        ).fetchone()
    assert outcome == "broken" and "no article links" in reason


def test_two_crawls_never_overlap(site, tmp_path):
    db = tmp_path / "locked.db"
    with CrawlLock(db):
        result = crawl(site, db)
    assert result.returncode == 2
    assert "another crawl is writing" in result.stderr


def test_datasette_answers_while_a_crawl_writes(site, tmp_path):
    db = tmp_path / "live.db"
    assert crawl(site, db).returncode == 0  # an archive to serve
    datasette = build_datasette(db)
    for article in load_articles()[:20]:
        site.portal.edit(article["id"], title=article["title"] + " (sửa)")
    crawler = start_khotin(
        "crawl",
        "sample-sonoivu",
        "--base-url",
        site.url,
        "--db",
        str(db),
        "--full",
        "--delay",
        "0.05",
    )
    answers, seen_edits = 0, set()
    deadline = time.monotonic() + 120
    while crawler.poll() is None and time.monotonic() < deadline:
        response = asyncio.run(
            datasette.client.get(
                "/khotin.json",
                params={
                    "sql": "select count(*) as n, sum(title like '%(sửa)') as edited from articles",
                    "_shape": "objects",
                },
            )
        )
        assert response.status_code == 200, response.text
        row = response.json()["rows"][0]
        assert row["n"] == len(load_articles())
        seen_edits.add(row["edited"])
        answers += 1
    assert crawler.wait(timeout=60) == 0
    assert answers >= 3
    assert max(seen_edits) <= 20
