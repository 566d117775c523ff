"""Writing articles into the archive: idempotent, one transaction per article.

An article and everything hanging off it (attachments, related links, document
references, its raw page, its search entry, the old version it replaces) is written
in a single transaction, so a crash can never leave half an article behind. Articles
are keyed by canonical URL: storing the same page twice changes nothing but
``last_seen_at``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive.folding import doc_number_key, fold
from archive.schema import FTS_TABLE, migrate

# Fields whose change makes a new version of an article (what a reader would notice).
VERSIONED_FIELDS = ("title", "summary", "body_text", "published_at", "byline", "authors")


@dataclass
class RawPage:
    """A page exactly as it was received, so it can be parsed again later."""

    url: str
    status: int
    headers: dict[str, list[str]]
    body: bytes
    fetched_at: str = field(default_factory=lambda: now_iso())


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def content_hash(article: dict[str, Any]) -> str:
    """Hash of what a reader sees; equal hashes mean the article did not change."""
    visible = {name: article.get(name) for name in (*VERSIONED_FIELDS, "category", "updated_at")}
    visible["attachments"] = [a.get("url") for a in article.get("attachments") or []]
    visible["related"] = [r.get("url") for r in article.get("related") or []]
    visible["doc_refs"] = [d.get("number") for d in article.get("doc_refs") or []]
    return hashlib.sha256(_json(visible).encode()).hexdigest()


class Archive:
    """The SQLite archive file. Safe to read (e.g. by Datasette) while it is written."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise ArchiveError(f"{self.path}: is a directory, not an archive file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot create its folder ({exc.strerror})") from exc
        try:
            self.db = Database(self.path, execute_plugins=False)
            self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 10000")
            migrate(self.db)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{self.path}: not a khotin archive ({exc})") from exc

    def close(self) -> None:
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
            "first_crawled_at": existing[0] if existing else now,
            "last_crawled_at": now,
        }
        with self.db.atomic():
            self.db["sites"].upsert(row, pk="id")

    def start_run(self, site_id: str) -> int:
        with self.db.atomic():
            table = self.db["crawl_runs"].insert(
                {"site_id": site_id, "started_at": now_iso(), "outcome": "running"}
            )
        return int(table.last_pk)

    def finish_run(self, run_id: int, **values: Any) -> None:
        for key in ("field_coverage", "field_sources"):
            if key in values and not isinstance(values[key], str):
                values[key] = _json(values[key])
        with self.db.atomic():
            self.db["crawl_runs"].update(run_id, {"finished_at": now_iso(), **values})

    # -- articles -------------------------------------------------------------------

    def save_article(self, article: dict[str, Any], raw: RawPage | None = None) -> str:
        """Store one extracted article; returns "new", "updated" or "unchanged"."""
        url = article.get("canonical_url") or article["url"]
        digest = content_hash(article)
        now = now_iso()
        with self.db.atomic():
            raw_id = self._store_raw(raw) if raw is not None else None
            old = self._one(
                f"SELECT id, content_hash, raw_page_id, {', '.join(VERSIONED_FIELDS)} "
                "FROM articles WHERE url = ?",
                url,
            )
            if old is not None and old[1] == digest:
                self.db.execute(
                    "UPDATE articles SET last_seen_at = ?, removed_at = NULL, "
                    "raw_page_id = COALESCE(?, raw_page_id) WHERE id = ?",
                    [now, raw_id, old[0]],
                )
                return "unchanged"
            row = self._article_row(article, url, digest, raw_id, now)
            if old is None:
                row["first_seen_at"] = now
                article_id = int(self.db["articles"].insert(row).last_pk)
                outcome = "new"
            else:
                article_id = old[0]
                self._keep_version(old, row, now)
                self.db["articles"].update(article_id, row)
                for table in ("attachments", "related_links", "doc_refs"):
                    self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
                outcome = "updated"
            self._store_children(article_id, article)
            self._index(article_id, article)
            return outcome

    def _article_row(
        self, article: dict[str, Any], url: str, digest: str, raw_id: int | None, now: str
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
            "authors": _json(article.get("authors") or []),
            "source_unit": article.get("source_unit"),
            "images": _json(article.get("images") or []),
            "field_sources": _json(article.get("field_sources") or {}),
            "content_hash": digest,
            "raw_page_id": raw_id,
            "last_seen_at": now,
            "changed_at": now,
            "removed_at": None,
        }

    def _keep_version(self, old: tuple[Any, ...], new: dict[str, Any], now: str) -> None:
        before = dict(zip(VERSIONED_FIELDS, old[3:], strict=True))
        changed = [name for name in VERSIONED_FIELDS if before[name] != new[name]]
        self.db["article_versions"].insert(
            {
                "article_id": old[0],
                "replaced_at": now,
                "changed_fields": _json(changed),
                **before,
                "content_hash": old[1],
                "raw_page_id": old[2],
            }
        )

    def _store_children(self, article_id: int, article: dict[str, Any]) -> None:
        def rows(items: list[dict[str, Any]] | None, keys: tuple[str, ...]) -> list[dict]:
            return [
                {"article_id": article_id, "position": i, **{k: item.get(k) for k in keys}}
                for i, item in enumerate(items or [])
            ]

        self.db["attachments"].insert_all(rows(article.get("attachments"), ("url", "name", "kind")))
        self.db["related_links"].insert_all(rows(article.get("related"), ("url", "title")))
        refs = rows(article.get("doc_refs"), ("number", "type", "issuer", "date"))
        for ref in refs:
            ref["number_key"] = doc_number_key(ref["number"])
        self.db["doc_refs"].insert_all(refs)

    def _index(self, article_id: int, article: dict[str, Any]) -> None:
        values = {
            "title": article.get("title") or "",
            "summary": article.get("summary") or "",
            "body_text": article.get("body_text") or "",
            "byline": article.get("byline") or "",
            "doc_numbers": " ".join(d["number"] for d in article.get("doc_refs") or []),
            "attachment_names": " ".join(
                a.get("name") or "" for a in article.get("attachments") or []
            ),
        }
        values["folded"] = fold(" \n".join(values.values()))
        self.db.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = ?", [article_id])
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        self.db.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, {columns}) VALUES (?, {marks})",
            [article_id, *values.values()],
        )

    def _store_raw(self, raw: RawPage) -> int:
        digest = hashlib.sha256(raw.body).hexdigest()
        found = self._one("SELECT id FROM raw_pages WHERE url = ? AND sha256 = ?", raw.url, digest)
        if found:
            return int(found[0])
        content_type = next(
            (v[0] for k, v in raw.headers.items() if k.lower() == "content-type" and v), None
        )
        table = self.db["raw_pages"].insert(
            {
                "url": raw.url,
                "fetched_at": raw.fetched_at,
                "status": raw.status,
                "headers": _json(raw.headers),
                "content_type": content_type,
                "size": len(raw.body),
                "sha256": digest,
                "body_zlib": zlib.compress(raw.body, 6),
            }
        )
        return int(table.last_pk)

    def raw_body(self, raw_page_id: int) -> bytes:
        """The exact bytes of a stored page."""
        row = self._one("SELECT body_zlib FROM raw_pages WHERE id = ?", raw_page_id)
        if row is None:
            raise ArchiveError(f"no raw page {raw_page_id}")
        return zlib.decompress(row[0])

    def _one(self, sql: str, *params: Any) -> tuple[Any, ...] | None:
        return self.db.execute(sql, list(params)).fetchone()


class ArchiveError(Exception):
    """A problem with the archive file that the user can act on."""
