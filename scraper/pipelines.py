"""Hand extracted articles to the archive, and keep the numbers of the run.

The pipeline is the only place where Scrapy meets the archive; ``archive`` itself
never imports Scrapy.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from archive.store import Archive, RawPage
from scraper.parsing.article import FIELDS


class ArchivePipeline:
    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.outcomes: Counter[str] = Counter()
        self.coverage: Counter[str] = Counter()
        self.sources: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        pipeline = cls(crawler.settings.get("KHOTIN_DB"))
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        spider = spider or self.crawler.spider
        self.archive = Archive(self.db_path)
        self.archive.register_site(spider.profile.as_row())
        self.run_id = self.archive.start_run(spider.profile.id)

    def process_item(self, item: dict[str, Any], spider: Any = None) -> dict[str, Any]:
        raw = item.pop("raw", None)
        page = RawPage(**raw) if raw else None
        outcome = self.archive.save_article(item, page)
        self.outcomes[outcome] += 1
        for name in FIELDS:
            if item.get(name) not in (None, "", []):
                self.coverage[name] += 1
        for name, source in item.get("field_sources", {}).items():
            self.sources[f"{name}:{source}"] += 1
        self.crawler.stats.inc_value(f"khotin/articles_{outcome}")
        return item

    def close_spider(self, spider: Any = None) -> None:
        stats = self.crawler.stats
        total = sum(self.outcomes.values())
        errors = sum(
            value
            for key, value in stats.get_stats().items()
            if key.startswith(
                ("log_count/ERROR", "spider_exceptions/", "downloader/exception_count")
            )
        )
        if total == 0:
            outcome = "broken"
        elif errors:
            outcome = "partial"
        else:
            outcome = "ok"
        self.archive.finish_run(
            self.run_id,
            outcome=outcome,
            requests=stats.get_value("downloader/request_count", 0),
            pages=stats.get_value("response_received_count", 0),
            new=self.outcomes["new"],
            updated=self.outcomes["updated"],
            unchanged=self.outcomes["unchanged"],
            errors=errors,
            field_coverage={k: round(v / total, 3) for k, v in sorted(self.coverage.items())}
            if total
            else {},
            field_sources=dict(sorted(self.sources.items())),
        )
        stats.set_value("khotin/outcome", outcome)
        self.archive.close()
