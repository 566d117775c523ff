"""The layers hold (DESIGN.md §1): ``scraper/parsing/`` imports neither Scrapy nor
``archive/``; ``archive/`` imports no Scrapy (nor Twisted) and nothing of ``scraper/`` but
the pure ``scraper.parsing``. Checked on the source, every import statement included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def offending(folder: str, allowed) -> list[str]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for name in sorted(imported(path)):
            if not allowed(name):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize(
    ("folder", "allowed"),
    [
        (
            "scraper/parsing",
            lambda name: (
                top(name) not in ("scrapy", "twisted", "archive")
                and (top(name) != "scraper" or name.startswith("scraper.parsing"))
            ),
        ),
        (
            "archive",
            lambda name: (
                top(name) not in ("scrapy", "twisted")
                and (top(name) != "scraper" or name.startswith("scraper.parsing"))
            ),
        ),
    ],
)
def test_layers_import_only_downwards(folder, allowed):
    assert offending(folder, allowed) == []
