"""What makes two readings of an article the same text: the fields a reader would call
its text, and their hash. Shared by the store and the migration that fills the hash in
for archives written before it existed."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from scraper.parsing.links import identity_key


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# Fields whose change makes a new version of an article (what a reader would notice).
VERSIONED_FIELDS = ("title", "summary", "body_text", "published_at", "byline", "authors")


def text_hash(article: dict[str, Any]) -> str:
    """Hash of the article's own text (what a version is about): title, summary, body,
    date, byline, authors and its files, these by address whatever the scheme or
    ``www.``. Not the related-links box, which drifts on every page of a site, and not
    how a capture spelled the address: two captures with equal text are one version."""
    own = {name: article.get(name) for name in VERSIONED_FIELDS}
    own["authors"] = list(own.get("authors") or [])
    own["attachments"] = sorted(
        identity_key(a["url"]) for a in article.get("attachments") or [] if a.get("url")
    )
    return hashlib.sha256(_json(own).encode()).hexdigest()
