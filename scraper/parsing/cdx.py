"""The Wayback Machine's CDX API, read: the captures of a site, and where each one's
original bytes are.

The first piece of ``khotin backfill`` (issue 12). Pure: a query is a URL, an answer is
text, so the crawl (Scrapy, polite and resumable) fetches and this module reads. The
same base URL serves ``/cdx/search/cdx`` and ``/web/<timestamp>id_/<url>`` (the capture
as it was received, without the archive's toolbar), so a test points it at a stand-in.

Both answer forms are read: JSON (``output=json``: a header row of field names, rows,
and, with ``showResumeKey=true``, an empty row then the key) and the plain form
(space-separated fields in the default order, a blank line, then the key).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from scraper.parsing.page import Page

# The default field order of the plain answer.
PLAIN_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
FIELDS = ("timestamp", "original", "mimetype", "statuscode", "digest", "length")


class CdxError(ValueError):
    """An answer that is not a CDX listing (an error page, a truncated body)."""


@dataclass(frozen=True)
class Capture:
    """One capture: what was fetched (``original``) and when (``timestamp``, UTC)."""

    timestamp: str  # 14 digits, yyyymmddhhmmss, UTC
    original: str
    mimetype: str | None
    status: int | None  # None for the "-" of revisit and warc records without a status
    digest: str | None
    length: int | None

    @property
    def captured_at(self) -> datetime:
        """The capture moment: the clock for the page's relative dates."""
        return datetime.strptime(self.timestamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S").replace(
            tzinfo=UTC
        )

    def raw_url(self, base: str) -> str:
        """The capture's original bytes (``id_``), never the replay page with a toolbar."""
        return f"{base.rstrip('/')}/web/{self.timestamp}id_/{self.original}"

    def page(self, body: bytes, headers: dict[str, str] | None = None) -> Page:
        """The capture as the Page every reader of a page builds: the original URL, the
        status the site answered, and the capture time as the fetch time."""
        return Page.of(
            self.original,
            body,
            status=self.status or 200,
            headers=headers,
            fetched_at=self.captured_at,
        )


@dataclass(frozen=True)
class Listing:
    captures: list[Capture]
    resume_key: str | None  # where the next page of the listing starts, if there is one


def query_url(
    base: str,
    url: str,
    *,
    match_type: str = "prefix",
    since: str | None = None,
    until: str | None = None,
    limit: int = 1000,
    resume_key: str | None = None,
) -> str:
    """The CDX query for the 200 captures of ``url`` (a host or a path prefix), one per
    distinct content (collapsed by digest), paged with resume keys."""
    params: list[tuple[str, str]] = [
        ("url", url),
        ("matchType", match_type),
        ("output", "json"),
        ("fl", ",".join(FIELDS)),
        ("filter", "statuscode:200"),
        # Pages only: a portal's images, styles and scripts outnumber its articles.
        ("filter", "mimetype:text/html"),
        ("collapse", "digest"),
        ("showResumeKey", "true"),
        ("limit", str(limit)),
    ]
    if since:
        params.append(("from", since.replace("-", "")))
    if until:
        params.append(("to", until.replace("-", "")))
    if resume_key:
        params.append(("resumeKey", resume_key))
    return f"{base.rstrip('/')}/cdx/search/cdx?{urlencode(params)}"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _capture(row: dict[str, str]) -> Capture | None:
    timestamp, original = row.get("timestamp") or "", row.get("original") or ""
    if not (timestamp.isdigit() and len(timestamp) >= 8 and original):
        return None
    return Capture(
        timestamp=timestamp,
        original=original,
        mimetype=row.get("mimetype") or None,
        status=_int(row.get("statuscode")),
        digest=row.get("digest") or None,
        length=_int(row.get("length")),
    )


def parse_listing(text: str) -> Listing:
    """Captures and resume key from a CDX answer in either form; a row that is not a
    capture is skipped, an answer that is not a listing is a CdxError."""
    # A proxy or a Windows server may answer with CRLF line ends: the blank line before
    # the resume key must still be found.
    stripped = text.replace("\r\n", "\n").strip()
    if not stripped:
        return Listing([], None)
    if stripped.startswith("{"):
        # {"error": "…"}: the archive's own error, never an empty site.
        raise CdxError(f"not a CDX listing: {stripped[:200]}")
    if stripped.startswith("["):
        return _parse_json(stripped)
    return _parse_plain(stripped)


def _parse_json(text: str) -> Listing:
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CdxError(f"not a CDX answer: {exc}") from exc
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], list):
        return Listing([], None)
    header = [str(name) for name in rows[0]]
    captures, resume_key, after_blank = [], None, False
    for row in rows[1:]:
        if not isinstance(row, list):
            continue
        if not row:
            after_blank = True
            continue
        if after_blank:
            resume_key = str(row[0]) if row else None
            continue
        found = _capture(dict(zip(header, (str(v) for v in row), strict=False)))
        if found is not None:
            captures.append(found)
    return Listing(captures, resume_key)


def _parse_plain(text: str) -> Listing:
    body, _, tail = text.partition("\n\n")
    if body.lstrip().startswith("<"):
        raise CdxError("not a CDX answer: an HTML page")
    captures = []
    lines = [line for line in body.splitlines() if line.strip()]
    for line in lines:
        fields = line.split()
        if len(fields) < len(PLAIN_FIELDS):
            continue
        found = _capture(dict(zip(PLAIN_FIELDS, fields, strict=False)))
        if found is not None:
            captures.append(found)
    if lines and not captures:
        # Text that holds no capture line at all ("org.archive.wayback.exception…",
        # "Service Unavailable"): an error, said so, not a site with no captures.
        raise CdxError(f"not a CDX listing: {lines[0][:200]}")
    resume_key = tail.strip().splitlines()[0] if tail.strip() else None
    return Listing(captures, resume_key)
