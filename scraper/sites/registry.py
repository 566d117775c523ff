"""The 2025 merger of provinces, and a site profile for the provincial portal and the
Sở Nội vụ of every former province.

On 1 July 2025 Vietnam's 63 provinces and centrally-run cities became 34 (Nghị quyết
202/2025/QH15). ``registry/provinces.toml`` holds both lists, which former provinces
each current one absorbed, and the hosts of each former province's portal and Sở Nội
vụ, every fact with the source it was found in (a host nobody could source is kept
as a ``*_guess`` and said to be one). From it come:

- the ``provinces`` table of the archive (``province_rows``);
- one profile per former province and site (``portal-<code>``, ``noivu-<code>``):
  host and URL patterns, generic extraction, status ``unchecked``, availability
  ``unknown`` until a live check says otherwise. ``crawl --all`` skips them until then;
  ``khotin backfill`` reads them from web archives. A hand-written profile for the same
  host (``sonoivu-hanoi.toml``) takes the place of the registry's.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from scraper.parsing.captures import UrlPatterns
from scraper.parsing.rules import ListingRules

REGISTRY_FILE = Path(__file__).resolve().parent / "registry" / "provinces.toml"

# The addresses of articles and listing pages on the CMSs Vietnamese portals run
# (NukeViet, SharePoint, Liferay, DotNetNuke, WordPress, custom slug portals), for
# picking captures of a site whose own layout nobody has described yet.
GENERIC_URLS = UrlPatterns(
    article=(
        r"-\d{3,}\.(html?|aspx)$",
        r"/(tin-tuc|tin-tuc-su-kien|tin-hoat-dong|thong-bao|news|tintuc)/.+[-/]\d{3,}",
        r"(?i)chitiet|chi-tiet|view_detail|view-detail|newsdetail|/-/asset_publisher/.+/content/",
        r"(?i)[?&](itemid|newsid|news_id|articleid|id)=\d+",
        r"/\d{4}/\d{2}/[^/]+/?$",
        r"[?&]nv=news&op=[^&]+-\d+",
    ),
    listing=(
        # A page number after a list's address, not after an article's (comment pages).
        r"(?i)^(?![^?]*-\d{3,}\.(?:html?|aspx)\?)[^?]*[?&](page|pageindex|trang|paged|pagenumber)=\d+$",
        r"(?i)/(page|trang)[-/]\d{1,2}(\.html?)?/?$",
        r"(?i)(/allitems\.aspx|/tongquat\.aspx|/category/[^/]+/?$)",
        r"^https?://[^/]+/?$",
    ),
)


@cache
def _data() -> dict[str, Any]:
    with REGISTRY_FILE.open("rb") as handle:
        return tomllib.load(handle)


def province_rows() -> list[dict[str, Any]]:
    """The ``provinces`` table: every former and current province, with its sources."""
    data = _data()
    meta = data["meta"]
    legal = f"Nghị quyết số {meta['resolution']} ngày {meta['resolution_date']}"
    rows = []
    for era in ("former", "current"):
        for entry in data[era]:
            rows.append(
                {
                    "era": era,
                    "code": entry["code"],
                    "name": entry["name"],
                    "kind": entry["kind"],
                    "became": entry.get("current"),
                    "absorbed": json.dumps(entry["absorbed"], ensure_ascii=False)
                    if "absorbed" in entry
                    else None,
                    "seat": entry.get("seat"),
                    "effective": meta["effective"],
                    "legal_source": legal,
                    "source": entry.get("source") or _first(entry.get("host_sources")),
                }
            )
    return rows


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


def _current_source(code: str) -> str | None:
    for entry in _data()["current"]:
        if entry["code"] == code:
            return entry.get("source")
    return None


def former_province(code: str) -> tuple[str, str | None] | None:
    """(the current province it is part of, the source saying so) for a former one."""
    for entry in _data()["former"]:
        if entry["code"] == code:
            return entry["current"], _current_source(entry["current"])
    return None


def registry_profiles(taken: set[tuple[str, str]]) -> list[Any]:
    """A profile for each former province's portal and Sở Nội vụ that no hand-written
    profile covers (``taken``: (host lower case without ``www.``, "portal" or "noivu"))."""
    from scraper.sites import CrawlRules, SiteFacts, SiteProfile

    profiles = []
    for entry in _data()["former"]:
        for prefix, label, key in (
            ("portal", "Cổng thông tin điện tử", "portal_host"),
            ("noivu", "Sở Nội vụ", "home_affairs_host"),
        ):
            host = entry.get(key)
            sourced = host is not None
            host = host or entry.get(f"{key}_guess")
            if not host or (host.lower().removeprefix("www."), prefix) in taken:
                continue
            place = entry["name"]
            notes = (
                f"From the registry of the 2025 merger ({REGISTRY_FILE.name}): {label} of "
                f"{place} before 1 July 2025, now part of {entry['current']}. Host "
                + ("as found in the sources listed." if sourced else "GUESSED (not sourced).")
                + " Never checked against the live site: generic extraction until a profile "
                "is written; `khotin check` it before relying on it."
            )
            profiles.append(
                SiteProfile(
                    id=f"{prefix}-{entry['code']}",
                    name=f"{label} {place}",
                    base_url=f"https://{host}/",
                    start_urls=("/",),
                    listing=ListingRules(article_links=""),
                    family="generic",
                    status="unchecked",
                    notes=notes,
                    urls=GENERIC_URLS,
                    crawl=replace(CrawlRules(), max_listing_pages=100, max_articles=2000),
                    facts=SiteFacts(
                        availability="unknown",
                        former_province=entry["code"],
                        current_province=entry["current"],
                        province_source=_current_source(entry["current"]),
                        host_source=_first(entry.get("host_sources")) if sourced else "guess",
                        # A province merged into another: its portal's and department's
                        # work passed to those of the province it joined.
                        successor=f"{prefix}-{entry['current']}"
                        if entry["current"] != entry["code"]
                        else None,
                        successor_source=_current_source(entry["current"])
                        if entry["current"] != entry["code"]
                        else None,
                    ),
                )
            )
    return profiles
