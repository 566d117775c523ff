"""A stand-in for a web archive, served on 127.0.0.1 (a free port): the CDX API
(``/cdx/search/cdx``, JSON or the plain form, paged with resume keys) and the captures'
own bytes (``/web/<timestamp>id_/<url>``), with the behaviours the real one shows: a
capture of an error page with status 200, a capture that is a redirect, a file request
sent to the nearest capture by a redirect, a 429 with Retry-After, a capture that stalls.

Every request is counted by path, so a test can say which captures were fetched.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qs, urlsplit

PLAIN_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")


@dataclass
class StandInCapture:
    timestamp: str
    original: str
    body: bytes = b""
    mimetype: str = "text/html"
    digest: str = ""
    content_type: str = "text/html; charset=utf-8"
    # What the capture URL answers instead of the body: a redirect target, or how many
    # times it first answers 429 (Retry-After: 1), or that it stalls (sleeps) every time.
    redirect_to: str | None = None
    too_many_first: int = 0
    stall_seconds: float = 0.0
    delay_seconds: float = 0.0
    page: int = 1  # which page of the CDX listing it is on
    asked: int = field(default=0, compare=False)

    def row(self) -> dict[str, str]:
        return {
            "urlkey": "standin",
            "timestamp": self.timestamp,
            "original": self.original,
            "mimetype": self.mimetype,
            "statuscode": "200",
            "digest": self.digest or f"D{abs(hash(self.body)) % 10**12}",
            "length": str(len(self.body)),
        }


class WaybackStandIn:
    """``with WaybackStandIn(captures, form="json") as archive``; ``archive.url`` is the
    base to give ``--wayback-url``. ``files`` maps a capture path (``/web/<ts>id_/<url>``)
    to (content type, bytes) for attachments; ``file_redirects`` maps a requested file
    path to the nearest capture's path."""

    def __init__(
        self,
        captures: list[StandInCapture],
        *,
        form: str = "json",
        files: dict[str, tuple[str, bytes]] | None = None,
        file_redirects: dict[str, str] | None = None,
    ) -> None:
        self.captures = captures
        self.form = form
        self.files = files or {}
        self.file_redirects = file_redirects or {}
        self.requests: Counter[str] = Counter()
        self.cdx_queries: list[dict[str, list[str]]] = []
        self.stalling = True
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                standin.requests[self.path] += 1
                status, headers, body, wait = standin.answer(self.path)
                if wait:
                    time.sleep(wait)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on a stalled capture

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def capture_path(self, capture: StandInCapture) -> str:
        return f"/web/{capture.timestamp}id_/{capture.original}"

    def fetched(self, capture: StandInCapture) -> int:
        return self.requests[self.capture_path(capture)]

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes, float]:
        if path == "/robots.txt":
            return 404, {"Content-Type": "text/plain"}, b"", 0.0
        if path.startswith("/cdx/search/cdx"):
            return self._cdx(path)
        for capture in self.captures:
            if path == self.capture_path(capture):
                return self._capture(capture)
        if path in self.file_redirects:
            return 302, {"Location": self.file_redirects[path]}, b"", 0.0
        if path in self.files:
            content_type, body = self.files[path]
            return 200, {"Content-Type": content_type}, body, 0.0
        return 404, {"Content-Type": "text/html"}, b"<h1>Not in the archive</h1>", 0.0

    def _cdx(self, path: str) -> tuple[int, dict[str, str], bytes, float]:
        query = parse_qs(urlsplit(path).query)
        self.cdx_queries.append(query)
        page = int((query.get("resumeKey") or ["p1"])[0].removeprefix("p"))
        last = max(c.page for c in self.captures)
        rows = [c.row() for c in self.captures if c.page == page]
        key = f"p{page + 1}" if page < last else None
        if self.form == "json":
            fields = (query.get("fl") or [",".join(PLAIN_FIELDS)])[0].split(",")
            table: list[list[str]] = [fields, *([r[f] for f in fields] for r in rows)]
            if key:
                table += [[], [key]]
            return 200, {"Content-Type": "application/json"}, json.dumps(table).encode(), 0.0
        lines = [" ".join(r[f] for f in PLAIN_FIELDS) for r in rows]
        text = "\n".join(lines) + (f"\n\n{key}\n" if key else "\n")
        return 200, {"Content-Type": "text/plain"}, text.encode(), 0.0

    def _capture(self, capture: StandInCapture) -> tuple[int, dict[str, str], bytes, float]:
        capture.asked += 1
        if capture.stall_seconds and self.stalling:
            return 200, {"Content-Type": capture.content_type}, capture.body, capture.stall_seconds
        if capture.asked <= capture.too_many_first:
            return 429, {"Retry-After": "1", "Content-Type": "text/plain"}, b"slow down", 0.0
        if capture.redirect_to:
            return 302, {"Location": capture.redirect_to}, b"", 0.0
        headers = {
            "Content-Type": capture.content_type,
            "X-Archive-Orig-Server": "Microsoft-IIS/8.5",
            "X-Archive-Orig-Date": "Wed, 02 Oct 2019 08:42:26 GMT",
        }
        return 200, headers, capture.body, capture.delay_seconds

    def __enter__(self) -> Self:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
