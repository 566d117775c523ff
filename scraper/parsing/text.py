"""Text clean-up shared by every field.

Vietnamese pages mix composed and decomposed forms, non-breaking and zero-width
spaces and soft hyphens; two strings a reader sees as equal must be equal here, or
search and de-duplication silently fail. So everything passes through ``clean_text``.

This runs on every text node of every page, so each regex pass is skipped when a
plain substring test shows it has nothing to do (regex scans of Vietnamese text cost
tens of µs per KB; ``in`` tests cost a fraction of that).
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and formatting characters that editors leave behind; they split words
# for the search index while staying invisible to a reader.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]+")
# Spacing other than a single plain space: tabs, no-break and typographic spaces.
_ODD_SPACE_CHARS = (
    "\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_SPACES = re.compile(f"[ {_ODD_SPACE_CHARS}]+")
# Spaces at either end of a line, removed in one pass over the whole text.
_EDGE_SPACES = re.compile(r" ?\n ?")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# "./." closes official texts and many articles; it carries no meaning for a reader.
_CLOSING_MARK = re.compile(r"\s*\.\s*/\s*\.\s*$")


def _contains_any(text: str, chars: str) -> bool:
    return any(char in text for char in chars)


def nfc(text: str) -> str:
    """NFC form, the one the archive stores and searches."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _drop_invisible(text: str) -> str:
    if text.isascii() or not _contains_any(text, _INVISIBLE_CHARS):
        return text
    return _INVISIBLE.sub("", text)


def clean_line(text: str | None) -> str:
    """One line of text: NFC, invisible characters dropped, runs of spaces collapsed."""
    if not text:
        return ""
    # str.split() splits on every Unicode space (the no-break and typographic ones
    # included, as str.isspace() says), at a fraction of a regex's cost.
    return " ".join(_drop_invisible(nfc(text)).split())


def clean_text(text: str | None) -> str:
    """A multi-paragraph text: each line cleaned, paragraphs kept apart by one blank line."""
    if not text:
        return ""
    text = _drop_invisible(nfc(text))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "  " in text or _contains_any(text, _ODD_SPACE_CHARS):
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _EDGE_SPACES.sub("\n", text)
    if "\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def strip_closing_mark(text: str) -> str:
    """Drop a trailing "./." so the last sentence ends like any other."""
    stripped = _CLOSING_MARK.sub("", text)
    if stripped != text and stripped and stripped[-1] not in '.!?…"”':
        stripped += "."
    return stripped
