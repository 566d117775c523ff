"""Raw pages kept as WARC files, so every page can be parsed again with no network.

The SQLite archive says what an article *is*; these files keep what the server *sent*:
status, headers, body bytes and fetch time of every page, in the standard web-archive
format (WARC/1.1, read by warcio, pywb, the Wayback Machine tooling, …). The caller keeps
an index of :class:`WarcRef` in SQLite; :meth:`WarcStore.iter_records` rebuilds that index
from the files alone if it is ever lost.

Decisions, and why:

* **One gzip member per record.** A record can then be read by seeking to its offset and
  inflating ``length`` bytes, and damage to one record never spreads to the others.
* **Append-only, and never to a file that may be torn.** Each ``WarcStore`` writes to a
  file it created itself (exclusive create, so nothing is ever overwritten). After a
  restart, or after a write that failed half-way, the next record goes to a new file, so a
  record torn by a crash can only ever be the *last* thing in a file, where readers
  tolerate it. Every record is flushed to the OS as soon as it is written (a crashed
  process loses at most that record); files are fsynced when closed or rotated.
* **The body is the body we were given, not the bytes on the wire.** By the time a page
  reaches us the HTTP client has removed the chunking (Twisted keeps the
  ``Transfer-Encoding: chunked`` header) and usually the content coding. Left under their
  own names, ``Transfer-Encoding``/``Content-Encoding`` would make WARC readers decode the
  payload a second time (warcio's ``content_stream()`` and pywb replay both obey them), so
  they are stored renamed as ``X-Khotin-Original-<name>``, in place; ``Content-Length``
  is renamed the same way when it no longer matches the stored body. Nothing is added or
  dropped, and :meth:`WarcStore.read` undoes the renaming, so a re-parse sees exactly the
  headers and body the crawl saw. (Scrapy drops ``Content-Encoding`` itself when it
  decodes a body, so a remaining one names a coding it could not undo and the body is
  still encoded; the store cannot tell and does not guess, and ``read`` gives the header
  back under its own name either way.)
* **Headers are bytes.** Header text is the ISO-8859-1 view of the bytes received (what
  the crawler passes, and what HTTP libraries use), and it is written back as those exact
  bytes; warcio's own serialisation would percent-encode non-ASCII values, which would lose
  e.g. a UTF-8 file name in ``Content-Disposition``. Text outside ISO-8859-1 is written as
  UTF-8 and comes back as its ISO-8859-1 view.
* **SHA-256 digests**, in warcio's ``sha256:<base32>`` form, for both the payload and the
  whole block, so ``warcio check`` verifies the files; :class:`WarcRef` carries the payload
  digest in hex so :meth:`WarcStore.read` can prove the bytes it returns are the ones that
  were indexed.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import threading
import uuid
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, version
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

log = logging.getLogger(__name__)

WARC_VERSION = "1.1"
# Headers describing an encoding of the body that no longer applies to the stored payload.
TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding"})
RENAMED_PREFIX = "X-Khotin-Original-"
# Extension field keeping fetched_at exactly as given (WARC-Date is normalised to UTC "Z").
FETCHED_AT_FIELD = "Khotin-Fetched-At"
_PREFIX_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_CHUNK = 1024 * 1024
# zlib's default. Level 9 measured 7 MB/s against 23 MB/s on varied Vietnamese prose and
# saved under 1% on real portal pages.
GZIP_LEVEL = 6

HeadersIn = Sequence[tuple[str, str]] | Mapping[str, Sequence[str] | str]


class WarcError(Exception):
    """A WARC file is missing, damaged or does not hold what an index says it holds."""


@dataclass(frozen=True)
class WarcRef:
    """Where one response record is: enough to read it back with a single seek."""

    file: str  # file name relative to the store's folder; never derived from a URL
    offset: int  # byte offset of the gzip member holding the response record
    length: int  # length of that gzip member in bytes
    sha256: str  # hex SHA-256 of the payload (the body bytes)


@dataclass(frozen=True)
class RecordBytes:
    """A page's WARC records, compressed and ready to append: the response's gzip member
    (and its request's, when there is one)."""

    members: bytes
    response_length: int  # the response's gzip member, first in ``members``
    sha256: str  # hex SHA-256 of the payload (the body bytes)


def response_record(
    url: str,
    status: int,
    headers: HeadersIn,
    body: bytes,
    fetched_at: str,
    *,
    request_headers: Sequence[tuple[str, str]] | None = None,
    warcinfo_id: str | None = None,
) -> RecordBytes:
    """A page's response record (and its request's), built and compressed with no file
    open: the costly half of storing a page, which a distributed crawl's workers do so
    that its one writer only appends. ``warcinfo_id`` names the file's warcinfo record,
    when the builder knows which file the record goes to (WARC 1.1 makes it optional)."""
    if not isinstance(body, bytes | bytearray | memoryview):
        raise TypeError("body must be bytes")
    body = bytes(body)
    _check_url(url)
    if not isinstance(status, int) or not 100 <= status <= 999:
        raise WarcError(f"{url}: status {status!r} is not an HTTP status code")
    warc_date = _warc_date(fetched_at)
    stored_headers = _renamed(_header_list(headers), len(body))
    http = _ByteHeaders(f"{status} {_reason(status)}", stored_headers, protocol="HTTP/1.1")
    request = None
    if request_headers is not None:
        request = _ByteHeaders(
            f"GET {_request_target(url)} HTTP/1.1",
            _header_list(request_headers),
            is_http_request=True,
        )
    payload_sha = hashlib.sha256(body)
    builder = _Builder(None, gzip=False, warc_version=WARC_VERSION)
    info = {"WARC-Warcinfo-ID": warcinfo_id} if warcinfo_id else {}
    response = builder.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=http,
        warc_headers_dict={
            "WARC-Type": "response",
            "WARC-Record-ID": _record_id(),
            **info,
            "WARC-Target-URI": url,
            "WARC-Date": warc_date,
            FETCHED_AT_FIELD: fetched_at,
            "WARC-Payload-Digest": _warc_digest(payload_sha),
            "WARC-Block-Digest": _block_digest(http, body),
        },
    )
    members = [_gzip_member(builder.to_bytes(response))]
    if request is not None:
        request_record = builder.create_warc_record(
            url,
            "request",
            payload=BytesIO(b""),
            length=0,
            http_headers=request,
            warc_headers_dict={
                "WARC-Type": "request",
                "WARC-Record-ID": _record_id(),
                **info,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
                "WARC-Target-URI": url,
                "WARC-Date": warc_date,
                "WARC-Payload-Digest": _warc_digest(hashlib.sha256()),
                "WARC-Block-Digest": _block_digest(request, b""),
            },
        )
        members.append(_gzip_member(builder.to_bytes(request_record)))
    return RecordBytes(b"".join(members), len(members[0]), payload_sha.hexdigest())


