"""``khotin verify``: check the archive, its raw pages and its files; repair what can be.

- SQLite's ``quick_check`` on the database file;
- every indexed raw page read back from its WARC record and checked against its SHA-256
  (a damaged or missing record is reported, and the article is queued in the ledger so
  the next crawl fetches the page again);
- every stored attachment file checked against its SHA-256 (a missing or damaged file
  is reported, its index entry cleared and the download queued again).

Nothing is deleted: what cannot be repaired here is said, with where it is.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from archive.facets import read_only_uri
from archive.files import stored_path
from archive.store import Archive, ArchiveError, load_raw_page
from archive.warc import WarcError


@dataclass
class Report:
    integrity: str = "ok"
    pages_checked: int = 0
    files_checked: int = 0
    bad_pages: list[str] = field(default_factory=list)
    bad_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and not self.bad_pages and not self.bad_files


def verify(db_path: str | Path) -> Report:
    report = Report()
    # The file first, read-only: a damaged database is reported, never written to.
    try:
        with sqlite3.connect(read_only_uri(db_path), uri=True) as probe:
            found = [row[0] for row in probe.execute("PRAGMA quick_check")]
        probe.close()
    except sqlite3.DatabaseError as exc:
        found = [str(exc)]
    if found != ["ok"]:
        report.integrity = "; ".join(found[:5]) + (
            " (restore a published copy, or recover with the sqlite3 tool: "
            f"`sqlite3 {db_path} .recover | sqlite3 recovered.db`)"
        )
        return report
    with Archive(db_path) as archive:
        conn = archive.db.conn
        pages = conn.execute(
            "SELECT r.id, r.url, a.url, a.site_id FROM raw_pages r "
            "LEFT JOIN articles a ON a.raw_page_id = r.id ORDER BY r.id"
        ).fetchall()
        for raw_id, raw_url, article_url, site_id in pages:
            report.pages_checked += 1
            try:
                load_raw_page(conn, archive.warc, raw_id)
            except (ArchiveError, WarcError) as exc:
                report.bad_pages.append(f"raw page {raw_id} ({raw_url}): {exc}")
                if article_url:
                    with archive.db.atomic():
                        archive.ledger.record(
                            raw_url,
                            site_id=site_id,
                            kind="article",
                            error=f"stored page damaged: {exc}",
                        )
        folder = archive.data_folder / "files"
        files = conn.execute(
            "SELECT f.url, f.sha256, (SELECT a.site_id FROM attachments t JOIN articles a "
            "ON a.id = t.article_id WHERE t.url = f.url LIMIT 1) "
            "FROM attachment_files f WHERE f.sha256 IS NOT NULL"
        ).fetchall()
        for url, sha, site_id in files:
            report.files_checked += 1
            path = stored_path(folder, sha)
            try:
                good = hashlib.sha256(path.read_bytes()).hexdigest() == sha
                problem = None if good else "its bytes no longer match their SHA-256"
            except OSError as exc:
                problem = f"missing from the store ({exc.strerror})"
            if problem is None:
                continue
            report.bad_files.append(f"{url}: {problem} ({path})")
            with archive.db.atomic():
                archive.db.execute(
                    "UPDATE attachment_files SET sha256 = NULL, error = ? WHERE url = ?",
                    [f"verify: {problem}", url],
                )
                if site_id:
                    archive.ledger.record(
                        url, site_id=site_id, kind="attachment", error=f"verify: {problem}"
                    )
    return report
