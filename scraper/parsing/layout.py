"""Which parts of a page are the site's furniture (header, menus, sidebars, footer).

Extraction and link discovery both need to set the site's chrome apart from the
article. Templates say so in tags (``<nav>``, ``<aside>``) and in class and id names
("site-header", "sidebar-left", "footer", "widget"); but class names are also full of
layout utilities ("margin-bottom-lg", "border-bottom-news") and of body classes that
describe the whole page (Drupal's ``one-sidebar sidebar-second``), and an article has
its own header and footer ("article-header", ``<article><header>``). So names are
judged token by token, word by word.
"""

from __future__ import annotations

import re

from lxml.etree import _Element

from scraper.parsing.vocabulary import BODY_HINTS, BOX_TITLE_HINTS, WIDGET_LABELS

CHROME_TAGS = frozenset({"header", "footer", "nav", "aside"})
# Words that, as one component of a class or id ("site-header", "footer_links",
# "menu-top"), name a piece of the site's furniture.
CHROME_WORDS = frozenset(
    "header footer bottom menu mainmenu topmenu sidebar sidebars widget widgets breadcrumb "
    "breadcrumbs banner navbar navigation copyright thongke counter aside weblink weblinks "
    "lienket quangcao adv ads topbar".split()
)
# Utility classes that merely position things, whatever words follow.
UTILITY_PREFIXES = (
    "margin-",
    "padding-",
    "border-",
    "text-",
    "col-",
    "has-",
    "no-",
    "one-",
    "two-",
    "three-",
    "is-",
    "mb-",
    "mt-",
    "pb-",
    "pt-",
    "m-",
    "p-",
    "d-",
)
# Wrappers of the page's own heading (Bootstrap's and Joomla's "page-header", Liferay's
# liferay-ui:header "taglib-header"), not the site's header.
HEADING_WRAPPERS = frozenset({"page-header", "page_header", "pageheader", "taglib-header"})
# A component's own heading bar, written as one camel-case word (Oracle ADF's
# "af_panelHeader_header"): the heading of the box it heads, not the site's header.
# Within a sidebar the box is furniture all the same (its ancestors say so).
COMPONENT_HEADERS = ("panelheader", "boxheader")
# A chrome word that names a part of the article itself ("article-header", "news-footer").
ARTICLE_PART = re.compile(r"(article|entry|post|detail|chitiet|chi-tiet|story|news|content)", re.I)
_SPLIT = re.compile(r"[-_]")


def chrome_token(token: str) -> bool:
    token = token.lower()
    if token.startswith(UTILITY_PREFIXES) or ARTICLE_PART.search(token):
        return False
    parts = _SPLIT.split(token)
    if "title" in parts or token in HEADING_WRAPPERS:
        return False  # a heading's own class ("header-title"), not a region of furniture
    if any(part.endswith(COMPONENT_HEADERS) for part in parts):
        return False  # a component's heading bar (Oracle ADF's "af_panelHeader_header")
    return any(part in CHROME_WORDS for part in parts)


def is_chrome_element(element: _Element) -> bool:
    """This element itself is site furniture (not looking at its ancestors)."""
    if element.tag in ("body", "html"):
        return False  # body classes describe the page layout, not a region
    if element.tag in CHROME_TAGS:
        if element.tag in ("header", "footer") and (
            any(ancestor.tag == "article" for ancestor in element.iterancestors())
            or ARTICLE_PART.search(element.get("class") or "")
        ):
            return False  # the article's own header or footer ("entry-header")
        return True
    if _names_content(element):
        # Page builders mark every block a widget ("elementor-widget
        # elementor-widget-theme-post-content"): the one named for the content is not.
        return False
    names = f"{element.get('class', '')} {element.get('id', '')}".split()
    return any(chrome_token(name) for name in names)


def _names_content(element: _Element) -> bool:
    """A class or id that names the article's content ("post-content", "noi-dung")."""
    names = f"{element.get('class', '')} {element.get('id', '')}"
    return bool(names.strip()) and BODY_HINTS.search(names) is not None


def in_chrome(element: _Element, depth: int = 16) -> bool:
    """Inside the site's header, footer, menu or a sidebar widget (not the article)."""
    node: _Element | None = element
    for _ in range(depth):
        if node is None:
            return False
        if isinstance(node.tag, str) and is_chrome_element(node):
            return True
        node = node.getparent()
    return False


WIDGET_HEADINGS = ("h2", "h3", "h4", "h5", "h6")

MIN_ARTICLE_PARAGRAPHS = 3
MIN_PARAGRAPH_CHARS = 40


