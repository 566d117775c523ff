"""Published copies: a consistent, read-only snapshot of the archive for serving.

The archive a crawl writes all night is not what the public should read from: a
published copy is made with ``VACUUM INTO`` (a transactionally consistent copy, even
while a crawl writes) into a temporary file beside the destination, which is then renamed
over it, so a reader never sees half a file. ``khotin serve`` opens a published copy
``immutable`` and switches to a new one when it is replaced, without a restart.

The copy records where the original's data folder is (WARC files and attachments are
not copied: they only ever grow), so the reading room still finds them.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from archive.facets import read_only_uri
from archive.store import ArchiveError, now_iso

PUBLISHED_TABLE = "khotin_published"


@dataclass(frozen=True)
class Published:
    path: Path
    data_folder: Path
    published_at: str
    size: int


def publish(db_path: str | Path, destination: str | Path) -> Published:
    """Write a consistent copy of the archive at ``destination`` (atomically replaced)."""
    source = Path(db_path).resolve()
    target = Path(destination).resolve()
    if target == source:
        raise ArchiveError(f"{target}: a published copy cannot replace the archive itself")
    if not source.is_file():
        raise ArchiveError(f"{source}: no archive here")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"{target.parent}: cannot create it ({exc.strerror})") from exc
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    os.close(handle)
    os.unlink(temporary)  # VACUUM INTO wants to create the file itself
    published_at = now_iso()
    try:
        with sqlite3.connect(read_only_uri(source), uri=True) as conn:
            conn.execute("VACUUM INTO ?", [temporary])
        conn.close()
        copy = sqlite3.connect(temporary)
        try:
            copy.execute(
                f"CREATE TABLE {PUBLISHED_TABLE} (source TEXT, data_folder TEXT, published_at TEXT)"
            )
            copy.execute(
                f"INSERT INTO {PUBLISHED_TABLE} VALUES (?, ?, ?)",
                [str(source), str(source.parent), published_at],
            )
            copy.commit()
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except (OSError, sqlite3.Error) as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ArchiveError(f"{target}: cannot publish ({exc})") from exc
    return Published(target, source.parent, published_at, target.stat().st_size)


def published_data_folder(conn: sqlite3.Connection) -> Path | None:
    """The original data folder a published copy points at (None for an archive)."""
    try:
        row = conn.execute(f"SELECT data_folder FROM {PUBLISHED_TABLE} LIMIT 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return Path(row[0]) if row and row[0] else None
