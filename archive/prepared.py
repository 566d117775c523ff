"""What storing an article computes from the article and its page alone: the page's
WARC record, compressed; the article's two hashes; its search entry, folded and
tone-placed.

A crawl in one process computes it inside the store. A distributed crawl's workers
compute it where the page was fetched and send it with the item, so the archive's one
writer (``khotin store``, the part of a distributed crawl that cannot be spread over
machines) only appends the record and runs SQL: at 1M articles that takes 40% of its
work per article off it (benchmarks/scale.py: 2,018 articles a second against 1,155).
Only what the article and page alone decide is prepared; what depends on the archive
(whether the article is new, its files' text) stays with the writer.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.files import extract_text, sniff_type
from archive.folding import fold, tone_placement
from archive.hashes import VERSIONED_FIELDS, text_hash
from archive.warc import RecordBytes, response_record
from scraper.parsing.links import identity_key
from scraper.parsing.page import Page


def _code_digest() -> str:
    """The source of every rule a prepared article depends on: a worker and a writer of
    different code (a tone placement rule changed between versions) never mix."""
    digest = hashlib.sha256()
    for name in (
        "archive.prepared",
        "archive.files",
        "archive.hashes",
        "archive.warc",
        "scraper.parsing.folding",
        "scraper.parsing.links",
    ):
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:  # pragma: no cover - always importable
            continue
        digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:16]


# What a prepared article holds and the code that made it: a writer takes only its own
# format, and prepares anything else again.
FORMAT = f"2-{_code_digest()}"
# The search columns an article gives by itself, in the index's order (schema.FTS_COLUMNS);
# its files' text and the folded column follow them.
HEAD_COLUMNS = ("title", "summary", "body_text", "byline", "doc_numbers", "attachment_names")
SOURCE_LEVEL = 6  # zlib level of search_source


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fetched_iso(page: Page) -> str:
    """When the page was fetched, as stored (a page with no moment is fetched now)."""
    return page.fetched_at.isoformat(timespec="seconds") if page.fetched_at else now_iso()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def content_hash(article: dict[str, Any]) -> str:
    """Hash of what a reader sees; equal hashes mean the article did not change."""
    visible = {name: article.get(name) for name in (*VERSIONED_FIELDS, "category", "updated_at")}
    visible["attachments"] = [a.get("url") for a in article.get("attachments") or []]
    visible["related"] = [r.get("url") for r in article.get("related") or []]
    visible["doc_refs"] = [d.get("number") for d in article.get("doc_refs") or []]
    return hashlib.sha256(_json(visible).encode()).hexdigest()


@dataclass(frozen=True)
class SearchEntry:
    """An article's search entry but for its files' text, which only the archive knows.

    Folding maps each character on its own, so the folded column of the whole entry is
    the folding of these columns and of the files' text, joined the same way."""

    head: tuple[str, ...]  # HEAD_COLUMNS, tone-placed but for doc_numbers
    folded_head: str  # fold of HEAD_COLUMNS as given, joined by " \n"
    slots: int  # the article's attachments: one text each in attachment_text
    source: bytes | None  # search_source of the entry while no file has text, if made

    def values(self, texts: Sequence[str | None] | None = None) -> tuple[list[str], bytes]:
        """The index's column values (schema.FTS_COLUMNS) given each attachment's text
        in order (None: not fetched yet), and the ``search_source`` that takes them out."""
        pieces = list(texts) if texts else []
        pieces += [None] * (self.slots - len(pieces))
        raw_text = "\n".join(text or "" for text in pieces)
        values = [*self.head, tone_placement(raw_text)]
        source = self.source if self.source is not None and not any(pieces) else None
        if source is None:
            source = zlib.compress(_json(values).encode(), SOURCE_LEVEL)
        return [*values, f"{self.folded_head} \n{fold(raw_text)}"], source


def search_entry(columns: dict[str, str | None], slots: int, *, source: bool = True) -> SearchEntry:
    """The entry of these column values (HEAD_COLUMNS) and ``slots`` attachments;
    ``source=False`` leaves its search_source to ``values`` (the store's own indexing,
    which knows the files' text already)."""
    given = [columns.get(name) or "" for name in HEAD_COLUMNS]
    # Document numbers as written (no tone marks to place); the others one placement.
    head = tuple(
        value if name == "doc_numbers" else tone_placement(value)
        for name, value in zip(HEAD_COLUMNS, given, strict=True)
    )
    blob = None
    if source:
        empty = "\n".join("" for _ in range(slots))
        blob = zlib.compress(_json([*head, empty]).encode(), SOURCE_LEVEL)
    return SearchEntry(head, fold(" \n".join(given)), slots, blob)


