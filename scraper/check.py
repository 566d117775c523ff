"""``khotin check SITE_ID``: try a profile on the live site, field by field.

An operator adds or repairs a profile by looking at what it extracts from one real
listing page and one real article, not by running a whole crawl. This fetches exactly
two pages (robots.txt permitting), prints every field with the layer that produced it,
and exits non-zero when the profile does not work. It is never run in CI.
"""

from __future__ import annotations

from typing import Any, TextIO

from scraper.extract import extract
from scraper.fetch import RobotsForbidden, fetch_page
from scraper.parsing.discovery import discover_links
from scraper.parsing.fields import FIELDS, profile_rule
from scraper.parsing.listing import extract_listing
from scraper.sites import SiteProfile

# Fields whose absence means the profile (or the generic layer) failed on this page.
REQUIRED = ("title", "published_at", "body_text")


def _show(value: Any) -> str:
    if value in (None, "", []):
        return "(not found)"
    if isinstance(value, list):
        first = value[0]
        sample = first.get("number") or first.get("url") if isinstance(first, dict) else first
        return f"{len(value)} × e.g. {sample}"
    text = str(value).replace("\n", " ")
    return text if len(text) <= 90 else text[:87] + "…"


def check(profile: SiteProfile, out: TextIO) -> int:
    """Report on one listing and one article; 0 when the profile works, 1 when not."""
    problems: list[str] = []
    broken: list[str] = []
    start = profile.absolute_start_urls()[0]
    print(f"khotin check {profile.id} ({profile.status}; family {profile.family or '-'})", file=out)
    try:
        listing_page = fetch_page(start)
    except RobotsForbidden as exc:
        print(exc, file=out)
        return 1
    print(
        f"listing  {listing_page.url}  HTTP {listing_page.status}  "
        f"({listing_page.decoded.encoding})",
        file=out,
    )
    if profile.listing.article_links:
        listing = extract_listing(
            listing_page.text, listing_page.url, profile.listing, profile.hosts
        )
    else:
        listing = discover_links(listing_page.text, listing_page.url, profile.hosts)
    print(f"  article links: {len(listing.article_urls)}", file=out)
    for url in listing.article_urls[:3]:
        print(f"    {url}", file=out)
    print(f"  next page:     {listing.next_urls[0] if listing.next_urls else '(none)'}", file=out)
    if not listing.article_urls:
        print("verdict: BROKEN: the listing selector finds no article links", file=out)
        return 1
    if not listing.next_urls:
        problems.append("no next page found (only the first listing page would be crawled)")
    article_url = profile.to_mirror(listing.article_urls[0])
    try:
        page = fetch_page(article_url)
    except RobotsForbidden as exc:
        print(exc, file=out)
        return 1
    print(f"article  {page.url}  HTTP {page.status}  ({page.decoded.encoding})", file=out)
    article = extract(page, profile)
    sources = article.field_sources
    for field in FIELDS:
        source = sources.get(field, "-")
        print(f"  {field:<14} {source:<20} {_show(article[field])}", file=out)
        named = profile_rule(profile.article, field)
        if named and source not in ("profile", "-"):
            problem = f"{field}: the profile's selector {named!r} found nothing, {source} did"
            if field in REQUIRED:
                broken.append(problem)  # the crawl would run on the fallback alone
            else:
                problems.append(problem)
        elif named and article[field] in (None, "", []):
            note = "" if field in REQUIRED else " (fine if this article has none)"
            problems.append(f"{field}: the profile's selector {named!r} found nothing{note}")
    missing = [field for field in REQUIRED if article[field] in (None, "", [])]
    if missing or broken:
        why = f"no {', '.join(missing)} on the article page" if missing else broken[0]
        print(f"verdict: BROKEN: {why}", file=out)
        for problem in broken[1:] if not missing else broken:
            print(f"  - {problem}", file=out)
        for problem in problems:
            print(f"  - {problem}", file=out)
        return 1
    print("verdict: the profile works" + (" with warnings:" if problems else ""), file=out)
    for problem in problems:
        print(f"  - {problem}", file=out)
    return 0
