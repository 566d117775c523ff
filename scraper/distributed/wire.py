"""Items as Redis stream entries and back: fields as JSON, a page's or file's bytes as a
field of their own, exactly as received (scrapy-redis's item pipeline would have
serialised them as text and lost them)."""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import datetime
from typing import Any

from archive.prepared import FORMAT, PreparedText, from_wire, prepare, to_wire
from scraper.items import (
    ArticleItem,
    AttachmentItem,
    Item,
    ListingItem,
    RemovedItem,
    UnchangedItem,
)
from scraper.parsing.fields import Article
from scraper.parsing.page import Page

logger = logging.getLogger(__name__)

_SIMPLE = {
    "listing": ListingItem,
    "unchanged": UnchangedItem,
    "removed": RemovedItem,
}


def encode(item: Item) -> dict[str, Any]:
    """Stream fields: ``kind``, ``meta`` (JSON) and ``body`` (bytes) when there are any."""
    match item:
        case ArticleItem(article=article, page=page):
            meta = {
                "article": article.as_dict(),
                "page": {
                    "url": page.url,
                    "status": page.status,
                    "headers": [list(pair) for pair in page.headers],
                    "fetched_at": page.fetched_at.isoformat() if page.fetched_at else None,
                },
                "source": item.source,
                "capture_url": item.capture_url,
                "capture_id": item.capture_id,
            }
            entry = {"kind": "article", "body": page.body}
            # The page's WARC record and the search entry, made here: the one writer
            # then only appends and runs SQL (archive.prepared). What cannot be prepared
            # goes as it is: the writer prepares it, or sets it aside saying why.
            fields = article.as_dict()
            try:
                meta["prepared"], entry["prepared"] = to_wire(prepare(fields, page), fields)
            except Exception:  # noqa: BLE001 - the writer's own preparing reports it
                logger.warning("%s: not prepared for the writer", page.url, exc_info=True)
            return {**entry, "meta": _json(meta)}
        case AttachmentItem():
            meta = dataclasses.asdict(item)
            body = meta.pop("body")
            return {"kind": "attachment", "meta": _json(meta), "body": body}
        case ListingItem() | UnchangedItem() | RemovedItem():
            kind = next(k for k, cls in _SIMPLE.items() if isinstance(item, cls))
            return {"kind": kind, "meta": _json(dataclasses.asdict(item))}
    raise TypeError(f"a distributed crawl does not carry {type(item).__name__}")


def decode(fields: dict[bytes, bytes]) -> Item:
    kind = fields[b"kind"].decode()
    meta = json.loads(fields[b"meta"])
    body = fields.get(b"body", b"")
    if kind == "article":
        page = meta["page"]
        fetched = page["fetched_at"]
        prepared = None
        # Entries of older workers have none; another khotin's the writer makes again.
        if meta.get("prepared", {}).get("format") == FORMAT:
            try:
                prepared = from_wire(
                    meta["prepared"], fields.get(b"prepared", b""), meta["article"]
                )
            except (KeyError, TypeError, ValueError):
                logger.warning("an entry's prepared article is unreadable: made again")
        return ArticleItem(
            article=Article(**meta["article"]),
            page=Page(
                url=page["url"],
                body=body,
                status=page["status"],
                headers=tuple((n, v) for n, v in page["headers"]),
                fetched_at=datetime.fromisoformat(fetched) if fetched else None,
            ),
            source=meta["source"],
            capture_url=meta["capture_url"],
            capture_id=meta["capture_id"],
            prepared=prepared,
        )
    if kind == "attachment":
        # Its text as the worker read it, if read by this khotin's code.
        text = meta.pop("text", None)
        ready = None
        if isinstance(text, dict) and text.get("format") == FORMAT:
            try:
                ready = PreparedText(**text)
            except TypeError:
                logger.warning("an entry's file text is unreadable: read again")
        return AttachmentItem(**meta, body=body, text=ready)
    if kind in _SIMPLE:
        return _SIMPLE[kind](**meta)
    raise ValueError(f"not an item kind: {kind}")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
