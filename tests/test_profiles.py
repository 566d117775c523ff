"""Site profiles are validated strictly: the error names the file and the key."""

from __future__ import annotations

import pytest

from scraper.sites import ProfileError, all_profiles, load_profile, load_profile_file

GOOD = """
id = "{id}"
name = "Sở Nội vụ"
base_url = "https://sonoivu.example.gov.vn/"
start_urls = ["/tin-tuc"]
[listing]
article_links = "h3 a"
"""


def write(tmp_path, text, name="site-x"):
    path = tmp_path / f"{name}.toml"
    path.write_text(text.format(id=name), encoding="utf-8")
    return path


def test_every_shipped_profile_loads():
    profiles = all_profiles()
    assert "sample-sonoivu" in {p.id for p in profiles}


def test_good_profile(tmp_path):
    profile = load_profile_file(write(tmp_path, GOOD))
    assert profile.absolute_start_urls() == ["https://sonoivu.example.gov.vn/tin-tuc"]
    assert profile.crawl.delay == 1.0 and profile.status == "unchecked"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD + "colour = 1\n", "unknown key 'colour'"),
        (GOOD + "[article]\ntitel = 'h1'\n", "unknown key 'titel' in [article]"),
        (GOOD.replace('start_urls = ["/tin-tuc"]', ""), "missing required key 'start_urls'"),
        (
            GOOD.replace('article_links = "h3 a"', 'next_page = "a.next"'),
            "[listing] is missing 'article_links'",
        ),
        (GOOD + "[crawl]\ndelay = 'slow'\n", "[crawl] delay must be a number, 0 or more"),
        (GOOD.replace("https://", "ftp://"), "base_url must be an http(s) URL"),
        ("id = ", "not valid TOML"),
    ],
)
def test_bad_profiles_name_file_and_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as error:
        load_profile_file(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_unknown_site_lists_known_ones():
    with pytest.raises(ProfileError, match="known sites: .*sample-sonoivu"):
        load_profile("nope")


def test_a_site_override_sets_what_the_profile_cannot():
    from conftest import read_article

    html = "<html><head><title>T</title></head><body><h1>Tiêu đề bài</h1></body></html>"
    url = (
        "https://sonoivu.sharepoint-list.example/Lists/TinTucSuKien/ChiTiet.aspx"
        "?ID=4815&Source=%2FLists%2FTinTucSuKien"
    )
    article = read_article(html, url, load_profile("sample-sharepoint-list"))
    assert article["url"] == url
    assert article["canonical_url"] == (
        "https://sonoivu.sharepoint-list.example/lists/tintucsukien/chitiet.aspx?ID=4815"
    )
    # The override replaces that one field; the rest keep the profile and generic layers.
    assert article["field_sources"]["canonical_url"] == "override"
    assert article["title"] == "Tiêu đề bài"
    assert article["field_sources"]["title"] != "override"
    plain = read_article(html, url, load_profile("sample-slug-portal"))
    assert plain["canonical_url"] == url
    assert "canonical_url" not in plain["field_sources"]
