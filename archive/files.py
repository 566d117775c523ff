"""Attachments on disk: a content-addressed store, type sniffing and text extraction.

Articles link plans, decisions and forms (PDF, DOC/DOCX, XLS/XLSX, archives, scans).
Their bytes are kept once per content, under a name made only of their SHA-256, so the
same decision attached to forty articles is one file, and nothing a server says (a
``Content-Disposition`` filename, a URL) ever becomes part of a path: those are
metadata to show, never to open. The type is read from the bytes, because portals
routinely serve an HTML error page as ``ke-hoach.pdf``; what the URL or the header
claimed is kept next to it so such broken links can be listed.

Text extraction feeds full-text search. It runs on files written by strangers, so it
never raises and is capped in pages, characters and decompressed size.

``pypdf`` and ``python-docx`` are imported only when a PDF or DOCX is extracted; when
they are missing, extraction of those kinds returns ``None``.
"""

from __future__ import annotations

import codecs
import email.header
import hashlib
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, unquote_to_bytes, urlsplit

import olefile

# -- limits -----------------------------------------------------------------------------

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# One XML part of an Office file, decompressed. Real documents of hundreds of pages stay
# well under this; a ZIP bomb's document.xml does not.
MAX_XML_PART_BYTES = 20 * 1024 * 1024
# All parts of an Office file together, decompressed (python-docx reads every part).
MAX_ZIP_TOTAL_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
MAX_DISPLAY_NAME = 200
# Nested tables in a DOCX deeper than this are skipped (hostile files nest thousands).
_MAX_TABLE_DEPTH = 16

_SHA256 = re.compile(r"[0-9a-f]{64}")

# -- the store --------------------------------------------------------------------------


class FileTooLarge(Exception):
    """The content is over the store's size cap; nothing was written."""


@dataclass(frozen=True)
class StoredFile:
    """Where one stored content lives, and whether this call put it there."""

    sha256: str
    size: int
    path: Path
    created: bool


class FileStore:
    """Files named by their SHA-256 under ``root/<sha[:2]>/<sha[2:4]>/<sha256>``.

    Two levels of fan-out keep folders small (65,536 leaf folders) for hundreds of
    thousands of attachments. Names carry no extension: the type is data (see
    ``sniff_type``), and a name from the bytes alone cannot be steered by a server.
    """

    def __init__(self, root: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.root.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        return stored_path(self.root, sha256)

    def put(self, data: bytes) -> StoredFile:
        """Store ``data`` once; ``created`` is False when the same bytes were already there.

        The bytes go to a temporary file in the destination folder, are flushed to disk,
        then renamed over the final name (``os.replace`` is atomic within one file
        system), so a crash leaves at worst a stray ``.tmp-*`` file, never a truncated
        file under a digest name. Two writers racing on the same content both succeed
        with identical bytes; both may report ``created``.
        """
        size = len(data)
        if size > self.max_bytes:
            raise FileTooLarge(f"{size} bytes is over the limit of {self.max_bytes} bytes")
        digest = hashlib.sha256(data).hexdigest()
        path = self.path_for(digest)
        try:
            if path.stat().st_size == size:
                return StoredFile(digest, size, path, created=False)
            # A file of the wrong size under a digest name was damaged outside the
            # store: write the content again.
        except FileNotFoundError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            # mkstemp makes the file private (0600); stored files are read by other
            # processes of the same deployment (the web server), like the archive.
            os.chmod(tmp_name, 0o644)
            os.replace(tmp_name, path)
        except BaseException:
            try:
                os.unlink(tmp_name)
            except FileNotFoundError:
                pass
            raise
        _fsync_dir(path.parent)
        return StoredFile(digest, size, path, created=True)

    def open(self, sha256: str) -> bytes:
        """The bytes of a stored content (``FileNotFoundError`` if it is not stored)."""
        return self.path_for(sha256).read_bytes()


def stored_path(root: Path, sha256: str) -> Path:
    """Where a content lives under ``root``; only a 64-hex-digit digest is accepted, so no
    traversal. Readers (the reading room) use it without creating anything."""
    digest = _check_sha256(sha256)
    return root / digest[:2] / digest[2:4] / digest


def _check_sha256(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256.lower()):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256.lower()


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort elsewhere."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- type sniffing ----------------------------------------------------------------------

MIME = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
    "rar": "application/vnd.rar",
    "html": "text/html",
    "text": "text/plain",
    "other": "application/octet-stream",
}

