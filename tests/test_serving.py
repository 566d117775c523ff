"""Serving is truly read-only and bounded: a read-only mount, archives of other versions,
a query that would take the server's memory, and the headers every page carries."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from archive.schema import SCHEMA_VERSION
from archive.store import unindex

from conftest import ServedArchive, run_khotin


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): digest(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def archive_copy(crawled_db, tmp_path) -> Path:
    """A copy of the crawled archive's data folder (database, WARC files, attachments)."""
    folder = tmp_path / "src"
    shutil.copytree(crawled_db.parent, folder, ignore=shutil.ignore_patterns("*.log", "*.lock"))
    return folder / crawled_db.name


@pytest.fixture
def read_only_mount(archive_copy, tmp_path):
    """The copy's folder bind-mounted read-only (CI runs as root: permissions alone would
    prove nothing, a read-only file system does)."""
    mount_point = tmp_path / "ro"
    mount_point.mkdir()
    source = archive_copy.parent
    done = subprocess.run(["mount", "--bind", str(source), str(mount_point)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot bind-mount here (needs root): {done.stderr.decode().strip()}")
    try:
        remount = ["mount", "-o", "remount,ro,bind", str(mount_point)]
        if subprocess.run(remount, capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield mount_point / archive_copy.name
    finally:
        # Lazy: a server that has not quite exited must not leave the mount behind.
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def test_serve_from_a_read_only_mount_writes_nothing(read_only_mount, archive_copy):
    before = snapshot(archive_copy.parent)
    with pytest.raises(OSError):
        (read_only_mount.parent / "probe").write_text("x")
    with sqlite3.connect(f"file:{read_only_mount}?immutable=1", uri=True) as conn:
        article_id, sha = conn.execute(
            "SELECT t.article_id, f.sha256 FROM attachments t JOIN attachment_files f "
            "ON f.url = t.url WHERE f.sha256 IS NOT NULL LIMIT 1"
        ).fetchone()
    served = ServedArchive(read_only_mount)
    try:
        with httpx.Client(base_url=served.url, timeout=30) as client:
            for path in (
                "/",
                "/search?q=ke+hoach",
                f"/article/{article_id}",
                f"/article/{article_id}/archived/content",
                f"/file/{sha}",
                "/khotin/articles",
                "/khotin.json?sql=select+count(*)+from+articles",
            ):
                assert client.get(path).status_code == 200, path
    finally:
        served.stop()
    assert "Traceback" not in served.log()
    assert snapshot(archive_copy.parent) == before


@pytest.fixture(scope="module")
def own_server(crawled_db):
    """A server of this module's own: Datasette logs every refused SQL query, and other
    tests check that the shared server's log stays clean."""
    served = ServedArchive(crawled_db)
    yield served
    served.stop()


def test_a_query_that_would_take_the_memory_is_refused(own_server):
    with httpx.Client(base_url=own_server.url, timeout=60) as client:
        response = client.get(
            "/khotin.json", params={"sql": "select length(hex(randomblob(400000000)))"}
        )
        assert response.status_code == 400
        assert "too big" in response.json()["error"]
        page = client.get("/khotin", params={"sql": "select zeroblob(100000000)"})
        assert page.status_code == 400 and "too big" in page.text
        assert client.get("/").status_code == 200  # and the server goes on


def test_every_response_carries_security_headers(own_server):
    with httpx.Client(base_url=own_server.url, timeout=30) as client:
        for path in ("/", "/khotin/articles", "/search?q=thi+dua", "/khotin.json"):
            headers = client.get(path).headers
            assert "frame-ancestors 'self'" in headers["content-security-policy"], path
            assert headers["x-frame-options"] == "SAMEORIGIN"
            assert headers["x-content-type-options"] == "nosniff"
        article = client.get("/search.json", params={"q": "thi dua"}).json()["hits"][0]["id"]
        replay = client.get(f"/article/{article}/archived/content").headers
        # The archived page keeps its own stricter policy: nothing from the network at all.
        assert replay["content-security-policy"].startswith("default-src 'none'")


def set_version(db: Path, version: int) -> None:
    """Make the file look as a khotin of schema ``version`` left it."""
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("DELETE FROM _sqlite_migrations WHERE id > ?", [version])


def test_archives_of_other_versions_are_refused_with_what_to_do(archive_copy):
    set_version(archive_copy, 99)
    for command in (
        ("serve", "--db", str(archive_copy), "--port", "0"),
        ("crawl", "sample-sonoivu", "--db", str(archive_copy)),
        ("reparse", "--db", str(archive_copy)),
    ):
        result = run_khotin(*command, timeout=60)
        assert result.returncode == 2, command
        assert "made by a newer khotin (schema 99" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    set_version(archive_copy, SCHEMA_VERSION - 1)
    before = digest(archive_copy)
    result = run_khotin("serve", "--db", str(archive_copy), "--port", "0", timeout=60)
    assert result.returncode == 2
    assert f"run `khotin migrate --db {archive_copy}`" in result.stderr
    assert digest(archive_copy) == before  # serve did not migrate it
    migrated = run_khotin("migrate", "--db", str(archive_copy))
    assert migrated.returncode == 0, migrated.stderr
    assert f"migrated from schema {SCHEMA_VERSION - 1} to {SCHEMA_VERSION}" in migrated.stdout
    served = ServedArchive(archive_copy)
    try:
        found = httpx.get(served.url + "/search.json", params={"q": "Uỷ ban"}, timeout=30)
        assert found.status_code == 200
    finally:
        served.stop()


def test_a_published_copy_is_served_and_replaced_without_a_restart(tmp_path, portal):
    db = tmp_path / "data" / "khotin.db"
    public = tmp_path / "public" / "khotin-public.db"
    crawled = run_khotin(
        "crawl",
        "sample-sonoivu",
        "--base-url",
        portal.url,
        "--db",
        str(db),
        "--publish",
        str(public),
    )
    assert crawled.returncode == 0, crawled.stderr[-2000:]
    assert public.is_file() and not list(public.parent.glob(".*.tmp"))
    with sqlite3.connect(public) as conn:
        total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        sha = conn.execute(
            "SELECT sha256 FROM attachment_files WHERE sha256 IS NOT NULL LIMIT 1"
        ).fetchone()[0]
        first_id = conn.execute("SELECT min(id) FROM articles").fetchone()[0]
    served = ServedArchive(public)
    try:
        with httpx.Client(base_url=served.url, timeout=30) as client:

            def count() -> int:
                sql = "select count(*) as n from articles"
                data = client.get("/khotin.json", params={"sql": sql, "_shape": "objects"}).json()
                return data["rows"][0]["n"]

            assert count() == total
            # Files and raw pages are found where the original archive keeps them.
            assert client.get(f"/file/{sha}").status_code == 200
            assert client.get(f"/article/{first_id}/archived/content").status_code == 200
            # The crawl goes on into the archive; a new copy is published over the old one.
            with sqlite3.connect(db) as conn:
                unindex(conn, first_id)  # out of the search index
                conn.execute("DELETE FROM attachments WHERE article_id = ?", [first_id])
                conn.execute("DELETE FROM related_links WHERE article_id = ?", [first_id])
                conn.execute("DELETE FROM doc_refs WHERE article_id = ?", [first_id])
                conn.execute("DELETE FROM article_versions WHERE article_id = ?", [first_id])
                conn.execute("DELETE FROM articles WHERE id = ?", [first_id])
            assert count() == total  # the served copy is a snapshot
            again = run_khotin("publish", str(public), "--db", str(db))
            assert again.returncode == 0, again.stderr
            # The switch is checked at most once a second; then every read sees the new
            # copy (three in a row: a request in flight at the switch may still read the
            # old one).
            deadline = time.monotonic() + 10
            reads: list[int] = []
            while reads[-3:] != [total - 1] * 3 and time.monotonic() < deadline:
                reads.append(count())
                time.sleep(0.1 if reads[-1] == total - 1 else 0.3)
            assert reads[-3:] == [total - 1] * 3, (reads, served.log()[-3000:])
            assert client.get("/search.json", params={"q": "thi dua"}).status_code == 200
    finally:
        served.stop()
    assert "Traceback" not in served.log()
