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
from scraper.parsing.captures import UrlPatterns
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


AVAILABILITIES = ("live", "moved", "offline", "archive-only", "unknown")


@dataclass(frozen=True)
class SiteFacts:
    """What is known of the site itself, apart from how well its profile reads it
    (``status``): whether it still answers, the province it served before and after
    the 2025 merger, the site that took over; each fact with where it was found."""

    availability: str = "live"
    availability_source: str | None = None
    former_province: str | None = None
    current_province: str | None = None
    province_source: str | None = None
    successor: str | None = None
    successor_source: str | None = None
    host_source: str | None = None

    def __post_init__(self) -> None:
        if self.availability not in AVAILABILITIES:
            raise ValueError(
                f"availability must be one of {', '.join(AVAILABILITIES)}, "
                f"not {self.availability!r}"
            )


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
    # The article and listing addresses, for picking a web archive's captures.
    urls: UrlPatterns = field(default_factory=UrlPatterns)
    facts: SiteFacts = field(default_factory=SiteFacts)

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
        facts = self.facts
        return {
            "id": self.id,
            "name": self.name,
            "base_url": self.base_url,
            "host": urlsplit(self.base_url).netloc,
            "family": self.family,
            "status": self.status,
            "category": self.category,
            "availability": facts.availability,
            "availability_source": facts.availability_source,
            "former_province": facts.former_province,
            "current_province": facts.current_province,
            "province_source": facts.province_source,
            "successor_site": facts.successor,
            "successor_source": facts.successor_source,
            "host_source": facts.host_source,
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
    "urls",
    "facts",
}
_SECTIONS = {
    "listing": ListingRules,
    "article": ArticleRules,
    "crawl": CrawlRules,
    "urls": UrlPatterns,
    "facts": SiteFacts,
}


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
    except (ValueError, re.error) as exc:  # a bad pattern or value, said by the class
        raise ProfileError(f"{path}: [{name}] {exc}") from exc
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
    if "facts" in sections:
        sections["facts"] = _with_province(path, sections["facts"])
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


def _with_province(path: Path, facts: SiteFacts) -> SiteFacts:
    """A profile names the former province it served; which current province that
    became, and the source saying so, come from the merger registry."""
    if not facts.former_province or facts.current_province:
        return facts
    from scraper.sites.registry import former_province

    found = former_province(facts.former_province)
    if found is None:
        raise ProfileError(
            f"{path}: [facts] former_province '{facts.former_province}' is not in the registry"
        )
    current, source = found
    return _replace_facts(facts, current_province=current, province_source=source)


def _replace_facts(facts: SiteFacts, **changes: Any) -> SiteFacts:
    values = {f.name: getattr(facts, f.name) for f in fields(facts)}
    values.update(changes)
    return SiteFacts(**values)


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


def _registry_profiles() -> dict[str, SiteProfile]:
    """The registry's profiles (scraper.sites.registry) whose hosts no profile file
    covers, by id."""
    from scraper.sites.registry import registry_profiles

    taken = {_role(path) for path in profile_paths()}
    return {p.id: p for p in registry_profiles(taken)}


def _role(path: Path) -> tuple[str, str]:
    """(host, "noivu" or "portal") of a profile file: the registry's site it stands for
    (a Sở Nội vụ may publish on its province's portal host)."""
    try:
        data = _read_toml(path)
    except ProfileError:
        return ("", "")
    host = urlsplit(str(data.get("base_url", ""))).netloc.lower().removeprefix("www.")
    return host, "noivu" if "nội vụ" in str(data.get("name", "")).lower() else "portal"


def site_ids() -> list[str]:
    return sorted({p.stem for p in profile_paths()} | set(_registry_profiles()))


def load_profile(site_id: str) -> SiteProfile:
    """The profile of one site, or a ProfileError that names the known sites."""
    paths = {p.stem: p for p in profile_paths()}
    if "/" not in site_id and "\\" not in site_id:
        if site_id in paths:
            return load_profile_file(paths[site_id])
        if (found := _registry_profiles().get(site_id)) is not None:
            return found
    known = ", ".join(paths) or "none"
    raise ProfileError(
        f"unknown site '{site_id}' (known sites: {known}; and the merger registry's "
        "portal-<province> and noivu-<province> sites, listed by `khotin sites --registry`)"
    )


def all_profiles(*, registry: bool = True) -> list[SiteProfile]:
    """Every profile file, and (``registry``) the merger registry's sites."""
    files = [load_profile_file(p) for p in profile_paths()]
    return files + (list(_registry_profiles().values()) if registry else [])
