"""URLs found on pages: made absolute, cleaned, judged (same site? a file? a trap?).

A crawled page decides nothing by itself: ``javascript:``, ``mailto:`` and other
non-web links never become links in the archive.
"""

from __future__ import annotations

import posixpath
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

ATTACHMENT_KINDS = {
    "pdf": "pdf",
    "doc": "doc",
    "docx": "docx",
    "xls": "xls",
    "xlsx": "xlsx",
    "zip": "zip",
    "rar": "rar",
    "7z": "zip",
    "jpg": "image",
    "jpeg": "image",
    "png": "image",
    "gif": "image",
    "odt": "other",
    "ppt": "other",
    "pptx": "other",
    "txt": "other",
}
# Extensions that mark a document download, not an embedded picture.
DOCUMENT_EXTENSIONS = frozenset(ATTACHMENT_KINDS) - {"jpg", "jpeg", "png", "gif"}
# Query parameters that only track or keep a session: the same page under another name.
_NOISE_PARAMS = frozenset(
    {
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "fbclid",
        "gclid",
        "jsessionid",
        "phpsessid",
        "sid",
        "sessionid",
        "aspsessionid",
    }
)


def absolute_url(href: str | None, base: str) -> str | None:
    """An absolute http(s) URL without fragment or tracking parameters, or None."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    joined = urljoin(base, href)
    parts = urlsplit(safe_url_string(joined))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    path = parts.path or "/"
    path = path.split(";jsessionid=", 1)[0]
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in _NOISE_PARAMS
        ]
    )
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, query, ""))


def same_host(url: str, host: str) -> bool:
    """True when ``url`` is on ``host`` or one of its www variants."""
    netloc = urlsplit(url).netloc.lower()
    host = host.lower()
    return netloc == host or netloc.removeprefix("www.") == host.removeprefix("www.")


def extension(url: str) -> str:
    """The file extension of a URL's path (or of a ``file=``/``name=`` query value)."""
    parts = urlsplit(url)
    candidates = [unquote(parts.path)]
    candidates += [
        v for k, v in parse_qsl(parts.query) if k.lower() in ("file", "filename", "name", "f")
    ]
    for candidate in candidates:
        ext = posixpath.splitext(candidate)[1].lower().lstrip(".")
        if ext in ATTACHMENT_KINDS:
            return ext
    return ""


def attachment_kind(url: str) -> str:
    """pdf, doc, docx, xls, xlsx, zip, rar, image or other (DESIGN.md §2)."""
    return ATTACHMENT_KINDS.get(extension(url), "other")


def is_document(url: str) -> bool:
    return extension(url) in DOCUMENT_EXTENSIONS
