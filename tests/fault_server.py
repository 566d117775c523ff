"""A department news site that fails in the ways real ones do, one switch per fault.

The good pages are the bundled sample portal's own pages (``SamplePortal``), so the
``sample-sonoivu`` profile's selectors read them. Next to them, reachable from the
listing pages, sit pages that fail: each fault is switched on per test by name
(``FaultServer(faults={"http-500", "nfd"})``) and gets its own sample article, served
at ``/tin-tuc-su-kien/<fault>-<id>.html`` under its real Vietnamese title, so a test
can look the title up in the archive.

Faults (see ``FAULTS``):

- HTTP errors that recover: ``listing-503`` (the first listing page, once),
  ``http-500`` (twice), ``http-503`` (once), the 503s with ``Retry-After``;
- broken connections: ``reset-once``/``reset-always`` (a TCP reset mid-body),
  ``truncated-once``/``truncated-always`` (``Content-Length`` larger than the body,
  then the connection closes), ``stall`` (the first request hangs ``STALL_SECONDS``);
- redirects: ``redirect-loop`` (A → B → A) and ``redirect-chain`` (each hop a new URL);
- size: ``gzip-bomb`` (1 MB gzip, 1 GiB inflated), ``huge-declared`` (a 40 MB
  ``Content-Length``, streamed) and ``huge-chunked`` (48 MB chunked, no length);
- traps: ``page-trap`` (a pager that never ends: past the last page, every page shows
  the last page's articles and a "Trang sau »" link to the next number), ``calendar``
  (month and week calendars on every listing page, each month linking the next one),
  ``session-ids`` (``;jsessionid=`` and ``?PHPSESSID=`` in every link, new on every
  page view);
- ``robots``: robots.txt disallows ``/tin-tuc-su-kien/noi-bo/``, and the listing
  links two articles there;
- ``attachments``: an article whose attachments are an HTML error page sent as
  ``application/pdf``, real PDFs whose ``Content-Disposition`` names
  ``../../etc/passwd``, ``/tmp/khotin-evil-<token>.pdf`` and
  ``../../khotin-evil-<token>.pdf``, and a gzip bomb;
- text: ``windows-1258`` (no charset anywhere), ``wrong-charset`` (header says
  iso-8859-1, the body is UTF-8), ``malformed`` (unclosed and stray tags, ``<p>`` in
  ``<p>``) and ``nfd`` (the whole page in Unicode NFD).

``pager="query"`` writes the pager as ``?page=N`` instead of ``/trang-N.html``.
The server counts every request by its raw path (``requests``) and keeps when it came
(``log``), so a test can tell how often each fault was asked for.
"""

from __future__ import annotations

import copy
import gzip
import re
import socket
import struct
import threading
import time
import unicodedata
import uuid
from collections import Counter
from functools import lru_cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

from scraper.sample_portal.files import make_pdf
from scraper.sample_portal.site import (
    SECTION_PATH,
    SamplePortal,
    article_path,
    listing_path,
    load_articles,
)

from legacy_bytes import to_windows_1258

GOOD_ARTICLES = 20
STALL_SECONDS = 40
RETRY_AFTER_SECONDS = 2
DISALLOWED = SECTION_PATH + "/noi-bo/"
ROBOTS_TXT = f"User-agent: *\nDisallow: {DISALLOWED}\nDisallow: /tim-kiem\n"
HUGE_DECLARED = 40 * 1024 * 1024
HUGE_CHUNKED = 48 * 1024 * 1024

# Fault name -> the slug of its article page (None: the fault has no page of its own).
FAULTS: dict[str, str | None] = {
    "listing-503": None,
    "http-500": "loi-500",
    "http-503": "loi-503",
    "reset-once": "ngat-ket-noi-mot-lan",
    "reset-always": "ngat-ket-noi",
    "truncated-once": "cat-cut-mot-lan",
    "truncated-always": "cat-cut",
    "stall": "treo",
    "redirect-loop": "vong-lap",
    "redirect-chain": "chuyen-huong",
    "gzip-bomb": "bom-gzip",
    "huge-declared": "qua-lon",
    "huge-chunked": "qua-lon-chunked",
    "windows-1258": "windows-1258",
    "wrong-charset": "sai-bang-ma",
    "malformed": "html-hong",
    "nfd": "nfd",
    "attachments": "tep-dinh-kem",
    "robots": None,
    "page-trap": None,
    "calendar": None,
    "session-ids": None,
}
# Faults whose article must end up in the archive (after retries, or decoded right).
RECOVERING = ("http-500", "http-503", "reset-once", "truncated-once", "stall")
TEXT_FAULTS = ("windows-1258", "wrong-charset", "malformed", "nfd")
# Faults whose article can never be archived.
LOST = (
    "reset-always",
    "truncated-always",
    "redirect-loop",
    "redirect-chain",
    "gzip-bomb",
    "huge-declared",
    "huge-chunked",
)
_SESSION = re.compile(r";jsessionid=[^?#]*", re.IGNORECASE)


