"""khotin's Datasette plugin: the reading room, and one search for every entry point.

- the reading room's routes and templates (archive.reading_room): home, search,
  article, archived page, stored files, documents, sites, feeds;
- ``?_search=`` on the articles table goes through archive.search like every other
  search: Datasette's ``escape_fts`` SQL function is replaced by khotin's query
  parser, and a ``_searchmode=raw`` expression FTS5 would reject falls back to it, so
  no input ever ends in an error page;
- the articles table shows what a reader needs (title, date, site, section, byline)
  unless columns are chosen, titles link to the article page in tables and canned
  queries, and dates typed into canned queries are read as dd/mm/yyyy or ISO (or
  refused with a message);
- SQL functions ``khotin_fold(text)``, ``khotin_doc_key(number)`` and ``khotin_day(text)``
  for canned queries ("articles citing 34-CT/TW" whichever way the number is typed);
- safe to publish: paths that Datasette would redirect to another site are refused,
  redirects stay on this site, and CSV exports carry no live spreadsheet formulas.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.facets import ColumnFacet
from datasette.utils import path_with_added_args, path_with_removed_args
from markupsafe import Markup

from archive import reading_room
from archive.csvsafe import CsvNeutralizer
from archive.facets import facet_index
from archive.folding import doc_number_key, fold
from archive.opening import refresh_if_replaced
from archive.reading import parse_day_input
from archive.search import escape_fts, fts_syntax_error, parse_query

DB = reading_room.DB_NAME
MAX_VALUE_BYTES = 32 * 1024 * 1024
# Every response: Datasette's own pages need their inline scripts and styles; nothing
# may come from another host, and only the archive may frame its pages.
SECURITY_HEADERS = (
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self' 'unsafe-inline'; "
        b"style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
        b"base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
    ),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
# The articles table, as a reader first sees it.
ARTICLE_COLUMNS = ("title", "published_at", "site_id", "category", "byline")
# Canned-query parameters that are days: read as dd/mm/yyyy or ISO, refused otherwise.
DAY_PARAMETERS = ("start_date", "end_date")


def _day_or_null(text: str | None) -> str | None:
    try:
        return parse_day_input(text)
    except ValueError:
        return None


class CachedColumnFacet(ColumnFacet):
    """The articles table's own facets (metadata ``{"cached": "site_id"}``): unfiltered,
    counted from the archive's in-memory facet arrays (archive.facets, rebuilt when the
    file changes) instead of three GROUP BYs over every row on each load; filtered (a
    site, a year, a search), counted in SQL as Datasette does."""

    type = "cached"

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        unfiltered = (
            self.table == "articles" and not self.params and " where " not in (self.sql.lower())
        )
        if not unfiltered:
            return await super().facet_results()
        counts = await self.ds.get_database(self.database).execute_fn(
            lambda conn: facet_index(conn).table_counts()
        )
        size = self.get_facet_size()
        results = []
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            values = counts.get(column)
            if values is None:  # a column the arrays do not hold: SQL, as Datasette would
                return await super().facet_results()
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {"_facet": column})
                    ),
                    "results": [
                        {
                            "value": value,
                            "label": value,
                            "count": count,
                            "toggle_url": self.ds.absolute_url(
                                self.request,
                                self.ds.urls.path(
                                    path_with_added_args(self.request, {column: value})
                                ),
                            ),
                            "selected": False,
                        }
                        for value, count in values[:size]
                    ],
                    "truncated": len(values) > size,
                }
            )
        return results, []


@hookimpl
def register_facet_classes() -> list[type]:
    return [CachedColumnFacet]


@hookimpl(trylast=True)
def prepare_connection(conn: Any) -> None:
    # trylast: runs after Datasette's own hook, so khotin's escape_fts is the one kept.
    conn.create_function("escape_fts", 1, escape_fts, deterministic=True)
    conn.create_function("khotin_fold", 1, fold, deterministic=True)
    conn.create_function("khotin_doc_key", 1, doc_number_key, deterministic=True)
    conn.create_function("khotin_day", 1, _day_or_null, deterministic=True)
    # A query cannot build a string or blob larger than this (randomblob(400000000) is
    # refused with "string or blob too big" instead of taking the server's memory).
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return reading_room.routes()


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [reading_room.ASSET_PREFIX + "khotin.css"]


@hookimpl
def extra_js_urls(datasette: Any) -> list[str]:
    return [reading_room.ASSET_PREFIX + "khotin.js"]


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    return [
        {"href": "/", "label": "Trang chủ · Home"},
        {"href": "/search", "label": "Tìm kiếm · Search"},
        {"href": "/trends", "label": "Xu hướng · Trends"},
        {"href": f"/{DB}", "label": "Các bảng · Tables"},
    ]


@hookimpl
def extra_template_vars(request: Any, table: str | None, view_name: str) -> dict[str, Any]:
    """What the articles table's search box says about the query (see archive.search)."""
    if request is None or view_name != "table" or table != "articles":
        return {}
    typed = request.args.get("_search")
    parsed = parse_query(typed) if typed else None
    return {
        "khotin_search": typed or "",
        "khotin_search_note": parsed.note if parsed else None,
    }


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, row: Any) -> Any:
    """Titles link to the reading room's article page, document numbers to their
    citers, stored files to the file itself: in tables and canned queries alike."""
    if database != DB or value is None:
        return None
    keys = row.keys() if hasattr(row, "keys") else ()
    if column == "title" and table in (None, "articles") and "id" in keys and row["id"]:
        return Markup('<a href="/article/{}">{}</a>').format(int(row["id"]), value)
    if column == "number" and table in (None, "doc_refs") and isinstance(value, str):
        key = doc_number_key(value)
        if key:
            return Markup('<a href="/doc/{}">{}</a>').format(key, value)
    if column == "sha256" and table == "attachment_files" and isinstance(value, str):
        if re.fullmatch(r"[0-9a-f]{64}", value):
            return Markup('<a href="/file/{}">{}</a>').format(value, value[:12] + "…")
    return None


