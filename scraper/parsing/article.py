"""Extract one article from one page: the ``khotin extract`` JSON of DESIGN.md §2.

Each field is taken from the site's profile when the profile names it, and otherwise
by the generic layers in order: JSON-LD, then meta tags, then the Vietnamese
gov-portal vocabulary ("Ngày đăng", "Tin liên quan", "Tập tin đính kèm" …), then
layout heuristics. ``field_sources`` records which layer gave each field, so a site
that lives on fallbacks shows up in the crawl report. A field that is not on the page
is ``None`` (or ``[]``), never a guess.
"""

from __future__ import annotations

import json
import posixpath
import re
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml.etree import _Element

from scraper.parsing.bylines import Byline, find_byline, parse_byline, trailing_author_label
from scraper.parsing.dates import VN_TZ, ParsedDate, parse_date
from scraper.parsing.docrefs import find_doc_refs
from scraper.parsing.fields import Article
from scraper.parsing.html import all_text, drop, parse_html, select, text_lines, text_of
from scraper.parsing.layout import ChromeMap, is_chrome_element
from scraper.parsing.links import (
    absolute_url,
    attachment_kind,
    document_base,
    file_name,
    identity_key,
    is_document,
    same_host,
    script_download_name,
    script_download_target,
    viewed_file,
)
from scraper.parsing.page import Page
from scraper.parsing.rules import ArticleRules
from scraper.parsing.text import clean_line, strip_closing_mark
from scraper.parsing.vocabulary import (
    ACCOUNT_FIELD,
    ACCOUNT_NAME,
    ARCHIVE_PATHS,
    ATTACHMENT_LABELS,
    AUTHOR_PREFIX,
    BANNER_LABELS,
    BODY_HINTS,
    BREADCRUMB_HINTS,
    BROKEN_META_DATE,
    CMS_ACCOUNT,
    CREATED_STAMP,
    CREDIT_FIELD,
    CREDIT_HINTS,
    CREDIT_START,
    CREDIT_TAGS,
    DATE_HINTS,
    DATE_LABELS,
    DATE_TAGS,
    DOCUMENT_DATE_LABELS,
    DOWNLOAD_LABELS,
    ECHO_SKIP_TAGS,
    FILE_NAME,
    FILE_TYPE_WORD,
    HIDDEN_CLASSES,
    HOME_LABELS,
    ICON_TAGS,
    ICON_TYPE,
    ICON_WORDS,
    LABEL_TAGS,
    LINK_LABELS,
    MID_PUBLISHED,
    OLDEST_UNLABELLED,
    OTHER_DATE_LABELS,
    PAGE_VIEW_QUERY,
    PLACE_DATE,
    PUBLICATION_LABEL,
    PUBLISH_WORDS,
    RELATED_HINTS,
    RELATED_LABELS,
    RELATIVE_WORDS,
    SECTION_NAMES,
    SEE_ALSO,
    SHARED_ACCOUNTS,
    SIGNATURE,
    SITE_NAME,
    SUMMARY_FIELD,
    SUMMARY_HINTS,
    TITLE_FIELD,
    TITLE_HINTS,
    TITLE_SEPARATORS,
    TITLE_TRAILING_SEPARATOR,
    UPDATE_LABELS,
    VIEW_ALL,
    ZONE_NAMES,
    names_cms_account,
    section_key,
)


