"""The reading room through Datasette's real app, over a real crawl of the sample portal.

What a reader sees: the home page's glance, the article page's fields, files served
from the archive's own store, the archived page made inert, documents and their
citers, feeds that parse as Atom, dates typed the Vietnamese way.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import sqlite3
from datetime import date
from pathlib import Path

import feedparser
import pytest

from archive.files import FileStore
from archive.serve import build_datasette
from archive.store import Archive
from scraper.parsing.page import Page

SAMPLE_TITLE = "Kế hoạch tổ chức Hội nghị điển hình tiên tiến và Đại hội thi đua yêu nước"


@pytest.fixture(scope="module")
def datasette(crawled_db):
    return build_datasette(crawled_db, public_url="https://khotin.example.org")


@pytest.fixture(scope="module")
def sample_id(crawled_db) -> int:
    with sqlite3.connect(crawled_db) as conn:
        return conn.execute("SELECT id FROM articles WHERE title = ?", [SAMPLE_TITLE]).fetchone()[0]


def get(datasette, path: str, **params):
    return asyncio.run(datasette.client.get(path, params=params or None))


def text_of(html: str) -> str:
    """What a reader reads: tags out, entities of quotes back, spaces collapsed."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    text = re.sub(r"<[^>]+>", " ", html)
    text = text.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
    return " ".join(text.split())


def test_home_puts_search_first_then_the_glance(datasette, crawled_db):
    response = get(datasette, "/")
    assert response.status_code == 200
    html = response.text
    assert html.index('name="q"') < html.index("khotin-glance") < html.index("khotin-newest")
    page = text_of(html)
    assert "44 bài viết · articles" in page
    assert "từ · from 04/06/2019 đến · to 26/12/2019" in page
    with sqlite3.connect(crawled_db) as conn:
        files = conn.execute("SELECT count(*) FROM attachments").fetchone()[0]
    assert f"{files} tệp đính kèm" in page
    # Ways in: a site, a year, a cited document; operators' tables still reachable, later.
    assert 'href="/site/sample-sonoivu"' in html and 'href="/search?year=2019' in html
    assert 'href="/doc/4846khubnd"' in html
    assert html.index("khotin-newest") < html.index('href="/khotin/raw_pages"')
    # The newest article comes first.
    newest = re.findall(r'class="khotin-title" href="/article/(\d+)"', html)
    with sqlite3.connect(crawled_db) as conn:
        top = conn.execute("SELECT id FROM articles ORDER BY published_at DESC LIMIT 1").fetchone()
    assert int(newest[0]) == top[0]


def test_article_page_reads_like_the_original(datasette, sample_id, crawled_db):
    response = get(datasette, f"/article/{sample_id}")
    assert response.status_code == 200
    html = response.text
    page = text_of(html)
    assert f'<h1 class="khotin-headline">{SAMPLE_TITLE}</h1>' in html
    assert "Thứ Tư, 02/10/2019 15:42" in page
    assert "2019-10-02T15:42:26+07:00" in page
    assert "Sở Nội vụ tỉnh Bình Dương" in page and "Tin tức sự kiện" in page
    byline = re.search(r'<p class="khotin-byline">(.*?)</p>', html, re.S).group(1)
    assert "Nguyễn Thị Lê" in byline and "Ban Thi đua - Khen thưởng" in byline
    paragraphs = re.findall(
        r"<p>(.*?)</p>", html.split('class="khotin-body"')[1].split("</div>")[0]
    )
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Ngày 24/9/2019, UBND tỉnh Bình Dương ban hành")
    # The attachment opens from the archive's store, the original URL beside it.
    with sqlite3.connect(crawled_db) as conn:
        url, sha = conn.execute(
            "SELECT t.url, f.sha256 FROM attachments t JOIN attachment_files f ON f.url = t.url "
            "WHERE t.article_id = ?",
            [sample_id],
        ).fetchone()
    assert f'href="/file/{sha}"' in html and url in page
    assert "PDF" in page
    # Cited documents link to everything citing them; related articles stay in the archive.
    assert 'href="/doc/34cttw"' in html and 'href="/doc/4846khubnd"' in html
    related = re.findall(r'<ul class="khotin-related">(.*?)</ul>', html, re.S)[0]
    assert re.search(r'href="/article/\d+"', related)
    assert "127.0.0.1" not in re.sub(r'<span class="khotin-origin">.*?</span>', "", related)
    # Provenance, the archived page, and a citation with the public URL.
    assert "Lưu lần đầu · First seen" in page and "Thấy lần cuối · Last seen" in page
    assert f'href="/article/{sample_id}/archived"' in html
    assert f"https://khotin.example.org/article/{sample_id}" in page
    assert "(2019, October 2)" in page and "ngày 02/10/2019" in page


