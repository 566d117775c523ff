"""Small helpers over lxml trees: cached CSS selectors and text as a reader sees it.

The hot path parses each page once with lxml and runs compiled selectors on it;
BeautifulSoup costs 15–20× more per page (DESIGN.md §7), so it is not used here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import lru_cache

from cssselect import HTMLTranslator
from lxml import etree
from lxml.etree import XPath, _Element

from scraper.parsing.text import clean_line, clean_text

# Elements that start a new line of text for a reader.
BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr td th ul br "
    "caption center".split()
)
# Never text: code, styling, and form controls.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "select",
        "option",
        "button",
        "svg",
        "head",
        "title",
        "textarea",
    }
)


class SelectorError(ValueError):
    """A profile selector that is not valid CSS."""


_TRANSLATOR = HTMLTranslator()


@lru_cache(maxsize=1024)
def css(selector: str) -> XPath:
    """Compiled once per selector string; profiles reuse the same few selectors per page.

    Plain XPath without the EXSLT regexp functions that lxml's CSSSelector registers on
    every evaluation: a third faster, and CSS never needs them."""
    try:
        return XPath(_TRANSLATOR.css_to_xpath(selector), regexp=False, smart_strings=False)
    except Exception as exc:  # cssselect raises several unrelated error classes
        raise SelectorError(f"invalid CSS selector {selector!r}: {exc}") from exc


def select(root: _Element, selector: str | None) -> list[_Element]:
    if not selector:
        return []
    return css(selector)(root)


def select_one(root: _Element, selector: str | None) -> _Element | None:
    found = select(root, selector)
    return found[0] if found else None


log = logging.getLogger("khotin.parsing")

# Plain etree elements: lxml.html's element classes cost a Python class lookup for
# every element touched, a fifth of the whole extraction time on a portal page.
# huge_tree: without it libxml2 silently cuts a page nested deeper than 255 tags (old
# editors nest <font> hundreds deep) or holding a text node or attribute over 10 MB (an
# inline base64 image), and the body and attachments after it are lost.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True)


def parse_html(text: str, base_url: str | None = None) -> _Element:
    """An lxml tree for any input, even empty or broken markup."""
    if not text or not text.strip():
        text = "<html></html>"
    try:
        root = etree.fromstring(text, _PARSER, base_url=base_url)
    except (etree.ParserError, ValueError):
        # ValueError: a str with an XML encoding declaration; parse it as bytes instead.
        root = etree.fromstring(text.encode("utf-8"), _PARSER, base_url=base_url)
    if root is None:
        root = etree.fromstring("<html></html>", _PARSER)
    cut = [
        e.message for e in _PARSER.error_log if "xcessive depth" in e.message or "uge" in e.message
    ]
    if cut:
        # Past even huge_tree's limits: say so (the crawl counts it as an error) rather
        # than store a silently shortened article.
        log.error("%s: the page could not be read whole (%s)", base_url or "page", cut[0].strip())
    return root


def all_text(element: _Element) -> str:
    """Every piece of text under the element, as one string (no clean-up)."""
    return "".join(element.itertext())


def _walk(element: _Element, out: list[str]) -> None:
    """The element's text pieces in document order, with a newline around each block.

    Iterative (lxml's iterwalk), not recursive: pages nest <font> or <div> hundreds or
    thousands deep, far past Python's recursion limit."""
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in SKIP_TAGS:
            if event == "start":
                walker.skip_subtree()
            elif node.tail:
                out.append(node.tail)
            continue
        block = tag in BLOCK_TAGS
        if event == "start":
            if block:
                out.append("\n")
            if node.text and tag:
                out.append(node.text)
        else:
            if block:
                out.append("\n")
            if node.tail:
                out.append(node.tail)


def text_lines(element: _Element | None) -> list[str]:
    """The element's text split where a browser would break lines, cleaned, empty lines dropped."""
    if element is None:
        return []
    pieces: list[str] = []
    tail = element.tail
    element.tail = None
    try:
        _walk(element, pieces)
    finally:
        element.tail = tail
    # One normalisation pass over the whole text, then a cheap split: far fewer regex
    # calls than cleaning each fragment.
    text = clean_text("".join(pieces))
    return [line for line in text.split("\n") if line]


def text_of(element: _Element | None) -> str:
    """All the element's visible text on one line."""
    if element is not None and len(element) == 0 and element.tag not in SKIP_TAGS:
        return clean_line(element.text)  # a leaf (most links and labels): no walk needed
    return " ".join(text_lines(element))


def iter_links(root: _Element) -> Iterator[tuple[_Element, str]]:
    """Every <a href> under ``root`` with its href made absolute (lxml's base_url)."""
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if href:
            yield anchor, href.strip()


def drop(elements: list[_Element]) -> None:
    """Remove elements but keep their tail text (which belongs to the parent)."""
    for element in elements:
        parent = element.getparent()
        if parent is None:
            continue
        if element.tail:
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + element.tail
            else:
                parent.text = (parent.text or "") + element.tail
        parent.remove(element)
