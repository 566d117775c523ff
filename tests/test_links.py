"""Links as a crawl and an extractor must read them: which host and port a redirect may
go to, and which file a script download link fetches."""

from __future__ import annotations

import pytest

from scraper.parsing.links import on_site, script_download_target

HOSTS = ("sonoivu.example.gov.vn", "127.0.0.1:8721")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://sonoivu.example.gov.vn/tin/1", True),
        ("https://sonoivu.example.gov.vn/tin/1", True),
        ("https://www.sonoivu.example.gov.vn/tin/1", True),
        ("http://sonoivu.example.gov.vn:80/tin/1", True),
        ("http://sonoivu.example.gov.vn:8080/tin/1", False),
        ("http://127.0.0.1:8721/x", True),
        ("http://127.0.0.1:9000/x", False),
        ("http://127.0.0.1/x", False),
        ("http://evil.example/x", False),
        ("ftp://sonoivu.example.gov.vn/x", False),
        ("http://sonoivu.example.gov.vn:99999/x", False),
    ],
)
def test_on_site(url, expected):
    assert on_site(url, HOSTS) is expected


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        (
            "javascript:downloadfile('Ke hoach.pdf','/Lists/vbpq/Attachments/1/Ke hoach.pdf')",
            "/Lists/vbpq/Attachments/1/Ke hoach.pdf",
        ),
        ('javascript:DownloadFile("bieu-mau.docx")', "bieu-mau.docx"),
        ("javascript:window.download_file('a', 'https://x.vn/f/a.xlsx');", "https://x.vn/f/a.xlsx"),
        ("javascript:void(0)", None),
        ("javascript:downloadfile('no file here')", None),
        ("/Upload/files/ke-hoach.pdf", None),
        (None, None),
    ],
)
def test_script_download_target(href, expected):
    assert script_download_target(href) == expected


def test_a_portal_box_of_new_documents_is_not_the_articles_attachments():
    """A "Văn bản mới" box in a column no class marks as a sidebar, its files behind the
    same download script as the article's own: only the article's file is its."""
    from conftest import read_article

    body = "".join(
        f"<p>Đoạn {n}: Sở Nội vụ tổ chức hội nghị triển khai Luật Thi đua, khen thưởng năm "
        "2022 cho cán bộ làm công tác thi đua của các cơ quan, đơn vị trên địa bàn.</p>"
        for n in range(4)
    )
    html = (
        "<html><head><title>Hội nghị triển khai Luật Thi đua, khen thưởng</title></head><body>"
        "<table><tr><td class='box_left'><h3 class='title_box'>Văn bản mới</h3><ul>"
        "<li><a href=\"javascript:downloadfile('QĐ 1106','/data/files/vanban/qd-1106.pdf')\">"
        "1106/QĐ-UBND</a></li></ul></td><td class='main'>"
        "<div class='title_news'>Hội nghị triển khai Luật Thi đua, khen thưởng</div>"
        f"<div class='content_news'>{body}<p><a href=\"javascript:downloadfile('Tài liệu',"
        "'/data/files/tai-lieu-hoi-nghi.pdf')\">Tài liệu hội nghị</a></p></div>"
        "</td></tr></table></body></html>"
    )
    article = read_article(html, "https://giolinh.example.gov.vn/chi-tiet/1588/hoi-nghi")
    assert [a["url"] for a in article["attachments"]] == [
        "https://giolinh.example.gov.vn/data/files/tai-lieu-hoi-nghi.pdf"
    ]
