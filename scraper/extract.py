"""One article from one page, the way every part of khotin reads it.

The crawl, ``khotin extract``, ``khotin check`` and ``khotin reparse`` all go through
``extract_page``, so a page gives the same record whichever way it is read: the
profile's rules, the generic layers, then the site's Python override if it has one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scraper.parsing.article import extract_article
from scraper.sites import SiteProfile, load_override


def extract_page(
    text: str, url: str, profile: SiteProfile | None, now: datetime | None = None
) -> dict[str, Any]:
    article = extract_article(
        text,
        url,
        profile.article if profile else None,
        site_id=profile.id if profile else None,
        default_category=profile.category if profile else None,
        now=now,
    )
    override = load_override(profile) if profile else None
    if override is None:
        return article
    if hasattr(override, "canonical_url"):
        article["canonical_url"] = override.canonical_url(article["canonical_url"])
    if hasattr(override, "fix_article"):
        article = override.fix_article(article, text)
        article["field_sources"] = {
            **article.get("field_sources", {}),
            **dict.fromkeys(getattr(override, "FIELDS", ()), "override"),
        }
    return article
