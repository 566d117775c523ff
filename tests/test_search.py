"""Search as people type: archive.search on a real crawled archive, and every search
entry point of a real ``khotin serve`` answering any input with results or a message."""

from __future__ import annotations

import sqlite3
import unicodedata

import httpx
import pytest

from archive.search import compile_query, fts_syntax_error, parse_query, search

SAMPLE_TITLE = "Kế hoạch tổ chức Hội nghị điển hình tiên tiến và Đại hội thi đua yêu nước"


@pytest.fixture(scope="module")
def conn(crawled_db):
    connection = sqlite3.connect(crawled_db)
    yield connection
    connection.close()


def ids(conn, text, **kwargs) -> set[int]:
    return {hit.id for hit in search(conn, text, size=100, **kwargs).hits}


def titles(conn, text, **kwargs) -> list[str]:
    return [hit.title for hit in search(conn, text, size=100, **kwargs).hits]


def test_parse_never_gives_fts_syntax_errors():
    for text in ['"', "OR", "-", "*", "((", 'a"b', "NOT", "ke hoach OR", '"a" OR -b', "x*y*"]:
        query = parse_query(text)
        assert query.fts is None or fts_syntax_error(query.fts) is None, text
        assert query.fts or query.note, text


@pytest.mark.parametrize(
    "typed",
    [
        "ke hoach thi dua",
        "kế hoach thi đua",
        "Kế Hoạch Thi Đua",
        "KE HOACH THI DUA",
        unicodedata.normalize("NFD", "kế hoạch thi đua"),
        "dai hoi thi dua",
        "4846/KH-UBND",
        "4846-kh-ubnd",
        "34/ct-tw",
        '"dai hoi thi dua"',
        '"đại hội thi đua"',
        "dien hinh tien tien 4846",
        "tien ti*",
    ],
)
def test_the_sample_article_is_found_however_it_is_typed(conn, typed):
    assert SAMPLE_TITLE in titles(conn, typed)


def test_half_accented_finds_what_accent_free_finds(conn):
    assert ids(conn, "kế hoach") <= ids(conn, "ke hoach")
    assert ids(conn, "kế hoach") == ids(conn, "kế hoạch")


def test_accented_words_stay_exact(conn):
    assert ids(conn, "thế") != ids(conn, "the") or not ids(conn, "thế")
    assert ids(conn, "thi đua") <= ids(conn, "thi dua")


def test_or_minus_and_phrases(conn):
    plans, decisions = ids(conn, "ke hoach"), ids(conn, "quyet dinh")
    assert ids(conn, "ke hoach OR quyet dinh") == plans | decisions
    assert ids(conn, "ke hoach -quyet") == plans - ids(conn, "quyet")
    assert ids(conn, '"thi dua yeu nuoc"') <= ids(conn, "thi dua yeu nuoc")


def test_results_sort_by_relevance_or_date_and_carry_snippets(conn):
    by_date = search(conn, "thi dua", sort="date", size=100)
    dates = [h.published_at for h in by_date.hits]
    assert dates == sorted(dates, reverse=True)
    by_relevance = search(conn, "thi dua", size=100)
    assert {h.id for h in by_relevance.hits} == {h.id for h in by_date.hits}
    assert by_relevance.total == by_date.total == len(by_date.hits)
    sample = next(h for h in by_relevance.hits if h.title == SAMPLE_TITLE)
    assert "<mark>thi</mark> <mark>đua</mark>" in sample.snippet_html


def test_snippets_escape_what_they_show(crawled_db, tmp_path):
    from archive.search import highlight, highlight_patterns

    patterns = highlight_patterns(parse_query("ke hoach"))
    assert highlight("<b>Kế hoạch</b> & Đà", patterns) == (
        "&lt;b&gt;<mark>Kế</mark> <mark>hoạch</mark>&lt;/b&gt; &amp; Đà"
    )


def test_facets_count_matches(conn):
    results = search(conn, "thi dua")
    assert dict(results.facets["site_id"]) == {"sample-sonoivu": results.total}
    assert dict(results.facets["published_year"]) == {2019: results.total}
    assert dict(results.facets["doc_type"]).get("KH", 0) >= 1
    narrowed = search(
        conn, "thi dua", filters=__import__("archive.search").search.Filters(doc_type="CT")
    )
    assert 0 < narrowed.total < results.total