def article_columns(article: dict[str, Any]) -> dict[str, str | None]:
    """The search columns an extracted article gives, as the store keeps them."""
    return {
        "title": article.get("title"),
        "summary": article.get("summary"),
        "body_text": article.get("body_text"),
        "byline": article.get("byline"),
        "doc_numbers": " ".join(ref.get("number") or "" for ref in article.get("doc_refs") or []),
        "attachment_names": " ".join(a.get("name") or "" for a in article.get("attachments") or []),
    }


def row_values(article: dict[str, Any], page: Page | None) -> dict[str, str | None]:
    """The article's and page's row values that take work to make: the identity key of
    its address, its lists as JSON, the page's headers as JSON."""
    url = article.get("canonical_url") or article["url"]
    return {
        "url_key": identity_key(url),
        "authors": _json(article.get("authors") or []),
        "images": _json(article.get("images") or []),
        "field_sources": _json(article.get("field_sources") or {}),
        "headers": _json(page.header_lists()) if page is not None else None,
    }


@dataclass(frozen=True)
class PreparedArticle:
    format: str
    fetched_at: str  # the page's fetch moment, as stored (and in its record)
    content_hash: str
    text_hash: str
    row: dict[str, str | None]  # row_values
    entry: SearchEntry
    record: RecordBytes | None  # None: no page (a reparse), or the store writes it


def prepare(article: dict[str, Any], page: Page | None, *, record: bool = True) -> PreparedArticle:
    """Everything the article and its page decide alone, ready for the store.
    ``record=False``: the store writes the page's record itself (a crawl in one
    process, whose records name their file's warcinfo record)."""
    fetched = fetched_iso(page) if page is not None else now_iso()
    built = (
        response_record(page.url, page.status, page.header_lists(), page.body, fetched)
        if page is not None and record
        else None
    )
    return PreparedArticle(
        format=FORMAT,
        fetched_at=fetched,
        content_hash=content_hash(article),
        text_hash=text_hash(article),
        row=row_values(article, page),
        entry=search_entry(article_columns(article), len(article.get("attachments") or [])),
        record=built,
    )


def to_wire(prepared: PreparedArticle, article: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """A prepared article as JSON-able fields and one blob (the record's bytes, then the
    entry's search_source), for a Redis stream entry beside its article. A search column
    that tone placement left as the article gives it travels once, as the article."""
    entry, record = prepared.entry, prepared.record
    given = article_columns(article)
    source = entry.source or b""
    members = record.members if record is not None else b""
    meta = {
        "format": prepared.format,
        "fetched_at": prepared.fetched_at,
        "content_hash": prepared.content_hash,
        "text_hash": prepared.text_hash,
        "row": prepared.row,
        "head": [
            None if value == (given[name] or "") else value
            for name, value in zip(HEAD_COLUMNS, entry.head, strict=True)
        ],
        "folded_head": entry.folded_head,
        "slots": entry.slots,
        "record": [len(members), record.response_length, record.sha256] if record else None,
        "source": len(source),
    }
    return meta, members + source


def from_wire(meta: dict[str, Any], blob: bytes, article: dict[str, Any]) -> PreparedArticle:
    """``to_wire``'s fields back (the store checks the format and the record's digest)."""
    given = article_columns(article)
    head = tuple(
        (given[name] or "") if value is None else value
        for name, value in zip(HEAD_COLUMNS, meta["head"], strict=True)
    )
    record = None
    split = 0
    if meta["record"] is not None:
        split, length, digest = meta["record"]
        record = RecordBytes(blob[:split], length, digest)
    source = blob[split : split + meta["source"]] or None
    return PreparedArticle(
        format=meta["format"],
        fetched_at=meta["fetched_at"],
        content_hash=meta["content_hash"],
        text_hash=meta["text_hash"],
        row=meta["row"],
        entry=SearchEntry(head, meta["folded_head"], meta["slots"], source),
        record=record,
    )


@dataclass(frozen=True)
class PreparedText:
    """A downloaded file's text, read where it was downloaded: reading a large PDF takes
    seconds, which the one writer cannot spare for every worker's files."""

    format: str
    sha256: str  # of the bytes it was read from
    kind: str  # what the bytes are (archive.files.sniff_type)
    text: str | None  # None: no text could be had

    def usable(self, kind: str, sha256: str) -> bool:
        """Read by this code, from these bytes, as this kind (else the writer reads it)."""
        return self.format == FORMAT and self.kind == kind and self.sha256 == sha256


def prepare_file(body: bytes, *, url: str, content_type: str | None) -> PreparedText | None:
    """The text of a downloaded file as the store would read it; None for bytes that are
    not what they claim (the store reads no text from those)."""
    found = sniff_type(body, url=url, content_type=content_type)
    if found.mismatch:
        return None
    digest = hashlib.sha256(body).hexdigest()
    return PreparedText(FORMAT, digest, found.kind, extract_text(body, found.kind))
