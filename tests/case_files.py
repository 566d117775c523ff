"""Reading the saved page cases of tests/cases (see its README)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from scraper.extract import extract
from scraper.parsing.encoding import decode_page
from scraper.parsing.listing import extract_listing
from scraper.parsing.page import Page
from scraper.sites import SiteProfile, load_profile

CASES_DIR = Path(__file__).resolve().parent / "cases"
GENERIC = "_generic"


@dataclass(frozen=True)
class Case:
    site_id: str
    name: str
    folder: Path

    @property
    def id(self) -> str:
        return f"{self.site_id}/{self.name}"

    @cached_property
    def meta(self) -> dict[str, Any]:
        with (self.folder / "case.toml").open("rb") as handle:
            return tomllib.load(handle)

    @cached_property
    def expected(self) -> dict[str, Any]:
        return json.loads((self.folder / "expected.json").read_text(encoding="utf-8"))

    @property
    def kind(self) -> str:
        return self.meta["kind"]

    @property
    def url(self) -> str:
        return self.meta["url"]

    @property
    def body(self) -> bytes:
        return (self.folder / "page.html").read_bytes()

    @property
    def profile(self) -> SiteProfile | None:
        return None if self.site_id == GENERIC else load_profile(self.site_id)

    def text(self) -> str:
        return decode_page(self.body, self.meta.get("content_type")).text

    def page(self) -> Page:
        """The case as the Page a crawl would have stored."""
        return Page.of(
            self.url,
            self.body,
            content_type=self.meta.get("content_type"),
            fetched_at=self.meta.get("fetched_at"),
        )

    def extract(self, *, generic: bool = False) -> dict[str, Any]:
        """What khotin reads from the page: with the site's profile, or with none."""
        profile = None if generic else self.profile
        if self.kind == "listing":
            assert profile is not None, f"{self.id}: a listing case needs a site profile"
            host = profile.host if profile else ""
            listing = extract_listing(self.text(), self.url, profile.listing, host)
            return {"article_urls": listing.article_urls, "next_urls": listing.next_urls}
        return extract(self.page(), profile).as_dict()


def all_cases() -> list[Case]:
    return [
        Case(site.name, folder.name, folder)
        for site in sorted(CASES_DIR.iterdir())
        if site.is_dir()
        for folder in sorted(site.iterdir())
        if (folder / "case.toml").is_file()
    ]