def test_article_json_has_the_same_fields(datasette, sample_id):
    data = get(datasette, f"/article/{sample_id}.json").json()
    assert data["title"] == SAMPLE_TITLE
    assert data["authors"] == ["Nguyễn Thị Lê"]
    assert data["archive_url"] == f"https://khotin.example.org/article/{sample_id}"
    assert {"number": "34-CT/TW"}.items() <= next(
        d for d in data["doc_refs"] if d["key"] == "34cttw"
    ).items()


def test_missing_article_is_a_404_page(datasette):
    response = get(datasette, "/article/999999")
    assert response.status_code == 404
    assert "no article 999999" in response.text


def test_file_is_the_stored_bytes_with_safe_headers(datasette, crawled_db, sample_id):
    with sqlite3.connect(crawled_db) as conn:
        sha = conn.execute(
            "SELECT f.sha256 FROM attachments t JOIN attachment_files f ON f.url = t.url "
            "WHERE t.article_id = ? AND f.kind = 'pdf'",
            [sample_id],
        ).fetchone()[0]
    response = get(datasette, f"/file/{sha}")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == sha
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("inline;") and "filename*=UTF-8''" in disposition
    assert disposition.endswith(".pdf")
    assert get(datasette, "/file/" + "0" * 64).status_code == 404
    assert get(datasette, "/file/../../etc/passwd").status_code == 404


@pytest.fixture(scope="module")
def edited_archive(tmp_path_factory) -> Path:
    """An archive with an edited article and a "PDF" that is really an HTML page."""
    db = tmp_path_factory.mktemp("edited") / "my-archive.db"
    article = {
        "url": "https://sonoivu.example.gov.vn/tin/1",
        "site_id": "demo",
        "title": "Kế hoạch số 12/KH-SNV về cải cách hành chính",
        "body_text": "Đoạn một về kế hoạch.\n\nĐoạn hai, bản đầu tiên.",
        "published_at": "2020-03-05",
        "attachments": [
            {
                "url": "https://sonoivu.example.gov.vn/f/ke-hoach.pdf",
                "name": "Kế hoạch 12",
                "kind": "pdf",
            }
        ],
        "doc_refs": [{"number": "12/KH-SNV", "type": "KH", "issuer": "SNV"}],
    }
    page = b"<html><body><script>alert(1)</script><p>Ke hoach</p></body></html>"
    with Archive(db) as archive:
        archive.register_site(
            {
                "id": "demo",
                "name": "Sở Nội vụ (demo)",
                "base_url": "https://sonoivu.example.gov.vn/",
            }
        )
        archive.save_article(
            article, Page.of(article["url"], page, fetched_at="2020-03-06T01:00:00+00:00")
        )
        edited = {**article, "body_text": "Đoạn một về kế hoạch.\n\nĐoạn hai, bản đã sửa lại."}
        archive.save_article(
            edited, Page.of(article["url"], page + b" ", fetched_at="2020-03-07T01:00:00+00:00")
        )
        stored = FileStore(db.parent / "files").put(b"<html><script>alert(1)</script></html>")
        archive.save_attachment_file(
            {
                "url": article["attachments"][0]["url"],
                "status": 200,
                "sha256": stored.sha256,
                "size": stored.size,
                "kind": "html",
                "claimed_kind": "pdf",
                "type_mismatch": 1,
                "display_name": "ke-hoach.pdf",
            }
        )
    return db


