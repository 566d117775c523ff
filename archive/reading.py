"""What the reading room shows, read from the archive with plain SQL.

Pure functions over one SQLite connection (Datasette hands its read-only connections
to them through ``execute_fn``), so they are tested without a server and every page,
feed and JSON view of the same thing shows the same values.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from markupsafe import Markup, escape

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
# Operators' tables: reachable from the home page, never in a reader's way.
OPERATOR_TABLES = (
    "crawl_runs",
    "missing",
    "listing_pages",
    "raw_pages",
    "attachment_files",
    "article_versions",
    "sites",
)
READER_TABLES = ("articles", "attachments", "doc_refs", "related_links")


class NotFound(Exception):
    """The archive has no such thing; the page says so with a 404."""


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    """Rows as dicts named by the query's own column names (aliases included), so the
    names are written once, in the SQL."""
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _dict(cursor: sqlite3.Cursor) -> dict[str, Any] | None:
    rows = _dicts(cursor)
    return rows[0] if rows else None


# -- dates ----------------------------------------------------------------------------


def vn_date(value: str | None) -> str:
    """An ISO date or moment as a Vietnamese reader expects it: "Thứ Tư, 02/10/2019 15:42"."""
    if not value:
        return ""
    try:
        if len(value) <= 10:
            day = date.fromisoformat(value)
            return f"{WEEKDAYS[day.weekday()]}, {day:%d/%m/%Y}"
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return f"{WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y %H:%M}"


def vn_day(value: str | None) -> str:
    """dd/mm/yyyy of an ISO value (first/last seen, versions)."""
    if not value:
        return ""
    try:
        return f"{date.fromisoformat(value[:10]):%d/%m/%Y}"
    except ValueError:
        return value


_DAY_INPUT = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_ISO_INPUT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_day_input(text: str | None) -> str | None:
    """A day typed into a form: ``dd/mm/yyyy`` (also with - or .) or ISO ``yyyy-mm-dd``.

    Returns ISO ``yyyy-mm-dd``, None for empty input, and raises ValueError with a
    message a reader understands for anything else: a date that cannot be read is
    refused, never silently ignored."""
    text = (text or "").strip()
    if not text:
        return None
    if m := _DAY_INPUT.fullmatch(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO_INPUT.fullmatch(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise ValueError(
            f"Không đọc được ngày “{text[:40]}”: hãy nhập dd/mm/yyyy, ví dụ 02/10/2019 "
            "(cannot read this date: use dd/mm/yyyy or yyyy-mm-dd)."
        )
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(
            f"Ngày “{text[:40]}” không có thật (no such day: day {day}, month {month})."
        ) from None


# -- the home page ----------------------------------------------------------------------


def glance(conn: sqlite3.Connection) -> dict[str, Any]:
    """The archive at a glance: counts, date span, the last crawl, ways in."""
    one = conn.execute
    counts = {
        "articles": one("SELECT count(*) FROM articles").fetchone()[0],
        "sites": one("SELECT count(*) FROM sites").fetchone()[0],
        "attachments": one("SELECT count(*) FROM attachments").fetchone()[0],
        "files": one("SELECT count(*) FROM attachment_files WHERE sha256 IS NOT NULL").fetchone()[
            0
        ],
        "documents": one("SELECT count(DISTINCT number_key) FROM doc_refs").fetchone()[0],
    }
    first = one(
        "SELECT published_at FROM articles WHERE published_at IS NOT NULL "
        "ORDER BY published_at LIMIT 1"
    ).fetchone()
    last = one(
        "SELECT published_at FROM articles WHERE published_at IS NOT NULL "
        "ORDER BY published_at DESC LIMIT 1"
    ).fetchone()
    crawl = _dict(
        one(
            "SELECT site_id, started_at, finished_at, outcome, new FROM crawl_runs "
            "ORDER BY id DESC LIMIT 1"
        )
    )
    sites = one(
        "SELECT s.id, s.name, count(a.id) FROM sites s LEFT JOIN articles a "
        "ON a.site_id = s.id GROUP BY s.id ORDER BY count(a.id) DESC, s.name"
    ).fetchall()
    years = one(
        "SELECT published_year, count(*) FROM articles WHERE published_year IS NOT NULL "
        "GROUP BY published_year ORDER BY published_year DESC"
    ).fetchall()
    # Counted on the (number_key, article_id) index alone; the printed form of the 15
    # found after (min(number) over every row cost seconds at 1M articles).
    ranked = one(
        "SELECT number_key, count(DISTINCT article_id) AS n FROM doc_refs "
        "GROUP BY number_key ORDER BY n DESC LIMIT 15"
    ).fetchall()
    documents = sorted(
        (
            (
                key,
                one("SELECT min(number) FROM doc_refs WHERE number_key = ?", [key]).fetchone()[0],
                n,
            )
            for key, n in ranked
        ),
        key=lambda row: (-row[2], row[1] or ""),
    )
    return {
        "counts": counts,
        "first": first[0] if first else None,
        "last": last[0] if last else None,
        "last_crawl": crawl,
        "sites": [{"id": i, "name": n or i, "articles": c} for i, n, c in sites],
        "years": [{"year": y, "articles": c} for y, c in years],
        "documents": [{"key": k, "number": n, "articles": c} for k, n, c in documents],
    }


def newest(conn: sqlite3.Connection, limit: int = 10, site: str | None = None) -> list[dict]:
    sql = (
        "SELECT a.id, a.title, a.published_at, a.site_id, s.name AS site_name, a.category, "
        "a.byline, a.summary, a.url, a.changed_at, a.authors FROM articles a "
        "LEFT JOIN sites s ON s.id = a.site_id"
    )
    params: list[Any] = []
    if site:
        sql += " WHERE a.site_id = ?"
        params.append(site)
    # Dated ones through the date index, undated ones only to fill up (the same order as
    # "published_at IS NULL, published_at DESC", without a sort of every row).
    dated = sql + (" AND" if site else " WHERE") + " a.published_at IS NOT NULL"
    rows = _dicts(
        conn.execute(dated + " ORDER BY a.published_at DESC, a.id DESC LIMIT ?", [*params, limit])
    )
    if len(rows) < limit:
        undated = sql + (" AND" if site else " WHERE") + " a.published_at IS NULL"
        rows += _dicts(
            conn.execute(undated + " ORDER BY a.id DESC LIMIT ?", [*params, limit - len(rows)])
        )
    return rows


def per_month(conn: sqlite3.Connection, *, site: str | None = None) -> list[tuple[str, int]]:
    """Articles per month (yyyy-mm), oldest first (searches count theirs in archive.facets)."""
    clauses, params = ["a.published_at IS NOT NULL"], []
    source = "articles a"
    if site:
        clauses.append("a.site_id = ?")
        params.append(site)
    rows = conn.execute(
        f"SELECT substr(a.published_at, 1, 7) AS m, count(*) FROM {source} "
        f"WHERE {' AND '.join(clauses)} GROUP BY m ORDER BY m",
        params,
    ).fetchall()
    return fill_months(rows)


def fill_months(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Monthly counts oldest first, with the months that have none filled in."""
    counts = {m: n for m, n in rows if m and re.fullmatch(r"\d{4}-\d{2}", m)}
    if not counts:
        return []
    year, month = (int(x) for x in min(counts).split("-"))
    end = max(counts)
    out = []
    while True:
        key = f"{year:04d}-{month:02d}"
        out.append((key, counts.get(key, 0)))
        if key >= end or len(out) > 1200:
            break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_chart(months: list[tuple[str, int]], height: int = 110) -> dict[str, Any] | None:
    """Bar geometry for a small server-drawn SVG chart (no charting library, no CDN)."""
    months = fill_months(months)
    if not months:
        return None
    peak = max(n for _, n in months) or 1
    bar = max(4, 720 // len(months)) if len(months) < 180 else 4
    bars = [
        {"x": i * bar, "h": round(height * n / peak, 1), "month": month, "n": n}
        for i, (month, n) in enumerate(months)
    ]
    return {
        "peak": peak,
        "bar": bar,
        "width": bar * len(months),
        "bars": bars,
        "first": months[0][0],
        "last": months[-1][0],
        "months": months,
    }


def site(conn: sqlite3.Connection, site_id: str) -> dict[str, Any]:
    info = _dict(
        conn.execute(
            "SELECT id, name, base_url, family, status, category, first_crawled_at, "
            "last_crawled_at FROM sites WHERE id = ?",
            [site_id],
        )
    )
    if info is None:
        raise NotFound(f"no site {site_id!r}")
    info["articles"] = conn.execute(
        "SELECT count(*) FROM articles WHERE site_id = ?", [site_id]
    ).fetchone()[0]
    return info


# -- the article page -------------------------------------------------------------------


@dataclass
class Attachment:
    url: str
    name: str | None
    kind: str | None
    sha256: str | None
    size: int | None
    real_kind: str | None
    type_mismatch: bool
    status: int | None
    error: str | None


def article(conn: sqlite3.Connection, article_id: int) -> dict[str, Any]:
    """Everything the article page shows, in one dict."""
    info = _dict(
        conn.execute(
            "SELECT a.id, a.site_id, s.name AS site_name, s.base_url AS site_url, a.url, "
            "a.fetched_url, a.title, a.summary, a.body_text, a.category, a.published_at, "
            "a.published_raw, a.updated_at, a.byline, a.authors, a.source_unit, "
            "a.first_seen_at, a.last_seen_at, a.changed_at, a.removed_at, a.raw_page_id, "
            "a.provenance, a.content_source, a.content_at, a.capture_url "
            "FROM articles a LEFT JOIN sites s ON s.id = a.site_id WHERE a.id = ?",
            [article_id],
        )
    )
    if info is None:
        raise NotFound(f"no article {article_id}")
    info["authors"] = json_list(info["authors"])
    info["paragraphs"] = paragraphs(info["body_text"])
    info["attachments"] = [
        Attachment(url, name, kind, sha, size, real, bool(mismatch), status, error)
        for url, name, kind, sha, size, real, mismatch, status, error in conn.execute(
            "SELECT t.url, t.name, t.kind, f.sha256, f.size, f.kind, f.type_mismatch, "
            "f.status, f.error FROM attachments t LEFT JOIN attachment_files f "
            "ON f.url = t.url WHERE t.article_id = ? ORDER BY t.position",
            [article_id],
        )
    ]
    info["related"] = [
        {"url": url, "title": title, "archived_id": archived}
        for url, title, archived in conn.execute(
            "SELECT r.url, r.title, (SELECT a.id FROM articles a WHERE a.url = r.url) "
            "FROM related_links r WHERE r.article_id = ? ORDER BY r.position",
            [article_id],
        )
    ]
    info["doc_refs"] = [
        {
            "number": number,
            "key": key,
            "type": kind,
            "issuer": issuer,
            "date": day,
            "cited_by": cited,
        }
        for number, key, kind, issuer, day, cited in conn.execute(
            "SELECT d.number, d.number_key, d.type, d.issuer, d.date, "
            "(SELECT count(DISTINCT o.article_id) FROM doc_refs o "
            "WHERE o.number_key = d.number_key) FROM doc_refs d WHERE d.article_id = ? "
            "ORDER BY d.position",
            [article_id],
        )
    ]
    info["raw_page"] = None
    if info["raw_page_id"] is not None:
        info["raw_page"] = _dict(
            conn.execute(
                "SELECT id, url, fetched_at, status, "
                "warc_file IS NOT NULL OR body_zlib IS NOT NULL AS stored "
                "FROM raw_pages WHERE id = ?",
                [info["raw_page_id"]],
            )
        )
    info["versions"] = versions(conn, article_id, info)
    info["capture_replay"] = replay_url(info["capture_url"])
    # The first and the latest readings (an article captured hundreds of times over the
    # years would otherwise list them all); the table has every one.
    info["sources_total"] = conn.execute(
        "SELECT count(*) FROM article_sources WHERE article_id = ?", [article_id]
    ).fetchone()[0]
    info["sources"] = [
        {"source": source, "seen_at": seen_at, "url": url, "replay": replay_url(capture)}
        for source, seen_at, url, capture in conn.execute(
            "SELECT source, seen_at, url, capture_url FROM ("
            "SELECT * FROM article_sources WHERE article_id = ? ORDER BY seen_at LIMIT 5) "
            "UNION SELECT source, seen_at, url, capture_url FROM ("
            "SELECT * FROM article_sources WHERE article_id = ? ORDER BY seen_at DESC LIMIT 15) "
            "ORDER BY seen_at",
            [article_id, article_id],
        )
    ]
    return info


def replay_url(capture_url: str | None) -> str | None:
    """A capture's address for a reader: the archive's replay page (``/web/<time>/<url>``)
    rather than the raw bytes (``id_``) khotin fetched."""
    if not capture_url:
        return None
    return re.sub(r"/web/(\d{8,14})id_/", r"/web/\1/", capture_url, count=1)


def paragraphs(text: str | None) -> list[str]:
    """The body's paragraphs (the store separates them with a blank line)."""
    if not text:
        return []
    parts = re.split(r"\n\s*\n", text)
    if len(parts) == 1:
        parts = text.split("\n")
    return [" ".join(p.split()) for p in parts if p.strip()]


def versions(
    conn: sqlite3.Connection, article_id: int, current: dict[str, Any]
) -> list[dict[str, Any]]:
    """Earlier versions, newest first, each with what the next state changed."""
    fields = ("title", "summary", "body_text", "published_at", "byline")
    rows = conn.execute(
        f"SELECT replaced_at, changed_fields, cause, {', '.join(fields)} FROM article_versions "
        # In the order the texts were seen (a capture backfilled late is still older).
        "WHERE article_id = ? ORDER BY COALESCE(seen_at, replaced_at) DESC, id DESC",
        [article_id],
    ).fetchall()
    out = []
    after = {name: current.get(name) for name in fields}
    for replaced_at, changed, cause, *values in rows:
        before = dict(zip(fields, values, strict=True))
        changes = [
            {"field": name, "diff": word_diff(before[name], after[name])}
            for name in fields
            if (before[name] or "") != (after[name] or "")
        ]
        out.append(
            {
                "replaced_at": replaced_at,
                "changed_fields": json_list(changed),
                "cause": cause,
                "changes": changes,
                **before,
            }
        )
        after = before
    return out


def word_diff(old: str | None, new: str | None) -> Markup:
    """A readable word-level diff: removed words in <del>, added ones in <ins>."""
    a, b = (old or "").split(), (new or "").split()
    out: list[Markup] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            words = a[i1:i2]
            if len(words) > 24:
                words = [*words[:10], "…", *words[-10:]]
            out.append(escape(" ".join(words)))
            continue
        if i2 > i1:
            out.append(Markup("<del>") + escape(" ".join(a[i1:i2])) + Markup("</del>"))
        if j2 > j1:
            out.append(Markup("<ins>") + escape(" ".join(b[j1:j2])) + Markup("</ins>"))
    return Markup(" ").join(out)


def citing(conn: sqlite3.Connection, number_key: str) -> dict[str, Any]:
    """A document number and every article that cites it, newest first."""
    spellings = [
        row[0]
        for row in conn.execute(
            "SELECT number FROM doc_refs WHERE number_key = ? GROUP BY number "
            "ORDER BY count(*) DESC",
            [number_key],
        )
    ]
    if not spellings:
        raise NotFound(f"no article cites {number_key!r}")
    articles = _dicts(
        conn.execute(
            "SELECT a.id, a.title, a.published_at, a.site_id, s.name AS site_name, a.category, "
            "a.byline, min(d.number) AS number, max(d.date) AS doc_date, max(d.type) AS type, "
            "max(d.issuer) AS issuer FROM doc_refs d JOIN articles a ON a.id = d.article_id "
            "LEFT JOIN sites s ON s.id = a.site_id WHERE d.number_key = ? GROUP BY a.id "
            "ORDER BY a.published_at DESC",
            [number_key],
        )
    )
    return {
        "key": number_key,
        "number": spellings[0],
        "spellings": spellings,
        "type": next((a["type"] for a in articles if a["type"]), None),
        "issuer": next((a["issuer"] for a in articles if a["issuer"]), None),
        "date": next((a["doc_date"] for a in articles if a["doc_date"]), None),
        "articles": articles,
    }


def stored_file(conn: sqlite3.Connection, sha256: str) -> dict[str, Any]:
    """How a stored attachment is described: its real kind, and a name to offer."""
    info = _dict(
        conn.execute(
            "SELECT f.url, f.kind, f.type_mismatch, f.display_name, f.size, f.content_type, "
            "(SELECT t.name FROM attachments t WHERE t.url = f.url LIMIT 1) AS link_text "
            "FROM attachment_files f WHERE f.sha256 = ? LIMIT 1",
            [sha256],
        )
    )
    if info is None:
        raise NotFound(f"no stored file {sha256}")
    return info


def _by_url(conn: sqlite3.Connection, select: str, urls: list[str]) -> dict[str, Any]:
    """url → value for the URLs ``select`` (``… WHERE url IN ({marks})``) finds, asked in
    chunks that stay under SQLite's limit on parameters."""
    found: dict[str, Any] = {}
    for start in range(0, len(urls), 500):
        chunk = urls[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found.update(conn.execute(select.format(marks=marks), chunk).fetchall())
    return found


def archived_ids(conn: sqlite3.Connection, urls: list[str]) -> dict[str, int]:
    """Which of these URLs are archived articles (for rewriting links in replays)."""
    return _by_url(conn, "SELECT url, id FROM articles WHERE url IN ({marks})", urls)


def archived_files(conn: sqlite3.Connection, urls: list[str]) -> dict[str, str]:
    """Which of these URLs are stored attachment files: url → sha256."""
    return _by_url(
        conn,
        "SELECT url, sha256 FROM attachment_files WHERE sha256 IS NOT NULL AND url IN ({marks})",
        urls,
    )


def json_list(value: str | None) -> list[Any]:
    try:
        parsed = json.loads(value or "[]")
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []
