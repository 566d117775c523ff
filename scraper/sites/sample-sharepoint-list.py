"""Override for the SharePoint list sample site: what its profile cannot say.

SharePoint list portals reach the same item through many URLs
(``ChiTiet.aspx?ID=123&Source=…``, ``…?ID=123&ContentTypeId=…``, a different case of
the list name). Only the list path and the item ID name an article, so the canonical
URL keeps just those, and crawling the same item by another link never duplicates it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scraper.parsing.profile_page import ProfileArticlePage


class ArticlePage(ProfileArticlePage):
    def canonical(self) -> str:
        parts = urlsplit(super().canonical())
        item = [(k, v) for k, v in parse_qsl(parts.query) if k.lower() in ("id", "itemid")]
        if not item:
            return urlunsplit(parts)
        key, value = item[0]
        query = urlencode([(key.upper() if key.lower() == "id" else key, value)])
        return urlunsplit((parts.scheme, parts.netloc, parts.path.lower(), query, ""))
