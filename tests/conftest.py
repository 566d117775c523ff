"""Shared fixtures: the sample portal on loopback and one real crawl of it.

The crawl runs the real ``khotin`` command in a subprocess (Twisted's reactor cannot
be restarted inside one test process) against the real HTTP server below.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