# -- bad bytes -----------------------------------------------------------------------------


def without_charset(html: str) -> str:
    return html.replace('<meta charset="utf-8">', "", 1)


def malformed(html: str) -> str:
    """The page as a careless CMS editor leaves it: unclosed ``<p>`` and ``<b>``, a ``<p>``
    inside a ``<p>``, an unclosed table cell and a stray ``</div>`` after the body."""
    start = html.index('<div class="news-content">')
    end = html.index('<div class="news-related">')
    content = html[start:end]
    content = content.replace("</p>", "", 2)  # the first two paragraphs never close
    content = content.replace("<p>", "<p><b>", 1)  # a bold that never ends
    content = content.replace("<p>", "<p><p>", 2)  # paragraphs opened inside paragraphs
    content = content.replace(
        "</div>", "<table><tr><td>Nguồn: Sở Nội vụ</table></div></div></span>", 1
    )
    return html[:start] + content + html[end:].replace("</li>", "", 3)


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """About 1 MB of gzip that inflates to 1 GiB of HTML (gzip members concatenate)."""
    head = gzip.compress(b"<!DOCTYPE html><html><body><p>", mtime=0)
    spaces = gzip.compress(b" " * (8 * 1024 * 1024), compresslevel=9, mtime=0)
    return head + spaces * 128


# -- the server ---------------------------------------------------------------------------


