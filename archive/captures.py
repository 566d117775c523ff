"""The ledger of a backfill: every web-archive capture listed for a site, and what
fetching it gave.

A backfill of a large site runs for days at the archive's rate limit, in batches, and
may be killed at any moment. The ledger is what makes that safe: a capture is listed
once (listing the CDX again adds only new ones), fetched at most once to an outcome,
and a capture whose content (digest) was already read under any spelling of the same
address is a duplicate, never fetched. Pending captures are the ones without an
outcome; a capture that failed in transit stays pending and is tried again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from scraper.parsing.links import identity_key

# What fetching a capture can give. Only "article" makes or feeds an article.
OUTCOMES = (
    "article",  # read and stored (a new article, a version or the same text again)
    "listing",  # a listing page of the site: links, not an article
    "error-page",  # a 200 capture of an error, "site moved" or empty page
    "redirect",  # the capture is a redirect, not a page
    "duplicate",  # the same digest as a capture already read for this address
    "not-html",  # an image, a PDF or other file captured on its own
    "gone",  # the archive no longer serves it (404) after retries
)


def capture_id(timestamp: str, original: str) -> str:
    return f"{timestamp} {original}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CaptureLedger:
    """The ``captures`` table of one archive file."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add_listed(self, site_id: str, rows: list[dict[str, Any]]) -> int:
        """Record captures from a CDX answer (dicts of Capture fields plus ``kind``);
        returns how many were new. A capture already listed keeps its outcome."""
        now = _now()
        before = self.db.execute("SELECT count(*) FROM captures").fetchone()[0]
        with self.db.atomic():
            self.db["captures"].insert_all(
                (
                    {
                        "id": capture_id(row["timestamp"], row["original"]),
                        "site_id": site_id,
                        "timestamp": row["timestamp"],
                        "captured_at": row["captured_at"],
                        "original": row["original"],
                        "url_key": identity_key(row["original"]),
                        "mimetype": row.get("mimetype"),
                        "status": row.get("status"),
                        "digest": row.get("digest"),
                        "length": row.get("length"),
                        "kind": row["kind"],
                        "listed_at": now,
                        "attempts": 0,
                    }
                    for row in rows
                ),
                pk="id",
                ignore=True,
            )
        return self.db.execute("SELECT count(*) FROM captures").fetchone()[0] - before

    def settle(
        self,
        capture: str,
        outcome: str,
        *,
        detail: str | None = None,
        article_id: int | None = None,
        raw_page_id: int | None = None,
    ) -> None:
        """Record what fetching a capture gave: it is never fetched again."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown capture outcome {outcome!r}")
        with self.db.atomic():
            self.db.execute(
                "UPDATE captures SET outcome = ?, detail = ?, article_id = ?, raw_page_id = ?, "
                "fetched_at = ?, attempts = attempts + 1 WHERE id = ?",
                [outcome, detail, article_id, raw_page_id, _now(), capture],
            )

    def failed(self, capture: str, detail: str) -> None:
        """A fetch that failed in transit (timeout, 5xx after retries): still pending."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE captures SET detail = ?, attempts = attempts + 1 WHERE id = ?",
                [detail, capture],
            )

    def counts(self, site_id: str) -> dict[str, int]:
        """How many captures of the site ended each way ("pending" for the rest)."""
        rows = self.db.execute(
            "SELECT COALESCE(outcome, 'pending'), count(*) FROM captures WHERE site_id = ? "
            "GROUP BY 1",
            [site_id],
        ).fetchall()
        return dict(rows)
