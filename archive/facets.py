"""Facets, months and date order of search matches, counted in memory.

Counting a broad search's facets in SQL joins every match to its article row: at 100k
articles a query matching most of them spent ~300 ms in those joins alone (site,
section and year; cited document types; months), for numbers a reader glances at. The
archive keeps instead, per article id, a few small integers in compact arrays (site,
section, year, month, document-type bits, publication moment), built with two plain
scans (~0.2 s at 100k articles, ~15 MB at 1M) and rebuilt when the archive file
changes, at most every ``REBUILD_AFTER_S`` seconds while a crawl is writing. Counting
85k matches then takes a few milliseconds per facet.

Articles newer than the arrays (written by a running crawl since the last build) are
counted by ``missing`` so callers can fall back to SQL where exactness matters.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from heapq import nlargest, nsmallest
from typing import Any, TypeVar

REBUILD_AFTER_S = 30.0
T = TypeVar("T")
_DOC_TYPES_MAX = 16  # one bit each in an unsigned short; more are grouped as "other"


@dataclass
class FacetIndex:
    max_id: int
    site: array
    category: array
    year: array
    month: array
    moment: array  # yyyymmddHHMMSS as an integer, 0 when undated
    doc_types: array
    site_labels: list[Any] = field(default_factory=list)
    category_labels: list[Any] = field(default_factory=list)
    month_labels: list[str] = field(default_factory=list)
    type_labels: list[str] = field(default_factory=list)
    _table_counts: dict[str, list[tuple[Any, int]]] | None = None

    @classmethod
    def build(cls, conn: sqlite3.Connection) -> FacetIndex:
        max_id = conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        size = max_id + 1
        index = cls(
            max_id=max_id,
            site=array("H", bytes(2 * size)),
            category=array("H", bytes(2 * size)),
            year=array("H", bytes(2 * size)),
            month=array("H", bytes(2 * size)),
            moment=array("q", bytes(8 * size)),
            doc_types=array("H", bytes(2 * size)),
            site_labels=[None],
            category_labels=[None],
            month_labels=[""],
            type_labels=[],
        )
        sites: dict[Any, int] = {None: 0}
        categories: dict[Any, int] = {None: 0}
        months: dict[str, int] = {"": 0}
        digits = str.maketrans("", "", "-T:")
        for article_id, site, category, year, published in conn.execute(
            "SELECT id, site_id, category, published_year, published_at FROM articles"
        ):
            index.site[article_id] = sites.setdefault(site, len(sites))
            index.category[article_id] = categories.setdefault(category, len(categories))
            index.year[article_id] = year or 0
            if published:
                index.month[article_id] = months.setdefault(published[:7], len(months))
                stamp = published[:19].translate(digits)
                index.moment[article_id] = int(stamp.ljust(14, "0")) if stamp.isdigit() else 0
        types: dict[str, int] = {}
        for article_id, kind in conn.execute(
            "SELECT DISTINCT article_id, type FROM doc_refs WHERE type IS NOT NULL"
        ):
            if 0 < article_id <= max_id:
                bit = types.setdefault(kind, min(len(types), _DOC_TYPES_MAX - 1))
                index.doc_types[article_id] |= 1 << bit
        index.site_labels = list(sites)
        index.category_labels = list(categories)
        index.month_labels = list(months)
        index.type_labels = list(types)[:_DOC_TYPES_MAX]
        return index

    def table_counts(self) -> dict[str, list[tuple[Any, int]]]:
        """Site, section and year counts of the whole table (the articles page's facets,
        which SQL would count anew on every load: 120 ms at 1M articles), once a build."""
        if self._table_counts is None:
            out: dict[str, list[tuple[Any, int]]] = {}
            for name, values, labels in (
                ("site_id", self.site, self.site_labels),
                ("category", self.category, self.category_labels),
            ):
                out[name] = sorted(
                    ((labels[k], n) for k, n in Counter(values).items() if labels[k] is not None),
                    key=lambda kv: (-kv[1], str(kv[0])),
                )
            years = Counter(self.year)
            out["published_year"] = sorted(
                ((y, n) for y, n in years.items() if y), key=lambda kv: (-kv[1], -kv[0])
            )
            self._table_counts = out
        return self._table_counts

    def known(self, ids: list[int]) -> list[int]:
        limit = self.max_id
        return [i for i in ids if i <= limit] if ids and max(ids) > limit else ids

    def counts(self, ids: list[int]) -> dict[str, list[tuple[Any, int]]]:
        """Facet values with their counts, most frequent first (years newest first)."""
        ids = self.known(ids)
        out: dict[str, list[tuple[Any, int]]] = {}
        for name, values, labels in (
            ("site_id", self.site, self.site_labels),
            ("category", self.category, self.category_labels),
        ):
            counted = Counter(map(values.__getitem__, ids))
            out[name] = sorted(
                ((labels[k], n) for k, n in counted.items() if labels[k] is not None),
                key=lambda kv: (-kv[1], str(kv[0])),
            )
        years = Counter(map(self.year.__getitem__, ids))
        out["published_year"] = sorted(((y, n) for y, n in years.items() if y), reverse=True)
        bits = Counter(map(self.doc_types.__getitem__, ids))
        types: Counter[str] = Counter()
        for mask, n in bits.items():
            for position, label in enumerate(self.type_labels):
                if mask & (1 << position):
                    types[label] += n
        out["doc_type"] = sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))
        return out

    def months(self, ids: list[int]) -> list[tuple[str, int]]:
        counted = Counter(map(self.month.__getitem__, self.known(ids)))
        return sorted((self.month_labels[k], n) for k, n in counted.items() if k)

    def by_date(self, ids: list[int], count: int, *, oldest: bool = False) -> list[int]:
        """The ``count`` newest (or oldest) ids; undated ones last either way."""
        moment = self.moment.__getitem__
        if oldest:
            far = 99_999_999_999_999
            return nsmallest(count, ids, key=lambda i: (moment(i) or far, i))
        return nlargest(count, ids, key=lambda i: (moment(i), i))


_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[Any, tuple[int, ...], float]] = {}


def _file_state(path: str) -> tuple[int, ...]:
    state: list[int] = []
    for name in (path, path + "-wal"):
        try:
            info = os.stat(name)
            state += [info.st_mtime_ns, info.st_size]
        except OSError:
            state += [0, 0]
    return tuple(state)


def database_file(conn: sqlite3.Connection) -> str:
    """The file behind a connection ('' for an in-memory database)."""
    for _, name, path in conn.execute("PRAGMA database_list"):
        if name == "main":
            return path or ""
    return ""


def read_only_uri(path: str | os.PathLike[str]) -> str:
    """A URI that opens an archive for reading without writing anything: ``mode=ro``, or
    ``immutable=1`` when its folder cannot be written (read-only media, where SQLite
    could not even create the shared-memory file a WAL database needs)."""
    folder = os.path.dirname(os.path.abspath(path))
    return f"file:{path}?{'mode=ro' if os.access(folder, os.W_OK) else 'immutable=1'}"


def cached_for_file(conn: sqlite3.Connection, name: str, build: Callable[[], T]) -> T:
    """``build()``'s result, kept until the archive file changes, and then at most
    refreshed every ``REBUILD_AFTER_S`` seconds (a crawl writing all night does not make
    every page rebuild it)."""
    path = database_file(conn)
    if not path:
        return build()
    state = _file_state(path)
    with _lock:
        cached = _cache.get((path, name))
        if cached is not None and (
            cached[1] == state or time.monotonic() - cached[2] < REBUILD_AFTER_S
        ):
            return cached[0]
        value = build()
        _cache[(path, name)] = (value, state, time.monotonic())
        return value


def facet_index(conn: sqlite3.Connection) -> FacetIndex:
    """The arrays for this connection's archive, built once and refreshed after changes."""
    return cached_for_file(conn, "facets", lambda: FacetIndex.build(conn))
