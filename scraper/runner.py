"""Run crawls for the command line: options, the lock, one Scrapy process, a summary.

A nightly run must finish unattended, leave every site's results in the archive even
when one site fails, and end with an exit status a scheduler can act on: 0 when all
went well, 1 when a site looks broken, 3 when pages or files were lost this run
(``partial``), 2 (in the command line) for a user mistake.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from archive.lock import CrawlLock
from scraper.sites import SiteProfile

EXIT_BROKEN = 1
EXIT_PARTIAL = 3
# How long a crawl waits for a backfill batch that holds the archive (a default batch
# of 500 captures takes about ten minutes at the web archive's rate limit).
BACKFILL_BATCH_WAIT = 30 * 60.0


@dataclass(frozen=True)
class CrawlOptions:
    db: Path
    mode: str = "incremental"
    since: str | None = None
    delay: float | None = None
    revisit_after_hours: float | None = None
    log_level: str = "WARNING"
    progress: bool = False


def run_crawl(profiles: list[SiteProfile], options: CrawlOptions) -> list[dict[str, Any]]:
    """Crawl the given profiles into the archive in one Scrapy process, one result per
    site. Holds the archive's crawl lock for the whole run."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scraper.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from scraper.spiders.site import SiteSpider

    settings = get_project_settings()
    settings.set("KHOTIN_DB", str(options.db), priority="cmdline")
    settings.set("LOG_LEVEL", options.log_level.upper(), priority="cmdline")
    settings.set("KHOTIN_PROGRESS", options.progress, priority="cmdline")
    if options.delay is not None:
        settings.set("DOWNLOAD_DELAY", options.delay, priority="cmdline")
        if options.delay == 0:
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")

    # A backfill batch holding the archive is waited for (minutes), not a reason to skip.
    def waiting(pid: str) -> None:
        print(
            f"khotin: a backfill batch (pid {pid}) is writing {options.db}; the crawl starts "
            f"when it ends (waiting up to {BACKFILL_BATCH_WAIT / 60:.0f} min)",
            file=sys.stderr,
            flush=True,
        )

    with CrawlLock(options.db, wait=BACKFILL_BATCH_WAIT, on_wait=waiting):
        process = CrawlerProcess(settings)
        crawlers = []
        for profile in profiles:
            crawler = process.create_crawler(SiteSpider)
            process.crawl(
                crawler,
                profile=profile,
                mode=options.mode,
                since=options.since,
                revisit_after_hours=options.revisit_after_hours,
            )
            crawlers.append((profile, crawler))
        process.start()
    results = []
    for profile, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        results.append(
            {
                "site": profile.id,
                "outcome": stats.get("khotin/outcome", "broken"),
                "reason": stats.get("khotin/reason")
                or ("the crawl did not start" if "khotin/outcome" not in stats else None),
                "new": stats.get("khotin/articles_new", 0),
                "updated": stats.get("khotin/articles_updated", 0),
                "unchanged": stats.get("khotin/articles_unchanged", 0),
                "removed": stats.get("khotin/articles_removed", 0),
                "requests": stats.get("downloader/request_count", 0),
                "pending": stats.get("khotin/missing_pending", 0),
                "generic": _share(
                    stats.get("khotin/fields_generic", 0), stats.get("khotin/fields_profile", 0)
                ),
            }
        )
    return results


def _share(part: int, rest: int) -> str:
    return f"{part / (part + rest):.0%}" if part + rest else "-"


