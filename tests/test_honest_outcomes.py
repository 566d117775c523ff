"""A crawl stays on its site (ports included) and reports every page it lost.

Real crawls over loopback against a small site whose articles answer 403, 503 with a
Retry-After of an hour, a redirect and a meta refresh to another port of the same host
(in production: another service on the same machine), and a same-site redirect.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import run_khotin

PROFILE = """
id = "bounded-site"
name = "Sở thử nghiệm"
base_url = "{base}"
start_urls = ["/tin"]
status = "sample"

[listing]
article_links = "ul.news a"

[article]
title = "h1"
date = "p.date"
body = "div.body"

[crawl]
delay = 0.0
"""


def article(title: str) -> bytes:
    return (
        f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f'<h1>{title}</h1><p class="date">Thứ tư, 02/10/2019 15:42</p>'
        f"<div class='body'><p>Nội dung của bài {title} về kế hoạch thi đua.</p></div>"
        "</body></html>"
    ).encode()


class Recorder(BaseHTTPRequestHandler):
    routes: dict = {}
    hits: list = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).hits.append(self.path)
        answer = type(self).routes.get(self.path, (404, {}, b"not here"))
        if callable(answer):  # a page that answers differently as time goes on
            answer = answer(type(self).hits.count(self.path))
        status, headers, body = answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def serve(routes: dict) -> ThreadingHTTPServer:
    handler = type("Handler", (Recorder,), {"routes": routes, "hits": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    elsewhere = serve({"/bai/evil.html": (200, {}, article("Trang của dịch vụ khác"))})
    other = f"http://127.0.0.1:{elsewhere.server_address[1]}"
    listing = "".join(f'<li><a href="/bai/{n}.html">Bài {n}</a></li>' for n in range(1, 7))
    site = serve(
        {
            "/tin": (
                200,
                {"Content-Type": "text/html; charset=utf-8"},
                f'<html><body><ul class="news">{listing}</ul></body></html>'.encode(),
            ),
            "/bai/1.html": (200, {"Content-Type": "text/html; charset=utf-8"}, article("Bài một")),
            "/bai/2.html": (302, {"Location": f"{other}/bai/evil.html"}, b""),
            "/bai/3.html": (
                200,
                {"Content-Type": "text/html; charset=utf-8"},
                f'<html><head><meta http-equiv="refresh" content="0; url={other}/bai/evil.html">'
                "</head><body>Đang chuyển…</body></html>".encode(),
            ),
            "/bai/4.html": (403, {}, b"forbidden"),
            "/bai/5.html": (503, {"Retry-After": "3600"}, b"maintenance"),
            "/bai/6.html": (302, {"Location": "/bai/6-moi.html"}, b""),
            "/bai/6-moi.html": (
                200,
                {"Content-Type": "text/html; charset=utf-8"},
                article("Bài sáu"),
            ),
        }
    )
    base = f"http://127.0.0.1:{site.server_address[1]}/"
    folder = tmp_path_factory.mktemp("bounded")
    sites = folder / "sites"
    sites.mkdir()
    (sites / "bounded-site.toml").write_text(PROFILE.format(base=base), encoding="utf-8")
    db = folder / "data" / "khotin.db"
    result = run_khotin(
        "crawl", "bounded-site", "--db", str(db), env={**os.environ, "KHOTIN_SITES": str(sites)}
    )
    yield result, db, site, elsewhere, base
    site.shutdown()
    elsewhere.shutdown()


def test_nothing_is_fetched_from_another_port(crawled):
    result, db, site, elsewhere, base = crawled
    assert elsewhere.RequestHandlerClass.hits == []
    with sqlite3.connect(db) as conn:
        titles = {row[0] for row in conn.execute("SELECT title FROM articles")}
    assert titles == {"Bài một", "Bài sáu"}  # the same-site redirect is followed
    assert "redirects off the site to http://127.0.0.1:" in result.stderr


def test_lost_pages_make_the_run_partial_with_their_urls(crawled):
    result, db, site, elsewhere, base = crawled
    assert result.returncode == 3, result.stderr[-3000:]
    assert "PARTIAL: bounded-site" in result.stderr
    with sqlite3.connect(db) as conn:
        outcome, errors, reason = conn.execute(
            "SELECT outcome, errors, reason FROM crawl_runs"
        ).fetchone()
    assert outcome == "partial" and errors == 4
    for lost in ("bai/2.html", "bai/3.html", "bai/4.html (HTTP 403)", "bai/5.html (HTTP 503)"):
        assert base + lost in reason, reason
    # The hour-long Retry-After was not waited for, and not hammered either.
    assert site.RequestHandlerClass.hits.count("/bai/5.html") == 1


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ATTACHMENT_PROFILE = PROFILE.replace(
    'body = "div.body"', 'body = "div.body"\nattachments = "div.files a"'
)


def with_files(title: str, files: list[str]) -> bytes:
    links = "".join(f'<a href="{f}">Tệp {f.rsplit("/", 1)[1]}</a>' for f in files)
    return article(title).replace(b"</body>", f'<div class="files">{links}</div></body>'.encode())


HTML = {"Content-Type": "text/html; charset=utf-8"}


def listing_of(*paths: str) -> tuple[int, dict[str, str], bytes]:
    """The /tin route: a listing linking each article path."""
    items = "".join(f'<li><a href="{path}">{path}</a></li>' for path in paths)
    return 200, HTML, f'<html><body><ul class="news">{items}</ul></body></html>'.encode()


def attachment_site(tmp_path, site) -> tuple[str, Path, dict[str, str]]:
    """(base URL, db path, env) for a crawl of ``site`` with ATTACHMENT_PROFILE."""
    base = f"http://127.0.0.1:{site.server_address[1]}/"
    sites = tmp_path / "sites"
    sites.mkdir(exist_ok=True)
    (sites / "bounded-site.toml").write_text(ATTACHMENT_PROFILE.format(base=base), encoding="utf-8")
    return base, tmp_path / "data" / "khotin.db", {**os.environ, "KHOTIN_SITES": str(sites)}


def test_lost_files_are_asked_for_again_until_got_or_gone(tmp_path):
    """Attachments: a same-site 302 and a 503-once are recovered in the run; a file that
    keeps failing is in the ledger and comes on a later run; a 404 twice is judged gone."""
    state = {"healthy": False}

    def flaky_once(seen: int):
        return (
            (503, {}, b"busy")
            if seen == 1
            else (200, {"Content-Type": "application/pdf"}, PDF + b"b")
        )

    def down_until_healed(seen: int):
        if state["healthy"]:
            return (200, {"Content-Type": "application/pdf"}, PDF + b"c")
        return (503, {"Retry-After": "3600"}, b"maintenance")

    files = ["/f/a.pdf", "/f/b.pdf", "/f/c.pdf", "/f/d.pdf"]
    site = serve(
        {
            "/tin": listing_of("/bai/1.html"),
            "/bai/1.html": (200, HTML, with_files("Bài có tệp", files)),
            "/f/a.pdf": (302, {"Location": "/files/a-that.pdf"}, b""),
            "/files/a-that.pdf": (200, {"Content-Type": "application/pdf"}, PDF + b"a"),
            "/f/b.pdf": flaky_once,
            "/f/c.pdf": down_until_healed,
        }
    )
    base, db, env = attachment_site(tmp_path, site)

    def crawl():
        return run_khotin("crawl", "bounded-site", "--db", str(db), env=env)

    def files_state():
        with sqlite3.connect(db) as conn:
            stored = {
                row[0]: row[1] for row in conn.execute("SELECT url, sha256 FROM attachment_files")
            }
            missing = {
                row[0]: row[1:]
                for row in conn.execute("SELECT url, status, attempts, gone_at FROM missing")
            }
        return stored, missing

    try:
        first = crawl()
        stored, missing = files_state()
        assert stored[base + "f/a.pdf"] and stored[base + "f/b.pdf"], first.stderr[-2000:]
        assert set(missing) == {base + "f/c.pdf", base + "f/d.pdf"}
        assert missing[base + "f/c.pdf"][:2] == (503, 1)
        assert "still missing for bounded-site: 2" in first.stdout
        state["healthy"] = True
        second = crawl()
        stored, missing = files_state()
        assert stored[base + "f/c.pdf"], second.stderr[-2000:]
        assert set(missing) == {base + "f/d.pdf"}
        status, attempts, gone_at = missing[base + "f/d.pdf"]
        assert (status, attempts) == (404, 2) and gone_at
        third = crawl()
        assert site.RequestHandlerClass.hits.count("/f/d.pdf") == 2  # gone: not asked again
        assert site.RequestHandlerClass.hits.count("/f/c.pdf") == 2
        assert "still missing" not in third.stdout
    finally:
        site.shutdown()


def test_deep_nesting_and_huge_nodes_still_give_the_whole_article(tmp_path):
    """libxml2 silently cuts a page nested deeper than 255 tags or holding a text node
    over 10 MB; parsed with huge_tree and walked iteratively, both come out whole."""
    text = "Nội dung đầy đủ của bài viết về kế hoạch thi đua năm 2019. " * 20
    nested = "<font>" * 300 + f"<p>{text}</p>" + "</font>" * 300
    image = '<img src="data:image/png;base64,' + "A" * (12 * 1024 * 1024) + '">'
    pages = {
        "/bai/1.html": with_files("Bài lồng sâu", ["/f/sau.pdf"]).replace(
            b"<div class='body'>", f"<div class='body'>{nested}".encode()
        ),
        "/bai/2.html": with_files("Bài có ảnh lớn", ["/f/anh.pdf"]).replace(
            b"<div class='body'>", f"<div class='body'>{image}<p>{text}</p>".encode()
        ),
    }
    site = serve(
        {
            "/tin": listing_of(*pages),
            **{path: (200, HTML, body) for path, body in pages.items()},
            "/f/sau.pdf": (200, {"Content-Type": "application/pdf"}, PDF + b"1"),
            "/f/anh.pdf": (200, {"Content-Type": "application/pdf"}, PDF + b"2"),
        }
    )
    base, db, env = attachment_site(tmp_path, site)
    try:
        result = run_khotin("crawl", "bounded-site", "--db", str(db), env=env)
    finally:
        site.shutdown()
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(db) as conn:
        bodies = dict(conn.execute("SELECT title, body_text FROM articles"))
        files = {
            row[0]
            for row in conn.execute("SELECT url FROM attachment_files WHERE sha256 IS NOT NULL")
        }
    for title in ("Bài lồng sâu", "Bài có ảnh lớn"):
        assert " ".join(text.split()) in " ".join(bodies[title].split()), title
    assert files == {base + "f/sau.pdf", base + "f/anh.pdf"}


def test_a_page_past_every_parser_limit_is_flagged(caplog):
    from scraper.parsing.html import parse_html

    deep = "<div>" * 3000 + "<p>cuối</p>" + "</div>" * 3000
    with caplog.at_level("ERROR", logger="khotin.parsing"):
        parse_html(f"<html><body>{deep}</body></html>", "http://x.example/sau")
    assert "http://x.example/sau: the page could not be read whole" in caplog.text


def test_a_large_pdfs_text_is_read_while_other_sites_are_fetched(tmp_path, portal):
    """One site's 1.8 MB PDF takes pypdf seconds to read; meanwhile the other site of the
    same run keeps being fetched (shown by the order of events in the crawl's log, not
    by a time)."""
    from scraper.sample_portal.files import make_pdf
    from scraper.sites import SITES_DIR

    lines = [f"Dòng {i}: kế hoạch thi đua của Sở Nội vụ năm 2019, điều {i}." for i in range(20000)]
    pdf = make_pdf(lines)
    site = serve(
        {
            "/tin": listing_of("/bai/1.html"),
            "/bai/1.html": (200, HTML, with_files("Bài có tệp lớn", ["/f/lon.pdf"])),
            "/f/lon.pdf": (200, {"Content-Type": "application/pdf"}, pdf),
        }
    )
    base, db, env = attachment_site(tmp_path, site)
    other = (SITES_DIR / "sample-sonoivu.toml").read_text(encoding="utf-8")
    (tmp_path / "sites" / "other-site.toml").write_text(
        # Paced, so that it is still being fetched when the first site's PDF comes.
        other.replace('id = "sample-sonoivu"', 'id = "other-site"')
        .replace("http://127.0.0.1:8721/", portal.url)
        .replace("delay = 0.0", "delay = 0.1"),
        encoding="utf-8",
    )
    try:
        result = run_khotin(
            "crawl", "bounded-site", "other-site", "--db", str(db), "--log-level", "DEBUG", env=env
        )
    finally:
        site.shutdown()
    assert result.returncode == 0, result.stderr[-2000:]
    log = result.stderr.splitlines()
    start = next(i for i, line in enumerate(log) if f"reading the text of {base}f/lon.pdf" in line)
    end = next(i for i, line in enumerate(log) if f"read the text of {base}f/lon.pdf" in line)
    meanwhile = [line for line in log[start:end] if "Crawled (200)" in line and portal.url in line]
    assert meanwhile, "no page of the other site was fetched while the PDF was read"
    with sqlite3.connect(db) as conn:
        text = conn.execute(
            "SELECT text FROM attachment_files WHERE url LIKE '%lon.pdf'"
        ).fetchone()[0]
    assert "ke hoach thi dua" in text  # the sample PDF writer keeps ASCII
