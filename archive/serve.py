"""Serve the archive with Datasette: read-only, bounded, described by datasette_metadata.json.

The Datasette app is built here (not by shelling out to ``datasette serve``) so that the
command line and the tests run exactly the same configuration.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from datasette.app import Datasette
from datasette.plugins import pm

from archive import datasette_plugin
from archive.store import Archive

PROJECT_ROOT = Path(__file__).resolve().parent.parent
METADATA_FILE = PROJECT_ROOT / "datasette_metadata.json"
# The database key the metadata file is written for; renamed to the served file's name.
METADATA_DB_KEY = "khotin"

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


def load_metadata(db_path: Path, metadata_path: Path | None = None) -> dict[str, Any]:
    path = metadata_path or METADATA_FILE
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read Datasette metadata ({exc})") from exc
    databases = metadata.get("databases", {})
    if METADATA_DB_KEY in databases and db_path.stem != METADATA_DB_KEY:
        databases[db_path.stem] = databases.pop(METADATA_DB_KEY)
    return metadata


def build_datasette(db_path: str | Path, metadata_path: Path | None = None) -> Datasette:
    """A Datasette instance over one archive file, with khotin's plugin and settings."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"{db_path}: no archive here (run `khotin crawl` or `khotin demo`)")
    # Opening through Archive brings an older file up to the current schema first.
    Archive(db_path).close()
    if not pm.is_registered(datasette_plugin):
        if pm.get_plugin("khotin") is None:
            pm.register(datasette_plugin, name="khotin")
    return Datasette(
        [str(db_path)],
        metadata=load_metadata(db_path, metadata_path),
        settings=SETTINGS,
    )


def serve(db_path: str | Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Run Datasette until interrupted. Mutable files are opened read-only by Datasette."""
    import uvicorn

    datasette = build_datasette(db_path)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
