"""``khotin reparse``: extract every archived article again from its stored raw page.

After a profile or parser fix, the archive is brought up to date without a single
request: each article's page is read back from the WARC files, decoded and extracted
with today's code, and stored through the same idempotent write as a crawl (a changed
article keeps its previous version in ``article_versions``).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TextIO

from archive.store import Archive, ArchiveError
from archive.warc import WarcError
from scraper.extract import extract
from scraper.runner import EXIT_PARTIAL
from scraper.sites import SiteProfile, load_profile, site_ids

COMPARED = (
    "title",
    "summary",
    "body_text",
    "category",
    "published_at",
    "published_raw",
    "updated_at",
    "byline",
    "authors",
    "source_unit",
)


def _profile(site_id: str, cache: dict[str, SiteProfile | None]) -> SiteProfile | None:
    if site_id not in cache:
        cache[site_id] = load_profile(site_id) if site_id in site_ids() else None
    return cache[site_id]


def reparse(db: Path, site_id: str | None, out: TextIO) -> int:
    profiles: dict[str, SiteProfile | None] = {}
    outcomes: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    unreadable: list[str] = []
    with Archive(db) as archive:
        for article_site, raw_id in list(archive.stored_articles(site_id)):
            profile = _profile(article_site, profiles)
            try:
                raw = archive.raw_page(raw_id)
            except (ArchiveError, WarcError) as exc:
                # One damaged record must not stop the rest: reported, and `khotin verify`
                # queues the page to be fetched again.
                unreadable.append(f"raw page {raw_id}: {exc}")
                continue
            # The stored Page carries its fetch time: "3 giờ trước" on a page fetched in
            # 2024 means 2024, not the day of the reparse.
            article = extract(raw, profile).as_dict()
            article["site_id"] = article_site  # sites crawled with --start-url have no profile
            before = archive.db.execute(
                f"SELECT {', '.join(COMPARED)} FROM articles WHERE raw_page_id = ?", [raw_id]
            ).fetchone()
            outcome = archive.save_article(article, raw_page_id=raw_id, seen=False)
            outcomes[outcome] += 1
            if before is not None and outcome == "updated":
                for name, old in zip(COMPARED, before, strict=True):
                    new = article.get(name)
                    if name == "authors":
                        new = json.dumps(new or [], ensure_ascii=False, sort_keys=True)
                    if old != new:
                        fields[name] += 1
    total = sum(outcomes.values())
    print(f"reparsed {total} articles from their stored pages (no network):", file=out)
    for outcome in ("updated", "unchanged", "new"):
        if outcomes[outcome]:
            print(f"  {outcome:<10} {outcomes[outcome]}", file=out)
    for name, count in fields.most_common():
        print(f"  changed {name}: {count}", file=out)
    if unreadable:
        print(
            f"  unreadable {len(unreadable)} (run `khotin verify` to queue them again):", file=out
        )
        for line in unreadable:
            print(f"    {line}", file=out)
        return EXIT_PARTIAL
    return 0