_EXTENSION_KINDS = {
    "pdf": "pdf",
    "doc": "doc",
    "docx": "docx",
    "xls": "xls",
    "xlsx": "xlsx",
    "zip": "zip",
    "rar": "rar",
    **dict.fromkeys(("jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp"), "image"),
    **dict.fromkeys(("htm", "html", "xhtml"), "html"),
    **dict.fromkeys(("txt", "csv"), "text"),
}

_CONTENT_TYPE_KINDS = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/msword": "doc",
    MIME["docx"]: "docx",
    "application/vnd.ms-excel": "xls",
    MIME["xlsx"]: "xlsx",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "application/vnd.rar": "rar",
    "application/x-rar-compressed": "rar",
    "application/x-rar": "rar",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/csv": "text",
}

# Images we recognise by their first bytes, with their MIME type.
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)

# Other formats worth a precise MIME type even though their kind is "other".
_OTHER_MAGIC = (
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"\x1f\x8b", "application/gzip"),
    (b"{\\rtf", "application/rtf"),
)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

# WHATWG MIME sniffing: a document whose first tag is one of these is HTML.
_HTML_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body"
    rb"|br|p|meta|!--)[\s>/]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FileType:
    """What the bytes are (``kind``, ``mime``), what was claimed, and whether they differ."""

    kind: str
    mime: str
    claimed: str | None
    mismatch: bool


def sniff_type(data: bytes, *, url: str | None = None, content_type: str | None = None) -> FileType:
    """Type from the bytes; the URL extension and ``Content-Type`` are only claims.

    The claim is the URL's extension when it names a known type (it is what the article
    promised its readers), else the ``Content-Type`` when it is specific (not
    ``application/octet-stream``). ``mismatch`` flags a claim the bytes contradict,
    typically an HTML error page behind a ``.pdf`` link. A DOCX or XLSX claimed as ZIP
    is not a mismatch: those are ZIP files.
    """
    kind, mime = _sniff_bytes(data)
    claimed = _claim_from_url(url) or _claim_from_content_type(content_type)
    mismatch = claimed is not None and claimed != kind
    if claimed == "zip" and kind in ("docx", "xlsx"):
        mismatch = False
    return FileType(kind=kind, mime=mime, claimed=claimed, mismatch=mismatch)


def _sniff_bytes(data: bytes) -> tuple[str, str]:
    if data.startswith(b"%PDF-"):
        return "pdf", MIME["pdf"]
    if data.startswith(_ZIP_MAGIC):
        kind = _zip_kind(data)
        return kind, MIME[kind]
    if data.startswith(_OLE2):
        kind = _ole2_kind(data)
        return kind, MIME[kind]
    if data.startswith(b"Rar!\x1a\x07"):
        return "rar", MIME["rar"]
    for magic, mime in _IMAGE_MAGIC:
        if data.startswith(magic):
            return "image", mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image", "image/webp"
    if data[:2] == b"BM" and len(data) >= 26 and data[6:10] == b"\x00\x00\x00\x00":
        return "image", "image/bmp"  # "BM" alone is too weak; the reserved bytes are zero
    for magic, mime in _OTHER_MAGIC:
        if data.startswith(magic):
            return "other", mime
    head = data[:1024]
    # PDF readers accept the header anywhere in the first kilobyte (after junk bytes).
    if b"%PDF-" in head and not _looks_like_html(head):
        return "pdf", MIME["pdf"]
    if _looks_like_html(head):
        return "html", MIME["html"]
    if _looks_like_text(data[:8192]):
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
            return "text", "application/xml"
        return "text", MIME["text"]
    return "other", MIME["other"]


