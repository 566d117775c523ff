"""The one thing every reader of a page starts from: what was fetched, and when.

The spider, ``khotin extract``, ``khotin check``, ``khotin reparse``, ``khotin record``,
the case loader and any importer build the same ``Page`` and hand it to the same
extraction (``scraper.extract.extract``). Extraction depends on nothing else: "now" for
"3 giờ trước" is the page's own ``fetched_at``, the text comes from its own bytes and
Content-Type, so a stored page reads the same on the day it was fetched and years later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from scraper.parsing.encoding import Decoded, decode_page


def _header_pairs(headers: Mapping[str, object] | Iterable[tuple[str, str]] | None):
    """(name, value) pairs from a mapping of single values or lists, or from pairs."""
    if headers is None:
        return ()
    items = headers.items() if isinstance(headers, Mapping) else headers
    pairs: list[tuple[str, str]] = []
    for name, value in items:
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((str(name), str(v)) for v in values if v is not None)
    return tuple(pairs)


@dataclass(frozen=True)
class Page:
    """One fetched page: the exact bytes, the response's status and headers, the moment."""

    url: str
    body: bytes
    status: int = 200
    headers: tuple[tuple[str, str], ...] = field(default=())
    fetched_at: datetime | None = None

    @classmethod
    def of(
        cls,
        url: str,
        body: bytes,
        *,
        status: int = 200,
        headers: Mapping[str, object] | Iterable[tuple[str, str]] | None = None,
        content_type: str | None = None,
        fetched_at: datetime | str | None = None,
    ) -> Page:
        """A Page from loosely typed parts (header mappings, an ISO ``fetched_at``)."""
        pairs = _header_pairs(headers)
        if content_type and not any(n.lower() == "content-type" for n, _ in pairs):
            pairs = (*pairs, ("Content-Type", content_type))
        if isinstance(fetched_at, str):
            fetched_at = parse_moment(fetched_at)
        return cls(url=url, body=bytes(body), status=status, headers=pairs, fetched_at=fetched_at)

    def header(self, name: str) -> str | None:
        """The first value of a header, names compared without case."""
        wanted = name.lower()
        return next((v for n, v in self.headers if n.lower() == wanted), None)

    def header_lists(self) -> dict[str, list[str]]:
        """Headers as the archive stores them: name → every value, in order."""
        out: dict[str, list[str]] = {}
        for name, value in self.headers:
            out.setdefault(name, []).append(value)
        return out

    @property
    def content_type(self) -> str | None:
        return self.header("Content-Type")

    @cached_property
    def decoded(self) -> Decoded:
        """The text by khotin's charset rules for Vietnamese pages (wrong or missing
        declarations, windows-1258, TCVN3/VNI-typed text), NFC."""
        return decode_page(self.body, self.content_type)

    @property
    def text(self) -> str:
        return self.decoded.text


def parse_moment(value: str | None) -> datetime | None:
    """An ISO 8601 moment, or None for anything else (an unreadable value is not "now")."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
