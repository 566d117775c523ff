"""One article from one stored page, the way every part of khotin reads it.

The crawl, ``khotin extract``, ``check``, ``reparse``, ``record`` and the case loader all
build a ``Page`` and call ``extract``, so a page gives the same record whichever way it
is read: the site override's fields, then the profile's selectors (family rules merged
in), then the generic layers; "now" is always the page's own fetch time.
"""

from __future__ import annotations

from scraper.parsing.article import GenericArticlePage
from scraper.parsing.fields import Article
from scraper.parsing.page import Page
from scraper.parsing.profile_page import ProfileArticlePage, override_sources
from scraper.sites import SiteProfile, load_override


def page_class(profile: SiteProfile | None) -> type[GenericArticlePage]:
    """The page object for a site: its override's ``ArticlePage`` if it has one."""
    if profile is None:
        return GenericArticlePage
    override = load_override(profile)
    found = getattr(override, "ArticlePage", None) if override is not None else None
    if found is not None and not issubclass(found, ProfileArticlePage):
        raise TypeError(f"{profile.id}: ArticlePage must subclass ProfileArticlePage")
    return found or ProfileArticlePage


def extract(page: Page, profile: SiteProfile | None = None) -> Article:
    """The article on ``page``, read with ``profile`` (None: the generic layers only)."""
    cls = page_class(profile)
    if profile is None:
        reader = cls(page)
    else:
        reader = cls(
            page,
            rules=profile.article,
            site_id=profile.id,
            default_category=profile.category,
        )
    article = reader.article()
    for name, source in override_sources(cls).items():
        if article.get(name) not in (None, "", []):
            article.field_sources[name] = source
    article.field_sources = dict(sorted(article.field_sources.items()))
    return article
