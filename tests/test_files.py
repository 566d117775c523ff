"""Attachment files on their own: the content-addressed store, type sniffing, text
extraction on real and hostile files, and server-sent names made safe to show."""

from __future__ import annotations

import io
import os
import struct
import unicodedata
import zipfile

import pytest

from archive import files
from archive.files import (
    FileStore,
    FileTooLarge,
    FileType,
    extract_text,
    filename_from_content_disposition,
    safe_display_name,
    sniff_type,
)
from scraper.sample_portal.files import make_docx, make_pdf

PLAN = ["Kế hoạch số 4846/KH-UBND", "Về việc tổ chức Đại hội thi đua yêu nước"]
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# "Sở Nội vụ" in windows-1258: tone marks are combining bytes after the vowel.
SO_NOI_VU_CP1258 = b"S\xf5\xd2 N\xf4\xf2i vu\xf2"
ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>404 - File or directory not found.</title></head>"
    b"<body><h2>404 - File or directory not found.</h2></body></html>"
)


# -- helpers: small real files ----------------------------------------------------------


def zip_of(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def make_xlsx() -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": "<Types/>",
            "xl/workbook.xml": '<workbook><sheets><sheet name="Sheet1"/></sheets></workbook>',
            "xl/worksheets/sheet1.xml": "<worksheet/>",
        }
    )


