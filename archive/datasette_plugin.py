"""khotin's Datasette plugin: the same folding for queries as for the index.

- SQL functions ``khotin_fold(text)`` and ``khotin_doc_key(number)`` for canned
  queries ("articles citing 34-CT/TW" whichever way the number is typed);
- ``?_search=`` values are brought to NFC before they reach FTS5, so a query typed on
  a keyboard that emits decomposed Vietnamese still matches the (NFC) index.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

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


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: Any) -> Any:
        async def normalised(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope.get("type") == "http" and scope.get("query_string"):
                scope = {**scope, "query_string": _nfc_query(scope["query_string"])}
            await app(scope, receive, send)

        return normalised

    return wrap
