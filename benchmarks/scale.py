"""National scale: an archive of N articles written through khotin's own store, then
served by `khotin serve`, with stock Datasette on the same file beside it.

    python benchmarks/scale.py [--articles 1000000] [--requests 200] [--keep DIR]
                               [--json OUT]

Build: every article goes through ``Archive.save_article`` with its raw page (so the
WARC record, the search index, document references and versions are all khotin's own
work); a third have an attachment with text (``save_attachment_file``, no download),
one in twenty is saved again edited (a version). Several hundred sites, Vietnamese
titles and bodies of real length. As in a distributed crawl, each article is first
prepared as a worker prepares it (``archive.prepared``: its WARC record built and
compressed, its hashes, its search entry folded), then written as `khotin store`
writes it: commits batched (``Archive.batch_commits``), the record appended. Reported:
articles per second through the store (the writer's time, its last checkpoint
included; not the making up of articles), the workers' preparing time per article
(spread over as many workers as there are), the rate of one process doing both, and
the file's size (SQLite and WARC apart).

Serve: one sequential client, p50/p95/p99 over ``--requests`` requests each, of the home
page, the articles table, an article page, a facet selection by site and year,
accent-free, accented and document-number searches, and every canned query; the
throughput of 4 concurrent clients on the articles table; stock Datasette's table and
row pages on the same file; `khotin serve`'s RSS after the run.

Goals (issue 13, at 1M articles): table and article pages p95 <= 50 ms, search p95 <=
100 ms, facets p95 <= 200 ms, each canned query <= 100 ms, >= 2,000 articles/s through the
store, at most half of today's 16 KB per article, serving RSS <= 300 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reading_room import ISSUERS, STOCK, TYPES, WORDS, rss_mb, start  # noqa: E402

from archive.prepared import prepare  # noqa: E402
from archive.store import Archive  # noqa: E402
from scraper.parsing.page import Page  # noqa: E402
from scraper.sites.registry import province_rows  # noqa: E402

CANNED = {
    "articles_citing_document": "number=4846/KH-UBND",
    "latest_per_site": "",
    "articles_in_date_range": "start_date=2019-10-01&end_date=2019-10-31",
    "articles_of_province": "province=binh-duong",
    "merger_of_provinces": "",
}
GOALS = {"home": 50, "table": 50, "article": 50, "search_broad": 100}
BYTES_PER_ARTICLE_NOW = 16_000  # issue 13's measurement before this work
SITES = 300


def _article(rng: random.Random, i: int, site: str) -> tuple[dict[str, Any], bytes]:
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
    byline = rng.choice(["Thanh Hà", "Minh Phương - Phòng Tổ chức", "T.HẰNG", ""])
    url = f"https://{site}.example.gov.vn/tin-tuc/bai-{i}.html"
    attachments = []
    if rng.random() < 0.3:
        attachments.append(
            {"url": f"https://{site}.example.gov.vn/f/{i}.pdf", "name": f"Tệp {i}", "kind": "pdf"}
        )
    article = {
        "url": url,
        "site_id": site,
        "title": title,
        "summary": paragraphs[0][:200],
        "body_text": "\n\n".join(paragraphs),
        "category": rng.choice(["Tin tức sự kiện", "Thông báo", "Văn bản"]),
        "published_at": moment,
        "published_raw": moment,
        "byline": byline or None,
        "authors": [byline.split(" - ")[0]] if byline else [],
        "attachments": attachments,
        "related": [],
        "doc_refs": [
            {
                "number": n,
                "type": n.split("/")[1].split("-")[0],
                "issuer": n.split("-")[-1],
                "date": None,
            }
            for n in numbers
        ],
    }
    # The page as a portal serves it: chrome around the article (about 20 KB).
    chrome = "<li><a href='/tin-tuc/bai-x.html'>Tin khác của sở trong tuần</a></li>" * 60
    html = (
        f"<html><head><title>{title}</title></head><body><ul class='menu'>{chrome}</ul>"
        f"<h1>{title}</h1><div class='date'>{moment}</div><div class='content'>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + f"<p>{byline}</p></div><ul class='sidebar'>{chrome}</ul></body></html>"
    )
    return article, html.encode()


def build(db: Path, articles: int, seed: int = 7) -> dict[str, Any]:
    """Write N articles through the store; returns the rate and the sizes."""
    rng = random.Random(seed)
    sites = [f"so-{i:03d}" for i in range(SITES)]
    provinces = province_rows()
    former = [p for p in provinces if p["era"] == "former"]
    with Archive(db) as archive:
        archive.register_provinces(provinces)
        for i, site in enumerate(sites):
            # Departments of every former province (Bình Dương's among them).
            served = former[i % len(former)]
            archive.register_site(
                {
                    "id": site,
                    "name": f"Sở {i} tỉnh mẫu",
                    "base_url": f"https://{site}.example.gov.vn/",
                    "former_province": served["code"],
                    "current_province": served["became"],
                }
            )
        # As `khotin store` writes: one commit per batch of articles.
        archive.batch_commits()
        seconds = 0.0  # in the store only, not in making up the articles
        preparing = 0.0  # the workers' part
        for i in range(1, articles + 1):
            site = sites[i % SITES]
            article, body = _article(rng, i, site)
            page = Page.of(article["url"], body, fetched_at="2026-01-01T00:00:00+00:00")
            started = time.perf_counter()
            prepared = prepare(article, page)
            if i % 20 == 0:  # the site edits it: a version
                edited = {**article, "title": article["title"] + " (cập nhật)"}
                page_again = Page.of(
                    article["url"], body + b" ", fetched_at="2026-01-02T00:00:00+00:00"
                )
                prepared_again = prepare(edited, page_again)
            preparing += time.perf_counter() - started
            started = time.perf_counter()
            archive.save_article(article, page, prepared=prepared)
            for attachment in article["attachments"]:
                archive.save_attachment_file(
                    {
                        "url": attachment["url"],
                        "status": 200,
                        "sha256": f"{i:064x}",
                        "size": 50_000,
                        "kind": "pdf",
                        "text": " ".join(rng.choices(WORDS, k=150)),
                    },
                    index_now=False,  # as the crawl does: indexed with its article's others
                )
            if i % 20 == 0:
                archive.save_article(edited, page_again, prepared=prepared_again)
            if i % 50 == 0:
                archive.flush_index()
            seconds += time.perf_counter() - started
            if i % 10_000 == 0:
                print(f"  {i:,} articles, {i / seconds:,.0f}/s", file=sys.stderr, flush=True)
        started = time.perf_counter()
        archive.flush_index()
        archive.commit()
        archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the file
        seconds += time.perf_counter() - started
        archive.db.execute("ANALYZE")
    warc = sum(f.stat().st_size for f in (db.parent / "warc").glob("**/*") if f.is_file())
    return {
        "build_per_s": articles / seconds,
        "prepare_ms": preparing / articles * 1000,
        "one_process_per_s": articles / (seconds + preparing),
        "db_bytes": db.stat().st_size,
        "warc_bytes": warc,
    }


def measure(client: httpx.Client, paths: list[str]) -> dict[str, float]:
    client.get(paths[0])  # warm
    times = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}: {response.text[:300]}")
    times.sort()

    def at(q: float) -> float:
        return times[min(len(times) - 1, int(len(times) * q))]

    return {"p50": at(0.5), "p95": at(0.95), "p99": at(0.99)}


def throughput(base: str, path: str, seconds: float = 5.0, clients: int = 4) -> float:
    """Requests per second that ``clients`` concurrent clients get."""
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def work(k: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while time.perf_counter() < stop:
                client.get(path)
                done[k] += 1

    threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def serve_figures(db: Path, articles: int, requests: int) -> dict[str, Any]:
    rng = random.Random(1)
    ids = [rng.randint(1, articles) for _ in range(requests)]
    sites = [f"so-{rng.randrange(SITES):03d}" for _ in range(requests)]
    years = [rng.randint(2012, 2025) for _ in range(requests)]
    khotin, url = start(
        [sys.executable, "-m", "scraper.cli", "serve", "--db", str(db), "--port", "0"]
    )
    stock, stock_url = start([sys.executable, "-c", STOCK, str(db)])
    p: dict[str, Any] = {}
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            p["home"] = measure(client, ["/"] * requests)
            p["table"] = measure(client, ["/khotin/articles"] * requests)
            p["article"] = measure(client, [f"/article/{i}" for i in ids])
            p["facets"] = measure(
                client,
                [
                    f"/khotin/articles?site_id={s}&published_year={y}"
                    for s, y in zip(sites, years, strict=True)
                ],
            )
            p["search_broad"] = measure(client, ["/search?q=ke+hoach"] * requests)
            p["search_accented"] = measure(client, ["/search?q=kế+hoạch"] * requests)
            p["search_docnum"] = measure(client, ["/search?q=4846/KH-UBND"] * requests)
            p["canned"] = {
                name: measure(client, [f"/khotin/{name}?{query}"] * max(20, requests // 10))
                for name, query in CANNED.items()
            }
            # What a reader gets, not how fast: the smoke test asserts these.
            checks = {
                "articles": client.get(
                    "/khotin.json",
                    params={"sql": "select count(*) as n from articles", "_shape": "objects"},
                ).json()["rows"][0]["n"],
                "versions": client.get(
                    "/khotin.json",
                    params={
                        "sql": "select count(*) as n from article_versions",
                        "_shape": "objects",
                    },
                ).json()["rows"][0]["n"],
                "docnum_hits": client.get("/search.json?q=4846/KH-UBND").json()["total"],
                "broad_hits": client.get("/search.json?q=ke+hoach").json()["total"],
                "accented_hits": client.get("/search.json?q=kế+hoạch").json()["total"],
                "province_articles": len(
                    client.get(
                        "/khotin/articles_of_province.json?province=Bình+Dương&_shape=objects"
                    ).json()["rows"]
                ),
                # The newest ten of the first site (the answer is cut at 1,000 rows).
                "latest_of_first_site": sum(
                    row["site_id"] == "so-000"
                    for row in client.get(
                        "/khotin/latest_per_site.json?_shape=objects&_size=max"
                    ).json()["rows"]
                ),
            }
        tput = throughput(url, "/khotin/articles")
        serve_rss = rss_mb(khotin.pid)
        with httpx.Client(base_url=stock_url, timeout=120) as client:
            stock_p = {
                # Seconds a page at 1M articles: a sample of 20 is enough to say so.
                "table": measure(client, ["/khotin/articles"] * min(requests, 20)),
                "row": measure(client, [f"/khotin/articles/{i}" for i in ids]),
            }
    finally:
        for process in (khotin, stock):
            process.terminate()
            process.wait()
    return {
        "p": p,
        "stock": stock_p,
        "throughput_4": tput,
        "serve_rss_mb": serve_rss,
        "checks": checks,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the archive in this folder")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="khotin-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "khotin.db"
    built: dict[str, Any] = {}
    if not db.exists():
        built = build(db, args.articles)
    served = serve_figures(db, args.articles, args.requests)
    p = served["p"]
    file_bytes = db.stat().st_size
    print(f"\n{args.articles:,} articles written through khotin's store")
    if built:
        print(
            f"  build rate               {built['build_per_s']:>10,.0f} articles/s through the "
            "store's writer (goal >= 2,000)"
        )
        print(
            f"  prepared by the workers  {built['prepare_ms']:>10.3f} ms per article (WARC "
            "record, hashes, search entry)"
        )
        print(f"  one process doing both   {built['one_process_per_s']:>10,.0f} articles/s")
        print(
            f"  archive file             {file_bytes / 1e6:>10,.0f} MB, "
            f"{file_bytes / args.articles:,.0f} B per article (goal <= "
            f"{BYTES_PER_ARTICLE_NOW // 2:,}); WARC {built['warc_bytes'] / 1e6:,.0f} MB"
        )
    print(f"\n{'page (ms)':<34}{'p50':>9}{'p95':>9}{'p99':>9}")
    rows = [(k, v) for k, v in p.items() if k != "canned"]
    rows += [(f"canned {k}", v) for k, v in p["canned"].items()]
    rows += [(f"stock datasette {k}", v) for k, v in served["stock"].items()]
    for name, figures in rows:
        print(f"{name:<34}{figures['p50']:>9.1f}{figures['p95']:>9.1f}{figures['p99']:>9.1f}")
    print(f"articles table, 4 concurrent clients: {served['throughput_4']:.0f} requests/s")
    print(f"khotin serve RSS after the run: {served['serve_rss_mb']:.0f} MB (goal <= 300)")
    print("what a reader got: " + ", ".join(f"{k} {v:,}" for k, v in served["checks"].items()))
    missed = [f"{k} p95 {p[k]['p95']:.0f} > {v} ms" for k, v in GOALS.items() if p[k]["p95"] > v]
    if built and built["build_per_s"] < 2000:
        missed.append(f"build rate {built['build_per_s']:,.0f}/s < 2,000")
    if file_bytes / args.articles > BYTES_PER_ARTICLE_NOW // 2:
        missed.append(
            f"file {file_bytes / args.articles:,.0f} B/article > {BYTES_PER_ARTICLE_NOW // 2:,}"
        )
    if served["serve_rss_mb"] > 300:
        missed.append(f"serve RSS {served['serve_rss_mb']:.0f} MB > 300")
    missed += [f"facets p95 {p['facets']['p95']:.0f} > 200 ms"] if p["facets"]["p95"] > 200 else []
    missed += [
        f"canned {k} p95 {v['p95']:.0f} > 100 ms" for k, v in p["canned"].items() if v["p95"] > 100
    ]
    print("goals met" if not missed else "goals missed: " + "; ".join(missed))
    if args.json:
        figures = {
            "articles": args.articles,
            "build_per_s": built.get("build_per_s"),
            "prepare_ms": built.get("prepare_ms"),
            "one_process_per_s": built.get("one_process_per_s"),
            "file_bytes": file_bytes,
            "warc_bytes": built.get("warc_bytes"),
            "p95_ms": {
                **{k: v["p95"] for k, v in p.items() if k != "canned"},
                "canned": {k: v["p95"] for k, v in p["canned"].items()},
            },
            "stock_p95_ms": {k: v["p95"] for k, v in served["stock"].items()},
            "throughput_4_per_s": served["throughput_4"],
            "serve_rss_mb": served["serve_rss_mb"],
            "checks": served["checks"],
        }
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
