"""Batched commits (issue 13): the archive commits every N articles or T seconds, each
article whole or not at all; a process killed mid-batch leaves a whole archive whose
readers and search agree, and an article's files index it once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

from archive.search import search
from archive.store import Archive, commit_shared
from archive.verify import verify
from scraper.parsing.page import Page

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def article(n: int, **changes):
    base = {
        "url": f"http://sonoivu.example.gov.vn/tin/{n}.html",
        "site_id": "s",
        "title": f"Đại hội thi đua yêu nước lần thứ {n}",
        "summary": None,
        "body_text": f"Kế hoạch số {n}/KH-UBND về phong trào thi đua năm 2024.",
        "published_at": "2024-10-02T15:42:26+07:00",
        "published_raw": "02/10/2024 15:42:26",
        "authors": ["Nguyễn Thị Lê"],
        "byline": "Nguyễn Thị Lê",
        "attachments": [],
        "related": [],
        "doc_refs": [],
    }
    return {**base, **changes}


def page(n: int) -> Page:
    body = f"<html><body><h1>Đại hội thi đua yêu nước lần thứ {n}</h1></body></html>"
    return Page.of(f"http://sonoivu.example.gov.vn/tin/{n}.html", body.encode())


def committed(db) -> int:
    """What another connection (Datasette, the next run) sees."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_a_batch_is_seen_by_other_connections_once_committed(tmp_path):
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        archive.register_site({"id": "s", "name": "S"})
        archive.batch_commits(every=3, seconds=3600)
        archive.save_article(article(1), page(1))
        archive.save_article(article(2), page(2))
        assert committed(db) == 0
        # The writer's own connection reads what it wrote.
        assert archive.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        archive.save_article(article(3), page(3))
        assert committed(db) == 3
        archive.save_article(article(4), page(4))
        assert committed(db) == 3
    assert committed(db) == 4  # closing commits


def test_a_batch_commits_when_its_time_is_up(tmp_path):
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        archive.register_site({"id": "s", "name": "S"})
        archive.batch_commits(every=100, seconds=0.0)
        archive.save_article(article(1), page(1))  # due at once: committed with it
        assert committed(db) == 1
        archive.batch_commits(every=100, seconds=3600)
        archive.save_article(article(2), page(2))
        assert committed(db) == 1
        archive.commit()
        assert committed(db) == 2


def test_a_process_killed_mid_batch_leaves_a_whole_archive(tmp_path):
    db = tmp_path / "a.db"
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {ROOT!r}); sys.path.insert(0, {os.path.join(ROOT, "tests")!r})
        from archive.store import Archive
        from test_batches import article, page
        archive = Archive({str(db)!r})
        archive.register_site({{"id": "s", "name": "S"}})
        archive.batch_commits(every=3, seconds=3600)
        for n in range(1, 6):
            archive.save_article(article(n), page(n))
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    process = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=60)
    assert process.returncode == -signal.SIGKILL
    # The first batch (1-3) is there, whole; 4 and 5 are not, so the next run fetches
    # them again. Rows, search index and raw pages agree, and verify finds nothing.
    with Archive(db) as archive:
        urls = [row[0] for row in archive.db.execute("SELECT url FROM articles ORDER BY id")]
        assert urls == [f"http://sonoivu.example.gov.vn/tin/{n}.html" for n in (1, 2, 3)]
        found = search(archive.db.conn, "dai hoi thi dua", size=10)
        assert sorted(hit.url for hit in found.hits) == urls
        assert archive.known_urls("s") == set(urls)
    report = verify(db)
    assert report.ok, report
    assert report.pages_checked == 3


def test_an_articles_files_index_it_once_with_their_text(tmp_path):
    db = tmp_path / "a.db"
    pdf = "http://sonoivu.example.gov.vn/files/ke-hoach.pdf"
    with Archive(db) as archive:
        archive.register_site({"id": "s", "name": "S"})
        archive.batch_commits()
        archive.save_article(
            article(1, attachments=[{"url": pdf, "name": "Kế hoạch", "kind": "pdf"}]), page(1)
        )
        archive.save_attachment_file(
            {
                "url": pdf,
                "status": 200,
                "sha256": "0" * 64,
                "size": 10,
                "kind": "pdf",
                "text": "Danh sách tập thể được khen thưởng",
            },
            index_now=False,
        )
        assert archive.flush_index() == 1  # one index update for the article and its file
        archive.commit()  # search ranks on a read-only connection of its own
        hits = search(archive.db.conn, "tap the duoc khen thuong").hits
        assert [hit.url for hit in hits] == ["http://sonoivu.example.gov.vn/tin/1.html"]
        # An article with no files to come is searchable at once.
        archive.save_article(article(2), page(2))
        archive.commit()
        assert [h.url for h in search(archive.db.conn, "lan thu 2").hits] == [
            "http://sonoivu.example.gov.vn/tin/2.html"
        ]


def test_the_crawls_writers_share_one_archive_per_file(tmp_path):
    db = tmp_path / "a.db"
    first = Archive.shared(db)
    second = Archive.shared(str(db))
    assert first is second
    first.register_site({"id": "s", "name": "S"})
    first.batch_commits(every=100, seconds=3600)
    first.save_article(article(1), page(1))
    second.save_article(article(2), page(2))  # no second connection to wait on the first
    commit_shared(db)
    assert committed(db) == 2
    first.release()
    second.save_article(article(3), page(3))
    second.release()  # the last user closes it, committing
    assert committed(db) == 3
    assert Archive.shared(db) is not first


def test_a_batch_lost_to_a_rollback_is_said_not_silently_replaced(tmp_path):
    """SQLite rolls a whole transaction back on some errors (a full disk): the next
    save and the writer's next commit say so, so `khotin store` acknowledges nothing."""
    import pytest

    from archive.store import ArchiveError

    db = tmp_path / "a.db"
    archive = Archive.shared(db)
    archive.register_site({"id": "s", "name": "S"})
    archive.batch_commits(every=100, seconds=3600)
    archive.save_article(article(1), page(1))
    archive.db.conn.execute("ROLLBACK")  # what SQLITE_FULL does to the open batch
    with pytest.raises(ArchiveError, match="rolled back"):
        archive.save_article(article(2), page(2))
    with pytest.raises(ArchiveError, match="could not be committed"):
        commit_shared(db)
    commit_shared(db)  # said once; the writer stops and reads the entries again
    archive.release()
    assert committed(db) == 0
