"""The profile layer: a site's CSS selectors (its TOML profile, family rules merged in)
put in front of the generic layer, field by field.

Each method tries the profile's selector and, when it names nothing or finds nothing
on this page, hands the field to the generic layer; so a redesign that breaks one
selector costs one field's precision, not the article, and ``field_sources`` shows it.
The exceptions are the summary and the lists (images, attachments, related): there a
selector that matches nothing means the article has none, which is common, and the
generic layer would only add the page's other links.
A site override (``scraper/sites/<id>.py``) subclasses ``ProfileArticlePage`` and
replaces a single method.
"""

from __future__ import annotations

from typing import Any

from lxml.etree import _Element

from scraper.parsing.article import GenericArticlePage, _with_machine_time
from scraper.parsing.bylines import Byline, parse_byline
from scraper.parsing.dates import ParsedDate, parse_date
from scraper.parsing.html import select, select_one, text_lines, text_of


class ProfileArticlePage(GenericArticlePage):
    """A page read with its site's selectors first."""

    def title(self) -> str | None:
        if self.rules.title:
            self.title_element = select_one(self.root, self.rules.title)
            value = text_of(self.title_element) or None
            if value:
                return self._from("title", "profile", value)
        return super().title()

    def _search_body(self) -> _Element | None:
        if self.rules.body:
            found = select_one(self.root, self.rules.body)
            if found is not None:
                self.sources["body_text"] = "profile"
                return found
        return super()._search_body()

    def _image_holders(self, body: _Element | None) -> tuple[list[_Element], str]:
        if self.rules.images:
            return select(self.root, self.rules.images), "profile"
        return super()._image_holders(body)

    def byline(self, paragraphs: list[str]) -> tuple[Byline | None, list[str]]:
        if self.rules.byline:
            line = text_of(select_one(self.root, self.rules.byline))
            if line and (found := parse_byline(line)):
                if paragraphs and paragraphs[-1] == line:
                    paragraphs = paragraphs[:-1]
                self.sources["byline"] = "profile"
                return found, paragraphs
        return super().byline(paragraphs)

    def published(self) -> tuple[ParsedDate | None, str | None]:
        if self.rules.date:
            element = select_one(self.root, self.rules.date)
            raw = text_of(element)
            if raw and (parsed := parse_date(raw, self.now)):
                self.sources["published_at"] = "profile"
                return _with_machine_time(element, parsed, self.now), raw
        return super().published()

    def updated(self) -> str | None:
        if self.rules.updated:
            raw = text_of(select_one(self.root, self.rules.updated))
            if raw and (parsed := parse_date(raw, self.now)):
                return self._from("updated_at", "profile", parsed.value)
        return super().updated()

    def _date_element(self) -> _Element | None:
        # The profile's own date line, when it names one: no scan of the page's dates.
        if self.rules.date:
            return select_one(self.root, self.rules.date)
        return super()._date_element()

    def _reads_page_dates(self) -> bool:
        # The profile says where the date is: the page's other date lines are not its.
        return not self.rules.date and super()._reads_page_dates()

    def summary(self, title: str | None) -> str | None:
        if self.rules.summary:
            value = " ".join(text_lines(select_one(self.root, self.rules.summary)))
            return self._from("summary", "profile", value or None)
        return super().summary(title)

    def category(self) -> str | None:
        if self.rules.category:
            value = text_of(select_one(self.root, self.rules.category))
            if value:
                return self._from("category", "profile", value)
        return super().category()

    def _attachment_anchors(self) -> tuple[list[_Element], list[_Element], str]:
        if self.rules.attachments:
            return select(self.root, self.rules.attachments), [], "profile"
        return super()._attachment_anchors()

    def _related_anchors(self) -> tuple[list[_Element], str]:
        if self.rules.related:
            return select(self.root, self.rules.related), "profile"
        return super()._related_anchors()


def override_sources(page_class: type[GenericArticlePage]) -> dict[str, Any]:
    """The fields a site override's class replaces (its own methods named for a field),
    so ``field_sources`` says "override" for exactly those."""
    own = {
        name
        for klass in page_class.__mro__
        if klass not in (ProfileArticlePage, GenericArticlePage, object)
        for name in vars(klass)
    }
    return {name: "override" for name in FIELD_METHODS if FIELD_METHODS[name] & own}


# The methods behind each field, for telling which fields an override replaces.
FIELD_METHODS: dict[str, set[str]] = {
    "title": {"title"},
    "summary": {"summary"},
    "body_text": {"body_element", "_search_body"},
    "category": {"category"},
    "published_at": {"published"},
    "updated_at": {"updated"},
    "byline": {"byline"},
    "authors": {"byline"},
    "source_unit": {"byline"},
    "attachments": {"attachments", "_attachment_anchors"},
    "related": {"related", "_related_anchors"},
    "images": {"images", "_image_holders"},
    "doc_refs": {"doc_refs"},
    "canonical_url": {"canonical"},
}
