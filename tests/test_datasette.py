"""Datasette's real app over a crawled archive: search, metadata, facets, canned queries."""

from __future__ import annotations

import asyncio
import unicodedata

import pytest

from archive.serve import build_datasette

SAMPLE_TITLE = "Kế hoạch tổ chức Hội nghị điển hình tiên tiến và Đại hội thi đua yêu nước"


@pytest.fixture(scope="module")
def datasette(crawled_db):
    return build_datasette(crawled_db)


def get(datasette, path: str, **params):
    return asyncio.run(datasette.client.get(path, params=params))


def search_titles(datasette, query: str) -> list[str]:
    response = get(
        datasette,
        "/khotin/articles.json",
        _search=query,
        _shape="objects",
        _col="title",
        _size="max",
    )
    assert response.status_code == 200, response.text
    return [row["title"] for row in response.json()["rows"]]


@pytest.mark.parametrize(
    "query",
    [
        "dai hoi thi dua",
        "Đại hội thi đua",
        "4846/KH-UBND",
        "ĐẠI HỘI THI ĐUA",
        unicodedata.normalize("NFD", "Đại hội thi đua"),
        "ke hoach 4846",
        "34-CT/TW",
    ],
)
def test_search_finds_the_sample_article(datasette, query):
    assert SAMPLE_TITLE in search_titles(datasette, query)


def test_accented_query_is_exact(datasette):
    # "đua" (compete) must not match "dua"-only words, while the folded query finds more.
    exact = search_titles(datasette, "thi đua")
    folded = search_titles(datasette, "thi dua")
    assert SAMPLE_TITLE in exact
    assert set(exact) <= set(folded)


def test_search_misses_what_is_not_there(datasette):
    assert search_titles(datasette, "bóng đá ngoại hạng") == []


def test_table_page_has_facets_and_newest_first(datasette):
    response = get(datasette, "/khotin/articles.json", _shape="objects")
    data = response.json()
    facets = data["facet_results"]
    facet_names = set(facets["results"]) if "results" in facets else set(facets)
    assert {"site_id", "category", "published_year"} <= facet_names
    assert data.get("suggested_facets", []) == []
    dates = [row["published_at"] for row in data["rows"]]
    assert dates == sorted(dates, reverse=True)


def test_metadata_describes_tables(datasette):
    html = get(datasette, "/khotin/articles").text
    assert "Publication moment, ISO 8601 with +07:00" in html or "One row per article" in html
    meta = datasette.metadata()
    assert meta["title"].startswith("khotin")


def test_canned_query_articles_citing_document(datasette):
    for typed in ("34-CT/TW", "34/CT-TW", "34 ct tw"):
        response = get(
            datasette, "/khotin/articles_citing_document.json", number=typed, _shape="objects"
        )
        assert response.status_code == 200, response.text
        assert SAMPLE_TITLE in [row["title"] for row in response.json()["rows"]]


def test_canned_queries_latest_and_range(datasette):
    latest = get(datasette, "/khotin/latest_per_site.json", _shape="objects").json()["rows"]
    assert 1 <= len(latest) <= 10 and latest[0]["site_id"] == "sample-sonoivu"
    rows = get(
        datasette,
        "/khotin/articles_in_date_range.json",
        start_date="2019-10-02",
        end_date="2019-10-02",
        _shape="objects",
    ).json()["rows"]
    assert SAMPLE_TITLE in [row["title"] for row in rows]
    assert all(row["published_at"].startswith("2019-10-02") for row in rows)


def test_archive_is_served_read_only(datasette):
    response = asyncio.run(
        datasette.client.post("/khotin/-/query", data={"sql": "delete from articles"})
    )
    assert response.status_code in (403, 405, 400, 404)
    response = get(datasette, "/khotin.json", sql="delete from articles")
    assert response.status_code == 400
    count = get(
        datasette, "/khotin.json", sql="select count(*) as n from articles", _shape="objects"
    ).json()["rows"][0]["n"]
    assert count > 40


def test_settings_limit_queries(datasette):
    settings = get(datasette, "/-/settings.json").json()
    assert settings["suggest_facets"] is False
    assert settings["sql_time_limit_ms"] <= 5000


@pytest.mark.parametrize(
    "path", ["//example.com/", "/\\example.com/", "/%5Cexample.com/", "/%2F%2Fexample.com/"]
)
def test_no_open_redirect(datasette, path):
    response = asyncio.run(datasette.client.get(path))
    location = response.headers.get("location", "")
    assert not location.startswith(("//", "/\\", "http")), location
    assert response.status_code in (400, 404) or location.startswith("/")


def test_csv_export_neutralises_formulas(crawled_db, tmp_path):
    import shutil
    import sqlite3

    db = tmp_path / "khotin.db"
    shutil.copy(crawled_db, db)
    with sqlite3.connect(db) as conn:
        conn.execute(
            'update articles set title = \'=HYPERLINK("http://evil.example","x")\' where id = 1'
        )
        conn.execute("update articles set summary = '@SUM(1+1)' where id = 1")
    served = build_datasette(db)
    response = asyncio.run(
        served.client.get("/khotin/articles.csv", params={"_col": ["title", "summary"], "id": "1"})
    )
    assert response.status_code == 200
    text = response.text
    assert "'=HYPERLINK" in text and "'@SUM(1+1)" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_stored_markup_is_shown_as_text(crawled_db, tmp_path):
    import shutil
    import sqlite3

    db = tmp_path / "khotin.db"
    shutil.copy(crawled_db, db)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "update articles set title = '<script>alert(1)</script><img src=x onerror=alert(2)>', "
            "url = 'javascript:alert(3)' where id = 1"
        )
    served = build_datasette(db)
    for path in ("/khotin/articles", "/khotin/articles/1"):
        html = asyncio.run(served.client.get(path)).text
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x onerror" not in html
        assert 'href="javascript:' not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_runaway_query_is_cut(datasette):
    runaway = (
        "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
    )
    response = get(datasette, "/khotin.json", sql=runaway)
    assert response.status_code == 400
    assert "too long" in response.text.lower()
    # and the server still answers afterwards
    assert get(datasette, "/khotin/articles.json", _size="1").status_code == 200


def test_table_facets_are_the_archives_counts_filtered_or_not(datasette, crawled_db):
    """Unfiltered, the facets come from the in-memory arrays; filtered, from SQL. Either
    way they are what a GROUP BY over the rows says."""
    import sqlite3

    def facets(**params):
        data = get(datasette, "/khotin/articles.json", _shape="objects", **params).json()
        results = data["facet_results"]
        results = results.get("results", results)
        return {name: {v["value"]: v["count"] for v in f["results"]} for name, f in results.items()}

    with sqlite3.connect(crawled_db) as conn:
        years = dict(
            conn.execute(
                "select published_year, count(*) from articles where published_year is not null "
                "group by 1"
            )
        )
        in_2019 = dict(
            conn.execute(
                "select category, count(*) from articles where published_year = 2019 group by 1"
            )
        )
    unfiltered = facets()
    assert unfiltered["published_year"] == years
    assert sum(unfiltered["site_id"].values()) == sum(years.values())
    assert facets(published_year="2019")["category"] == in_2019
