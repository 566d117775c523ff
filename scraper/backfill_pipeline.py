"""Hand what the backfill spider read from a web archive to the archive file.

The live crawl's pipeline does the work (attachments, the run's record, stopping on a
full disk); this one adds the ledger of captures and the provenance of each article,
and judges a backfill by what a backfill can get wrong: a capture list that could not
be read is a broken run, captures the archive did not give are a partial one (they
stay pending and the next run asks again).
"""

from __future__ import annotations

from typing import Any

from scraper.items import (
    ArticleItem,
    CaptureFailedItem,
    CaptureItem,
    CapturesListedItem,
    Item,
)
from scraper.parsing.cdx import Capture
from scraper.parsing.links import identity_key
from scraper.pipelines import ArchivePipeline, _errors


class BackfillPipeline(ArchivePipeline):
    async def _process(self, item: Item) -> dict[str, Any]:
        ledger = self.archive.captures
        match item:
            case CapturesListedItem():
                new = ledger.add_listed(
                    self.spider.profile.id, [_row(c, k) for c, k in item.captures]
                )
                self.crawler.stats.inc_value("khotin/captures_new", new)
                return {"type": "captures", "url": item.url}
            case CaptureItem():
                ledger.settle(item.capture_id, item.outcome, detail=item.detail)
                self.crawler.stats.inc_value(f"khotin/captures_{item.outcome}")
                return {"type": "capture", "url": item.url}
            case CaptureFailedItem():
                ledger.failed(item.capture_id, item.error)
                self.crawler.stats.inc_value("khotin/captures_failed")
                return {"type": "capture", "url": item.url}
            case ArticleItem() if item.capture_id is not None:
                self._store_capture(item)
                return {"type": "article", "url": item.url}
        return await super()._process(item)

    def _store_capture(self, item: ArticleItem) -> None:
        article = item.article
        outcome = self.archive.save_article(
            article.as_dict(), item.page, source=item.source, capture_url=item.capture_url
        )
        self._count(outcome)
        url = article.canonical_url or article.url
        # The row save_article chose: the exact address first, else any spelling of it.
        row = self.archive.db.execute(
            "SELECT id FROM articles WHERE url_key = ? OR url = ? ORDER BY url = ? DESC, id "
            "LIMIT 1",
            [identity_key(url), url, url],
        ).fetchone()
        raw = self.archive.db.execute(
            "SELECT raw_page_id FROM article_sources WHERE article_id = ? AND seen_at = ? "
            "AND source = ?",
            [
                row[0] if row else None,
                item.page.fetched_at.isoformat(timespec="seconds"),
                item.source,
            ],
        ).fetchone()
        self.archive.captures.settle(
            item.capture_id,
            "article",
            detail=outcome,
            article_id=row[0] if row else None,
            raw_page_id=raw[0] if raw else None,
        )
        self.crawler.stats.inc_value("khotin/captures_article")
        for name, value in article.as_dict().items():
            if value not in (None, "", []) and name in ("title", "published_at", "body_text"):
                self.coverage[name] += 1
        self.coverage["_articles"] += 1

    def _judge(self, stats: dict[str, Any]) -> tuple[str, str | None]:
        """ok, partial or broken, for a backfill."""
        if stats.get("khotin/cdx_failed"):
            return "broken", f"the capture list could not be read: {stats['khotin/cdx_failed']}"
        if not stats.get("khotin/cdx_pages"):
            return "broken", "the web archive gave no capture list"
        failed = stats.get("khotin/captures_failed", 0)
        if failed:
            return "partial", f"{failed} captures not given this time (asked again next run)"
        if errors := _errors(stats):  # a capture that crashed its reading stays pending
            return "partial", f"{errors} errors (see the log); their captures stay pending"
        return "ok", None


def _row(capture: Capture, kind: str) -> dict[str, Any]:
    return {
        "timestamp": capture.timestamp,
        "captured_at": capture.captured_at.isoformat(timespec="seconds"),
        "original": capture.original,
        "mimetype": capture.mimetype,
        "status": capture.status,
        "digest": capture.digest,
        "length": capture.length,
        "kind": kind,
    }