class GenericArticlePage:
    """The generic layer: every field found with no site rules, one method per field
    (JSON-LD, meta tags, the gov-portal vocabulary, then layout heuristics).

    ``ProfileArticlePage`` puts a site's selectors in front of it field by field, and a
    site's override (``scraper/sites/<id>.py``) subclasses that and replaces one field's
    method, so a fix to one field never has to rebuild the finished record."""

    def __init__(
        self,
        page: Page,
        *,
        rules: ArticleRules | None = None,
        site_id: str | None = None,
        default_category: str | None = None,
    ) -> None:
        self.page = page
        self.url = page.url
        self.rules = rules or ArticleRules()
        self.site_id = site_id
        self.default_category = default_category
        # "3 giờ trước" is counted from when the page was fetched, never from today.
        self.now = page.fetched_at
        self.root = parse_html(page.text, base_url=page.url)
        self.base = document_base(self.root, page.url)
        self.sources: dict[str, str] = {}
        drop(select(self.root, ", ".join(self.rules.remove)) if self.rules.remove else [])
        self.jsonld = _json_ld(self.root)
        self.meta = _meta(self.root)
        self._chrome: ChromeMap | None = None
        self._link_labels: dict[str, list[_Element]] | None = None
        self._label_texts: list[tuple[_Element, str]] | None = None
        self._order: dict[_Element, int] | None = None
        self._page_title = ""
        # A headline the page prints as such (a long h1, a "Tiêu đề" field), which wins
        # over a differing og:title.
        self._headline: _Element | None = None
        self._body_searched = False
        self._update_is_publication = False
        self._body_found: _Element | None = None
        self.title_element: _Element | None = None
        self.body: _Element | None = None
        # Links taken as related articles: lists of them are not part of the body's text
        # (documents linked in the body are: the author listed them there).
        self.link_anchors: list[_Element] = []
        self._dates: tuple[DateCandidate | None, DateCandidate | None] | None = None

    def in_chrome(self, element: _Element) -> bool:
        """Site furniture (header, menu, sidebar, footer), not the article."""
        return self._chrome_map()(element)

    def _from(self, name: str, source: str, value: Any) -> Any:
        if value not in (None, "", []):
            self.sources[name] = source
        return value

    # -- title ----------------------------------------------------------------------

    def title(self) -> str | None:
        found = self._title()
        element = self.title_element
        if found and element is not None and found == text_of(element):
            # A title block that also prints the date ("<span>Headline</span><span>Ngày
            # đăng: 12/05/2023</span>", "Headline <span>(12/3/2024)</span>"): the
            # headline, its own words and the other children's kept.
            dated = [c for c in element if isinstance(c.tag, str) and _is_date_line(text_of(c))]
            if dated:
                copy = deepcopy(element)
                drop([c for c in copy if isinstance(c.tag, str) and _is_date_line(text_of(c))])
                if len(bare := text_of(copy)) > 15:
                    found = bare
        if found and found.isupper() and (twin := self._cased_twin(found)) is not None:
            # An upper-cased display copy (a banner, a band): the headline as written
            # is the same words in their own case elsewhere on the page.
            self.title_element = twin
            return text_of(twin)
        return found

    def _cased_twin(self, text: str) -> _Element | None:
        wanted = text.casefold()
        for element in self.root.iter(*TITLE_CLASSED_TAGS, "h1", "h5", "h6", "a", "td"):
            own = text_of(element)
            if (
                len(own) == len(text)
                and own.casefold() == wanted
                and not own.isupper()
                and not self.in_chrome(element)
                and not _hidden(element)
            ):
                return element
        return None

    def _title(self) -> str | None:
        title_tag = next(self.root.iter("title"), None)
        page_title = clean_line(all_text(title_tag)) if title_tag is not None else ""
        self._page_title = page_title
        self.title_element = self._title_heading(page_title)
        heading = text_of(self.title_element) if self.title_element is not None else ""
        if headline := clean_line(self.jsonld.get("headline")):
            if (
                heading
                and headline != heading
                and (
                    headline.endswith(heading)
                    or self._without_site_name(headline, page_title) == heading
                )
            ):
                # The metadata's headline with the site's name ("Sở VHTTDL Kon Tum |
                # …", Joomla K2): the page's own heading is the headline.
                return self._from("title", "generic.heuristic", heading)
            og_title = clean_line(self.meta.get("og:title"))
            if (
                heading
                and headline != heading
                and len(heading) > 15
                and not self._is_section_name(heading)
                and (
                    page_title.startswith(heading)
                    or (og_title and self._without_site_name(og_title, page_title) == heading)
                )
            ):
                # The printed headline, which <title> or og:title repeats, over the
                # metadata's own wording (an SEO headline "Quảng Bình tăng cường …").
                return self._from("title", "generic.heuristic", heading)
            cut = headline.removesuffix("…").removesuffix("...").rstrip()
            if heading.startswith(cut) and len(heading) > len(cut):
                # Cut short for search engines (at 110 characters, with or without "…"):
                # the page's own heading is the whole headline.
                return self._from("title", "generic.heuristic", heading)
            if headline == cut or not heading:
                return self._from("title", "generic.jsonld", headline)
            # A headline cut short for search engines ("… trên địa bàn các…"): the page's
            # own (its dashes may differ: "sởi – rubella" for "sởi - rubella").
        if og := clean_line(self.meta.get("og:title")):
            og = self._without_site_name(og, page_title)
            if heading and og != heading and self._confident_heading(heading, og):
                # The page's own headline over a share title written for search engines
                # ("Kon Tum: Chủ động …" for "Sở Y tế triển khai …"), one with a suffix,
                # or one that only names the section.
                return self._from("title", "generic.heuristic", heading)
            if not self._is_section_name(og):
                return self._from("title", "generic.meta", og)
        if self.title_element is not None:
            return self._from("title", "generic.heuristic", text_of(self.title_element))
        if self._names_a_section(page_title) and (crumb := self._current_crumb()):
            return self._from("title", "generic.heuristic", crumb)
        if not page_title or self._names_a_section(page_title) or SITE_NAME.match(page_title):
            # <title> names only the portal: the headline is the first line set in large
            # or bold type above the body (table layouts give it no heading nor class).
            if (styled := self._styled_headline()) is not None:
                self.title_element = styled
                return self._from("title", "generic.heuristic", text_of(styled))
        if page_title:
            return self._from("title", "generic.heuristic", self._headline_of(page_title))
        return None

    def _headline_of(self, page_title: str) -> str:
        """The headline in a <title>: without the site's name after it ("… - Sở Tài
        nguyên và Môi trường tỉnh Bình Định", the headline's own " - " kept) or before
        it ("Cổng TTĐT huyện Tiên Du | …")."""
        parts = TITLE_SEPARATORS.split(page_title)
        if len(parts) == 2 and SITE_NAME.match(parts[0]) and not SITE_NAME.match(parts[1]):
            return parts[1]
        headline = self._without_site_name(page_title, page_title)
        # "… - Tin tức - Sở Y tế": the section's name before the site's goes too.
        while len(parts := TITLE_SEPARATORS.split(headline)) > 1 and self._is_section_name(
            parts[-1]
        ):
            headline = TITLE_TRAILING_SEPARATOR.sub("", headline[: -len(parts[-1])])
        return headline

    def _confident_heading(self, heading: str, og: str) -> bool:
        """Whether the headline found on the page beats a differing og:title: it is long,
        not a section's name, and either printed as the headline (a long h1, a
        "Tiêu đề" row, a heading or title-classed block) or what og:title extends."""
        if len(heading) <= 15 or self._is_section_name(heading):
            return False
        if og.startswith(heading) or self._is_section_name(og) or self._headline is not None:
            return True
        if heading.startswith(og.rstrip(" .…")):
            return True  # og:title is the headline cut short
        if og.endswith(heading):
            return True  # og:title is "Site | Headline" (Joomla K2)
        if heading in self._page_title and og not in self._page_title:
            return True  # the <title> repeats the page's headline, not the share title
        element = self.title_element
        if element is None:
            return False
        hint = f"{element.get('class', '')} {element.get('id', '')}"
        return element.tag in ("h1", "h2", "h3") or TITLE_HINTS.search(hint) is not None

    def _without_site_name(self, title: str, page_title: str) -> str:
        """``og:title`` without a site suffix ("… | Sở Nội vụ Hải Phòng"): a last part
        that is the site's name (og:site_name), or that the <title> ends with too, or
        that names an agency or portal."""
        site = clean_line(self.meta.get("og:site_name")).casefold()
        page_parts = [p.casefold() for p in TITLE_SEPARATORS.split(page_title)]
        # The same words in <title> say nothing about which parts are the site's.
        same = page_title.casefold() == title.casefold()
        if same:
            page_parts = []
        for round_ in range(3):  # "… - Sở Văn hóa, Thể thao và Du lịch - Cổng TTĐT tỉnh …"
            parts = TITLE_SEPARATORS.split(title)
            if len(parts) < 2:
                return title
            last = parts[-1].casefold()
            shared = len(page_parts) > 1 and page_parts[-1] == last
            agency = SITE_NAME.match(parts[-1]) is not None
            # A further part goes only when the <title> ends with it too and it names an
            # agency: a headline may itself end "… - Huyện Đăk Hà" or "… - Rubella".
            if round_ == 0:
                named = (site and last == site) or shared or agency
            else:
                named = (site and last == site) or ((shared or same) and agency)
            if not named:
                return title
            if page_parts and page_parts[-1] == last:
                page_parts = page_parts[:-1]
            head = TITLE_TRAILING_SEPARATOR.sub("", title[: title.rfind(parts[-1])].rstrip())
            if not head:
                return title
            title = head
        return title

    def _field_value(self, label: re.Pattern[str]) -> _Element | None:
        """The value cell of a form row whose label cell says ``label`` ("Tiêu đề" |
        value), as SharePoint's list forms and portals' detail tables print fields."""
        for cell in self.root.iter("td", "th", "dt"):
            if len(text_of(cell)) > 30 or not label.match(text_of(cell)):
                continue
            value = cell.getnext()
            while value is not None and not isinstance(value.tag, str):
                value = value.getnext()
            if value is not None and value.tag in ("td", "dd") and text_of(value):
                if not self.in_chrome(value):
                    return value
        return None

    def _styled_headline(self) -> _Element | None:
        body = self._find_body()
        if body is None:
            return None
        for element in self.root.iter("td", "div", "p", "span", "font", "strong", "b", "h5", "h6"):
            if element is body or _is_within(body, element) or _is_within(element, body):
                if element is body or _is_within(element, body):
                    return self._opening_headline(body)  # nothing styled above the body
                continue  # an ancestor of the body
            text = text_of(element)
            if not 20 <= len(text) <= 250 or self.in_chrome(element) or _hidden(element):
                continue
            if next(element.iter("a"), None) is not None or DATE_LABELS.search(text[:30]):
                continue
            if _looks_like_headline(element, text):
                return element
        return None

    def _opening_headline(self, body: _Element) -> _Element | None:
        """The body's first line when it is a short line wholly in bold, running text
        after it: a rich-text web part that opens with its own headline."""
        lines = [
            p
            for p in body.iter("p", "div", "h2", "h3", "h4")
            if text_of(p) and not any(c.tag in ("p", "div", "table") for c in p.iterdescendants())
        ]
        if len(lines) < 3:
            return None
        first = lines[0]
        text = text_of(first)
        if 20 <= len(text) <= 250 and _looks_like_headline(first, text):
            later = " ".join(text_of(p) for p in lines[1:4])
            if len(later) > 2 * len(text):
                return first
        return None

    def _current_crumb(self) -> str | None:
        """The breadcrumb's last step when it is this page (a link to nowhere or to the
        page itself): document databases name the document there and nowhere else."""
        for trail in self.root.iter("ol", "ul", "div", "nav", "p"):
            if not BREADCRUMB_HINTS.search(f"{trail.get('class', '')} {trail.get('id', '')}"):
                continue
            anchors = list(trail.iter("a"))
            if len(anchors) < 2:
                continue
            last = anchors[-1]
            href = (last.get("href") or "").strip()
            if href in ("", "#") or absolute_url(href, self.base) == self.url:
                text = text_of(last)
                if 8 <= len(text) <= 300:
                    return text
        return None

    def _is_section_name(self, text: str) -> bool:
        """A short heading that is a menu or breadcrumb link's label ("Tin tức - Sự
        kiện", "Thông báo"): a portlet's or list's name, not the article's title."""
        if not text or len(text) > 40:
            return False
        if section_key(text) in SECTION_NAMES:
            return True
        if self._link_labels is None:
            self._link_labels = {}
            for anchor in self.root.iter("a"):
                self._link_labels.setdefault(text_of(anchor).casefold(), []).append(anchor)
        # Not a link to this very page: a sidebar's "Tin mới" or a ticker names the
        # article itself by its headline (only the links with this text are resolved).
        own = identity_key(self.url)
        return any(
            not (
                (href := a.get("href"))
                and (url := absolute_url(href, self.base))
                and identity_key(url) == own
            )
            for a in self._link_labels.get(text.casefold(), ())
        )

    def _title_echo(self, page_title: str) -> _Element | None:
        """The element whose whole text is what the metadata calls the page (<title>,
        og:title, a name="title" meta, or the long part of a "Title - Site" <title>):
        the title cell of table and portlet layouts that give it no heading."""
        wanted = [
            clean_line(v)
            for v in (page_title, self.meta.get("og:title"), self.meta.get("title"))
            if v and len(clean_line(v)) > 15
        ]
        wanted += [part for part in TITLE_SEPARATORS.split(page_title) if len(part) > 15]
        # A part that a menu link names is the section ("Portal > Tin tức > Hoạt động
        # chuyên môn", DNN's default <title>), not the headline.
        wanted = [target for target in wanted if not self._is_section_name(target)]
        for target in dict.fromkeys(wanted):
            for element in self.root.xpath("//body//*[normalize-space(.)=$t]", t=target):
                if self.in_chrome(element) or _hidden_within(element):
                    continue
                if any(
                    BREADCRUMB_HINTS.search(f"{a.get('class', '')} {a.get('id', '')}")
                    for a in element.iterancestors()
                ):
                    continue  # the trail's last step names the page ("Chi tiết tin tức")
                href = absolute_url(element.get("href"), self.base) if element.tag == "a" else None
                if href and identity_key(href) == identity_key(self.url):
                    return element  # the headline linking to its own page (DNN Ventrian)
                if element.tag in ECHO_SKIP_TAGS:
                    continue
                if (
                    any(a.tag == "a" for a in element.iterancestors())
                    or next(element.iter("a"), None) is not None
                ):
                    continue  # a link to this article in a list, not its title
                return element
        return None

    def _headline_in_a_header(self, page_title: str) -> _Element | None:
        """A heading that says exactly what the <title> says before the site's name,
        in a block whose class reads like the site's header ("<div class=header><h1>"):
        the article's own header. It stops counting as furniture, date line included."""
        if not page_title:
            return None
        wanted = self._headline_of(page_title)
        if len(wanted) <= 15 or SITE_NAME.match(wanted) or self._is_section_name(wanted):
            return None
        for heading in self.root.iter("h1", "h2", "h3"):
            if text_of(heading) != wanted or _hidden(heading) or not self.in_chrome(heading):
                continue
            furniture = [a for a in heading.iterancestors() if is_chrome_element(a)]
            if any(a.tag in ("header", "nav", "aside", "footer") for a in furniture):
                return None  # the site's own <header>: the portal repeats the title there
            for block in furniture:
                self._chrome_map().exempt(block)
            return heading
        return None

    def _chrome_map(self) -> ChromeMap:
        if self._chrome is None:
            self._chrome = ChromeMap(self.root, widgets=True)
        return self._chrome

    def _microdata_headline(self) -> _Element | None:
        """The ``itemprop="headline"`` of the article the page is about (schema.org
        microdata, as Joomla prints it): the one whose item also holds the body, not a
        teaser's in a list of other articles."""
        for element in self.root.iter():
            if element.get("itemprop") != "headline" or _hidden(element):
                continue
            if element.tag == "meta" or len(text_of(element)) <= 10:
                continue
            scope = next(
                (a for a in element.iterancestors() if a.get("itemscope") is not None), None
            )
            if scope is None:
                continue
            body = self._find_body()
            holds_body = any(e.get("itemprop") == "articleBody" for e in scope.iter()) or (
                body is not None and _is_within(body, scope)
            )
            if holds_body:
                return element
        return None

    def _names_a_section(self, page_title: str) -> bool:
        """A <title> that is only the name of a section or portal ("Trung ương"): short,
        no number in it, and the text of one of the page's own links (menu, breadcrumb)."""
        if not page_title or len(page_title) > 30 or any(c.isdigit() for c in page_title):
            return False
        return self._is_section_name(page_title)  # ≤ 30 chars here, so the same test

    def _title_heading(self, page_title: str) -> _Element | None:
        """The heading that carries the title: the first h1 outside the site chrome that
        is not a section's name, else a lower heading whose text the page's <title>
        repeats, else any cell or block whose text is the page's own title."""
        if (marked := self._microdata_headline()) is not None:
            self._headline = marked
            return marked
        for h1 in self.root.iter("h1"):
            if not self.in_chrome(h1) and not _hidden(h1) and (text := text_of(h1)):
                if self._links_home(h1):
                    continue  # the site's name as a link to its home page (a logo h1)
                if not self._is_section_name(text) and len(text) > 15 and not _is_date_line(text):
                    self._headline = h1
                    return h1
        if (cell := self._field_value(TITLE_FIELD)) is not None:
            self._headline = cell
            return cell
        for h1 in self.root.iter("h1"):
            if not self.in_chrome(h1) and not _hidden(h1) and (text := text_of(h1)):
                if self._links_home(h1):
                    continue
                if not self._is_section_name(text) and not _is_date_line(text):
                    # A short h1 is the portal page's or module's name ("Tin hoạt động",
                    # DNN's container title) when a long heading or block classed as
                    # the title comes before the body (WebSphere, DNN EasyDNNnews): the
                    # h1 only repeats the <title>, or that block is a heading itself.
                    if len(text) <= 25:
                        named = self._title_classed(shortest=30)
                        if text == page_title and named:
                            return named[-1]
                        headed = [e for e in named if e.tag in ("h2", "h3", "h4")]
                        if headed:
                            return headed[-1]
                    return h1
        headings = [
            h
            for h in self.root.iter("h2", "h3", "h4", "h5", "h6")
            if not self.in_chrome(h)
            and not _hidden(h)
            and not self._is_section_name(text_of(h))
            and not _is_trail(h)
        ]
        for heading in headings:
            text = text_of(heading)
            if len(text) > 15 and page_title.startswith(text):
                return heading
        if (echo := self._title_echo(page_title)) is not None:
            return echo
        if (header := self._headline_in_a_header(page_title)) is not None:
            return header
        # Portals whose <title> is the page's generic name ("Chi tiết tin tức"): the
        # last long heading before the article's body.
        body = self._find_body()
        section_title = self._names_a_section(page_title)
        if body is None and not section_title:
            return None
        order = self._document_order()
        # A page with no running text (a document's attributes) has no body to be
        # before: its title cell can be anywhere outside the chrome.
        end = order[body] if body is not None else 1 << 30
        before = [h for h in headings if order[h] < end and len(text_of(h)) > 15]
        # The one classed as the title, not the subtitle under it ("<h3 class=news-title>"
        # then "<h4 class=news-subtitle>", Liferay).
        titled = [h for h in before if _title_classed_hint(h)]
        if titled:
            return titled[-1]
        if before:
            return before[-1]
        # Table layouts: <td class="tieude"><font><b>…</b></font></td> before the body.
        # A short heading cell counts too when the <title> is only a section's name
        # ("Trung ương"): a document database's title cell ("Tố tụng hình sự").
        named = self._title_classed(shortest=8 if section_title else 16)
        if body is None:
            return named[0] if named else None
        return named[-1] if named else None

    def _links_home(self, heading: _Element) -> bool:
        """All the heading says is one link to the site's home page."""
        anchors = list(heading.iter("a"))
        if len(anchors) != 1 or text_of(anchors[0]) != text_of(heading):
            return False
        url = absolute_url(anchors[0].get("href"), self.base)
        return bool(url) and urlsplit(url).path in ("", "/") and not urlsplit(url).query

    def _title_classed(self, shortest: int) -> list[_Element]:
        """Blocks classed as a title ("tieude", "news-detail-title") before the body
        (anywhere outside the chrome when there is no body), in page order."""
        body = self._find_body()
        order = self._document_order()
        end = order[body] if body is not None else 1 << 30
        # A body found too wide (a table cell holding the whole component, Joomla 1.x)
        # begins, for this purpose, at its first paragraph of running text.
        first_text = _first_running_paragraph(body)
        text_at = order[first_text] if first_text is not None else end
        return [
            element
            for element in self.root.iter(*TITLE_CLASSED_TAGS)
            if (
                order.get(element, 1 << 30) < end
                or (body is not None and _is_within(element, body) and order[element] < text_at)
            )
            and TITLE_HINTS.search(f"{element.get('class', '')} {element.get('id', '')}")
            and shortest <= len(text_of(element)) < 300
            and not self.in_chrome(element)
            and not _hidden(element)
            and not self._is_section_name(text_of(element))
            and not _mostly_links(element)
        ]

    # -- body, byline, images ---------------------------------------------------------

    def body_element(self) -> _Element | None:
        self.body = self._find_body()
        return self.body

    def _find_body(self) -> _Element | None:
        if self._body_searched:
            return self._body_found
        self._body_searched = True
        self._body_found = self._search_body()
        return self._body_found

    def _search_body(self) -> _Element | None:
        for element in self.root.iter():
            if element.get("itemprop") == "articleBody":
                self.sources["body_text"] = "generic.meta"
                return element
        best = self._densest_text_block()
        if best is not None:
            self.sources["body_text"] = "generic.heuristic"
            best = self._whole_split_body(best)
        return best

    def _whole_split_body(self, best: _Element) -> _Element:
        """A body the CMS splits into like blocks (Drupal Paragraphs: a text, an image,
        a text, each its own ``field__item``): the container of the run of blocks, when
        another of them holds running text too. Up to four levels above the densest."""
        node = best
        for _ in range(4):
            parent = node.getparent()
            if parent is None or parent.tag in ("body", "html") or self.in_chrome(parent):
                break
            kind = (node.tag, node.get("class"))
            if node.tag not in ("div", "section") or not node.get("class"):
                node = parent
                continue  # table cells and bare wrappers: a layout's columns, not items
            like = [c for c in parent if isinstance(c.tag, str) and (c.tag, c.get("class")) == kind]
            texts = [c for c in like if _running_paragraphs_in(c) >= 1]
            if (
                len(like) >= 2
                and len(texts) >= 2
                and len(like) == len([c for c in parent if isinstance(c.tag, str)])
                and not any(self.in_chrome(e) for e in parent.iter("div", "ul", "aside"))
            ):
                return parent
            node = parent
        return best

    def _densest_text_block(self) -> _Element | None:
        """The block holding most of the page's running text (in the manner of
        Readability): every paragraph outside the site chrome scores its parent fully and
        its grandparent by half; template class names such as "noi-dung" or
        "news-content" count extra; paragraphs made of links do not count."""
        scores: dict[_Element, float] = {}
        for block in self.root.iter("p", "div", "td", "font", "span"):
            if block.tag == "p":
                text = all_text(block)
            else:  # text written straight into a block, lines split by <br>
                text = (block.text or "") + "".join(child.tail or "" for child in block)
            length = len(text.strip())
            if length < 40 or self.in_chrome(block):
                continue
            linked = sum(len(all_text(a)) for a in block.iter("a"))
            if linked > length / 2:
                continue
            points = 1 + min(length, 800) / 100
            parent = block if block.tag != "p" else block.getparent()
            if parent is None:
                continue
            scores[parent] = scores.get(parent, 0) + points
            grand = parent.getparent()
            if grand is not None and grand.tag not in ("body", "html"):
                scores[grand] = scores.get(grand, 0) + points / 2
        best, best_score = None, 0.0
        for element, score in scores.items():
            hint = f"{element.get('class', '')} {element.get('id', '')}"
            if BODY_HINTS.search(hint):
                score = score * 1.5 + 3
            if score > best_score:
                best, best_score = element, score
        return best if best_score >= 3 else None

    def images(self, body: _Element | None) -> list[dict[str, Any]]:
        holders, source = self._image_holders(body)
        images = []
        for holder in holders:
            img = holder if holder.tag == "img" else next(holder.iter("img"), None)
            if img is None:
                continue
            url = absolute_url(img.get("src") or img.get("data-src"), self.base)
            if not url:
                continue
            caption = text_of(next(holder.iter("figcaption"), None)) or None
            images.append({"url": url, "caption": caption})
        if body is not None:
            images += self._paragraph_photos(body, {i["url"] for i in images})
            # Captions describe the photo; they are not part of the article's text.
            drop(list(body.iter("figure", "figcaption")))
        return self._from("images", source, images)

    def _image_holders(self, body: _Element | None) -> tuple[list[_Element], str]:
        return ([] if body is None else list(body.iter("figure"))), "generic.heuristic"

    def _paragraph_photos(self, body: _Element, known: set[str]) -> list[dict[str, Any]]:
        """Photos written as ``<p><img></p><p><em>caption</em></p>`` (rich-text editors
        with no <figure>): the photo is kept, its caption taken out of the body."""
        found = []
        for paragraph in list(body.iter("p", "div")):
            imgs = list(paragraph.iter("img"))
            if len(imgs) != 1 or text_of(paragraph):
                continue
            url = absolute_url(imgs[0].get("src") or imgs[0].get("data-src"), self.base)
            if not url or url in known:
                continue
            caption = None
            following = paragraph.getnext()
            if following is not None and following.tag in ("p", "div") and _is_caption(following):
                caption = text_of(following)
                drop([following])
            drop([paragraph])
            found.append({"url": url, "caption": caption})
        return found

    def byline(self, paragraphs: list[str]) -> tuple[Byline | None, list[str]]:
        """The credit, from where Vietnamese pages print it, strongest first: the end of
        the body (a right-aligned closing line, "Tin, ảnh: …"), an element the template
        names for it (author, tacgia, news-author, author_mail), the short blocks just
        after the body; and only when none of them names anyone, the metadata's person
        or the CMS account that posted the article."""
        # A paragraph that is only a link (a file, a related article) names no one.
        links = {text_of(a) for a in self.body.iter("a")} if self.body is not None else set()
        candidates = ["" if p in links else p for p in paragraphs]
        located = find_byline(candidates)
        if located is not None and not located[0].authors:
            # "Minh Thư" then "Nguồn tin: Sở Tư pháp": the person just above the source.
            source, at = located
            earlier = find_byline(candidates[:at])
            if earlier is not None and earlier[0].authors and at - earlier[1] <= 2:
                person, index = earlier
                unit = person.source_unit or source.source_unit
                _, rest = self._cut_credit(located, paragraphs)
                return self._cut_credit((Byline(person.raw, person.authors, unit), index), rest)
        if located is not None and located[0].authors:
            found, at = located
            # A credit over two lines ("Phóng viên: Hồng Nhung" / "Cộng tác viên: Văn
            # Tâm"): the line above, a labelled credit too, adds its people.
            above = next((i for i in range(at - 1, -1, -1) if candidates[i].strip()), None)
            whole = found.raw == paragraphs[at].strip() and above is not None
            first = parse_byline(candidates[above]) if whole else None
            if (
                first is not None
                and first.authors
                and first.raw == candidates[above].strip()
                and CREDIT_START.match(first.raw)
                and CREDIT_START.match(found.raw)
                and not first.raw.lower().startswith("ảnh")  # a photo's caption above
            ):
                _, rest = self._cut_credit((first, above), paragraphs)
                _, rest = self._cut_credit((found, at - 1), rest)
                unit = first.source_unit or found.source_unit
                people = [*first.authors, *found.authors]
                return Byline(f"{first.raw} {found.raw}", people, unit), rest
            return self._cut_credit(located, paragraphs)
        elsewhere = (
            self._credit_element()
            or self._right_aligned_credit()
            or self._credit_after_body()
            or self._credit_beside_date()
        )
        if elsewhere is not None:
            # The credit may still be a line of the body's text ("<p align=right>…" above
            # a table of files): it leaves the text, and so does a source line at the end.
            if located is not None:
                source = located[0]
                _, paragraphs = self._cut_credit(located, paragraphs)
                unit = elsewhere.source_unit or source.source_unit
                elsewhere = Byline(elsewhere.raw, elsewhere.authors, unit)
            return elsewhere, [p for p in paragraphs if p != elsewhere.raw]
        if located is not None:  # a source only ("Theo Báo Quảng Trị"): nobody named
            return self._cut_credit(located, paragraphs)
        return self._author_metadata() or self._cms_account(), paragraphs

    def _cut_credit(
        self, located: tuple[Byline, int], paragraphs: list[str]
    ) -> tuple[Byline, list[str]]:
        found, index = located
        self.sources["byline"] = "generic.vocabulary"
        rest = paragraphs[:index] + paragraphs[index + 1 :]
        leftover = paragraphs[index].replace(found.raw, "").strip()
        # The credit line can share a paragraph with the closing sentence ("…./. Thu Hà").
        if leftover and leftover not in ("./.", "."):
            rest.insert(index, leftover)
        return found, rest

    def _credit_text(self, element: _Element) -> str:
        """An element's text without its share and print links ("In", "Chia sẻ")."""
        parts = [element.text or ""]
        for child in element:
            if not (child.tag == "a" and LINK_LABELS.match(text_of(child))):
                parts.append(" ".join(text_lines(child)) if child.tag != "br" else " ")
            parts.append(child.tail or "")
        return clean_line(" ".join(parts)).strip(" |·-–")

    def _credit_element(self) -> Byline | None:
        """A credit in an element the template names for it (class or id), or in a form
        row labelled "Tác giả"."""
        if (cell := self._field_value(CREDIT_FIELD)) is not None:
            text = self._credit_text(cell)
            if text and len(text) <= 100 and (found := parse_byline(text)) and found.authors:
                self.sources["byline"] = "generic.vocabulary"
                return found
        for element in self.root.iter(*CREDIT_TAGS):
            hint = f"{element.get('class', '')} {element.get('id', '')}"
            if not CREDIT_HINTS.search(hint) or self.in_chrome(element):
                continue
            if _in_teaser(element):
                continue  # the author of another article in a list ("Tin liên quan")
            text = self._credit_text(element)
            if text and len(text) <= 100 and (found := parse_byline(text)) and found.authors:
                self.sources["byline"] = "generic.heuristic"
                return found
            if (found := _person_line_in(element)) is not None:
                self.sources["byline"] = "generic.heuristic"
                return found
        return None

    def _right_aligned_credit(self) -> Byline | None:
        """The last line of the body set right, the way Vietnamese portals print the
        credit, when more than three lines (a table of files, a note) follow it. Not a
        signature block ("KT. GIÁM ĐỐC" over a name): a signer is not an author."""
        if self.body is None:
            return None
        lines = [
            element
            for element in self.body.iter("p", "div")
            if _right_aligned(element) and len(text_of(element)) <= 100
        ]
        for element in reversed(lines):
            text = self._credit_text(element)
            if not text or SIGNATURE.search(text):
                continue
            previous = element.getprevious()
            above = text_lines(previous) if previous is not None else []
            if any(len(line) <= 60 and SIGNATURE.search(line) for line in above):
                continue  # a signer's line above ("KT. GIÁM ĐỐC"), not running text
            if (found := parse_byline(text)) and found.authors:
                self.sources["byline"] = "generic.heuristic"
                return found
        return None

    def _credit_after_body(self) -> Byline | None:
        """A credit in its own block right after the body (outside the body element):
        past the blocks of links that may come first (files, related articles), up to
        the next running text."""
        if self.body is None:
            return None
        seen = 0
        node = self.body
        for _ in range(3):  # the body's own siblings, then its parents'
            for sibling in node.itersiblings():
                if not isinstance(sibling.tag, str) or self.in_chrome(sibling):
                    continue
                for block in self._credit_blocks(sibling):
                    text = self._credit_text(block)
                    if not text:
                        continue
                    anchors = [a for a in block.iter("a")]
                    if len(anchors) >= 2 and sum(len(text_of(a)) for a in anchors) >= 0.8 * len(
                        text
                    ):
                        continue  # a list of links (a pager, tags): nobody's credit
                    if len(text) <= 100 and (found := parse_byline(text)) and found.authors:
                        self.sources["byline"] = "generic.heuristic"
                        return found
                    linked = sum(len(text_of(a)) for a in block.iter("a"))
                    if linked < len(text) / 2:  # a list of links does not count
                        seen += 1
                    if seen >= 3 or (len(text) > 100 and linked < len(text) / 2):
                        return None
            parent = node.getparent()
            if parent is None or parent.tag in ("body", "html"):
                return None
            node = parent
        return None

    @staticmethod
    def _credit_blocks(element: _Element) -> list[_Element]:
        """A wrapper's own lines ("<div><p>Tác giả: …</p><p>Nguồn tin: …</p></div>"), or
        the element itself; through a table row's one cell ("<tr><td><p>…")."""
        while True:
            only = [c for c in element if isinstance(c.tag, str)]
            if len(only) != 1 or only[0].tag not in ("td", "tbody", "tr", "div"):
                break
            element = only[0]
        children = [c for c in element if isinstance(c.tag, str) and c.tag in ("p", "div")]
        if children and all(len(text_of(c)) <= 100 for c in children) and len(children) <= 4:
            return children
        return [element]

    def _credit_beside_date(self) -> Byline | None:
        """A bare name in the article's own metadata row, beside its date ("<li>Lê Thị
        Hồng Nhung</li><li>20/05/2025 14:20</li><li>1.204 lượt xem</li>")."""
        date_at = self._date_element()
        if date_at is None:
            return None
        # The row's items: the date's siblings, or its item's siblings ("<li><span>").
        for holder in (date_at, date_at.getparent()):
            if holder is None or holder.getparent() is None:
                continue
            if (labelled := self._labelled_credit_in(holder.getparent())) is not None:
                return labelled
            items = [e for e in holder.getparent() if isinstance(e.tag, str) and e is not holder]
            if not 1 <= len(items) <= 6:
                continue
            for item in items:
                text = text_of(item)
                if not 4 <= len(text) <= 40 or any(c.isdigit() for c in text):
                    continue
                found = parse_byline(text)
                if found and found.authors and found.source_unit is None and found.raw == text:
                    self.sources["byline"] = "generic.heuristic"
                    return found
        return None

    def _labelled_credit_in(self, row: _Element) -> Byline | None:
        """A name after a credit label in the date's row ("Tác giả: <a>T.HẰNG (CDC
        Quảng Nam)</a> / 14/06/2024 15:20"): the label is the row's text, the name an
        element of its own (EasyDNNnews links it to the author's page)."""
        before = row.text
        for child in row:
            label = trailing_author_label(before)
            if label and isinstance(child.tag, str):
                name = text_of(child)
                found = parse_byline(f"{label} {name}") if 2 <= len(name) <= 60 else None
                if found is not None and found.authors:
                    self.sources["byline"] = "generic.vocabulary"
                    return found
            before = child.tail
        return None

    def _date_element(self) -> _Element | None:
        """The element that printed the article's date (the generic layer's choice)."""
        best, _ = self._page_dates()
        return best.element if best is not None else None

    def _cms_account(self) -> Byline | None:
        """The account that posted the article ("Người đăng: hbnguyet"), when the page
        credits nobody else: the only trace of a person it gives."""
        # A list form's field: "Người đăng tin" | ntlan (SharePoint, document databases).
        if (cell := self._field_value(ACCOUNT_FIELD)) is not None:
            text = text_of(cell)
            if ACCOUNT_NAME.fullmatch(text) and text not in SHARED_ACCOUNTS:
                self.sources["byline"] = "generic.vocabulary"
                return Byline(text, [text], None)
        # Only the blocks around a text that holds such a label, not every block's text;
        # and the text itself, when it runs on past the account ("Người đăng: nvhung @
        # 15:20 :: 312 lượt xem :: <a>Thông báo</a>").
        candidates: list[tuple[_Element, str]] = []
        for owner in self.root.iter():
            for piece, holder in ((owner.text, owner), (owner.tail, owner.getparent())):
                if holder is not None and names_cms_account(piece):
                    candidates.append((holder, clean_line(piece)))
                    candidates += [(e, "") for e in [owner, *list(owner.iterancestors())[:2]]]
        for element, own in dict.fromkeys(candidates):
            if element.tag not in CREDIT_TAGS:
                continue
            text = own or (text_of(element) if len(element) <= 3 else "")
            # The line may start with something else: "Ngày đăng: … | Người đăng: ntmhanh".
            pieces = [text, *_LINE_PARTS.split(text)[1:]] if len(text) <= 120 else []
            pieces += [bare for p in pieces if (bare := CREATED_STAMP.sub("", p)) != p]
            match = next(
                (m for piece in pieces if len(piece) <= 60 and (m := CMS_ACCOUNT.match(piece))),
                None,
            )
            if match and match.group(2).lower() not in SHARED_ACCOUNTS:
                if not self.in_chrome(element):
                    self.sources["byline"] = "generic.vocabulary"
                    return Byline(match.group(0), [match.group(2)], None)
        # No label, but an element the template names for the author holding only an
        # account ("<span class=metadata-author><img> hnnhung</span>", Liferay).
        for element in self.root.iter(*CREDIT_TAGS):
            hint = f"{element.get('class', '')} {element.get('id', '')}"
            if not CREDIT_HINTS.search(hint) or self.in_chrome(element):
                continue
            text = text_of(element)
            if ACCOUNT_NAME.fullmatch(text) and text not in SHARED_ACCOUNTS:
                self.sources["byline"] = "generic.heuristic"
                return Byline(text, [text], None)
        return None

    def _author_metadata(self) -> Byline | None:
        """The author as the page's metadata names it, when the body ends with no credit:
        JSON-LD, ``<meta name="author">``, or an ``itemprop="author"`` element."""
        author = self.jsonld.get("author")
        if isinstance(author, list):
            author = author[0] if author else None
        if isinstance(author, dict):
            author = author.get("name")
        candidates = [
            ("generic.jsonld", author if isinstance(author, str) else None),
            ("generic.meta", self.meta.get("author")),
        ]
        for element in self.root.iter():
            if element.get("itemprop") == "author" and not self.in_chrome(element):
                candidates.append(("generic.meta", text_of(element)))
                break
        for source, value in candidates:
            line = AUTHOR_PREFIX.sub("", clean_line(value)) if value else ""
            if line and (found := parse_byline(line)) and found.authors:
                self.sources["byline"] = source
                return found
        return None

    # -- dates ------------------------------------------------------------------------

    def published(self) -> tuple[ParsedDate | None, str | None]:
        for source, raw in (
            ("generic.jsonld", self.jsonld.get("datePublished")),
            ("generic.meta", self.meta.get("article:published_time")),
            ("generic.meta", self.meta.get("itemprop:datePublished")),
            ("generic.meta", self.meta.get("pubdate")),
            ("generic.meta", self.meta.get("dc.date.issued")),
        ):
            raw = _repair_meta_date(clean_line(raw)) if raw else raw
            if raw and (parsed := parse_date(raw, self.now)):
                self.sources["published_at"] = source
                if not parsed.has_time:
                    # Metadata with a bare date: the page's own date line may say when.
                    best, _ = self._page_dates()
                    if best and best.parsed.has_time and best.parsed.value[:10] == parsed.value:
                        return best.parsed, best.raw
                return parsed, raw
        best, update = self._page_dates()
        if update is not None and (
            best is None
            or (
                not best.parsed.has_time
                and update.parsed.has_time
                and update.parsed.value[:10] == best.parsed.value[:10]
            )
        ):
            # Old portals print only "Cập nhật: 15/10/2019 08:30", or that beside the
            # bare day: the one moment the page gives is when it went up.
            best, self._update_is_publication = update, True
        scripted = self._script_dates()
        if best is None:
            # Printed by a script from its data (SharePoint's page object, a Next.js or
            # Nuxt payload) when the page prints none: of several (a payload also lists
            # other articles) the one beside this article's title or address, else the
            # first (the page's own data comes first in the payloads seen).
            chosen = next((d for d, beside in scripted if beside), None)
            if chosen is None and scripted:
                chosen = scripted[0][0]
        elif not best.parsed.has_time:
            # The page prints only the day: the data's time on that day.
            day = best.parsed.value[:10]
            chosen = next((d for d, _ in scripted if d.has_time and d.value[:10] == day), None)
        else:
            chosen = None
        if chosen is not None:
            self._update_is_publication = False
            self.sources["published_at"] = "generic.heuristic"
            return chosen, chosen.raw
        if best is None:
            return None, None
        self.sources["published_at"] = "generic.vocabulary"
        return best.parsed, best.raw

    def _script_dates(self) -> list[tuple[ParsedDate, bool]]:
        """The publication times in inline scripts' data ("ArticleStartDate":
        "2023-10-11T23:10:00Z", "publishedAt": …), in page order, each with whether it
        is the nearest one to this article's title (or address) in its script."""
        headline = text_of(self.title_element) if self.title_element is not None else ""
        slug = urlsplit(self.url).path.rstrip("/").rsplit("/", 1)[-1]
        marks = [m for m in (headline, slug) if len(m) > 15]
        found: list[tuple[ParsedDate, bool]] = []
        for script in self.root.iter("script"):
            text = script.text or ""
            if script.get("src") or ("ublish" not in text and "StartDate" not in text):
                continue  # a cheap test before the pattern
            dates = [
                (parsed, match.start())
                for match in SCRIPT_DATE.finditer(text)
                if (parsed := parse_date(match.group(1), self.now))
            ]
            at = next((i for mark in marks if (i := text.find(mark)) >= 0), -1)
            nearest = min(dates, key=lambda d: abs(d[1] - at))[1] if dates and at >= 0 else -1
            found += [(parsed, start == nearest) for parsed, start in dates]
        return found

    def _page_dates(self) -> tuple[DateCandidate | None, DateCandidate | None]:
        """The article's own publication and update dates among all dates on the page.

        Pages print many dates: today's in the header banner, other articles' in the
        sidebar and in "Tin liên quan", the copyright year in the footer, and dates
        inside the body text. Only a short element outside all of those, labelled
        ("Ngày đăng", "Cập nhật") or standing near the title, is the article's own.
        """
        if self._dates is not None:
            return self._dates
        order = self._document_order()
        title_at = order.get(self.title_element) if self.title_element is not None else None
        today = (self.now or datetime.now(VN_TZ)).date().isoformat()
        body = self.body
        published: list[DateCandidate] = []
        updated: list[DateCandidate] = []
        # A body found too wide (Joomla 2.5's item-page holds the info block and the
        # text unwrapped) begins, for dates, at its first paragraph of running text.
        opening = _first_running_paragraph(body)
        text_at = order[opening] if opening is not None else -1
        for element in self.root.iter(*DATE_TAGS, "h1", "h2", "h3"):
            if len(element) > 6 or self.in_chrome(element) or _in_other_article_link(element):
                continue
            if element.tag in ("h1", "h2", "h3") and not _is_date_line(text_of(element)):
                continue  # a headline, not a date line set as a heading
            if _holds_list(element):
                continue  # a block listing other articles (sidebar, "Tin liên quan")
            inside = body is not None and _is_within(element, body)
            if inside and order[element] >= text_at:
                continue
            raw = _with_label(element, text_of(element))
            if not raw or len(raw) > 120 or not any(c.isdigit() for c in raw):
                continue
            hint = f"{element.get('class', '')} {element.get('id', '')}"
            if inside and not (DATE_LABELS.search(raw[:30]) or DATE_HINTS.search(hint)):
                continue  # before the text but unlabelled: a caption, a lead's date
            if OTHER_DATE_LABELS.search(raw[:30]):
                continue  # when a document takes effect, is adopted, expires
            if (later := MID_PUBLISHED.search(raw)) and later.start() > 0:
                # "Đã tạo 10/06/2024 - Xuất bản 12/06/2024 - Sửa đổi …" (Liferay's asset
                # metadata): the publication's date, wherever the line puts it.
                raw = raw[later.start() :].lstrip(" -–|,;")
            parsed = parse_date(raw, self.now)
            if parsed is None:
                continue
            score = 2.0 if parsed.has_time else 0.0
            if element.tag == "time" or DATE_HINTS.search(hint):
                score += 2
            # A label opens the line ("Ngày đăng: …"); one deep in a sentence
            # ("© 2019 … Cập nhật lần cuối …") labels something else.
            labelled = bool(DATE_LABELS.search(raw[:30]) or PLACE_DATE.match(raw))
            old = not labelled and parsed.value < OLDEST_UNLABELLED
            if old and not (
                DATE_HINTS.search(hint)
                and parsed.value[:4] >= "1945"
                and not parsed.value.startswith("1970-01-01")
            ):
                # "30/4/1975" near a title is history, not the page's date; one in the
                # element the template names for the date is the page's, however old
                # (not an empty CMS date shown as 1970-01-01).
                continue
            relative = RELATIVE_WORDS.search(raw) is not None
            if not labelled and (
                BANNER_LABELS.search(raw) or (today and parsed.value[:10] == today and not relative)
            ):
                continue  # the header's "today" banner, not the article's date
            distance = abs(order[element] - title_at) if title_at is not None else 60
            if not labelled and distance > 40 and not DATE_HINTS.search(hint):
                continue  # an unlabelled date far from the title is some other date
            if labelled:
                score += 2 if DOCUMENT_DATE_LABELS.search(raw[:30]) else 4
            if old:
                score -= 4  # the page's only date, never over a labelled one
            score -= min(distance, 200) / 20
            candidate = DateCandidate(score, -len(raw), parsed, raw, element)
            is_update = UPDATE_LABELS.search(raw[:30]) and not PUBLISH_WORDS.search(raw[:30])
            (updated if is_update else published).append(candidate)
        self._dates = (max(published, default=None), max(updated, default=None))
        return self._dates

    def updated(self) -> str | None:
        for source, raw in (
            ("generic.jsonld", self.jsonld.get("dateModified")),
            ("generic.meta", self.meta.get("article:modified_time")),
        ):
            if raw and (parsed := parse_date(clean_line(raw), self.now)):
                return self._from("updated_at", source, parsed.value)
        if self._reads_page_dates():
            _, best = self._page_dates()
            if best is not None:
                return self._from("updated_at", "generic.vocabulary", best.parsed.value)
        return None

    def _reads_page_dates(self) -> bool:
        """Whether the update date may come from the page's own date lines: not when the
        one it prints was taken as the publication date (the only date there is)."""
        return not self._update_is_publication

    # -- summary, category ----------------------------------------------------------------

    def summary(self, title: str | None) -> str | None:
        description = clean_line(self.jsonld.get("description"))
        if description and description != title:
            return self._from("summary", "generic.jsonld", description)
        for element in self.root.iter("div", "p", "h2", "h3", "span", "td"):
            hint = f"{element.get('class', '')} {element.get('id', '')}"
            if SUMMARY_HINTS.search(hint) and not self.in_chrome(element):
                value = text_of(element)
                if CREATED_STAMP.match(value):
                    continue  # SharePoint's "ms-descriptiontext" item stamp, no lead
                if value and value != title and 20 <= len(value) <= 800:
                    return self._from("summary", "generic.heuristic", value)
        # A list form's field ("Tóm tắt" | …, SharePoint): the lead the body lacks.
        if (cell := self._field_value(SUMMARY_FIELD)) is not None:
            value = text_of(cell)
            if value and value != title and 20 <= len(value) <= 800:
                return self._from("summary", "generic.vocabulary", value)
        return None

    def category(self) -> str | None:
        if section := clean_line(self.meta.get("article:section")):
            return self._from("category", "generic.meta", section)
        if self.default_category:
            return self._from("category", "profile", self.default_category)
        for element in self.root.iter("ol", "ul", "div", "nav"):
            if "breadcrumb" in (element.get("class") or "").lower():
                crumbs = [text_of(a) for a in element.iter("a", "span", "li") if len(a) == 0]
                crumbs = [c for c in crumbs if c and c.lower() not in HOME_LABELS and len(c) < 60]
                if crumbs:
                    return self._from("category", "generic.heuristic", crumbs[-1])
        return None

    # -- links --------------------------------------------------------------------------

    def attachments(self) -> list[dict[str, Any]]:
        anchors, labelled, source = self._attachment_anchors()
        found: dict[str, dict[str, Any]] = {}
        for anchor in anchors:
            href = anchor.get("href") if anchor.tag == "a" else _embedded_source(anchor)
            if anchor.tag == "a" and _no_address(href):
                # <a href="#" onclick="downloadfile('…','/Upload/x.doc')">
                href = _onclick_download(anchor) or href
            url = absolute_url(href, self.base) or absolute_url(
                script_download_target(href), self.base
            )
            if not url:
                continue
            url = viewed_file(url)
            name = text_of(anchor) or clean_line(anchor.get("title")) or None
            if anchor.tag != "a" or not name or DOWNLOAD_LABELS.match(name):
                # An icon, "Tải về" or a viewer says nothing of the file: its own name.
                own = file_name(url)
                name = script_download_name(href) or (own if is_document(own) else name)
            kind = attachment_kind(url)
            if kind == "other":
                # Download scripts ("…?download=1&id=0") name the file in the link, or
                # say its type ("[PDF]", a pdf.png icon, a fa-file-pdf class).
                kind = _kind_from_names(name, anchor.get("title"), *_icon_names(anchor))
            if source != "profile" and anchor not in labelled and kind in ("other", "image"):
                continue
            if _same_page(url, self.url) or PAGE_VIEW_QUERY.search(url):
                continue  # this very page as a PDF or print view, not a file of it
            found.setdefault(url, {"url": url, "name": name, "kind": kind})
        return self._from("attachments", source, list(found.values()))

    def _attachment_anchors(self) -> tuple[list[_Element], list[_Element], str]:
        """The links that may be files, those under an attachment label, and the layer."""
        # Links under "Tập tin đính kèm" are attachments whatever their URL looks
        # like (DownloadFile.aspx?id=…); elsewhere only links to document files.
        # (A sidebar box of downloads has such a label too: site furniture is not the
        # article's.)
        labelled = [a for a in self._labelled_links(ATTACHMENT_LABELS) if not self.in_chrome(a)]
        # Document links elsewhere count only inside the article's own region: a
        # sidebar of "Văn bản mới" links to PDFs too.
        region = self._article_region()
        anchors = labelled + [a for a in region.iter("a") if not self.in_chrome(a)]
        # A script download call (javascript:downloadfile('…','/path/plan.pdf')) is
        # never navigation: a file of the page wherever its box sits, even in a
        # dialog hidden until clicked.
        anchors += [
            a
            for a in self.root.iter("a")
            if (
                script_download_target(a.get("href"))
                or (_no_address(a.get("href")) and _onclick_download(a))
            )
            and not self.in_chrome(a)
        ]
        # A file shown in the article through a viewer (pdf.js, Google's, an <object>).
        anchors += [
            frame
            for frame in region.iter("iframe", "embed", "object")
            if _embedded_source(frame) and not self.in_chrome(frame)
        ]
        order = self._document_order()
        anchors.sort(key=lambda a: order.get(a, 0))  # the files in page order
        source = "generic.vocabulary" if labelled else "generic.heuristic"
        return anchors, labelled, source

    def _article_region(self) -> _Element:
        """The smallest block holding both the title and the body, else the page."""
        if self.body is None:
            return self.root
        if self.title_element is None:
            return self.body.getparent() if self.body.getparent() is not None else self.body
        ancestors = set(self.title_element.iterancestors())
        for node in self.body.iterancestors():
            if node in ancestors:
                return node
        return self.root

    def related(self) -> list[dict[str, Any]]:
        anchors, source = self._related_anchors()
        found: dict[str, dict[str, Any]] = {}
        for anchor in anchors:
            url = absolute_url(anchor.get("href"), self.base)
            title = text_of(anchor) or clean_line(anchor.get("title")) or _card_title(anchor)
            if LINK_LABELS.match(title) or (len(title) <= 40 and VIEW_ALL.match(title)):
                continue  # "Xem thêm »" to the section, "Xem tiếp" beside an item
            if url and (attachment_kind(url) != "other" or _kind_from_names(title) != "other"):
                continue  # "Văn bản liên quan": files ("… (.xlsx)"), not articles
            if (
                len(title) < 30
                and self._is_section_name(title)
                and _beside_a_longer_link(anchor)
                and not (url and self._cited_in_body(url))
            ):
                continue  # an item's category link ("Văn hóa") beside its article's
            if url and _archive_link(anchor, url):
                continue  # an item's author, tag or category page, not an article
            if url and title and url != self.url:
                found.setdefault(url, {"url": url, "title": title})
                self.link_anchors.append(anchor)
        return self._from("related", source, list(found.values()))

    def _related_anchors(self) -> tuple[list[_Element], str]:
        anchors = self._labelled_links(RELATED_LABELS, every=True)
        # A list that closes the body with no heading comes on top of labelled blocks
        # (Drupal's related-news field before a "Tin cùng chuyên mục" view).
        closing = [a for a in self._closing_link_list() if a not in anchors]
        hinted = [a for a in self._hinted_related() if a not in anchors and a not in closing]
        if anchors:
            return closing + hinted + anchors, "generic.vocabulary"
        return closing + hinted, "generic.heuristic"

    def _hinted_related(self) -> list[_Element]:
        """Links of a block the template names for related articles ("related-news",
        Drupal's "field--name-field-tin-lien-quan"), with or without a heading: links to
        pages of this site, titled like articles."""
        found: list[_Element] = []
        host = urlsplit(self.url).netloc
        for block in self.root.iter("div", "ul", "ol", "section", "aside", "table"):
            hint = f"{block.get('class', '')} {block.get('id', '')}"
            if not RELATED_HINTS.search(hint) or self.in_chrome(block):
                continue
            if any(a in found for a in block.iter("a")):
                continue  # an inner block of one already taken
            links = [
                a
                for a in block.iter("a")
                if (url := absolute_url(a.get("href"), self.base))
                and same_host(url, host)
                and url != self.url
                and len(text_of(a)) >= 20
                and attachment_kind(url) == "other"
            ]
            if len(links) >= 2:
                found += links
        return found

    def _closing_link_list(self) -> list[_Element]:
        """A list of article links that closes the article with no heading (a related
        box whose heading a script adds, often hidden by CSS until then): a ``<ul>`` or
        ``<ol>`` inside the body, after its last paragraph of running text, whose every
        item is one link to a page of this site titled like an article."""
        body = self._find_body()
        if body is None:
            return []
        last_text = None
        for paragraph in body.iter("p"):
            if len(all_text(paragraph).strip()) >= 40:
                last_text = paragraph
        if last_text is None:
            return []
        after = False
        for element in body.iter():
            if element is last_text:
                after = True
                continue
            if not after or element.tag not in ("ul", "ol") or _is_within(element, last_text):
                continue
            items = [li for li in element if li.tag == "li"]
            links = []
            for item in items:
                anchors = [a for a in item.iter("a") if a.get("href")]
                url = absolute_url(anchors[0].get("href"), self.base) if anchors else None
                titles = {text_of(a) for a in anchors} - {""}
                if not url or not same_host(url, urlsplit(self.url).netloc) or url == self.url:
                    break
                if len(titles) != 1 or len(next(iter(titles))) < 20:
                    break
                if attachment_kind(url) != "other" or FILE_NAME.search(next(iter(titles))):
                    break  # a list of files is the article's attachments, not articles
                links.append(anchors[0])
            else:
                if len(links) >= 2:
                    return links
        return []

    def _labelled_links(self, label: re.Pattern[str], *, every: bool = False) -> list[_Element]:
        """Links in the block that a vocabulary heading ("Tin liên quan") introduces; with
        ``every``, in all such blocks ("Những tin mới hơn" and "Những tin cũ hơn")."""
        tabbed = self._tabbed_links(label)
        if tabbed and not every:
            return tabbed
        found: list[_Element] = list(tabbed)
        for heading, text in self._labels():
            if not label.match(text):
                continue
            if self._inline_see_also(heading, text):
                continue
            link = next((a for a in heading.iterancestors("a")), None)
            if link is not None and (
                len(text_of(link)) > len(text) + 10
                or link.getparent() is None
                or link.getparent().tag not in ("h2", "h3", "h4", "h5", "h6", "td", "th")
            ):
                # The words of a link to one article ("Bài cũ hơn » <its title>", a
                # previous/next pager) or a menu's item, not a block's title (a web
                # part's title, a heading linking to its list).
                continue
            # The links that follow the label: its own ("<p>Tải về: <a>…</a> | <a>…</a>
            # </p>"), loose siblings ("Tập tin đính kèm: <a>…</a> <a>…</a>") or the first
            # block holding links (a <ul> under "Tin liên quan").
            links: list[_Element] = [a for a in heading.iter("a") if a.get("href")]
            sibling = heading.getnext() if not links else None
            while sibling is not None:
                if sibling.tag == "a":
                    links.append(sibling)
                elif sibling.tag in ("br", "span", "img", "i", "em", "b", "strong"):
                    links.extend(sibling.iter("a"))
                else:
                    if not links:
                        links.extend(sibling.iter("a"))
                        # A run of like blocks after the label (cards, one per article):
                        # each one's links.
                        kind = (sibling.tag, sibling.get("class"))
                        following = sibling.getnext()
                        while (
                            following is not None
                            and (
                                following.tag,
                                following.get("class"),
                            )
                            == kind
                            and (more := list(following.iter("a")))
                        ):
                            links.extend(more)
                            following = following.getnext()
                    if links:
                        break
                sibling = sibling.getnext()
            if not links:
                links = self._links_after(heading)
            if links and not every:
                return links
            found += [a for a in links if a not in found]
        return found

    def _cited_in_body(self, url: str) -> bool:
        """The body's text links this address too (an article it cites, which the list
        below it repeats): an article, not a category."""
        body = self._find_body()
        parts = urlsplit(url)
        if not any(c.isdigit() for c in parts.path + parts.query):
            return False  # "/chuyen-muc/kinh-te": a category, however the text links it
        key = identity_key(url)
        return body is not None and any(
            (found := absolute_url(a.get("href"), self.base)) and identity_key(found) == key
            for a in body.iter("a")
            if a.get("href")
        )

    def _inline_see_also(self, label: _Element, text: str) -> bool:
        """ "<p>Xem thêm: <a>…</a></p>" in the body's running text: a link of the text
        (the writer pointing at another article), not a block of related articles."""
        if label.tag != "p" or not SEE_ALSO.match(text) or self.body is None:
            return False
        return _is_within(label, self.body) and len(list(label.iter("a"))) == 1

    def _document_order(self) -> dict[_Element, int]:
        """Each element's place in the page (dropping blocks later keeps the order of
        the rest, so one numbering serves every field)."""
        if self._order is None:
            self._order = {element: i for i, element in enumerate(self.root.iter())}
        return self._order

    def _labels(self) -> list[tuple[_Element, str]]:
        """Every short text that could head a block ("Tin liên quan", "Tệp đính kèm"),
        with its element, in page order; read once for all the fields that look."""
        if self._label_texts is None:
            self._label_texts = []
            for heading in self.root.iter(*LABEL_TAGS):
                if len(heading) == 0 or all(c.tag in ICON_TAGS for c in heading):
                    text = text_of(heading)  # a label with an icon, "<h4><i></i> Văn bản…"
                    if len(text) > 40:
                        text = (heading.text or "").strip()
                else:
                    # A block that holds its own list: only its leading words can be one.
                    text = (heading.text or "").strip()
                if text and len(text) <= 40:
                    self._label_texts.append((heading, text))
        return self._label_texts

    def drop_link_blocks(self) -> None:
        """Take out of the body the blocks that only list related articles (some themes
        put "Bài viết liên quan" inside the article's content)."""
        if self.body is None:
            return
        linked = {id(a) for a in self.link_anchors}
        for anchor in self.link_anchors:
            if not _is_within(anchor, self.body) or anchor is self.body:
                continue
            block = anchor
            while block.getparent() is not None and block.getparent() is not self.body:
                parent = block.getparent()
                own = len(text_of(parent)) - sum(
                    len(text_of(a)) for a in parent.iter("a") if id(a) in linked
                )
                if own > 80:
                    break
                block = parent
            # Only a list of such links goes (a lone link in prose, or a paragraph that
            # names one document, stays part of the text).
            listed = sum(1 for a in block.iter("a") if id(a) in linked)
            if block is not anchor and listed >= 2 and block.getparent() is not None:
                drop([block])

    def _tabbed_links(self, label: re.Pattern[str]) -> list[_Element]:
        """Lists behind tabs: ``<a href="#news-related">Những tin cũ hơn</a>`` labels the
        block with that id (NukeViet and many Bootstrap themes), as does a tab that names
        it in ``data-tab``, ``data-target`` or ``aria-controls`` (``<li data-tab=
        "tab-older">Tin cũ hơn</li>``)."""
        links: list[_Element] = []
        for tab in self.root.iter("a", "li", "button", "span", "div"):
            href = (tab.get("href") or "").strip()
            if href and not href.startswith("#"):
                continue  # a link to another page, not a tab
            targets = ((tab.get(name) or "").strip().removeprefix("#") for name in TAB_TARGETS)
            target = next((t for t in targets if t), "")
            if not target or not label.match(text_of(tab)) or self.in_chrome(tab):
                continue
            found = self.root.xpath("//*[@id=$id]", id=target)
            if found:
                links += [
                    a
                    for a in found[0].iter("a")
                    if a.get("href", "").strip()[:1] != "#" and a not in links
                ]
        return links

    def _links_after(self, label: _Element) -> list[_Element]:
        """Links in the block after the label's enclosing heading block
        (``<div class="panel-heading"><strong>Tập tin đính kèm</strong></div><div>…``),
        up through a web part's header table (SharePoint: the label in an <h3> in the
        header row's cell, the list in the next row), never past the article's body."""
        body = self._find_body()
        node = label
        for depth in range(8):  # span < nobr < a < h3 < td < tr < table < td (SP 2010)
            parent = node.getparent()
            if parent is None or parent.tag in ("body", "html"):
                return []
            if depth >= 2 and body is not None and (parent is body or _is_within(body, parent)):
                return []
            if depth >= 5 and parent.tag not in ("table", "tbody", "tr", "td", "th"):
                return []  # deeper only through a web part's header table (SharePoint 2010)
            # Not a link the label is part of (a web part's title linking to its list).
            inside = [a for a in parent.iter("a") if a is not label and not _is_within(label, a)]
            if inside:
                return inside
            if any(not _is_within(label, e) for e in parent.iter("ul", "ol", "table")):
                return []  # the list is there, and empty: no attachments
            sibling = parent.getnext()
            if sibling is not None and (found := list(sibling.iter("a"))):
                # One row or item per link (<tr><td><a>…</a></td></tr> under a heading
                # row): the run of like siblings that hold links.
                kind = sibling.tag
                sibling = sibling.getnext()
                while sibling is not None and sibling.tag == kind:
                    more = list(sibling.iter("a"))
                    if not more:
                        break
                    found += more
                    sibling = sibling.getnext()
                return found
            node = parent
        return []

    def canonical(self) -> str:
        for link in self.root.iter("link"):
            if (link.get("rel") or "").lower() == "canonical":
                url = absolute_url(link.get("href"), self.base)
                if url and same_host(url, urlsplit(self.url).netloc):
                    return url
        return self.url

    # -- the record ---------------------------------------------------------------------

    def article(self) -> Article:
        """Every field, in the order they depend on each other: the link blocks and
        captions come out of the body before its text is read, the byline last."""
        title = self.title()
        summary = self.summary(title)
        body = self.body_element()
        published, published_raw = self.published()
        category = self.category()
        attachments = self.attachments()
        related = self.related()
        images = self.images(body)
        self.drop_link_blocks()
        paragraphs = text_lines(body)
        if summary and paragraphs and paragraphs[0] == summary:
            paragraphs = paragraphs[1:]
        if title and paragraphs and paragraphs[0] == title:
            paragraphs = paragraphs[1:]
        byline, paragraphs = self.byline(paragraphs)
        if paragraphs:
            paragraphs[-1] = strip_closing_mark(paragraphs[-1])
        body_text = "\n\n".join(paragraphs) or None
        doc_refs = self.doc_refs("\n".join(x for x in (title, summary, body_text) if x), title)
        if byline is not None:
            self.sources.setdefault("authors", self.sources["byline"])
            if byline.source_unit:
                self.sources["source_unit"] = self.sources["byline"]
        return Article(
            url=self.url,
            canonical_url=self.canonical(),
            site_id=self.site_id,
            title=title,
            summary=summary,
            body_text=body_text,
            category=category,
            published_at=published.value if published else None,
            published_raw=published_raw,
            updated_at=self.updated(),
            byline=byline.raw if byline else None,
            authors=list(byline.authors) if byline else [],
            source_unit=byline.source_unit if byline else None,
            attachments=attachments,
            related=related,
            images=images,
            doc_refs=doc_refs,
            field_sources=dict(sorted(self.sources.items())),
        )

    def doc_refs(self, text: str, title: str | None = None) -> list[dict[str, Any]]:
        """The official documents the article cites. A page whose title is nothing but a
        document's number is that document's own page: its number is not a citation."""
        refs = [
            {"number": r.number, "type": r.type, "issuer": r.issuer, "date": r.date}
            for r in find_doc_refs(text)
        ]
        own = {r.number for r in find_doc_refs(title)} if title and refs else set()
        if own:
            if len(own) == 1 and next(iter(own)).casefold() == title.strip().casefold():
                refs = [ref for ref in refs if ref["number"] not in own]
        return self._from("doc_refs", "generic.heuristic", refs)


