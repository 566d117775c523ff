"""Site profiles: the rules for one site, as data (one TOML file per site).

A profile may ``extends`` a family profile in ``families/`` (one per portal CMS), so
the selectors shared by every NukeViet or SharePoint site are written once. Profiles
are validated strictly: a typo in a key is an error naming the file and the key,
never a silently ignored rule.
"""

from __future__ import annotations

import importlib.util
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urljoin, urlsplit

# Re-exported: profiles are built from these; extraction (scraper.parsing) owns them.
from scraper.parsing.rules import ArticleRules, ListingRules

SITES_DIR = Path(__file__).resolve().parent
FAMILIES_DIR = SITES_DIR / "families"


class ProfileError(Exception):
    """A profile that cannot be used, with the file and key at fault."""


@dataclass(frozen=True)
class CrawlRules:
    """How hard we may press the site: delay between requests and hard caps."""

    delay: float = 1.0
    max_listing_pages: int = 200
    max_articles: int = 5000
    # Incremental crawls stop paging after this many listing pages with nothing new.
    overlap_pages: int = 1
    # Articles first seen within this many days are fetched again (conditionally) once
    # they were last checked this many hours ago: editors correct fresh articles.
    revisit_days: float = 7.0
    revisit_after_hours: float = 20.0
    max_attachment_mb: int = 50
    download_attachments: bool = True
    # Some department sites serve expired or self-signed certificates; opting out is
    # explicit, per site, and visible in the profile.
    verify_tls: bool = True
    # Seconds to wait for one response: a stalled page costs this, times the retries.
    download_timeout: float = 30.0


@dataclass(frozen=True)
class SiteProfile:
    id: str
    name: str
    base_url: str
    start_urls: tuple[str, ...]
    listing: ListingRules
    article: ArticleRules = field(default_factory=ArticleRules)
    crawl: CrawlRules = field(default_factory=CrawlRules)
    family: str | None = None
    status: str = "unchecked"
    category: str | None = None
    notes: str | None = None
    path: Path | None = None
    mirror_of: str | None = None

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def absolute_start_urls(self) -> list[str]:
        return [urljoin(self.base_url, u) for u in self.start_urls]

    def rebased(self, base_url: str) -> SiteProfile:
        """The same site served elsewhere (a mirror, or the sample portal on a free port)."""
        return _replace(self, base_url=base_url.rstrip("/") + "/", mirror_of=self.host)

    def to_mirror(self, url: str) -> str:
        """A link written with the site's own host, pointed at the mirror being crawled."""
        if not self.mirror_of:
            return url
        parts = urlsplit(url)
        if parts.netloc.lower() != self.mirror_of.lower():
            return url
        mirror = urlsplit(self.base_url)
        return parts._replace(scheme=mirror.scheme, netloc=mirror.netloc).geturl()

    @property
    def hosts(self) -> tuple[str, ...]:
        """Hosts whose links belong to this crawl."""
        return (self.host, self.mirror_of) if self.mirror_of else (self.host,)

    def as_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "base_url": self.base_url,
            "family": self.family,
            "status": self.status,
            "category": self.category,
        }


STATUSES = {"sample", "checked", "unchecked", "broken", "offline"}
_TOP_KEYS = {
    "id",
    "name",
    "base_url",
    "start_urls",
    "family",
    "status",
    "category",
    "notes",
    "extends",
    "listing",
    "article",
    "crawl",
}
_SECTIONS = {"listing": ListingRules, "article": ArticleRules, "crawl": CrawlRules}


def _replace(profile: SiteProfile, **changes: Any) -> SiteProfile:
    values = {f.name: getattr(profile, f.name) for f in fields(profile)}
    values.update(changes)
    return SiteProfile(**values)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML ({exc})") from exc


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _type_problem(expected: str, value: Any) -> str | None:
    """What a profile value should have been, or None when it is fine."""
    if expected.startswith("tuple"):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else "a list of strings"
    if expected == "bool":
        return None if isinstance(value, bool) else "true or false"
    if isinstance(value, bool):
        return "a number" if expected in ("float", "int") else "a string"
    if expected == "float":
        return None if isinstance(value, int | float) and value >= 0 else "a number, 0 or more"
    if expected == "int":
        return None if isinstance(value, int) and value >= 0 else "a whole number, 0 or more"
    return None if isinstance(value, str) else "a string"


def _section(path: Path, name: str, data: Any, cls: type) -> Any:
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: [{name}] must be a table")
    known = {f.name: f for f in fields(cls)}
    for key, value in data.items():
        if key not in known:
            raise ProfileError(f"{path}: unknown key '{key}' in [{name}]")
        problem = _type_problem(str(known[key].type), value)
        if problem:
            raise ProfileError(f"{path}: [{name}] {key} must be {problem}")
    try:
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})
    except TypeError as exc:
        missing = [f.name for f in fields(cls) if f.name not in data]
        raise ProfileError(f"{path}: [{name}] is missing '{missing[0]}'") from exc