def _looks_like_html(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte order mark
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n\x0c")
    if _HTML_START.match(stripped):
        return True
    # XHTML, or an XML declaration / comment before the html element.
    return stripped.startswith((b"<?xml", b"<!")) and b"<html" in head.lower()


def _looks_like_text(sample: bytes) -> bool:
    """No NUL bytes and almost no control bytes: text in some 8-bit or UTF encoding."""
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\x0c\x1b")
    return controls <= len(sample) // 100


def _zip_kind(data: bytes) -> str:
    """docx / xlsx by their main part, else zip. Only the central directory is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            # A main part under another name is declared in [Content_Types].xml.
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                return "zip"
            types = archive.read(info)
    except Exception:
        # A damaged or truncated archive raises BadZipFile, KeyError, OSError, EOFError;
        # an encrypted member RuntimeError; the decompressors zlib.error or
        # NotImplementedError. Whatever it is, the bytes are still a ZIP.
        return "zip"
    if b"wordprocessingml.document.main" in types:
        return "docx"
    if b"spreadsheetml.sheet.main" in types:
        return "xlsx"
    return "zip"


def _ole2_kind(data: bytes) -> str:
    """doc or xls: a Word file has a "WordDocument" stream, Excel a "Workbook" (or "Book")."""
    names = _ole2_stream_names(data)
    if not names:
        # A directory we could not walk: look for the names in the first blocks.
        head = data[:65536]
        names = {
            name
            for name in ("WordDocument", "Workbook", "Book")
            if (name + "\x00").encode("utf-16-le") in head
        }
    if "WordDocument" in names:
        return "doc"
    if "Workbook" in names or "Book" in names:
        return "xls"
    return "doc"


def _ole2_stream_names(data: bytes) -> set[str]:
    """Top-level entry names of an OLE2 compound file, read by olefile. Always from a
    BytesIO: olefile takes a short ``bytes`` argument for a file *path*, and no crawled
    byte may ever name a file. A directory olefile cannot walk gives no names."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return {path[0] for path in ole.listdir(streams=True, storages=True) if path}
    except Exception:  # noqa: BLE001 - a hostile file may break olefile in any way
        return set()


def _claim_from_url(url: str | None) -> str | None:
    """The kind named by the URL path's extension, or by a file name in its query."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    kind = _EXTENSION_KINDS.get(_extension(unquote(parts.path)))
    if kind:
        return kind
    # /DownloadFile.aspx?file=ke-hoach.pdf and the like.
    for _, value in parse_qsl(parts.query):
        kind = _EXTENSION_KINDS.get(_extension(value))
        if kind:
            return kind
    return None


def _extension(name: str) -> str:
    base = re.split(r"[/\\]", name)[-1]
    stem, dot, ext = base.rpartition(".")
    return ext.strip().lower() if dot and stem else ""


def _claim_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime.startswith("image/"):
        return "image"
    # application/octet-stream, force-download and unknown types claim nothing.
    return _CONTENT_TYPE_KINDS.get(mime)


# -- text extraction --------------------------------------------------------------------


def extract_text(
    data: bytes, kind: str, *, max_chars: int = 200_000, max_pages: int = 200
) -> str | None:
    """Searchable text of a file, NFC, whitespace collapsed, at most ``max_chars``.

    ``None`` means no text could be had (a kind we do not read, an encrypted, damaged
    or oversized file, a missing library); ``""`` means the file was read and holds no
    text, e.g. a scanned PDF with no text layer (a candidate for OCR). Lines are kept
    (one per PDF text line, paragraph or table cell); runs of other whitespace become
    one space. Never raises.
    """
    try:
        if kind == "pdf":
            text = _pdf_text(data, max_chars=max_chars, max_pages=max_pages)
        elif kind == "docx":
            text = _docx_text(data, max_chars=max_chars)
        elif kind == "html":
            text = _html_text(data)
        elif kind == "text":
            text = _decode(data)
        else:
            return None
    except Exception:
        # The helpers catch the libraries' errors themselves; this is the last line for
        # anything they did not foresee (the contract is "never raises").
        return None
    if text is None:
        return None
    return _normalise(text, max_chars)


def _pdf_text(data: bytes, *, max_chars: int, max_pages: int) -> str | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Many official PDFs are "encrypted" with an empty user password only to
            # forbid printing or copying; every viewer opens them, so do we. A real
            # password (result 0, NOT_DECRYPTED) means no text.
            if not reader.decrypt(""):
                return None
        pages = reader.pages
        count = min(len(pages), max_pages)
    except Exception:
        # pypdf raises many types on damaged or hostile files (PdfReadError, but also
        # KeyError, ValueError, TypeError, RecursionError, zlib.error, and
        # DependencyError for AES without the cryptography package): all mean "no text".
        return None
    texts: list[str] = []
    total = 0
    for number in range(count):
        try:
            page_text = pages[number].extract_text() or ""
        except Exception:
            # One broken page (a bad font, a broken content stream) should not cost the
            # text of the others; same broad set of errors as above.
            continue
        texts.append(page_text)
        total += len(page_text)
        if total > 2 * max_chars:  # enough text even after whitespace is collapsed
            break
    return "\n".join(texts)


def _docx_text(data: bytes, *, max_chars: int) -> str | None:
    if not _office_zip_is_reasonable(data):
        return None
    try:
        import docx
        from docx.table import Table, _Cell
        from docx.text.paragraph import Paragraph
    except ImportError:
        return None

    def blocks(container: Any, depth: int) -> Iterator[str]:
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                yield block.text
            elif isinstance(block, Table) and depth < _MAX_TABLE_DEPTH:
                # Each <w:tc> once, in document order: Row.cells repeats merged cells.
                for tc in block._tbl.iter_tcs():
                    yield from blocks(_Cell(tc, block), depth + 1)

    try:
        document = docx.Document(io.BytesIO(data))
        texts: list[str] = []
        total = 0
        for text in blocks(document, 0):
            texts.append(text)
            total += len(text) + 1
            if total > 2 * max_chars:
                break
    except Exception:
        # python-docx raises on anything that is not a well-formed WordprocessingML
        # package (KeyError for missing parts, ValueError for a macro-enabled or template
        # content type, lxml's XMLSyntaxError, BadZipFile, ...): all mean "no text".
        return None
    return "\n".join(texts)


def _office_zip_is_reasonable(data: bytes) -> bool:
    """Refuse ZIP bombs from the central directory alone, before anything is inflated.

    Sizes are the declared ones; zipfile never inflates a member past its declared
    size (it stops and fails the CRC check), so a lying header cannot get around this.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:
        # BadZipFile, or struct/Value/OSError from a mangled central directory.
        return False
    if len(infos) > MAX_ZIP_MEMBERS:
        return False
    if sum(info.file_size for info in infos) > MAX_ZIP_TOTAL_BYTES:
        return False
    return all(
        info.file_size <= MAX_XML_PART_BYTES
        for info in infos
        if info.filename.lower().endswith((".xml", ".rels"))
    )


_BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd div dl dt figcaption footer form h1 h2 "
    "h3 h4 h5 h6 header hr li main nav ol option p pre section table tbody td tfoot th "
    "thead title tr ul".split()
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _html_text(data: bytes) -> str | None:
    import lxml.html
    from lxml import etree

    markup = _XML_UNSAFE.sub(" ", _XML_DECLARATION.sub("", _decode(data), count=1))
    if not markup.strip():
        return ""
    try:
        root = lxml.html.fromstring(markup)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        # "Document is empty" and the like: markup with nothing to parse.
        return None
    for element in list(root.iter("script", "style", "noscript", "template")):
        if element.getparent() is None:
            return ""  # the whole fragment is a script
        element.drop_tree()
    # text_content() glues "<td>Kế hoạch</td><td>4846</td>" into one word; a line break
    # after each block element keeps cells and paragraphs apart.
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    return str(root.text_content())


_DECLARED_CHARSET = re.compile(
    rb"""(?:charset|encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE
)


def _decode(data: bytes) -> str:
    """Bytes of a text or HTML file to str: BOM, strict UTF-8, declared charset, cp1258.

    Strict UTF-8 first because non-ASCII text that decodes as UTF-8 by accident is
    vanishingly rare; windows-1258 last because an undeclared legacy file from a
    Vietnamese office is most likely in it. (``scraper.parsing.encoding`` knows more
    legacy encodings, but ``archive`` does not depend on ``scraper``.)
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _DECLARED_CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), errors="replace")
        except (LookupError, UnicodeError, TypeError):
            pass  # unknown or non-text codec names ("zlib", "base64"): ignore the label
    return data.decode("cp1258", errors="replace")


