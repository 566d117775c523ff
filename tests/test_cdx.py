"""Reading the Wayback Machine's CDX answers (issue 12, the first piece of `khotin
backfill`): both answer forms, resume keys, and each capture as the Page extraction reads,
dated by its capture time."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from scraper.extract import extract
from scraper.parsing.cdx import CdxError, parse_listing, query_url

from conftest import read_article

BASE = "http://127.0.0.1:9"
ARTICLE = "http://sonoivu.binhduong.gov.vn/tin-tuc/ke-hoach-to-chuc-dai-hoi-thi-dua-1.html"
ROWS = [
    ["timestamp", "original", "mimetype", "statuscode", "digest", "length"],
    ["20191003084512", ARTICLE, "text/html", "200", "AAAA", "51234"],
    ["20200115010203", ARTICLE, "text/html", "200", "BBBB", "51302"],
    ["2021", "", "text/html", "200", "CCCC", "10"],
]


def test_a_query_asks_for_distinct_200_captures_in_pages():
    url = query_url(BASE, "sonoivu.binhduong.gov.vn/tin-tuc/", since="2019-01-01", resume_key="k1")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == BASE + "/cdx/search/cdx"
    query = parse_qs(parts.query)
    assert query["url"] == ["sonoivu.binhduong.gov.vn/tin-tuc/"]
    assert query["filter"] == ["statuscode:200", "mimetype:text/html"]
    assert query["collapse"] == ["digest"]
    assert query["from"] == ["20190101"] and query["resumeKey"] == ["k1"]
    assert query["showResumeKey"] == ["true"] and query["output"] == ["json"]


def test_a_json_answer_with_its_resume_key():
    listing = parse_listing(json.dumps([*ROWS, [], ["sonoivu.binhduong.gov.vn/x 2020"]]))
    assert [(c.timestamp, c.status, c.digest) for c in listing.captures] == [
        ("20191003084512", 200, "AAAA"),
        ("20200115010203", 200, "BBBB"),
    ]
    assert listing.resume_key == "sonoivu.binhduong.gov.vn/x 2020"
    assert listing.captures[0].captured_at.isoformat() == "2019-10-03T08:45:12+00:00"
    assert listing.captures[0].raw_url(BASE) == f"{BASE}/web/20191003084512id_/{ARTICLE}"


def test_a_plain_answer_and_the_last_page():
    plain = (
        f"vn,gov,binhduong)/tin 20191003084512 {ARTICLE} text/html 200 AAAA 51234\n"
        f"vn,gov,binhduong)/tin 20200115010203 {ARTICLE} text/html - BBBB 51302\n"
        "\nnext-key\n"
    )
    listing = parse_listing(plain)
    assert [c.status for c in listing.captures] == [200, None]
    assert listing.resume_key == "next-key"
    assert parse_listing(json.dumps(ROWS[:2])).resume_key is None
    assert parse_listing("").captures == []


@pytest.mark.parametrize("answer", ["<html><body>Rate limited</body></html>", "[1, 2"])
def test_an_answer_that_is_no_listing_is_an_error(answer):
    with pytest.raises(CdxError):
        parse_listing(answer)


def test_a_capture_reads_as_a_page_fetched_when_it_was_captured():
    (capture, _) = parse_listing(json.dumps(ROWS)).captures
    html = (
        "<html><head><title>Kế hoạch tổ chức Đại hội thi đua</title></head><body>"
        "<h1>Kế hoạch tổ chức Đại hội thi đua yêu nước lần thứ V</h1>"
        "<div class='date'>3 giờ trước</div><div class='noi-dung'>"
        + "<p>Sở Nội vụ ban hành kế hoạch tổ chức Đại hội thi đua yêu nước của tỉnh.</p>" * 4
        + "</div></body></html>"
    )
    page = capture.page(html.encode(), {"Content-Type": "text/html; charset=utf-8"})
    assert page.url == ARTICLE and page.fetched_at == capture.captured_at
    # "3 giờ trước" counts from the capture (08:45 UTC = 15:45 in Vietnam), not today.
    assert extract(page).published_at == "2019-10-03T12:45:12+07:00"
    assert (
        read_article(html, ARTICLE, fetched_at="2019-10-03T08:45:12+00:00")["published_at"]
        == "2019-10-03T12:45:12+07:00"
    )


def test_error_answers_in_json_or_text_are_errors_and_crlf_keeps_the_resume_key():
    import pytest

    from scraper.parsing.cdx import CdxError, parse_listing

    for answer in (
        '{"error": "Blocked Site Error"}',
        "org.archive.wayback.exception.AdministrativeAccessControlException: Blocked Site\n",
        "Service Unavailable",
    ):
        with pytest.raises(CdxError):
            parse_listing(answer)
    plain = (
        "vn,gov,binhduong,sonoivu)/a.html 20191003090000 http://sonoivu.binhduong.gov.vn/a.html "
        "text/html 200 AAAA 5120\r\n\r\nnext-key-123\r\n"
    )
    listing = parse_listing(plain)
    assert [c.timestamp for c in listing.captures] == ["20191003090000"]
    assert listing.resume_key == "next-key-123"
