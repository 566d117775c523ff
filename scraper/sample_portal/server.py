"""Serve the sample portal over HTTP on loopback, in a background thread."""

from __future__ import annotations

import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from scraper.sample_portal.site import SamplePortal


class _Handler(BaseHTTPRequestHandler):
    portal: SamplePortal
    log: list[tuple[str, float, float]]
    server_version = "SamplePortal/1.0"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        started = time.monotonic()
        try:
            self._answer()
        finally:
            # Who asked for what and when: tests check politeness and double fetches.
            self.log.append((self.path, started, time.monotonic()))

    def _answer(self) -> None:
        page = self.portal.get(self.path)
        # Like most real servers: an ETag for every page, and 304 when it still matches,
        # so incremental crawls can ask "changed since?" and get an empty answer.
        etag = '"' + hashlib.sha256(page.body).hexdigest()[:20] + '"'
        if page.status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        if page.status == 200:
            self.send_header("ETag", etag)
        for name, value in page.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(page.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the crawler's own log says what was fetched."""


class SamplePortalServer:
    """``with SamplePortalServer() as server: server.url`` serves the portal until exit."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, portal: SamplePortal | None = None):
        self.portal = portal or SamplePortal()
        # (path, start, end) of every request, in monotonic seconds.
        self.log: list[tuple[str, float, float]] = []
        handler = type("Handler", (_Handler,), {"portal": self.portal, "log": self.log})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> SamplePortalServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SamplePortalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
