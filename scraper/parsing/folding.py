"""Accent-free search keys for Vietnamese.

FTS5's ``remove_diacritics`` cannot fold đ/Đ (it has no Unicode decomposition), so
"dai hoi" never finds "Đại hội" on its own. The archive therefore indexes a second,
folded copy of each article's text, and this module is the single definition of that
folding, used when indexing and for queries (archive.search) and for document numbers
(scraper.parsing.docrefs). It lives in the pure parsing layer, which both sides may use.

Folding is done character by character through a cached translation table: it runs at
C speed on whole articles, and a precomposed (NFC) character always folds to the same
number of characters whatever surrounds it, which lets search snippets map a match in
the folded text back onto the original.
"""

from __future__ import annotations

import re
import unicodedata

_NON_KEY = re.compile(r"[^0-9a-z]+")
# Tone marks (grave, acute, hook above, tilde, dot below) in decomposed text.
_TONES = "\u0300\u0301\u0309\u0303\u0323"
# "oa", "oe", "uy" closing a syllable carry the tone on either vowel: hòa/hoà, hòe/hoè,
# thủy/thuỷ, Ủy/Uỷ. Both are common on government sites. ("qu" + y is the consonant qu,
# where the tone always sits on y: quý.)
# A further mark after the tone (the breve of ặ, the circumflex of ậ, ệ: NFD puts the
# dot below first) makes it another vowel, not a closing oa/oe ("hoặc" stays).
_SECOND_VOWEL_TONE = re.compile(
    rf"(?<![qQ])([oO])([aAeE])([{_TONES}])(?![^\W\d_]|[\u0300-\u036f])"
    rf"|(?<![qQ])([uU])([yY])([{_TONES}])(?![^\W\d_]|[\u0300-\u036f])"
)


# The same in composed (NFC) text, as a cheap test before any decomposition.
_SECOND_VOWEL_TONED = re.compile("[oO][àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ]|[uU][ỳýỷỹỵỲÝỶỸỴ]")


class _FoldTable(dict[int, str]):
    """ord(char) -> folded text, filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in "đĐ":
            folded = "d"
        else:
            decomposed = unicodedata.normalize("NFD", char)
            folded = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
            folded = unicodedata.normalize("NFC", folded).casefold()
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str | None) -> str:
    """Lower-case ASCII-ish text: marks removed, đ→d; punctuation and spacing kept.

    Input is expected in NFC (everything in the archive is); a stray combining mark is
    dropped like any other mark."""
    if not text:
        return ""
    return text.translate(_TABLE)


def _first_vowel(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1) + match.group(3) + match.group(2)
    return match.group(4) + match.group(6) + match.group(5)


def tone_placement(text: str | None) -> str:
    """NFC text with one tone placement: on the first vowel of a closing oa/oe/uy.

    "Uỷ ban" and "Ủy ban", "hoà" and "hòa", "thuỷ" and "thủy" become the same, so the
    accented (exact) index and queries match whichever placement a page or a reader
    used; everything else is unchanged, and every syllable keeps its length."""
    if not text:
        return ""
    if _SECOND_VOWEL_TONED.search(text) is None:
        return text  # most texts: no oa/oe/uy with the tone on its second vowel
    if unicodedata.is_normalized("NFC", text):
        # Composed text (all of the archive's): the pairs are swapped as they stand,
        # with no decomposing of the whole text and composing it again.
        return _COMPOSED_PAIR.sub(_moved_tone, text)
    decomposed = unicodedata.normalize("NFD", text)
    if not any(tone in decomposed for tone in _TONES):
        return text
    return unicodedata.normalize("NFC", _SECOND_VOWEL_TONE.sub(_first_vowel, decomposed))


def _composed_pairs() -> dict[str, str]:
    """ "oà" -> "òa", "uỷ" -> "ủy", … for every first vowel, case and tone: the same
    rewrite as _SECOND_VOWEL_TONE, on composed characters."""
    pairs = {}
    for first in "oOuU":
        for second in "aAeE" if first in "oO" else "yY":
            for tone in _TONES:
                toned = unicodedata.normalize("NFC", second + tone)
                pairs[first + toned] = unicodedata.normalize("NFC", first + tone) + second
    return pairs


_PAIRS = _composed_pairs()
_COMPOSED_PAIR = re.compile(rf"(?<![qQ])(?:{_SECOND_VOWEL_TONED.pattern})(?![^\W\d_])")


def _moved_tone(match: re.Match[str]) -> str:
    return _PAIRS[match.group()]


def fold_char(char: str) -> str:
    """The folding of one character (what ``fold`` maps it to)."""
    return _TABLE[ord(char)]


def doc_number_key(number: str | None) -> str:
    """Key that makes "34-CT/TW", "34/CT-TW" and "34 ct tw" the same document number."""
    return _NON_KEY.sub("", fold(number))
