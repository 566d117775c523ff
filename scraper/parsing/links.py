"""URLs found on pages: made absolute, cleaned, judged (same site? a file? a trap?).

A crawled page decides nothing by itself: ``javascript:``, ``mailto:`` and other
non-web links never become links in the archive.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from typing import Any
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
# URLs made only of characters that need no escaping (the common case, checked fast).
_PLAIN_URL = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
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


def document_base(root: Any, url: str) -> str:
    """What the page's relative links resolve against: its first ``<base href>`` when it
    has one (WebSphere, SharePoint and many ASP.NET portals print one, often not the
    page's own folder), else the page's own URL, as a browser does."""
    for base in root.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            resolved = urljoin(url, href)
            if urlsplit(resolved).scheme in ("http", "https"):
                return resolved
            break
    return url


def absolute_url(href: str | None, base: str) -> str | None:
    """An absolute http(s) URL without fragment or tracking parameters, or None."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    # urljoin costs ~30 µs; most hrefs are absolute or root-relative and need none of it.
    if href.startswith(("http://", "https://")) and "/." not in href:
        joined = href
    elif href.startswith("/") and not href.startswith("//") and "/." not in href:
        joined = _origin(base) + href
    else:
        joined = urljoin(base, href)
    if not _PLAIN_URL.fullmatch(joined):
        # Spaces, Vietnamese letters or other unsafe characters: percent-encode them.
        joined = safe_url_string(joined)
    parts = urlsplit(joined)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    path = (parts.path or "/").split(";jsessionid=", 1)[0]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(k.lower() in _NOISE_PARAMS for k, _ in pairs):
            query = urlencode([(k, v) for k, v in pairs if k.lower() not in _NOISE_PARAMS])
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, query, ""))


@lru_cache(maxsize=256)
def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def identity_key(url: str) -> str:
    """What makes two addresses the same article: the host without ``www.``, the path
    and the query; not the scheme, a default port or a fragment. Web archives captured
    the same page as http and https, with and without ``www.`` and ``:80``, over the
    years; every one of those is one article.

    >>> identity_key("http://www.sonoivu.binhduong.gov.vn:80/tin-tuc/a.html")
    'sonoivu.binhduong.gov.vn/tin-tuc/a.html'
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep the address as written
        port = None
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    key = host + (parts.path or "/")
    return f"{key}?{parts.query}" if parts.query else key


def same_host(url: str, host: str) -> bool:
    """True when ``url`` is on ``host`` or one of its www variants."""
    netloc = urlsplit(url).netloc.lower()
    host = host.lower()
    return netloc == host or netloc.removeprefix("www.") == host.removeprefix("www.")


_DEFAULT_PORTS = {"http": 80, "https": 443}


def on_site(url: str, hosts: tuple[str, ...] | list[str]) -> bool:
    """True when ``url`` may be fetched as part of a site served on ``hosts`` (netlocs).

    The host must match (with or without ``www.``) and so must the port: a site on
    127.0.0.1:8721 does not own 127.0.0.1:9000, which in production is another service
    on the same machine. http and https on their default ports are the same site."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return False
    try:
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return False
    name = parts.hostname.lower().removeprefix("www.")
    for host in hosts:
        allowed = urlsplit(f"//{host}")
        if (allowed.hostname or "").lower().removeprefix("www.") != name:
            continue
        try:
            allowed_port = allowed.port
        except ValueError:
            continue
        if allowed_port == port or (allowed_port is None and port in (80, 443)):
            return True
    return False


_SCRIPT_DOWNLOAD = re.compile(r"^\s*javascript:\s*[\w.$]*download[\w.$]*\s*\((.*)\)", re.I | re.S)
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")


def _download_files(href: str | None) -> list[str]:
    """The quoted arguments of a ``javascript:downloadfile(…)`` call that name a file."""
    match = _SCRIPT_DOWNLOAD.match(href or "")
    if not match:
        return []
    arguments = [a or b for a, b in _QUOTED.findall(match.group(1))]
    return [argument for argument in arguments if extension(argument)]


def script_download_target(href: str | None) -> str | None:
    """The file a ``javascript:downloadfile('name', '/path/to/file.pdf')`` link fetches:
    the quoted argument that names a document file, a path or URL preferred."""
    documents = _download_files(href)
    paths = [a for a in documents if "/" in a]  # "/Upload/x.pdf", "../Upload/x.pdf"
    return (paths or documents or [None])[0]


def script_download_name(href: str | None) -> str | None:
    """The file name a download call gives besides its path (``downloadfile('plan.pdf',
    '/Upload/plan.pdf')``), if any."""
    return next((a for a in _download_files(href) if "/" not in a), None)


def file_name(url: str) -> str:
    """The last step of a file's path, as a reader would call the file."""
    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])


# SharePoint's /_layouts/download.aspx?SourceUrl=…
_FILE_PARAMS = frozenset(("file", "filename", "name", "f", "fileurl", "doc", "path", "sourceurl"))
# Viewers that show a file named in their query: SharePoint's WopiFrame.aspx?sourcedoc=,
# Office Online's view.aspx?src=, Google's viewer?url=.
_VIEWER_PARAMS = ("sourcedoc", "src", "url")


def extension(url: str) -> str:
    """The file extension of a URL: its last path segment, a query value naming the file
    (``file=``, ``name=``; a viewer's ``sourcedoc=``/``src=``/``url=``: SharePoint's
    WopiFrame.aspx, Office and PDF viewers), or an inner segment (Liferay serves
    ``/documents/…/plan.pdf/<uuid>``)."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    candidates = [path]
    candidates += [
        v for k, v in parse_qsl(parts.query) if k.lower() in (*_FILE_PARAMS, *_VIEWER_PARAMS)
    ]
    candidates += reversed(path.split("/")[:-1])
    for candidate in candidates:
        ext = posixpath.splitext(candidate)[1].lower().lstrip(".")
        if ext in ATTACHMENT_KINDS:
            return ext
    return ""


def viewed_file(url: str) -> str:
    """The file a document viewer's URL shows (the file itself is the attachment, not
    the viewer: "…/WopiFrame.aspx?sourcedoc=/Lists/vb/plan.doc" is "…/Lists/vb/plan.doc"),
    or the URL unchanged."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    # pdf.js and its kin name the file in ``file=`` (/pdfjs/web/viewer.html?file=…).
    viewer = "viewer" in parts.path.rsplit("/", 1)[-1].lower()
    for key, value in parse_qsl(parts.query):
        named = key.lower() in _VIEWER_PARAMS or (viewer and key.lower() == "file")
        if named and extension(value) in DOCUMENT_EXTENSIONS:
            return absolute_url(value, url) or url
    return url


def attachment_kind(url: str) -> str:
    """pdf, doc, docx, xls, xlsx, zip, rar, image or other (DESIGN.md §2)."""
    return ATTACHMENT_KINDS.get(extension(url), "other")


def is_document(url: str) -> bool:
    return extension(url) in DOCUMENT_EXTENSIONS