def test_served_as_khotin_whatever_the_file_is_called(edited_archive):
    datasette = build_datasette(edited_archive)
    assert get(datasette, "/khotin/articles.json").status_code == 200
    assert get(datasette, "/my-archive/articles.json").status_code == 404


def test_versions_show_a_readable_diff(edited_archive):
    datasette = build_datasette(edited_archive)
    html = get(datasette, "/article/1").text
    assert "Các phiên bản trước · Earlier versions" in html
    diff = re.search(r'<dd class="khotin-diff">(.*?)</dd>', html, re.S).group(1)
    assert "<del>đầu tiên.</del>" in diff and "<ins>đã sửa lại.</ins>" in diff
    assert "edited by the site" in html
    version = get(datasette, "/article/1.json").json()["versions"][0]
    assert version["changes"][0]["field"] == "body_text"
    assert "<ins>đã sửa lại.</ins>" in version["changes"][0]["diff"]


def test_mismatched_file_is_marked_and_only_downloads(edited_archive):
    datasette = build_datasette(edited_archive)
    html = get(datasette, "/article/1").text
    assert "not the pdf it claims to be (html)" in html
    sha = re.search(r'href="/file/([0-9a-f]{64})"', html).group(1)
    response = get(datasette, f"/file/{sha}")
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["content-disposition"].endswith(".txt")
    assert "sandbox" in response.headers["content-security-policy"]


def test_archived_page_is_inert_and_framed_by_the_archive(datasette, sample_id):
    page = get(datasette, f"/article/{sample_id}/archived")
    assert page.status_code == 200
    assert "Bản lưu của kho tin" in page.text
    assert re.search(r'<iframe[^>]+sandbox="[^"]*"', page.text)
    assert "allow-scripts" not in page.text and "allow-same-origin" not in page.text
    content = get(datasette, f"/article/{sample_id}/archived/content")
    assert content.status_code == 200
    policy = content.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy
    html = content.text.lower()
    assert "<script" not in html and " on" + "click=" not in html and "<img" not in html
    assert not re.search(r'\bsrc\s*=\s*["\']?https?:', html)
    assert "ảnh không được lưu" in content.text
    assert "Kế hoạch số 4846/KH-UBND" in content.text
    # Links to archived articles and stored files point into the archive.
    assert re.search(r'href="/article/\d+"', content.text)
    assert re.search(r'href="/file/[0-9a-f]{64}"', content.text)


def test_document_page_lists_every_citing_article(datasette, crawled_db):
    with sqlite3.connect(crawled_db) as conn:
        titles = {
            row[0]
            for row in conn.execute(
                "SELECT a.title FROM doc_refs d JOIN articles a ON a.id = d.article_id "
                "WHERE d.number_key = '05cttw'"
            )
        }
    assert len(titles) >= 2
    html = get(datasette, "/doc/05cttw").text
    shown = set(re.findall(r'class="khotin-title" href="/article/\d+">([^<]+)</a>', html))
    assert shown == titles
    assert get(datasette, "/doc/nosuchdoc").status_code == 404


def test_site_page_and_trends(datasette):
    html = get(datasette, "/site/sample-sonoivu").text
    assert "44 bài · articles" in text_of(html)
    assert "<svg" in html and "2019-06" in html and "2019-12" in html
    assert get(datasette, "/site/nosuch").status_code == 404
    trends = get(datasette, "/trends", q="thi dua").text
    assert "<rect" in trends


