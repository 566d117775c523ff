"""How ``khotin serve`` opens the archive, and reopens a published copy that was replaced.

Serving never writes: the file is checked read-only first (a khotin archive, of this
schema version), then handed to Datasette read-only (``mode=ro``), or ``immutable`` for
read-only media and published copies. A published copy is replaced by renaming a new
file over it (archive.publish); the server notices the new file on the next request
(one ``stat`` a second at most) and switches to it without a restart, while requests
already running finish on the old one.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette import database as datasette_database
from datasette.database import Database

from archive.facets import read_only_uri
from archive.publish import published_data_folder
from archive.reading_room import DB_NAME
from archive.schema import SCHEMA_VERSION
from archive.store import ArchiveError

log = logging.getLogger("khotin.serve")
CHECK_EVERY_S = 1.0


@dataclass(frozen=True)
class Opening:
    immutable: bool
    data_folder: Path
    published: bool


def check_archive(db_path: Path) -> Opening:
    """Check, without writing anything, that the file is a khotin archive this khotin
    can serve, and how to open it: immutable when its folder cannot be written (read-only
    media: SQLite could not even create its shared-memory file) or when it is a published
    copy (archive.publish), whose data folder it also names.

    Serving never migrates: an archive from an older khotin is refused with the command
    that upgrades it, one from a newer khotin with a request to upgrade khotin."""
    uri = read_only_uri(db_path)
    immutable = uri.endswith("immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            data_folder = published_data_folder(conn)
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
    return Opening(
        immutable=immutable or data_folder is not None,
        data_folder=data_folder or db_path.parent,
        published=data_folder is not None,
    )


class ServedDatabase(Database):
    """Datasette's Database, on connections of its own.

    Datasette keeps one read connection per thread keyed by the database's *name*, so
    after a published copy is replaced a new Database of the same name would go on
    reading the old file through those connections. Each call here checks that the
    thread's connection was opened by this Database and opens a fresh one if not
    (Datasette 0.65 internals: ``connections`` and ``_all_file_connections``)."""

    async def execute_fn(self, fn: Any) -> Any:
        def on_own_connection(conn: sqlite3.Connection) -> Any:
            if not any(own is conn for own in self._all_file_connections):
                conn = self.connect()
                self.ds._prepare_connection(conn, self.name)
                setattr(datasette_database.connections, self.name, conn)
            return fn(conn)

        return await super().execute_fn(on_own_connection)


def _identity(path: Path) -> tuple[int, int, int]:
    info = os.stat(path)
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def open_archive(datasette: Any, db_path: Path) -> Database:
    """(Re)register the archive with Datasette under the name ``khotin``."""
    opening = check_archive(db_path)
    database = ServedDatabase(datasette, path=str(db_path), is_mutable=not opening.immutable)
    database.khotin_data_folder = opening.data_folder
    database.khotin_published = opening.published
    database.khotin_identity = _identity(db_path)
    database.khotin_checked = time.monotonic()
    if DB_NAME in datasette.databases:
        datasette.remove_database(DB_NAME)
    datasette.add_database(database, name=DB_NAME)
    return database


def refresh_if_replaced(datasette: Any) -> None:
    """Switch to a published copy that was replaced since it was opened."""
    database = datasette.databases.get(DB_NAME)
    if database is None or not getattr(database, "khotin_published", False):
        return
    now = time.monotonic()
    if now - database.khotin_checked < CHECK_EVERY_S:
        return
    database.khotin_checked = now
    path = Path(database.path)
    try:
        if _identity(path) == database.khotin_identity:
            return
        open_archive(datasette, path)
        log.warning("%s was replaced: now serving the new copy", path)
    except (OSError, ArchiveError) as exc:
        # A bad or half-visible replacement: keep serving what was there.
        log.warning("%s changed but cannot be opened (%s): still serving the old copy", path, exc)
