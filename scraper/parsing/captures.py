"""What a web archive's capture of a site's page is: an article, a listing page, or
one of the pages an archive keeps that are neither (an error or "site moved" page it
captured with status 200, a redirect, a file captured on its own).

Pure, like the rest of ``scraper.parsing``: the backfill spider fetches, this decides,
the archive keeps. A site's profile names its article and listing addresses as
patterns (``[urls]``); without them (``khotin backfill --host``) the page itself says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.parsing.fields import Article
from scraper.parsing.vocabulary import ERROR_PAGE

# An article's text runs to a few sentences at least; an error page's does not.
MIN_ARTICLE_CHARS = 200
# A page whose links to articles outnumber this, with no dated text of its own, is a list.
LISTING_LINKS = 5


@dataclass(frozen=True)
class UrlPatterns:
    """A site's article and listing addresses, as regular expressions searched in the
    URL (path and query)."""

    article: tuple[str, ...] = ()
    listing: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for pattern in (*self.article, *self.listing):
            re.compile(pattern)  # a bad pattern is an error when the profile loads

    def kind(self, url: str) -> str | None:
        """ "article", "listing", or None (neither, or no patterns to say)."""
        if any(re.search(p, url) for p in self.listing):
            return "listing"
        if any(re.search(p, url) for p in self.article):
            return "article"
        return None

    def __bool__(self) -> bool:
        return bool(self.article or self.listing)


def is_html(mimetype: str | None) -> bool:
    return mimetype is None or mimetype.split(";")[0].strip().lower() in (
        "text/html",
        "application/xhtml+xml",
        "unk",
        "",
    )


def judge_capture(article: Article, *, article_links: int = 0) -> tuple[str, str | None]:
    """("article" | "error-page" | "listing", why) for a capture read as an article.

    ``article_links``: how many article links the page's generic listing detection
    found on it (a list of articles with no text of its own is a listing page)."""
    title = article.title or ""
    body = article.body_text or ""
    # Only a page with little text of its own is judged by its words: news about a
    # move ("Trụ sở UBND xã đã chuyển về địa chỉ mới") is what a backfill is for.
    if len(body) < 2 * MIN_ARTICLE_CHARS and (ERROR_PAGE.search(title) or ERROR_PAGE.search(body)):
        return "error-page", f"says it is an error page: {(title or body)[:80]!r}"
    if len(body) < MIN_ARTICLE_CHARS:
        # A short notice is an article when it is dated or carries its files.
        if article.attachments or (title and article.published_at):
            return "article", None
        if article_links >= LISTING_LINKS:
            return "listing", f"{article_links} article links and no text of its own"
        return "error-page", f"no article text ({len(body)} characters)"
    return "article", None
