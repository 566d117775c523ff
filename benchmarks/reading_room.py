"""Reading-room latency on a generated archive, beside stock Datasette on the same file.

    python benchmarks/reading_room.py [--articles 100000] [--requests 200] [--keep DIR]

Generates an archive of N articles (Vietnamese titles and bodies of real length, several
sites, attachments, cited documents, the search index built by khotin's own folding),
then measures, with one sequential client, p50/p95 of: the home page, article pages,
accent-free / accented / document-number / rare-term searches (khotin serve), and stock
Datasette's table and row pages on the same file (no khotin plugin, default settings).
Goals (issue 9): home and article page p95 ≤ 50 ms, search p95 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.folding import doc_number_key, fold  # noqa: E402
from archive.schema import FTS_COLUMNS, FTS_TABLE  # noqa: E402
from archive.store import Archive  # noqa: E402

WORDS = (
    "kế hoạch tổ chức hội nghị điển hình tiên tiến đại hội thi đua yêu nước ủy ban nhân dân "
    "tỉnh sở nội vụ cán bộ công chức viên chức cải cách hành chính năm triển khai thực hiện "
    "nhiệm vụ phát triển kinh tế xã hội địa phương quyết định chỉ thị nghị quyết thông báo "
    "hướng dẫn báo cáo tổng kết công tác đào tạo bồi dưỡng tuyển dụng thi tuyển nâng ngạch "
    "chính quyền cơ sở tôn giáo tín ngưỡng văn thư lưu trữ thanh niên khen thưởng phong trào "
    "người dân doanh nghiệp đơn vị phòng ban ngành huyện thị xã thành phố phường xã thị trấn"
).split()
TYPES = ("KH", "QĐ", "CT", "NQ", "TB", "HD", "BC")
ISSUERS = ("UBND", "SNV", "TW", "CP", "TTg", "BNV")
# Client-side stand-ins for what khotin serve measures server-side; identical paths for both.
SEARCHES = {
    "search_broad": "ke hoach",
    "search_accented": "kế hoạch",
    "search_docnum": "4846/KH-UBND",
    "search_4_words": "tin nguong ton giao",
}


def generate(db_path: Path, articles: int, seed: int = 7) -> float:
    """Fill an archive quickly (bulk SQL on khotin's own schema and folding); returns s."""
    rng = random.Random(seed)
    started = time.perf_counter()
    Archive(db_path).close()  # the schema, exactly as khotin makes it
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    sites = [f"so-{i:03d}" for i in range(60)]
    conn.executemany(
        "INSERT INTO sites (id, name, base_url, family, status) VALUES (?, ?, ?, ?, ?)",
        [
            (s, f"Sở {i} tỉnh mẫu", f"https://{s}.example.gov.vn/", "custom", "sample")
            for i, s in enumerate(sites)
        ],
    )
    batch_articles, batch_fts, batch_refs, batch_att = [], [], [], []

    def flush() -> None:
        conn.executemany(
            "INSERT INTO articles (id, site_id, url, fetched_url, title, summary, body_text, "
            "category, published_at, published_raw, published_year, byline, authors, "
            "first_seen_at, last_seen_at, changed_at, content_hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            batch_articles,
        )
        marks = ", ".join("?" for _ in FTS_COLUMNS)
        conn.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, {marks})",
            batch_fts,
        )
        conn.executemany(
            "INSERT INTO doc_refs (article_id, position, number, number_key, type, issuer, date) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            batch_refs,
        )
        conn.executemany(
            "INSERT INTO attachments (article_id, position, url, name, kind) "
            "VALUES (?, ?, ?, ?, ?)",
            batch_att,
        )
        for batch in (batch_articles, batch_fts, batch_refs, batch_att):
            batch.clear()

    for i in range(1, articles + 1):
        site = rng.choice(sites)
        year = rng.randint(2012, 2025)
        day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        moment = f"{day}T{rng.randint(7, 17):02d}:{rng.randint(0, 59):02d}:00+07:00"
        title = " ".join(rng.choices(WORDS, k=rng.randint(8, 16))).capitalize()
        numbers = [
            f"{rng.randint(1, 6000)}/{rng.choice(TYPES)}-{rng.choice(ISSUERS)}"
            for _ in range(rng.randint(0, 4))
        ]
        if i % 5000 == 0:
            numbers.append("4846/KH-UBND")
        paragraphs = [
            " ".join(rng.choices(WORDS, k=rng.randint(40, 90))).capitalize() + "."
            for _ in range(rng.randint(3, 6))
        ]
        if numbers:
            paragraphs[0] += f" Thực hiện văn bản số {numbers[0]}."
        body = "\n\n".join(paragraphs)
        summary = paragraphs[0][:200]
        byline = rng.choice(["Thanh Hà", "Minh Phương - Phòng Tổ chức", "T.HẰNG", ""])
        batch_articles.append(
            (
                i,
                site,
                f"https://{site}.example.gov.vn/tin/{i}",
                f"https://{site}.example.gov.vn/tin/{i}",
                title,
                summary,
                body,
                rng.choice(["Tin tức sự kiện", "Thông báo", "Văn bản"]),
                moment,
                moment,
                year,
                byline,
                json.dumps([byline] if byline else []),
                "2026-01-01T00:00:00+00:00",
                "2026-01-01T00:00:00+00:00",
                "2026-01-01T00:00:00+00:00",
                f"{i:064x}",
            )
        )
        values = [title, summary, body, byline, " ".join(numbers), "", ""]
        batch_fts.append((i, *values, fold(" \n".join(values))))
        batch_refs.extend(
            (i, p, n, doc_number_key(n), n.split("/")[1].split("-")[0], n.split("-")[-1], None)
            for p, n in enumerate(numbers)
        )
        if rng.random() < 0.3:
            batch_att.append((i, 0, f"https://{site}.example.gov.vn/f/{i}.pdf", f"Tệp {i}", "pdf"))
        if len(batch_articles) >= 5000:
            flush()
    flush()
    conn.execute(
        "INSERT INTO crawl_runs (site_id, started_at, finished_at, outcome, new) "
        "VALUES ('so-000', '2026-01-01T00:00:00+00:00', '2026-01-01T00:10:00+00:00', 'ok', 10)"
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return time.perf_counter() - started


STOCK = """
import sys, uvicorn
from datasette.app import Datasette
from datasette.plugins import pm
for name, plugin in list(pm.list_name_plugin()):
    if plugin.__name__.startswith("archive"):
        pm.unregister(plugin)
app = Datasette([sys.argv[1]]).app()
config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
server = uvicorn.Server(config)
import asyncio
async def main():
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    print("http://127.0.0.1:%d/" % server.servers[0].sockets[0].getsockname()[1], flush=True)
    await task
asyncio.run(main())
"""


def start(command: list[str]) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"},
    )
    line = process.stdout.readline()
    if "http://" not in line:
        # e.g. an archive kept with --keep from an older khotin: serve says to migrate it
        raise SystemExit(f"the server did not start: {process.stderr.read()[-2000:]}")
    # Its log is not read again: drop it rather than let a full pipe block the server.
    threading.Thread(target=process.stderr.read, daemon=True).start()
    return process, line[line.index("http://") :].split()[0].rstrip("/")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(client: httpx.Client, paths: list[str]) -> dict[str, float]:
    client.get(paths[0])  # warm
    times = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the archive in this folder")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="khotin-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "khotin.db"
    if not db.exists():
        seconds = generate(db, args.articles)
        print(
            f"generated {args.articles:,} articles in {seconds:.0f} s "
            f"({db.stat().st_size / 1e6:.0f} MB)"
        )
    rng = random.Random(1)
    n = args.requests
    ids = [rng.randint(1, args.articles) for _ in range(n)]
    khotin, khotin_url = start(
        [sys.executable, "-m", "scraper.cli", "serve", "--db", str(db), "--port", "0"]
    )
    stock, stock_url = start([sys.executable, "-c", STOCK, str(db)])
    results: dict[str, dict[str, float]] = {}
    try:
        with httpx.Client(base_url=khotin_url, timeout=60) as client:
            results["khotin home"] = measure(client, ["/"] * n)
            results["khotin article page"] = measure(client, [f"/article/{i}" for i in ids])
            for name, query in SEARCHES.items():
                pages = [f"/search?q={query}&page={1 + k % 3}" for k in range(n)]
                results[f"khotin {name}"] = measure(client, pages)
            results["khotin articles table"] = measure(client, ["/khotin/articles"] * n)
        khotin_rss = rss_mb(khotin.pid)
        hostile = [
            "select length(hex(randomblob(400000000)))",
            "select length(zeroblob(300000000))",
            "select length(group_concat(body_text)) from articles",
            "select length(printf('%.*c', 400000000, 'x'))",
        ]
        refused = 0
        with httpx.Client(base_url=khotin_url, timeout=60) as client:
            for sql in hostile * 5:
                response = client.get("/khotin.json", params={"sql": sql})
                refused += response.status_code == 400
        hostile_rss = rss_mb(khotin.pid)
        with httpx.Client(base_url=stock_url, timeout=60) as client:
            results["stock table page"] = measure(client, ["/khotin/articles"] * min(n, 50))
            results["stock row page"] = measure(client, [f"/khotin/articles/{i}" for i in ids])
    finally:
        for process in (khotin, stock):
            process.terminate()
            process.wait()
    print(
        f"\n{args.articles:,} articles, {n} sequential requests each (stock table page: "
        f"{min(n, 50)}); ms"
    )
    print(f"{'page':<28}{'p50':>9}{'p95':>9}")
    for name, figures in results.items():
        print(f"{name:<28}{figures['p50']:>9.1f}{figures['p95']:>9.1f}")
    print(f"khotin serve RSS after the run: {khotin_rss:.0f} MB")
    print(
        f"after {len(hostile) * 5} memory-hungry SQL queries ({refused} refused): "
        f"{hostile_rss:.0f} MB (goal <= 300 MB)"
    )
    goals = {"khotin home": 50, "khotin article page": 50, **{f"khotin {s}": 100 for s in SEARCHES}}
    missed = [
        f"{k} p95 {results[k]['p95']:.0f} > {v} ms"
        for k, v in goals.items()
        if results[k]["p95"] > v
    ]
    print("goals met" if not missed else "goals missed: " + "; ".join(missed))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "articles": args.articles,
                    "results": results,
                    "rss_mb": khotin_rss,
                    "hostile_rss_mb": hostile_rss,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
