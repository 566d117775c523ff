"""The archive's tables, in one place, and the migrations that bring an old file up to date.

Datasette users write SQL against these names (DESIGN.md §2), so columns are only
ever added, never renamed. The steps are a sqlite-utils ``Migrations`` set: each runs in
one transaction with the record of it in ``_sqlite_migrations``, and ``PRAGMA
user_version`` mirrors the count, so a read-only opener (``khotin serve``) can tell an
old or newer file with one pragma. Opening an archive written by an older khotin
upgrades it in place.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from sqlite_utils import Database, Migrations

from archive.hashes import VERSIONED_FIELDS, text_hash
from scraper.parsing.links import identity_key

FTS_TABLE = "articles_fts"
# The columns the full-text index holds. ``folded`` is the accent-free copy of all of
# them (see archive.folding); the others keep the accents, so an accented query is exact.
FTS_COLUMNS = (
    "title",
    "summary",
    "body_text",
    "byline",
    "doc_numbers",
    "attachment_names",
    "attachment_text",
    "folded",
)


def _v1(db: Database) -> None:
    db["sites"].create(
        {
            "id": str,
            "name": str,
            "base_url": str,
            "family": str,
            "status": str,
            "category": str,
            "first_crawled_at": str,
            "last_crawled_at": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["raw_pages"].create(
        {
            "id": int,
            "url": str,
            "fetched_at": str,
            "status": int,
            "headers": str,
            "content_type": str,
            "size": int,
            "sha256": str,
            "body_zlib": bytes,
        },
        pk="id",
        if_not_exists=True,
    )
    db["raw_pages"].create_index(["url", "sha256"], unique=True, if_not_exists=True)
    db["crawl_runs"].create(
        {
            "id": int,
            "site_id": str,
            "started_at": str,
            "finished_at": str,
            "outcome": str,
            "requests": int,
            "pages": int,
            "new": int,
            "updated": int,
            "unchanged": int,
            "errors": int,
            "field_coverage": str,
            "field_sources": str,
        },
        pk="id",
        foreign_keys=[("site_id", "sites", "id")],
        if_not_exists=True,
    )
    db["articles"].create(
        {
            "id": int,
            "site_id": str,
            "url": str,
            "fetched_url": str,
            "title": str,
            "summary": str,
            "body_text": str,
            "category": str,
            "published_at": str,
            "published_raw": str,
            "published_year": int,
            "updated_at": str,
            "byline": str,
            "authors": str,
            "source_unit": str,
            "images": str,
            "field_sources": str,
            "content_hash": str,
            "raw_page_id": int,
            "first_seen_at": str,
            "last_seen_at": str,
            "changed_at": str,
            "removed_at": str,
        },
        pk="id",
        foreign_keys=[("site_id", "sites", "id"), ("raw_page_id", "raw_pages", "id")],
        not_null={"site_id", "url"},
        if_not_exists=True,
    )
    db["articles"].create_index(["url"], unique=True, if_not_exists=True)
    db["articles"].create_index(["site_id", "published_at"], if_not_exists=True)
    db["articles"].create_index(["published_at"], if_not_exists=True)
    db["articles"].create_index(["published_year"], if_not_exists=True)
    db["articles"].create_index(["category"], if_not_exists=True)
    for name, columns in (
        ("attachments", {"url": str, "name": str, "kind": str}),
        ("related_links", {"url": str, "title": str}),
        ("doc_refs", {"number": str, "number_key": str, "type": str, "issuer": str, "date": str}),
    ):
        db[name].create(
            {"id": int, "article_id": int, "position": int, **columns},
            pk="id",
            foreign_keys=[("article_id", "articles", "id")],
            if_not_exists=True,
        )
        db[name].create_index(["article_id"], if_not_exists=True)
    # (doc_refs' number_key index is made by step 7 with article_id after it: _v10.)
    db["article_versions"].create(
        {
            "id": int,
            "article_id": int,
            "replaced_at": str,
            "changed_fields": str,
            "title": str,
            "summary": str,
            "body_text": str,
            "published_at": str,
            "byline": str,
            "authors": str,
            "content_hash": str,
            "raw_page_id": int,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        if_not_exists=True,
    )
    db["article_versions"].create_index(["article_id"], if_not_exists=True)
    db.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, summary, body_text, "
        "byline, doc_numbers, attachment_names, folded, tokenize='unicode61 remove_diacritics 0')"
    )


def _v2(db: Database) -> None:
    """Nightly crawls: validators for conditional requests, removals, WARC-stored raw
    pages, downloaded attachments with their text in the search index, run reasons."""
    articles = db["articles"]
    for column in ("etag", "last_modified", "last_checked_at"):
        if column not in articles.columns_dict:
            articles.add_column(column, str)
    raw = db["raw_pages"]
    for column, kind in (("warc_file", str), ("warc_offset", int), ("warc_length", int)):
        if column not in raw.columns_dict:
            raw.add_column(column, kind)
    runs = db["crawl_runs"]
    for column, kind in (("reason", str), ("removed", int), ("skipped", int), ("mode", str)):
        if column not in runs.columns_dict:
            runs.add_column(column, kind)
    db["listing_pages"].create(
        {
            "url": str,
            "site_id": str,
            "etag": str,
            "last_modified": str,
            "status": int,
            "article_links": int,
            "fetched_at": str,
        },
        pk="url",
        if_not_exists=True,
    )
    db["attachment_files"].create(
        {
            "url": str,
            "status": int,
            "sha256": str,
            "size": int,
            "content_type": str,
            "kind": str,
            "claimed_kind": str,
            "type_mismatch": int,
            "display_name": str,
            "text": str,
            "error": str,
            "fetched_at": str,
        },
        pk="url",
        if_not_exists=True,
    )
    db["attachment_files"].create_index(["sha256"], if_not_exists=True)
    db["attachments"].create_index(["url"], if_not_exists=True)
    # The index gains the attachments' text; FTS5 tables cannot add columns, so it is
    # rebuilt (the store reindexes every article after migrating).
    db.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    _create_fts(db)


def _create_fts(db: Database, *, contentless: bool = False) -> None:
    columns = ", ".join(FTS_COLUMNS)
    # An FTS5 table whose rowid is articles.id: Datasette's ?_search uses it through the
    # fts_table setting in datasette_metadata.json. Contentless since step 7: snippets
    # are cut from the articles themselves (archive.search), so the index keeps no
    # second copy of every text.
    content = ", content=''" if contentless else ""
    db.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns}, "
        f"tokenize='unicode61 remove_diacritics 0'{content})"
    )


def _v3(db: Database) -> None:
    """The accented index keeps one tone placement (archive.folding.tone_placement);
    nothing changes in the tables, every article is indexed again."""


def _v4(db: Database) -> None:
    """The ledger of what is missing (archive.ledger)."""
    db["missing"].create(
        {
            "url": str,
            "site_id": str,
            "kind": str,
            "article_url": str,
            "status": int,
            "error": str,
            "attempts": int,
            "first_failed_at": str,
            "last_tried_at": str,
            "next_retry_at": str,
            "gone_at": str,
            "gone_reason": str,
        },
        pk="url",
        if_not_exists=True,
    )
    db["missing"].create_index(["site_id", "kind", "next_retry_at"], if_not_exists=True)


def _v5(db: Database) -> None:
    """Versions say why they were replaced: the site edited the page ("site"), or khotin
    read the same stored page differently after a rule change ("reparse")."""
    versions = db["article_versions"]
    if "cause" not in versions.columns_dict:
        versions.add_column("cause", str)


def _v6(db: Database) -> None:
    """Web archives (issue 12): where each article's text came from, the captures a
    backfill listed and fetched, and the 2025 merger of provinces.

    An article is found by ``url_key`` (scheme, ``www.`` and default ports aside), so a
    page captured as http and crawled live as https is one article. ``content_at`` is
    the moment of the fetch or capture its current text comes from: an older capture
    that arrives later becomes an older version, never the current text."""
    articles = db["articles"]
    for column in (
        "url_key",
        "provenance",
        "content_source",
        "content_at",
        "capture_url",
        "text_hash",
    ):
        if column not in articles.columns_dict:
            articles.add_column(column, str)
    rows = db.execute("SELECT id, url FROM articles WHERE url_key IS NULL").fetchall()
    for article_id, url in rows:
        db.execute("UPDATE articles SET url_key = ? WHERE id = ?", [identity_key(url), article_id])
    # What an article stored before this step was read from: a live crawl, at its raw
    # page's fetch time (or when it last changed).
    db.execute(
        "UPDATE articles SET provenance = COALESCE(provenance, 'live'), "
        "content_source = COALESCE(content_source, 'live'), "
        "content_at = COALESCE(content_at, (SELECT fetched_at FROM raw_pages r "
        "WHERE r.id = articles.raw_page_id), changed_at, first_seen_at)"
    )
    # The hash of each article's own text (archive.hashes), so the next reading that
    # differs only in its related links keeps no empty version.
    rows = db.execute(
        f"SELECT id, {', '.join(VERSIONED_FIELDS)} FROM articles WHERE text_hash IS NULL"
    ).fetchall()
    for article_id, *values in rows:
        article = dict(zip(VERSIONED_FIELDS, values, strict=True))
        article["authors"] = json.loads(article["authors"] or "[]")
        article["attachments"] = [
            {"url": url}
            for (url,) in db.execute(
                "SELECT url FROM attachments WHERE article_id = ? ORDER BY position", [article_id]
            )
        ]
        db.execute(
            "UPDATE articles SET text_hash = ? WHERE id = ?", [text_hash(article), article_id]
        )
    articles.create_index(["url_key"], if_not_exists=True)
    articles.create_index(["provenance"], if_not_exists=True)
    versions = db["article_versions"]
    for column in ("seen_at", "source", "capture_url", "text_hash"):
        if column not in versions.columns_dict:
            versions.add_column(column, str)
    db.execute("UPDATE article_versions SET source = COALESCE(source, 'live') WHERE source IS NULL")
    db["article_sources"].create(
        {
            "id": int,
            "article_id": int,
            "source": str,  # "live" or "web-archive"
            "seen_at": str,  # the fetch or capture moment
            "url": str,  # the address as fetched or captured
            "capture_url": str,  # the archive's address of the capture's own bytes
            "content_hash": str,
            "raw_page_id": int,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("raw_page_id", "raw_pages", "id")],
        if_not_exists=True,
    )
    db["article_sources"].create_index(
        ["article_id", "source", "seen_at"], unique=True, if_not_exists=True
    )
    db.execute(
        "INSERT OR IGNORE INTO article_sources (article_id, source, seen_at, url, "
        "content_hash, raw_page_id) SELECT id, 'live', content_at, fetched_url, content_hash, "
        "raw_page_id FROM articles WHERE content_at IS NOT NULL"
    )
    db["captures"].create(
        {
            "id": str,  # timestamp + " " + original: one capture
            "site_id": str,
            "timestamp": str,
            "captured_at": str,
            "original": str,
            "url_key": str,
            "mimetype": str,
            "status": int,
            "digest": str,
            "length": int,
            "kind": str,  # "article" or "listing", by the profile's URL patterns
            "listed_at": str,
            "fetched_at": str,
            "outcome": str,  # NULL while pending; article, listing, error-page, …
            "detail": str,
            "article_id": int,
            "raw_page_id": int,
            "attempts": int,
        },
        pk="id",
        if_not_exists=True,
    )
    db["captures"].create_index(["site_id", "outcome"], if_not_exists=True)
    db["captures"].create_index(["url_key", "digest"], if_not_exists=True)
    # Articles whose search entry must take in a file's text (Archive.flush_index).
    db["index_pending"].create({"article_id": int}, pk="article_id", if_not_exists=True)
    sites = db["sites"]
    for column in (
        "host",
        "availability",
        "availability_source",
        "former_province",
        "current_province",
        "province_source",
        "successor_site",
        "successor_source",
        "host_source",
    ):
        if column not in sites.columns_dict:
            sites.add_column(column, str)
    db["provinces"].create(
        {
            "code": str,
            "name": str,
            "kind": str,
            "era": str,  # "former" (before 1 July 2025) or "current"
            "became": str,  # a former province: the current one it is part of
            "absorbed": str,  # a current province: the former ones it is made of (JSON)
            "seat": str,
            "effective": str,
            "legal_source": str,
            "source": str,
        },
        # Hà Nội, Huế and others kept their names: one code, a former and a current row.
        pk=("era", "code"),
        if_not_exists=True,
    )
    # Articles with the provinces their site served before and after 1 July 2025, for
    # facets and queries by province (Datasette facets a view like a table).
    db.execute(
        "CREATE VIEW IF NOT EXISTS articles_by_province AS SELECT a.id, a.title, "
        "a.published_at, a.published_year, a.site_id, s.former_province, "
        "f.name AS former_province_name, s.current_province, c.name AS current_province_name, "
        "a.provenance, a.url FROM articles a JOIN sites s ON s.id = a.site_id "
        "LEFT JOIN provinces f ON f.era = 'former' AND f.code = s.former_province "
        "LEFT JOIN provinces c ON c.era = 'current' AND c.code = s.current_province"
    )


def _v7(db: Database) -> None:
    """The search index without a second copy of every article (at 1M articles, 6.8 GB
    of 16): a contentless FTS5 table, and ``search_source``, the values each entry was
    made of, compressed, which a contentless table needs to take an entry out again
    (SQLite 3.40 has no contentless_delete). Every article is indexed again."""
    db.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    db["search_source"].create(
        {"article_id": int, "values_zlib": bytes}, pk="article_id", if_not_exists=True
    )
    db.execute("DELETE FROM search_source")
    _create_fts(db, contentless=True)
    # The most cited documents (the home page) counted from the index alone.
    db["doc_refs"].create_index(["number_key", "article_id"], if_not_exists=True)
    # Every article queued for the new index in this same transaction: the rebuild
    # (Archive.flush_index) is resumable, and a kill during it loses no entry for good.
    db.execute("INSERT OR IGNORE INTO index_pending (article_id) SELECT id FROM articles")


def _v8(db: Database) -> None:
    """raw_pages found by their sha256 (unique enough: the url is compared after), not
    by a (url, sha256) index that repeats every URL: 1M pages, 50 MB less."""
    db.execute("DROP INDEX IF EXISTS idx_raw_pages_url_sha256")
    db["raw_pages"].create_index(["sha256"], if_not_exists=True)


def _v9(db: Database) -> None:
    """Tone placement no longer takes the dot below off ặ, ậ, ệ after an o: "hoặc" was
    indexed "họăc" in any article that also held a pair like "hoà", so an accented
    search for "hoặc" missed it. Those articles are queued for the index again (in this
    transaction, like _v7); LIKE folds the ASCII o, the capitals are listed."""
    marks = "ặẶậẬệỆ"
    text = "coalesce(title,'') || ' ' || coalesce(summary,'') || ' ' || coalesce(body_text,'')"
    files = "coalesce(a.name,'') || ' ' || coalesce(f.text,'')"
    where = " OR ".join(f"{{0}} LIKE '%o{mark}%'" for mark in marks)
    db.execute(
        "INSERT OR IGNORE INTO index_pending (article_id) "
        f"SELECT id FROM articles WHERE {where.format(text)} "
        "UNION SELECT a.article_id FROM attachments a JOIN attachment_files f ON f.url = a.url "
        f"WHERE {where.format(files)}"
    )


def _v10(db: Database) -> None:
    """One index on doc_refs' number keys, not two: (number_key, article_id) answers
    every lookup by number_key alone as well, and each index is a random write per
    reference: at 1M articles the writer's commits are mostly such writes."""
    db.execute("DROP INDEX IF EXISTS idx_doc_refs_number_key")