_DATE_IN_LINE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")
_DATE_PIECES = re.compile(r"[\d/.:,|()\-]+")


def _is_date_line(text: str) -> bool:
    """A line that is a date and a label or weekday ("Cập nhật: 07/05/2024 09:40",
    "Thứ Năm, 04/07/2024"): set as a heading by some templates, never a headline."""
    return bool(_DATE_IN_LINE.search(text)) and len(_DATE_PIECES.sub(" ", text).split()) <= 4


@dataclass(frozen=True, order=True)
class DateCandidate:
    """A date seen on the page, ordered by how likely it is to be the article's own."""

    score: float
    shortness: int
    parsed: ParsedDate = field(compare=False)
    raw: str = field(compare=False)
    element: _Element | None = field(default=None, compare=False)


def _is_within(element: _Element, container: _Element) -> bool:
    node = element
    while node is not None:
        if node is container:
            return True
        node = node.getparent()
    return False


def _with_machine_time(
    element: _Element | None, parsed: ParsedDate, now: datetime | None
) -> ParsedDate:
    """A date line that prints only the day often carries the moment in a ``datetime``
    attribute (``<time datetime="2019-10-03T08:25:00+07:00">03/10/2019</time>``)."""
    if parsed.has_time or element is None:
        return parsed
    for node in (element, *element.iter("time")):
        machine = node.get("datetime") or node.get("content")
        found = parse_date(machine, now) if machine else None
        if found and found.has_time and found.value[:10] == parsed.value:
            return found
    return parsed