def print_summary(results: list[dict[str, Any]], db: Path, out: TextIO = sys.stdout) -> int:
    """One screen: a line per site, then what broke. Returns the exit status."""
    columns = ("new", "updated", "unchanged", "removed", "requests", "generic")
    print(f"{'site':<28} {'outcome':<8} " + " ".join(f"{c:>9}" for c in columns), file=out)
    for r in results:
        print(
            f"{r['site']:<28} {r['outcome']:<8} " + " ".join(f"{r[c]:>9}" for c in columns),
            file=out,
        )
    print(
        "generic: share of the fields the profile names that the generic layers had to find "
        "(high means the profile no longer fits the site)",
        file=out,
    )
    print(f"archive: {db}", file=out)
    pending = [r for r in results if r.get("pending")]
    for r in pending:
        # Listed, not counted: these are retried by every run until got or judged gone.
        print(
            f"still missing for {r['site']}: {r['pending']} pages or files, asked for again "
            "by later runs (table `missing`)",
            file=out,
        )
    broken = [r for r in results if r["outcome"] in ("broken", "interrupted")]
    for r in broken:
        label = "BROKEN" if r["outcome"] == "broken" else "INTERRUPTED"
        print(f"{label}: {r['site']}: {r['reason'] or 'no articles'}", file=sys.stderr)
    partial = [r for r in results if r["outcome"] == "partial"]
    for r in partial:
        print(f"PARTIAL: {r['site']}: {r['reason'] or 'errors'}", file=sys.stderr)
    if broken:
        return EXIT_BROKEN
    return EXIT_PARTIAL if partial else 0


@dataclass(frozen=True)
class BackfillOptions:
    db: Path
    wayback_url: str
    since: str | None = None
    until: str | None = None
    batch: int = 500
    generic: bool = False
    delay: float | None = None
    log_level: str = "WARNING"


def run_backfill(profile: SiteProfile, options: BackfillOptions) -> dict[str, Any]:
    """One batch of a site's backfill from a web archive, under the archive's crawl
    lock (a batch is short: the nightly crawl waits minutes at most, never days)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "scraper.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from archive.store import Archive
    from scraper.spiders.backfill import BackfillSpider

    settings = get_project_settings()
    settings.set("KHOTIN_DB", str(options.db), priority="cmdline")
    settings.set("LOG_LEVEL", options.log_level.upper(), priority="cmdline")
    # The archive's limits are kept per endpoint by the spider's download slots.
    settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
    if options.delay is not None:
        settings.set("KHOTIN_BACKFILL_DELAY", options.delay, priority="cmdline")
        settings.set("DOWNLOAD_DELAY", options.delay, priority="cmdline")
    with CrawlLock(options.db, kind="backfill"):
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(BackfillSpider)
        process.crawl(
            crawler,
            profile=profile,
            wayback_url=options.wayback_url,
            since=options.since,
            until=options.until,
            batch=options.batch,
            generic=options.generic,
        )
        process.start()
        with Archive(options.db) as archive:
            counts = archive.captures.counts(profile.id)
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return {
        "site": profile.id,
        "outcome": stats.get("khotin/outcome", "broken"),
        "reason": stats.get("khotin/reason")
        or ("the backfill did not start" if "khotin/outcome" not in stats else None),
        "new": stats.get("khotin/articles_new", 0),
        "updated": stats.get("khotin/articles_updated", 0),
        "older": stats.get("khotin/articles_older", 0),
        "unchanged": stats.get("khotin/articles_unchanged", 0),
        "fetched": sum(
            stats.get(f"khotin/captures_{k}", 0)
            for k in ("article", "error-page", "redirect", "not-html", "gone", "failed")
        ),
        "left": stats.get("khotin/captures_left_for_next_batch", 0),
        "captures": counts,
    }


def print_backfill_summary(result: dict[str, Any], db: Path, out: TextIO = sys.stdout) -> int:
    """What the batch did and what is left; the exit status like a crawl's."""
    print(
        f"{result['site']}: {result['outcome']}; articles new {result['new']}, "
        f"updated {result['updated']}, older versions {result['older']}, unchanged "
        f"{result['unchanged']}; captures fetched {result['fetched']}",
        file=out,
    )
    counts = result["captures"]
    print(
        "captures so far: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
        file=out,
    )
    if counts.get("pending"):
        print(
            f"{counts['pending']} captures still to fetch: run the same command again "
            "(each run is one batch; nothing is fetched twice)",
            file=out,
        )
    print(f"archive: {db}", file=out)
    if result["outcome"] in ("broken", "interrupted"):
        print(f"BROKEN: {result['site']}: {result['reason']}", file=sys.stderr)
        return EXIT_BROKEN
    if result["outcome"] == "partial":
        print(f"PARTIAL: {result['site']}: {result['reason']}", file=sys.stderr)
        return EXIT_PARTIAL
    return 0