def _v11(db: Database) -> None:
    """Articles by the address they were fetched at where it is not their name: a 304
    or a 404 on a revisit names the fetched address, and without this index each one
    read the whole table (seconds at 1M articles). Only the rare article whose page
    names another canonical address is in it, so saving an article costs no more."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_articles_fetched_url_elsewhere "
        "ON articles (fetched_url) WHERE fetched_url != url"
    )


MIGRATIONS: list[Callable[[Database], None]] = [
    _v1,
    _v2,
    _v3,
    _v4,
    _v5,
    _v6,
    _v7,
    _v8,
    _v9,
    _v10,
    _v11,
]
# The schema this khotin writes; an archive with a higher user_version was made by a newer
# khotin, whose migrations this one does not know: it is refused, never guessed at.
SCHEMA_VERSION = len(MIGRATIONS)
# Migrations after which every article must be indexed again.
# (Since step 7 a step that changes what is indexed queues the articles in
# index_pending instead, in its own transaction: see _v7.)
REINDEX_AFTER: set[int] = set()
MIGRATION_SET = "khotin"


# One name per step, as _sqlite_migrations records them: never renamed.
NAMES = [
    "0001_tables",
    "0002_search_index",
    "0003_tone_placement",
    "0004_missing_ledger",
    "0005_version_cause",
    "0006_web_archives_and_provinces",
    "0007_contentless_search_index",
    "0008_raw_pages_by_sha256",
    "0009_tone_placement_dot_below",
    "0010_one_number_key_index",
    "0011_fetched_url_elsewhere",
]


def _steps() -> Migrations:
    steps = Migrations(MIGRATION_SET)
    for version, (step, name) in enumerate(zip(MIGRATIONS, NAMES, strict=True), start=1):

        def apply(db: Database, step: Callable[[Database], None] = step, n: int = version):
            step(db)
            db.execute(f"PRAGMA user_version = {n}")

        steps(name=name)(apply)
    return steps


STEPS = _steps()


class NewerSchemaError(Exception):
    """The archive was written by a newer khotin."""

    def __init__(self, version: int) -> None:
        super().__init__(
            f"made by a newer khotin (schema {version}; this khotin knows up to "
            f"{SCHEMA_VERSION}): upgrade khotin to use it"
        )
        self.version = version


def _adopt(db: Database, current: int) -> None:
    """An archive migrated before khotin kept ``_sqlite_migrations``: its user_version
    says which steps it has, and they are recorded as applied, not run again."""
    if current == 0 or STEPS.applied(db):
        return
    STEPS.ensure_migrations_table(db)
    now = str(datetime.now(UTC))
    db[STEPS.migrations_table].insert_all(
        {"migration_set": MIGRATION_SET, "name": name, "applied_at": now}
        for name in NAMES[:current]
    )


def migrate(db: Database) -> bool:
    """Apply every migration the file has not seen yet, each in its own transaction.

    Returns True when the search index must be rebuilt."""
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise NewerSchemaError(current)
    unknown = [m.name for m in STEPS.applied(db) if m.name not in NAMES]
    if unknown:
        raise NewerSchemaError(current + len(unknown))
    with db.atomic():
        _adopt(db, current)
    pending = {m.name for m in STEPS.pending(db)}
    STEPS.apply(db)
    return current > 0 and any(NAMES[v - 1] in pending for v in REINDEX_AFTER)
