"""Neutralise spreadsheet formulas in CSV exports.

A crawled title such as ``=HYPERLINK("http://evil", "Bấm vào đây")`` or ``@SUM(...)``
becomes a live formula when a journalist opens an export in a spreadsheet. Every
field that starts with ``= + - @``, a tab or a carriage return gets a leading ``'``
(the OWASP advice), so it is shown as text. Works on a stream: Datasette sends CSV in
chunks, and a field (quoted, with newlines inside) may be split between chunks.
"""

from __future__ import annotations

import codecs
import re

DANGEROUS = frozenset("=+-@\t\r")
_START, _QSTART, _UNQUOTED, _QUOTED, _QUOTE_SEEN = range(5)
_UNQUOTED_END = re.compile(r"[,\n]")


class CsvNeutralizer:
    """Feed CSV bytes in any chunks; get back the same CSV with formulas defused."""

    def __init__(self) -> None:
        self.state = _START
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def feed(self, data: bytes, final: bool = False) -> bytes:
        text = self.decoder.decode(data, final)
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            state = self.state
            char = text[i]
            if state == _START:
                if char == '"':
                    out.append(char)
                    self.state = _QSTART
                elif char in ",\n":
                    out.append(char)
                elif char in DANGEROUS:
                    out.append("'" + char)
                    self.state = _UNQUOTED
                else:
                    out.append(char)
                    self.state = _UNQUOTED
                i += 1
            elif state == _QSTART:
                if char == '"':
                    out.append(char)
                    self.state = _QUOTE_SEEN
                else:
                    out.append("'" + char if char in DANGEROUS else char)
                    self.state = _QUOTED
                i += 1
            elif state == _UNQUOTED:
                match = _UNQUOTED_END.search(text, i)
                end = match.start() if match else n
                out.append(text[i:end])
                i = end
                if match:
                    out.append(text[end])
                    self.state = _START
                    i += 1
            elif state == _QUOTED:
                end = text.find('"', i)
                if end < 0:
                    out.append(text[i:])
                    i = n
                else:
                    out.append(text[i : end + 1])
                    self.state = _QUOTE_SEEN
                    i = end + 1
            else:  # _QUOTE_SEEN: an escaped quote, or the end of the quoted field
                out.append(char)
                if char == '"':
                    self.state = _QUOTED
                elif char in ",\n":
                    self.state = _START
                elif char != "\r":
                    self.state = _UNQUOTED
                i += 1
        return "".join(out).encode("utf-8")
