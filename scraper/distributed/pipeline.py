"""The worker's item pipeline: items go to the writer's Redis stream, tickets settle.

A worker never opens the archive. It waits while the stream holds more than
``stream_max`` entries, so a slow writer slows the crawl instead of filling Redis's
memory with raw pages.
"""

from __future__ import annotations

import asyncio
from typing import Any

from archive.prepared import prepare_file
from scraper.distributed import wire
from scraper.distributed.context import current
from scraper.distributed.queue import settle
from scraper.distributed.spider import Settled
from scraper.items import AttachmentItem, Item

PAUSE = 0.5


class StreamPipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.context = current()

    @classmethod
    def from_crawler(cls, crawler: Any) -> StreamPipeline:
        return cls(crawler)

    async def process_item(self, item: Item | Settled, spider: Any = None) -> dict[str, Any]:
        ctx = self.context
        spider = spider or self.crawler.spider
        site = spider.profile.id
        if isinstance(item, Settled):
            if item.ticket is not None:
                settle(ctx.server, ctx.keys, ctx.worker, ctx.round_id, site, item.ticket)
            return {"type": "settled", "url": item.url}
        paused = False
        while ctx.server.xlen(ctx.keys.items) > ctx.stream_max:
            if not paused:
                spider.logger.info("the writer is behind: waiting")
                self.crawler.stats.inc_value("khotin/stream_pauses")
                paused = True
            await asyncio.sleep(PAUSE)
        if isinstance(item, AttachmentItem) and item.status == 200 and item.body:
            # The file's text read here, off the event loop: the one writer then only
            # stores it (archive.prepared.prepare_file). If it fails, the writer reads it.
            try:
                item.text = await asyncio.to_thread(
                    prepare_file, item.body, url=item.url, content_type=item.content_type
                )
            except Exception:  # noqa: BLE001 - the writer's own reading reports it
                spider.logger.warning("%s: text not read for the writer", item.url, exc_info=True)
        fields = wire.encode(item)
        fields["site"] = site
        fields["worker"] = ctx.worker
        ctx.server.xadd(ctx.keys.items, fields)
        return {"type": fields["kind"], "url": item.url}