def test_feeds_are_valid_atom(datasette, sample_id):
    for path, params in (
        ("/site/sample-sonoivu.atom", {}),
        ("/search.atom", {"q": "ke hoach thi dua"}),
    ):
        response = get(datasette, path, **params)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/atom+xml")
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == "atom10"
        assert feed.entries and all(e.id and e.title and e.updated for e in feed.entries)
    search_feed = feedparser.parse(get(datasette, "/search.atom", q="ke hoach thi dua").content)
    assert f"https://khotin.example.org/article/{sample_id}" in [
        e.link for e in search_feed.entries
    ]
    empty = feedparser.parse(get(datasette, "/search.atom", q="không có gì như thế này").content)
    assert not empty.bozo and empty.entries == [] and empty.feed.updated


def test_date_range_query_reads_vietnamese_dates(datasette, crawled_db):
    with sqlite3.connect(crawled_db) as conn:
        october = {
            row[0]
            for row in conn.execute(
                "SELECT title FROM articles WHERE published_at LIKE '2019-10-%'"
            )
        }
    assert 0 < len(october) < 44
    rows = get(
        datasette,
        "/khotin/articles_in_date_range.json",
        start_date="01/10/2019",
        end_date="31/10/2019",
        _shape="objects",
    ).json()["rows"]
    assert {row["title"] for row in rows} == october
    iso = get(
        datasette,
        "/khotin/articles_in_date_range.json",
        start_date="2019-10-01",
        end_date="2019-10-31",
        _shape="objects",
    ).json()["rows"]
    assert {row["title"] for row in iso} == october
    for bad in ("32/10/2019", "hôm qua", "10/2019"):
        response = get(
            datasette, "/khotin/articles_in_date_range", start_date=bad, end_date="31/10/2019"
        )
        assert response.status_code == 400
        assert "dd/mm/yyyy" in response.text or "không có thật" in response.text
    # The search page reads the same dates and refuses bad ones with a message.
    html = get(datasette, "/search", q="", **{"from": "01/10/2019", "to": "31/10/2019"}).text
    assert f"<strong>{len(october)}</strong> bài" in html
    refused = get(datasette, "/search", q="thi dua", **{"from": "31/02/2019"})
    assert refused.status_code == 200 and "không có thật" in refused.text


def test_canned_query_titles_link_to_articles(datasette, sample_id):
    html = get(datasette, "/khotin/articles_citing_document", number="34/CT-TW").text
    assert f'<a href="/article/{sample_id}">{SAMPLE_TITLE}</a>' in html


def test_articles_table_reads_well(datasette):
    response = get(datasette, "/khotin/articles")
    html = response.text
    headers = re.findall(r'<th [^>]*class="col-([a-z_]+)', html)
    assert headers[:6] == ["id", "title", "published_at", "site_id", "category", "byline"]
    assert "body_text" not in headers
    assert html.index('id="khotin-table-q"') < html.index("khotin-column-help")
    assert re.search(r'<td class="col-title[^"]*"><a href="/article/\d+">', html)
    everything = get(datasette, "/khotin/articles", _nocol="images").text
    assert 'class="col-body_text' in everything
    # The JSON API is untouched: every column.
    row = get(datasette, "/khotin/articles.json", _shape="objects", _size=1).json()["rows"][0]
    assert "body_text" in row


def test_database_description_has_no_literal_backticks(datasette):
    html = get(datasette, "/khotin").text
    assert "`" not in text_of(html.split('class="metadata-description"')[1].split("</div>")[0])
    assert "<code>articles</code>" in html


def test_version_and_day_inputs():
    from archive.reading import parse_day_input, vn_date

    assert parse_day_input("02/10/2019") == "2019-10-02"
    assert parse_day_input("2.10.2019") == "2019-10-02"
    assert parse_day_input("2019-10-02") == "2019-10-02"
    assert parse_day_input("") is None
    with pytest.raises(ValueError, match="không có thật"):
        parse_day_input("29/02/2019")
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_day_input("02/10")
    assert vn_date("2019-10-02T15:42:26+07:00") == "Thứ Tư, 02/10/2019 15:42"
    assert vn_date("2019-10-06") == "Chủ Nhật, 06/10/2019"
    assert date(2019, 10, 2).weekday() == 2
