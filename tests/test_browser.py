"""What a person sees, in a real headless Chromium (Debian's ``chromium``, driven by
Playwright) on a real ``khotin serve`` of a crawled sample archive.

home → search "ke hoach thi dua" → the sample article (date, byline, paragraphs,
attachment bytes, a cited document) → the other articles citing it → the archived page
→ the cite block, copied. Every request the browser makes is recorded: none may leave
the archive's own origin. Screenshots go to ``test-output/browser/``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("KHOTIN_TEST_OUTPUT", ROOT / "test-output")) / "browser"
SAMPLE_TITLE = "Kế hoạch tổ chức Hội nghị điển hình tiên tiến và Đại hội thi đua yêu nước"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    why = "Debian's chromium is not installed (`make browser` installs it)"
    if os.environ.get("KHOTIN_REQUIRE_BROWSER"):
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def test_a_journalist_finds_reads_follows_and_cites(browser, served_archive, crawled_db):
    SHOTS.mkdir(parents=True, exist_ok=True)
    origin = urlsplit(served_archive.url).netloc
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_archive.url)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()

    # Home: the search box comes first.
    page.goto(served_archive.url + "/")
    assert page.locator("input#khotin-q").is_visible()
    assert page.locator("h1").first.inner_text().startswith("Kho tin")
    page.screenshot(path=SHOTS / "1-home.png", full_page=True)

    # Search without accents.
    page.fill("input#khotin-q", "ke hoach thi dua")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=ke+hoach+thi+dua*")
    result = page.locator("a.khotin-title", has_text=SAMPLE_TITLE)
    assert result.count() == 1
    assert page.locator("p.khotin-snippet mark").count() > 0
    page.screenshot(path=SHOTS / "2-search.png", full_page=True)

    # The article reads like the original.
    result.click()
    page.wait_for_url("**/article/*")
    assert page.locator("h1.khotin-headline").inner_text() == SAMPLE_TITLE
    assert page.locator("time.khotin-published").inner_text() == "Thứ Tư, 02/10/2019 15:42"
    assert page.locator("time.khotin-published").get_attribute("datetime") == (
        "2019-10-02T15:42:26+07:00"
    )
    assert page.locator(".khotin-authors").inner_text() == "Nguyễn Thị Lê"
    assert page.locator(".khotin-unit").inner_text() == "Ban Thi đua - Khen thưởng"
    paragraphs = page.locator(".khotin-body p").all_inner_texts()
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Ngày 24/9/2019, UBND tỉnh Bình Dương ban hành Kế hoạch")
    page.screenshot(path=SHOTS / "3-article.png", full_page=False)
    article_url = page.url

    # The attachment opens from the archive's store: the stored bytes, as a PDF.
    link = page.locator("a.khotin-file").first
    href = link.get_attribute("href")
    assert href.startswith("/file/")
    sha = href.rsplit("/", 1)[1]
    response = page.request.get(served_archive.url + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == sha
    stored = crawled_db.parent / "files" / sha[:2] / sha[2:4] / sha
    assert body == stored.read_bytes()

    # A cited document → every article citing it.
    page.locator("a.khotin-docnum", has_text="05/CT-TW").click()
    page.wait_for_url("**/doc/05cttw")
    with sqlite3.connect(crawled_db) as conn:
        citing = {
            row[0]
            for row in conn.execute(
                "SELECT a.title FROM doc_refs d JOIN articles a ON a.id = d.article_id "
                "WHERE d.number_key = '05cttw'"
            )
        }
    assert set(page.locator("a.khotin-title").all_inner_texts()) == citing
    assert len(citing) >= 2
    page.screenshot(path=SHOTS / "4-document.png", full_page=True)

    # The page as it was fetched: sanitised, sandboxed, under the archive's banner.
    page.goto(article_url)
    page.locator("a.khotin-archived-link").click()
    page.wait_for_url("**/archived")
    assert "Bản lưu của kho tin" in page.locator(".khotin-banner").inner_text()
    frame = page.frame_locator("iframe.khotin-replay")
    frame.locator("body").wait_for()
    assert "Kế hoạch số 4846/KH-UBND" in frame.locator("body").inner_text()
    assert frame.locator("script").count() == 0 and frame.locator("img").count() == 0
    page.screenshot(path=SHOTS / "5-archived.png", full_page=False)

    # Cite it: one click copies the citation.
    page.goto(article_url)
    apa = page.locator("#cite-apa").inner_text()
    assert SAMPLE_TITLE in apa and "(2019, October 2)" in apa and article_url in apa
    assert "http://" in apa.split(SAMPLE_TITLE, 1)[1]  # the source URL too
    page.locator("button.khotin-copy[data-copy=cite-vn]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#cite-vn").inner_text().strip()
    assert "truy cập ngày" in copied
    page.locator(".khotin-cite").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "6-cite.png", full_page=False)

    context.close()
    elsewhere = [
        url
        for url in requests
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != origin
    ]
    assert requests and elsewhere == []
