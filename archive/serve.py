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
from datasette.database import Database
from datasette.plugins import pm

from archive import datasette_plugin
from archive.facets import read_only_uri
from archive.reading_room import DB_NAME
from archive.schema import SCHEMA_VERSION
from archive.store import ArchiveError

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


def check_archive(db_path: Path) -> bool:
    """Check, without writing anything, that the file is a khotin archive this khotin
    can serve. Returns True when it must be opened immutable (its folder cannot be
    written, e.g. read-only media: SQLite could not even create its shared-memory file).

    Serving never migrates: an archive from an older khotin is refused with the command
    that upgrades it, one from a newer khotin with a request to upgrade khotin."""
    uri = read_only_uri(db_path)
    immutable = uri.endswith("immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{db_path}: not a khotin archive ({exc})") from exc
    if "articles" not in tables or version == 0:
        raise ArchiveError(f"{db_path}: not a khotin archive (no articles table)")
    if version > SCHEMA_VERSION:
        raise ArchiveError(
            f"{db_path}: made by a newer khotin (schema {version}; this khotin knows up to "
            f"{SCHEMA_VERSION}): upgrade khotin to serve it"
        )
    if version < SCHEMA_VERSION:
        raise ArchiveError(
            f"{db_path}: made by an older khotin (schema {version}, now {SCHEMA_VERSION}): "
            f"run `khotin migrate --db {db_path}` first (serving never writes to the archive)"
        )
    return immutable


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
    immutable = check_archive(db_path)
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
    database = Database(datasette, path=str(db_path), is_mutable=not immutable)
    datasette.add_database(database, name=DB_NAME)
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
