"""Scrapy settings: polite by default, bounded everywhere.

Real department sites are small servers run by small teams; one request at a time per
host with a delay is the default, robots.txt is obeyed, and every download, page count
and depth is capped so that one broken site cannot hold a nightly run hostage.
"""

BOT_NAME = "khotin"
# `scrapy crawl site -a site=nosuch` says so in one line (scraper/commands/crawl.py).
COMMANDS_MODULE = "scraper.commands"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

USER_AGENT = "khotin/0.1 (Vietnamese public news archive; +https://github.com/khotin/khotin)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
DEPTH_LIMIT = 300
RETRY_ENABLED = True
RETRY_TIMES = 2
# Wait before retrying: Retry-After when the server says (up to 2 minutes), else 1 s,
# 2 s, 4 s … (see scraper.middlewares).
RETRY_AFTER_MAX = 120.0
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 30.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scraper.middlewares.PoliteRetryMiddleware": 550,
    # Sees responses before the redirect middlewares (600, 580) do: off-site targets,
    # ports included, are recorded and not followed.
    "scraper.middlewares.StayOnSiteMiddleware": 610,
    # Sees what the retries gave up on: each lost page is an ERROR with its URL.
    "scraper.middlewares.ReportFailuresMiddleware": 540,
}
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False

# No remote control of a running crawl: neither the telnet console nor the remote
# control server that recent Scrapy versions start by default.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# TLS certificates are checked (Scrapy does not by default). A site with a broken
# certificate can opt out in its profile: [crawl] verify_tls = false.
DOWNLOAD_VERIFY_CERTIFICATES = True
DNS_TIMEOUT = 20

# Hard stops, so one site can never hold a nightly run hostage.
MEMUSAGE_ENABLED = True
MEMUSAGE_LIMIT_MB = 1536
MEMUSAGE_CHECK_INTERVAL_SECONDS = 10.0
CLOSESPIDER_TIMEOUT = 4 * 3600
CLOSESPIDER_PAGECOUNT = 50_000

ITEM_PIPELINES = {"scraper.pipelines.ArchivePipeline": 300}
EXTENSIONS = {"scraper.progress.ProgressLine": 500}
# `khotin crawl` turns this on when its output is a terminal.
KHOTIN_PROGRESS = False
# Where the archive lives; `khotin crawl --db PATH` and `-s KHOTIN_DB=PATH` change it.
KHOTIN_DB = "data/khotin.db"

FEED_EXPORT_ENCODING = "utf-8"

# Engine overheads measured by benchmarks/crawl_cpu.py (issue 13), not behaviour:
# - Scrapy checks every generator callback for a `return value` on every call: its cache
#   is keyed by bound methods, which die at once, so it parses the callback's source
#   each time (about 1 ms per article). khotin's callbacks are checked by ruff and tests.
WARN_ON_GENERATOR_RETURN_VALUE = False
# - Scrapy starts CONCURRENT_ITEMS asyncio tasks for the output of every response (100
#   by default); a khotin callback yields one item and a few requests.
CONCURRENT_ITEMS = 8
LOG_LEVEL = "INFO"
