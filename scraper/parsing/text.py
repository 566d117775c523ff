"""Text clean-up shared by every field.

Vietnamese pages mix composed and decomposed forms, non-breaking and zero-width
spaces and soft hyphens; two strings a reader sees as equal must be equal here, or
search and de-duplication silently fail. So everything passes through ``clean_text``.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and formatting characters that editors leave behind; they split words
# for the search index while staying invisible to a reader.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# "./." closes official texts and many articles; it carries no meaning for a reader.
_CLOSING_MARK = re.compile(r"\s*\.\s*/\s*\.\s*$")


def nfc(text: str) -> str:
    """NFC form, the one the archive stores and searches."""
    return unicodedata.normalize("NFC", text)


def clean_line(text: str | None) -> str:
    """One line of text: NFC, invisible characters dropped, runs of spaces collapsed."""
    if not text:
        return ""
    text = nfc(text).translate(_INVISIBLE)
    return _SPACES.sub(" ", text.replace("\r", " ").replace("\n", " ")).strip()


def clean_text(text: str | None) -> str:
    """A multi-paragraph text: each line cleaned, paragraphs kept apart by one blank line."""
    if not text:
        return ""
    text = nfc(text).translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def strip_closing_mark(text: str) -> str:
    """Drop a trailing "./." so the last sentence ends like any other."""
    stripped = _CLOSING_MARK.sub("", text)
    if stripped != text and stripped and stripped[-1] not in '.!?…"”':
        stripped += "."
    return stripped
