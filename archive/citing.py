"""Following and citing the archive: Atom feeds and "cite this" blocks.

A feed per site and per search lets a journalist follow new plans without visiting;
a citation names both the original URL (which may die) and the archive's copy (which
should not). Both are built from the same article dicts as the pages (archive.reading).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from typing import Any

ATOM = "http://www.w3.org/2005/Atom"
EPOCH = "1970-01-01T00:00:00Z"
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip


def atom_moment(value: str | None) -> str | None:
    """An RFC 3339 moment for Atom: a bare date becomes midnight in Vietnam."""
    if not value:
        return None
    try:
        if len(value) <= 10:
            return date.fromisoformat(value).isoformat() + "T00:00:00+07:00"
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def atom_feed(
    *,
    feed_id: str,
    title: str,
    self_url: str,
    html_url: str,
    entries: list[dict[str, Any]],
    article_url: str,
    subtitle: str | None = None,
) -> bytes:
    """A valid Atom 1.0 document (RFC 4287), also when ``entries`` is empty.

    ``article_url`` is a format string with ``{id}``, the archive's address of an
    article. Every entry has an id, a title, an updated moment and an alternate link."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    if subtitle:
        _text(feed, "subtitle", subtitle)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=html_url, type="text/html")
    _text(feed, "generator", "khotin")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "khotin")
    moments = []
    items = []
    for entry in entries:
        published = atom_moment(entry.get("published_at"))
        updated = atom_moment(entry.get("changed_at")) or published or EPOCH
        moments.append(updated)
        item = ET.Element(f"{{{ATOM}}}entry")
        link = article_url.format(id=entry["id"])
        _text(item, "id", link)
        _text(item, "title", entry.get("title") or "(không có tiêu đề)")
        _text(item, "updated", updated)
        if published:
            _text(item, "published", published)
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", href=link, type="text/html")
        if entry.get("url"):
            ET.SubElement(item, f"{{{ATOM}}}link", rel="via", href=entry["url"])
        names = entry.get("authors") or []
        if isinstance(names, str):
            names = []
        for name in names or [entry.get("site_name") or entry.get("site_id") or "khotin"]:
            person = ET.SubElement(item, f"{{{ATOM}}}author")
            _text(person, "name", str(name))
        if entry.get("category"):
            ET.SubElement(item, f"{{{ATOM}}}category", term=entry["category"])
        if entry.get("summary"):
            _text(item, "summary", entry["summary"])
        items.append(item)
    _text(feed, "updated", max(moments, key=_sort_key) if moments else EPOCH)
    feed.extend(items)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        feed, encoding="utf-8", xml_declaration=False
    )


def _sort_key(moment: str) -> datetime:
    return datetime.fromisoformat(moment.replace("Z", "+00:00"))


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = _xml_safe(value)
    return element


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot carry most control characters; crawled text sometimes has them."""
    return "".join(
        ch
        for ch in str(text)
        if ch in "\t\n\r"
        or (" " <= ch <= "\ud7ff")
        or ("\ue000" <= ch <= "\ufffd")
        or ch >= "\U00010000"
    )


# -- citations ------------------------------------------------------------------------


def citations(article: dict[str, Any], archive_url: str) -> dict[str, str]:
    """The article cited in APA style and in Vietnamese administrative style.

    Both name the publishing agency (the site), the publication date, the title, the
    original URL and the archive's copy with the day it was retrieved."""
    agency = article.get("site_name") or article.get("site_id") or ""
    title = article.get("title") or "(không có tiêu đề)"
    published = _day(article.get("published_at"))
    retrieved = _day(
        (article.get("raw_page") or {}).get("fetched_at") or article.get("last_seen_at")
    )
    source = article.get("url") or ""
    if published:
        apa_date = f"{published.year}, {MONTHS_EN[published.month - 1]} {published.day}"
        vn_date = f"ngày {published:%d/%m/%Y}"
        vn_year = str(published.year)
    else:
        apa_date, vn_date, vn_year = "n.d.", "không rõ ngày", "không rõ năm"
    retrieved_en = (
        f"{MONTHS_EN[retrieved.month - 1]} {retrieved.day}, {retrieved.year}" if retrieved else ""
    )
    apa = (
        f"{agency}. ({apa_date}). {title}. {agency}. {source} "
        f"(Archived copy retrieved {retrieved_en} from {archive_url})"
    )
    vn = (
        f"{agency} ({vn_year}), “{title}”, {vn_date}, {source}, "
        f"bản lưu tại {archive_url}, truy cập ngày {retrieved:%d/%m/%Y}."
        if retrieved
        else f"{agency} ({vn_year}), “{title}”, {vn_date}, {source}, bản lưu tại {archive_url}."
    )
    captured = _day(article.get("content_at"))
    replay = article.get("capture_replay")
    if article.get("content_source") == "web-archive" and captured and replay:
        # The archive, not khotin, witnessed what the site published: cite its capture.
        captured_en = f"{MONTHS_EN[captured.month - 1]} {captured.day}, {captured.year}"
        apa = apa.replace(
            f"{source} (Archived",
            f"{source} (Captured by a web archive on {captured_en}: {replay}; archived",
        )
        vn = vn.replace(
            f"{source}, bản lưu tại",
            f"{source}, bản chụp của kho lưu trữ web ngày {captured:%d/%m/%Y}: {replay}, "
            "bản lưu tại",
        )
    return {"apa": " ".join(apa.split()), "vn": " ".join(vn.split())}


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
