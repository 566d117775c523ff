"""The next listing page, from every pager form seen on department portals (generic
discovery, no profile): the page after the current one, never "Trang đầu", "Trang cuối"
or the previous page."""

from __future__ import annotations

import pytest

from scraper.parsing.discovery import discover_links

ARTICLES = "".join(
    f'<li><a href="/tin-tuc/bai-viet-so-{n}-ve-ke-hoach-thi-dua-{1000 + n}.html">'
    f"Bài viết số {n} về kế hoạch thi đua của Sở</a></li>"
    for n in range(1, 11)
)

PAGERS = {
    "numbered with « and »": (
        "http://x.gov.vn/tin-tuc?page=2",
        '<a href="/tin-tuc?page=1">«</a><a href="/tin-tuc?page=1">1</a><span>2</span>'
        '<a href="/tin-tuc?page=3">3</a><a href="/tin-tuc?page=3">»</a>',
        "http://x.gov.vn/tin-tuc?page=3",
    ),
    "Trang đầu / Trang cuối around numbers": (
        "http://x.gov.vn/tin-tuc?page=1",
        '<a href="/tin-tuc?page=1">Trang đầu</a><span>1</span><a href="/tin-tuc?page=2">2</a>'
        '<a href="/tin-tuc?page=9">Trang cuối</a>',
        "http://x.gov.vn/tin-tuc?page=2",
    ),
    "/page/N/": (
        "http://x.gov.vn/tin-tuc/page/4/",
        '<a href="/tin-tuc/page/3/">3</a><span>4</span><a href="/tin-tuc/page/5/">5</a>',
        "http://x.gov.vn/tin-tuc/page/5/",
    ),
    "trang-N.html": (
        "http://x.gov.vn/tin-tuc/trang-2.html",
        '<a href="/tin-tuc/trang-1.html">1</a><span>2</span><a href="/tin-tuc/trang-3.html">3</a>'
        '<a href="/tin-tuc/trang-3.html">Trang sau</a>',
        "http://x.gov.vn/tin-tuc/trang-3.html",
    ),
    "?start= (Joomla)": (
        "http://x.gov.vn/tin-tuc",
        '<a href="/tin-tuc?start=10">2</a><a href="/tin-tuc?start=10">Tiếp</a>',
        "http://x.gov.vn/tin-tuc?start=10",
    ),
    "rel=next": (
        "http://x.gov.vn/tin-tuc",
        '<link rel="next" href="/tin-tuc?pageindex=2">',
        "http://x.gov.vn/tin-tuc?pageindex=2",
    ),
    "DotNetNuke /PageID/N, one URL labelled both 2 and »": (
        "http://x.gov.vn/tin-tuc",
        '<span>1</span><a href="/tin-tuc/PgrID/2419/PageID/2">2</a>'
        '<a href="/tin-tuc/PgrID/2419/PageID/3">3</a><span>…</span>'
        '<a href="/tin-tuc/PgrID/2419/PageID/2">»</a>'
        '<a href="/tin-tuc/PgrID/2419/PageID/9">Trang cuối</a>',
        "http://x.gov.vn/tin-tuc/PgrID/2419/PageID/2",
    ),
    "windowed numbers only, past page 5": (
        "http://x.gov.vn/tin-tuc/PgrID/2419/PageID/6",
        '<a href="/tin-tuc/PgrID/2419/PageID/4">4</a><a href="/tin-tuc/PgrID/2419/PageID/5">5</a>'
        '<span>6</span><a href="/tin-tuc/PgrID/2419/PageID/7">7</a>'
        '<a href="/tin-tuc/PgrID/2419/PageID/8">8</a>',
        "http://x.gov.vn/tin-tuc/PgrID/2419/PageID/7",
    ),
    "> and >> arrows": (
        "http://x.gov.vn/tin-tuc?p=1",
        '<a href="/tin-tuc?p=2">&gt;</a><a href="/tin-tuc?p=30">&gt;&gt;|</a>',
        "http://x.gov.vn/tin-tuc?p=2",
    ),
}


@pytest.mark.parametrize("form", sorted(PAGERS))
def test_the_next_listing_page(form):
    url, pager, expected = PAGERS[form]
    html = (
        f'<html><body><ul class="news">{ARTICLES}</ul>'
        f'<div class="pager">{pager}</div></body></html>'
    )
    listing = discover_links(html, url, ["x.gov.vn"])
    assert len(listing.article_urls) == 10
    assert listing.next_urls[:1] == [expected]


def test_the_last_page_has_no_next():
    html = (
        f'<html><body><ul class="news">{ARTICLES}</ul><div class="pager">'
        '<a href="/tin-tuc?page=1">Trang đầu</a><a href="/tin-tuc?page=8">8</a><span>9</span>'
        "</div></body></html>"
    )
    listing = discover_links(html, "http://x.gov.vn/tin-tuc?page=9", ["x.gov.vn"])
    assert listing.next_urls == []


def test_article_urls_that_look_like_pages_are_articles():
    """/p/<id> and /p-<id> are article addresses on some portals, not page numbers."""
    from scraper.parsing.discovery import _page_number

    assert _page_number("http://x.gov.vn/p/12345") is None
    assert _page_number("http://x.gov.vn/bai/p-123") is None
    assert _page_number("http://x.gov.vn/tin/PgrID/2419/PageID/3") == 3
    assert _page_number("http://x.gov.vn/tin/p2") == 2
