"""Damage is contained: a truncated WARC file, a changed and a missing attachment file.

``reparse`` finishes and names the bad record; ``verify`` finds every damaged record and
file, clears what no longer holds, and the next crawl fetches them again.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import pytest

from conftest import run_khotin


def test_damaged_pages_and_files_are_found_reported_and_fetched_again(crawled_db, portal, tmp_path):
    folder = tmp_path / "archive"
    shutil.copytree(crawled_db.parent, folder, ignore=shutil.ignore_patterns("*.lock"))
    db = folder / crawled_db.name
    with sqlite3.connect(db) as conn:
        last_file, last_offset, last_url = conn.execute(
            "SELECT warc_file, warc_offset, url FROM raw_pages ORDER BY warc_file DESC, "
            "warc_offset DESC LIMIT 1"
        ).fetchone()
        files = conn.execute(
            "SELECT url, sha256 FROM attachment_files WHERE sha256 IS NOT NULL ORDER BY url LIMIT 2"
        ).fetchall()
    # The last record of the last WARC file loses its end (a crash or a bad disk).
    warc = folder / "warc" / last_file
    with open(warc, "r+b") as handle:
        handle.truncate(last_offset + 100)
    (changed_url, changed_sha), (lost_url, lost_sha) = files
    stored = folder / "files"
    (stored / changed_sha[:2] / changed_sha[2:4] / changed_sha).write_bytes(b"%PDF-1.4 changed")
    (stored / lost_sha[:2] / lost_sha[2:4] / lost_sha).unlink()

    reparsed = run_khotin("reparse", "--db", str(db))
    assert reparsed.returncode == 3, reparsed.stderr[-2000:]
    assert "Traceback" not in reparsed.stderr
    assert "unreadable 1" in reparsed.stdout and last_file in reparsed.stdout
    assert "reparsed 43 articles" in reparsed.stdout

    verified = run_khotin("verify", "--db", str(db))
    assert verified.returncode == 3, verified.stderr[-2000:]
    assert "database: ok" in verified.stdout
    assert "1 damaged or missing" in verified.stdout.splitlines()[1]
    assert "2 damaged or missing" in verified.stdout.splitlines()[2]
    assert last_url in verified.stdout
    assert f"{changed_url}: its bytes no longer match" in verified.stdout
    assert f"{lost_url}: missing from the store" in verified.stdout
    with sqlite3.connect(db) as conn:
        missing = {row[0] for row in conn.execute("SELECT url FROM missing")}
    assert {last_url, changed_url, lost_url} <= missing

    crawled = run_khotin("crawl", "sample-sonoivu", "--base-url", portal.url, "--db", str(db))
    assert crawled.returncode == 0, crawled.stderr[-2000:]
    again = run_khotin("verify", "--db", str(db))
    assert again.returncode == 0, again.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM missing").fetchone()[0] == 0


def test_a_full_disk_stops_the_run_at_once_and_loses_nothing_stored(portal, tmp_path):
    """The archive on a 1.2 MB file system made by the test: the crawl stops as soon as a
    write fails, says why, leaves no empty WARC file, and what it stored is whole."""
    small = tmp_path / "small"
    small.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(small)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small file system here (needs root): {made.stderr!r}")
    try:
        db = small / "khotin.db"
        full = run_khotin("crawl", "sample-sonoivu", "--base-url", portal.url, "--db", str(db))
        assert full.returncode == 1, full.stdout + full.stderr[-2000:]
        assert "INTERRUPTED: sample-sonoivu: cannot write to the archive" in full.stderr
        assert "Traceback" not in full.stderr
        warcs = list((small / "warc").glob("*.warc.gz"))
        assert warcs and all(w.stat().st_size > 0 for w in warcs)
        # Moved to a disk with room, the archive is whole and the rerun completes it.
        roomy = tmp_path / "roomy"
        shutil.copytree(small, roomy, ignore=shutil.ignore_patterns("*.lock"))
    finally:
        subprocess.run(["umount", "-l", str(small)], capture_output=True)
    db = roomy / "khotin.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        indexed = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    assert 0 < kept < 44 and indexed == kept
    rerun = run_khotin("crawl", "sample-sonoivu", "--base-url", portal.url, "--db", str(db))
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    verified = run_khotin("verify", "--db", str(db))
    assert verified.returncode == 0, verified.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 44
        assert (
            conn.execute(
                "SELECT count(*) FROM attachments t LEFT JOIN attachment_files f ON f.url = t.url "
                "WHERE f.sha256 IS NULL"
            ).fetchone()[0]
            == 0
        )


def test_a_damaged_database_is_reported_not_a_traceback(crawled_db, portal, tmp_path):
    folder = tmp_path / "damaged"
    shutil.copytree(crawled_db.parent, folder, ignore=shutil.ignore_patterns("*.lock"))
    db = folder / crawled_db.name
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [
            n
            for (n,) in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'articles' AND pagetype = 'leaf' "
                "ORDER BY pageno"
            )
        ]
    with open(db, "r+b") as handle:  # scribble over a few of the articles table's pages
        for page in pages[1:6]:
            handle.seek((page - 1) * page_size)  # the page's header: an unknown page type
            handle.write(b"\xff" * 200)
    crawled = run_khotin("crawl", "sample-sonoivu", "--base-url", portal.url, "--db", str(db))
    assert crawled.returncode == 1
    assert "Traceback" not in crawled.stderr and "CRITICAL" not in crawled.stderr
    assert "the archive cannot be read (database disk image is malformed)" in crawled.stderr
    verified = run_khotin("verify", "--db", str(db))
    assert verified.returncode == 3
    assert "malformed" in verified.stdout and ".recover" in verified.stdout


def test_reparse_reads_relative_dates_against_the_fetch_time(tmp_path):
    """A page fetched on 2024-03-28 saying "3 giờ trước" keeps its date when reparsed
    years later, and the reparse records no edit."""
    from archive.store import Archive
    from scraper.parsing.page import Page

    db = tmp_path / "old.db"
    body = "<p>" + "Sở Nội vụ tổ chức hội nghị tổng kết công tác thi đua khen thưởng. " * 6
    page = (
        "<html><body><h1>Hội nghị tổng kết công tác thi đua năm 2023</h1>"
        f"<div class='date'>3 giờ trước</div><div class='content'>{body}</p></div></body></html>"
    ).encode()
    url = "https://sonoivu.example.gov.vn/tin/hoi-nghi-tong-ket.html"
    fetched = "2024-03-28T03:00:00+00:00"  # 10:00 in Vietnam
    from conftest import read_article

    article = read_article(page.decode(), url, fetched_at=fetched)
    article["site_id"] = "old-site"
    assert article["published_at"] == "2024-03-28T07:00:00+07:00"
    with Archive(db) as archive:
        archive.register_site({"id": "old-site", "name": "Sở cũ"})
        archive.save_article(article, Page.of(url, page, fetched_at=fetched))
    result = run_khotin("reparse", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "unchanged  1" in result.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT published_at FROM articles").fetchone()[0] == (
            "2024-03-28T07:00:00+07:00"
        )
        assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 0


def test_a_reparse_change_is_recorded_as_khotins_not_the_sites(tmp_path):
    from archive.store import Archive
    from scraper.parsing.page import Page

    db = tmp_path / "rules.db"
    body = "<p>" + "Nội dung bài viết về công tác cải cách hành chính của Sở Nội vụ. " * 6
    page = (
        "<html><body><h1>Tiêu đề đúng của bài viết về cải cách hành chính</h1>"
        f"<div class='date'>Ngày đăng: 02/10/2019</div><div class='content'>{body}</p></div>"
        "</body></html>"
    ).encode()
    url = "https://sonoivu.example.gov.vn/tin/cai-cach.html"
    stored = {  # what an older, worse rule once extracted from the same page
        "url": url,
        "site_id": "old-site",
        "title": "Tin tức sự kiện",
        "published_at": "2019-10-02",
        "body_text": "Nội dung bài viết",
    }
    with Archive(db) as archive:
        archive.register_site({"id": "old-site", "name": "Sở cũ"})
        archive.save_article(stored, Page.of(url, page, fetched_at="2019-10-02T03:00:00+00:00"))
    result = run_khotin("reparse", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "updated    1" in result.stdout and "changed title: 1" in result.stdout
    with sqlite3.connect(db) as conn:
        cause, old_title = conn.execute("SELECT cause, title FROM article_versions").fetchone()
        title = conn.execute("SELECT title FROM articles").fetchone()[0]
    assert (cause, old_title) == ("reparse", "Tin tức sự kiện")
    assert title == "Tiêu đề đúng của bài viết về cải cách hành chính"
