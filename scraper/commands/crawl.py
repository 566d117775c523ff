"""``scrapy crawl site -a site=SITE_ID``, with a one-line error for an unknown or broken
profile instead of a Twisted traceback (the same message ``khotin crawl`` gives).

The profile is checked in ``process_options``, which Scrapy runs before it starts a
crawler process (and logs its start-up banner)."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl

from scraper.sites import ProfileError, load_profile

EXIT_USAGE = 2


class Command(ScrapyCrawl):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        site = (opts.spargs or {}).get("site")
        if args and args[0] == "site" and site:
            try:
                load_profile(site)
            except ProfileError as exc:
                print(f"scrapy crawl site: error: {exc}", file=sys.stderr)
                sys.exit(EXIT_USAGE)