class FaultServer:
    """``with FaultServer(faults={...}) as site``: serves on 127.0.0.1 until exit."""

    def __init__(
        self, faults: set[str] | frozenset[str] | tuple[str, ...] = (), *, pager: str = "path"
    ) -> None:
        unknown = set(faults) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown faults: {sorted(unknown)}")
        if pager not in ("path", "query"):
            raise ValueError("pager is 'path' or 'query'")
        self.faults = frozenset(faults)
        self.pager = pager
        self.token = uuid.uuid4().hex[:12]
        self.requests: Counter[str] = Counter()
        self.log: list[tuple[float, str]] = []  # (monotonic time, raw path)
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        articles = load_articles()
        self.good = [copy.deepcopy(a) for a in articles[:GOOD_ARTICLES]]
        self.portal = SamplePortal(self.good)
        spare = iter(copy.deepcopy(articles[GOOD_ARTICLES:]))
        self.fault_articles: dict[str, dict] = {}
        for name, slug in FAULTS.items():
            if slug is None:
                continue
            article = next(spare)
            article["slug"] = slug
            article["attachments"] = self._fault_files() if name == "attachments" else []
            self.fault_articles[name] = article
        self.disallowed_articles = []
        for _ in range(2):
            article = next(spare)
            article["attachments"] = []
            self.disallowed_articles.append(article)
        self.fault_portal = SamplePortal(list(self.fault_articles.values()))
        self._paths = {article_path(a): name for name, a in self.fault_articles.items()}
        self._disallowed = {
            DISALLOWED + article_path(a).rsplit("/", 1)[1]: a for a in self.disallowed_articles
        }
        self._robots_portal = SamplePortal(self.disallowed_articles)
        site = self

        class Handler(_Handler):
            server_site = site

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False

    # -- what tests read ------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def path_of(self, fault: str) -> str:
        return article_path(self.fault_articles[fault])

    def title_of(self, fault: str) -> str:
        return self.fault_articles[fault]["title"]

    def disallowed_paths(self) -> list[str]:
        return list(self._disallowed)

    def hits(self, prefix: str) -> int:
        """Requests whose path (session ids and query aside) starts with ``prefix``."""
        with self._lock:
            return sum(n for path, n in self.requests.items() if _route(path)[0].startswith(prefix))

    def fault_hits(self, fault: str) -> int:
        return self.hits(self.path_of(fault).removesuffix(".html"))

    def times(self, prefix: str) -> list[float]:
        with self._lock:
            return [t for t, path in self.log if _route(path)[0].startswith(prefix)]

    def raw_paths(self) -> list[str]:
        with self._lock:
            return list(self.requests)

    def listing_pages_past_the_end(self) -> int:
        """Requests for listing page numbers the site does not have (the pager trap)."""
        last = self.portal.page_count
        with self._lock:
            paths = list(self.requests.items())
        return sum(n for path, n in paths if (self._page_number(path) or 0) > last)

    def calendar_hits(self) -> int:
        with self._lock:
            return sum(n for path, n in self.requests.items() if _is_calendar(path))

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> FaultServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- pages ----------------------------------------------------------------------------

    def _fault_files(self) -> list[dict]:
        return [
            {"file": "ke-hoach-loi.pdf", "name": "Kế hoạch (tệp lỗi)", "kind": "pdf"},
            {"file": "passwd.pdf", "name": "Tên tệp leo thư mục", "kind": "pdf"},
            {"file": "tuyet-doi.pdf", "name": "Tên tệp đường dẫn tuyệt đối", "kind": "pdf"},
            {"file": "leo-thu-muc.pdf", "name": "Tên tệp ../", "kind": "pdf"},
            {"file": "bom.pdf", "name": "Tệp nén bom", "kind": "pdf"},
        ]

    def evil_names(self) -> dict[str, str]:
        """Attachment path -> the Content-Disposition filename the server sends."""
        return {
            "/Upload/files/passwd.pdf": "../../etc/passwd",
            "/Upload/files/tuyet-doi.pdf": f"/tmp/khotin-evil-{self.token}.pdf",
            "/Upload/files/leo-thu-muc.pdf": f"../../khotin-evil-{self.token}.pdf",
        }

    def _page_number(self, raw: str) -> int | None:
        path, query = _route(raw)
        if path in (SECTION_PATH, SECTION_PATH + "/"):
            value = dict(parse_qsl(query)).get("page", "1")
            return int(value) if value.isdigit() else None
        match = re.fullmatch(re.escape(SECTION_PATH) + r"/trang-(\d+)\.html", path)
        return int(match.group(1)) if match else None

    def _page_href(self, number: int) -> str:
        if self.pager == "query":
            href = f"{SECTION_PATH}?page={number}" if number > 1 else SECTION_PATH
        else:
            href = listing_path(number)
        if "session-ids" in self.faults:
            href += ("&" if "?" in href else "?") + f"PHPSESSID={uuid.uuid4().hex}"
        return href

    def _article_href(self, path: str, index: int) -> str:
        if "session-ids" not in self.faults:
            return path
        if index % 2:
            return f"{path};jsessionid={uuid.uuid4().hex.upper()}"
        return f"{path}?PHPSESSID={uuid.uuid4().hex}"

    def _item(self, article: dict, path: str, index: int) -> str:
        day = article["published"][:10]
        return (
            '<li class="news-item">'
            f'<h3 class="news-item-title"><a href="{escape(self._article_href(path, index))}">'
            f"{escape(article['title'])}</a></h3>"
            f'<span class="news-item-date">{day}</span></li>'
        )

    def _calendar(self, month: str = "2019-10") -> str:
        year, number = map(int, month.split("-"))
        before = f"{year - (number == 1)}-{(number - 2) % 12 + 1:02d}"
        after = f"{year + (number == 12)}-{number % 12 + 1:02d}"
        days = "".join(
            f'<td><a href="/lich-cong-tac?ngay={month}-{d:02d}">{d}</a></td>' for d in range(1, 29)
        )
        return (
            '<div class="calendar"><table><caption>'
            f'<a href="{SECTION_PATH}?thang={before}">«</a> Tháng {number}/{year} '
            f'<a href="{SECTION_PATH}?thang={after}">»</a></caption>'
            f"<tr>{days}</tr></table>"
            '<p class="lich-tuan"><a href="/lich-cong-tac?tuan=41&nam=2019">‹ Tuần trước</a> '
            '<a href="/lich-cong-tac?tuan=43&nam=2019">Tuần sau ›</a></p></div>'
        )

    def listing(self, number: int) -> bytes | None:
        last = self.portal.page_count
        if number < 1 or (number > last and "page-trap" not in self.faults):
            return None
        shown = min(number, last)
        html = self.portal.get(listing_path(shown)).body.decode("utf-8")
        start = html.index('<ul class="news-list">') + len('<ul class="news-list">')
        end = html.index("</ul>", start)
        first = (number - 1) * 10
        items = [
            self._item(a, article_path(a), first + i)
            for i, a in enumerate(self.good[(shown - 1) * 10 : shown * 10])
        ]
        if number == 1:
            extra = [
                (self.fault_articles[name], article_path(self.fault_articles[name]))
                for name in self.fault_articles
                if name in self.faults
            ]
            if "robots" in self.faults:
                extra += [(a, path) for path, a in self._disallowed.items()]
            items = [self._item(a, p, 100 + i) for i, (a, p) in enumerate(extra)] + items
        html = html[:start] + "".join(items) + html[end:]
        pager = []
        if number > 1:
            pager.append(f'<a class="prev" href="{self._page_href(number - 1)}">« Trang trước</a>')
        for n in range(1, last + 1):
            if n == number:
                pager.append(f'<span class="current">{n}</span>')
            else:
                pager.append(f'<a href="{self._page_href(n)}">{n}</a>')
        if number < last or "page-trap" in self.faults:
            pager.append(f'<a class="next" href="{self._page_href(number + 1)}">Trang sau »</a>')
        html = re.sub(
            r'<div class="pager">.*?</div>',
            lambda _: f'<div class="pager">{" ".join(pager)}</div>',
            html,
            count=1,
            flags=re.DOTALL,
        )
        if "calendar" in self.faults:
            html = html.replace(
                '<h1 class="section-title">',
                self._calendar() + '<h1 class="section-title">',
                1,
            )
        return html.encode("utf-8")

    def calendar_page(self, month: str) -> bytes:
        if not re.fullmatch(r"\d{4}-\d{2}", month):
            month = "2019-10"
        html = self.portal.get(SECTION_PATH).body.decode("utf-8")
        return re.sub(
            r'<main class="main">.*</main>',
            lambda _: f'<main class="main">{self._calendar(month)}<p>Lịch công tác</p></main>',
            html,
            count=1,
            flags=re.DOTALL,
        ).encode("utf-8")

    def article_html(self, fault: str) -> str:
        return self.fault_portal.get(self.path_of(fault)).body.decode("utf-8")


