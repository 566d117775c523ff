"""The six real pages of ``../shared/real_pages/`` (saved by others, never copied into this
repository), read in place, and how an extraction of them is scored field by field.

A field is right when it equals the expected value or one of its ``*_alternatives``;
dates compare as moments (``06:00`` and ``06:00:00`` are the same time), lists of URLs
and people as sets. Used by ``benchmarks/generic_accuracy.py`` and the floors in
``tests/test_real_pages.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REAL_PAGES = ROOT.parent / "shared" / "real_pages"
FIELDS = ("title", "published_at", "authors", "attachments", "related", "doc_refs")


@dataclass(frozen=True)
class RealPage:
    name: str
    url: str
    kind: str
    body: bytes
    expected: dict[str, Any]

    @property
    def is_news(self) -> bool:
        return self.name.startswith("news_")

    def extract(self) -> dict[str, Any]:
        """khotin's generic extraction, exactly as `khotin extract --url URL FILE` runs it."""
        from scraper.extract import extract
        from scraper.parsing.page import Page

        return extract(Page.of(self.url, self.body)).as_dict()


def available() -> bool:
    return REAL_PAGES.is_dir()


def load() -> list[RealPage]:
    pages = []
    for folder in sorted(p for p in REAL_PAGES.iterdir() if p.is_dir()):
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        body = (folder / "page.html").read_bytes()
        pages.append(RealPage(folder.name, meta["url"], meta.get("kind", ""), body, expected))
    return pages


def _moment(value: str | None) -> Any:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value) if len(value) > 10 else value
    except ValueError:
        return value


def _urls(items: list[Any]) -> set[str]:
    return {item["url"] if isinstance(item, dict) else item for item in items or []}


def _answers(expected: dict[str, Any], field: str) -> list[Any]:
    return [expected.get(field), *expected.get(f"{field}_alternatives", [])]


def _list_options(expected: dict[str, Any], field: str) -> list[list[Any]]:
    """The expected list and its alternatives: one other whole list, or several."""
    options = [expected.get(field) or []]
    alternatives = expected.get(f"{field}_alternatives") or []
    if alternatives and all(isinstance(a, list) for a in alternatives):
        options += alternatives
    elif alternatives:
        options.append(alternatives)
    return options


def _numbers(refs: list[Any]) -> set[str]:
    return {ref["number"] if isinstance(ref, dict) else ref for ref in refs or []}


def right(found: dict[str, Any], expected: dict[str, Any], field: str) -> bool:
    """Whether ``found`` has ``field`` right for this page."""
    if field == "published_at":
        return _moment(found.get(field)) in [_moment(a) for a in _answers(expected, field)]
    if field in ("attachments", "related"):
        got = _urls(found.get(field) or [])
        return any(got == _urls(option) for option in _list_options(expected, field))
    if field == "authors":
        people = set(found.get(field) or [])
        return any(people == set(option) for option in _list_options(expected, field))
    if field == "doc_refs":
        got = _numbers(found.get(field) or [])
        return any(got == _numbers(option) for option in _list_options(expected, field))
    return found.get(field) in _answers(expected, field)


def score(pages: list[RealPage]) -> dict[str, dict[str, bool]]:
    """page name → field → right?"""
    out = {}
    for page in pages:
        found = page.extract()
        out[page.name] = {f: right(found, page.expected, f) for f in FIELDS if f in page.expected}
    return out
