"""``khotin record``: one page saved as a new test case, in one command.

The page's exact bytes, a ``case.toml`` saying where and when it was fetched, and a
draft ``expected.json`` holding what khotin reads from it today. The draft is a
starting point, not an answer: a person reads it against the page and corrects it
before committing (tests/cases/README.md), so a case records what a careful reader
takes from the page, never simply what the rules already do.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from scraper.extract import extract
from scraper.parsing.page import Page
from scraper.sites import SiteProfile

GENERIC = "_generic"
# The fields a case checks (tests/cases/README.md); the rest of the JSON is noise there.
CASE_FIELDS = (
    "title",
    "published_at",
    "published_raw",
    "summary",
    "byline",
    "authors",
    "source_unit",
    "category",
    "attachments",
    "related",
    "doc_refs",
)
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


class RecordError(Exception):
    """The case cannot be written; nothing was."""


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def record_case(
    page: Page,
    profile: SiteProfile | None,
    cases: Path,
    name: str | None = None,
    description: str = "",
) -> Path:
    """Write the case folder and return it. The folder's name is the operator's, or the
    page's hash: never anything taken from the page or its URL."""
    name = name or f"page-{hashlib.sha256(page.body).hexdigest()[:12]}"
    if not SAFE_NAME.match(name):
        raise RecordError(f"case name {name!r}: use lower-case letters, digits, '.', '_', '-'")
    folder = cases / (profile.id if profile else GENERIC) / name
    if folder.exists():
        raise RecordError(f"{folder} already exists: choose another --name")
    if page.status != 200:
        raise RecordError(f"{page.url} answered HTTP {page.status}: not an article page")
    article = extract(page, profile).as_dict()
    expected = {field: article[field] for field in CASE_FIELDS}
    fetched = page.fetched_at.isoformat(timespec="seconds") if page.fetched_at else None
    lines = [
        f"url = {_toml_string(page.url)}",
        'kind = "article"',
        *([f"fetched_at = {_toml_string(fetched)}"] if fetched else []),
        *([f"content_type = {_toml_string(page.content_type)}"] if page.content_type else []),
        "description = "
        + _toml_string(description or "DRAFT by khotin record: check every field against the page"),
    ]
    folder.mkdir(parents=True)
    (folder / "page.html").write_bytes(page.body)
    (folder / "case.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return folder