def test_raw_mode_valid_and_invalid():
    assert compile_query("title:thi", raw=True).fts == "title:thi"
    fallback = compile_query("thi AND (dua", raw=True)
    assert fallback.fts and "raw FTS5 syntax not valid" in fallback.note


# -- every entry point, any input ----------------------------------------------------

AWKWARD = [
    '"',
    '""',
    '"""',
    "'",
    "''",
    "`",
    "\\",
    "/",
    "-",
    "--",
    "*",
    "**",
    "+",
    "^",
    "~",
    ":",
    "OR",
    "AND",
    "NOT",
    "OR OR",
    "AND OR NOT",
    "NEAR",
    "NEAR(a b)",
    "NEAR(",
    "(",
    ")",
    "((",
    "))",
    "[",
    "]",
    "{}",
    "<>",
    "<script>alert(1)</script>",
    "ke hoach OR",
    "OR ke hoach",
    "-ke",
    "-ke -hoach",
    '-"thi dua"',
    "ke*",
    "*ke",
    "k*e",
    "ke**",
    '"ke hoach',
    'ke hoach"',
    'ke "hoach',
    "title:ke",
    "title:",
    ":ke",
    "{title}:ke",
    "ke:hoach",
    "a AND",
    "^ke",
    "ke^2",
    "ke~",
    "ke hoach -",
    "34-CT/TW",
    "34/CT-TW",
    "123/QĐ-UBND",
    "QĐ",
    "qd",
    "đ",
    "Đ",
    "ĐẠI HỘI",
    "dai hoi thi dua",
    "kế hoach",
    "Ủy ban",
    "Uỷ ban",
    "hoà",
    "hòa",
    unicodedata.normalize("NFD", "Đại hội thi đua"),
    "🙂",
    "🙂 thi đua",
    "thi👍dua",
    "\u200b",
    "\u202ethi",
    "\x00",
    "ke\x00hoach",
    "\t\n",
    "   ",
    "%",
    "%25",
    "%22",
    "&",
    "#",
    "?",
    "=",
    ";",
    "ke;drop table articles",
    "select * from articles",
    "' OR 1=1 --",
    "日本語",
    "Привет",
    "العربية",
    "x" * 2000,
    "ke hoach " * 300,
    "(" * 500,
    '"' * 1001,
    "a" * 10_000,
]


def test_there_are_enough_awkward_queries():
    assert len(AWKWARD) >= 60


def _entry_points(query: str) -> list[tuple[str, dict[str, str]]]:
    return [
        ("/search", {"q": query}),
        ("/search.json", {"q": query}),
        ("/search.atom", {"q": query}),
        ("/search", {"q": query, "mode": "raw", "sort": "date"}),
        ("/trends", {"q": query}),
        ("/khotin/articles", {"_search": query}),
        ("/khotin/articles.json", {"_search": query}),
        ("/khotin/articles.json", {"_search": query, "_searchmode": "raw"}),
        ("/khotin/articles", {"_search_title": query}),
    ]


def test_every_entry_point_answers_any_input(served_archive):
    problems = []
    with httpx.Client(base_url=served_archive.url, timeout=30) as client:
        for query in AWKWARD:
            for path, params in _entry_points(query):
                response = client.get(path, params=params)
                if response.status_code != 200:
                    problems.append(f"{path} {query[:30]!r}: {response.status_code}")
                    continue
                body = response.text
                if path.endswith(".json") and path.startswith("/khotin"):
                    ok = "rows" in response.json()
                elif path.endswith(".json"):
                    data = response.json()
                    ok = data["hits"] or data["notes"] or data["total"] == 0
                elif path.endswith(".atom"):
                    ok = "<feed" in body
                else:
                    ok = "khotin" in body
                if not ok:
                    problems.append(f"{path} {query[:30]!r}: neither results nor a message")
        home = client.get("/")
    assert home.status_code == 200
    assert problems == []
    log = served_archive.log()
    assert "ERROR" not in log and "Traceback" not in log, log[-3000:]