def ole2(names: list[str], *, extra: bytes = b"") -> bytes:
    """A minimal compound file: header, one FAT sector, a directory chain of 512-byte
    sectors holding ``names`` (Root Entry first), then ``extra`` as a data sector."""
    entries = ["Root Entry", *names]
    dir_sectors = (len(entries) + 3) // 4
    directory = bytearray(dir_sectors * 512)
    for index, name in enumerate(entries):
        raw = (name + "\x00").encode("utf-16-le")
        entry = index * 128
        directory[entry : entry + len(raw)] = raw
        struct.pack_into("<H", directory, entry + 0x40, len(raw))
        directory[entry + 0x42] = 5 if index == 0 else 2
        # The directory is a tree: the root's child is entry 1, each stream's right
        # sibling the next one (a valid, if lopsided, red-black tree).
        left, right = 0xFFFFFFFF, index + 1 if 0 < index < len(entries) - 1 else 0xFFFFFFFF
        child = 1 if index == 0 and len(entries) > 1 else 0xFFFFFFFF
        struct.pack_into("<III", directory, entry + 0x44, left, right, child)
        struct.pack_into("<II", directory, entry + 0x74, 0xFFFFFFFE, 0)
    for unused in range(len(entries), dir_sectors * 4):
        struct.pack_into("<III", directory, unused * 128 + 0x44, *[0xFFFFFFFF] * 3)
    # Sector 0 is the FAT; the directory is sectors 1..n, chained; then the data sector.
    fat = [0xFFFFFFFD] + [s + 1 for s in range(1, dir_sectors)] + [0xFFFFFFFE, 0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 0x2C, 1, 1, 0)
    struct.pack_into("<IIIII", header, 0x38, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    data_sector = extra.ljust(512, b"\x00")
    return bytes(header) + struct.pack("<128I", *fat) + bytes(directory) + data_sector


def set_declared_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite a member's uncompressed size in the ZIP central directory (a lying header)."""
    out = bytearray(data)
    position = out.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", out, position + 28)[0]
        if out[position + 46 : position + 46 + name_length] == member.encode():
            struct.pack_into("<I", out, position + 24, size)
            return bytes(out)
        position = out.find(b"PK\x01\x02", position + 4)
    raise AssertionError(f"{member} not in the central directory")


# -- the store ---------------------------------------------------------------------------


def test_put_stores_once_by_content(tmp_path):
    store = FileStore(tmp_path / "files")
    pdf = make_pdf(PLAN)
    first = store.put(pdf)
    second = store.put(pdf)
    assert first.created is True
    assert second.created is False
    assert first.sha256 == second.sha256 == files.hashlib.sha256(pdf).hexdigest()
    assert first.path == second.path
    assert first.size == len(pdf)
    stored = [p for p in (tmp_path / "files").rglob("*") if p.is_file()]
    assert stored == [first.path]
    assert store.open(first.sha256) == pdf


def test_path_is_inside_root_without_extension_or_name(tmp_path):
    root = tmp_path / "files"
    store = FileStore(root)
    stored = store.put(b"%PDF-1.4 ke-hoach.pdf ../../etc/passwd")
    sha = stored.sha256
    assert stored.path == root / sha[:2] / sha[2:4] / sha
    assert stored.path.resolve().is_relative_to(root.resolve())
    assert stored.path.suffix == ""
    assert stored.path.name == sha
    assert store.path_for(sha) == stored.path


def test_damaged_file_is_written_again(tmp_path):
    store = FileStore(tmp_path)
    stored = store.put(b"original bytes")
    stored.path.write_bytes(b"trunc")
    again = store.put(b"original bytes")
    assert again.created is True
    assert store.open(stored.sha256) == b"original bytes"


@pytest.mark.parametrize(
    "bad",
    ["../../etc/passwd", "g" * 64, "a" * 63, "a" * 65, "", "../" + "a" * 61, "a" * 64 + "\n"],
)
def test_open_rejects_anything_but_a_digest(tmp_path, bad):
    store = FileStore(tmp_path)
    with pytest.raises(ValueError):
        store.open(bad)
    with pytest.raises(ValueError):
        store.path_for(bad)


def test_open_of_missing_content(tmp_path):
    with pytest.raises(FileNotFoundError):
        FileStore(tmp_path).open("0" * 64)


def test_too_large_is_refused_and_nothing_written(tmp_path):
    store = FileStore(tmp_path / "files", max_bytes=10)
    assert store.put(b"0123456789").created is True
    with pytest.raises(FileTooLarge):
        store.put(b"0123456789A")
    assert len([p for p in (tmp_path / "files").rglob("*") if p.is_file()]) == 1


def test_crash_during_write_leaves_no_file(tmp_path, monkeypatch):
    store = FileStore(tmp_path)

    def crash(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(files.os, "replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        store.put(b"attachment")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    monkeypatch.undo()
    assert store.put(b"attachment").created is True


def test_stored_file_is_readable_by_others(tmp_path):
    stored = FileStore(tmp_path).put(b"x")
    assert stored.path.stat().st_mode & 0o777 == 0o644


# -- sniffing ----------------------------------------------------------------------------


def test_sniff_real_pdf():
    assert sniff_type(make_pdf(PLAN), url="http://x/vb/ke-hoach.pdf") == FileType(
        "pdf", "application/pdf", "pdf", False
    )


def test_sniff_real_docx():
    assert sniff_type(make_docx(PLAN), content_type="application/octet-stream") == FileType(
        "docx", DOCX_MIME, None, False
    )


def test_sniff_xlsx():
    assert sniff_type(make_xlsx(), url="http://x/bang-gia.xlsx") == FileType(
        "xlsx", XLSX_MIME, "xlsx", False
    )


def test_sniff_office_main_part_from_content_types():
    types = '<Types><Override PartName="/word/main.xml" ContentType="application/vnd.openxml'
    types += 'formats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    data = zip_of({"[Content_Types].xml": types, "word/main.xml": "<w:document/>"})
    assert sniff_type(data).kind == "docx"


def test_sniff_plain_zip():
    data = zip_of({"ho-so/mau-01.doc": b"x", "ho-so/mau-02.doc": b"y"})
    assert sniff_type(data, url="http://x/ho-so.zip") == FileType(
        "zip", "application/zip", "zip", False
    )


def test_docx_served_as_zip_is_no_mismatch():
    result = sniff_type(make_docx(PLAN), content_type="application/x-zip-compressed")
    assert (result.kind, result.claimed, result.mismatch) == ("docx", "zip", False)


def test_sniff_ole2_word_and_excel():
    assert sniff_type(ole2(["WordDocument", "1Table"]), url="http://x/qd.doc") == FileType(
        "doc", "application/msword", "doc", False
    )
    assert sniff_type(ole2(["Workbook"])) == FileType(
        "xls", "application/vnd.ms-excel", None, False
    )
    assert sniff_type(ole2(["Book"])).kind == "xls"  # Excel 5/95


def test_a_real_excel_97_workbook_is_xls_whatever_it_is_called():
    """A workbook as Excel 97 writes it (xlwt's BIFF8 in an OLE2 container, a sheet
    with Vietnamese cells), served as a .doc and as octet-stream: it is xls."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Bieu mau 01")
    for row, (unit, score) in enumerate([("Sở Nội vụ", 96), ("Sở Tư pháp", 91)]):
        sheet.write(row, 0, unit)
        sheet.write(row, 1, score)
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    found = sniff_type(data, url="http://x/bieu-mau.doc", content_type="application/octet-stream")
    assert (found.kind, found.mismatch) == ("xls", True)
    assert sniff_type(data, url="http://x/bieu-mau.xls").kind == "xls"


def test_sniff_ole2_follows_the_directory_chain():
    # WordDocument is the eighth entry: in the second directory sector.
    names = ["\x05SummaryInformation", "1Table", "Data", "ObjectPool", "a", "b", "WordDocument"]
    assert sniff_type(ole2(names)).kind == "doc"


def test_sniff_ole2_stream_names_not_text():
    # An Excel file whose cells mention "WordDocument" (stored as UTF-16) is still Excel.
    data = ole2(["Workbook"], extra="WordDocument\x00".encode("utf-16-le"))
    assert sniff_type(data).kind == "xls"


def test_sniff_ole2_header_only_defaults_to_doc():
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    assert sniff_type(header, url="http://x/bieu-mau.xls") == FileType(
        "doc", "application/msword", "xls", True
    )


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"GIF87a\x01\x00\x01\x00", "image/gif"),
    ],
)
def test_sniff_images(data, mime):
    assert sniff_type(data, url="http://x/anh.jpg") == FileType("image", mime, "image", False)


def test_sniff_rar():
    assert sniff_type(b"Rar!\x1a\x07\x00\xcf\x90s\x00", url="http://x/hs.rar") == FileType(
        "rar", "application/vnd.rar", "rar", False
    )
    assert sniff_type(b"Rar!\x1a\x07\x01\x00").kind == "rar"  # RAR 5


def test_html_error_page_served_as_pdf():
    result = sniff_type(
        ERROR_PAGE,
        url="https://sonoivu.example.gov.vn/Uploads/files/ke-hoach.pdf",
        content_type="application/pdf",
    )
    assert result == FileType("html", "text/html", "pdf", True)


def test_link_claim_wins_over_an_honest_content_type():
    # The server admits it is HTML, but the article promised a PDF: still broken.
    result = sniff_type(ERROR_PAGE, url="http://x/ke-hoach.pdf", content_type="text/html")
    assert (result.kind, result.claimed, result.mismatch) == ("html", "pdf", True)


def test_claim_from_download_script_query_and_content_type():
    url = "http://x/DownloadFile.aspx?id=12&file=ke-hoach%20so%204846.docx"
    assert sniff_type(make_pdf(PLAN), url=url) == FileType("pdf", "application/pdf", "docx", True)
    result = sniff_type(
        make_pdf(PLAN), url="http://x/Download.ashx?id=1", content_type="application/pdf; x=1"
    )
    assert (result.claimed, result.mismatch) == ("pdf", False)


def test_sniff_plain_text():
    data = "Kế hoạch số 4846/KH-UBND\nVề việc tổ chức Đại hội\n".encode()
    assert sniff_type(data, url="http://x/ghi-chu.txt") == FileType(
        "text", "text/plain", "text", False
    )


def test_sniff_binary_and_empty_are_other():
    assert sniff_type(bytes(range(256)) * 4) == FileType(
        "other", "application/octet-stream", None, False
    )
    assert sniff_type(b"", url="http://x/qd.pdf") == FileType(
        "other", "application/octet-stream", "pdf", True
    )


# -- text extraction ---------------------------------------------------------------------


def test_extract_pdf_text():
    # The sample PDF's Helvetica has no Vietnamese glyphs, so its text is ASCII-folded.
    assert extract_text(make_pdf(PLAN), "pdf") == (
        "Ke hoach so 4846/KH-UBND\nVe viec to chuc Dai hoi thi dua yeu nuoc"
    )


def test_extract_docx_text():
    assert extract_text(make_docx(PLAN), "docx") == (
        "Kế hoạch số 4846/KH-UBND\nVề việc tổ chức Đại hội thi đua yêu nước"
    )


def test_extract_docx_tables_in_order():
    import docx

    document = docx.Document()
    document.add_paragraph("Danh sách")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Số"
    table.cell(0, 1).text = "Trích yếu"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "4846/KH-UBND"
    document.add_paragraph("Hết")
    out = io.BytesIO()
    document.save(out)
    assert extract_text(out.getvalue(), "docx") == "Danh sách\nSố\nTrích yếu\n4846/KH-UBND\nHết"


def test_broken_pdf_is_none():
    pdf = make_pdf(PLAN)
    assert extract_text(pdf[:60], "pdf") is None
    assert extract_text(b"%PDF-1.4\n garbage \x00\xff" * 50, "pdf") is None
    assert extract_text(b"", "pdf") is None


def test_password_protected_pdf_is_none_but_empty_password_is_read():
    from pypdf import PdfReader, PdfWriter

    def encrypted(password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(PLAN))))
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assert extract_text(encrypted("secret"), "pdf") is None
    assert extract_text(encrypted(""), "pdf").startswith("Ke hoach so 4846/KH-UBND")


def test_pdf_page_and_char_caps():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for number in range(3):
        writer.add_page(PdfReader(io.BytesIO(make_pdf([f"Trang {number}"]))).pages[0])
    out = io.BytesIO()
    writer.write(out)
    assert extract_text(out.getvalue(), "pdf") == "Trang 0\nTrang 1\nTrang 2"
    assert extract_text(out.getvalue(), "pdf", max_pages=2) == "Trang 0\nTrang 1"
    assert extract_text(out.getvalue(), "pdf", max_chars=10) == "Trang 0\nTr"


def test_docx_bomb_is_refused_before_reading(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w") as member:
            member.write(b"<w:document><w:body><w:p><w:r><w:t>")
            chunk = b" " * (1024 * 1024)
            for _ in range(files.MAX_XML_PART_BYTES // len(chunk)):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    bomb = out.getvalue()
    assert len(bomb) < 100_000  # tiny on the wire, over 20 MB inflated

    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    assert extract_text(bomb, "docx") is None
    assert opened == []


def test_docx_with_a_lying_size_is_not_inflated_past_it():
    document = make_docx(["x" * 2_000_000])
    lying = set_declared_size(document, "word/document.xml", 1000)
    assert extract_text(lying, "docx") is None


@pytest.mark.parametrize(
    "data",
    [b"", b"PK\x03\x04 not a zip", make_pdf(PLAN), zip_of({"a.txt": "b"}), os.urandom(2048)],
)
def test_docx_extraction_of_anything_else_is_none(data):
    assert extract_text(data, "docx") is None


def test_extract_html_text():
    page = (
        "<html><head><title>Tin</title><style>p{}</style><script>var a = 1;</script></head>"
        "<body><p>Kế hoạch   số\t4846/KH-UBND</p><table><tr><td>Đại hội</td><td>2019</td>"
        "</tr></table><!-- comment --></body></html>"
    ).encode()
    assert extract_text(page, "html") == "Tin\nKế hoạch số 4846/KH-UBND\nĐại hội\n2019"


def test_extract_html_with_xml_declaration_and_legacy_charset():
    page = b'<?xml version="1.0" encoding="windows-1258"?><html><body><p>%s</p></body>'
    assert extract_text(page % SO_NOI_VU_CP1258, "html") == "Sở Nội vụ"


def test_extract_text_is_nfc_and_collapsed():
    decomposed = unicodedata.normalize("NFD", "Kế hoạch  \x00 số\u00ad 4846\r\n\r\n\n  Hết  ")
    assert extract_text(decomposed.encode(), "text") == "Kế hoạch số 4846\nHết"
    assert extract_text(SO_NOI_VU_CP1258, "text") == "Sở Nội vụ"
    assert extract_text(b"a " * 100, "text", max_chars=5) == "a a a"


@pytest.mark.parametrize("kind", ["doc", "xls", "xlsx", "zip", "rar", "image", "other"])
def test_kinds_without_text(kind):
    assert extract_text(b"anything", kind) is None


# -- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\evil.exe", "evil.exe"),
        ("/abs/path/QĐ 123.pdf", "QĐ 123.pdf"),
        ("", None),
        (None, None),
        ("..", None),
        ("../../", None),
        ("C:evil.exe", "evil.exe"),
        (unicodedata.normalize("NFD", "Kế hoạch.pdf"), "Kế hoạch.pdf"),
        ("ke\x00hoach\r\n.pdf", "kehoach.pdf"),
        ("hoa-don\u202efdp.exe", "hoa-donfdp.exe"),  # right-to-left override removed
        ("..\u2215..\u2215etc\u2215passwd", "passwd"),  # division-slash look-alikes
        ("  Quyết   định  ", "Quyết định"),
    ],
)
def test_safe_display_name(name, expected):
    assert safe_display_name(name) == expected


def test_safe_display_name_caps_length_keeping_extension():
    name = safe_display_name("Kế hoạch " * 40 + ".docx")
    assert len(name) == 200
    assert name.endswith(".docx")
    assert safe_display_name("x" * 300) == "x" * 200


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("attachment; filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch.pdf", "Kế hoạch.pdf"),
        (
            'attachment; filename="ke-hoach.pdf"; '
            "filename*=utf-8''K%E1%BA%BF%20ho%E1%BA%A1ch.pdf",
            "Kế hoạch.pdf",
        ),
        ('attachment; filename="QĐ 123.pdf"', "QĐ 123.pdf"),
        ('inline; filename="a;b \\"c\\".doc"', 'a;b "c".doc'),
        ("attachment; filename=bieu-mau.xls", "bieu-mau.xls"),
        ("attachment; FILENAME=../../etc/passwd", "passwd"),
        ('attachment; filename="C:\\Users\\vt\\Quyết định.pdf"', "Quyết định.pdf"),
        # raw UTF-8 bytes that the HTTP layer decoded as Latin-1
        ("attachment; filename=" + "Kế hoạch.pdf".encode().decode("latin-1"), "Kế hoạch.pdf"),
        ("attachment; filename=K%E1%BA%BF%20ho%E1%BA%A1ch.pdf", "Kế hoạch.pdf"),
        ('attachment; filename="=?UTF-8?B?S+G6vyBob+G6oWNoLnBkZg==?="', "Kế hoạch.pdf"),
        ("attachment; filename*=iso-8859-1'en'caf%E9.txt", "café.txt"),
        ("attachment", None),
        ("", None),
        ('attachment; filename=""', None),
    ],
)
def test_filename_from_content_disposition(header, expected):
    assert filename_from_content_disposition(header) == expected
