"""The WARC store on its own: pages come back byte for byte, files stay valid WARC for
other tools, and neither rotation, restarts nor a crash mid-record lose indexed pages."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.warc import StoredResponse, WarcError, WarcRef, WarcStore

FETCHED = "2026-11-30T03:04:05+00:00"
NAME_RE = re.compile(r"khotin-\d{8}-(\d{5})\.warc\.gz")

HTML_UTF8 = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Đại hội thi đua</title></head>"
    "<body><h1>Kế hoạch số 123/QĐ-UBND</h1><p>Sở Nội vụ tỉnh … “ngoặc kép”</p></body></html>"
).encode()
# Vietnamese typed in windows-1258 (base letters plus combining tone marks): not UTF-8.
HTML_1258 = (
    b"<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1258'>"
    b"</head><body><p>Ti\xea\xecng Vi\xea\xf2t \xf0a\xcc \xd0\xe3ng</p></body></html>"
)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 40 + b"\r\n\r\n%%EOF\n"


def pages() -> list[dict]:
    """Three pages as the crawler hands them over: list or dict headers, odd header bytes."""
    return [
        {
            "url": "https://sonoivu.example.gov.vn/tin-tuc/dai-hoi-thi-dua-1234.html",
            "status": 200,
            "headers": [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Encoding", "gzip"),
                ("Transfer-Encoding", "chunked"),
                ("Set-Cookie", "a=1; Path=/"),
                ("Set-Cookie", "b=2; Path=/"),
                ("X-Empty", ""),
                ("X-Spaces", "  padded  "),
            ],
            "body": HTML_UTF8,
            "fetched_at": FETCHED,
        },
        {
            "url": "http://soyte.example.gov.vn/Default.aspx?tabid=5&ItemID=77",
            "status": 404,
            "headers": {
                "Content-Type": ["text/html; charset=windows-1258"],
                "Content-Length": [str(len(HTML_1258))],
            },
            "body": HTML_1258,
            "fetched_at": "2026-11-30T03:04:06.250000+00:00",
        },
        {
            "url": "https://sotuphap.example.gov.vn/files/qd-123.pdf",
            "status": 200,
            "headers": [
                ("Content-Type", "application/pdf"),
                # UTF-8 file name as received, i.e. its ISO-8859-1 view (what the crawler gives)
                (
                    "Content-Disposition",
                    'attachment; filename="Quyết định.pdf"'.encode().decode("latin-1"),
                ),
                ("Content-Length", "999"),
            ],
            "body": PDF,
            "fetched_at": "2026-11-30T03:04:07Z",
        },
    ]


def flat(headers) -> list[tuple[str, str]]:
    if isinstance(headers, dict):
        return [(name, value) for name, values in headers.items() for value in values]
    return list(headers)


def assert_same(stored: StoredResponse, page: dict) -> None:
    assert stored.url == page["url"]
    assert stored.status == page["status"]
    assert stored.headers == flat(page["headers"])
    assert stored.body == page["body"]
    assert stored.fetched_at == page["fetched_at"]


def page(n: int, size: int = 4000) -> dict:
    """A page with an incompressible body, so file sizes are predictable."""
    return {
        "url": f"https://s.example.gov.vn/tin/{n}.html",
        "status": 200,
        "headers": [("Content-Type", "text/html")],
        "body": os.urandom(size),
        "fetched_at": FETCHED,
    }


def warc_files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def store(tmp_path):
    with WarcStore(tmp_path / "warc") as warc:
        yield warc


# -- round trip ------------------------------------------------------------------------


def test_round_trip_html_windows_1258_and_pdf(store):
    written = [(store.write_response(**p), p) for p in pages()]
    for ref, p in written:
        assert ref.sha256 == hashlib.sha256(p["body"]).hexdigest()
        assert_same(store.read(ref), p)
    assert [ref for ref, _ in store.iter_records()] == [ref for ref, _ in written]
    for (_, stored), (_, p) in zip(store.iter_records(), written, strict=True):
        assert_same(stored, p)


def test_a_second_store_reads_what_the_first_wrote(tmp_path):
    with WarcStore(tmp_path) as first:
        refs = [first.write_response(**p) for p in pages()]
    reader = WarcStore(tmp_path)
    for ref, p in zip(refs, pages(), strict=True):
        assert_same(reader.read(ref), p)


def test_request_record_is_written_next_to_its_response(store):
    p = pages()[0]
    ref = store.write_response(
        **p, request_headers=[("User-Agent", "khotin/0.1"), ("Accept-Encoding", "gzip, br")]
    )
    store.close()
    assert_same(store.read(ref), p)
    with open(store.folder / ref.file, "rb") as fh:
        records = [
            (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(fh)
        ]
    assert [r[0] for r in records] == ["warcinfo", "response", "request"]
    response, request = records[1][1], records[2][1]
    assert request.get_header("WARC-Concurrent-To") == response.get_header("WARC-Record-ID")
    assert request.get_header("WARC-Target-URI") == p["url"]
    assert records[2][2].protocol == "GET"
    assert records[2][2].statusline == "/tin-tuc/dai-hoi-thi-dua-1234.html HTTP/1.1"
    assert records[2][2].get_header("User-Agent") == "khotin/0.1"


def test_fetched_at_in_another_zone_is_kept_and_warc_date_is_utc(store):
    p = {**pages()[0], "fetched_at": "2026-11-30T10:04:05+07:00"}
    ref = store.write_response(**p)
    assert store.read(ref).fetched_at == "2026-11-30T10:04:05+07:00"
    with open(store.folder / ref.file, "rb") as fh:
        dates = [r.rec_headers.get_header("WARC-Date") for r in ArchiveIterator(fh)]
    assert dates[1] == "2026-11-30T03:04:05Z"


def test_unknown_status_gets_reason_unknown(store):
    ref = store.write_response(**{**pages()[0], "status": 599})
    assert store.read(ref).status == 599
    with open(store.folder / ref.file, "rb") as fh:
        response = [r for r in ArchiveIterator(fh) if r.rec_type == "response"][0]
    assert response.http_headers.statusline == "599 Unknown"
    assert response.http_headers.protocol == "HTTP/1.1"


# -- what other WARC tools see ----------------------------------------------------------


def test_files_are_valid_for_warcio(store):
    written = [
        (store.write_response(**p, request_headers=[("User-Agent", "k")]), p) for p in pages()
    ]
    store.close()
    (name,) = warc_files(store.folder)
    seen = []
    with open(store.folder / name, "rb") as fh:
        iterator = ArchiveIterator(fh, check_digests="raise")
        for record in iterator:
            body = record.content_stream().read()
            seen.append(
                (
                    record.rec_type,
                    record.rec_headers.get_header("WARC-Target-URI"),
                    body,
                    iterator.get_record_offset(),
                    iterator.get_record_length(),
                )
            )
            assert record.rec_headers.protocol == "WARC/1.1"
            assert record.digest_checker.passed is not False
    assert [s[0] for s in seen] == ["warcinfo"] + ["response", "request"] * 3
    responses = [s for s in seen if s[0] == "response"]
    for (ref, p), (_, uri, body, offset, length) in zip(written, responses, strict=True):
        assert uri == p["url"]
        # warcio decodes nothing a second time: the renamed headers keep it from trying
        assert body == p["body"]
        # our refs are warcio's own index entries
        assert (ref.offset, ref.length) == (offset, length)
    assert all(s[1] == p["url"] for s, p in zip(seen[2::2], pages(), strict=True))


def test_headers_that_no_longer_apply_are_renamed_in_the_file(store):
    ref = store.write_response(**pages()[0])
    pdf_ref = store.write_response(**pages()[2])
    kept_ref = store.write_response(**pages()[1])
    store.close()
    with open(store.folder / ref.file, "rb") as fh:
        http = {
            r.rec_headers.get_header("WARC-Target-URI"): r.http_headers
            for r in ArchiveIterator(fh)
            if r.rec_type == "response"
        }
    first = http[pages()[0]["url"]]
    assert first.get_header("Content-Encoding") is None
    assert first.get_header("Transfer-Encoding") is None
    assert first.get_header("X-Khotin-Original-Content-Encoding") == "gzip"
    assert first.get_header("X-Khotin-Original-Transfer-Encoding") == "chunked"
    # a Content-Length that does not match the stored body is renamed; a right one is kept
    assert http[pages()[2]["url"]].get_header("Content-Length") is None
    assert http[pages()[2]["url"]].get_header("X-Khotin-Original-Content-Length") == "999"
    assert http[pages()[1]["url"]].get_header("Content-Length") == str(len(HTML_1258))
    # and the caller still gets exactly what it gave
    assert store.read(pdf_ref).headers == flat(pages()[2]["headers"])
    assert store.read(kept_ref).headers == flat(pages()[1]["headers"])


def test_a_header_that_already_has_the_prefix_comes_back_unchanged(store):
    headers = [
        ("X-Khotin-Original-Content-Encoding", "server sent this"),
        ("content-encoding", "br"),
    ]
    ref = store.write_response(**{**pages()[0], "headers": headers})
    assert store.read(ref).headers == headers


def test_header_bytes_are_stored_as_received(store):
    p = pages()[2]
    ref = store.write_response(**p)
    with open(store.folder / ref.file, "rb") as fh:
        fh.seek(ref.offset)
        record = gzip.decompress(fh.read(ref.length))
    assert 'filename="Quyết định.pdf"'.encode() in record  # not percent-encoded


# -- files: names, rotation, restarts ----------------------------------------------------


def test_file_names_never_come_from_the_url(store):
    evil = "https://x.example/../../etc/passwd%2F..%2F/evil.warc.gz?f=/tmp/owned&n=khotin-1"
    ref = store.write_response(**{**pages()[0], "url": evil})
    assert NAME_RE.fullmatch(ref.file)
    assert "evil" not in ref.file and "passwd" not in ref.file
    assert warc_files(store.folder) == [ref.file]
    assert store.read(ref).url == evil


def test_rotation_makes_several_files_and_every_ref_still_reads(tmp_path):
    with WarcStore(tmp_path, max_file_bytes=20_000) as store:
        written = [(store.write_response(**p), p) for p in (page(n) for n in range(30))]
    names = warc_files(tmp_path)
    assert len(names) >= 5
    assert [int(NAME_RE.fullmatch(n).group(1)) for n in names] == list(range(1, len(names) + 1))
    for ref, p in written:
        assert_same(store.read(ref), p)
    assert [ref for ref, _ in store.iter_records()] == [ref for ref, _ in written]
    for name in names:
        with open(tmp_path / name, "rb") as fh:
            types = [r.rec_type for r in ArchiveIterator(fh)]
        assert types[0] == "warcinfo" and set(types[1:]) == {"response"}
        # a file is closed once it reaches the limit, so it overshoots by one record at most
        assert (tmp_path / name).stat().st_size < 20_000 + 4_000 + 1_000


def test_a_new_store_starts_a_new_file_and_old_refs_still_read(tmp_path):
    with WarcStore(tmp_path) as first:
        old = [(first.write_response(**p), p) for p in pages()]
    (old_name,) = warc_files(tmp_path)
    old_bytes = (tmp_path / old_name).read_bytes()
    with WarcStore(tmp_path) as second:
        new = [(second.write_response(**p), p) for p in pages()]
        assert {ref.file for ref, _ in new} != {old_name}
        for ref, p in old + new:
            assert_same(second.read(ref), p)
        assert [ref for ref, _ in second.iter_records()] == [ref for ref, _ in old + new]
    first_no, second_no = (int(NAME_RE.fullmatch(n).group(1)) for n in warc_files(tmp_path))
    assert second_no == first_no + 1
    assert (tmp_path / old_name).read_bytes() == old_bytes  # never appended to


def test_numbers_keep_increasing_whatever_the_date_in_the_name(tmp_path):
    (tmp_path / "khotin-20200101-00041.warc.gz").write_bytes(b"")
    (tmp_path / "other-20200101-00099.warc.gz").write_bytes(b"")
    with WarcStore(tmp_path) as store:
        ref = store.write_response(**pages()[0])
    assert NAME_RE.fullmatch(ref.file).group(1) == "00042"


def test_nothing_is_created_until_something_is_written(tmp_path):
    with WarcStore(tmp_path / "warc"):
        pass
    assert warc_files(tmp_path / "warc") == []


# -- damage ---------------------------------------------------------------------------


@pytest.mark.parametrize("cut", [1, 30, "half"])
def test_torn_last_record_leaves_the_earlier_ones_readable(tmp_path, cut, caplog):
    with WarcStore(tmp_path) as store:
        written = [(store.write_response(**p), p) for p in (page(n) for n in range(5))]
    last = written[-1][0]
    path = tmp_path / last.file
    cut = last.length // 2 if cut == "half" else cut
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size - cut)

    reader = WarcStore(tmp_path)
    found = list(reader.iter_records())
    assert [ref for ref, _ in found] == [ref for ref, _ in written[:-1]]
    for (ref, stored), (_, p) in zip(found, written, strict=False):
        assert_same(stored, p)
        assert_same(reader.read(ref), p)
    assert "torn record" in caplog.text
    with pytest.raises(WarcError, match="truncated"):
        reader.read(last)
    # after the crash, writing goes on in a new file, never after the torn record
    ref = reader.write_response(**page(99))
    assert ref.file != last.file
    assert [r for r, _ in reader.iter_records()][-1] == ref


def test_a_zero_filled_tail_is_ignored_too(tmp_path):
    with WarcStore(tmp_path) as store:
        written = [store.write_response(**p) for p in pages()]
    with open(tmp_path / written[0].file, "ab") as fh:
        fh.write(b"\0" * 4096)  # what a power cut can leave after delayed allocation
    assert [ref for ref, _ in WarcStore(tmp_path).iter_records()] == written


def test_tampered_body_is_detected(store):
    p = pages()[0]
    ref = store.write_response(**p)
    store.close()
    path = store.folder / ref.file
    data = path.read_bytes()
    record = gzip.decompress(data[ref.offset : ref.offset + ref.length])
    changed = record.replace(b"<h1>", b"<h2>")
    assert changed != record and len(changed) == len(record)
    member = gzip.compress(changed)
    path.write_bytes(data[: ref.offset] + member + data[ref.offset + ref.length :])
    tampered = WarcRef(ref.file, ref.offset, len(member), ref.sha256)
    with pytest.raises(WarcError, match="digest mismatch|SHA-256"):
        store.read(tampered)
    with pytest.raises(WarcError, match="digest mismatch"):
        list(store.iter_records())


def test_index_pointing_at_other_bytes_is_detected(store):
    ref = store.write_response(**pages()[0])
    other = store.write_response(**pages()[1])
    with pytest.raises(WarcError, match="SHA-256"):
        store.read(WarcRef(ref.file, other.offset, other.length, ref.sha256))
    with pytest.raises(WarcError, match="gzip"):
        store.read(WarcRef(ref.file, ref.offset + 3, ref.length, ref.sha256))
    with pytest.raises(WarcError, match="one whole gzip member"):
        store.read(WarcRef(ref.file, ref.offset, ref.length + other.length, ref.sha256))


def test_flipped_compressed_byte_is_detected(store):
    ref = store.write_response(**pages()[2])
    store.close()
    path = store.folder / ref.file
    data = bytearray(path.read_bytes())
    data[ref.offset + ref.length // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(WarcError):
        store.read(ref)


def test_missing_file_and_foreign_paths_are_clear_errors(store):
    ref = store.write_response(**pages()[0])
    with pytest.raises(WarcError, match="no such WARC file"):
        store.read(WarcRef("khotin-20000101-00007.warc.gz", 0, 10, ref.sha256))
    for name in ("../khotin.db", "/etc/passwd", "", "..", "sub/x.warc.gz"):
        with pytest.raises(WarcError, match="not a WARC file name"):
            store.read(WarcRef(name, 0, 10, ref.sha256))


# -- refusing input that would corrupt a record -------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"url": "https://x.example/a\r\nWARC-Type: revisit"},
        {"url": "https://x.example/a b"},
        {"url": "file:///etc/passwd"},
        {"headers": [("X-Bad", "a\r\nInjected: 1")]},
        {"headers": [("Bad:Name", "x")]},
        {"headers": [(" Folded", "x")]},
        {"status": 42},
        {"fetched_at": "yesterday"},
    ],
)
def test_bad_input_is_refused_before_anything_is_written(store, change):
    with pytest.raises(WarcError):
        store.write_response(**{**pages()[0], **change})
    assert warc_files(store.folder) == []


def test_closed_store_refuses_writes_but_reads(tmp_path):
    store = WarcStore(tmp_path)
    ref = store.write_response(**pages()[0])
    store.close()
    store.close()
    with pytest.raises(WarcError, match="closed"):
        store.write_response(**pages()[1])
    assert_same(store.read(ref), pages()[0])


def test_failed_write_never_leaves_a_file_to_append_to(tmp_path):
    store = WarcStore(tmp_path)
    first = store.write_response(**pages()[0])

    class DiskFull:
        """The open file, filling up half-way through the next record."""

        def __init__(self, fh):
            self.fh = fh

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            self.fh.flush()
            raise OSError(28, "No space left on device")

    store._fh = DiskFull(store._fh)
    with pytest.raises(WarcError, match="No space left"):
        store.write_response(**pages()[1])
    second = store.write_response(**pages()[1])
    store.close()
    assert second.file != first.file
    assert_same(store.read(first), pages()[0])
    assert_same(store.read(second), pages()[1])
    assert [ref for ref, _ in store.iter_records()] == [first, second]


def test_gzip_member_per_record(store):
    """Each record is its own gzip member: the reason a ref can be read with one seek."""
    refs = [store.write_response(**p) for p in pages()]
    data = (store.folder / refs[0].file).read_bytes()
    for ref in refs:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        decompressor.decompress(data[ref.offset : ref.offset + ref.length])
        assert decompressor.eof and not decompressor.unused_data


def test_the_store_does_not_need_scrapy():
    """archive/ is shared by tools that must work without the crawler installed."""
    code = "import sys, archive.warc; sys.exit('scrapy' in sys.modules or 'twisted' in sys.modules)"
    root = Path(__file__).resolve().parent.parent
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0
