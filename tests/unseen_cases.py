"""The unseen-layout cases of ``tests/unseen`` (see its README): loading and scoring.

Scored the way ``real_pages`` scores the real pages (dates as moments, URL lists and
people as sets, doc refs by number), field by field, so the benchmark's table and the
floors in ``tests/test_unseen_cases.py`` count the same thing.
"""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from real_pages import FIELDS, right

UNSEEN_DIR = Path(__file__).resolve().parent / "unseen"
# The held-out sets in force. Earlier ones, once scored and recorded in SCORES.md, were
# retired into the tuning part (tuning/a-*, tuning/b-*); see README.md. D's, E's and
# F's writers were told only the list of forms; C's score after round N is less
# independent (SCORES.md says why).
HELD_OUT = "held_out_c"
HELD_OUT_D = "held_out_d"
HELD_OUT_E = "held_out_e"
HELD_OUT_F = "held_out_f"
TUNING = "tuning"
HELD_OUT_PARTS = (HELD_OUT, HELD_OUT_D, HELD_OUT_E, HELD_OUT_F)


@dataclass(frozen=True)
class UnseenCase:
    part: str
    layout: str
    name: str
    folder: Path

    @property
    def id(self) -> str:
        return f"{self.layout}/{self.name}"

    @cached_property
    def meta(self) -> dict[str, Any]:
        return tomllib.loads((self.folder / "case.toml").read_text(encoding="utf-8"))

    @cached_property
    def expected(self) -> dict[str, Any]:
        return json.loads((self.folder / "expected.json").read_text(encoding="utf-8"))

    def extract(self) -> dict[str, Any]:
        """What ``khotin extract --url URL page.html`` prints: no profile, generic layers."""
        from scraper.extract import extract
        from scraper.parsing.page import Page

        page = Page.of(
            self.meta["url"],
            (self.folder / "page.html").read_bytes(),
            content_type=self.meta.get("content_type"),
            fetched_at=self.meta.get("fetched_at"),
        )
        return extract(page).as_dict()


def load(part: str) -> list[UnseenCase]:
    root = UNSEEN_DIR / part
    if not root.is_dir():
        return []
    return [
        UnseenCase(part, layout.name, folder.name, folder)
        for layout in sorted(p for p in root.iterdir() if p.is_dir())
        for folder in sorted(p for p in layout.iterdir() if (p / "case.toml").is_file())
    ]


def score(cases: list[UnseenCase]) -> dict[str, dict[str, bool]]:
    """case id → field → right?"""
    out = {}
    for case in cases:
        found = case.extract()
        out[case.id] = {f: right(found, case.expected, f) for f in FIELDS if f in case.expected}
    return out


def by_field(scored: dict[str, dict[str, bool]]) -> dict[str, tuple[int, int]]:
    """field → (right, scored)"""
    return {
        f: (
            sum(marks.get(f, False) for marks in scored.values()),
            sum(f in marks for marks in scored.values()),
        )
        for f in FIELDS
    }


def by_layout(scored: dict[str, dict[str, bool]]) -> dict[str, tuple[int, int]]:
    """layout → (fields right, fields scored)"""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case_id, marks in scored.items():
        layout = case_id.split("/")[0]
        totals[layout][0] += sum(marks.values())
        totals[layout][1] += len(marks)
    return {layout: (a, b) for layout, (a, b) in sorted(totals.items())}