def _hidden(element: _Element) -> bool:
    """Text for screen readers or hidden by the theme, not what a reader sees as title."""
    names = (element.get("class") or "").lower()
    style = (element.get("style") or "").replace(" ", "").lower()
    return any(h in names for h in HIDDEN_CLASSES) or "display:none" in style


def _hidden_within(element: _Element) -> bool:
    """Hidden itself or inside a hidden block: WebSphere's page microformat (a
    ``display:none`` div of spans naming the page) repeats the <title> for scripts.
    An ancestor counts by its style or a whole class name ("hidden", "d-none"), not a
    class that merely holds the word ("overflow-hidden" wraps whole pages)."""
    if _hidden(element):
        return True
    for ancestor in element.iterancestors():
        style = (ancestor.get("style") or "").replace(" ", "").lower()
        names = (ancestor.get("class") or "").lower().split()
        shown = any(n.startswith("d-") and n != "d-none" for n in names)  # d-md-block
        if "display:none" in style or (any(n in HIDDEN_CLASSES for n in names) and not shown):
            return True
    return False


def _repair_meta_date(value: str) -> str:
    """NukeViet writes ``date('Y-m-dTH:i:s')``: "2024-03-25+0714:30:00" or, on older
    PHP, "2017-04-21ICT05:22:00", the "T" being PHP's time zone abbreviation. Put the
    pieces back in ISO order; an abbreviation nobody knows leaves the value as it was."""
    match = BROKEN_META_DATE.fullmatch(value)
    if not match:
        return value
    day, zone, time = match.groups()
    if zone[0] not in "+-":
        if zone not in ZONE_NAMES:
            return value
        zone = ZONE_NAMES[zone]
    return f"{day}T{time}{zone}:00"


