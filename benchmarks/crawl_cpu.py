"""CPU per article of a profile crawl, against Scrapy's download floor on the same site.

    python benchmarks/crawl_cpu.py [--articles 2000]

A generated portal (the sample portal's layout, N articles made from its 44, with
their attachments) is served on loopback. Two crawls of it run as subprocesses, and
each one's CPU time (user + system, from ``os.wait4``) is divided by N:

- the floor: a bare Scrapy spider that fetches the same listing pages, article pages
  and files and does nothing with them (parsel for the links, nothing stored), with
  Scrapy's defaults and again with the two engine settings khotin changes;
- khotin: ``khotin crawl`` with the site's profile (download, extract, store, WARC,
  attachment text), into a fresh archive.

Goal (issue 13): khotin at most 2x the floor.
"""

from __future__ import annotations

import argparse
import copy
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scraper.sample_portal.server import SamplePortalServer  # noqa: E402
from scraper.sample_portal.site import SamplePortal, load_articles  # noqa: E402
from scraper.sites import SITES_DIR  # noqa: E402

FLOOR = """
import sys
import scrapy
from scrapy.crawler import CrawlerProcess

class Floor(scrapy.Spider):
    name = "floor"
    start_urls = [sys.argv[1] + "tin-tuc-su-kien"]

    def parse(self, response):
        for href in response.css("ul.news-list h3.news-item-title a::attr(href)").getall():
            yield response.follow(href, self.article)
        for href in response.css("div.pager a.next::attr(href)").getall():
            yield response.follow(href, self.parse)

    def article(self, response):
        for href in response.css("div.news-attachments a::attr(href)").getall():
            yield response.follow(href, self.done)

    def done(self, response):
        pass

settings = {"LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "DOWNLOAD_DELAY": 0,
            "TELNETCONSOLE_ENABLED": False}
if len(sys.argv) > 2:  # the engine settings khotin uses (scraper/settings.py)
    settings.update(WARN_ON_GENERATOR_RETURN_VALUE=False, CONCURRENT_ITEMS=8)
process = CrawlerProcess(settings)
process.crawl(Floor)
process.start()
"""


def portal_of(articles: int) -> SamplePortal:
    """N articles in the sample portal's layout, each with its own id, slug and files."""
    base = load_articles()
    made = []
    for n in range(articles):
        article = copy.deepcopy(base[n % len(base)])
        article["id"] = 100_000 + n
        article["slug"] = f"{article['slug'][:60]}-{n}"
        day, month, rest = article["published"].split("/", 2)
        article["published"] = f"{1 + n % 28:02d}/{month}/{rest}"
        for attachment in article["attachments"]:
            stem, dot, ext = attachment["file"].rpartition(".")
            attachment["file"] = f"{stem}-{n}{dot}{ext}"
        made.append(article)
    return SamplePortal(made)


def cpu_of(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    return usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    portal = portal_of(args.articles)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with (
        tempfile.TemporaryDirectory(prefix="khotin-cpu-") as tmp,
        SamplePortalServer(portal=portal) as server,
    ):
        base = server.url.rstrip("/") + "/"
        # A file, not ``-c``: Scrapy reads its spiders' source.
        script = Path(tmp) / "floor.py"
        script.write_text(FLOOR, encoding="utf-8")
        floor, floor_status = cpu_of([sys.executable, str(script), base], env)
        tuned, tuned_status = cpu_of([sys.executable, str(script), base, "tuned"], env)
        sites = Path(tmp) / "sites"
        sites.mkdir()
        profile = (SITES_DIR / "sample-sonoivu.toml").read_text(encoding="utf-8")
        profile = profile.replace('id = "sample-sonoivu"', 'id = "bench-site"').replace(
            'base_url = "http://127.0.0.1:8721/"', f'base_url = "{base}"'
        )
        profile = profile.replace(
            "[crawl]", "[crawl]\nmax_articles = 100000\nmax_listing_pages = 10000"
        )
        (sites / "bench-site.toml").write_text(profile, encoding="utf-8")
        khotin, khotin_status = cpu_of(
            [sys.executable, "-m", "scraper.cli", "crawl", "bench-site", "--delay", "0",
             "--db", str(Path(tmp) / "khotin.db")],
            {**env, "KHOTIN_SITES": str(sites)},
        )  # fmt: skip
    per = 1000 / args.articles
    print(f"{args.articles:,} articles (with their listing pages and files), CPU per article:")
    print(f"  Scrapy download floor   {floor * per:6.2f} ms   (exit {floor_status})")
    print(
        f"  same, khotin's engine   {tuned * per:6.2f} ms   (exit {tuned_status}; "
        "WARN_ON_GENERATOR_RETURN_VALUE off, CONCURRENT_ITEMS 8)"
    )
    print(f"  khotin crawl            {khotin * per:6.2f} ms   (exit {khotin_status})")
    ratio = khotin / floor if floor else float("inf")
    print(f"  ratio                   {ratio:6.2f}x   (goal <= 2x)")
    print(f"  ratio, same engine      {khotin / tuned if tuned else float('inf'):6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
