"""Writing articles into the archive: idempotent, each article whole or not at all.

An article and everything hanging off it (attachments, related links, document
references, its raw page's index entry, its search entry, the old version it
replaces) is written in one transaction (a crawl), or one savepoint of a batch that
commits with its search entries (``khotin store``, see ``Archive.batch_commits``), so
a crash can never leave half an article behind. Articles are keyed by canonical URL:
storing the same page twice changes nothing but ``last_seen_at``. Raw pages go to WARC
files beside the database (``warc/``), attachments to a content-addressed store
(``files/``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive.captures import CaptureLedger
from archive.folding import doc_number_key, fold
from archive.hashes import VERSIONED_FIELDS
from archive.ledger import Ledger
from archive.prepared import (
    FORMAT,
    PreparedArticle,
    SearchEntry,
    now_iso,
    prepare,
    search_entry,
)
from archive.schema import FTS_COLUMNS, FTS_TABLE, NewerSchemaError, migrate
from archive.warc import WarcRef, WarcStore
from scraper.parsing.page import Page

# What the registry knows of a site beside its profile (scraper.sites.SiteFacts).
SITE_FACTS = (
    "host",
    "availability",
    "availability_source",
    "former_province",
    "current_province",
    "province_source",
    "successor_site",
    "successor_source",
    "host_source",
)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@functools.cache
def _insert_sql(verb: str, table: str, columns: tuple[str, ...]) -> str:
    return f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _insert(conn: Any, table: str, row: dict[str, Any], *, ignore: bool = False) -> int:
    """One row by plain SQL (the hot path of every save: sqlite-utils' insert checks the
    table and its views on every call, which costs more than the insert)."""
    sql = _insert_sql("INSERT OR IGNORE" if ignore else "INSERT", table, tuple(row))
    return int(conn.execute(sql, list(row.values())).lastrowid)


def _upsert(conn: Any, table: str, row: dict[str, Any], *, key: str) -> None:
    """Insert the row, or update the given columns of the one with its key (plain SQL,
    like ``_insert``: sqlite-utils' upsert reads the table's schema on every call)."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    updates = ", ".join(f"{column} = excluded.{column}" for column in row if column != key)
    conn.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "
        f"ON CONFLICT({key}) DO UPDATE SET {updates}",
        list(row.values()),
    )


def commit_shared(path: str | Path) -> None:
    """Commit the process's shared Archive of this file, if one is open; raises
    ArchiveError when a batch of this file was lost since the last call."""
    key = Path(path).resolve()
    if key in _LOST:
        _LOST.discard(key)
        raise ArchiveError(f"{path}: a batch of writes could not be committed")
    archive = _SHARED.get(key)
    if archive is not None:
        archive.commit()


def _insert_many(conn: Any, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = tuple(rows[0])
    conn.executemany(
        _insert_sql("INSERT", table, columns), [[row[c] for c in columns] for row in rows]
    )


def _update(conn: Any, table: str, row_id: int, row: dict[str, Any]) -> None:
    assignments = ", ".join(f"{column} = ?" for column in row)
    conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*row.values(), row_id])


def unindex(conn: sqlite3.Connection, article_id: int) -> bool:
    """Take an article out of the search index (contentless FTS5: by its 'delete'
    command with the values it was indexed with, kept in ``search_source``)."""
    row = conn.execute(
        "SELECT values_zlib FROM search_source WHERE article_id = ?", [article_id]
    ).fetchone()
    if row is None:
        return False
    values = json.loads(zlib.decompress(row[0]))
    # The folded column is not kept: folding the accented columns gives it again (tone
    # placement moves a mark within its syllable, which folding removes).
    values.append(fold(" \n".join(values)))
    columns = ", ".join(FTS_COLUMNS)
    marks = ", ".join("?" for _ in FTS_COLUMNS)
    conn.execute(
        f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {columns}) VALUES ('delete', ?, {marks})",
        [article_id, *values],
    )
    conn.execute("DELETE FROM search_source WHERE article_id = ?", [article_id])
    return True


def _before(moment: str, than: str | None) -> bool:
    """``moment`` is earlier than ``than`` (ISO 8601 moments, whatever their offsets)."""
    if not than:
        return False
    try:
        return datetime.fromisoformat(moment) < datetime.fromisoformat(than)
    except (TypeError, ValueError):  # a naive or unreadable moment: no order to keep
        return False


# The articles named or fetched at an address, each half on an index (schema _v11): the
# same rows as "fetched_url = ? OR url = ?", which read the whole table.
_AT_ADDRESS = (
    "SELECT id FROM articles WHERE url = ? "
    "UNION SELECT id FROM articles WHERE fetched_url = ? AND fetched_url != url"
)


