"""Render the sample portal's pages from ``articles.json``.

The markup follows what department portals of this kind print: a header with the
site name and today's date, a menu, breadcrumbs, the article (date line, title,
attachments label, body, byline at the end, "Tin liên quan"), then sidebar widgets
(Tin mới with dates, Hình ảnh hoạt động, Liên kết website, Thống kê truy cập) and a
footer with an address and phone number. Everything outside the article is a trap
that extraction must not take into the article.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from html import escape
from pathlib import Path
from typing import Any

from archive.folding import fold
from scraper.sample_portal.files import make_docx, make_pdf

DATA_FILE = Path(__file__).with_name("articles.json")
with Path(__file__).with_name("chrome.toml").open("rb") as _chrome:
    CHROME: dict[str, Any] = tomllib.load(_chrome)
SECTION_PATH = "/tin-tuc-su-kien"
SECTION_NAME = "Tin tức sự kiện"
SITE_NAME = "Sở Nội Vụ Tỉnh Bình Dương"
PAGE_SIZE = 10
# The header banner shows "today"; a fixed day keeps the pages byte-for-byte stable.
BANNER_DATE = "Thứ năm, ngày 28 tháng 3 năm 2024"
WEEKDAYS = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]
ROBOTS_TXT = "User-agent: *\nDisallow: /tim-kiem\nDisallow: /quan-tri/\n"
# An opaque, deterministic stand-in for ASP.NET's __VIEWSTATE (about 20 KB on real pages).
VIEW_STATE = base64.b64encode(
    b"".join(hashlib.sha256(b"khotin-viewstate-%d" % i).digest() for i in range(480))
).decode()
# A 1×1 transparent PNG for the photo widgets.
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000157a3d6a10000000049454e44ae426082"
)


@dataclass(frozen=True)
class Page:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def load_articles() -> list[dict[str, Any]]:
    """The sample articles, newest first (the order of a listing)."""
    articles = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return sorted(articles, key=lambda a: _moment(a["published"]), reverse=True)


def _moment(published: str) -> datetime:
    return datetime.strptime(published, "%d/%m/%Y %H:%M:%S")


def dossier_code(attachment: dict[str, Any]) -> str:
    """The code printed inside an attachment file (and nowhere else on the site)."""
    return "hs" + hashlib.sha256(attachment["file"].encode()).hexdigest()[:10]


def article_path(article: dict[str, Any]) -> str:
    return f"{SECTION_PATH}/{article['slug']}-{article['id']}.html"


def listing_path(page: int) -> str:
    return SECTION_PATH if page == 1 else f"{SECTION_PATH}/trang-{page}.html"


def date_line(article: dict[str, Any]) -> str:
    """The article's own date line, as the real site prints it."""
    moment = _moment(article["published"])
    return f"{WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y} | {moment:%H:%M:%S} GMT+7"


