"""Bytes as old Vietnamese pages carry them, for tests of decoding."""

from __future__ import annotations

import unicodedata

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_windows_1258(text: str) -> bytes:
    """``text`` as real windows-1258 pages carry it: the tone as a combining byte after
    the letter.

    Python's codec only encodes the precomposed letters 1258 has (â ă ê ô ơ ư đ and a
    few toned Latin-1 ones). Neither NFC (ạ has no byte) nor NFD (the combining
    circumflex has no byte) encodes, so: take the tone off, compose the rest, encode
    both. A character 1258 lacks entirely becomes an HTML character reference.
    """
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("windows-1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        try:
            out += (base + "".join(c for c in parts if c in TONE_MARKS)).encode("windows-1258")
        except UnicodeEncodeError:
            out += f"&#{ord(char)};".encode("ascii")
    return bytes(out)
