"""Hand what the spider found to the archive, and keep the numbers of the run.

The pipeline is the only place where Scrapy meets the archive's writing side;
``archive`` itself never imports Scrapy. At the end of a site's run it compares the
run with the site's own history and says loudly when the site looks broken.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections import Counter
from typing import Any

from scrapy import signals

from archive.files import (
    FileStore,
    FileTooLarge,
    extract_text,
    filename_from_content_disposition,
    safe_display_name,
    sniff_type,
)
from archive.store import Archive, ArchiveError
from archive.warc import WarcError
from scraper.failures import FAILED_PAGES, describe
from scraper.items import (
    ArticleItem,
    AttachmentItem,
    Item,
    ListingItem,
    RemovedItem,
    UnchangedItem,
)
from scraper.parsing.fields import FIELDS, profile_rule
from scraper.sites.registry import province_rows

# Attachment texts taken into the search index together (one update per article, not
# one per file); the rest at the end of the run.
INDEX_EVERY_FILES = 50
# Fields whose coverage falling this much below the site's usual level means the
# site's layout changed under its profile.
WATCHED_FIELDS = ("title", "published_at", "body_text")
COVERAGE_DROP = 0.3


class ArchivePipeline:
    def __init__(self, db_path: str, *, batched: bool = False) -> None:
        self.db_path = db_path
        self.batched = batched
        self.outcomes: Counter[str] = Counter()
        self.coverage: Counter[str] = Counter()
        self.sources: Counter[str] = Counter()
        self.pending_listings: list[ListingItem] = []
        self.write_failure: str | None = None
        self.unindexed_files = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        pipeline = cls(crawler.settings.get("KHOTIN_DB"))
        pipeline.crawler = crawler
        # The run is closed on spider_closed, which knows why the crawl ended.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        spider = spider or self.crawler.spider
        self.spider = spider
        self.archive: Archive | None = None
        try:
            if self.batched:
                # `khotin store`: one connection for every site, committing in batches
                # (Archive.batch_commits) before it acknowledges what it read.
                self.archive = Archive.shared(self.db_path)
                self.archive.batch_commits()
            else:
                self.archive = Archive(self.db_path)  # a crawl: one commit per article
            self.files = FileStore(
                self.archive.data_folder / "files",
                max_bytes=spider.profile.crawl.max_attachment_mb * 1024 * 1024,
            )
            self.archive.flush_index()  # what a killed run still owed the index
            self.archive.register_site(spider.profile.as_row())
            # The merger registry travels with every archive (facets by province).
            self.archive.register_provinces(province_rows())
            self.run_id = self.archive.start_run(spider.profile.id, spider.mode)
        except (OSError, ArchiveError, sqlite3.DatabaseError) as exc:
            self.write_failure = f"the archive cannot be written ({exc}): run `khotin verify`"
        if getattr(spider, "archive_damaged", None):
            self.write_failure = spider.archive_damaged

    async def process_item(self, item: Item, spider: Any = None) -> dict[str, Any]:
        if self.write_failure is not None:
            return {"type": "not stored", "url": item.url}
        try:
            return await self._process(item)
        except (OSError, WarcError, sqlite3.DatabaseError) as exc:
            # A full disk, a failing write or a damaged database file: every further
            # page would be fetched for nothing and could leave more half-written files.
            # Stop at once; what is committed stays (a crawl commits each article; a
            # `khotin store` batch that fails is read again from Redis).
            self.write_failure = f"cannot write to the archive ({exc})"
            self.crawler.stats.set_value("khotin/write_failure", self.write_failure)
            self.spider.logger.error("%s: stopping the run", self.write_failure)
            self.crawler.engine.close_spider(self.spider, "write_failed")
            # Not DropItem: Scrapy would log the whole item, raw page included.
            return {"type": "not stored", "url": item.url}

    async def _process(self, item: Item) -> dict[str, Any]:
        match item:
            case ListingItem():
                # Kept until the run ends normally: validators saved by a crawl that then
                # died would make the next one answer "not modified" and miss the rest.
                self.pending_listings.append(item)
                kind = "listing"
            case UnchangedItem():
                self.archive.mark_unchanged(item.url)
                self._count("unchanged")
                kind = "unchanged"
            case RemovedItem():
                if self.archive.mark_removed(item.url, item.status):
                    self._count("removed")
                else:  # never archived: wanted, and asked for again until judged gone
                    self.archive.ledger.record(
                        item.url, site_id=self.spider.profile.id, kind="article", status=item.status
                    )
                kind = "removed"
            case AttachmentItem():
                await self._store_attachment(item)
                kind = "attachment"
            case ArticleItem():
                self._store_article(item)
                kind = "article"
            case _:
                raise TypeError(f"not a khotin item: {type(item).__name__}")
        return {"type": kind, "url": item.url}

    def _count(self, outcome: str) -> None:
        self.outcomes[outcome] += 1
        self.crawler.stats.inc_value(f"khotin/articles_{outcome}")

    def _store_article(self, item: ArticleItem) -> None:
        article = item.article
        self._count(self.archive.save_article(article.as_dict(), item.page, prepared=item.prepared))
        self.archive.ledger.resolve(article.url, article.canonical_url)
        for name in FIELDS:
            if article.get(name) not in (None, "", []):
                self.coverage[name] += 1
        self.coverage["_articles"] += 1
        rules = self.spider.profile.article
        for name, source in article.field_sources.items():
            self.sources[f"{name}:{source}"] += 1
            # A fallback is a field the profile names but the generic layers had to find.
            if profile_rule(rules, name):
                layer = "generic" if source.startswith("generic") else "profile"
                self.crawler.stats.inc_value(f"khotin/fields_{layer}")

    async def _store_attachment(self, item: AttachmentItem) -> None:
        """Keep the file once by content, check what it really is, index its text.

        The text of a PDF or DOCX is read on a worker thread: a large file takes seconds,
        and on the event loop's thread it would stop every site of the run meanwhile."""
        record: dict[str, Any] = {
            "url": item.url,
            "status": item.status,
            "content_type": item.content_type,
            "error": item.error,
            "display_name": safe_display_name(
                filename_from_content_disposition(item.content_disposition or "")
            ),
        }
        body: bytes = item.body or b""
        # Refused for its size by Scrapy (a gzip bomb, a declared or streamed body over
        # the cap): asking again would only be refused again.
        gone_reason = "over the size cap" if _OVER_CAP.search(item.error or "") else None
        if item.status == 200 and body:
            try:
                stored = self.files.put(body)
            except FileTooLarge as exc:
                record["error"] = str(exc)
                gone_reason = "over the size cap"
            else:
                found = sniff_type(body, url=item.url, content_type=item.content_type)
                text = None
                ready = item.text  # read by a distributed crawl's worker, if it was
                if ready is not None and ready.usable(found.kind, stored.sha256):
                    text = ready.text
                elif not found.mismatch:  # bytes that are not what they claim: no text
                    self.spider.logger.info("reading the text of %s", item.url)
                    text = await asyncio.to_thread(extract_text, body, found.kind)
                    self.spider.logger.info("read the text of %s", item.url)
                record.update(
                    sha256=stored.sha256,
                    size=stored.size,
                    kind=found.kind,
                    claimed_kind=found.claimed,
                    type_mismatch=int(found.mismatch),
                    text=text,
                )
                self.crawler.stats.inc_value("khotin/attachments_stored")
                if found.mismatch:
                    self.crawler.stats.inc_value("khotin/attachments_mismatched")
        if self.archive.save_attachment_file(record, index_now=False):
            self.unindexed_files += 1
            if self.unindexed_files >= INDEX_EVERY_FILES:
                self.archive.flush_index()
                self.unindexed_files = 0
        if record.get("sha256"):
            self.archive.ledger.resolve(record["url"])
        else:
            status = item.status
            self.archive.ledger.record(
                record["url"],
                site_id=self.spider.profile.id,
                kind="attachment",
                status=status,
                error=record.get("error") or (f"HTTP {status}" if status else "no file"),
                article_url=item.article_url,
                gone_reason=gone_reason,
            )

    def spider_closed(self, spider: Any, reason: str) -> None:
        try:
            if self.archive is None:
                raise ArchiveError(self.write_failure or "the archive could not be opened")
            self._close(spider, reason)
        except (OSError, WarcError, ArchiveError, sqlite3.Error) as exc:
            # The disk that stopped the run may not take the run's own record either:
            # the summary still says why it ended.
            why = self.write_failure or f"cannot write to the archive ({exc})"
            self.write_failure = why
            self.crawler.stats.set_value("khotin/outcome", "interrupted")
            self.crawler.stats.set_value("khotin/reason", why)
            try:
                self._release()
            except (OSError, WarcError, sqlite3.Error):
                pass

    def _close(self, spider: Any, reason: str) -> None:
        self.archive.flush_index()
        ledger = self.archive.ledger
        for entry in self.crawler.stats.get_value(FAILED_PAGES) or []:
            if entry.get("kind") == "article":
                ledger.record(
                    entry["url"],
                    site_id=self.spider.profile.id,
                    kind="article",
                    status=entry.get("status"),
                    error=entry["why"],
                )
        self.crawler.stats.set_value("khotin/missing_pending", ledger.pending(spider.profile.id))
        outcome, why = self._judge(self.crawler.stats.get_stats())
        if self.write_failure is not None:
            outcome, why = "interrupted", self.write_failure
        elif reason != "finished":
            outcome, why = "interrupted", f"the crawl stopped early: {reason}"
        elif outcome == "ok":  # after errors, ask for the first page in full next time
            for item in self.pending_listings:
                self.archive.save_listing(
                    self.spider.profile.id,
                    item.url,
                    item.status,
                    item.etag,
                    item.last_modified,
                    item.article_links,
                )
        self._finish(outcome, why)

    def _finish(self, outcome: str, reason: str | None) -> None:
        stats = self.crawler.stats
        parsed = self.coverage.pop("_articles", 0)
        self.archive.finish_run(
            self.run_id,
            outcome=outcome,
            reason=reason,
            requests=stats.get_value("downloader/request_count", 0),
            pages=stats.get_value("response_received_count", 0),
            new=self.outcomes["new"],
            updated=self.outcomes["updated"],
            unchanged=self.outcomes["unchanged"],
            removed=self.outcomes["removed"],
            skipped=stats.get_value("khotin/skipped_before_since", 0),
            errors=_errors(stats.get_stats()),
            field_coverage={k: round(v / parsed, 3) for k, v in sorted(self.coverage.items())}
            if parsed
            else {},
            field_sources=dict(sorted(self.sources.items())),
        )
        stats.set_value("khotin/outcome", outcome)
        if reason:
            stats.set_value("khotin/reason", reason)
        self._release()

    def _release(self) -> None:
        """The run's writes made durable, and the archive let go of."""
        if self.archive is not None:
            archive, self.archive = self.archive, None
            if self.batched:
                try:
                    archive.commit()  # before the writer reads the run back elsewhere
                finally:
                    archive.release()
            else:
                archive.close()

    def _judge(self, stats: dict[str, Any]) -> tuple[str, str | None]:
        """ok, partial or broken, compared with what this site usually gives."""
        fetched = stats.get("khotin/listing_pages", 0)
        if not fetched and not stats.get("khotin/listing_not_modified", 0):
            return "broken", "no listing page could be fetched"
        if fetched and not stats.get("khotin/listing_links", 0):
            return "broken", "the listing pages have no article links (layout changed?)"
        parsed = self.coverage.get("_articles", 0)
        if parsed >= 3:
            history = [
                json.loads(run["field_coverage"] or "{}")
                for run in self.archive.past_runs(self.spider.profile.id, self.run_id)
                if run["outcome"] in ("ok", "partial")
            ]
            history = [h for h in history if h]
            for name in WATCHED_FIELDS:
                usual = [h.get(name, 0.0) for h in history]
                if not usual:
                    continue
                now = self.coverage.get(name, 0) / parsed
                before = sum(usual) / len(usual)
                if now < before - COVERAGE_DROP:
                    return "broken", f"{name} found on {now:.0%} of articles (usually {before:.0%})"
        if _errors(stats):
            failed = [describe(entry) for entry in stats.get(FAILED_PAGES) or []]
            named = "; ".join(failed[:5]) + (
                f"; and {len(failed) - 5} more" if len(failed) > 5 else ""
            )
            return "partial", f"{_errors(stats)} errors" + (f": {named}" if named else "")
        return "ok", None


_OVER_CAP = re.compile(r"max ?size|maxsize|larger than", re.IGNORECASE)


def _errors(stats: dict[str, Any]) -> int:
    return sum(
        value
        for key, value in stats.items()
        if key.startswith(("log_count/ERROR", "spider_exceptions/"))
    )
