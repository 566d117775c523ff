"""The scale benchmark at CI size: 20,000 articles written through khotin's store and
served, as a smoke test of the script and of what readers get at that size. Times are
printed by the script and never asserted here (benchmarks/ measures, tests check)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

ARTICLES = 20_000


def test_the_scale_benchmark_builds_serves_and_finds_what_it_wrote(tmp_path):
    out = tmp_path / "scale.json"
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/scale.py",
            "--articles",
            str(ARTICLES),
            "--requests",
            "5",
            "--keep",
            str(tmp_path / "archive"),
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert figures["articles"] == ARTICLES
    assert figures["build_per_s"] > 0 and figures["file_bytes"] > 0
    checks = figures["checks"]
    assert checks["articles"] == ARTICLES
    assert checks["versions"] == ARTICLES // 20  # one in twenty was edited
    assert checks["docnum_hits"] == ARTICLES // 5000  # every 5,000th cites 4846/KH-UBND
    # Accent-free search finds every accented spelling; the accented one is exact.
    assert checks["broad_hits"] >= checks["accented_hits"] > 0
    assert checks["latest_of_first_site"] == 10  # the canned query: ten newest per site
    assert checks["province_articles"] > 0  # departments of Bình Dương, by its name
    for name in ("home", "table", "article", "facets", "search_broad", "search_docnum"):
        assert name in figures["p95_ms"]
    assert set(figures["p95_ms"]["canned"]) == {
        "articles_citing_document",
        "latest_per_site",
        "articles_in_date_range",
        "articles_of_province",
        "merger_of_provinces",
    }