@dataclass(frozen=True)
class StoredResponse:
    """A page as it was received (see the module docstring for the one exception)."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str  # ISO 8601 UTC, exactly as given when written


class _ByteHeaders(StatusAndHeaders):
    """warcio's status and headers, serialised as the exact bytes the text stands for.

    warcio's writer asks the HTTP headers for their byte form through
    ``compute_headers_buffer``; the default percent-encodes anything non-ASCII, which would
    not be the bytes received (see the module docstring).
    """

    def compute_headers_buffer(self, header_filter: object = None) -> None:
        lines = self.to_str().split("\r\n")  # ends with "": every line keeps its CRLF
        self.headers_buff = b"\r\n".join(_line_bytes(line) for line in lines) + b"\r\n"


class _Builder(WARCWriter):
    """warcio's record builder and serialiser, with SHA-256 wherever it digests itself
    (only warcinfo records: the others get their digests from us)."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")

    def to_bytes(self, record: ArcWarcRecord) -> bytes:
        """One record, uncompressed: warcio's own gzip is fixed at level 9, up to three
        times slower than level 6 on varied prose for under 1% smaller files, so the store
        compresses each record itself (still one gzip member per record)."""
        self.out = BytesIO()
        self.write_record(record)
        return self.out.getvalue()


class WarcStore:
    """A folder of ``<prefix>-YYYYMMDD-NNNNN.warc.gz`` files that only ever grows.

    Writing is thread-safe. Reading needs no open file and works on files written by any
    earlier or concurrent store, including the file currently being written.
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        max_file_bytes: int = 256 * 1024 * 1024,
        prefix: str = "khotin",
    ) -> None:
        if max_file_bytes <= 0:
            raise ValueError("max_file_bytes must be positive")
        if not _PREFIX_RE.fullmatch(prefix):
            raise ValueError(f"prefix {prefix!r}: use letters, digits, '.', '_' or '-'")
        self.folder = Path(folder)
        self.max_file_bytes = max_file_bytes
        self.prefix = prefix
        self._name_re = re.compile(rf"{re.escape(prefix)}-(\d{{8}})-(\d{{5,}})\.warc\.gz")
        if self.folder.exists() and not self.folder.is_dir():
            raise WarcError(f"{self.folder}: is not a folder")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarcError(f"{self.folder}: cannot create it ({exc.strerror})") from exc
        self._lock = threading.Lock()
        self._fh: BinaryIO | None = None
        self._file_name = ""
        self._records_in_file = 0
        self._warcinfo_id = ""
        self._next_warcinfo_id = _record_id()  # the next file's warcinfo record
        self._builder = _Builder(None, gzip=False, warc_version=WARC_VERSION)
        self._closed = False

    # -- writing ---------------------------------------------------------------------

    def write_response(
        self,
        url: str,
        status: int,
        headers: HeadersIn,
        body: bytes,
        fetched_at: str,
        *,
        request_headers: Sequence[tuple[str, str]] | None = None,
    ) -> WarcRef:
        """Append one fetched page (and its request, if given); return where it is.

        Everything is checked before a byte is written, so a bad argument never leaves a
        partial record behind. The returned ref points at a record that is complete and
        flushed, so it is safe to commit it to the index.
        """
        with self._lock:
            if self._closed:
                raise WarcError(f"{self.folder}: the WARC store is closed")
            # Built (and so checked) before a file is touched; it names the warcinfo
            # record of the file it goes to, the open one or the next.
            record = response_record(
                url,
                status,
                headers,
                body,
                fetched_at,
                request_headers=request_headers,
                warcinfo_id=self._warcinfo_id if self._fh is not None else self._next_warcinfo_id,
            )
            return self._append_record(record)

    def append(self, record: RecordBytes) -> WarcRef:
        """Append a record built by ``response_record`` elsewhere (a distributed crawl's
        worker, where the page was fetched); return where its response is."""
        with self._lock:
            if self._closed:
                raise WarcError(f"{self.folder}: the WARC store is closed")
            return self._append_record(record)

    def _append_record(self, record: RecordBytes) -> WarcRef:
        try:
            fh = self._current()
            offset = fh.tell()
            self._append(fh, record.members)
            self._records_in_file += 1
            ref = WarcRef(self._file_name, offset, record.response_length, record.sha256)
            if fh.tell() >= self.max_file_bytes:
                self._finish_file()
        except BaseException as exc:
            # The file may now end in a torn record: never write to it again.
            self._abandon_file()
            if isinstance(exc, OSError):
                raise WarcError(f"{self.folder}: cannot write WARC record ({exc})") from exc
            raise
        return ref

    def _current(self) -> BinaryIO:
        """The open file, or a new one (with its warcinfo record) when there is none."""
        if self._fh is None:
            fh, name = self._create_file()
            self._fh, self._file_name = fh, name
            self._records_in_file = 0
            info = self._builder.create_warcinfo_record(
                name,
                {
                    "software": f"khotin (warcio {_warcio_version()})",
                    "format": f"WARC File Format {WARC_VERSION}",
                    "conformsTo": "https://iipc.github.io/warc-specifications/"
                    "specifications/warc-format/warc-1.1/",
                    "description": "Pages as received by the khotin crawler. Content-Encoding "
                    "and Transfer-Encoding no longer apply to the stored payloads and are "
                    f"kept as {RENAMED_PREFIX}<name>.",
                },
            )
            # The ID the records built before the file existed already name.
            info.rec_headers.replace_header("WARC-Record-ID", self._next_warcinfo_id)
            self._warcinfo_id, self._next_warcinfo_id = self._next_warcinfo_id, _record_id()
            self._append(fh, _gzip_member(self._builder.to_bytes(info)))
        return self._fh

    @staticmethod
    def _append(fh: BinaryIO, data: bytes) -> None:
        """One write, then flush: what is acknowledged is in the OS, not in our buffers."""
        fh.write(data)
        fh.flush()

    def _create_file(self) -> tuple[BinaryIO, str]:
        """Create the next file of the sequence; exclusive, so nothing is overwritten."""
        number = max((n for n, _ in self._existing()), default=0) + 1
        day = datetime.now(UTC).strftime("%Y%m%d")
        for _ in range(1000):
            name = f"{self.prefix}-{day}-{number:05d}.warc.gz"
            try:
                return open(self.folder / name, "xb"), name
            except FileExistsError:
                number += 1  # another store in the same folder took it
        raise WarcError(f"{self.folder}: cannot find a free WARC file name")

    def _existing(self) -> list[tuple[int, str]]:
        """(sequence number, name) of this store's files in the folder, in write order."""
        found = []
        for path in self.folder.iterdir():
            match = self._name_re.fullmatch(path.name)
            if match and path.is_file():
                found.append((int(match.group(2)), path.name))
        return sorted(found)

    def _finish_file(self) -> None:
        """Close the current file for good, making it durable first."""
        fh, self._fh = self._fh, None
        if fh is not None:
            try:
                fh.flush()
                os.fsync(fh.fileno())
            finally:
                fh.close()

    def _abandon_file(self) -> None:
        """Stop writing to the current file after a failed write. A file that holds no
        complete page (a full disk fails at its first record) is removed, so failures
        leave no empty WARC files behind."""
        fh, self._fh = self._fh, None
        if fh is not None:
            try:
                fh.close()
            except OSError:
                pass
            if not self._records_in_file:
                try:
                    (self.folder / self._file_name).unlink()
                except OSError:
                    pass

    def close(self) -> None:
        """Finish the current file; the store refuses further writes (reads still work)."""
        with self._lock:
            self._closed = True
            self._finish_file()

    def __enter__(self) -> WarcStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------------------

    def read(self, ref: WarcRef) -> StoredResponse:
        """The page a ref points at, checked against the ref's SHA-256."""
        path = self._path(ref.file)
        if ref.offset < 0 or ref.length <= 0:
            raise WarcError(f"{ref.file}: bad offset/length {ref.offset}/{ref.length}")
        try:
            with open(path, "rb") as fh:
                fh.seek(ref.offset)
                member = fh.read(ref.length)
        except FileNotFoundError:
            raise WarcError(f"{ref.file}: no such WARC file in {self.folder}") from None
        except OSError as exc:
            raise WarcError(f"{ref.file}: cannot read ({exc.strerror})") from exc
        where = f"{ref.file} at offset {ref.offset}"
        if len(member) != ref.length:
            raise WarcError(f"{where}: file ends before the record does (truncated?)")
        try:
            decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
            record = decompressor.decompress(member) + decompressor.flush()
        except zlib.error as exc:
            raise WarcError(f"{where}: not a gzip member ({exc}); wrong offset?") from exc
        if not decompressor.eof or decompressor.unused_data:
            raise WarcError(f"{where}: length {ref.length} is not one whole gzip member")
        response = _parse_response(record, where)
        digest = hashlib.sha256(response.body).hexdigest()
        if digest != ref.sha256:
            raise WarcError(
                f"{where}: body SHA-256 is {digest}, the index expects {ref.sha256} "
                "(the file was changed or the index points at the wrong record)"
            )
        return response

    def iter_records(self) -> Iterator[tuple[WarcRef, StoredResponse]]:
        """Every response record of every file, in write order: an index can be rebuilt.

        A file whose end is torn (a crash while writing) yields its complete records and a
        warning. A complete record whose digests do not match raises WarcError: a changed
        archive is something to look at, not to skip silently.
        """
        for _, name in self._existing():
            for offset, length, record in _gzip_members(self.folder / name):
                where = f"{name} at offset {offset}"
                parsed, block = _read_record(record, where)
                if parsed.rec_type != "response":
                    continue
                response = _response(parsed, block, where)
                digest = hashlib.sha256(response.body).hexdigest()
                yield WarcRef(name, offset, length, digest), response

    def _path(self, name: str) -> Path:
        """The file a ref names, refusing anything that could point outside the folder."""
        if not name or name != Path(name).name or name in (".", "..") or "\\" in name:
            raise WarcError(f"{name!r}: not a WARC file name of this store")
        return self.folder / name


