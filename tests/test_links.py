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
