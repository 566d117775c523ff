"""One crawl at a time per archive: an advisory lock file next to the database.

Two nightly runs that overlap (a slow night, a manual run during the scheduled one)
would fetch everything twice and race on the same rows; the second one is refused
with a clear message instead. The lock dies with its process, so a crashed or killed
crawl never leaves the archive locked.

A backfill from a web archive runs for days as short batches under the same lock; a
crawl that finds a batch running waits for it (a batch takes minutes), so the nightly
crawl is delayed, never skipped. A backfill never waits: it is refused while a crawl runs.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path


class LockedError(Exception):
    """Another crawl holds the archive."""


class CrawlLock:
    def __init__(
        self,
        db_path: str | Path,
        *,
        kind: str = "crawl",
        wait: float = 0.0,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        """``kind``: what holds it ("crawl" or "backfill"); ``wait``: seconds to wait
        for a backfill batch holding the lock (never for a crawl); ``on_wait`` is told
        once, with the holder's pid, when the wait begins (a silent wait looks hung)."""
        self.path = Path(f"{db_path}.lock")
        self.kind = kind
        self.wait = wait
        self.on_wait = on_wait
        self._handle: int | None = None

    def acquire(self) -> CrawlLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                os.lseek(handle, 0, os.SEEK_SET)
                holder = os.read(handle, 64).decode("ascii", "replace").split()
                pid = holder[0] if holder else "?"
                held_by = holder[1] if len(holder) > 1 else "crawl"
                if held_by == "backfill" and time.monotonic() < deadline:
                    if self.on_wait is not None:
                        self.on_wait(pid)
                        self.on_wait = None
                    time.sleep(1.0)
                    continue
                os.close(handle)
                raise LockedError(
                    f"another {held_by} is writing {self.path.with_suffix('')} (pid {pid})"
                ) from None
        note = f"{os.getpid()} {self.kind}".encode()
        try:  # who holds it, for the message of the next one; the flock is the lock
            os.pwrite(handle, note, 0)  # in place first: a full disk keeps the old note
            os.ftruncate(handle, len(note))
        except OSError:
            pass  # a full disk: the run itself will say so at its first write
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            os.close(self._handle)
            self._handle = None

    def __enter__(self) -> CrawlLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