# -- helpers ---------------------------------------------------------------------------


def _warcio_version() -> str:
    try:
        return version("warcio")
    except PackageNotFoundError:  # pragma: no cover - metadata missing in odd installs
        return "unknown"


def _record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def _check_url(url: str) -> None:
    """WARC headers are text lines: a URL with a control character or space would break
    (or inject into) the record header, so it is refused rather than altered."""
    if not isinstance(url, str) or not url:
        raise WarcError("url must be a non-empty string")
    if _CONTROL.search(url):
        raise WarcError(f"{url!r}: URL contains whitespace or control characters")
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise WarcError(f"{url}: only http and https pages are stored")


def _warc_date(fetched_at: str) -> str:
    """WARC-Date (UTC, ``Z``, microseconds when given) from an ISO 8601 time; a time with
    no offset is taken to be UTC, as the store's callers write UTC."""
    try:
        moment = datetime.fromisoformat(fetched_at)
    except (TypeError, ValueError):
        raise WarcError(f"fetched_at {fetched_at!r} is not an ISO 8601 time") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    spec = "microseconds" if moment.microsecond else "seconds"
    return moment.isoformat(timespec=spec) + "Z"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return quote(target, safe="/?#[]@!$&'()*+,;=:%~-._")


def _header_list(headers: HeadersIn) -> list[tuple[str, str]]:
    """Headers as (name, value) pairs in order; refuses what would corrupt the header block
    (line breaks anywhere, a ':' or leading whitespace in a name)."""
    pairs: list[tuple[str, str]] = []
    if isinstance(headers, Mapping):
        for name, values in headers.items():
            for value in [values] if isinstance(values, str) else values:
                pairs.append((name, value))
    else:
        pairs = [(name, value) for name, value in headers]
    for name, value in pairs:
        if not isinstance(name, str) or not isinstance(value, str):
            raise WarcError(f"header {name!r}: names and values must be str")
        if not name or ":" in name or name[0] in " \t" or "\r" in name or "\n" in name:
            raise WarcError(f"header name {name!r} cannot be stored")
        if "\r" in value or "\n" in value:
            raise WarcError(f"header {name}: value contains a line break")
    return pairs


