"""Read a listing page: the article links on it and the way to the next page."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.parsing.html import parse_html, select
from scraper.parsing.links import absolute_url, document_base, same_host
from scraper.parsing.rules import ListingRules


@dataclass(frozen=True)
class Listing:
    article_urls: list[str]
    next_urls: list[str]


def extract_listing(
    html: str, url: str, rules: ListingRules, host: str | tuple[str, ...]
) -> Listing:
    """Article and next-page URLs on ``host`` (or hosts) only, in page order, no repeats."""
    hosts = (host,) if isinstance(host, str) else host
    root = parse_html(html, base_url=url)
    base = document_base(root, url)

    def urls(selector: str | None) -> list[str]:
        found: dict[str, None] = {}
        for anchor in select(root, selector):
            target = absolute_url(anchor.get("href"), base)
            if target and target != url and any(same_host(target, h) for h in hosts):
                found.setdefault(target)
        return list(found)

    return Listing(article_urls=urls(rules.article_links), next_urls=urls(rules.next_page))
