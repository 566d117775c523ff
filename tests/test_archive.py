"""The archive on its own (no Scrapy): idempotent writes, versions, search, transactions."""

from __future__ import annotations

import sqlite3

import pytest

from archive.folding import doc_number_key, fold
from archive.schema import MIGRATIONS, NAMES
from archive.store import _AT_ADDRESS, Archive, ArchiveError
from scraper.parsing.page import Page


def article(**changes):
    base = {
        "url": "http://sonoivu.example.gov.vn/tin/1.html",
        "site_id": "s",
        "title": "Đại hội thi đua yêu nước",
        "summary": None,
        "body_text": "Kế hoạch số 123/QĐ-UBND về thi đua.",
        "published_at": "2019-10-02T15:42:26+07:00",
        "published_raw": "02/10/2019 15:42:26",
        "authors": ["Nguyễn Thị Lê"],
        "byline": "Nguyễn Thị Lê",
        "attachments": [{"url": "http://x/a.pdf", "name": "Quyết định", "kind": "pdf"}],
        "related": [{"url": "http://x/2.html", "title": "Tin khác"}],
        "doc_refs": [{"number": "123/QĐ-UBND", "type": "QĐ", "issuer": "UBND", "date": None}],
    }
    return {**base, **changes}


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "a.db") as store:
        store.register_site({"id": "s", "name": "S"})
        yield store


def rows(archive, sql, *params):
    return archive.db.execute(sql, list(params)).fetchall()


def test_fold():
    assert fold("ĐẠI HỘI Thi Đua") == "dai hoi thi dua"
    assert fold("Quyết định 123/QĐ-UBND") == "quyet dinh 123/qd-ubnd"
    assert doc_number_key("34-CT/TW") == doc_number_key("34/ct-tw") == "34cttw"


def test_same_article_twice_is_one_row(archive):
    assert archive.save_article(article()) == "new"
    assert archive.save_article(article()) == "unchanged"
    assert rows(archive, "select count(*) from articles") == [(1,)]
    assert rows(archive, "select count(*) from attachments") == [(1,)]
    assert rows(archive, "select count(*) from doc_refs") == [(1,)]


def test_changed_article_keeps_old_version(archive):
    archive.save_article(article())
    assert archive.save_article(article(title="Đại hội thi đua yêu nước lần thứ V")) == "updated"
    assert rows(archive, "select title from articles") == [("Đại hội thi đua yêu nước lần thứ V",)]
    assert rows(archive, "select title, changed_fields from article_versions") == [
        ("Đại hội thi đua yêu nước", '["title"]')
    ]
    assert rows(archive, "select count(*) from doc_refs") == [(1,)]


@pytest.mark.parametrize(
    "query",
    ['"dai" "hoi"', '"Đại" "hội"', '"qd"', '"123/QĐ-UBND"', '"123/QD-UBND"', '"quyet"'],
)
def test_search_index_folds_and_keeps_accents(archive, query):
    archive.save_article(article())
    found = rows(archive, "select rowid from articles_fts where articles_fts match ?", query)
    assert found == [(1,)]


def test_accented_query_does_not_match_other_tones(archive):
    archive.save_article(article(title="Thế hệ trẻ", body_text="", doc_refs=[], attachments=[]))
    assert rows(archive, "select rowid from articles_fts where articles_fts match ?", '"thể"') == []
    assert rows(archive, "select rowid from articles_fts where articles_fts match ?", '"the"')


def test_failed_write_leaves_nothing_half_written(archive):
    bad = article(related=[{"url": "http://x/2.html", "title": object()}])
    with pytest.raises(sqlite3.Error):
        archive.save_article(bad)
    assert rows(archive, "select count(*) from articles") == [(0,)]
    assert rows(archive, "select count(*) from attachments") == [(0,)]
    assert rows(archive, "select count(*) from articles_fts") == [(0,)]


def test_raw_page_is_kept_exactly(archive):
    body = "<html>Đại hội</html>".encode("windows-1258", "replace") + b"\xff\x00"
    archive.save_article(
        article(), Page.of("http://x/1", body, headers={"Content-Type": ["text/html"]})
    )
    (raw_id,) = rows(archive, "select raw_page_id from articles")[0]
    assert archive.raw_body(raw_id) == body


