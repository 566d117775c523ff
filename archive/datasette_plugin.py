"""khotin's Datasette plugin: the same folding for queries as for the index.

- SQL functions ``khotin_fold(text)`` and ``khotin_doc_key(number)`` for canned
  queries ("articles citing 34-CT/TW" whichever way the number is typed);
- ``?_search=`` values are brought to NFC before they reach FTS5, so a query typed on
  a keyboard that emits decomposed Vietnamese still matches the (NFC) index;
- safe to publish: paths that Datasette would redirect to another site are refused,
  redirects stay on this site, and CSV exports carry no live spreadsheet formulas.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from archive.csvsafe import CsvNeutralizer
from archive.folding import doc_number_key, fold


@hookimpl
def prepare_connection(conn: Any) -> None:
    conn.create_function("khotin_fold", 1, fold, deterministic=True)
    conn.create_function("khotin_doc_key", 1, doc_number_key, deterministic=True)


def _nfc_query(query_string: bytes) -> bytes:
    pairs = parse_qsl(query_string.decode("utf-8", "replace"), keep_blank_values=True)
    if not any(key.startswith("_search") for key, _ in pairs):
        return query_string
    pairs = [
        (key, unicodedata.normalize("NFC", value) if key.startswith("_search") else value)
        for key, value in pairs
    ]
    return urlencode(pairs).encode("utf-8")


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
            if scope.get("query_string"):
                scope = {**scope, "query_string": _nfc_query(scope["query_string"])}
            send = _safe_redirects(send)
            if _is_csv(scope):
                send = _neutralised_csv(send)
            await app(scope, receive, send)

        return guarded

    return wrap


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
