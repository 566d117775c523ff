"""A department site in a layout no profile knows, with the traps real portals have.

The same sample articles as the bundled portal, but table-based markup, ``?id=``
article URLs, ``?page=N`` listings with "Trang sau", and on every page: an endless
calendar, print views, sort orders, search and tag links, and session ids in URLs.
The server counts every request, so a test can tell which ones were traps.
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, urlsplit

from loopback_site import LoopbackSite

from scraper.sample_portal.site import load_articles

PAGE_SIZE = 8
ARTICLES = load_articles()
BY_ID = {str(a["id"]): a for a in ARTICLES}
PAGES = -(-len(ARTICLES) // PAGE_SIZE)
TRAP_MARKERS = ("/lich", "print=", "sort=", "/tim-kiem", "/tag/", "/dang-nhap")


def _frame(title: str, main: str) -> str:
    calendar = "".join(
        f'<td><a href="/lich?date=2019-10-{d:02d}">{d}</a></td>' for d in range(1, 29)
    )
    return (
        f'<html><head><meta charset="utf-8"><title>{escape(title)} | Sở Tư pháp tỉnh Mẫu</title>'
        '</head><body><table width="100%"><tr><td colspan="2" class="top">'
        "<b>SỞ TƯ PHÁP TỈNH MẪU</b> Thứ hai, 30/11/2026 "
        '<a href="/tim-kiem?q=">Tìm kiếm</a> <a href="/dang-nhap">Đăng nhập</a></td></tr>'
        '<tr><td class="left" width="200"><a href="/">Trang chủ</a><br>'
        '<a href="/tin-hoat-dong?page=1">Tin hoạt động</a><br><a href="/gioi-thieu">Giới thiệu'
        "</a></td>"
        f'<td class="noi-dung">{main}</td></tr>'
        '<tr><td colspan="2"><table class="lich"><tr><td><a href="/lich?month=2019-09">'
        f"« Tháng trước</a></td>{calendar}"
        '<td><a href="/lich?month=2019-11">Tháng sau »</a></td></tr></table>'
        '<a href="/tag/thi-dua">thi đua</a> <a href="/tag/cai-cach">cải cách</a>'
        "<p>© 2019 Sở Tư pháp tỉnh Mẫu</p></td></tr></table></body></html>"
    )


def listing(page: int) -> str:
    rows = []
    for article in ARTICLES[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        link = f"/tin-hoat-dong/chi-tiet;jsessionid=A1B2C3?id={article['id']}"
        rows.append(
            f'<tr><td><a href="{link}"><img src="/anh/{article["id"]}.jpg"></a></td>'
            f'<td><a href="{link}">{escape(article["title"])}</a>'
            f"<br><i>{article['published'][:10]}</i></td></tr>"
        )
    pager = " ".join(
        f'<a href="/tin-hoat-dong?page={n}">{n}</a>' if n != page else f"<b>{n}</b>"
        for n in range(1, PAGES + 1)
    )
    if page < PAGES:
        pager += f' <a href="/tin-hoat-dong?page={page + 1}">Trang sau</a>'
    sort = '<a href="/tin-hoat-dong?page=1&sort=title">Sắp xếp theo tên</a>'
    return _frame("Tin hoạt động", f"<table>{''.join(rows)}</table>{sort}<div>{pager}</div>")


def article_page(article: dict) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in article["paragraphs"])
    if article["byline"]:
        body += f'<p align="right"><b>{escape(article["byline"])}</b></p>'
    return _frame(
        article["title"],
        f'<table><tr><td class="tieude"><h2>{escape(article["title"])}</h2></td></tr>'
        f'<tr><td class="ngaydang">Ngày đăng: {article["published"]}</td></tr>'
        f'<tr><td class="noidung">{body}</td></tr>'
        f'<tr><td><a href="/tin-hoat-dong/chi-tiet?id={article["id"]}&print=1">In bài</a>'
        "</td></tr></table>",
    )


class UnseenSite(LoopbackSite):
    """``with UnseenSite() as site``: serves on loopback and counts requests by path."""

    TRAP_MARKERS = TRAP_MARKERS

    def page(self, path: str) -> tuple[int, str, bytes]:
        status, html = self.html(path)
        return status, "text/html; charset=utf-8", html.encode("utf-8")

    def html(self, path: str) -> tuple[int, str]:
        parts = urlsplit(path)
        query = parse_qs(parts.query)
        if parts.path == "/tin-hoat-dong":
            page = int(query.get("page", ["1"])[0])
            if 1 <= page <= PAGES:
                return 200, listing(page)
        if parts.path.startswith("/tin-hoat-dong/chi-tiet") and query.get("id", [""])[0] in BY_ID:
            return 200, article_page(BY_ID[query["id"][0]])
        if parts.path == "/lich":
            # An endless calendar: every month links to the next one.
            return 200, _frame("Lịch công tác", "<p>Lịch công tác</p>")
        return 404, _frame("Không tìm thấy", "<p>Không tìm thấy trang</p>")
