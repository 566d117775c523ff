"""The ``khotin`` command line as a user meets it: outputs, and one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest

from scraper.sample_portal.site import SamplePortal, article_path, load_articles

from conftest import ROOT, run_khotin


def test_parse_date_prints_one_result_a_line():
    result = run_khotin(
        "parse-date",
        "--now",
        "2024-03-28T10:00:00+07:00",
        "Thứ tư, 02/10/2019 | 15:42:26 GMT+7",
        "Ngày đăng: 02/10/2019",
        "không có ngày",
        "2 giờ trước",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n") == [
        "2019-10-02T15:42:26+07:00",
        "2019-10-02",
        "",
        "2024-03-28T08:00:00+07:00",
        "",
    ]


def test_parse_date_reads_stdin():
    result = run_khotin("parse-date", "-", stdin="Hà Nội, ngày 24 tháng 9 năm 2019\n02.10.2019\n")
    assert result.stdout.split("\n") == ["2019-09-24", "2019-10-02", ""]


def test_extract_a_saved_page(tmp_path):
    article = next(a for a in load_articles() if a["id"] == 2105)
    page = SamplePortal().get(article_path(article))
    saved = tmp_path / "page.html"
    saved.write_bytes(page.body)
    url = "https://sonoivu.binhduong.gov.vn" + article_path(article)
    result = run_khotin("extract", "--site", "sample-sonoivu", "--url", url, str(saved))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {
        "url",
        "canonical_url",
        "site_id",
        "title",
        "summary",
        "body_text",
        "category",
        "published_at",
        "published_raw",
        "updated_at",
        "byline",
        "authors",
        "source_unit",
        "attachments",
        "related",
        "images",
        "doc_refs",
        "field_sources",
    }
    assert data["url"] == url
    assert data["published_at"] == "2019-10-02T15:42:26+07:00"
    assert data["authors"] == ["Nguyễn Thị Lê"]
    assert data["attachments"][0]["url"] == (
        "https://sonoivu.binhduong.gov.vn/Upload/files/4846-KH-UBND.pdf"
    )


def test_extract_without_profile_uses_generic_layers(tmp_path):
    article = next(a for a in load_articles() if a["id"] == 2105)
    saved = tmp_path / "page.html"
    saved.write_bytes(SamplePortal().get(article_path(article)).body)
    result = run_khotin("extract", "--url", "http://example.gov.vn/a.html", str(saved))
    data = json.loads(result.stdout)
    assert data["title"] == article["title"]
    assert data["field_sources"]["title"].startswith("generic.")
    assert data["published_at"] == "2019-10-02T15:42:26+07:00"


def test_sites_lists_profiles():
    result = run_khotin("sites")
    assert result.returncode == 0
    assert any(
        line.split()[:3] == ["sample-sonoivu", "khotin-sample", "sample"]
        for line in result.stdout.splitlines()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("crawl", "no-such-site"), "unknown site 'no-such-site'"),
        (("crawl",), "name the sites to crawl"),
        (("extract", "/no/such/file.html"), "cannot read /no/such/file.html"),
        (("extract", "--url", "ftp://x/y", "README.md"), "not an http(s) URL"),
        (("crawl", "sample-sonoivu", "--base-url", "not a url"), "not an http(s) URL"),
        (("serve", "--db", "/no/such/archive.db"), "no archive here"),
        (("parse-date", "--now", "yesterday", "x"), "--now must be an ISO"),
        (("extract", "--site", "../etc/passwd", "README.md"), "unknown site"),
        (("crawl", "sample-sonoivu", "--db", "tests"), "is a directory"),
        (("crawl", "sample-sonoivu", "--db", "README.md"), "not a khotin archive"),
        (("serve", "--db", "README.md"), "not a khotin archive"),
        (("extract", "--fetched-at", "last week", "README.md"), "--fetched-at must be an ISO"),
        (("record", "README.md", "--name", "../../etc"), "use lower-case letters"),
    ],
)
def test_user_mistakes_get_one_clear_line(args, message):
    result = run_khotin(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_demo_no_serve_builds_the_archive(tmp_path):
    db = tmp_path / "demo.db"
    # A free port for the portal: `make test` must pass while `khotin demo` holds 8721.
    result = run_khotin("demo", "--no-serve", "--db", str(db), "--portal-port", "0")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "sample-sonoivu" in result.stdout and db.is_file()


def test_serve_on_a_busy_port_is_a_clear_error(crawled_db):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_khotin("serve", "--db", str(crawled_db), "--port", str(port))
    assert result.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr
    assert "--port N" in result.stderr
    assert "Traceback" not in result.stderr


def test_version():
    result = run_khotin("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"khotin \d+\.\d+\.\d+\S*\n", result.stdout)


def test_serve_announces_its_url_once_serving(served_archive):
    # The fixture read the announced URL from khotin serve's first line: it answers now.
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", served_archive.url)
    with urllib.request.urlopen(served_archive.url + "/", timeout=10) as response:
        assert response.status == 200
        assert "Kho tin" in response.read().decode("utf-8")


def test_scrapy_crawl_unknown_site_is_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "scrapy.cmdline", "crawl", "site", "-a", "site=nosuch"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and "unknown site 'nosuch'" in lines[0], lines