def test_wal_and_integrity(archive):
    archive.save_article(article())
    assert rows(archive, "pragma journal_mode") == [("wal",)]
    assert rows(archive, "pragma integrity_check") == [("ok",)]


def test_not_an_archive_is_a_clear_error(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ArchiveError, match="not a khotin archive"):
        Archive(junk)


def test_reopening_migrates_nothing_twice(tmp_path):
    Archive(tmp_path / "a.db").close()
    with Archive(tmp_path / "a.db") as again:
        assert rows(again, "pragma user_version") == [(len(MIGRATIONS),)]
        assert rows(again, "select count(*) from _sqlite_migrations") == [(len(NAMES),)]
    assert sqlite3.connect(tmp_path / "a.db").execute("select count(*) from sites").fetchone() == (
        0,
    )


def test_an_archive_from_the_first_release_is_upgraded_and_reindexed(tmp_path):
    from sqlite_utils import Database

    from archive.schema import _v1

    path = tmp_path / "old.db"
    old = Database(path)
    _v1(old)
    old.execute("PRAGMA user_version = 1")
    old["sites"].insert({"id": "s"})
    old["articles"].insert(
        {"id": 7, "site_id": "s", "url": "http://x/7", "title": "Đại hội thi đua"}
    )
    old.conn.commit()
    old.close()
    with Archive(path) as upgraded:
        assert rows(upgraded, "pragma user_version") == [(len(MIGRATIONS),)]
        found = rows(
            upgraded, "select rowid from articles_fts where articles_fts match ?", '"dai" "hoi"'
        )
        assert found == [(7,)]
        assert "etag" in upgraded.db["articles"].columns_dict
        # The first step is recorded as the file had it, the others as applied now, in
        # sqlite-utils' migrations table.
        assert [r[0] for r in rows(upgraded, "select name from _sqlite_migrations")] == NAMES


def test_a_files_text_joins_its_articles_search_entry_once_per_flush(tmp_path):
    """A crawl stores an article, then its files one by one: their text reaches the
    index in one update per article; what a killed run owed is paid when it reopens."""
    db = tmp_path / "a.db"
    with Archive(db) as store:
        store.register_site({"id": "s", "name": "S"})
        store.save_article(article())
        owed = store.save_attachment_file(
            {"url": "http://x/a.pdf", "status": 200, "sha256": "0" * 64, "text": "quyhoachzeta"},
            index_now=False,
        )
        assert owed == 1
        search = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'quyhoachzeta'"
        assert rows(store, search) == []  # not yet: the run may bring the other files
    # The run was killed here. Opening the archive again pays the debt.
    with Archive(db) as store:
        assert len(rows(store, search)) == 1
        assert rows(store, "SELECT count(*) FROM index_pending") == [(0,)]


def test_the_index_keeps_no_copy_and_an_edit_leaves_no_stale_words(tmp_path):
    """Contentless FTS5: the text lives once, in articles; an edited article is found by
    its new words, never by its old ones, and the index stays whole."""
    with Archive(tmp_path / "a.db") as store:
        store.register_site({"id": "s", "name": "S"})
        store.save_article(article(title="Hội nghị quyhoachalpha lần thứ nhất"))
        store.save_article(article(title="Hội nghị quyhoachbeta lần thứ hai"))
        match = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
        assert rows(store, match, "quyhoachalpha") == []
        assert len(rows(store, match, "quyhoachbeta")) == 1
        assert len(rows(store, match, '"hoi nghi"')) == 1  # the folded copy, rebuilt too
        store.db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        assert rows(store, "SELECT title FROM articles_fts") == [(None,)]  # no second copy


