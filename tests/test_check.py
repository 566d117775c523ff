"""`khotin check`: one listing and one article, field by field (here against loopback)."""

from __future__ import annotations

from conftest import run_khotin
from unseen_site import UnseenSite


def test_check_reports_each_field_of_a_working_profile(portal):
    result = run_khotin("check", "sample-sonoivu", "--base-url", portal.url)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "khotin check sample-sonoivu (sample; family khotin-sample)"
    assert "  article links: 10" in lines
    assert any(line.startswith("  next page:") and "trang-2.html" in line for line in lines)
    title = next(line for line in lines if line.startswith("  title "))
    assert title.split()[1] == "profile"
    published = next(line for line in lines if line.startswith("  published_at "))
    assert published.split()[1:3] == ["profile", "2019-12-26T15:38:02+07:00"]
    assert any(line.startswith("verdict: the profile works") for line in lines)


def test_check_says_broken_when_the_layout_changed():
    with UnseenSite() as site:
        result = run_khotin("check", "sample-sonoivu", "--base-url", site.url.rstrip("/") + "/")
    assert result.returncode == 1
    assert "verdict: BROKEN" in result.stdout


def test_check_says_broken_when_the_site_is_down():
    result = run_khotin("check", "sample-sonoivu", "--base-url", "http://127.0.0.1:9/")
    assert result.returncode == 1
    assert "verdict: BROKEN: cannot fetch" in result.stdout
    assert "Traceback" not in result.stderr


def test_check_says_broken_when_the_body_selector_finds_nothing(portal, tmp_path):
    """The generic layers would still find a body, but the profile is broken: a crawl
    would run on the fallback alone without anyone noticing."""
    import os

    from scraper.sites import SITES_DIR

    sites = tmp_path / "sites"
    sites.mkdir()
    profile = (SITES_DIR / "sample-sonoivu.toml").read_text(encoding="utf-8")
    (sites / "broken-body.toml").write_text(
        profile.replace('id = "sample-sonoivu"', 'id = "broken-body"').replace(
            'body = "div.news-detail div.news-content"', 'body = "div.no-such-body"'
        ),
        encoding="utf-8",
    )
    result = run_khotin(
        "check",
        "broken-body",
        "--base-url",
        portal.url,
        env={**os.environ, "KHOTIN_SITES": str(sites)},
    )
    assert result.returncode == 1, result.stdout
    assert (
        "verdict: BROKEN: body_text: the profile's selector 'div.no-such-body' found nothing"
        in (result.stdout)
    )


def test_check_extract_and_record_obey_robots_txt_as_the_crawl_does(tmp_path):
    """Protego, as Scrapy: a wildcard rule the standard library's parser would miss."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = b"User-agent: *\nDisallow: /tin-*-kien\n" if self.path == "/robots.txt" else b""
            self.send_response(200 if self.path == "/robots.txt" else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        result = run_khotin("check", "sample-sonoivu", "--base-url", base)
        # extract and record fetch through the same door.
        page = base + "tin-tuc-su-kien/bai-1.html"
        extracted = run_khotin("extract", page)
        recorded = run_khotin("record", page, "--cases", str(tmp_path))
    finally:
        server.shutdown()
    assert result.returncode == 1
    assert "robots.txt forbids" in result.stdout
    for refused in (extracted, recorded):
        assert refused.returncode == 2
        assert f"robots.txt forbids {page}: khotin will not fetch it" in refused.stderr
    assert not any(tmp_path.iterdir())