def _article_holders(root: _Element) -> set[_Element]:
    """An ``<article>`` (or ``itemprop="articleBody"``) element holding at least three
    paragraphs of running text, and every element above it. A teaser ``<article>`` in a
    sidebar list holds a title and a line, not three paragraphs."""
    holders: set[_Element] = set()
    candidates = list(root.iter("article"))
    candidates += [e for e in root.iter() if e.get("itemprop") == "articleBody"]
    for article in candidates:
        paragraphs = sum(
            1
            for p in article.iter("p")
            if len("".join(p.itertext()).strip()) >= MIN_PARAGRAPH_CHARS
        )
        if paragraphs < MIN_ARTICLE_PARAGRAPHS:
            continue
        element: _Element | None = article
        while element is not None and element not in holders:
            holders.add(element)
            element = element.getparent()
    return holders


def _running_paragraphs(element: _Element, enough: int) -> int:
    count = 0
    for p in element.iter("p"):
        if len("".join(p.itertext()).strip()) >= MIN_PARAGRAPH_CHARS * 2:
            count += 1
            if count >= enough:
                break
    return count


def _widget_boxes(root: _Element, holders: set[_Element]) -> list[_Element]:
    """The boxes a portal heading names ("Văn bản mới", "Tin xem nhiều"): the heading's
    parent, unless that also holds running text (then the heading sits in the main
    column and only its own list is the box)."""
    boxes = []
    # Templates repeat a few class names hundreds of times: each is looked at once.
    titled: dict[tuple[str | None, str | None], bool] = {}
    for heading in root.iter(*WIDGET_HEADINGS, "div", "span", "p", "strong", "b", "td"):
        if heading.tag not in WIDGET_HEADINGS:
            names = (heading.get("class"), heading.get("id"))
            if names == (None, None):
                continue
            if (hinted := titled.get(names)) is None:
                hinted = titled[names] = bool(
                    BOX_TITLE_HINTS.search(" ".join(n for n in names if n))
                )
            if not hinted:
                continue
        text = "".join(heading.itertext()).strip()
        if not text or len(text) > 40 or not WIDGET_LABELS.match(text):
            continue
        box = heading.getparent()
        # A heading in its own header bar ("<div class=header><div>Văn bản mới</div></div>
        # <div>list</div>"): the box is the bar's parent.
        for _ in range(2):
            if box is None or next(box.iter("a"), None) is not None:
                break
            box = box.getparent()
        if box is None or box in holders or box.tag in ("body", "html"):
            continue
        if _running_paragraphs(box, 2) >= 2:
            continue
        boxes.append(box)
    return boxes


class ChromeMap:
    """Chrome or not, for any element of a page, each element judged at most once.

    Extraction asks about tens to hundreds of elements per page, and discovery about
    every link; walking up from each one to the root repeats the same judgements. Each
    answer is built from its parent's (inside furniture, inside a block named for the
    content), so an element is judged once, and only when it or something under it
    is asked about: a page whose credit line is found first never pays for the rest.
    """

    def __init__(self, root: _Element, *, widgets: bool = False) -> None:
        """``widgets``: also the boxes a portal heading names (article pages only: on a
        listing page such a heading may head the very list being crawled)."""
        self._root = root
        self._widgets = widgets
        # element → (inside furniture, inside a block named for the content). The keys
        # hold the element proxies alive, so identity lookups stay valid.
        self._known: dict[_Element, tuple[bool, bool]] = {}
        self._holders: set[_Element] | None = None
        self._boxes: set[_Element] = set()

    def exempt(self, element: _Element) -> None:
        """Never furniture, with what it holds: the article's own header, once the page's
        title is found in it although its class reads like the site's ("header")."""
        self._start().add(element)
        self._known.clear()

    def _start(self) -> set[_Element]:
        if self._holders is None:
            self._holders = _article_holders(self._root)
            if self._widgets:
                self._boxes = set(_widget_boxes(self._root, self._holders))
        return self._holders

    def __call__(self, element: _Element) -> bool:
        known = self._known.get(element)
        if known is not None:
            return known[0]
        holders = self._start()
        path: list[_Element] = []
        node: _Element | None = element
        while node is not None and node not in self._known:
            path.append(node)
            node = node.getparent()
        inherited, content = self._known[node] if node is not None else (False, False)
        for node in reversed(path):
            if not isinstance(node.tag, str):
                self._known[node] = (inherited, content)
                continue
            content = content or _names_content(node)
            # What holds the article's running text is never furniture, whatever its
            # class says (VnExpress names its main column "sidebar-1"); inside a block
            # named for the content, only a furniture tag (<aside>, <nav>) is furniture,
            # not a page builder's "elementor-widget-container". A box a portal heading
            # names is furniture, all of it.
            if node in self._boxes:
                flag = True
            elif node in holders:
                flag = False
            elif content:
                flag = inherited or (node.tag in CHROME_TAGS and is_chrome_element(node))
            else:
                flag = inherited or is_chrome_element(node)
            self._known[node] = (flag, content)
            inherited = flag
        return inherited