def _rewrite_query(path: str, query_string: bytes) -> tuple[bytes, str | None]:
    """The query string Datasette should see, or a message refusing it.

    NFC for searches; a raw FTS5 expression that would be a syntax error is searched as
    plain words instead; the articles table gets its reader's columns; canned-query
    days typed dd/mm/yyyy become ISO, and an unreadable day is refused."""
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    names = {key for key, _ in pairs}
    changed = False
    out = []
    for key, value in pairs:
        if key.startswith("_search") and key != "_searchmode":
            if not value.strip():
                changed = True  # a blank search is no search: every row, as with no box
                continue
            normal = unicodedata.normalize("NFC", value)
            changed = changed or normal != value
            value = normal
        out.append((key, value))
    if "_searchmode" in names and dict(out).get("_searchmode") == "raw":
        searches = [v for k, v in out if k.startswith("_search") and k != "_searchmode"]
        if any(fts_syntax_error(v) for v in searches):
            out = [(k, v) for k, v in out if k != "_searchmode"]
            changed = True
    if path == f"/{DB}/articles" and not names & {"_col", "_nocol"}:
        out += [("_col", column) for column in ARTICLE_COLUMNS]
        changed = True
    if path.startswith(f"/{DB}/") and names & set(DAY_PARAMETERS):
        days = []
        for key, value in out:
            if key in DAY_PARAMETERS:
                try:
                    value = parse_day_input(value) or ""
                except ValueError as exc:
                    return query_string, str(exc)
                changed = True
            days.append((key, value))
        out = days
    return (urlencode(out).encode("utf-8") if changed else query_string), None


# Paths that some redirects turn into another site: "//evil.example/", "/\\evil.example/"
# and their percent-encoded forms (Datasette issues #2429 and #2680).
OPEN_REDIRECT_PATH = re.compile(rb"^/(/|\\|%2f|%5c)", re.IGNORECASE)


def _is_csv(scope: dict[str, Any]) -> bool:
    if scope.get("path", "").endswith(".csv"):
        return True
    return b"_format=csv" in (scope.get("query_string") or b"")


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: Any) -> Any:
        async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            raw_path = scope.get("raw_path") or scope.get("path", "").encode("utf-8")
            if OPEN_REDIRECT_PATH.match(raw_path):
                await _reject(send)
                return
            refresh_if_replaced(datasette)
            path = scope.get("path", "")
            if path == f"/{DB}/articles" or scope.get("query_string"):
                query, refusal = _rewrite_query(path, scope.get("query_string") or b"")
                if refusal is not None:
                    await _refuse(datasette, scope, receive, send, refusal)
                    return
                scope = {**scope, "query_string": query}
            send = _secured(_safe_redirects(send))
            if _is_csv(scope):
                send = _neutralised_csv(send)
            await app(scope, receive, send)

        return guarded

    return wrap


async def _refuse(
    datasette: Any, scope: dict[str, Any], receive: Any, send: Any, message: str
) -> None:
    """A request refused with a message a reader understands (400)."""
    if scope.get("path", "").endswith(".json"):
        body = json.dumps({"ok": False, "error": message}, ensure_ascii=False).encode()
        content_type = b"application/json; charset=utf-8"
    else:
        # Outside Datasette's own middleware (no CSRF token yet): rendered without a request.
        html = await datasette.render_template(
            "khotin_message.html",
            {
                "title": "Không đọc được · Cannot read this",
                "message": message,
                "back": scope.get("path", "/"),
                "db_name": DB,
            },
        )
        body = html.encode("utf-8")
        content_type = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _reject(send: Any) -> None:
    body = b"Bad request path"
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [
                (b"content-type", b"text/plain"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _safe_redirects(send: Any) -> Any:
    """A redirect may only point inside this site."""

    async def wrapped(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
            headers = []
            for name, value in message.get("headers", []):
                if name.lower() == b"location" and OPEN_REDIRECT_PATH.match(value):
                    value = b"/" + value.lstrip(b"/\\")
                headers.append((name, value))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


def _secured(send: Any) -> Any:
    """Security headers on every response; a route's own stricter policy is kept."""

    async def wrapped(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {name.lower() for name, _ in headers}
            headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


def _neutralised_csv(send: Any) -> Any:
    """CSV exports with every formula-looking field turned into text (see csvsafe)."""
    neutralizer = CsvNeutralizer()

    async def wrapped(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            headers = [
                (k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"
            ]
            message = {**message, "headers": headers}
        elif message["type"] == "http.response.body":
            final = not message.get("more_body", False)
            message = {**message, "body": neutralizer.feed(message.get("body", b""), final)}
        await send(message)

    return wrapped
