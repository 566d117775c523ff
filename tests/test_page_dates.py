"""Which date on a page is the article's own (no profile: the generic layers decide).

Each page carries the traps of real portals: today's date in the header banner, other
articles' dates in the sidebar and in "Tin liên quan", a copyright year in the footer
and dates inside the body text.
"""

from __future__ import annotations

import pytest

from scraper.sample_portal.site import SamplePortal, article_path, load_articles

from conftest import read_article

BANNER = '<div class="top-bar">Thứ năm, ngày 28 tháng 3 năm 2024</div>'
MENU = '<ul class="nav">' + "".join(f'<li><a href="/m{i}">Mục {i}</a></li>' for i in range(30))
MENU += "</ul>"
SIDEBAR = (
    '<div class="col-right"><h3>Tin mới</h3><ul>'
    '<li><a href="/tin/9.html">Tin khác một</a> <span class="date">05/10/2019 09:00</span></li>'
    '<li><a href="/tin/8.html">Tin khác hai</a> <span>(04/10/2019)</span></li></ul></div>'
)
BODY = (
    '<div class="content"><p>Ngày 24/9/2019, UBND tỉnh ban hành Kế hoạch số 4846/KH-UBND '
    "về việc tổ chức Đại hội thi đua yêu nước lần thứ V.</p>"
    "<p>Hội nghị diễn ra lúc 8 giờ ngày 15/10/2019 tại Trung tâm Hành chính tỉnh, "
    "với sự tham dự của đại diện các sở, ban, ngành và địa phương trong tỉnh.</p></div>"
)
RELATED = (
    '<div class="other-news"><h3>Tin liên quan</h3><ul>'
    '<li><a href="/tin/7.html">Tin liên quan một</a> (01/10/2019 16:20)</li></ul></div>'
)
FOOTER = '<div class="bottom">© 2019 Sở Nội vụ. Cập nhật lần cuối 30/11/2026</div>'


def page(article: str, head: str = "") -> str:
    return (
        f'<html><head><meta charset="utf-8">{head}</head><body>{BANNER}{MENU}'
        f'<div class="wrap"><div class="main">{article}</div>{SIDEBAR}</div>{FOOTER}</body></html>'
    )


TITLE = "<h1>Kế hoạch tổ chức Đại hội thi đua yêu nước</h1>"

CASES = [
    (
        "labelled date line after the title",
        page(TITLE + '<div class="post-meta">Đăng ngày: 02/10/2019 15:42</div>' + BODY + RELATED),
        "2019-10-02T15:42:00+07:00",
        None,
    ),
    (
        "unlabelled date before the title",
        page('<span class="time">02/10/2019 08:30</span>' + TITLE + BODY + RELATED),
        "2019-10-02T08:30:00+07:00",
        None,
    ),
    (
        "published and updated side by side",
        page(
            TITLE + '<p class="info"><span>Ngày đăng: 02/10/2019</span> | '
            "<span>Cập nhật: 05/10/2019 10:00</span></p>" + BODY
        ),
        "2019-10-02",
        "2019-10-05T10:00:00+07:00",
    ),
    (
        "the date line of the sample site",
        page('<div class="d">Thứ tư, 02/10/2019 | 15:42:26 GMT+7</div>' + TITLE + BODY + RELATED),
        "2019-10-02T15:42:26+07:00",
        None,
    ),
    (
        "a banner-like date right above the title loses to the dated line",
        page("<div>Thứ năm, 28/03/2024</div>" + TITLE + "<div>(02/10/2019 15:42)</div>" + BODY),
        "2019-10-02T15:42:00+07:00",
        None,
    ),
    (
        "JSON-LD wins over everything on the page",
        page(
            TITLE + BODY,
            head='<script type="application/ld+json">{"@context": "https://schema.org", '
            '"@type": "NewsArticle", "headline": "X", "datePublished": '
            '"2019-10-02T15:42:26+07:00", "dateModified": "2019-10-03T08:00:00+07:00"}</script>',
        ),
        "2019-10-02T15:42:26+07:00",
        "2019-10-03T08:00:00+07:00",
    ),
    (
        "meta article:published_time",
        page(
            TITLE + BODY,
            head='<meta property="article:published_time" content="2019-10-02T15:42:26+07:00">',
        ),
        "2019-10-02T15:42:26+07:00",
        None,
    ),
    (
        "no date of its own: banner, sidebar, body and footer dates are not taken",
        page(TITLE + BODY + RELATED),
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("html", "published", "updated"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_articles_own_date(html, published, updated):
    article = read_article(html, "http://sonoivu.example.gov.vn/tin/1.html")
    assert article["published_at"] == published
    assert article["updated_at"] == updated


@pytest.mark.parametrize("article", load_articles(), ids=lambda a: str(a["id"]))
def test_sample_pages_without_profile(article):
    html = SamplePortal().get(article_path(article)).body.decode("utf-8")
    found = read_article(html, "http://127.0.0.1:8721" + article_path(article))
    day, month, rest = article["published"].split("/")
    year, time = rest.split(" ")
    assert found["published_at"] == f"{year}-{month}-{day}T{time}+07:00"
    assert found["updated_at"] is None


@pytest.mark.parametrize(
    "wrapper",
    [
        '<div class="article-header">{}</div>',
        "<article><header>{}</header></article>",
        '<div class="entry-header post-meta">{}</div>',
    ],
)
def test_an_articles_own_header_is_not_site_chrome(wrapper):
    head = wrapper.format(TITLE + '<span class="date">Ngày đăng: 02/10/2019 15:42</span>')
    article = read_article(page(head + BODY), "http://sonoivu.example.gov.vn/tin/1.html")
    assert article["title"] == "Kế hoạch tổ chức Đại hội thi đua yêu nước"
    assert article["published_at"] == "2019-10-02T15:42:00+07:00"