def _route(raw: str) -> tuple[str, str]:
    """Path and query as the site reads them: session ids are accepted and ignored."""
    parts = urlsplit(raw)
    path = _SESSION.sub("", parts.path)
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "PHPSESSID"]
    )
    return path, query


def _is_calendar(raw: str) -> bool:
    path, query = _route(raw)
    return path.startswith("/lich-cong-tac") or "thang=" in query


class _Handler(BaseHTTPRequestHandler):
    server_site: FaultServer
    protocol_version = "HTTP/1.1"
    server_version = "FaultPortal/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    # -- answers ----------------------------------------------------------------------------

    def _head(self, status: int, headers: list[tuple[str, str]]) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self._head(
            status,
            [("Content-Type", content_type), ("Content-Length", str(len(body))), *headers],
        )
        self.wfile.write(body)

    def reset(self, body: bytes) -> None:
        """Send the headers and a third of the body, then a TCP reset."""
        self._head(
            200, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
        )
        self.wfile.write(body[: len(body) // 3])
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.rfile.close()  # the last reference besides the socket: close() really closes
        self.connection.close()

    def truncated(self, body: bytes) -> None:
        """Promise the whole body, send a third of it, close the connection cleanly."""
        self._head(
            200, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
        )
        self.wfile.write(body[: len(body) // 3])
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def stream(self, total: int, *, chunked: bool) -> None:
        chunk = b"<p>" + b"Lorem ipsum dolor sit amet. " * 2340 + b"</p>\n"  # ~64 KiB
        headers = [("Content-Type", "text/html; charset=utf-8")]
        headers.append(
            ("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(total))
        )
        self._head(200, headers)
        self.close_connection = True
        sent = 0
        try:
            first = True
            while sent < total and not self.server_site._stop.is_set():
                piece = b"<!DOCTYPE html><html><body>" if first else chunk[: total - sent]
                first = False
                if chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                else:
                    self.wfile.write(piece)
                sent += len(piece)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the crawler hung up: that is what should happen

    # -- routing ----------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802
        site = self.server_site
        raw = self.path
        path, query = _route(raw)
        number = site._page_number(raw)
        key = f"listing:{number}" if number is not None else path
        with site._lock:
            site.requests[raw] += 1
            site._seen[key] += 1
            seen = site._seen[key]  # this page's requests, whatever its session id
            site.log.append((time.monotonic(), raw))
        params = dict(parse_qsl(query))
        try:
            self._answer(site, raw, path, params, number, seen)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _answer(
        self, site: FaultServer, raw: str, path: str, params: dict, number: int | None, seen: int
    ) -> None:
        faults = site.faults
        if path == "/robots.txt":
            if "robots" in faults:
                self.send(200, ROBOTS_TXT.encode(), "text/plain; charset=utf-8")
            else:
                self.send(404, b"not found", "text/plain")
            return
        if _is_calendar(raw) and "calendar" in faults:
            self.send(200, site.calendar_page(params.get("thang", "2019-10")))
            return
        if number is not None:
            if number == 1 and "listing-503" in faults and seen <= 1:
                self.send(
                    503,
                    b"<h1>Service Unavailable</h1>",
                    headers=(("Retry-After", str(RETRY_AFTER_SECONDS)),),
                )
                return
            page = site.listing(number)
            if page is None:
                self.send(404, site.portal.get("/khong-co").body)
            else:
                self.send(200, page)
            return
        if path in site._disallowed:
            body = site._robots_portal.get(article_path(site._disallowed[path])).body
            self.send(200, body)
            return
        chain = site.path_of("redirect-chain") if "redirect-chain" in faults else None
        if chain and path == chain:
            hop = int(params.get("lan", "0")) + 1
            self._head(302, [("Location", f"{chain}?lan={hop}"), ("Content-Length", "0")])
            return
        loop = site.path_of("redirect-loop") if "redirect-loop" in faults else None
        if loop and path in (loop, loop + "/"):
            other = loop + "/" if path == loop else loop
            self._head(302, [("Location", other), ("Content-Length", "0")])
            return
        fault = site._paths.get(path)
        if fault in faults:
            self._fault_article(site, fault, seen)
            return
        if path.startswith("/Upload/files/") and "attachments" in faults:
            if self._fault_file(site, path):
                return
        page = site.portal.get(path)
        self.send(page.status, page.body, page.content_type, page.headers)

    def _fault_article(self, site: FaultServer, fault: str, seen: int) -> None:
        html = site.article_html(fault)
        body = html.encode("utf-8")
        if fault == "http-500" and seen <= 2:
            self.send(500, b"<h1>500 Internal Server Error</h1>")
        elif fault == "http-503" and seen <= 1:
            self.send(
                503,
                b"<h1>Service Unavailable</h1>",
                headers=(("Retry-After", str(RETRY_AFTER_SECONDS)),),
            )
        elif fault == "reset-always" or (fault == "reset-once" and seen <= 1):
            self.reset(body)
        elif fault == "truncated-always" or (fault == "truncated-once" and seen <= 1):
            self.truncated(body)
        elif fault == "stall" and seen <= 1:
            site._stop.wait(STALL_SECONDS)  # then hang up without a word
            self.close_connection = True
        elif fault == "gzip-bomb":
            self.send(200, gzip_bomb(), headers=(("Content-Encoding", "gzip"),))
        elif fault == "huge-declared":
            self.stream(HUGE_DECLARED, chunked=False)
        elif fault == "huge-chunked":
            self.stream(HUGE_CHUNKED, chunked=True)
        elif fault == "windows-1258":
            self.send(200, to_windows_1258(without_charset(html)), "text/html")
        elif fault == "wrong-charset":
            self.send(200, without_charset(html).encode("utf-8"), "text/html; charset=iso-8859-1")
        elif fault == "malformed":
            self.send(200, malformed(html).encode("utf-8"))
        elif fault == "nfd":
            self.send(200, unicodedata.normalize("NFD", html).encode("utf-8"))
        else:
            self.send(200, body)

    def _fault_file(self, site: FaultServer, path: str) -> bool:
        if path == "/Upload/files/ke-hoach-loi.pdf":
            # What portals send for a file that is gone: an HTML page, 200, "a PDF".
            error = site.portal.get("/khong-co").body
            self.send(200, error, "application/pdf")
            return True
        if path in site.evil_names():
            name = site.evil_names()[path]
            pdf = make_pdf(["Tep dinh kem", f"Ten gui kem: {name}", site.token])
            self.send(
                200,
                pdf,
                "application/pdf",
                (("Content-Disposition", f'attachment; filename="{name}"'),),
            )
            return True
        if path == "/Upload/files/bom.pdf":
            self.send(200, gzip_bomb(), "application/pdf", (("Content-Encoding", "gzip"),))
            return True
        return False
