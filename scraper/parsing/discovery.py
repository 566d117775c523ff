"""Find the article links and the next page on a listing page nobody wrote a profile for.

Listing pages of Vietnamese portals repeat one link shape per article
(``/tin-tuc/<slug>-<id>.html``, ``ChiTiet.aspx?ID=<n>``, ``/-/view-article/…``,
``?nv=news&op=…``), and everything else on the page is a menu, a widget or a trap. So
links are grouped by the shape of their URL (digits and slugs abstracted away), and
the shape that repeats most inside the page's main area wins. The next page is the
link that says so ("Trang sau", "»", rel=next) or the numbered link one past the
current page. Calendars, print views, search results, sort orders and logins are
never followed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from lxml.etree import _Element

from scraper.parsing.html import parse_html, text_of
from scraper.parsing.layout import ChromeMap
from scraper.parsing.links import absolute_url, document_base, is_document, same_host
from scraper.parsing.listing import Listing

# URLs that never lead to articles, however many of them a page offers.
TRAP_PATTERNS = re.compile(
    r"(calendar|lich-?cong-?tac|[?&](date|ngay|day|month|thang|year|nam|sort|order|orderby|"
    r"dir|print|view=print|format|lang|q|keyword|search|tu-?khoa|tag|replytocom|share)=|"
    r"/(print|in-?bai|inbai|tim-?kiem|search|login|dang-?nhap|dang-?ky|register|rss|feed|"
    r"tag|tags|lien-?he|contact|sitemap|so-?do)(/|\.|$)|mailto:|javascript:|/wp-admin|"
    r"/admin|/user/|action=|/cdn-cgi/)",
    re.IGNORECASE,
)
NEXT_LABELS = re.compile(
    r"^(trang sau|trang tiếp|tiếp|tiếp theo|sau|kế tiếp|next|»|›|>|>>|→)\s*[»›>]*$",
    re.IGNORECASE,
)
PAGE_PARAMS = (
    "page",
    "pageindex",
    "p",
    "trang",
    "start",
    "pagenumber",
    "paged",
    "cur",
    "pg",
    "pagenum",
    "currentpage",
)
# Path pieces that carry a page number: /trang-2.html, /page/2, /page-2, /p2, and
# DotNetNuke's /PageID/2 or /pageindex/2.
PAGE_IN_PATH = re.compile(
    r"(/trang-?|/page/|/page-|/p|/pageid/|/pageindex/|/pagenumber/|/currentpage/)(\d+)"
    r"(\.html?)?/?$",
    re.IGNORECASE,
)
ARTICLE_HINTS = re.compile(
    r"(-\d{3,}(\.\w+)?/?$|[?&](id|itemid|newsid|articleid|dDocName)=\w+|/view-article/|"
    r"/content/|/\d{4}/\d{2}/|/node/\d+$|/post/\d+|/articleid/\d+|chitiet|chi-tiet|"
    r"view_detail|detail|/news/[^/]+/[^/]+\.html?$|\.html?$)",
    re.IGNORECASE,
)


@dataclass
class _Link:
    url: str
    text: str
    in_chrome: bool
    # Every label the page gives this URL: a pager links page 2 as "2" and as "»".
    labels: tuple[str, ...] = ()


def _shape(url: str) -> str:
    """The URL with what varies between articles (ids, slugs) abstracted away."""
    parts = urlsplit(url)
    segments = parts.path.rstrip("/").split("/")
    shaped = []
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if re.fullmatch(r"\d+", segment):
            shaped.append("<n>")
        elif last and re.search(r"\d", segment) or last and len(segment) > 25:
            suffix = re.search(r"\.\w+$", segment)
            shaped.append("<slug>" + (suffix.group(0) if suffix else ""))
        else:
            shaped.append(segment.lower())
    keys = sorted(k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    return "/".join(shaped) + ("?" + "&".join(keys) if keys else "")


def is_trap(url: str) -> bool:
    return bool(TRAP_PATTERNS.search(url))


def _page_number(url: str) -> int | None:
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in PAGE_PARAMS and value.isdigit():
            return int(value)
        if key.lower().endswith("_cur") and value.isdigit():
            return int(value)
    match = PAGE_IN_PATH.search(parts.path)
    return int(match.group(2)) if match else None


def _next_pages(links: Iterable[_Link], root: _Element, url: str) -> list[str]:
    base = document_base(root, url)
    for element in root.iter("a", "link"):
        if (element.get("rel") or "").lower() == "next":
            target = absolute_url(element.get("href"), base)
            if target and target != url and not is_trap(target):
                return [target]
    labelled = [
        link.url
        for link in links
        if any(NEXT_LABELS.match(label) for label in link.labels) and link.url != url
    ]
    if labelled:
        return labelled[:1]
    current = _page_number(url) or 1
    numbered = [
        link.url
        for link in links
        if any(label.strip() == str(current + 1) for label in link.labels)
        and _page_number(link.url) == current + 1
    ]
    return numbered[:1]


def discover_links(html: str, url: str, hosts: Iterable[str]) -> Listing:
    """Article links (the dominant repeated URL shape) and the next listing page."""
    hosts = tuple(hosts)
    root = parse_html(html, base_url=url)
    base = document_base(root, url)
    chrome = ChromeMap(root)
    by_url: dict[str, _Link] = {}
    for anchor in root.iter("a"):
        target = absolute_url(anchor.get("href"), base)
        if not target or target == url or is_document(target):
            continue
        if target in by_url:
            # A thumbnail and a title often link the same article: keep the words.
            known = by_url[target]
            text = text_of(anchor)
            if len(text) > len(known.text):
                known.text = text
            known.labels += (text,)
            continue
        if not any(same_host(target, host) for host in hosts) or is_trap(target):
            continue
        text = text_of(anchor)
        by_url[target] = _Link(target, text, chrome(anchor), (text,))
    links = list(by_url.values())
    next_urls = _next_pages(links, root, url)
    groups: dict[str, list[_Link]] = defaultdict(list)
    for link in links:
        if link.url in next_urls or _page_number(link.url) is not None:
            continue
        groups[_shape(link.url)].append(link)

    def score(item: tuple[str, list[_Link]]) -> float:
        shape, members = item
        content = [m for m in members if not m.in_chrome]
        words = sum(len(m.text.split()) for m in content) / max(1, len(content))
        hinted = 1.5 if ARTICLE_HINTS.search(shape.replace("<slug>", "x-123")) else 1.0
        return len(content) * min(words, 12) * hinted

    ranked = sorted(groups.items(), key=score, reverse=True)
    if not ranked or score(ranked[0]) == 0:
        return Listing(article_urls=[], next_urls=next_urls)
    best_shape, best = ranked[0]
    articles = [m.url for m in best if not m.in_chrome and len(m.text.split()) >= 3]
    if len(articles) < 2:
        articles = [m.url for m in best if len(m.text.split()) >= 3]
    return Listing(article_urls=articles, next_urls=next_urls)