def load_profile_file(path: Path) -> SiteProfile:
    data = _read_toml(path)
    if "extends" in data:
        family_path = FAMILIES_DIR / f"{data['extends']}.toml"
        if not family_path.is_file():
            raise ProfileError(f"{path}: extends unknown family '{data['extends']}'")
        family = _read_toml(family_path)
        data = _merge(family, data)
        data.setdefault("family", data["extends"])
    for key in data:
        if key not in _TOP_KEYS:
            raise ProfileError(f"{path}: unknown key '{key}'")
    for key in ("id", "name", "base_url", "start_urls", "listing"):
        if key not in data:
            raise ProfileError(f"{path}: missing required key '{key}'")
    if data["id"] != path.stem:
        raise ProfileError(f"{path}: id '{data['id']}' must match the file name '{path.stem}'")
    if urlsplit(data["base_url"]).scheme not in ("http", "https"):
        raise ProfileError(f"{path}: base_url must be an http(s) URL")
    starts = data["start_urls"]
    if not isinstance(starts, list) or not starts or not all(isinstance(u, str) for u in starts):
        raise ProfileError(f"{path}: start_urls must be a non-empty list of strings")
    status = data.get("status", "unchecked")
    if status not in STATUSES:
        raise ProfileError(f"{path}: status must be one of {', '.join(sorted(STATUSES))}")
    sections = {
        name: _section(path, name, data[name], cls)
        for name, cls in _SECTIONS.items()
        if name in data
    }
    return SiteProfile(
        id=data["id"],
        name=data["name"],
        base_url=data["base_url"],
        start_urls=tuple(starts),
        family=data.get("family"),
        status=status,
        category=data.get("category"),
        notes=data.get("notes"),
        path=path,
        **sections,
    )


@cache
def _override_module(path: Path) -> ModuleType:
    name = "khotin_site_" + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ProfileError(f"{path}: cannot load this site override")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_override(profile: SiteProfile) -> ModuleType | None:
    """The site's small Python override, ``<site_id>.py`` beside its profile, if any.

    For what a profile cannot say. It defines ``class ArticlePage(ProfileArticlePage)``
    (``scraper.parsing.profile_page``) replacing the method of each field it reads its
    own way (``title``, ``published``, ``canonical``, …); ``field_sources`` then says
    "override" for exactly those fields.
    """
    return _override_for(profile.path) if profile.path is not None else None


@cache
def _override_for(profile_path: Path) -> ModuleType | None:
    path = profile_path.with_suffix(".py")
    return _override_module(path) if path.is_file() else None


def generic_profile(start_url: str) -> SiteProfile:
    """A profile for a site nobody described: generic listing and article detection.

    Its id is the host name, so articles from the same unknown site are grouped, and a
    later real profile can take over by id.
    """
    parts = urlsplit(start_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ProfileError(f"not an http(s) URL: {start_url}")
    host = parts.netloc.lower()
    return SiteProfile(
        id=host,
        name=host,
        base_url=f"{parts.scheme}://{host}/",
        start_urls=(start_url,),
        listing=ListingRules(article_links=""),
        family="generic",
        status="unchecked",
        notes="crawled with --start-url: no profile, generic detection only",
        crawl=CrawlRules(max_listing_pages=100, max_articles=2000),
    )


def profile_dirs() -> list[Path]:
    """The bundled profiles, then any folders named in ``KHOTIN_SITES`` (colon-separated),
    so an operator can keep local profiles outside the package."""
    extra = [Path(p) for p in os.environ.get("KHOTIN_SITES", "").split(os.pathsep) if p]
    return [SITES_DIR, *extra]


def profile_paths() -> list[Path]:
    """One file per site id; a local folder's profile overrides a bundled one."""
    found: dict[str, Path] = {}
    for folder in profile_dirs():
        for path in sorted(folder.glob("*.toml")):
            found[path.stem] = path
    return [found[site_id] for site_id in sorted(found)]


def site_ids() -> list[str]:
    return [p.stem for p in profile_paths()]


def load_profile(site_id: str) -> SiteProfile:
    """The profile of one site, or a ProfileError that names the known sites."""
    paths = {p.stem: p for p in profile_paths()}
    if "/" in site_id or "\\" in site_id or site_id not in paths:
        known = ", ".join(paths) or "none"
        raise ProfileError(f"unknown site '{site_id}' (known sites: {known})")
    return load_profile_file(paths[site_id])


def all_profiles() -> list[SiteProfile]:
    return [load_profile_file(p) for p in profile_paths()]
