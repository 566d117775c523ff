"""The ledger of what is missing: every article page and attachment a crawl wanted and
did not get, until it is got or judged gone.

A row per URL (table ``missing``): its last status or error, how many attempts, when it
is next due. Every run asks for the due ones again, with growing pauses (the next run,
then an hour, six hours, a day, three days, a week), until they come (the row goes) or
are judged gone: a 404/410 twice in a row, a file over the size cap, or
``MAX_ATTEMPTS`` failures. Gone rows stay, so the archive says what it lacks and why.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

MAX_ATTEMPTS = 8
# Pause before attempt n+1 after n failures: the very next run may retry at once (a crash
# or a full disk is not the site's fault), then longer and longer.
BACKOFF = (
    timedelta(0),
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(days=1),
    timedelta(days=3),
    timedelta(days=7),
)
GONE_STATUSES = (404, 410)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class Ledger:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(
        self,
        url: str,
        *,
        site_id: str,
        kind: str,
        status: int | None = None,
        error: str | None = None,
        article_url: str | None = None,
        gone_reason: str | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """One more failed attempt at ``url``; returns the row as it now stands."""
        now = now or datetime.now(UTC)
        old = self.db.execute(
            "SELECT attempts, status, first_failed_at FROM missing WHERE url = ?", [url]
        ).fetchone()
        attempts = (old[0] if old else 0) + 1
        if gone_reason is None and status in GONE_STATUSES and old and old[1] in GONE_STATUSES:
            gone_reason = f"answered {old[1]} then {status}"
        if gone_reason is None and attempts >= MAX_ATTEMPTS:
            gone_reason = f"gave up after {attempts} attempts"
        row = {
            "url": url,
            "site_id": site_id,
            "kind": kind,
            "article_url": article_url,
            "status": status,
            "error": (error or "")[:500] or None,
            "attempts": attempts,
            "first_failed_at": old[2] if old else _iso(now),
            "last_tried_at": _iso(now),
            "next_retry_at": None
            if gone_reason
            else _iso(now + BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]),
            "gone_at": _iso(now) if gone_reason else None,
            "gone_reason": gone_reason,
        }
        self.db["missing"].upsert(row, pk="url")
        return row

    def resolve(self, *urls: str) -> None:
        """Got at last: the row goes."""
        for url in urls:
            if url:
                self.db.execute("DELETE FROM missing WHERE url = ?", [url])

    def due(self, site_id: str, kind: str, now: datetime | None = None) -> list[str]:
        """URLs of this kind to ask for again in this run."""
        moment = _iso(now or datetime.now(UTC))
        return [
            row[0]
            for row in self.db.execute(
                "SELECT url FROM missing WHERE site_id = ? AND kind = ? AND gone_at IS NULL "
                "AND next_retry_at <= ? ORDER BY first_failed_at",
                [site_id, kind, moment],
            )
        ]

    def gone(self) -> set[str]:
        return {
            row[0] for row in self.db.execute("SELECT url FROM missing WHERE gone_at IS NOT NULL")
        }

    def pending(self, site_id: str) -> int:
        """Still wanted, not yet due or due: what the summary lists, apart from this run."""
        return self.db.execute(
            "SELECT count(*) FROM missing WHERE site_id = ? AND gone_at IS NULL", [site_id]
        ).fetchone()[0]

    def unfetched_attachments(
        self, site_id: str, now: datetime | None = None
    ) -> list[tuple[str, str]]:
        """(attachment URL, article URL) of this site's stored articles whose file is not
        in the store and not judged gone: a crash, a full disk or an old bug lost them."""
        moment = _iso(now or datetime.now(UTC))
        return [
            (row[0], row[1])
            for row in self.db.execute(
                "SELECT t.url, min(a.url) FROM attachments t "
                "JOIN articles a ON a.id = t.article_id "
                "LEFT JOIN attachment_files f ON f.url = t.url AND f.sha256 IS NOT NULL "
                "LEFT JOIN missing m ON m.url = t.url "
                "WHERE a.site_id = ? AND f.url IS NULL "
                "AND (m.url IS NULL OR (m.gone_at IS NULL AND m.next_retry_at <= ?)) "
                "GROUP BY t.url ORDER BY min(t.id)",
                [site_id, moment],
            )
        ]
