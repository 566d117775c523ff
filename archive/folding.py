"""Accent-free search keys for Vietnamese.

FTS5's ``remove_diacritics`` cannot fold đ/Đ (it has no Unicode decomposition), so
"dai hoi" never finds "Đại hội" on its own. The archive therefore indexes a second,
folded copy of each article's text, and this module is the single definition of that
folding, used both when indexing and (through the Datasette plugin) for queries.
"""

from __future__ import annotations

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})
_NON_KEY = re.compile(r"[^0-9a-z]+")


def fold(text: str | None) -> str:
    """Lower-case ASCII-ish text: marks removed, đ→d; punctuation and spacing kept."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).casefold()


def doc_number_key(number: str | None) -> str:
    """Key that makes "34-CT/TW", "34/CT-TW" and "34 ct tw" the same document number."""
    return _NON_KEY.sub("", fold(number))