def _renamed(headers: list[tuple[str, str]], body_length: int) -> list[tuple[str, str]]:
    """Rename, in place, the headers that no longer describe the stored payload.

    Headers that already start with the prefix get it once more, so :func:`_restored`
    can undo this exactly whatever a server sent.
    """
    out = []
    for name, value in headers:
        lower = name.lower()
        stale = lower in TRANSFER_HEADERS or (
            lower == "content-length" and value.strip() != str(body_length)
        )
        if stale or lower.startswith(RENAMED_PREFIX.lower()):
            name = RENAMED_PREFIX + name
        out.append((name, value))
    return out


def _restored(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    size = len(RENAMED_PREFIX)
    return [
        (name[size:] if name.lower().startswith(RENAMED_PREFIX.lower()) else name, value)
        for name, value in headers
    ]


def _line_bytes(line: str) -> bytes:
    """One header line as bytes: ISO-8859-1 (the bytes received), or UTF-8 for text that
    cannot have come off the wire as such."""
    try:
        return line.encode("latin-1")
    except UnicodeEncodeError:
        return line.encode("utf-8")


def _warc_digest(digest: hashlib._Hash) -> str:
    return "sha256:" + base64.b32encode(digest.digest()).decode("ascii")


def _block_digest(http: StatusAndHeaders, payload: bytes) -> str:
    http.compute_headers_buffer()
    block = hashlib.sha256(http.headers_buff)
    block.update(payload)
    return _warc_digest(block)


def _gzip_member(record: bytes) -> bytes:
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(record) + compressor.flush()


def _gzip_members(path: Path) -> Iterator[tuple[int, int, bytes]]:
    """(offset, length, inflated bytes) of each gzip member of a file, stopping with a
    warning at a member that is torn or unreadable (what a crash leaves at the end)."""
    offset = 0
    with open(path, "rb") as fh:
        pending = b""
        while True:
            if not pending:
                pending = fh.read(_CHUNK)
                if not pending:
                    return
            decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
            pieces: list[bytes] = []
            used = 0
            try:
                while True:
                    pieces.append(decompressor.decompress(pending))
                    if decompressor.eof:
                        used += len(pending) - len(decompressor.unused_data)
                        pending = decompressor.unused_data
                        break
                    used += len(pending)
                    pending = fh.read(_CHUNK)
                    if not pending:
                        log.warning(
                            "%s: ignoring a torn record at offset %d (%d bytes); "
                            "a crash while it was written?",
                            path.name,
                            offset,
                            used,
                        )
                        return
            except zlib.error as exc:
                log.warning(
                    "%s: unreadable data from offset %d (%s); later records in this file "
                    "are ignored",
                    path.name,
                    offset,
                    exc,
                )
                return
            yield offset, used, b"".join(pieces)
            offset += used


def _read_record(record: bytes, where: str) -> tuple[ArcWarcRecord, bytes]:
    """One inflated WARC record parsed by warcio, with its whole block (HTTP head and body
    unparsed: the head is parsed here so its bytes come back exactly)."""
    try:
        parsed = next(iter(ArchiveIterator(BytesIO(record), no_record_parse=True)))
        block = parsed.raw_stream.read()
    except Exception as exc:
        raise WarcError(f"{where}: not a WARC record ({exc})") from exc
    declared = parsed.rec_headers.get_header("Content-Length")
    if declared is None or not declared.isdigit() or int(declared) != len(block):
        raise WarcError(f"{where}: record block is shorter or longer than its Content-Length")
    return parsed, block


def _parse_response(record: bytes, where: str) -> StoredResponse:
    return _response(*_read_record(record, where), where)


def _response(parsed: ArcWarcRecord, block: bytes, where: str) -> StoredResponse:
    """A stored response from one parsed WARC record, its block digest checked."""
    headers = parsed.rec_headers
    if parsed.rec_type != "response":
        raise WarcError(f"{where}: a {parsed.rec_type} record, not a response")
    expected = headers.get_header("WARC-Block-Digest")
    if expected and expected.startswith("sha256:"):
        actual = _warc_digest(hashlib.sha256(block))
        if actual != expected:
            raise WarcError(f"{where}: record block digest mismatch (the file was changed)")
    head, separator, body = block.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status_line = lines[0].split(b" ", 2)
    if not separator or len(status_line) < 2 or not status_line[1].isdigit():
        raise WarcError(f"{where}: no HTTP status line and headers in the response record")
    http_headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon:
            raise WarcError(f"{where}: malformed HTTP header line {line[:80]!r}")
        value = value[1:] if value.startswith(b" ") else value
        http_headers.append((name.decode("latin-1"), value.decode("latin-1")))
    return StoredResponse(
        url=headers.get_header("WARC-Target-URI") or "",
        status=int(status_line[1]),
        headers=_restored(http_headers),
        body=body,
        fetched_at=headers.get_header(FETCHED_AT_FIELD) or headers.get_header("WARC-Date"),
    )