def _made_of(prepared: PreparedArticle, raw: Page | None) -> bool:
    """Was it prepared from this page? (its record holds these very bytes: a worker's
    record of other bytes is never stored as this page's)"""
    if raw is None:
        return prepared.record is None
    record = prepared.record
    return record is not None and record.sha256 == hashlib.sha256(raw.body).hexdigest()


class ArchiveError(Exception):
    """A problem with the archive file that the user can act on."""


def load_raw_page(conn: sqlite3.Connection, warc: WarcStore, raw_page_id: int) -> Page:
    """A stored page exactly as it was received, through any connection (the reading
    room reads with Datasette's read-only ones)."""
    row = conn.execute(
        "SELECT url, status, headers, fetched_at, body_zlib, warc_file, warc_offset, "
        "warc_length, sha256 FROM raw_pages WHERE id = ?",
        [raw_page_id],
    ).fetchone()
    if row is None:
        raise ArchiveError(f"no raw page {raw_page_id}")
    url, status, headers, fetched_at, body_zlib, warc_file, offset, length, digest = row
    if warc_file:
        body = warc.read(WarcRef(warc_file, offset, length, digest)).body
    elif body_zlib is not None:
        body = zlib.decompress(body_zlib)  # archives written before WARC storage
    else:
        raise ArchiveError(f"raw page {raw_page_id} has no stored body")
    return Page.of(
        url, body, status=status, headers=json.loads(headers or "{}"), fetched_at=fetched_at
    )


PAGE_SIZE = 8192
WRITER_CACHE_KB = 64 * 1024
# Pages the batching writer lets the WAL hold before copying them into the file (SQLite's
# default is 1,000). At 1M articles each save dirties a page of every random-keyed index
# (URLs, digests, document numbers); a page dirtied by many batches between two
# checkpoints is copied once: the writer's commits took half the time (scale.py).
WRITER_CHECKPOINT_PAGES = 20_000
# Batched commits (Archive.batch_commits): at most this many saves, or this long,
# between two commits.
BATCH_ARTICLES = 1000
BATCH_SECONDS = 1.0
# One Archive per file per process for `khotin store`'s runs (Archive.shared): two
# connections of one thread, one of them holding a batch open, would wait on each other.
_SHARED: dict[Path, Archive] = {}
# Files one of whose batches failed to commit (or vanished in a rollback): the next
# commit_shared says so, so `khotin store` acknowledges nothing that is not stored.
_LOST: set[Path] = set()