def _mostly_links(element: _Element) -> bool:
    """A block whose words are mostly links' (a site name and a breadcrumb)."""
    text = text_of(element)
    linked = sum(len(text_of(a)) for a in element.iter("a"))
    return bool(text) and linked >= len(text) / 2


def _right_aligned(element: _Element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    if "text-align:right" in style or (element.get("align") or "").lower() == "right":
        return True
    names = (element.get("class") or "").lower().split()
    return any(n in ("text-right", "right", "align-right", "has-text-align-right") for n in names)


def _looks_like_headline(element: _Element, text: str) -> bool:
    """Set in large type (font-size ≥ 16px, <font size=4>) or wholly in bold."""
    style = (element.get("style") or "").replace(" ", "").lower()
    if (size := re.search(r"font-size:(\d+(?:\.\d+)?)(px|pt|em|rem)", style)) is not None:
        number, unit = float(size.group(1)), size.group(2)
        if number >= {"px": 16, "pt": 12, "em": 1.2, "rem": 1.2}[unit]:
            return True
    # ASP.NET's Label with FontSize="Large" and Font-Bold: "font-size:Large;font-weight:bold".
    if re.search(r"font-size:(large|larger|x-large|xx-large)", style):
        return True
    if re.search(r"font-weight:(bold|bolder|[6-9]00)", style):
        return True
    if element.tag == "font" and (element.get("size") or "").strip() in ("4", "5", "6", "+1", "+2"):
        return True
    bold = [c for c in element if c.tag in ("strong", "b")]
    return (
        len(bold) == 1
        and len(element) == 1
        and not (element.text or "").strip()
        and text_of(bold[0]) == text
    )


TITLE_CLASSED_TAGS = ("td", "th", "div", "span", "p", "b", "strong", "font", "h2", "h3", "h4")


_SUBTITLE_HINTS = re.compile(r"sub[-_]?title|subhead|sapo|summary|lead|desc|teaser", re.I)


def _title_classed_hint(element: _Element) -> bool:
    hint = f"{element.get('class', '')} {element.get('id', '')}"
    return bool(TITLE_HINTS.search(hint)) and not _SUBTITLE_HINTS.search(hint)


def _beside_a_longer_link(anchor: _Element) -> bool:
    """In the same item (two levels up at most) as a link with a longer text."""
    node = anchor.getparent()
    for _ in range(2):
        if node is None:
            return False
        own = len(text_of(anchor))
        if any(a is not anchor and len(text_of(a)) > own + 10 for a in node.iter("a")):
            return True
        node = node.getparent()
    return False


# A publication time in a script's data: an ISO value under a key that says so.
SCRIPT_DATE = re.compile(
    r"[\"']?(?:datePublished|publishedAt|publishDate|publishedDate|published_at|"
    r"publish_date|PublishedDate|PublishDate|ArticleStartDate)[\"']?\s*:\s*[\"']"
    r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)[\"']"
)
# The attributes by which a tab names the block it shows.
TAB_TARGETS = ("href", "data-tab", "data-target", "data-bs-target", "aria-controls")
_LINE_PARTS = re.compile(r"\s*[|·•]\s*")


def _running_paragraphs_in(element: _Element) -> int:
    return sum(1 for p in element.iter("p") if len(text_of(p)) >= 80)


def _in_teaser(element: _Element) -> bool:
    """Inside an item of a list of other articles: a block, up to three levels up, that
    links to another page by a headline-long text and holds little else."""
    node = element.getparent()
    for _ in range(3):
        if node is None:
            return False
        if any(len(text_of(a)) >= 20 and a.get("href") for a in node.iter("a")):
            return len(text_of(node)) <= 300
        node = node.getparent()
    return False


def _person_line_in(element: _Element) -> Byline | None:
    """A credit block holding more than the name (an avatar's initials, a role, the
    date: SharePoint's persona card): the first of its lines that is a person's name."""
    for leaf in element.iter():
        if len(leaf) or not isinstance(leaf.tag, str) or leaf.get("aria-hidden") == "true":
            continue
        if any(p.get("aria-hidden") == "true" for p in leaf.iterancestors()):
            continue
        text = text_of(leaf)
        if not 4 <= len(text) <= 40 or any(c.isdigit() for c in text):
            continue
        found = parse_byline(text)
        if found is not None and found.authors and found.raw == text:
            return found
    return None


def _is_trail(element: _Element) -> bool:
    """A breadcrumb set as a heading ("<h3>» <a>Tin tức</a> » <a>Tin hoạt động</a> »
    <span>THÔNG BÁO: …</span></h3>", NukeViet 3): two or more links to other pages."""
    return sum(1 for a in element.iter("a") if a.get("href")) >= 2


def _first_running_paragraph(body: _Element | None) -> _Element | None:
    """Where a body's running text begins: its first paragraph of 40 characters."""
    if body is None:
        return None
    return next((p for p in body.iter("p") if len(text_of(p)) >= 40), None)


def _no_address(href: str | None) -> bool:
    """An href that goes nowhere ("", "#…", "javascript:void(0)"), its onclick the link."""
    href = (href or "").strip().lower()
    return not href or href.startswith("#") or href in ("javascript:void(0)", "javascript:;")


def _onclick_download(anchor: _Element) -> str | None:
    """A download call in a link's onclick (its href a mere "#"), as a javascript: URL."""
    call = "javascript:" + (anchor.get("onclick") or "").strip().removeprefix("javascript:")
    return call if script_download_target(call) else None


def _embedded_source(frame: _Element) -> str | None:
    """What an iframe, embed or object shows (lazy loaders keep it in data-src)."""
    return frame.get("src") or frame.get("data-src") or frame.get("data")


def _archive_link(anchor: _Element, url: str) -> bool:
    """A link to a list of articles by one author, tag or category (WordPress's
    ``rel="author"``, ``rel="category tag"``, ``/author/vanphongso/``)."""
    rel = set((anchor.get("rel") or "").lower().split())
    if rel & {"author", "tag", "category"}:
        return True
    # /author/vanphongso/, /tag/thi-dua: two steps, the second no article's (an
    # article's address has a file name or a number: /category/tin-tuc/bai-123.html).
    steps = urlsplit(url).path.strip("/").split("/")
    return (
        len(steps) <= 2
        and steps[0].lower() in ARCHIVE_PATHS
        and not any(c.isdigit() for c in steps[-1])
        and "." not in steps[-1]
    )


def _card_title(anchor: _Element) -> str:
    """The title of a card whose link is an empty layer over it (Bootstrap's
    ``stretched-link``; the headline is an unlinked ``<h3>`` beside it): the one heading
    of the smallest block around the link that links nowhere else."""
    href = anchor.get("href")
    node = anchor.getparent()
    for _ in range(3):
        if node is None or any(a.get("href") not in (None, href) for a in node.iter("a")):
            return ""
        headings = list(node.iter("h2", "h3", "h4", "h5", "h6"))
        if len(headings) == 1:
            return text_of(headings[0])
        if headings:
            return ""
        node = node.getparent()
    return ""


def _same_page(url: str, page_url: str) -> bool:
    """Whether ``url`` is the page's own address with another extension."""
    a, b = urlsplit(url), urlsplit(page_url)
    stem_a, stem_b = posixpath.splitext(a.path)[0], posixpath.splitext(b.path)[0]
    return (a.netloc, stem_a) == (b.netloc, stem_b) and a.path != b.path


def _kind_from_names(*names: str | None) -> str:
    """The attachment kind a link's text, title or icon names ("Tải về 512-QD-UBND.pdf",
    "Kế hoạch 5107/KH-SYT [PDF]", "(DOCX)", an icon "pdf.png")."""
    for name in names:
        for match in FILE_NAME.finditer(name or ""):
            kind = attachment_kind("file:///x." + match.group(1).lower())
            if kind != "other":
                return kind
        if match := FILE_TYPE_WORD.search(name or ""):
            said = (match.group(1) or match.group(2)).lower()
            return attachment_kind("file:///x." + said)
    return "other"


def _icon_names(anchor: _Element) -> list[str]:
    """The names an icon inside a link gives its file type by (src, alt, class)."""
    names = []
    for icon in anchor.iter("img", "i", "span", "em"):
        for attribute in ("src", "alt", "class"):
            value = icon.get(attribute)
            if value and (match := ICON_TYPE.search(value)):
                word = match.group(1).lower()
                names.append(f"[{ICON_WORDS.get(word, word)}]")
    return names


def _is_caption(element: _Element) -> bool:
    """A short line set in italics or a caption class, right under a photo."""
    text = text_of(element)
    if not text or len(text) > 200:
        return False
    hint = f"{element.get('class', '')} {element.get('style', '')}".lower()
    if "caption" in hint or "chuthich" in hint or "italic" in hint:
        return True
    children = [child for child in element if isinstance(child.tag, str)]
    return (
        len(children) == 1
        and children[0].tag in ("em", "i")
        and not (element.text or "").strip()
        and text_of(children[0]) == text
    )


def _with_label(element: _Element, text: str) -> str:
    """A date's text with the label of its table row or definition: ``label value`` when
    ``element`` is only a label and the next cell holds the value, or a value cell whose
    label cell comes before it (<th>Ngày công bố</th><td>24/02/2023</td>)."""
    if not any(c.isdigit() for c in text):
        if PUBLICATION_LABEL.match(text.strip()):
            following = element.getnext()
            if following is not None:
                return f"{text.strip()} {text_of(following)}"
        return text
    cell = element
    while cell is not None and cell.tag not in ("td", "dd") and len(cell) <= 1:
        parent = cell.getparent()
        if parent is None or len(parent) > 1:
            break
        cell = parent
    if cell is not None and cell.tag in ("td", "dd"):
        label_cell = cell.getprevious()
        if label_cell is not None and label_cell.tag in ("th", "td", "dt"):
            label = text_of(label_cell)
            if label and not any(c.isdigit() for c in label) and len(label) <= 40:
                return f"{label} {text}"
    return text


def _holds_list(element: _Element) -> bool:
    """A block with list items or several links: other articles, not a date line. The
    page's own tools ("In bài", "Gửi email") on the date's line are no list."""
    links = 0
    for child in element.iter("li", "a", "tr"):
        if child.tag != "a":
            return True
        if LINK_LABELS.match(text_of(child)):
            continue
        links += 1
        if links > 1:
            return True
    return False


def _in_other_article_link(element: _Element) -> bool:
    """Inside a link, or in a list item that links elsewhere: another article's date."""
    node = element
    for _ in range(6):
        if node is None:
            break
        if node.tag == "a":
            return True
        if node.tag == "li":
            return any(a.get("href") for a in node.iter("a"))
        node = node.getparent()
    # "<div><a>Kiểm tra chất lượng xăng dầu …</a> (03/05/2024)</div>": a list of other
    # articles laid out in divs, each date right after its article's headline.
    before = element.getprevious()
    if before is not None and before.tag == "a" and len(text_of(before)) >= 25:
        return True
    headlines = [n for a in element.iter("a") if a.get("href") and (n := len(text_of(a))) >= 25]
    return bool(headlines) and sum(headlines) * 2 >= len(text_of(element))


def _meta(root: _Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = meta.get("property") or meta.get("name")
        if not key and meta.get("itemprop"):
            key = f"itemprop:{meta.get('itemprop')}"
        content = meta.get("content")
        if key and content:
            values.setdefault(key.strip().lower() if ":" not in key else key.strip(), content)
    for element in root.iter("time"):
        names = (element.get("class") or "").lower()
        published = element.get("itemprop") == "datePublished" or "published" in names
        if published and element.get("datetime"):
            # WordPress: <time class="entry-date published" datetime="…T08:25:00+07:00">
            values.setdefault("itemprop:datePublished", element.get("datetime"))
        elif element.get("itemprop") == "dateModified" or "updated" in names.split():
            if element.get("datetime"):
                values.setdefault("article:modified_time", element.get("datetime"))
    return values


def _json_ld(root: _Element) -> dict[str, Any]:
    """The first Article-like object in the page's JSON-LD, or {}."""
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(
                    k in ("NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle")
                    for k in kinds
                ):
                    return item
                stack.extend(v for v in item.values() if isinstance(v, list | dict))
    return {}
