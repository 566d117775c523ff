"""The article record and the one map of its fields to the profile rules behind them.

``Article`` is what extraction returns and what the crawl hands its pipeline: typed, so a
misspelt field is an error where it is written rather than a silently empty column.
``as_dict`` is the ``khotin extract`` JSON of DESIGN.md §2 and what the archive stores.
``PROFILE_RULE`` is read by the crawl's coverage counts and by ``khotin check`` alike, so
the two never disagree on which selector a field depends on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from scraper.parsing.rules import ArticleRules

# The extracted fields, in the order of the JSON.
FIELDS = (
    "title",
    "summary",
    "body_text",
    "category",
    "published_at",
    "updated_at",
    "byline",
    "authors",
    "source_unit",
    "attachments",
    "related",
    "images",
    "doc_refs",
)

# The profile rule (ArticleRules attribute) behind each field; fields with no rule of
# their own are read from the rule named here (the byline gives authors and unit).
PROFILE_RULE = {
    "title": "title",
    "summary": "summary",
    "body_text": "body",
    "category": "category",
    "published_at": "date",
    "updated_at": "updated",
    "byline": "byline",
    "authors": "byline",
    "source_unit": "byline",
    "attachments": "attachments",
    "related": "related",
    "images": "images",
}


def profile_rule(rules: ArticleRules, field_name: str) -> str | None:
    """The selector a profile gives for ``field_name``, if any."""
    name = PROFILE_RULE.get(field_name)
    return getattr(rules, name, None) if name else None


@dataclass
class Article:
    """One article as read from one page (DESIGN.md §2). A field not on the page is
    None or [], never a guess; ``field_sources`` says which layer gave each field."""

    url: str
    canonical_url: str
    site_id: str | None = None
    title: str | None = None
    summary: str | None = None
    body_text: str | None = None
    category: str | None = None
    published_at: str | None = None
    published_raw: str | None = None
    updated_at: str | None = None
    byline: str | None = None
    authors: list[str] = field(default_factory=list)
    source_unit: str | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    related: list[dict[str, Any]] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    doc_refs: list[dict[str, Any]] = field(default_factory=list)
    field_sources: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __getitem__(self, name: str) -> Any:
        """Read access by name, for code that walks fields by name (reports, tests)."""
        if name not in _NAMES:
            raise KeyError(name)
        return getattr(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name) if name in _NAMES else default


_NAMES = frozenset(f.name for f in fields(Article))
