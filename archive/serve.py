"""Serve the archive with Datasette: read-only, bounded, described by datasette_metadata.json.

The Datasette app is built here (not by shelling out to ``datasette serve``) so that the
command line and the tests run exactly the same configuration. The archive is always
served under the database name ``khotin``, whatever its file is called, so that archive
URLs (``/khotin/articles``, canned queries) stay the same for citation.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from datasette.app import Datasette
from datasette.plugins import pm

from archive import datasette_plugin
from archive.opening import check_archive, open_archive

PROJECT_ROOT = Path(__file__).resolve().parent.parent
METADATA_FILE = PROJECT_ROOT / "datasette_metadata.json"
TEMPLATES = Path(__file__).resolve().parent / "templates"

SETTINGS: dict[str, Any] = {
    # Suggested facets cost about a second per table page at 100k rows (DESIGN.md §7);
    # the facets we declare in the metadata stay.
    "suggest_facets": False,
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 500,
    "max_returned_rows": 1000,
    "default_page_size": 50,
    "allow_download": False,
    "max_csv_mb": 50,
}
# Bounds on what queries may build in memory (the time limit cannot stop a single
# built-in call such as randomblob(400000000)): each connection refuses strings and blobs
# over datasette_plugin.MAX_VALUE_BYTES, and the `khotin serve` process holds no more than
# this much SQLite heap in all.
HEAP_LIMIT_BYTES = 256 * 1024 * 1024


def load_metadata(metadata_path: Path | None = None) -> dict[str, Any]:
    path = metadata_path or METADATA_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read Datasette metadata ({exc})") from exc


def build_datasette(
    db_path: str | Path, metadata_path: Path | None = None, *, public_url: str | None = None
) -> Datasette:
    """A Datasette instance over one archive file, with khotin's plugin and settings.

    ``public_url`` is the origin written into citations and feeds (default: the origin
    each request came to)."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: no archive here (run `khotin crawl` or `khotin demo`)")
    check_archive(db_path)  # before anything else: a clear refusal, nothing written
    if not pm.is_registered(datasette_plugin):
        if pm.get_plugin("khotin") is None:
            pm.register(datasette_plugin, name="khotin")
    metadata = load_metadata(metadata_path)
    if public_url:
        metadata.setdefault("plugins", {}).setdefault("khotin", {})["public_url"] = public_url
    datasette = Datasette(
        [],
        metadata=metadata,
        settings=SETTINGS,
        template_dir=str(TEMPLATES),
    )
    open_archive(datasette, db_path)
    return datasette


def serve(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    *,
    public_url: str | None = None,
    announce: Callable[[str], None] = print,
) -> None:
    """Run Datasette until interrupted; ``announce`` gets the URL once it is serving
    (port 0 picks a free port, and the URL says which)."""
    import uvicorn

    datasette = build_datasette(db_path, public_url=public_url)
    # Process-wide (it would bound a test process too, so only here).
    with sqlite3.connect(":memory:") as probe:
        probe.execute(f"PRAGMA hard_heap_limit = {HEAP_LIMIT_BYTES}")
    config = uvicorn.Config(datasette.app(), host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)

    async def tell_when_serving() -> None:
        while not server.started:
            if server.should_exit:
                return
            await asyncio.sleep(0.05)
        bound = server.servers[0].sockets[0].getsockname()[1]
        announce(f"http://{host}:{bound}/")

    async def run() -> None:
        watcher = asyncio.create_task(tell_when_serving())
        try:
            await server.serve()
        finally:
            watcher.cancel()

    asyncio.run(run())
