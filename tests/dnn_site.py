"""A department portal in DotNetNuke's news-module layout, which no profile knows.

The bundled sample articles in EasyDNNnews-style markup: ``/tin-tuc/ArticleID/N/slug``
article URLs, listing pages at ``/tin-tuc/PgrID/2419/PageID/N`` behind a windowed pager
("Trang đầu", «, five numbers, …, », "Trang cuối"), attachments both as plain
``/Portals/0/...`` files and as ``LinkClick.aspx?fileticket=…`` downloads named only by
their link text. Every page carries a "Tin xem nhiều" box, print and login links, a
module action menu and a calendar. The server counts requests by path.
"""

from __future__ import annotations

import hashlib
from html import escape
from urllib.parse import urlsplit

from loopback_site import LoopbackSite

from scraper.sample_portal.site import load_articles

PAGE_SIZE = 6
WINDOW = 5
ARTICLES = load_articles()
BY_ID = {str(a["id"]): a for a in ARTICLES}
PAGES = -(-len(ARTICLES) // PAGE_SIZE)
TRAP_MARKERS = ("/lich", "print", "/dang-nhap", "ctl/", "/tags/")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ticket(article_id: int, n: int) -> str:
    return hashlib.sha1(f"{article_id}-{n}".encode()).hexdigest()[:12]


def files_of(article: dict) -> list[tuple[str, str]]:
    """(path, link text) of an article's attachments: odd ones behind LinkClick.aspx."""
    out = []
    for n, attachment in enumerate(article["attachments"]):
        name = f"{attachment['name']} ({attachment['file']})"
        if n % 2:
            out.append((f"/LinkClick.aspx?fileticket={ticket(article['id'], n)}&tabid=53", name))
        else:
            out.append((f"/Portals/0/VanBan/{attachment['file']}", name))
    return out


def article_link(article: dict) -> str:
    return f"/tin-tuc/ArticleID/{article['id']}/{article['slug']}"


def listing_link(page: int) -> str:
    return "/tin-tuc" if page == 1 else f"/tin-tuc/PgrID/2419/PageID/{page}"


def _frame(title: str, main: str) -> str:
    popular = "".join(
        f'<li><a href="{article_link(a)}">{escape(a["title"])}</a></li>' for a in ARTICLES[:5]
    )
    calendar = "".join(f'<a href="/lich?ngay=2019-10-{d:02d}">{d}</a> ' for d in range(1, 31))
    return (
        '<!DOCTYPE html><html lang="vi-VN"><head><meta charset="utf-8">'
        f"<title>{escape(title)} &gt; Sở Nội vụ tỉnh Mẫu</title>"
        '<link rel="stylesheet" href="/Portals/_default/Skins/Xcillion/skin.css"></head>'
        '<body id="Body"><form method="post" action="/tin-tuc" id="Form">'
        '<div id="siteWrapper"><header><div class="logo">SỞ NỘI VỤ TỈNH MẪU</div>'
        '<span class="today">Hôm nay: Thứ Hai, 30/11/2026</span> '
        '<a href="/dang-nhap?returnurl=%2ftin-tuc" class="login">Đăng nhập</a>'
        '<nav id="dnn_pnav"><ul><li><a href="/">Trang chủ</a></li>'
        '<li><a href="/tin-tuc">Tin tức</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li>'
        "</ul></nav></header>"
        f'<div class="row"><div id="dnn_ContentPane" class="col-md-9">{main}</div>'
        '<div id="dnn_RightPane" class="col-md-3"><div class="DnnModule">'
        f'<h2 class="title">Tin xem nhiều</h2><ul class="edn_popular">{popular}</ul></div>'
        f'<div class="DnnModule"><h2 class="title">Lịch công tác</h2>{calendar}</div>'
        '<a href="/tags/cai-cach-hanh-chinh">cải cách hành chính</a></div></div>'
        "<footer><p>Sở Nội vụ tỉnh Mẫu - Số 1 đường Trần Hưng Đạo</p></footer>"
        "</div></form></body></html>"
    )


def pager(page: int) -> str:
    start = max(1, min(page - WINDOW // 2, PAGES - WINDOW + 1))
    numbers = range(start, min(PAGES, start + WINDOW - 1) + 1)
    parts = []
    if page > 1:
        parts += [
            f'<a class="page first" href="{listing_link(1)}">Trang đầu</a>',
            f'<a class="page prev" href="{listing_link(page - 1)}">«</a>',
        ]
    for n in numbers:
        parts.append(
            f'<span class="page current">{n}</span>'
            if n == page
            else f'<a class="page" href="{listing_link(n)}">{n}</a>'
        )
    if numbers[-1] < PAGES:
        parts.append('<span class="dots">…</span>')
    if page < PAGES:
        parts += [
            f'<a class="page next" href="{listing_link(page + 1)}">»</a>',
            f'<a class="page last" href="{listing_link(PAGES)}">Trang cuối</a>',
        ]
    return f'<div class="article_pager">{"".join(parts)}</div>'


def listing(page: int) -> str:
    items = "".join(
        '<div class="edn_article edn_clearFix">'
        f'<h2 class="edn_articleTitle"><a href="{article_link(a)}">{escape(a["title"])}</a></h2>'
        f'<time class="edn_articleDate">{a["published"][:10]}</time>'
        f'<div class="edn_articleSummary">{escape(a["summary"])}</div>'
        f'<a class="edn_readMore" href="{article_link(a)}">Xem tiếp</a></div>'
        for a in ARTICLES[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    )
    actions = '<a href="/tin-tuc/ctl/Edit/mid/2419">Sửa</a>'
    return _frame(
        "Tin tức",
        f'<div class="eds_news_module_2419">{actions}{items}{pager(page)}</div>',
    )


def article_page(article: dict) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in article["paragraphs"])
    if article["byline"]:
        body += f'<p style="text-align: right;"><strong>{escape(article["byline"])}</strong></p>'
    files = "".join(
        f'<li><a href="{path}">{escape(name)}</a></li>' for path, name in files_of(article)
    )
    documents = (
        f'<div class="edn_articleDocuments"><h3>Tập tin đính kèm</h3><ul>{files}</ul></div>'
        if files
        else ""
    )
    return _frame(
        article["title"],
        '<div class="eds_news_module_2419 edn_article edn_articleDetails">'
        f'<h1 class="edn_articleTitle">{escape(article["title"])}</h1>'
        f'<div class="edn_metaDetails"><time>{article["published"]}</time> '
        f'<a href="{article_link(article)}?print=1">In bài</a></div>'
        f'<div class="edn_articleSummary">{escape(article["summary"])}</div>'
        f'<div class="edn_articleContent">{body}</div>{documents}</div>',
    )


class DnnSite(LoopbackSite):
    """``with DnnSite() as site``: serves on loopback and counts requests by path."""

    TRAP_MARKERS = TRAP_MARKERS

    def __init__(self) -> None:
        super().__init__()
        self.files = {path for a in ARTICLES for path, _ in files_of(a)}

    def page(self, path: str) -> tuple[int, str, bytes]:
        parts = urlsplit(path)
        html = "text/html; charset=utf-8"
        if parts.path == "/tin-tuc" and not parts.query:
            return 200, html, listing(1).encode()
        segments = parts.path.strip("/").split("/")
        if segments[:4] == ["tin-tuc", "PgrID", "2419", "PageID"] and len(segments) == 5:
            page = int(segments[4]) if segments[4].isdigit() else 0
            if 1 <= page <= PAGES:
                return 200, html, listing(page).encode()
        if segments[:2] == ["tin-tuc", "ArticleID"] and len(segments) >= 3:
            if segments[2] in BY_ID:
                return 200, html, article_page(BY_ID[segments[2]]).encode()
        if path in self.files or (parts.path.startswith("/Portals/0/") and path in self.files):
            return 200, "application/pdf", PDF + path.encode()
        if parts.path == "/lich":
            return 200, html, _frame("Lịch công tác", "<p>Lịch công tác</p>").encode()
        return 404, html, _frame("Không tìm thấy", "<p>Không tìm thấy trang</p>").encode()

    def file_requests(self) -> set[str]:
        return {path for path in self.requests if path in self.files}
