"""Crawls spread over machines: workers share one Redis, one writer owns the archive.

Built on scrapy-redis (its scheduler, queue and duplicate filter) and extended where a
nightly archive needs more than it gives:

- ``queue``: a request popped by a worker is kept in that worker's *processing* hash
  until its callback's results are handed on; a worker that dies (its heartbeat key
  expires) has them put back by the reaper, so nothing it held is lost.
- ``gate``: politeness across workers: one request at a time per host and the site's
  delay between them, Retry-After honoured for every worker, kept in Redis.
- ``scheduler``: queues and the duplicate filter keyed per site and per *round* (one
  distributed crawl), not per spider name.
- ``wire`` and ``pipeline``: items, raw page bytes intact, go to a Redis stream; workers
  pause while the stream is longer than its limit.
- ``writer`` (``khotin store``): the archive's single writer. It reads the stream, keeps
  ``crawl_runs`` per site, and seeds the incremental state each round reads.

The single-process crawl (no ``--distributed``) uses none of this.
"""