# Invisible characters that split words for search: soft hyphen, zero-width space, word
# joiner, byte order mark.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


def _normalise(text: str, max_chars: int) -> str:
    # Lone surrogates (from broken PDF font maps) cannot be stored as UTF-8 by SQLite.
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    lines = (_SPACES.sub(" ", _CONTROLS.sub(" ", line)).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:max_chars]


# -- server-sent file names -------------------------------------------------------------

# Path separators, including look-alikes that would make a name *display* as a path.
_SEPARATORS = re.compile("[/\\\\\u2044\u2215\u29f8\uff0f\uff3c]")
_DRIVE = re.compile(r"^[A-Za-z]:")


def safe_display_name(name: str | None) -> str | None:
    """A server-sent file name made safe to show (never to use as a path).

    Keeps the last path segment only (``../``, absolute paths and Windows ``C:\\``
    paths are cut away), removes control and format characters (NUL, CR/LF, and the
    bidirectional overrides that make "gpj.exe" read as "exe.jpg"), normalises to NFC,
    and caps the length at 200 characters keeping a short extension. ``None`` when
    nothing is left.
    """
    if not name:
        return None
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    segments = [s for s in _SEPARATORS.split(name) if s.strip()]
    if not segments:
        return None
    name = _SPACES.sub(" ", _DRIVE.sub("", segments[-1])).strip()
    if not name or set(name) == {"."}:
        return None
    if len(name) > MAX_DISPLAY_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and 0 < len(ext) <= 10:
            name = stem[: MAX_DISPLAY_NAME - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:MAX_DISPLAY_NAME].rstrip()
    return name


