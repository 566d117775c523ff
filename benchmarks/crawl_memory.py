"""Peak memory and wall time of a crawl against a hostile site, beside a clean crawl of the
same site in the same run.

    python benchmarks/crawl_memory.py

The hostile site (tests/fault_server.py) serves the sample portal's pages next to a gzip
bomb (1 MB that inflates to 1 GiB), a 40 MB declared body, a 48 MB chunked body, resets
and a page that stalls past the download timeout. Each crawl is a real ``khotin crawl``
subprocess; its peak RSS comes from ``os.wait4``. Goal (issue 6): peak RSS under 600 MB;
the stalled page costs one download timeout, not more.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from scraper.settings import DOWNLOAD_TIMEOUT  # noqa: E402
from scraper.sites import SITES_DIR  # noqa: E402

from fault_server import FaultServer  # noqa: E402

MEMORY_GOAL_MB = 600
HOSTILE = ("gzip-bomb", "huge-declared", "huge-chunked", "reset-once", "stall")


def crawl(faults: tuple[str, ...], folder: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit status) of one crawl of a fault server."""
    with FaultServer(faults=faults) as server:
        sites = folder / "sites"
        sites.mkdir(parents=True)
        profile = (SITES_DIR / "sample-sonoivu.toml").read_text(encoding="utf-8")
        profile = profile.replace('id = "sample-sonoivu"', 'id = "bench-site"').replace(
            'base_url = "http://127.0.0.1:8721/"', f'base_url = "{server.url}"'
        )
        (sites / "bench-site.toml").write_text(profile, encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KHOTIN_SITES": str(sites)}
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", "crawl", "bench-site", "--delay", "0",
             "--db", str(folder / "data" / "khotin.db")],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.monotonic() - started
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="khotin-bench-") as tmp:
        clean = crawl((), Path(tmp) / "clean")
        hostile = crawl(HOSTILE, Path(tmp) / "hostile")
    print(f"{'crawl':<10}{'seconds':>10}{'peak RSS MB':>14}{'exit':>6}")
    for name, (seconds, rss, code) in (("clean", clean), ("hostile", hostile)):
        print(f"{name:<10}{seconds:>10.1f}{rss:>14.0f}{code:>6}")
    print(
        f"hostile / clean: {hostile[0] / clean[0]:.1f}x the time (one stall costs "
        f"{DOWNLOAD_TIMEOUT} s), {hostile[1] / clean[1]:.1f}x the memory "
        f"(goal: under {MEMORY_GOAL_MB} MB: {'met' if hostile[1] < MEMORY_GOAL_MB else 'MISSED'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
