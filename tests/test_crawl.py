"""End to end: a real Scrapy crawl of the sample portal over loopback into a real SQLite file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from scraper.sample_portal.site import load_articles

from conftest import ROOT, run_khotin

SAMPLE_URL_PATH = "/tin-tuc-su-kien/ke-hoach-to-chuc-hoi-nghi-dien-hinh-tien-tien"
TABLES = ("articles", "attachments", "related_links", "doc_refs", "raw_pages", "articles_fts")


def counts(db) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


def test_every_sample_article_is_archived(crawled_db):
    expected = {a["title"] for a in load_articles()}
    with sqlite3.connect(crawled_db) as conn:
        titles = {row[0] for row in conn.execute("select title from articles")}
        sites = conn.execute("select id, status from sites").fetchall()
    assert titles == expected
    assert sites == [("sample-sonoivu", "sample")]


def test_sample_article_row(crawled_db):
    conn = sqlite3.connect(crawled_db)
    conn.row_factory = sqlite3.Row
    row = conn.execute(
        "select * from articles where title = ?",
        ("Kế hoạch tổ chức Hội nghị điển hình tiên tiến và Đại hội thi đua yêu nước",),
    ).fetchone()
    assert row["published_at"] == "2019-10-02T15:42:26+07:00"
    assert row["published_raw"] == "Thứ tư, 02/10/2019 | 15:42:26 GMT+7"
    assert row["published_year"] == 2019
    assert json.loads(row["authors"]) == ["Nguyễn Thị Lê"]
    assert row["source_unit"] == "Ban Thi đua - Khen thưởng"
    assert row["byline"] == "Nguyễn Thị Lê - Ban Thi đua - Khen thưởng"
    assert row["category"] == "Tin tức sự kiện"
    body = row["body_text"]
    assert body.startswith("Ngày 24/9/2019, UBND tỉnh Bình Dương ban hành Kế hoạch số 4846/KH-UBND")
    assert body.endswith("giai đoạn 2015-2020.")
    for leak in (
        "Tin liên quan",
        "Hình ảnh hoạt động",
        "Liên kết website",
        "Thống kê truy cập",
        "Tổng truy cập",
        "2763032",
        "Nguyễn Thị Lê",
        "Tập tin đính kèm",
        "Thứ năm",
    ):
        assert leak not in body
    refs = conn.execute(
        "select number, type, issuer, date from doc_refs where article_id = ? order by position",
        (row["id"],),
    ).fetchall()
    assert [tuple(r) for r in refs] == [
        ("4846/KH-UBND", "KH", "UBND", "2019-09-24"),
        ("34-CT/TW", "CT", "TW", "2014-04-07"),
        ("05/CT-TW", "CT", "TW", None),
    ]
    files = conn.execute(
        "select url, name, kind from attachments where article_id = ?", (row["id"],)
    ).fetchall()
    assert [(r["name"], r["kind"]) for r in files] == [("Kế hoạch số 4846/KH-UBND", "pdf")]
    assert files[0]["url"].endswith("/Upload/files/4846-KH-UBND.pdf")
    related = conn.execute(
        "select count(*) from related_links where article_id = ?", (row["id"],)
    ).fetchone()[0]
    assert related >= 1
    raw = conn.execute(
        "select status, size from raw_pages where id = ?", (row["raw_page_id"],)
    ).fetchone()
    assert raw["status"] == 200 and raw["size"] > 1000


def test_crawl_run_is_recorded(crawled_db):
    with sqlite3.connect(crawled_db) as conn:
        run = conn.execute(
            "select outcome, new, errors, field_coverage from crawl_runs order by id limit 1"
        ).fetchone()
    assert run[0] == "ok"
    assert run[1] == len(load_articles())
    assert run[2] == 0
    coverage = json.loads(run[3])
    assert coverage["title"] == 1.0 and coverage["published_at"] == 1.0


def test_second_crawl_adds_nothing(portal, crawled_db, tmp_path):
    db = tmp_path / "again.db"
    first = run_khotin("crawl", "sample-sonoivu", "--base-url", portal.url, "--db", str(db))
    assert first.returncode == 0, first.stderr[-2000:]
    before = counts(db)
    second = run_khotin("crawl", "sample-sonoivu", "--base-url", portal.url, "--db", str(db))
    assert second.returncode == 0, second.stderr[-2000:]
    assert counts(db) == before
    assert before["articles"] == len(load_articles())
    line = next(x for x in second.stdout.splitlines() if x.startswith("sample-sonoivu"))
    assert line.split()[1:4] == ["ok", "0", "0"]  # outcome, new, updated


def test_scrapy_crawl_command_works_too(portal, tmp_path):
    db = tmp_path / "scrapy.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "site",
            "-a",
            "site=sample-sonoivu",
            "-a",
            f"base_url={portal.url}",
            "-s",
            f"KHOTIN_DB={db}",
            "-s",
            "LOG_LEVEL=WARNING",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert counts(db)["articles"] == len(load_articles())
