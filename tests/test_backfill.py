"""`khotin backfill`: a site's past read from a web archive, here a stand-in for the
Wayback Machine on loopback (tests/wayback_standin.py), through the real command line,
a real Scrapy run and a real archive file.

The site is the Sở Nội vụ tỉnh Bình Dương (profile sonoivu-binhduong-old), whose layout
the sample portal copies: its pages are the captures, under the site's own addresses
captured as http and https, with and without www and :80, over the years.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from wayback_standin import StandInCapture, WaybackStandIn

from scraper.sample_portal.site import SamplePortal, article_path, load_articles

from conftest import ROOT, run_khotin, start_khotin

SITE = "http://sonoivu.binhduong.gov.vn"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _article(published: str) -> dict:
    return next(a for a in load_articles() if a["published"].startswith(published))


SAMPLE = _article("02/10/2019")  # the article this project started from
OTHER = _article("26/12/2019")
THIRD = _article("20/12/2019")
FOURTH = _article("17/12/2019")


def _page(article: dict, **edits: str) -> bytes:
    portal = SamplePortal(
        [{**a, **edits} if a["id"] == article["id"] else a for a in load_articles()]
    )
    return portal.get(article_path(article)).body


ERROR_PAGE = (
    "<html><head><title>Không tìm thấy trang</title></head><body><div class='news-detail'>"
    "<h1>Không tìm thấy trang</h1><p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa.</p>"
    "</div></body></html>"
).encode()
NUKEVIET = ROOT / "tests/unseen/tuning/nukeviet4-egov/case-1"


def captures(*, stall: bool = False, slow: float = 0.0) -> list[StandInCapture]:
    """The site's captures, in the CDX's order, on two pages."""
    sample_path = article_path(SAMPLE)
    edited_title = "Kế hoạch tổ chức Hội nghị điển hình tiên tiến (sửa lần 2)"
    found = [
        # Page 1. The 2021 capture of the sample article (edited since) comes before
        # its 2019 capture: the current text is still the 2021 one.
        StandInCapture(
            "20210301000000",
            f"{SITE}:80{sample_path}",
            _page(SAMPLE, title=edited_title),
            digest="A2",
        ),
        StandInCapture(
            "20191003090000", f"{SITE}/tin-tuc-su-kien", b"<html>list</html>", digest="L1"
        ),
        StandInCapture("20191227080000", f"{SITE}{article_path(OTHER)}", _page(OTHER), digest="B1"),
        StandInCapture(
            "20220101000000",
            f"{SITE}/tin-tuc-su-kien/bai-viet-da-xoa-555.html",
            ERROR_PAGE,
            digest="E1",
        ),
        StandInCapture(
            "20220201000000",
            f"{SITE}/tin-tuc-su-kien/bai-chuyen-huong-556.html",
            b"",
            digest="R1",
            redirect_to=f"/web/20220202000000id_/{SITE}/",
        ),
        StandInCapture("20191228000000", f"{SITE}/Upload/logo.png", b"PNG", "image/png", "I1"),
        # Page 2: the 2019 capture of the sample article, a duplicate of it under
        # https and www, a 429 the archive asks to wait for, a page in another layout.
        StandInCapture(
            "20191003090000", f"{SITE}{sample_path}", _page(SAMPLE), digest="A1", page=2
        ),
        StandInCapture(
            "20200505000000",
            f"https://www.sonoivu.binhduong.gov.vn{sample_path}",
            _page(SAMPLE),
            digest="A1",
            page=2,
        ),
        StandInCapture(
            "20191221000000",
            f"{SITE}{article_path(THIRD)}",
            _page(THIRD),
            digest="C1",
            too_many_first=1,
            page=2,
        ),
        StandInCapture(
            "20240601000000",
            f"{SITE}/tin-tuc-su-kien/hoi-nghi-tap-huan-danh-gia-xep-loai-1872.html",
            (NUKEVIET / "page.html").read_bytes(),
            digest="N1",
            page=2,
        ),
        StandInCapture(
            "20191218000000",
            f"{SITE}{article_path(FOURTH)}",
            _page(FOURTH),
            digest="F1",
            stall_seconds=4.0 if stall else 0.0,
            page=2,
        ),
        StandInCapture(
            "20191004000000",
            f"{SITE}/tin-tuc-su-kien/trang-2.html",
            b"<html/>",
            digest="L2",
            page=2,
        ),
    ]
    for capture in found:
        capture.delay_seconds = slow
    return found


def standin(found: list[StandInCapture], form: str = "json") -> WaybackStandIn:
    pdf = f"/web/20191003090000id_/{SITE}/Upload/files/4846-KH-UBND.pdf"
    return WaybackStandIn(
        found,
        form=form,
        # The archive sends a file to its nearest capture.
        file_redirects={pdf: f"/web/20191005000000id_/{SITE}/Upload/files/4846-KH-UBND.pdf"},
        files={
            f"/web/20191005000000id_/{SITE}/Upload/files/4846-KH-UBND.pdf": (
                "application/pdf",
                PDF,
            )
        },
    )


@pytest.fixture
def quick_profile(tmp_path: Path) -> dict[str, str]:
    """The bundled profile with a short timeout, from a local profile folder (so a
    stalled capture costs seconds, not minutes)."""
    folder = tmp_path / "sites"
    folder.mkdir()
    text = (ROOT / "scraper/sites/sonoivu-binhduong-old.toml").read_text(encoding="utf-8")
    (folder / "sonoivu-binhduong-old.toml").write_text(
        text + "\n[crawl]\ndownload_timeout = 2.0\n", encoding="utf-8"
    )
    import os

    return {**os.environ, "KHOTIN_SITES": str(folder)}


def backfill(archive: WaybackStandIn, db: Path, env: dict[str, str], *extra: str):
    return run_khotin(
        "backfill",
        "sonoivu-binhduong-old",
        "--wayback-url",
        archive.url,
        "--db",
        str(db),
        "--delay",
        "0",
        *extra,
        env=env,
    )


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def state(db: Path) -> tuple[list, list]:
    """Articles and versions as a reader sees them (not when khotin wrote them)."""
    articles = rows(
        db,
        "SELECT url_key, title, published_at, authors, provenance, content_at "
        "FROM articles ORDER BY url_key",
    )
    versions = rows(
        db,
        "SELECT a.url_key, v.title, v.seen_at, v.source FROM article_versions v "
        "JOIN articles a ON a.id = v.article_id ORDER BY a.url_key, v.seen_at",
    )
    return articles, versions


def test_a_backfill_reads_each_article_once_with_its_provenance_and_versions(
    tmp_path, quick_profile
):
    db = tmp_path / "khotin.db"
    found = captures(stall=True)
    with standin(found) as archive:
        first = backfill(archive, db, quick_profile)
        # The stalled capture was not given: the run says so and keeps it pending.
        assert first.returncode == 3, first.stdout + first.stderr[-2000:]
        assert "PARTIAL" in first.stderr and "captures not given" in first.stderr
        # Pending too: the https/www capture of content being fetched under another
        # address this run (the next run knows it was read, and settles it unfetched).
        assert "2 captures still to fetch" in first.stdout
        archive.stalling = False
        fetched_before = sum(archive.fetched(c) for c in found)
        second = backfill(archive, db, quick_profile)
        assert second.returncode == 0, second.stdout + second.stderr[-2000:]
        # Only the one left pending was asked for again.
        stalled = next(c for c in found if c.stall_seconds)
        assert sum(archive.fetched(c) for c in found) - fetched_before == 1
        assert archive.fetched(stalled) >= 2
        fetched_before = sum(archive.fetched(c) for c in found)
        third = backfill(archive, db, quick_profile)
        assert third.returncode == 0, third.stderr[-2000:]
        assert sum(archive.fetched(c) for c in found) == fetched_before  # incremental
        assert len(archive.cdx_queries) == 6  # the list itself is read again, two pages
        # Never fetched: listing pages (by the profile's patterns), the image, the duplicate.
        for capture in found:
            if capture.digest in ("L1", "L2", "I1") or capture.timestamp == "20200505000000":
                assert archive.fetched(capture) == 0, capture.original
        # The 429 was waited out and asked again.
        assert next(c for c in found if c.too_many_first).asked == 2

    sample_key = "sonoivu.binhduong.gov.vn" + article_path(SAMPLE)
    articles = {row[0]: row for row in state(db)[0]}
    # Five articles: the sample, three others, the page in another layout; never the
    # error page, the redirect, the listing pages or the duplicate.
    assert len(articles) == 5, sorted(articles)
    assert not any("bai-viet-da-xoa" in k or "chuyen-huong" in k for k in articles)
    key, title, published, authors, provenance, content_at = articles[sample_key]
    assert title == "Kế hoạch tổ chức Hội nghị điển hình tiên tiến (sửa lần 2)"
    assert published == "2019-10-02T15:42:26+07:00"
    assert json.loads(authors) == ["Nguyễn Thị Lê"]
    assert provenance == "web-archive"
    assert content_at.startswith("2021-03-01T00:00:00")
    # The 2019 capture, fetched after the 2021 one, is the older version.
    versions = [v for v in state(db)[1] if v[0] == sample_key]
    assert [(v[1], v[2][:10], v[3]) for v in versions] == [
        (SAMPLE["title"], "2019-10-03", "web-archive")
    ]
    # The other layout (a NukeViet 4 page) read by the profile's generic fallback.
    expected = json.loads((NUKEVIET / "expected.json").read_text(encoding="utf-8"))
    nukeviet = articles[
        "sonoivu.binhduong.gov.vn/tin-tuc-su-kien/hoi-nghi-tap-huan-danh-gia-xep-loai-1872.html"
    ]
    assert nukeviet[1] == expected["title"]
    assert nukeviet[2] == expected["published_at"]
    assert json.loads(nukeviet[3]) == expected["authors"]

    # Provenance: each source with its capture time and the capture's own address.
    sources = rows(
        db,
        "SELECT s.source, s.seen_at, s.capture_url FROM article_sources s JOIN articles a "
        "ON a.id = s.article_id WHERE a.url_key = ? ORDER BY s.seen_at",
        sample_key,
    )
    assert [(s[0], s[1][:10]) for s in sources] == [
        ("web-archive", "2019-10-03"),
        ("web-archive", "2021-03-01"),
    ]
    assert all(s[2].startswith(archive.url + "/web/") and "id_/" in s[2] for s in sources)
    # The capture's bytes are kept (the WARC store), with the capture time.
    raw = rows(
        db,
        "SELECT r.fetched_at, r.url FROM raw_pages r JOIN article_sources s "
        "ON s.raw_page_id = r.id JOIN articles a ON a.id = s.article_id WHERE a.url_key = ? "
        "ORDER BY r.fetched_at",
        sample_key,
    )
    assert [r[0][:10] for r in raw] == ["2019-10-03", "2021-03-01"]
    # The attachment was fetched from the archive (its nearest capture) and indexed.
    files = rows(db, "SELECT url, kind, size FROM attachment_files WHERE sha256 IS NOT NULL")
    assert (f"{SITE}/Upload/files/4846-KH-UBND.pdf", "pdf", len(PDF)) in files
    # The ledger says what each capture was.
    outcomes = dict(rows(db, "SELECT original || ' ' || timestamp, outcome FROM captures"))
    assert outcomes[f"{SITE}/tin-tuc-su-kien/bai-viet-da-xoa-555.html 20220101000000"] == (
        "error-page"
    )
    assert outcomes[f"{SITE}/tin-tuc-su-kien/bai-chuyen-huong-556.html 20220201000000"] == (
        "redirect"
    )
    assert outcomes[f"{SITE}/tin-tuc-su-kien 20191003090000"] == "listing"
    assert outcomes[
        f"https://www.sonoivu.binhduong.gov.vn{article_path(SAMPLE)} 20200505000000"
    ] == ("duplicate")
    assert "pending" not in {o or "pending" for o in outcomes.values()}


def test_a_killed_backfill_rerun_ends_as_an_uninterrupted_one(tmp_path, quick_profile):
    whole_db = tmp_path / "whole.db"
    with standin(captures()) as archive:
        result = backfill(archive, whole_db, quick_profile)
        assert result.returncode == 0, result.stderr[-2000:]

    killed_db = tmp_path / "killed.db"
    found = captures(slow=0.4)
    with standin(found) as archive:
        import os
        import signal

        process = start_khotin(
            "backfill",
            "sonoivu-binhduong-old",
            "--wayback-url",
            archive.url,
            "--db",
            str(killed_db),
            "--delay",
            "0",
        )
        process_env = quick_profile  # the same profile folder for the rerun
        deadline = time.monotonic() + 120
        settled = 0
        while time.monotonic() < deadline and process.poll() is None:
            if killed_db.exists():
                try:
                    settled = rows(
                        killed_db, "SELECT count(*) FROM captures WHERE outcome = 'article'"
                    )[0][0]
                except sqlite3.OperationalError:
                    settled = 0
            if settled >= 2:
                os.kill(process.pid, signal.SIGKILL)
                break
            time.sleep(0.05)
        process.wait(timeout=30)
        assert 2 <= settled < 5, "the kill should land midway"
        done = {
            original + " " + timestamp
            for original, timestamp in rows(
                killed_db, "SELECT original, timestamp FROM captures WHERE outcome IS NOT NULL"
            )
        }
        fetched_before = {c.original + " " + c.timestamp: archive.fetched(c) for c in found}
        rerun = backfill(archive, killed_db, process_env)
        assert rerun.returncode == 0, rerun.stderr[-2000:]
        # No capture settled before the kill was fetched again.
        again = [
            key
            for key in done
            if key in fetched_before
            and archive.fetched(next(c for c in found if c.original + " " + c.timestamp == key))
            > fetched_before[key]
        ]
        assert again == []

    assert state(killed_db) == state(whole_db)


def test_the_plain_cdx_form_and_a_site_with_no_profile(tmp_path, quick_profile):
    db = tmp_path / "khotin.db"
    found = [c for c in captures() if c.digest in ("B1", "E1", "C1")]
    for capture in found:
        capture.page = 1
    found[-1].page = 2
    with standin(found, form="plain") as archive:
        result = run_khotin(
            "backfill",
            "--host",
            "sonoivu.binhduong.gov.vn",
            "--wayback-url",
            archive.url,
            "--db",
            str(db),
            "--delay",
            "0",
            env=quick_profile,
        )
        assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    titles = sorted(r[0] for r in rows(db, "SELECT title FROM articles"))
    assert titles == sorted([OTHER["title"], THIRD["title"]])
    assert rows(db, "SELECT DISTINCT site_id FROM articles") == [("sonoivu.binhduong.gov.vn",)]
    outcome = rows(db, "SELECT outcome FROM captures WHERE digest = 'E1'")[0][0]
    assert outcome == "error-page"


def test_a_capture_list_that_is_not_one_breaks_the_run_loudly(tmp_path, quick_profile):
    class Broken(WaybackStandIn):
        def _cdx(self, path):
            page = b"<html><body>Wayback Machine is temporarily offline</body></html>"
            return 200, {"Content-Type": "text/html"}, page, 0.0

    db = tmp_path / "khotin.db"
    with Broken(captures()) as archive:
        result = backfill(archive, db, quick_profile)
    assert result.returncode == 1
    assert "BROKEN: sonoivu-binhduong-old: the capture list could not be read" in result.stderr


def test_bad_backfill_arguments_are_clear_errors(tmp_path):
    db = str(tmp_path / "k.db")
    cases = [
        (("backfill", "--db", db), "name one site to backfill"),
        (("backfill", "sonoivu-binhduong-old", "--host", "x.gov.vn", "--db", db), "name one site"),
        (("backfill", "sonoivu-binhduong-old", "--from", "02/10/2019", "--db", db), "--from must"),
        (("backfill", "--host", "http://x/y", "--db", db), "--host wants a host name"),
        (("backfill", "nope", "--db", db), "unknown site 'nope'"),
    ]
    for args, message in cases:
        result = run_khotin(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert message in result.stderr, (args, result.stderr)


def test_the_sample_article_live_and_backfilled_is_one_article_with_two_sources(tmp_path):
    """Crawled live from the sample portal today, then backfilled from the archive's
    2019 captures (one as the site served it then, one of an earlier draft): one
    article, two sources, the live text current, the draft an older version."""
    from scraper.sample_portal.server import SamplePortalServer

    db = tmp_path / "khotin.db"
    path = article_path(SAMPLE)
    with SamplePortalServer() as portal:
        crawl = run_khotin("crawl", "sample-sonoivu", "--base-url", portal.url, "--db", str(db))
        assert crawl.returncode == 0, crawl.stderr[-2000:]
        host = portal.url.split("://", 1)[1].rstrip("/")
        found = [
            # The same page captured over https: the same article, the same text.
            StandInCapture("20191003090000", f"https://{host}{path}", _page(SAMPLE), digest="S1"),
            StandInCapture(
                "20191002100000",
                f"http://{host}{path}",
                _page(SAMPLE, title="Kế hoạch tổ chức Hội nghị điển hình tiên tiến"),
                digest="S0",
            ),
        ]
        with standin(found) as archive:
            result = run_khotin(
                "backfill",
                "sample-sonoivu",
                "--base-url",
                portal.url,
                "--wayback-url",
                archive.url,
                "--db",
                str(db),
                "--delay",
                "0",
            )
            assert result.returncode == 0, result.stdout + result.stderr[-2000:]
            assert all(archive.fetched(c) == 1 for c in found)
    key = f"{host}{path}"
    articles = rows(
        db, "SELECT id, title, provenance, content_source FROM articles WHERE url_key = ?", key
    )
    assert len(articles) == 1
    article_id, title, provenance, content_source = articles[0]
    assert (title, provenance, content_source) == (SAMPLE["title"], "live,web-archive", "live")
    sources = rows(
        db,
        "SELECT source, substr(seen_at, 1, 10) FROM article_sources WHERE article_id = ? "
        "ORDER BY seen_at",
        article_id,
    )
    assert sources[:2] == [("web-archive", "2019-10-02"), ("web-archive", "2019-10-03")]
    assert sources[2][0] == "live" and sources[2][1] >= "2026"
    versions = rows(
        db,
        "SELECT title, substr(seen_at, 1, 10) FROM article_versions WHERE article_id = ?",
        article_id,
    )
    assert versions == [("Kế hoạch tổ chức Hội nghị điển hình tiên tiến", "2019-10-02")]
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == len(load_articles())


def test_datasette_facets_and_queries_by_former_and_current_province(tmp_path, quick_profile):
    """Backfilled articles of the Sở Nội vụ tỉnh Bình Dương, found in Datasette by the
    province the site served (Bình Dương) and the one that became (Hồ Chí Minh)."""
    import asyncio

    from archive.serve import build_datasette

    db = tmp_path / "khotin.db"
    found = [c for c in captures() if c.digest in ("B1", "C1")]
    with standin(found) as archive:
        result = backfill(archive, db, quick_profile)
        assert result.returncode == 0, result.stderr[-2000:]
    datasette = build_datasette(db)

    def get(path: str, **params):
        response = asyncio.run(datasette.client.get(path, params=params))
        assert response.status_code == 200, response.text[:500]
        return response.json()

    data = get("/khotin/articles_by_province.json", _shape="objects")
    facets = data["facet_results"]
    facets = facets.get("results", facets)
    current = {v["value"]: v["count"] for v in facets["current_province_name"]["results"]}
    former = {v["value"]: v["count"] for v in facets["former_province_name"]["results"]}
    assert current == {"Thành phố Hồ Chí Minh": 2}
    assert former == {"Tỉnh Bình Dương": 2}
    provinces = get(
        "/khotin.json",
        sql="select era, count(*) as n, count(source) as sourced from provinces group by era",
        _shape="objects",
    )["rows"]
    assert {(r["era"], r["n"], r["sourced"]) for r in provinces} == {
        ("former", 63, 63),
        ("current", 34, 34),
    }
    for typed in ("Bình Dương", "binh-duong", "Hồ Chí Minh"):
        rows_ = get("/khotin/articles_of_province.json", province=typed, _shape="objects")["rows"]
        assert sorted(r["title"] for r in rows_) == sorted([OTHER["title"], THIRD["title"]]), typed
    merger = get("/khotin/merger_of_provinces.json", _shape="objects", _size="max")["rows"]
    assert len(merger) == 34
    hcm = next(r for r in merger if r["current_province"] == "Thành phố Hồ Chí Minh")
    assert set(hcm["former_provinces"].split(", ")) == {
        "Thành phố Hồ Chí Minh",
        "Tỉnh Bình Dương",
        "Tỉnh Bà Rịa - Vũng Tàu",
    }


def test_a_nightly_crawl_waits_for_a_backfill_batch_instead_of_skipping(tmp_path, portal):
    import threading
    from datetime import UTC, datetime

    from archive.lock import CrawlLock

    db = tmp_path / "khotin.db"
    batch = CrawlLock(db, kind="backfill").acquire()
    released: list[str] = []

    def finish_batch() -> None:
        time.sleep(2)
        released.append(datetime.now(UTC).isoformat(timespec="seconds"))
        batch.release()

    threading.Thread(target=finish_batch).start()
    crawl = run_khotin("crawl", "sample-sonoivu", "--base-url", portal.url, "--db", str(db))
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    started = rows(db, "SELECT started_at FROM crawl_runs")[0][0]
    assert released and started >= released[0]  # it ran, after the batch let go
    assert "a backfill batch (pid" in crawl.stderr and "the crawl starts when it ends" in (
        crawl.stderr
    )

    # A backfill does not wait for a crawl: it is refused, saying why.
    with CrawlLock(db):
        result = run_khotin("backfill", "sample-sonoivu", "--db", str(db))
    assert result.returncode == 2 and "another crawl is writing" in result.stderr


def test_a_backfilled_article_page_names_its_capture_and_cites_it(tmp_path, quick_profile):
    import asyncio

    from archive.serve import build_datasette

    db = tmp_path / "khotin.db"
    found = [c for c in captures() if c.digest == "B1"]
    with standin(found) as archive:
        result = backfill(archive, db, quick_profile)
        assert result.returncode == 0, result.stderr[-2000:]
        replay = f"{archive.url}/web/{found[0].timestamp}/{found[0].original}"
    article_id = rows(db, "SELECT id FROM articles")[0][0]
    datasette = build_datasette(db)
    page = asyncio.run(datasette.client.get(f"/article/{article_id}")).text
    assert "bản chụp của kho lưu trữ web ngày 27/12/2019" in page
    assert f'href="{replay}"' in page and "id_/" not in page.split("khotin-capture")[1][:300]
    apa = page.split('id="cite-apa">')[1].split("</p>")[0]
    assert f"Captured by a web archive on December 27, 2019: {replay}" in apa
