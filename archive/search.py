"""Search: the one place where what people type becomes hits (DESIGN.md §1).

Every search entry point (the home and search pages, the articles table's
``?_search=``, their ``.json``, the feeds) goes through this module, so later work on
the index (tone placement, a leaner index at scale) changes one place.

People type Vietnamese with or without accents, half-accented ("kế hoach"), document
numbers in any spelling ("34-CT/TW", "34/ct-tw"), phrases in quotes, ``OR``, ``-word``
and ``prefix*``, and sometimes nonsense: stray quotes, brackets, operators alone,
pasted paragraphs, emoji. ``parse_query`` turns any of it into an FTS5 expression that
cannot be a syntax error, or into nothing plus a short note saying why.

The index (archive.schema) holds each article's text as printed and a folded copy
(archive.folding). A word typed without accents is looked up as it is, so it meets the
folded copy and finds every accented spelling; a word typed with accents only meets the
text as printed, so "thể" never finds "thế".
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from archive.facets import database_file, facet_index, read_only_uri
from archive.folding import fold, tone_placement
from archive.schema import FTS_COLUMNS, FTS_TABLE

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
# bm25 weights in FTS_COLUMNS order: a word in the title or a cited document number
# says more about an article than the same word deep in an attached PDF.
BM25_WEIGHTS = {
    "title": 8.0,
    "summary": 3.0,
    "body_text": 1.0,
    "byline": 2.0,
    "doc_numbers": 6.0,
    "attachment_names": 2.0,
    "attachment_text": 0.5,
    "folded": 1.0,
}
SORTS = ("relevance", "date", "oldest")
# The relevance ranking's own bound (it runs beside the caller's time-limited connection).
RANKING_TIME_LIMIT_S = 3.0

# What FTS5's unicode61 tokenizer keeps in a token: letters and digits (not "_").
_TOKEN = re.compile(r"[^\W_]+")
_BRACKETS = re.compile(r"[()\[\]{}<>]")


@dataclass(frozen=True)
class Term:
    """One searchable item: a word, a phrase or a document number."""

    tokens: tuple[str, ...]
    prefix: bool = False

    @property
    def accented(self) -> tuple[str, ...]:
        return tuple(t for t in self.tokens if fold(t) != t.casefold())

    def fts(self) -> str:
        """The FTS5 form: a quoted phrase, so nothing in it is read as syntax.

        A phrase mixing accented and plain words ("kế hoach") cannot match one column
        of the index as a phrase (the printed text has "kế hoạch", the folded copy
        "ke hoach"); it becomes the folded phrase AND each accented word as printed."""
        phrase = _quote(" ".join(self.tokens)) + (" *" if self.prefix else "")
        accented = self.accented
        if not accented or len(accented) == len(self.tokens) or len(self.tokens) == 1:
            return phrase
        folded = _quote(" ".join(fold(t) for t in self.tokens)) + (" *" if self.prefix else "")
        exact = " AND ".join(_quote(t) for t in accented)
        return f"({folded} AND {exact})"


@dataclass
class Query:
    """What was typed, what will be searched, and anything the reader should be told."""

    text: str
    fts: str | None
    terms: list[Term] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def note(self) -> str | None:
        return " ".join(self.notes) or None


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(m.group(0).casefold() for m in _TOKEN.finditer(text))


def _lex(text: str) -> list[tuple[str, str]]:
    """(kind, text) pieces: 'phrase' for quoted text, 'word' otherwise, 'OR' and 'NOT'."""
    pieces: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == '"' or (ch == "-" and i + 1 < n and text[i + 1] == '"'):
            negative = ch == "-"
            start = i + 2 if negative else i + 1
            end = text.find('"', start)
            end = n if end < 0 else end
            body = text[start:end]
            i = end + 1
            star = i < n and text[i] == "*"
            i += 1 if star else 0
            pieces.append(("-phrase" if negative else "phrase", body + ("*" if star else "")))
        else:
            end = i
            while end < n and not text[end].isspace() and text[end] != '"':
                end += 1
            word = text[i:end]
            i = end
            if word in ("OR", "|"):
                pieces.append(("OR", word))
            elif word in ("NOT",):
                pieces.append(("NOT", word))
            elif word in ("AND", "&", "+"):
                continue
            else:
                pieces.append(("word", word))
    return pieces


def parse_query(text: str | None) -> Query:
    """Any text → a safe FTS5 expression (or None) and notes for the reader."""
    text = unicodedata.normalize("NFC", text or "").strip()
    query = Query(text=text, fts=None)
    text = tone_placement(text)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        query.notes.append(
            f"Câu tìm quá dài, chỉ dùng {MAX_QUERY_CHARS} ký tự đầu "
            f"(query shortened to its first {MAX_QUERY_CHARS} characters)."
        )
    groups: list[list[Term]] = [[]]
    negatives: list[Term] = []
    negate_next = False
    count = 0
    for kind, piece in _lex(_BRACKETS.sub(" ", text)):
        if kind == "OR":
            if groups[-1]:
                groups.append([])
            continue
        if kind == "NOT":
            negate_next = True
            continue
        negative = negate_next or kind == "-phrase"
        negate_next = False
        if kind == "word" and piece.startswith("-") and len(piece) > 1:
            negative, piece = True, piece[1:]
        prefix = piece.endswith("*")
        tokens = _tokens(piece)
        if not tokens:
            continue
        if count >= MAX_TERMS:
            query.notes.append(
                f"Chỉ tìm {MAX_TERMS} từ đầu (only the first {MAX_TERMS} words are searched)."
            )
            break
        count += 1
        term = Term(tokens, prefix=prefix)
        (negatives if negative else groups[-1]).append(term)
    groups = [g for g in groups if g]
    if not groups:
        if negatives:
            query.notes.append(
                "Hãy thêm một từ cần tìm bên cạnh từ loại trừ "
                "(add a word to search for next to the -excluded ones)."
            )
        elif text:
            query.notes.append(
                "Không có từ nào để tìm (nothing to search for: type a word, a phrase in "
                'quotes or a document number such as "4846/KH-UBND").'
            )
        return query
    query.terms = [t for g in groups for t in g]
    alternatives = [" AND ".join(t.fts() for t in g) for g in groups]
    expression = " OR ".join(f"({a})" for a in alternatives) if len(groups) > 1 else alternatives[0]
    if negatives:
        expression = f"({expression}) NOT ({' OR '.join(t.fts() for t in negatives)})"
    query.fts = expression
    return query


# -- raw FTS5 expressions ------------------------------------------------------------

_checker_lock = threading.Lock()
_checker: sqlite3.Connection | None = None


def fts_syntax_error(expression: str) -> str | None:
    """The FTS5 error a raw expression would raise, checked on an empty in-memory
    table of the same columns; None when it is valid."""
    global _checker
    with _checker_lock:
        if _checker is None:
            _checker = sqlite3.connect(":memory:", check_same_thread=False)
            _checker.execute(
                f"CREATE VIRTUAL TABLE t USING fts5({', '.join(FTS_COLUMNS)}, "
                "tokenize='unicode61 remove_diacritics 0')"
            )
        try:
            _checker.execute("SELECT rowid FROM t WHERE t MATCH ?", [expression]).fetchall()
        except sqlite3.Error as exc:
            return str(exc)
    return None


def compile_query(text: str | None, *, raw: bool = False) -> Query:
    """``parse_query``, or with ``raw`` the expression as typed when FTS5 accepts it
    (falling back to the parsed form, with a note, when it does not)."""
    if raw and text and text.strip():
        expression = tone_placement(unicodedata.normalize("NFC", text).strip()[:MAX_QUERY_CHARS])
        error = fts_syntax_error(expression)
        if error is None:
            parsed = parse_query(text)
            return Query(text=expression, fts=expression, terms=parsed.terms)
        query = parse_query(text)
        query.notes.insert(
            0,
            "Biểu thức FTS5 không hợp lệ, đã tìm như văn bản thường "
            f"(raw FTS5 syntax not valid: {error}; searched as plain words).",
        )
        return query
    return parse_query(text)


def escape_fts(text: str | None) -> str:
    """SQL function for Datasette's ``?_search=`` (it replaces Datasette's own
    ``escape_fts``): the parsed expression, or an empty phrase that matches nothing."""
    return parse_query(text).fts or '""'


# -- searching ----------------------------------------------------------------------


@dataclass
class Filters:
    """Narrowing a search; every value is already checked (dates are ISO days)."""

    site: str | None = None
    category: str | None = None
    year: int | None = None
    doc_type: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def where(self) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("a.site_id", self.site),
            ("a.category", self.category),
            ("a.published_year", self.year),
        ):
            if value is not None and value != "":
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.doc_type:
            clauses.append("a.id IN (SELECT article_id FROM doc_refs WHERE type = ?)")
            params.append(self.doc_type)
        if self.date_from:
            clauses.append("a.published_at >= ?")
            params.append(self.date_from)
        if self.date_to:
            # A moment on the last day sorts after the bare date: compare the day only.
            clauses.append("substr(a.published_at, 1, 10) <= ?")
            params.append(self.date_to)
        return clauses, params

    def active(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


@dataclass
class Hit:
    id: int
    title: str | None
    title_html: Markup
    snippet_html: Markup
    published_at: str | None
    site_id: str
    site_name: str | None
    category: str | None
    byline: str | None
    summary: str | None
    url: str
    changed_at: str | None


@dataclass
class Results:
    query: Query
    filters: Filters
    sort: str
    hits: list[Hit]
    total: int
    page: int
    size: int
    facets: dict[str, list[tuple[Any, int]]]
    months: list[tuple[str, int]] = field(default_factory=list)
    # A broad search: ``total`` is a lower bound, the order and the facets are those of
    # the BROAD most recently archived matches.
    more: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


FACETS = ("site_id", "category", "published_year", "doc_type")
# Matches read, ranked and counted at most (see search()).
BROAD = 20_000
HIT_COLUMNS = (
    "a.id, a.title, a.summary, a.body_text, a.published_at, a.site_id, s.name, a.category, "
    "a.byline, a.url, a.changed_at"
)
_helpers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="khotin-search")
_helper_connections = threading.local()


def search(
    conn: sqlite3.Connection,
    text: str | None,
    *,
    filters: Filters | None = None,
    sort: str = "relevance",
    page: int = 1,
    size: int = 20,
    raw: bool = False,
    facets: bool = True,
) -> Results:
    """Articles matching ``text`` (every article when it is empty) and ``filters``.

    Sorted by relevance (bm25, title and document numbers weighted) or by date; each
    hit carries a highlighted snippet; facets count sites, sections, years and the
    types of cited documents among all matches, and ``months`` the matches per month.

    The matches' ids are read once; counting and date order are done on them in memory
    (archive.facets), while the relevance ranking, which only FTS5 can compute, runs
    at the same time on a second read-only connection when the archive is a file."""
    filters = filters or Filters()
    query = compile_query(text, raw=raw)
    sort = sort if sort in SORTS else "relevance"
    page = max(1, page)
    size = max(1, min(size, 100))
    if query.fts is None and query.text:
        # Typed, but nothing searchable: say so rather than list everything.
        return Results(query, filters, sort, [], 0, page, size, {})
    if query.fts is None and sort == "relevance":
        sort = "date"
    clauses, params = filters.where()
    if query.fts is not None:
        clauses.insert(0, f"{FTS_TABLE} MATCH ?")
        params.insert(0, query.fts)
    joined = bool(filters.active()) or query.fts is None
    if query.fts is None:
        source = "articles a"
    elif joined:
        source = f"{FTS_TABLE} JOIN articles a ON a.id = {FTS_TABLE}.rowid"
    else:
        source = FTS_TABLE
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    offset = (page - 1) * size
    key = "a.id" if joined else "rowid"
    # At most BROAD matches, the most recently archived first: a word found in most of
    # a million articles must not cost a million rows read, ranked and counted.
    # With no words (browsing a site, a year, a feed) the newest by publication, through
    # the date index: a backfill writes old articles with new ids.
    if query.fts is not None:
        cap_order = f"{key} DESC"
    elif sort == "oldest":
        cap_order = "a.published_at IS NULL, a.published_at, a.id"
    else:
        cap_order = "a.published_at DESC, a.id DESC"
    ids = [
        row[0]
        for row in conn.execute(
            f"SELECT {key} FROM {source}{where} ORDER BY {cap_order} LIMIT ?",
            [*params, BROAD + 1],
        )
    ]
    more = len(ids) > BROAD
    if more:
        ids = ids[:BROAD]
        if query.fts is not None:  # the ranking looks at the same matches as the counts
            where += (" AND " if where else " WHERE ") + f"{key} >= ?"
            params = [*params, ids[-1]]
        query.notes.append(
            f"Tìm rộng: hơn {BROAD:,} bài khớp; thứ tự và số liệu lấy trong {BROAD:,} bài "
            "được lưu gần nhất. Thêm từ, chọn trang hoặc năm để thu hẹp · A broad search: "
            f"more than {BROAD:,} matches; order and counts are those of the {BROAD:,} most "
            "recently archived. Add words, or pick a site or a year, to narrow it."
        )
    ranked = None
    if sort == "relevance":
        ranked = _submit_ranking(conn, source, where, params, size, offset)
    index = facet_index(conn) if ids else None
    # Counted while the helper ranks: the two overlap.
    counted = index.counts(ids) if facets and index is not None else {}
    months = index.months(ids) if facets and index is not None else []
    if ranked is not None:
        page_ids = ranked.result() if isinstance(ranked, Future) else ranked(conn)
    elif index is not None and max(ids) <= index.max_id:
        chosen = index.by_date(ids, offset + size, oldest=sort == "oldest")
        page_ids = chosen[offset:]
    else:
        order = "a.published_at IS NULL, a.published_at" + ("" if sort == "oldest" else " DESC")
        page_ids = [
            row[0]
            for row in conn.execute(
                f"SELECT a.id FROM articles a WHERE a.id IN (SELECT {key} FROM {source}{where}) "
                f"ORDER BY {order}, a.id LIMIT ? OFFSET ?",
                [*params, size, offset],
            )
        ]
    hits = _hits(conn, page_ids, query)
    return Results(query, filters, sort, hits, len(ids), page, size, counted, months, more)


def _ranking_sql(source: str, where: str) -> str:
    weights = ", ".join(str(BM25_WEIGHTS[c]) for c in FTS_COLUMNS)
    key = "a.id" if " JOIN " in source else "rowid"
    return (
        f"SELECT {key} FROM {source}{where} ORDER BY bm25({FTS_TABLE}, {weights}), {key} DESC "
        "LIMIT ? OFFSET ?"
    )


def _submit_ranking(
    conn: sqlite3.Connection,
    source: str,
    where: str,
    params: list[Any],
    size: int,
    offset: int,
) -> Future[list[int]] | Any:
    """The page of ids by relevance: on a helper thread and connection when the archive
    is a file (FTS5 ranks without holding the GIL), else later on ``conn`` itself."""
    sql = _ranking_sql(source, where)
    args = [*params, size, offset]
    path = database_file(conn)
    if not path:
        return lambda c: [row[0] for row in c.execute(sql, args)]

    def rank() -> list[int]:
        # Keyed by the file's identity too: a published copy replaced under a running
        # server is a new file, and the old connection would go on reading the old one.
        info = os.stat(path)
        key = f"{path}|{info.st_ino}|{info.st_mtime_ns}"
        helper = getattr(_helper_connections, "connection", None)
        if getattr(_helper_connections, "key", None) != key:
            if helper is not None:
                helper.close()
            helper = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
            _helper_connections.connection, _helper_connections.key = helper, key
        deadline = time.monotonic() + RANKING_TIME_LIMIT_S
        # Checked rarely: each check takes the GIL from the caller counting facets.
        helper.set_progress_handler(lambda: time.monotonic() > deadline, 1_000_000)
        try:
            return [row[0] for row in helper.execute(sql, args)]
        finally:
            helper.set_progress_handler(None, 0)

    return _helpers.submit(rank)


def _hits(conn: sqlite3.Connection, ids: list[int], query: Query) -> list[Hit]:
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = {
        row[0]: row
        for row in conn.execute(
            f"SELECT {HIT_COLUMNS} FROM articles a LEFT JOIN sites s ON s.id = a.site_id "
            f"WHERE a.id IN ({marks})",
            ids,
        )
    }
    return [_hit(rows[i], query) for i in ids if i in rows]


def _hit(row: tuple[Any, ...], query: Query) -> Hit:
    (
        article_id,
        title,
        summary,
        body,
        published,
        site_id,
        site_name,
        category,
        byline,
        url,
        changed,
    ) = row
    patterns = highlight_patterns(query)
    lead = " ".join(p for p in (summary, body) if p)
    return Hit(
        id=article_id,
        title=title,
        title_html=highlight(title or "", patterns),
        snippet_html=snippet(lead, patterns),
        published_at=published,
        site_id=site_id,
        site_name=site_name,
        category=category,
        byline=byline,
        summary=summary,
        url=url,
        changed_at=changed,
    )


# -- snippets -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    folded: bool  # match against the folded text (the term was typed without accents)


def highlight_patterns(query: Query) -> list[_Pattern]:
    patterns = []
    for term in query.terms:
        for i, token in enumerate(term.tokens):
            plain = fold(token) == token
            tail = "" if (term.prefix and i == len(term.tokens) - 1) else r"(?![^\W_])"
            regex = re.compile(r"(?<![^\W_])" + re.escape(token) + tail)
            patterns.append(_Pattern(regex, plain))
    return patterns


def _spans(text: str, patterns: list[_Pattern]) -> list[tuple[int, int]]:
    if not patterns or not text:
        return []
    lowered = tone_placement(text).casefold()
    folded = fold(text)
    if len(folded) != len(text) or len(lowered) != len(text):
        # A character that folds to several (ß → ss): match char by char instead.
        lowered = "".join(c.casefold()[:1] or c for c in text)
        folded = "".join(fold(c)[:1] or " " for c in text)
    spans = []
    for pattern in patterns:
        haystack = folded if pattern.folded else lowered
        spans.extend(m.span() for m in pattern.regex.finditer(haystack) if m.end() > m.start())
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, patterns: list[_Pattern]) -> Markup:
    """``text`` escaped, with every match inside ``<mark>``."""
    out: list[str] = []
    at = 0
    for start, end in _spans(text, patterns):
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        at = end
    out.append(escape(text[at:]))
    return Markup("".join(out))


def snippet(text: str, patterns: list[_Pattern], width: int = 240) -> Markup:
    """About ``width`` characters around the first match, highlighted."""
    text = " ".join(text.split())
    spans = _spans(text, patterns)
    start = 0
    if spans:
        start = max(0, spans[0][0] - width // 3)
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if start and space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = highlight(text[start:end], patterns)
    return Markup(("… " if start else "") + piece + (" …" if end < len(text) else ""))
