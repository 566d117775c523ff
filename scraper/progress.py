"""A one-line progress display for crawls run in a terminal (never in logs or cron)."""

from __future__ import annotations

import sys
import time
from typing import Any

from scrapy import signals


class ProgressLine:
    """Rewrites one stderr line at most twice a second: site, requests, articles."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.last = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressLine:
        extension = cls(crawler)
        if crawler.settings.getbool("KHOTIN_PROGRESS") and sys.stderr.isatty():
            crawler.signals.connect(extension.update, signal=signals.response_received)
            crawler.signals.connect(extension.finish, signal=signals.spider_closed)
        return extension

    def _line(self) -> str:
        stats = self.crawler.stats
        site = getattr(self.crawler.spider, "profile", None)
        return (
            f"\r{site.id if site else '?'}: {stats.get_value('downloader/request_count', 0)} "
            f"requests, {stats.get_value('khotin/articles_new', 0)} new, "
            f"{stats.get_value('khotin/articles_updated', 0)} updated, "
            f"{stats.get_value('khotin/articles_unchanged', 0)} unchanged"
        )

    def update(self, **_: Any) -> None:
        now = time.monotonic()
        if now - self.last >= 0.5:
            self.last = now
            sys.stderr.write(self._line().ljust(78)[:100])
            sys.stderr.flush()

    def finish(self, **_: Any) -> None:
        sys.stderr.write(self._line() + "\n")
        sys.stderr.flush()
