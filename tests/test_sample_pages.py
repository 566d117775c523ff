"""Every page of the sample portal, parsed with its profile, field by field.

The portal is generated from ``articles.json``, which also holds what a careful reader
takes from each page; a failure reads ``<article id>-<field>``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from scraper.parsing.listing import extract_listing
from scraper.sample_portal.site import (
    SamplePortal,
    article_path,
    date_line,
    listing_path,
    load_articles,
)
from scraper.sites import load_profile

from conftest import read_article

BASE = "http://127.0.0.1:8721"
PROFILE = load_profile("sample-sonoivu")
PORTAL = SamplePortal()
ARTICLES = {a["id"]: a for a in load_articles()}
SIDEBAR_AND_CHROME = (
    "Tin liên quan",
    "Tin mới",
    "Hình ảnh hoạt động",
    "Liên kết website",
    "Thống kê truy cập",
    "Đang truy cập",
    "Tổng truy cập",
    "Trang chủ",
    "Tập tin đính kèm",
    "In bài viết",
    "0274.3822.945",
    "Thứ năm, ngày 28 tháng 3 năm 2024",
    "Quang cảnh",
)


@cache
def extracted(article_id: int) -> dict[str, Any]:
    path = article_path(ARTICLES[article_id])
    page = PORTAL.get(path)
    assert page.status == 200
    return read_article(page.body.decode("utf-8"), BASE + path, PROFILE)


def iso(published: str) -> str:
    day, month, rest = published.split("/")
    year, time = rest.split(" ")
    return f"{year}-{month}-{day}T{time}+07:00"


def expected(article: dict[str, Any], field: str) -> Any:
    if field == "title":
        return article["title"]
    if field == "published_at":
        return iso(article["published"])
    if field == "published_raw":
        return date_line(article)
    if field == "summary":
        return article["summary"] or None
    if field == "byline":
        return article["byline"] or None
    if field == "authors":
        return article["expected_authors"]
    if field == "source_unit":
        return article["expected_source_unit"]
    if field == "category":
        return "Tin tức sự kiện"
    if field == "attachments":
        return [
            {"url": f"{BASE}/Upload/files/{a['file']}", "name": a["name"], "kind": a["kind"]}
            for a in article["attachments"]
        ]
    if field == "doc_refs":
        return [
            {k: ref[k] for k in ("number", "type", "issuer", "date")} for ref in article["doc_refs"]
        ]
    raise AssertionError(field)


FIELDS = (
    "title",
    "published_at",
    "published_raw",
    "summary",
    "byline",
    "authors",
    "source_unit",
    "category",
    "attachments",
    "doc_refs",
)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("article_id", sorted(ARTICLES))
def test_field(article_id, field):
    assert extracted(article_id)[field] == expected(ARTICLES[article_id], field)


@pytest.mark.parametrize("article_id", sorted(ARTICLES))
def test_body_is_the_article_and_nothing_else(article_id):
    article = ARTICLES[article_id]
    body = extracted(article_id)["body_text"]
    for paragraph in article["paragraphs"][:-1]:
        assert paragraph in body
    assert article["paragraphs"][-1].removesuffix("./.").rstrip(". ") in body
    for chrome in SIDEBAR_AND_CHROME:
        assert chrome not in body
    if article["byline"]:
        # Not a paragraph of its own (the unit may well be named inside a sentence).
        assert article["byline"] not in body.split("\n\n")
    assert not body.endswith("./.")


@pytest.mark.parametrize("article_id", sorted(ARTICLES))
def test_related_links_are_other_articles(article_id):
    related = extracted(article_id)["related"]
    paths = {article_path(a): a["title"] for a in ARTICLES.values()}
    assert related, "every sample article lists related articles"
    for link in related:
        path = link["url"].removeprefix(BASE)
        assert paths[path] == link["title"]
        assert path != article_path(ARTICLES[article_id])


def test_sample_article_field_sources_are_the_profile():
    sources = extracted(2105)["field_sources"]
    for field in ("title", "published_at", "body_text", "attachments", "related", "category"):
        assert sources[field] == "profile"
    # The profile names no byline element: the end-of-body credit line is found generically.
    assert sources["byline"] == sources["authors"] == "generic.vocabulary"


def test_listing_pages_reach_every_article_newest_first():
    seen: list[str] = []
    url = BASE + listing_path(1)
    pages = 0
    while url:
        page = PORTAL.get(url.removeprefix(BASE))
        listing = extract_listing(page.body.decode(), url, PROFILE.listing, "127.0.0.1:8721")
        seen += listing.article_urls
        url = listing.next_urls[0] if listing.next_urls else None
        pages += 1
    assert pages == PORTAL.page_count
    assert seen == [BASE + article_path(a) for a in load_articles()]


@cache
def generic(article_id: int) -> dict[str, Any]:
    path = article_path(ARTICLES[article_id])
    return read_article(PORTAL.get(path).body.decode("utf-8"), BASE + path)


@pytest.mark.parametrize("field", [f for f in FIELDS if f != "published_raw"])
@pytest.mark.parametrize("article_id", sorted(ARTICLES))
def test_generic_extraction_without_profile(article_id, field):
    """The generic layers alone (no profile) read these pages as the profile does."""
    assert generic(article_id)[field] == expected(ARTICLES[article_id], field)