class SamplePortal:
    """Every page of the portal, addressed by path."""

    def __init__(self, articles: list[dict[str, Any]] | None = None) -> None:
        self.articles = articles if articles is not None else load_articles()

    @cached_property
    def _by_path(self) -> dict[str, dict[str, Any]]:
        return {article_path(a): a for a in self.articles}

    @cached_property
    def _files(self) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
        return {
            f"/Upload/files/{att['file']}": (article, att)
            for article in self.articles
            for att in article["attachments"]
        }

    def _changed(self) -> None:
        for name in ("_by_path", "_files"):
            self.__dict__.pop(name, None)
        self.articles.sort(key=lambda a: _moment(a["published"]), reverse=True)

    def add(self, article: dict[str, Any]) -> None:
        """Publish an article (tests of incremental crawls)."""
        self.articles.append(article)
        self._changed()

    def edit(self, article_id: int, **changes: Any) -> None:
        """Silently edit a published article, as editors do."""
        next(a for a in self.articles if a["id"] == article_id).update(changes)
        self._changed()

    def remove(self, article_id: int) -> None:
        """Take an article down: its page answers 404 from now on."""
        self.articles = [a for a in self.articles if a["id"] != article_id]
        self._changed()

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.articles) // PAGE_SIZE))

    def get(self, path: str) -> Page:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path == "/robots.txt":
            return Page(200, "text/plain; charset=utf-8", ROBOTS_TXT.encode())
        if path in ("/", "/index.html"):
            return self._html(self._home())
        if path == SECTION_PATH or path == SECTION_PATH + "/":
            return self._html(self._listing(1))
        for page in range(2, self.page_count + 1):
            if path == listing_path(page):
                return self._html(self._listing(page))
        if path in self._by_path:
            return self._html(self._article(self._by_path[path]))
        if path in self._files:
            return self._file(*self._files[path])
        if path.startswith("/Upload/images/"):
            return Page(200, "image/png", PIXEL_PNG)
        return Page(
            404,
            "text/html; charset=utf-8",
            self._layout("Không tìm thấy trang", "<h1>Không tìm thấy trang yêu cầu</h1>").encode(),
        )

    # -- pages ----------------------------------------------------------------------

    @staticmethod
    def _html(text: str) -> Page:
        return Page(200, "text/html; charset=utf-8", text.encode("utf-8"))

    def _file(self, article: dict[str, Any], attachment: dict[str, Any]) -> Page:
        if attachment.get("broken"):
            # What some portals send when a file is gone: an HTML error page, 200 OK,
            # labelled as the PDF that was asked for.
            return Page(
                200,
                "application/pdf",
                self._layout("Lỗi", "<h1>Lỗi: không tìm thấy tệp tin yêu cầu</h1>").encode(),
            )
        # Each file names its own dossier code, a word found nowhere else on the site,
        # so a search can show that attachment text is indexed.
        lines = [
            SITE_NAME,
            attachment["name"],
            f"Mã hồ sơ: {dossier_code(attachment)}",
            article["title"],
            *article["paragraphs"][:2],
        ]
        if attachment["kind"] == "pdf":
            return Page(200, "application/pdf", make_pdf(lines))
        return Page(
            200,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            make_docx(lines),
        )

    def _home(self) -> str:
        items = "".join(self._list_item(a) for a in self.articles[:5])
        body = (
            f'<h2 class="block-title"><a href="{SECTION_PATH}">{SECTION_NAME}</a></h2>'
            f'<ul class="news-list">{items}</ul>'
        )
        return self._layout(SITE_NAME, body)

    def _list_item(self, article: dict[str, Any]) -> str:
        moment = _moment(article["published"])
        summary = escape(article["summary"] or article["paragraphs"][0][:200] + "…")
        return (
            '<li class="news-item">'
            f'<a class="thumb" href="{article_path(article)}">'
            f'<img src="/Upload/images/thumb-{article["id"]}.png" alt=""></a>'
            f'<h3 class="news-item-title"><a href="{article_path(article)}">'
            f"{escape(article['title'])}</a></h3>"
            f'<span class="news-item-date">{moment:%d/%m/%Y}</span>'
            f'<p class="news-item-summary">{summary}</p></li>'
        )

    def _listing(self, page: int) -> str:
        start = (page - 1) * PAGE_SIZE
        items = "".join(self._list_item(a) for a in self.articles[start : start + PAGE_SIZE])
        links = []
        if page > 1:
            links.append(f'<a class="prev" href="{listing_path(page - 1)}">« Trang trước</a>')
        for number in range(1, self.page_count + 1):
            if number == page:
                links.append(f'<span class="current">{number}</span>')
            else:
                links.append(f'<a href="{listing_path(number)}">{number}</a>')
        if page < self.page_count:
            links.append(f'<a class="next" href="{listing_path(page + 1)}">Trang sau »</a>')
        body = (
            self._breadcrumb()
            + f'<h1 class="section-title">{SECTION_NAME}</h1>'
            + f'<ul class="news-list">{items}</ul>'
            + f'<div class="pager">{" ".join(links)}</div>'
        )
        title = SECTION_NAME if page == 1 else f"{SECTION_NAME} - Trang {page}"
        return self._layout(title, body)

    def _breadcrumb(self) -> str:
        return (
            '<ol class="breadcrumb"><li><a href="/">Trang chủ</a></li>'
            f'<li class="active"><a href="{SECTION_PATH}">{SECTION_NAME}</a></li></ol>'
        )

    def _related(self, article: dict[str, Any]) -> list[dict[str, Any]]:
        """Articles sharing a cited document first, then the next older ones, then newer."""
        index = self.articles.index(article)
        others = self.articles[index + 1 :] + self.articles[:index][::-1]
        numbers = {d["number"] for d in article["doc_refs"]}
        sharing = [a for a in others if numbers & {d["number"] for d in a["doc_refs"]}]
        rest = [a for a in others if a not in sharing]
        return (sharing + rest)[:4]

    def _article(self, article: dict[str, Any]) -> str:
        parts = [self._breadcrumb(), '<div class="news-detail">']
        parts.append(f'<div class="date-line">{escape(date_line(article))}</div>')
        parts.append(f'<h1 class="news-title">{escape(article["title"])}</h1>')
        parts.append(
            '<div class="share-tools"><a href="#" class="print">In bài viết</a> '
            '<a href="#" class="mail">Gửi email</a> <span>Cỡ chữ: A+ A-</span></div>'
        )
        if article["summary"]:
            parts.append(f'<div class="news-summary"><p>{escape(article["summary"])}</p></div>')
        files = "".join(
            f'<li><a href="/Upload/files/{escape(att["file"])}" target="_blank">'
            f"{escape(att['name'])}</a></li>"
            for att in article["attachments"]
        )
        parts.append(
            '<div class="news-attachments"><span class="label">Tập tin đính kèm:</span>'
            f"<ul>{files}</ul></div>"
        )
        content = []
        if article["id"] % 3 == 0:
            # Some articles open with a photo; its caption must not become the lead.
            content.append(
                f'<figure class="image"><img src="/Upload/images/photo-{article["id"]}.png" '
                f'alt="{escape(article["title"][:60])}"><figcaption>Quang cảnh '
                f"{escape(article['title'][:60].lower())}</figcaption></figure>"
            )
        content += [f"<p>{escape(p)}</p>" for p in article["paragraphs"]]
        if article["byline"]:
            content.append(
                f'<p style="text-align: right;"><strong>{escape(article["byline"])}</strong></p>'
            )
        parts.append(f'<div class="news-content">{"".join(content)}</div>')
        related = "".join(
            f'<li><a href="{article_path(other)}">{escape(other["title"])}</a> '
            f'<span class="date">({_moment(other["published"]):%d/%m/%Y})</span></li>'
            for other in self._related(article)
        )
        parts.append(f'<div class="news-related"><h3>Tin liên quan</h3><ul>{related}</ul></div>')
        parts.append("</div>")
        return self._layout(article["title"], "".join(parts), article)

    def _sidebar(self) -> str:
        latest = "".join(
            f'<li><a href="{article_path(a)}">{escape(a["title"])}</a>'
            f' <span class="date">{_moment(a["published"]):%d/%m/%Y %H:%M}</span></li>'
            for a in self.articles[:5]
        )
        notices = "".join(
            f'<li><a href="/thong-bao/{_slug(n)}.html">{escape(n)}</a></li>'
            for n in CHROME["notices"]
        )
        documents = "".join(
            f'<li><a href="/van-ban/{_slug(number)}.html"><strong>{escape(number)}</strong></a>'
            f' <span class="date">Ngày ban hành: {issued}</span><p>{escape(about)}</p></li>'
            for number, issued, about in CHROME["documents"]
        )
        photos = "".join(
            f'<li><img src="/Upload/images/hd-{n}.png" alt=""><p>Hoạt động của Sở số {n}</p></li>'
            for n in (1, 2, 3)
        )
        links = "".join(
            f'<option value="https://{_slug(name)}.binhduong.gov.vn">{escape(name)}</option>'
            for name in CHROME["links"]
        )
        return (
            '<aside class="sidebar">'
            f'<div class="widget latest"><h3>Tin mới</h3><ul>{latest}</ul></div>'
            f'<div class="widget notices"><h3>Thông báo</h3><ul>{notices}</ul></div>'
            f'<div class="widget documents"><h3>Văn bản mới</h3><ul>{documents}</ul></div>'
            f'<div class="widget photos"><h3>Hình ảnh hoạt động</h3><ul>{photos}</ul></div>'
            '<div class="widget links"><h3>Liên kết website</h3><select id="weblinks">'
            f"<option>-- Chọn liên kết --</option>{links}</select></div>"
            '<div class="widget stats"><h3>Thống kê truy cập</h3>'
            '<p>Đang truy cập<span class="online">3</span></p>'
            '<p>Tổng truy cập <span class="total">2763032</span></p></div>'
            "</aside>"
        )

    @staticmethod
    def _menu() -> str:
        items = ['<li><a href="/">Trang chủ</a></li>']
        for label, children in CHROME["menu"]:
            href = SECTION_PATH if label == "Tin tức" else f"/{_slug(label)}"
            sub = "".join(
                f'<li><a href="{SECTION_PATH if child == SECTION_NAME else "/" + _slug(child)}">'
                f"{escape(child)}</a></li>"
                for child in children
            )
            items.append(
                f'<li><a href="{href}">{escape(label)}</a>{f"<ul>{sub}</ul>" if sub else ""}</li>'
            )
        return f'<nav class="menu"><ul>{"".join(items)}</ul></nav>'

    def _layout(self, title: str, main: str, article: dict[str, Any] | None = None) -> str:
        meta = ""
        if article is not None:
            meta = (
                f'<meta property="og:title" content="{escape(article["title"])}">'
                '<meta property="og:type" content="article">'
            )
        styles = "".join(
            f'<link rel="stylesheet" href="/static/css/{name}.css">'
            for name in ("bootstrap.min", "font-awesome.min", "jquery.fancybox", "portal", "news")
        )
        scripts = "".join(
            f'<script src="/static/js/{name}.js"></script>'
            for name in ("jquery.min", "bootstrap.min", "jquery.marquee", "jquery.fancybox")
        )
        footer = "".join(f"<p>{escape(line)}</p>" for line in CHROME["footer"])
        return (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="description" content="Cổng thông tin điện tử Sở Nội vụ tỉnh Bình Dương">'
            '<meta name="keywords" content="Sở Nội vụ, Bình Dương, cải cách hành chính">'
            f"<title>{escape(title)} - {SITE_NAME}</title>{meta}{styles}"
            f"<script>{CHROME['head_script']}</script></head><body>"
            # The portal runs on ASP.NET/SharePoint: every page is one big form carrying
            # its view state, as on the real site (and most of a page's weight).
            '<form method="post" action="./" id="aspnetForm"><div class="aspNetHidden">'
            f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="{VIEW_STATE}">'
            '<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" '
            f'value="{VIEW_STATE[:2400]}"></div>'
            '<div class="header"><div class="logo"><a href="/">'
            f'<img src="/Upload/images/logo.png" alt="{SITE_NAME}">'
            f'<span class="site-name">{SITE_NAME}</span></a></div>'
            f'<div class="today">{BANNER_DATE}</div>'
            '<form class="search" action="/tim-kiem"><input name="q" placeholder="Tìm kiếm...">'
            "<button>Tìm</button></form></div>"
            f"{self._menu()}"
            f'<div class="container"><main class="main">{main}</main>{self._sidebar()}</div>'
            f'<div class="footer">{footer}</div>'
            f"{scripts}<script>{CHROME['body_script']}</script>"
            "</form></body></html>"
        )


def _slug(text: str) -> str:
    """An ASCII path segment for a label (the portal's own links)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