_PARAMETER = re.compile(r"""(?:^|;)\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)""", re.DOTALL)
_ENCODED_WORD = re.compile(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def filename_from_content_disposition(value: str) -> str | None:
    """The file name of a ``Content-Disposition`` header, made safe to show.

    ``filename*`` (RFC 5987/6266: ``UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch.pdf``) wins over
    ``filename``. For plain ``filename`` the common server habits are undone: raw UTF-8
    bytes read as Latin-1 by the HTTP layer, percent-encoding (old ASP.NET), and MIME
    encoded words (``=?UTF-8?B?...?=``). Backslashes are unescaped only before ``"`` and
    ``\\``, so ``C:\\path\\file.pdf`` still reduces to ``file.pdf``.
    """
    if not value:
        return None
    parameters: dict[str, str] = {}
    for match in _PARAMETER.finditer(value):
        parameters.setdefault(match.group(1).lower(), match.group(2).strip())
    extended = parameters.get("filename*")
    if extended is not None:
        name = _decode_extended(_unquote(extended))
        if safe_display_name(name):
            return safe_display_name(name)
    plain = parameters.get("filename")
    if plain is None:
        return None
    return safe_display_name(_repair_plain(_unquote(plain)))


def _unquote(value: str) -> str:
    if value.startswith('"'):
        value = value[1:-1] if len(value) > 1 and value.endswith('"') else value[1:]
        value = re.sub(r'\\(["\\])', r"\1", value)
    return value


def _decode_extended(value: str) -> str:
    """RFC 5987 ``charset'language'percent-encoded``; UTF-8 when the charset is unusable."""
    charset, encoded = "utf-8", value
    if value.count("'") >= 2:
        charset, _language, encoded = value.split("'", 2)
    try:
        return unquote(encoded, encoding=charset.strip() or "utf-8", errors="strict")
    except (LookupError, UnicodeError):
        return unquote(encoded, encoding="utf-8", errors="replace")


def _repair_plain(name: str) -> str:
    if _ENCODED_WORD.search(name):
        try:
            name = str(email.header.make_header(email.header.decode_header(name)))
        except Exception:
            # The email package raises assorted errors (LookupError for an unknown
            # charset, binascii.Error, HeaderParseError) on a malformed encoded word;
            # keep the name as it came.
            pass
    if name and max(map(ord, name)) < 256 and not name.isascii():
        try:  # UTF-8 bytes that the HTTP layer decoded as Latin-1
            name = name.encode("latin-1").decode("utf-8")
        except UnicodeError:
            pass
    if name.isascii() and _PERCENT.search(name):
        try:
            name = unquote_to_bytes(name).decode("utf-8")
        except UnicodeError:
            pass
    return name