class Archive:
    """The SQLite archive file. Safe to read (e.g. by Datasette) while it is written."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        # Entries prepared by saves whose indexing waits for their files (flush_index).
        self._entries: dict[int, SearchEntry] = {}
        if self.path.is_dir():
            raise ArchiveError(f"{self.path}: is a directory, not an archive file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot create its folder ({exc.strerror})") from exc
        new_file = not self.path.exists() or self.path.stat().st_size == 0
        try:
            self.db = Database(self.path, execute_plugins=False)
            if new_file:
                # An article row (2-3 KB of text) leaves a 4 KB page a third empty;
                # 8 KB pages hold two or three: 9% smaller at the same write rate
                # (benchmarks/scale.py). Set before the first table, so new files only.
                self.db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            self.db.enable_wal()
            # In WAL mode NORMAL loses no committed article when the process is killed
            # (only an OS crash may cost the last commits), and skips an fsync per save.
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 10000")
            # Each step rewrites the schema's pages: copied into the file as it goes,
            # not piled up in the WAL (a new archive's first 800 KB).
            self.db.execute("PRAGMA wal_autocheckpoint = 16")
            if migrate(self.db):
                self.reindex_all()
            self.db.execute("PRAGMA wal_autocheckpoint = 1000")  # SQLite's default
            # What a migration or a killed run queued for the index (resumable).
            self.flush_index()
        except NewerSchemaError as exc:
            self.db.close()
            raise ArchiveError(f"{self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            if "malformed" in str(exc):
                raise ArchiveError(
                    f"{self.path}: the archive file is damaged ({exc}); `khotin verify "
                    f"--db {self.path}` says where, a published copy (`khotin publish`) or the "
                    "sqlite3 tool's `.recover` restores it"
                ) from exc
            raise ArchiveError(f"{self.path}: not a khotin archive ({exc})") from exc
        self._warc: WarcStore | None = None
        self._key = self.path.resolve()
        self._batch: tuple[int, float] | None = None
        self._batched = 0
        self._batch_began = 0.0
        self._own_transaction = False  # the batch's, opened by _begin
        self._users = 0

    @classmethod
    def shared(cls, path: str | Path) -> Archive:
        """The process's one writing Archive of this file; ``release`` it when done."""
        key = Path(path).resolve()
        archive = _SHARED.get(key)
        if archive is None:
            archive = _SHARED[key] = cls(path)
        archive._users += 1
        return archive

    def release(self) -> None:
        """One user of a shared Archive is done; the last one closes it."""
        self._users -= 1
        if self._users <= 0:
            if _SHARED.get(self._key) is self:
                del _SHARED[self._key]
            self.close()

    def batch_commits(self, every: int = BATCH_ARTICLES, seconds: float = BATCH_SECONDS) -> None:
        """Commit every ``every`` articles or ``seconds``, not each one.

        Each commit makes FTS5 write its pending terms as a new segment and merge
        segments, and an article whose files arrive in the same batch is indexed once
        with them instead of once per file. Every article is still
        stored whole, search entry included, or not at all. For `khotin store`, whose
        entries stay in Redis until acknowledged: a killed writer's uncommitted batch is
        read again by the next. Call ``commit`` before another connection must see the
        writes and before acknowledging; ``close`` commits."""
        self._batch = (every, seconds)
        # The indexes a save touches (articles' keys, the FTS segments) outgrow SQLite's
        # 2 MB default cache past a few hundred thousand articles: the one writer can
        # afford 64 MB (a crawl's many per-site connections keep the default).
        self.db.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KB}")
        self.db.execute(f"PRAGMA wal_autocheckpoint = {WRITER_CHECKPOINT_PAGES}")

    def commit(self) -> None:
        """Make the batch so far durable (a no-op when nothing is pending), its
        articles searchable: what another connection sees is always indexed whole.
        A batch that cannot be committed, or that a failed statement rolled back, is
        reported (ArchiveError here, and by the next ``commit_shared``)."""
        self._batched = 0
        if not self._own_transaction:
            return
        try:
            if not self.db.conn.in_transaction:
                raise ArchiveError(f"{self.path}: a batch of writes was rolled back")
            self.flush_index()
            self.db.conn.execute("COMMIT")
        except (sqlite3.Error, OSError, ArchiveError):
            _LOST.add(self._key)
            raise
        finally:
            self._own_transaction = False
            self._entries.clear()

    def _begin(self) -> None:
        """Open the batch's transaction, inside which a save's own is a savepoint."""
        if self._own_transaction and not self.db.conn.in_transaction:
            # A failed statement took the whole batch with it (SQLite rolls back on a
            # full disk): said, never silently replaced by a new batch.
            self._own_transaction = False
            self._entries.clear()
            _LOST.add(self._key)
            raise ArchiveError(f"{self.path}: a batch of writes was rolled back")
        if self._batch and not self.db.conn.in_transaction:
            self.db.conn.execute("BEGIN")
            self._own_transaction = True
            self._batch_began = time.monotonic()
            self._batched = 0

    def _written(self) -> None:
        if self._batch and self._own_transaction:
            self._batched += 1
            every, seconds = self._batch
            if self._batched >= every or time.monotonic() - self._batch_began >= seconds:
                self.commit()

    @property
    def data_folder(self) -> Path:
        """Where the raw pages and attachment files of this archive live."""
        return self.path.parent

    @property
    def ledger(self) -> Ledger:
        """What the crawls wanted and did not get (archive.ledger)."""
        return Ledger(self.db)

    @property
    def captures(self) -> CaptureLedger:
        """The web-archive captures a backfill listed, and what each one gave."""
        return CaptureLedger(self.db)

    def register_provinces(self, rows: list[dict[str, Any]]) -> None:
        """The 2025 merger registry (scraper.sites.registry), replaced whole: the
        bundled data is the truth, the table a copy Datasette can facet and join."""
        with self.db.atomic():
            self.db.execute("DELETE FROM provinces")
            self.db["provinces"].insert_all(rows)

    @property
    def warc(self) -> WarcStore:
        if self._warc is None:
            self._warc = WarcStore(self.data_folder / "warc")
        return self._warc

    def close(self) -> None:
        try:
            self.commit()
        finally:
            if self._warc is not None:
                self._warc.close()
            self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sites and runs -------------------------------------------------------------

    def register_site(self, site: dict[str, Any]) -> None:
        """Record (or refresh) a site profile's identity; first_crawled_at is kept."""
        now = now_iso()
        existing = self._one("SELECT first_crawled_at FROM sites WHERE id = ?", site["id"])
        row = {
            "id": site["id"],
            "name": site.get("name"),
            "base_url": site.get("base_url"),
            "family": site.get("family"),
            "status": site.get("status"),
            "category": site.get("category"),
            **{key: site[key] for key in SITE_FACTS if key in site},
            "first_crawled_at": existing[0] if existing else now,
            "last_crawled_at": now,
        }
        with self.db.atomic():
            self.db["sites"].upsert(row, pk="id")

    def start_run(self, site_id: str, mode: str = "incremental") -> int:
        with self.db.atomic():
            # A run still "running" here was killed (the crawl lock rules out another
            # live one): say so, so the next walk knows the listing was not finished.
            self.db.execute(
                "UPDATE crawl_runs SET outcome = 'interrupted' "
                "WHERE site_id = ? AND finished_at IS NULL",
                [site_id],
            )
            table = self.db["crawl_runs"].insert(
                {"site_id": site_id, "started_at": now_iso(), "outcome": "running", "mode": mode}
            )
        return int(table.last_pk)

    def finish_run(self, run_id: int, **values: Any) -> None:
        for key in ("field_coverage", "field_sources"):
            if key in values and not isinstance(values[key], str):
                values[key] = _json(values[key])
        with self.db.atomic():
            self.db["crawl_runs"].update(run_id, {"finished_at": now_iso(), **values})

    def past_runs(self, site_id: str, before_run: int, limit: int = 10) -> list[dict[str, Any]]:
        """The site's latest finished runs before this one, newest first."""
        return list(
            self.db.query(
                "SELECT * FROM crawl_runs WHERE site_id = ? AND id < ? AND finished_at IS NOT NULL "
                "AND mode IS NOT 'backfill' ORDER BY id DESC LIMIT ?",
                [site_id, before_run, limit],
            )
        )

    # -- what the crawler needs to know ---------------------------------------------

    def last_walk_complete(self, site_id: str) -> bool:
        """Did the site's last crawl end normally? If it was killed, broke, or never
        happened, the next one walks every listing page again (fetching only what is
        missing), so nothing a dead crawl skipped stays missing."""
        # A backfill reads the web archive, not the site: it says nothing of the walk.
        row = self._one(
            "SELECT outcome FROM crawl_runs WHERE site_id = ? AND mode IS NOT 'backfill' "
            "ORDER BY id DESC LIMIT 1",
            site_id,
        )
        return row is not None and row[0] in ("ok", "partial")

    def known_urls(self, site_id: str) -> set[str]:
        """Every article URL (canonical and as fetched) already archived for the site."""
        rows = self.db.execute(
            "SELECT url, fetched_url FROM articles WHERE site_id = ?", [site_id]
        ).fetchall()
        return {url for row in rows for url in row if url}

    def listing_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self._one("SELECT etag, last_modified FROM listing_pages WHERE url = ?", url)
        return (row[0], row[1]) if row else (None, None)

    def save_listing(
        self,
        site_id: str,
        url: str,
        status: int,
        etag: str | None,
        last_modified: str | None,
        article_links: int,
    ) -> None:
        with self.db.atomic():
            self.db["listing_pages"].upsert(
                {
                    "url": url,
                    "site_id": site_id,
                    "etag": etag,
                    "last_modified": last_modified,
                    "status": status,
                    "article_links": article_links,
                    "fetched_at": now_iso(),
                },
                pk="url",
            )

    def article_validators(self, site_id: str) -> dict[str, tuple[str | None, str | None]]:
        rows = self.db.execute(
            "SELECT fetched_url, etag, last_modified FROM articles WHERE site_id = ?", [site_id]
        ).fetchall()
        return {url: (etag, modified) for url, etag, modified in rows}

    def due_for_revisit(self, site_id: str, *, within_days: float, after_hours: float) -> list[str]:
        """Articles first seen recently (the ones editors still correct) that have not
        been checked for a while: fetched again to catch silent edits and removals."""
        now = datetime.now(UTC)
        seen_since = (now - timedelta(days=within_days)).isoformat(timespec="seconds")
        checked_before = (now - timedelta(hours=after_hours)).isoformat(timespec="seconds")
        rows = self.db.execute(
            "SELECT fetched_url FROM articles WHERE site_id = ? AND removed_at IS NULL "
            "AND first_seen_at >= ? AND COALESCE(last_checked_at, last_seen_at) <= ?",
            [site_id, seen_since, checked_before],
        ).fetchall()
        return [row[0] for row in rows]

    def mark_unchanged(self, url: str) -> None:
        """The server answered 304 Not Modified: the article is still there, as stored."""
        now = now_iso()
        with self.db.atomic():
            self.db.execute(
                "UPDATE articles SET last_seen_at = ?, last_checked_at = ?, removed_at = NULL "
                f"WHERE id IN ({_AT_ADDRESS})",
                [now, now, url, url],
            )

    def mark_removed(self, url: str, status: int) -> bool:
        """The site no longer serves the article (404/410): keep it, say when it went."""
        now = now_iso()
        with self.db.atomic():
            cursor = self.db.execute(
                "UPDATE articles SET removed_at = COALESCE(removed_at, ?), last_checked_at = ? "
                f"WHERE id IN ({_AT_ADDRESS})",
                [now, now, url, url],
            )
        return cursor.rowcount > 0

    # -- articles -------------------------------------------------------------------

    def save_article(
        self,
        article: dict[str, Any],
        raw: Page | None = None,
        *,
        raw_page_id: int | None = None,
        seen: bool = True,
        source: str = "live",
        capture_url: str | None = None,
        prepared: PreparedArticle | None = None,
    ) -> str:
        """Store one extracted article; returns "new", "updated", "older" (an earlier
        text, kept as a version) or "unchanged".

        ``raw`` is the page just fetched (kept in the WARC files); a re-parse of a
        stored page passes its ``raw_page_id`` instead and ``seen=False``, since
        nobody visited the site. ``source`` says where the page came from ("live" or
        "web-archive", with the archive's ``capture_url``); the page's fetch time is
        the moment of this text, so whatever order captures arrive in, the current
        text is the latest one and earlier ones are versions. ``prepared`` is what a
        distributed crawl's worker computed from the article and page (archive.prepared);
        without it, or of another format, the store computes it."""
        self._begin()
        try:
            outcome = self._save_article(
                article,
                raw,
                raw_page_id=raw_page_id,
                seen=seen,
                source=source,
                capture_url=capture_url,
                prepared=prepared,
            )
        except BaseException:
            # Its rolled-back id may be the next article's: no entry is kept for it.
            self._entries.clear()
            raise
        self._written()
        return outcome

    def _save_article(
        self,
        article: dict[str, Any],
        raw: Page | None,
        *,
        raw_page_id: int | None,
        seen: bool,
        source: str,
        capture_url: str | None,
        prepared: PreparedArticle | None,
    ) -> str:
        url = article.get("canonical_url") or article["url"]
        if prepared is None or prepared.format != FORMAT or not _made_of(prepared, raw):
            prepared = prepare(article, raw, record=False)
        key = prepared.row["url_key"]
        digest = prepared.content_hash
        now = now_iso()
        fetched = prepared.fetched_at if raw is not None else now
        ref = self._write_page(raw, prepared) if raw is not None else None
        live = source == "live"
        etag = raw.header("ETag") if raw and live else None
        modified = raw.header("Last-Modified") if raw and live else None
        with self.db.atomic():
            raw_id = raw_page_id
            if raw is not None and ref is not None:
                raw_id = self._index_raw(raw, ref, fetched, prepared.row["headers"])
            old = self._one(
                f"SELECT id, content_hash, raw_page_id, {', '.join(VERSIONED_FIELDS)}, "
                "text_hash, content_at, content_source, capture_url FROM articles "
                "WHERE url_key = ? OR url = ? ORDER BY url = ? DESC, id LIMIT 1",
                key,
                url,
                url,
            )
            sighting = {
                "source": source,
                "seen_at": fetched,
                "url": article["url"],
                "capture_url": capture_url,
                "content_hash": digest,
                "raw_page_id": raw_id,
            }
            if old is not None and old[1] == digest:
                if not seen:
                    return "unchanged"
                # Every capture is a sighting; a nightly revisit of an unchanged live page
                # is not (one live sighting says the site served this text).
                if not live or not self._one(
                    "SELECT 1 FROM article_sources WHERE article_id = ? AND source = 'live'",
                    old[0],
                ):
                    self._record_sighting(old[0], sighting)
                if live:
                    # The address the site serves it at now is the one to check next time
                    # (a backfilled http://www. form gives way to the live https one).
                    self.db.execute(
                        "UPDATE articles SET last_seen_at = ?, last_checked_at = ?, "
                        "removed_at = NULL, raw_page_id = COALESCE(?, raw_page_id), "
                        "etag = ?, last_modified = ?, fetched_url = ? WHERE id = ?",
                        [now, now, raw_id, etag, modified, article["url"], old[0]],
                    )
                return "unchanged"
            own_text = prepared.text_hash
            same_text = old is not None and old[-4] == own_text
            if old is not None and seen and _before(fetched, old[-3]):
                # Read from a page older than the current text (a 2019 capture backfilled
                # after a 2024 crawl): history, not news.
                self._record_sighting(old[0], sighting)
                if same_text:
                    return "unchanged"
                self._keep_older(old[0], article, prepared, sighting)
                return "older"
            row = self._article_row(article, prepared, url, digest, raw_id, now)
            row.update(url_key=key, text_hash=own_text)
            if seen:
                row.update(content_at=fetched, content_source=source, capture_url=capture_url)
            if seen and live:
                row.update(etag=etag, last_modified=modified, last_checked_at=now)
            else:  # nobody saw the site serve it now (a reparse, a web archive's capture)
                del row["last_seen_at"], row["removed_at"]
            if old is None:
                row["first_seen_at"] = now
                if seen:  # its one sighting so far (see _record_sighting)
                    row["provenance"] = source
                article_id = _insert(self.db.conn, "articles", row)
                outcome = "new"
            else:
                article_id = old[0]
                del row["url"]  # the address it was first archived under stays its name
                # A page fetched again that reads differently is the site's edit; a stored
                # page read differently (reparse) is khotin's rule change. Only its related
                # links changed: the record is refreshed, no version is kept.
                if not same_text:
                    self._keep_version(old, row, now, cause="site" if seen else "reparse")
                _update(self.db.conn, "articles", article_id, row)
                for table in ("attachments", "related_links", "doc_refs"):
                    self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
                outcome = "updated"
            if seen:
                self._record_sighting(article_id, sighting, summed=outcome == "new")
            self._store_children(article_id, article)
            files = bool(article.get("attachments"))
            if seen and self._batch and files and self._files_to_come(article_id):
                # Its files follow in this run and each would index it again: indexed
                # once, with their text, by the next flush_index (queued in the file).
                self.db.execute(
                    "INSERT OR IGNORE INTO index_pending (article_id) VALUES (?)", [article_id]
                )
                self._entries[article_id] = prepared.entry
            else:
                self._entries.pop(article_id, None)
                self._index(article_id, prepared.entry)
            return outcome

    def _write_page(self, raw: Page, prepared: PreparedArticle) -> WarcRef:
        """The page's WARC record: appended as a worker built it, else built here.

        A writer killed between this append and its commit appends a worker's record
        again when it reads the entry again: two copies under one WARC-Record-ID, the
        first referenced by nothing (as any record of a save that was never committed)."""
        if prepared.record is not None:
            return self.warc.append(prepared.record)
        return self.warc.write_response(
            raw.url, raw.status, raw.header_lists(), raw.body, prepared.fetched_at
        )

    def _record_sighting(
        self, article_id: int, sighting: dict[str, Any], *, summed: bool = False
    ) -> None:
        """Where and when the article was read; ``provenance`` sums them up (``summed``:
        a new article's row says it already, its first sighting being this one)."""
        _insert(
            self.db.conn, "article_sources", {"article_id": article_id, **sighting}, ignore=True
        )
        if summed:
            return
        self.db.execute(
            "UPDATE articles SET provenance = (SELECT group_concat(source, ',') FROM "
            "(SELECT DISTINCT source FROM article_sources WHERE article_id = ? ORDER BY source)) "
            "WHERE id = ?",
            [article_id, article_id],
        )

    def _keep_older(
        self,
        article_id: int,
        article: dict[str, Any],
        prepared: PreparedArticle,
        sighting: dict[str, Any],
    ) -> None:
        """An earlier text of the article: a version at the moment it was seen (once
        per text: the same capture fetched twice is one version)."""
        own_text = prepared.text_hash
        same = self._one(
            "SELECT id, seen_at FROM article_versions WHERE article_id = ? AND text_hash = ?",
            article_id,
            own_text,
        )
        if same is not None:
            if not same[1] or sighting["seen_at"] < same[1]:
                self.db.execute(
                    "UPDATE article_versions SET seen_at = ?, source = ?, capture_url = ? "
                    "WHERE id = ?",
                    [sighting["seen_at"], sighting["source"], sighting["capture_url"], same[0]],
                )
            return
        row = self._article_row(
            article, prepared, article["url"], own_text, sighting["raw_page_id"], ""
        )
        current = self._one(
            f"SELECT {', '.join(VERSIONED_FIELDS)} FROM articles WHERE id = ?", article_id
        )
        changed = [
            name
            for name, value in zip(VERSIONED_FIELDS, current or (), strict=True)
            if value != row[name]
        ]
        _insert(
            self.db.conn,
            "article_versions",
            {
                "article_id": article_id,
                "replaced_at": now_iso(),
                "changed_fields": _json(changed),
                "cause": "site",
                **{name: row[name] for name in VERSIONED_FIELDS},
                "content_hash": prepared.content_hash,
                "text_hash": own_text,
                "raw_page_id": sighting["raw_page_id"],
                "seen_at": sighting["seen_at"],
                "source": sighting["source"],
                "capture_url": sighting["capture_url"],
            },
        )

    def _article_row(
        self,
        article: dict[str, Any],
        prepared: PreparedArticle,
        url: str,
        digest: str,
        raw_id: int | None,
        now: str,
    ) -> dict[str, Any]:
        published = article.get("published_at")
        return {
            "site_id": article["site_id"],
            "url": url,
            "fetched_url": article["url"],
            "title": article.get("title"),
            "summary": article.get("summary"),
            "body_text": article.get("body_text"),
            "category": article.get("category"),
            "published_at": published,
            "published_raw": article.get("published_raw"),
            "published_year": int(published[:4]) if published else None,
            "updated_at": article.get("updated_at"),
            "byline": article.get("byline"),
            "authors": prepared.row["authors"],
            "source_unit": article.get("source_unit"),
            "images": prepared.row["images"],
            "field_sources": prepared.row["field_sources"],
            "content_hash": digest,
            "raw_page_id": raw_id,
            "last_seen_at": now,
            "changed_at": now,
            "removed_at": None,
        }

    def _keep_version(
        self, old: tuple[Any, ...], new: dict[str, Any], now: str, *, cause: str
    ) -> None:
        before = dict(zip(VERSIONED_FIELDS, old[3 : 3 + len(VERSIONED_FIELDS)], strict=True))
        changed = [name for name in VERSIONED_FIELDS if before[name] != new[name]]
        content_at, content_source, capture_url = old[-3:]
        _insert(
            self.db.conn,
            "article_versions",
            {
                "article_id": old[0],
                "replaced_at": now,
                "changed_fields": _json(changed),
                "cause": cause,
                **before,
                "content_hash": old[1],
                "text_hash": old[-4],
                "raw_page_id": old[2],
                "seen_at": content_at,
                "source": content_source or "live",
                "capture_url": capture_url,
            },
        )

    def _store_children(self, article_id: int, article: dict[str, Any]) -> None:
        def rows(items: list[dict[str, Any]] | None, keys: tuple[str, ...]) -> list[dict]:
            return [
                {"article_id": article_id, "position": i, **{k: item.get(k) for k in keys}}
                for i, item in enumerate(items or [])
            ]

        conn = self.db.conn
        _insert_many(conn, "attachments", rows(article.get("attachments"), ("url", "name", "kind")))
        _insert_many(conn, "related_links", rows(article.get("related"), ("url", "title")))
        refs = rows(article.get("doc_refs"), ("number", "type", "issuer", "date"))
        for ref in refs:
            ref["number_key"] = doc_number_key(ref["number"])
        _insert_many(conn, "doc_refs", refs)

    def _files_to_come(self, article_id: int) -> bool:
        return (
            self._one(
                "SELECT 1 FROM attachments a LEFT JOIN attachment_files f ON f.url = a.url "
                "WHERE a.article_id = ? AND f.url IS NULL LIMIT 1",
                article_id,
            )
            is not None
        )

    # -- the search index -----------------------------------------------------------

    def _index(self, article_id: int, entry: SearchEntry | None = None) -> None:
        """(Re)build one article's search entry from what is stored, attachments' text
        included, so the index never disagrees with the tables. ``entry`` is the one its
        save prepared from the same values, which then need not be read back."""
        if entry is not None:
            texts = []
            if entry.slots:
                texts = [
                    text
                    for (text,) in self.db.execute(
                        "SELECT f.text FROM attachments a LEFT JOIN attachment_files f "
                        "ON f.url = a.url WHERE a.article_id = ? ORDER BY a.position",
                        [article_id],
                    )
                ]
        else:
            row = self._one(
                "SELECT title, summary, body_text, byline FROM articles WHERE id = ?", article_id
            )
            if row is None:
                return
            numbers = self.db.execute(
                "SELECT number FROM doc_refs WHERE article_id = ? ORDER BY position", [article_id]
            ).fetchall()
            files = self.db.execute(
                "SELECT a.name, f.text FROM attachments a LEFT JOIN attachment_files f "
                "ON f.url = a.url WHERE a.article_id = ? ORDER BY a.position",
                [article_id],
            ).fetchall()
            columns = dict(zip(("title", "summary", "body_text", "byline"), row, strict=True))
            columns["doc_numbers"] = " ".join(n or "" for (n,) in numbers)
            columns["attachment_names"] = " ".join(name or "" for name, _ in files)
            # The accented columns get one tone placement (Uỷ/Ủy, hoà/hòa): tone_placement.
            entry = search_entry(columns, len(files), source=False)
            texts = [text for _, text in files]
        values, source = entry.values(texts)
        unindex(self.db.conn, article_id)
        marks = ", ".join("?" for _ in values)
        self.db.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, {marks})",
            [article_id, *values],
        )
        # What the entry was made of: a contentless index can only take it out again
        # given the very same values.
        self.db.execute(
            "INSERT OR REPLACE INTO search_source (article_id, values_zlib) VALUES (?, ?)",
            [article_id, source],
        )

    def reindex_all(self) -> int:
        ids = [row[0] for row in self.db.execute("SELECT id FROM articles").fetchall()]
        with self.db.atomic():
            for article_id in ids:
                self._index(article_id)
        return len(ids)

    # -- attachments ------------------------------------------------------------------

    def known_attachment_urls(self) -> set[str]:
        """Attachment URLs not to fetch again: stored, or judged gone by the ledger. A
        failed download is not among them: the ledger asks for it again."""
        stored = {
            row[0]
            for row in self.db.execute("SELECT url FROM attachment_files WHERE sha256 IS NOT NULL")
        }
        return stored | self.ledger.gone()

    def save_attachment_file(self, record: dict[str, Any], *, index_now: bool = True) -> int:
        """Record one downloaded attachment; the articles that link it owe their search
        entry its text. Returns how many articles that is.

        ``index_now=False`` (a crawl, where an article's files arrive one by one after
        it) leaves them in ``index_pending`` for ``flush_index``: one index update per
        article, not one per file. The queue is in the file, so a killed run's debt is
        paid by the next."""
        record = {**record, "fetched_at": record.get("fetched_at") or now_iso()}
        self._begin()
        with self.db.atomic():
            _upsert(self.db.conn, "attachment_files", record, key="url")
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO index_pending (article_id) "
                "SELECT DISTINCT article_id FROM attachments WHERE url = ?",
                [record["url"]],
            )
            owed = cursor.rowcount
        if index_now:
            self.flush_index()
        self._written()
        return owed

    def flush_index(self, chunk: int = 2000) -> int:
        """Index again every article queued in ``index_pending`` (files that changed, a
        migration's rebuild); returns how many. Committed chunk by chunk (within a batch,
        with the batch), each chunk's entries with their leaving the queue, so a rebuild
        killed midway goes on from where it stopped the next time the archive is opened."""
        done = 0
        while True:
            with self.db.atomic():
                ids = [
                    row[0]
                    for row in self.db.execute(
                        "SELECT article_id FROM index_pending ORDER BY article_id LIMIT ?", [chunk]
                    )
                ]
                for article_id in ids:
                    self._index(article_id, self._entries.pop(article_id, None))
                self.db.conn.executemany(
                    "DELETE FROM index_pending WHERE article_id = ?", [(i,) for i in ids]
                )
            done += len(ids)
            if len(ids) < chunk:
                return done

    # -- raw pages ------------------------------------------------------------------

    def _index_raw(self, raw: Page, ref: WarcRef, fetched: str, headers: str | None) -> int:
        found = self._one(
            "SELECT id FROM raw_pages WHERE sha256 = ? AND url = ?", ref.sha256, raw.url
        )
        if found:
            # The same bytes again: the index points at the newest record of them, so a
            # page whose earlier record was damaged (see `khotin verify`) is whole again.
            # Not an older one (a 2019 capture of a page crawled in 2024): the page keeps
            # its latest fetch time, the clock of its relative dates.
            previous = self._one("SELECT fetched_at FROM raw_pages WHERE id = ?", found[0])
            if previous and _before(fetched, previous[0]):
                return int(found[0])
            self.db.execute(
                "UPDATE raw_pages SET warc_file = ?, warc_offset = ?, warc_length = ?, "
                "fetched_at = ?, status = ?, headers = ? WHERE id = ?",
                [
                    ref.file,
                    ref.offset,
                    ref.length,
                    fetched,
                    raw.status,
                    headers,
                    found[0],
                ],
            )
            return int(found[0])
        return _insert(
            self.db.conn,
            "raw_pages",
            {
                "url": raw.url,
                "fetched_at": fetched,
                "status": raw.status,
                "headers": headers,
                "content_type": raw.header("Content-Type"),
                "size": len(raw.body),
                "sha256": ref.sha256,
                "warc_file": ref.file,
                "warc_offset": ref.offset,
                "warc_length": ref.length,
            },
        )

    def raw_page(self, raw_page_id: int) -> Page:
        """A stored page exactly as it was received (from its WARC file)."""
        return load_raw_page(self.db.conn, self.warc, raw_page_id)

    def raw_body(self, raw_page_id: int) -> bytes:
        """The exact bytes of a stored page."""
        return self.raw_page(raw_page_id).body

    def stored_articles(self, site_id: str | None = None) -> Iterator[tuple[str, int]]:
        """(site_id, raw_page_id) of every article with a stored page, for reparsing."""
        sql = "SELECT site_id, raw_page_id FROM articles WHERE raw_page_id IS NOT NULL"
        params: list[Any] = []
        if site_id:
            sql += " AND site_id = ?"
            params.append(site_id)
        yield from self.db.execute(sql + " ORDER BY id", params).fetchall()

    def _one(self, sql: str, *params: Any) -> tuple[Any, ...] | None:
        return self.db.execute(sql, list(params)).fetchone()
