"""What a nightly run of an unchanged archive costs, against a full re-crawl.

Several copies of the sample portal are served on loopback, each as its own site
(a local profile per copy, through ``KHOTIN_SITES``). The archive is built once; then,
in the same run, the nightly (incremental) crawl and a full re-crawl (``--full``) of the
unchanged sites are measured: requests per site and CPU seconds per site, and their
ratio. Run: ``make bench`` or ``.venv/bin/python benchmarks/nightly.py [--sites N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scraper.sample_portal.server import SamplePortalServer  # noqa: E402
from scraper.sites import SITES_DIR  # noqa: E402


def crawl(site_ids: list[str], db: Path, env: dict[str, str], *extra: str) -> float:
    """Run one `khotin crawl`; return the CPU seconds it used (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scraper.cli",
            "crawl",
            *site_ids,
            "--db",
            str(db),
            "--delay",
            "0",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr[-3000:])
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def requests_of_last_runs(db: Path, sites: int) -> list[int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "select requests from crawl_runs order by id desc limit ?", (sites,)
        ).fetchall()
    return [r[0] for r in rows]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=6)
    args = parser.parse_args()
    template = (SITES_DIR / "sample-sonoivu.toml").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp) / "sites"
        folder.mkdir()
        ids = []
        for n in range(args.sites):
            server = stack.enter_context(SamplePortalServer())
            site_id = f"bench-site-{n}"
            (folder / f"{site_id}.toml").write_text(
                template.replace('id = "sample-sonoivu"', f'id = "{site_id}"').replace(
                    "http://127.0.0.1:8721/", server.url
                ),
                encoding="utf-8",
            )
            ids.append(site_id)
        env = {**os.environ, "KHOTIN_SITES": str(folder), "PYTHONPATH": str(ROOT)}
        db = Path(tmp) / "bench.db"
        first = crawl(ids, db, env)
        nightly = crawl(ids, db, env)
        nightly_requests = requests_of_last_runs(db, args.sites)
        full = crawl(ids, db, env, "--full")
        full_requests = requests_of_last_runs(db, args.sites)
    n = args.sites
    print(
        f"{n} sites of 44 articles each, unchanged since the archive was built "
        f"(first crawl: {first / n:.2f} CPU s per site)\n"
    )
    print(f"{'run':<28} {'requests/site':>14} {'CPU s/site':>11}")
    print(f"{'nightly (incremental)':<28} {sum(nightly_requests) / n:>14.1f} {nightly / n:>11.2f}")
    print(f"{'full re-crawl (--full)':<28} {sum(full_requests) / n:>14.1f} {full / n:>11.2f}")
    print(
        f"\nnightly / full: requests {sum(nightly_requests) / sum(full_requests):.3f}, "
        f"CPU {nightly / full:.3f} (requests include robots.txt; CPU includes "
        "interpreter start-up, shared by all sites of a run)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
