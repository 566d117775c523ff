"""Articles prepared by a distributed crawl's workers (issue 13, archive.prepared): the
worker builds the page's WARC record and the search entry, the writer appends and runs
SQL. What a reader finds must be exactly what the store would have made itself."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime

from warcio.archiveiterator import ArchiveIterator

from archive.prepared import FORMAT, prepare
from archive.search import search
from archive.store import Archive
from archive.verify import verify
from scraper.distributed import wire
from scraper.items import ArticleItem
from scraper.parsing.fields import Article
from scraper.parsing.page import Page

HOST = "http://sonoivu.example.gov.vn"
FILE_TEXT = "Danh sách tập thể được khen thưởng. Quyết định về việc hoà giải cơ sở."


def article(n: int, **changes) -> Article:
    fields = {
        "url": f"{HOST}/tin/{n}.html",
        "canonical_url": f"{HOST}/tin/{n}.html",
        "site_id": "s",
        "title": f"Uỷ ban nhân dân tỉnh tổ chức Đại hội thi đua lần thứ {n}",
        "summary": "Hoà cùng không khí thi đua, đoàn viên thanh niên tham gia.",
        "body_text": f"Thực hiện Kế hoạch số 48{n}/KH-UBND, hoặc theo Chỉ thị 34-CT/TW. "
        "Đồng chí Đặng Văn Đức phát biểu tại hội nghị thuỷ lợi.",
        "published_at": "2024-10-02T15:42:26+07:00",
        "published_raw": "02/10/2024 15:42:26",
        "byline": "Thuý Hoà",
        "authors": ["Thuý Hoà"],
        "doc_refs": [
            {"number": f"48{n}/KH-UBND", "type": "KH", "issuer": "UBND", "date": None},
            {"number": "34-CT/TW", "type": "CT", "issuer": "TW", "date": None},
        ],
    }
    fields.update(changes)
    return Article(**fields)


def page(n: int) -> Page:
    body = f"<html><body><h1>Uỷ ban nhân dân tỉnh — bài {n}</h1><p>Đức</p></body></html>"
    return Page.of(
        f"{HOST}/tin/{n}.html",
        body.encode(),
        headers={"Content-Type": "text/html; charset=utf-8", "ETag": f'"{n}"'},
        fetched_at=datetime(2024, 10, 3, 1, 2, 3, tzinfo=UTC),
    )


def items() -> list[ArticleItem]:
    with_files = article(
        2,
        attachments=[
            {"url": f"{HOST}/f/2a.pdf", "name": "Danh sách khen thưởng", "kind": "pdf"},
            {"url": f"{HOST}/f/2b.pdf", "name": "Tờ trình", "kind": "pdf"},
        ],
    )
    return [
        ArticleItem(article(1), page(1)),
        ArticleItem(with_files, page(2)),
        ArticleItem(article(3, byline=None, authors=[], summary=None), page(3)),
    ]


def received(fields: dict) -> object:
    """A stream entry as the writer reads it from Redis (every field as bytes), decoded."""
    return wire.decode(
        {k.encode(): v.encode() if isinstance(v, str) else v for k, v in fields.items()}
    )


def through_the_stream(item: ArticleItem) -> ArticleItem:
    """As the writer gets it from a worker: encoded, sent, decoded."""
    return received(wire.encode(item))


def store(db, received: list[ArticleItem], *, batched: bool) -> None:
    with Archive(db) as archive:
        archive.register_site({"id": "s", "name": "S"})
        if batched:
            archive.batch_commits(every=100, seconds=3600)
        for item in received:
            archive.save_article(item.article.as_dict(), item.page, prepared=item.prepared)
        # The first file arrives after its article (the writer's deferred index).
        archive.save_attachment_file(
            {"url": f"{HOST}/f/2a.pdf", "status": 200, "sha256": "a" * 64, "text": FILE_TEXT},
            index_now=False,
        )
        archive.flush_index()


def search_entries(db) -> dict[int, list[str]]:
    with Archive(db) as archive:
        rows = archive.db.execute("SELECT article_id, values_zlib FROM search_source").fetchall()
    return {i: json.loads(zlib.decompress(blob)) for i, blob in rows}


def hits(db, text: str) -> list[str]:
    with Archive(db) as archive:
        return [hit.url for hit in search(archive.db.conn, text, size=10).hits]


QUERIES = [
    "uy ban nhan dan",  # accent-free
    "Ủy ban",  # the other tone placement
    "hòa giải",  # in a file's text only, tone moved
    "dang van duc",  # đ folded
    "34-CT/TW",
    "482/KH-UBND",
    "to trinh",  # an attachment's name
    "thuy hoa",  # the byline
]


def test_a_prepared_article_is_stored_and_found_as_the_store_would_make_it(tmp_path):
    received = [through_the_stream(item) for item in items()]
    assert all(item.prepared is not None for item in received)
    for batched in (False, True):
        plain, prepared = tmp_path / f"plain{batched}.db", tmp_path / f"prep{batched}.db"
        store(plain, items(), batched=batched)
        store(prepared, received, batched=batched)
        assert search_entries(prepared) == search_entries(plain)
        for query in QUERIES:
            assert hits(prepared, query) == hits(plain, query), query
        assert hits(prepared, "hoa giai") == [f"{HOST}/tin/2.html"]
        assert hits(prepared, "482/KH-UBND") == [f"{HOST}/tin/2.html"]
        with Archive(prepared) as archive:
            row = archive.db.execute(
                "SELECT content_hash, text_hash, raw_page_id FROM articles WHERE id = 1"
            ).fetchone()
            assert row[:2] == (received[0].prepared.content_hash, received[0].prepared.text_hash)
            # The raw page as the portal sent it, from the record the worker built.
            again = archive.raw_page(row[2])
            assert again.body == page(1).body
            assert again.header("ETag") == '"1"'
            assert again.fetched_at == page(1).fetched_at
        report = verify(prepared)  # the file's bytes are not stored here: pages only
        assert (report.integrity, report.pages_checked, report.bad_pages) == ("ok", 3, [])


def test_a_workers_record_is_a_valid_warc_record(tmp_path):
    received = through_the_stream(items()[0])
    store(tmp_path / "a.db", [received], batched=True)
    (warc,) = (tmp_path / "warc").glob("*.warc.gz")
    with open(warc, "rb") as fh:
        records = [
            (r.rec_type, r.rec_headers, r.content_stream().read()) for r in ArchiveIterator(fh)
        ]
    kinds = [kind for kind, _, _ in records]
    assert kinds == ["warcinfo", "response"]
    headers, body = records[1][1], records[1][2]
    assert body == page(1).body
    assert headers.get_header("WARC-Target-URI") == f"{HOST}/tin/1.html"
    assert headers.get_header("WARC-Date") == "2024-10-03T01:02:03Z"


def test_a_record_of_other_bytes_or_another_format_is_made_again_by_the_store(tmp_path):
    good = items()[0]
    other = prepare(article(9).as_dict(), page(9))  # another page's record and hashes
    stale = prepare(good.article.as_dict(), good.page)
    old_format = type(stale)(**{**stale.__dict__, "format": "another khotin", "content_hash": "x"})
    with Archive(tmp_path / "a.db") as archive:
        archive.register_site({"id": "s", "name": "S"})
        archive.save_article(good.article.as_dict(), good.page, prepared=old_format)
        row = archive.db.execute("SELECT content_hash, raw_page_id FROM articles").fetchone()
        assert row[0] == prepare(good.article.as_dict(), None).content_hash  # not "x"
        mixed = type(other)(**{**stale.__dict__, "record": other.record})
        edited = {**good.article.as_dict(), "title": "Tin đã sửa"}
        archive.save_article(
            edited, page(1).__class__.of(good.page.url, b"<p>sua</p>"), prepared=mixed
        )
        raw_id = archive.db.execute("SELECT raw_page_id FROM articles").fetchone()[0]
        assert archive.raw_page(raw_id).body == b"<p>sua</p>"  # never page 9's bytes


def test_an_entry_of_another_khotin_or_unprepared_is_prepared_by_the_writer(tmp_path):
    item = items()[0]
    fields = wire.encode(item)
    meta = json.loads(fields["meta"])
    assert meta["prepared"]["format"] == FORMAT
    meta["prepared"]["format"] = "1"  # a worker of another version
    fields["meta"] = json.dumps(meta, ensure_ascii=False)
    other = received(fields)
    assert other.prepared is None and other.article == item.article
    # A page the worker cannot prepare (no record for a non-HTTP address) still travels.
    odd = ArticleItem(article(5), Page.of("ftp://sonoivu.example.gov.vn/5", b"<p>5</p>"))
    sent = through_the_stream(odd)
    assert sent.prepared is None and sent.page.body == b"<p>5</p>"
    with Archive(tmp_path / "a.db") as archive:
        archive.register_site({"id": "s", "name": "S"})
        archive.save_article(other.article.as_dict(), other.page, prepared=other.prepared)
        (found,) = search(archive.db.conn, "uy ban nhan dan", size=5).hits
        assert found.url == f"{HOST}/tin/1.html"


def test_a_files_text_read_by_the_worker_is_the_stores_own_reading(tmp_path):
    """A worker reads a downloaded file's text (seconds for a large PDF, which the one
    writer cannot spare); the writer takes it only if this code read these very bytes
    as this kind, and reads it itself otherwise."""
    from archive.files import extract_text, sniff_type
    from archive.prepared import PreparedText, prepare_file
    from scraper.items import AttachmentItem
    from scraper.sample_portal.files import make_docx, make_pdf

    lines = ["Quyết định số 4846/QĐ-UBND", "Danh sách tập thể được khen thưởng năm 2024"]
    pdf, docx = make_pdf(lines), make_docx(lines)
    ready = prepare_file(pdf, url=f"{HOST}/f/qd.pdf", content_type="application/pdf")
    assert ready is not None and ready.kind == "pdf"
    assert ready.text == extract_text(pdf, "pdf")
    assert "khen thuong" in ready.text  # the sample PDF writes its text unaccented
    assert prepare_file(docx, url=f"{HOST}/f/qd.docx", content_type=None).text == extract_text(
        docx, "docx"
    )
    # Bytes that are not what they claim: no text, as the store reads none either.
    assert sniff_type(pdf, url=f"{HOST}/f/qd.docx", content_type=None).mismatch
    assert prepare_file(pdf, url=f"{HOST}/f/qd.docx", content_type=None) is None

    item = AttachmentItem(f"{HOST}/f/qd.pdf", f"{HOST}/tin/1.html", 200, "application/pdf")
    item.body, item.text = pdf, ready
    fields = wire.encode(item)
    got = received(fields)
    assert got.text == ready and got.body == pdf
    assert got.text.usable("pdf", ready.sha256)
    assert not got.text.usable("docx", ready.sha256)  # read as another kind
    assert not got.text.usable("pdf", "0" * 64)  # read from other bytes
    other = PreparedText("another khotin", ready.sha256, "pdf", "khác")
    assert not other.usable("pdf", ready.sha256)
    # An entry of another khotin's reading arrives without it: the writer reads the file.
    meta = json.loads(fields["meta"])
    meta["text"]["format"] = "1"
    fields["meta"] = json.dumps(meta, ensure_ascii=False)
    assert received(fields).text is None
