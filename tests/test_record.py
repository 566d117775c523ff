"""``khotin record``: a page becomes a test case in one command, and the case loader
reads it back as the same Page, with the same extraction."""

from __future__ import annotations

import json
import tomllib

from scraper.sample_portal.site import article_path, load_articles

from case_files import Case
from conftest import run_khotin

ARTICLE = next(a for a in load_articles() if a["id"] == 2105)


def test_record_saves_the_page_and_a_draft_the_cases_read_back(portal, tmp_path):
    url = portal.url.rstrip("/") + article_path(ARTICLE)
    cases = tmp_path / "cases"
    result = run_khotin(
        "record", url, "--site", "sample-sonoivu", "--name", "ke-hoach-4846", "--cases", str(cases)
    )
    assert result.returncode == 0, result.stderr
    folder = cases / "sample-sonoivu" / "ke-hoach-4846"
    assert f"recorded {url} as {folder}" in result.stdout
    meta = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    assert meta["url"] == url and meta["kind"] == "article"
    assert meta["content_type"].startswith("text/html")
    assert meta["fetched_at"][:4] >= "2026"
    assert "DRAFT" in meta["description"]
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert expected["title"] == ARTICLE["title"]
    assert expected["published_at"] == "2019-10-02T15:42:26+07:00"
    assert expected["authors"] == ["Nguyễn Thị Lê"]
    # The exact bytes, and the case loader reads them as the same Page and article.
    case = Case("sample-sonoivu", "ke-hoach-4846", folder)
    assert case.page().body == (folder / "page.html").read_bytes()
    found = case.extract()
    assert {k: found[k] for k in expected} == expected

    again = run_khotin(
        "record", url, "--site", "sample-sonoivu", "--name", "ke-hoach-4846", "--cases", str(cases)
    )
    assert again.returncode == 2 and "already exists" in again.stderr
    assert json.loads((folder / "expected.json").read_text(encoding="utf-8")) == expected


def test_a_saved_file_is_recorded_under_a_name_from_its_hash_not_its_url(tmp_path):
    saved = tmp_path / "page.html"
    saved.write_text(
        "<html><body><h1>Hội nghị tổng kết công tác thi đua, khen thưởng năm 2023</h1>"
        "<p>Ngày đăng: 05/01/2024</p><div class='noi-dung'><p>"
        + "Sở Nội vụ tổ chức hội nghị tổng kết công tác thi đua khen thưởng. " * 5
        + "</p></div></body></html>",
        encoding="utf-8",
    )
    cases = tmp_path / "cases"
    result = run_khotin(
        "record",
        str(saved),
        "--url",
        "https://snv.example.gov.vn/../../../tin/a.html",
        "--fetched-at",
        "2024-01-06T09:00:00+07:00",
        "--cases",
        str(cases),
    )
    assert result.returncode == 0, result.stderr
    (folder,) = (cases / "_generic").iterdir()
    assert folder.name.startswith("page-") and len(folder.name) == len("page-") + 12
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert expected["title"] == "Hội nghị tổng kết công tác thi đua, khen thưởng năm 2023"
    assert expected["published_at"] == "2024-01-05"
    meta = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    assert meta["fetched_at"] == "2024-01-06T09:00:00+07:00"
