"""An archived page made safe to show again, as it was fetched.

The stored bytes are decoded with khotin's Vietnamese charset rules, rewritten with
BeautifulSoup (links to pages and files the archive holds point into the archive;
images, which are not archived, become labelled placeholders; nothing that would load
from another host survives), then sanitised by nh3 (Ammonia): no script, no event
handler, no style that could fetch, no form, frame or object. The reading room then
serves the result into a sandboxed frame under a Content-Security-Policy that allows no
network at all, so even a sanitiser miss cannot run or load anything.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urldefrag, urljoin, urlsplit

import nh3
from bs4 import BeautifulSoup

from scraper.parsing.encoding import decode_page

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div",
    "dl", "dt", "em", "figcaption", "figure", "font", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "ins", "li", "mark", "ol", "p", "pre", "q", "s", "section", "article",
    "header", "footer", "nav", "aside", "main", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "target"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "p": {"align"},
    "div": {"align"},
    "span": {"class"},
    "time": {"datetime"},
    "*": {"title", "lang"},
}
# Our own look for the replay: the page's stylesheets were not archived.
REPLAY_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;"
    "color:#222}a{color:#0645ad}table{border-collapse:collapse;max-width:100%}"
    "td,th{vertical-align:top;padding:2px 4px}"
    ".khotin-missing{display:inline-block;border:1px dashed #999;color:#666;padding:2px 6px;"
    "font-size:13px;background:#f6f6f6}"
)
# The frame's policy: nothing from the network, not even this host; our inline style only.
CONTENT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'self'; form-action 'none'; base-uri 'none'; "
    "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
)

LinkResolver = Callable[[list[str]], dict[str, str]]


def replay_html(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    resolve: LinkResolver | None = None,
) -> str:
    """The page as a self-contained, inert HTML document.

    ``resolve`` maps absolute link targets to archive paths (``/article/12``,
    ``/file/<sha256>``) for those the archive holds; other links keep their original
    address and open outside the frame."""
    text = decode_page(body, content_type).text
    soup = BeautifulSoup(text, "lxml")
    for tag in soup(
        [
            "script",
            "noscript",
            "style",
            "link",
            "meta",
            "base",
            "iframe",
            "frame",
            "object",
            "embed",
            "form",
            "input",
            "button",
            "select",
            "textarea",
            "svg",
            "math",
            "video",
            "audio",
            "source",
            "picture",
            "template",
        ]
    ):
        if tag.name in ("form",):
            tag.unwrap()
        else:
            tag.decompose()
    for img in soup.find_all(["img", "image"]):
        label = (img.get("alt") or img.get("title") or "").strip()
        placeholder = soup.new_tag("span", attrs={"class": "khotin-missing"})
        placeholder.string = f"[ảnh không được lưu{': ' + label if label else ''}]"
        img.replace_with(placeholder)
    links = []
    for a in soup.find_all("a", href=True):
        href = str(a["href"]).strip()
        if href.lower().startswith(("javascript:", "data:", "vbscript:")):
            del a["href"]
            continue
        absolute = urldefrag(urljoin(url, href))[0]
        a["href"] = absolute
        links.append(absolute)
    mapped = resolve(sorted(set(links))) if resolve and links else {}
    for a in soup.find_all("a", href=True):
        target = mapped.get(str(a["href"]))
        if target:
            a["href"] = target
            a["target"] = "_top"
        elif urlsplit(str(a["href"])).scheme in ("http", "https"):
            a["target"] = "_blank"
    body_tag = soup.body or soup
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    cleaned = nh3.clean(
        body_tag.decode_contents() if soup.body else str(soup),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{nh3.clean_text(title)}</title><style>{REPLAY_STYLE}</style></head>"
        f"<body>{cleaned}</body></html>"
    )