def test_a_rebuild_of_the_index_killed_midway_goes_on_at_the_next_open(tmp_path):
    """Migration 0007 queues every article for the new index in its own transaction; the
    rebuild commits chunk by chunk, so a kill midway loses no entry for good."""
    db = tmp_path / "a.db"
    with Archive(db) as store:
        store.register_site({"id": "s", "name": "S"})
        for n in range(5):
            store.save_article(article(url=f"http://sonoivu.example.gov.vn/tin/{n}.html"))
        # What 0007 leaves for an archive written before it, and a kill after 2 of 5.
        store.db.execute("INSERT INTO index_pending (article_id) SELECT id FROM articles")
        store.db.conn.commit()
        assert store.flush_index(chunk=2) == 5
        store.db.execute("INSERT INTO index_pending (article_id) SELECT id FROM articles")
        store.db.conn.commit()
        with store.db.atomic():  # the first chunk of a rebuild, then the process dies
            for (article_id,) in rows(store, "SELECT article_id FROM index_pending LIMIT 2"):
                store._index(article_id)
                store.db.execute("DELETE FROM index_pending WHERE article_id = ?", [article_id])
    with Archive(db) as store:
        assert rows(store, "SELECT count(*) FROM index_pending") == [(0,)]
        found = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'thi dua'"
        assert rows(store, found) == [(5,)]
        store.db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_an_article_read_many_times_lists_its_first_and_latest_readings(tmp_path):
    from archive.reading import article as article_page

    db = tmp_path / "a.db"
    body = b"<html><body><p>same page</p></body></html>"
    with Archive(db) as store:
        store.register_site({"id": "s", "name": "S"})
        for day in range(1, 31):  # thirty captures of one unchanged page
            page = Page.of(article()["url"], body, fetched_at=f"2019-01-{day:02d}T00:00:00+00:00")
            store.save_article(
                article(),
                page,
                source="web-archive",
                capture_url=f"https://wa/web/201901{day:02d}id_/x",
            )
    with sqlite3.connect(db) as conn:
        shown = article_page(conn, 1)
    assert shown["sources_total"] == 30
    days = [s["seen_at"][:10] for s in shown["sources"]]
    assert days[:5] == [f"2019-01-0{d}" for d in range(1, 6)] and days[-1] == "2019-01-30"
    assert len(days) == 20 and shown["sources"][0]["replay"] == "https://wa/web/20190101/x"


def test_hoac_keeps_its_dot_below_in_an_article_that_also_says_hoa(archive):
    """ "hoặc" beside "hoà" (a pair whose tone moves): the accented index says "hoặc",
    so an accented search finds it; schema step 9 queues the articles an older khotin
    indexed as "họăc", and only those."""
    from archive.schema import _v9
    from archive.search import search

    archive.save_article(article(body_text="Hòa giải ở cơ sở hoặc hoà giải thương mại."))
    archive.save_article(
        article(url="http://sonoivu.example.gov.vn/tin/2.html", body_text="Thi đua.")
    )
    hits = search(archive.db.conn, '"hoặc"', size=10).hits
    assert [h.url for h in hits] == ["http://sonoivu.example.gov.vn/tin/1.html"]
    _v9(archive.db)
    assert rows(archive, "select article_id from index_pending") == [(1,)]
    assert archive.flush_index() == 1


def test_a_revisit_answer_finds_its_article_by_either_address(archive):
    """A 304 or a 404 names the address fetched, which may not be the article's name
    (its page gave another canonical address): both are found, through indexes (a
    nightly revisit at 1M articles must not read the whole table per answer)."""
    moved = article(
        url="http://example.gov.vn/tin.aspx?id=7",
        canonical_url="http://example.gov.vn/tin/ke-hoach-7.html",
    )
    other = article()
    archive.save_article(moved, Page.of(moved["url"], b"<p>7</p>"))
    archive.save_article(other, Page.of(other["url"], b"<p>1</p>"))

    def removed(url):
        row = archive.db.execute("SELECT removed_at FROM articles WHERE url = ?", [url])
        return row.fetchone()[0] is not None

    name = moved["canonical_url"]
    assert archive.mark_removed("http://example.gov.vn/tin.aspx?id=7", 404)  # as fetched
    assert removed(name) and not removed(other["url"])
    archive.mark_unchanged(name)  # by its name: served again
    assert not removed(name)
    archive.mark_removed(name, 410)
    archive.mark_unchanged("http://example.gov.vn/tin.aspx?id=7")
    assert not removed(name)
    assert archive.mark_removed(other["url"], 410)
    assert removed(other["url"]) and not removed(name)
    assert not archive.mark_removed("http://example.gov.vn/khong-co.html", 404)
    plan = archive.db.execute(
        f"EXPLAIN QUERY PLAN UPDATE articles SET removed_at = 1 WHERE id IN ({_AT_ADDRESS})",
        ["x", "x"],
    ).fetchall()
    assert not [row for row in plan if row[3].startswith("SCAN")]