def test_search_page_tells_why_nothing_was_searched(served_archive):
    with httpx.Client(base_url=served_archive.url, timeout=30) as client:
        page = client.get("/search", params={"q": '"'}).text
        assert "nothing to search for" in page
        table = client.get("/khotin/articles", params={"_search": "((("}).text
        assert "nothing to search for" in table
        raw = client.get("/search", params={"q": "thi AND (dua", "mode": "raw"}).text
        assert "raw FTS5 syntax not valid" in raw
        found = client.get("/search.json", params={"q": "ke hoach OR quyet dinh"}).json()
        assert found["total"] > 0


def test_either_tone_placement_finds_both(tmp_path):
    from archive.store import Archive

    db = tmp_path / "tones.db"
    pages = {
        "https://x.example.gov.vn/1": "Uỷ ban nhân dân tỉnh ban hành kế hoạch hoà giải",
        "https://x.example.gov.vn/2": "Ủy ban nhân dân huyện họp về hòa giải ở cơ sở",
        "https://x.example.gov.vn/3": "Thủy lợi và thuỷ sản: quý III",
    }
    with Archive(db) as archive:
        archive.register_site({"id": "x", "name": "X"})
        for url, title in pages.items():
            archive.save_article({"url": url, "site_id": "x", "title": title})
    connection = sqlite3.connect(db)
    both = {"https://x.example.gov.vn/1", "https://x.example.gov.vn/2"}
    for typed in ("Ủy ban", "Uỷ ban", "ỦY BAN", "uy ban", "hòa giải", "hoà giải"):
        found = {hit.url for hit in search(connection, typed).hits}
        assert found == both, typed
    assert {h.url for h in search(connection, "thuỷ").hits} == {"https://x.example.gov.vn/3"}
    # Accented queries stay exact otherwise: "ủy" is not "uy" nor "úy".
    assert search(connection, "úy ban").total == 0
    hit = search(connection, "Uỷ ban").hits[0]
    assert "<mark>" in hit.title_html


def test_a_broad_search_reads_ranks_and_counts_only_the_newest_matches(conn, monkeypatch):
    """A word in most of a million articles: at most BROAD matches are read, the most
    recently archived, and the reader is told the total is a bound (here BROAD is made
    small so the 44 articles of the sample portal are "broad")."""
    import archive.search as search_module

    everything = search(conn, "so noi vu", size=100)
    assert everything.total > 10 and not everything.more
    monkeypatch.setattr(search_module, "BROAD", 10)
    broad = search(conn, "so noi vu", size=100)
    assert broad.more and broad.total == 10
    newest = sorted((h.id for h in everything.hits), reverse=True)[:10]
    assert sorted(h.id for h in broad.hits) == sorted(newest)
    assert "Tìm rộng" in (broad.query.note or "")
    by_date = search(conn, "so noi vu", size=100, sort="date")
    assert {h.id for h in by_date.hits} == set(newest)
    # Narrowed below the bound, the same search is exact again.
    narrow = search(conn, "4846/KH-UBND", size=100)
    assert not narrow.more and SAMPLE_TITLE in [h.title for h in narrow.hits]


def test_browsing_past_the_bound_keeps_the_newest_by_publication(tmp_path, monkeypatch):
    """Old articles backfilled after new ones get the highest ids: browsing newest first
    (a site's page, its feed) must still show the newest by publication."""
    import archive.search as search_module
    from archive.store import Archive

    db = tmp_path / "k.db"
    with Archive(db) as store:
        store.register_site({"id": "s", "name": "S"})
        for n, year in enumerate([2025] * 6 + [2016] * 12):
            store.save_article(
                {
                    "url": f"https://s.example.gov.vn/tin/{n}.html",
                    "site_id": "s",
                    "title": f"Tin số {n} năm {year}",
                    "body_text": "Nội dung bài viết về công tác của sở trong năm.",
                    "published_at": f"{year}-03-{1 + n:02d}",
                }
            )
    monkeypatch.setattr(search_module, "BROAD", 5)
    with sqlite3.connect(db) as conn:
        newest = search(conn, "", size=5, sort="date")
        assert newest.more and all(h.published_at.startswith("2025") for h in newest.hits)
        oldest = search(conn, "", size=5, sort="oldest")
        assert all(h.published_at.startswith("2016") for h in oldest.hits)
        assert [h.published_at for h in oldest.hits] == sorted(h.published_at for h in oldest.hits)
