"""A made-up site served on 127.0.0.1 (a free port) that counts every request by path,
so a crawl test can say which pages were fetched and which of them were traps."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class LoopbackSite:
    """``with Site() as site``: subclasses say what each path answers (``page``) and which
    path fragments mark a trap (``TRAP_MARKERS``)."""

    TRAP_MARKERS: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.requests[self.path] += 1
                status, content_type, body = site.page(self.path)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    def page(self, path: str) -> tuple[int, str, bytes]:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> Self:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def trap_requests(self) -> int:
        return sum(
            n for path, n in self.requests.items() if any(t in path for t in self.TRAP_MARKERS)
        )
