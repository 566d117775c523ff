"""One page fetched outside a crawl (``khotin extract URL``, ``check``, ``record``), as
the same ``Page`` a crawl stores: the exact bytes, status, headers and the moment.

A single polite GET with khotin's User-Agent and the crawl's size cap; robots.txt is
read with Protego, the parser Scrapy's own middleware uses, so a command never fetches
what a crawl would refuse.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

from protego import Protego

from scraper.parsing.page import Page
from scraper.settings import DOWNLOAD_MAXSIZE, USER_AGENT

TIMEOUT = 30


class FetchError(Exception):
    """The page could not be had; the message says why in a line."""


class RobotsForbidden(FetchError):
    """The site's robots.txt forbids the page: khotin does not fetch it."""


def fetch_page(url: str) -> Page:
    """The page at ``url``, unless the site's robots.txt forbids it to khotin (as it
    would in a crawl): every command that fetches goes through here."""
    if not allowed_by_robots(url):
        raise RobotsForbidden(f"robots.txt forbids {url}: khotin will not fetch it")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body = response.read(DOWNLOAD_MAXSIZE)
            return Page(
                url=response.geturl(),
                body=body,
                status=response.status,
                headers=tuple(response.headers.items()),
                fetched_at=datetime.now(UTC),
            )
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise FetchError(f"{url}: {getattr(exc, 'reason', exc)}") from exc


def read_file_page(path: Path, url: str | None = None, fetched_at: datetime | None = None) -> Page:
    """A page saved to a file: read as if fetched from ``url`` (else the file's URI)."""
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return Page(url=url or path.resolve().as_uri(), body=body, fetched_at=fetched_at)


def allowed_by_robots(url: str) -> bool:
    """What the crawl itself would decide about ``url``."""
    request = urllib.request.Request(
        urljoin(url, "/robots.txt"), headers={"User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            text = response.read(512 * 1024).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        # 4xx: no rules, everything allowed; 5xx: the site is not saying, so not now.
        return exc.code < 500
    except (urllib.error.URLError, OSError):
        return True  # no robots.txt to be had: nothing forbids
    return Protego.parse(text).can_fetch(url, USER_AGENT)
