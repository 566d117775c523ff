"""Shared fixtures: the sample portal on loopback and one real crawl of it.

The crawl runs the real ``khotin`` command in a subprocess (Twisted's reactor cannot
be restarted inside one test process) against the real HTTP server below.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from scraper.sample_portal.server import SamplePortalServer

ROOT = Path(__file__).resolve().parent.parent


def run_khotin(
    *args: str, stdin: str | None = None, timeout: int = 300, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the installed command line as a user would, from the repository root."""
    env = {**(env or os.environ), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "scraper.cli", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_khotin(*args: str) -> subprocess.Popen:
    """Start the command line in the background (a crawl to kill, or to query meanwhile)."""
    return subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture(scope="session")
def portal():
    with SamplePortalServer() as server:
        yield server


@pytest.fixture(scope="session")
def crawled_db(portal, tmp_path_factory) -> Path:
    """An archive made by one real crawl of the sample portal."""
    db = tmp_path_factory.mktemp("archive") / "khotin.db"
    result = run_khotin("crawl", "sample-sonoivu", "--base-url", portal.url, "--db", str(db))
    assert result.returncode == 0, result.stderr[-3000:]
    return db


class ServedArchive:
    """``khotin serve --port 0`` in a subprocess: the URL it announces once serving, and
    everything it logged (read after ``stop``)."""

    def __init__(self, db: Path, *extra: str) -> None:
        # Not beside the archive: that folder may be read-only.
        handle, name = tempfile.mkstemp(prefix="khotin-serve-", suffix=".log")
        self.log_path = Path(name)
        self._log = os.fdopen(handle, "w+b")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", "serve", "--db", str(db), "--port", "0", *extra],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
        )
        line = self.process.stdout.readline()
        if "http://" not in line:
            self.stop()
            raise RuntimeError(f"khotin serve did not start: {line!r} {self.log()!r}")
        self.url = line[line.index("http://") :].split()[0].rstrip("/")

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_bytes().decode("utf-8", "replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self._log.close()


@pytest.fixture(scope="session")
def served_archive(crawled_db):
    served = ServedArchive(crawled_db)
    yield served
    served.stop()


def read_article(
    html: str, url: str, profile: Any = None, fetched_at: str | None = None
) -> dict[str, Any]:
    """What khotin reads from ``html`` served at ``url``: the one extraction every part of
    khotin uses, on a Page as a crawl would store it (UTF-8, fetched at ``fetched_at``)."""
    from scraper.extract import extract
    from scraper.parsing.page import Page

    page = Page.of(
        url,
        html.encode("utf-8"),
        content_type="text/html; charset=utf-8",
        fetched_at=fetched_at,
    )
    return extract(page, profile).as_dict()
