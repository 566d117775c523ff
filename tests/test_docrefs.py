"""Official document numbers as journalists search for them."""

from __future__ import annotations

import unicodedata

import pytest

from scraper.parsing.docrefs import DocRef, find_doc_refs, number_key

from sample_article import SAMPLE_TEXT

Ref = tuple[str, str | None, str | None, str | None]  # number, type, issuer, date

# (text, expected [(number, type, issuer, date)])
CASES: list[tuple[str, list[Ref]]] = [
    # The shapes listed in DESIGN.md §3.
    ("4846/KH-UBND", [("4846/KH-UBND", "KH", "UBND", None)]),
    ("34-CT/TW", [("34-CT/TW", "CT", "TW", None)]),
    ("05/CT-TW", [("05/CT-TW", "CT", "TW", None)]),
    ("17/2007/CT-UBND", [("17/2007/CT-UBND", "CT", "UBND", None)]),
    ("123/QĐ-UBND", [("123/QĐ-UBND", "QĐ", "UBND", None)]),
    ("67/KH-SVHTTDL", [("67/KH-SVHTTDL", "KH", "SVHTTDL", None)]),
    ("23-KH/ĐUK", [("23-KH/ĐUK", "KH", "ĐUK", None)]),
    # With the document word in front.
    ("Nghị định số 30/2020/NĐ-CP", [("30/2020/NĐ-CP", "NĐ", "CP", None)]),
    ("Thông tư 01/2021/TT-BNV", [("01/2021/TT-BNV", "TT", "BNV", None)]),
    ("Quyết định số 1234/QĐ-UBND", [("1234/QĐ-UBND", "QĐ", "UBND", None)]),
    ("Công văn số 1520/UBND-KT", [("1520/UBND-KT", "CV", "UBND", None)]),
    ("Kế hoạch số 88/UBND-VX", [("88/UBND-VX", "KH", "UBND", None)]),
    ("1520/UBND-KT", [("1520/UBND-KT", None, "UBND", None)]),
    ("theo số 245/TB-SNV", [("245/TB-SNV", "TB", "SNV", None)]),
    ("Nghị quyết 18-NQ/TW", [("18-NQ/TW", "NQ", "TW", None)]),
    ("Kết luận số 01-KL/TW", [("01-KL/TW", "KL", "TW", None)]),
    ("Hướng dẫn 09-HD/BTGTW", [("09-HD/BTGTW", "HD", "BTGTW", None)]),
    ("Báo cáo số 321/BC-SNV", [("321/BC-SNV", "BC", "SNV", None)]),
    ("Tờ trình số 45/TTr-SNV", [("45/TTr-SNV", "TTr", "SNV", None)]),
    ("Chương trình 12/CTr-UBND", [("12/CTr-UBND", "CTr", "UBND", None)]),
    ("Quy chế 7/QC-UBND", [("7/QC-UBND", "QC", "UBND", None)]),
    ("Công điện số 15/CĐ-TTg", [("15/CĐ-TTg", "CĐ", "TTg", None)]),
    (
        "Thông tư liên tịch số 23/2015/TTLT-BTP-BTC",
        [("23/2015/TTLT-BTP-BTC", "TTLT", "BTP-BTC", None)],
    ),
    ("Công văn số 12/TTg-KGVX", [("12/TTg-KGVX", "CV", "TTg", None)]),
    # A law has no type code; we do not invent one.
    ("Luật số 52/2019/QH14", [("52/2019/QH14", None, "QH14", None)]),
    # Variants: "QD" typed without Đ (normalised to QĐ), spaces, lower case, en dash, "Số:".
    ("Quyết định 123/QD-UBND", [("123/QĐ-UBND", "QĐ", "UBND", None)]),
    ("Kế hoạch số 4846 /KH-UBND", [("4846/KH-UBND", "KH", "UBND", None)]),
    ("Kế hoạch số 4846/ KH - UBND", [("4846/KH-UBND", "KH", "UBND", None)]),
    ("Quyết định số 12/qđ-ubnd", [("12/QĐ-UBND", "QĐ", "UBND", None)]),
    ("số 4846/KH–UBND", [("4846/KH-UBND", "KH", "UBND", None)]),
    ("Số: 4846/KH-UBND", [("4846/KH-UBND", "KH", "UBND", None)]),
    ("Kế hoạch số 4846/KH-UBND - Ban Thi đua", [("4846/KH-UBND", "KH", "UBND", None)]),
    ("Kế hoạch số 4846/KH-UBND - về việc tổ chức", [("4846/KH-UBND", "KH", "UBND", None)]),
    ("(Kế hoạch 4846/KH-UBND).", [("4846/KH-UBND", "KH", "UBND", None)]),
    # Issue dates after the number …
    (
        "Kế hoạch số 4846/KH-UBND ngày 24/9/2019",
        [("4846/KH-UBND", "KH", "UBND", "2019-09-24")],
    ),
    (
        "Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị",
        [("34-CT/TW", "CT", "TW", "2014-04-07")],
    ),
    (
        "Quyết định số 12/QĐ-UBND ngày 5 tháng 1 năm 2020",
        [("12/QĐ-UBND", "QĐ", "UBND", "2020-01-05")],
    ),
    (
        "Quyết định số 1234/QĐ-UBND của UBND tỉnh ngày 5/1/2020",
        [("1234/QĐ-UBND", "QĐ", "UBND", "2020-01-05")],
    ),
    (
        "Nghị định 30/2020/NĐ-CP, ban hành ngày 05/3/2020",
        [("30/2020/NĐ-CP", "NĐ", "CP", "2020-03-05")],
    ),
    (
        "Quyết định số 09/2019/QĐ-TTg ngày 15/02/2019",
        [("09/2019/QĐ-TTg", "QĐ", "TTg", "2019-02-15")],
    ),
    # … or before it, in the same sentence, with "ban hành" in between.
    (
        "Ngày 24/9/2019, UBND tỉnh Bình Dương ban hành Kế hoạch số 4846/KH-UBND về việc",
        [("4846/KH-UBND", "KH", "UBND", "2019-09-24")],
    ),
    (
        "Ngày 24/9/2019, Sở họp. Sở ban hành Kế hoạch số 4846/KH-UBND",
        [("4846/KH-UBND", "KH", "UBND", None)],
    ),
    (
        "Ngày 24/9/2019, UBND ban hành Kế hoạch số 1/KH-UBND để thực hiện Chỉ thị 2/CT-TTg",
        [("1/KH-UBND", "KH", "UBND", "2019-09-24"), ("2/CT-TTg", "CT", "TTg", None)],
    ),
    # A date that belongs to something else is not the issue date.
    (
        "Chỉ thị số 05/CT-TW của Bộ Chính trị và các phong trào ngày 1/1/2020",
        [("05/CT-TW", "CT", "TW", None)],
    ),
    ("Kế hoạch số 4846/KH-UBND ngày 31/2/2019", [("4846/KH-UBND", "KH", "UBND", None)]),
    # Several, unique by key, first printing kept, date filled from a later mention.
    (
        "Quyết định 123/QĐ-UBND và 123/QD-UBND ngày 1/2/2020; Kế hoạch 7/KH-SNV",
        [("123/QĐ-UBND", "QĐ", "UBND", "2020-02-01"), ("7/KH-SNV", "KH", "SNV", None)],
    ),
    (
        "theo 34-CT/TW và Chỉ thị 34-CT/TW ngày 07/4/2014",
        [("34-CT/TW", "CT", "TW", "2014-04-07")],
    ),
    # Not documents.
    ("Thứ tư, 02/10/2019 | 15:42:26 GMT+7", []),
    ("ngày 24/9 vừa qua", []),
    ("Điện thoại: 0274.3822.123 hoặc 0274 3 822 123", []),
    ("Xem http://x.gov.vn/a/b-c và http://x.gov.vn/tin/12-KH-UBND", []),
    ("/Lists/TinTuc/ChiTiet.aspx?ID=12", []),
    ("đạt 3/5 tiêu chí, điểm 9/10", []),
    ("giai đoạn 2015-2020, phát triển KT-XH", []),
    ("phòng chống COVID-19", []),
    ("lúc 15:42:26", []),
    ("Kế hoạch 4846 nhấn mạnh", []),
    ("Km 12-QL13", []),
    ("Tổ 12/KP3, phòng 201/A-B", []),
    ("số 5/tháng và số lượng 5/người", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:60] or "empty" for c in CASES])
def test_find_doc_refs(text: str, expected: list[Ref]) -> None:
    got = [(r.number, r.type, r.issuer, r.date) for r in find_doc_refs(text)]
    assert got == expected


RAW_CASES = [
    ("Kế hoạch số 4846 /KH-UBND về việc", "4846 /KH-UBND"),
    ("Quyết định số 12/qđ-ubnd.", "12/qđ-ubnd"),
    ("số 4846/KH–UBND, ngày", "4846/KH–UBND"),
    ("Tờ trình số 45/TTr-SNV của Sở", "45/TTr-SNV"),
]


@pytest.mark.parametrize(("text", "raw"), RAW_CASES)
def test_raw_is_as_printed(text: str, raw: str) -> None:
    assert [r.raw for r in find_doc_refs(text)] == [raw]


def test_sample_article() -> None:
    text = SAMPLE_TEXT
    assert find_doc_refs(text) == [
        DocRef("4846/KH-UBND", "KH", "UBND", "2019-09-24", "4846/KH-UBND"),
        DocRef("34-CT/TW", "CT", "TW", "2014-04-07", "34-CT/TW"),
        DocRef("05/CT-TW", "CT", "TW", None, "05/CT-TW"),
    ]


def test_decomposed_text_gives_nfc() -> None:
    text = unicodedata.normalize("NFD", "Quyết định số 123/QĐ-UBND ngày 5 tháng 1 năm 2020")
    assert find_doc_refs(text) == [
        DocRef("123/QĐ-UBND", "QĐ", "UBND", "2020-01-05", "123/QĐ-UBND"),
    ]


KEY_CASES = [
    ("34-CT/TW", "34cttw"),
    ("34/CT-TW", "34cttw"),
    ("123/QĐ-UBND", "123qdubnd"),
    ("123/QD-UBND", "123qdubnd"),
    ("23-KH/ĐUK", "23khduk"),
    ("17/2007/CT-UBND", "172007ctubnd"),
    ("52/2019/QH14", "522019qh14"),
    (unicodedata.normalize("NFD", "30/2020/NĐ-CP"), "302020ndcp"),
    ("45/TTr-SNV", "45ttrsnv"),
]


@pytest.mark.parametrize(("number", "key"), KEY_CASES)
def test_number_key(number: str, key: str) -> None:
    assert number_key(number) == key


def test_a_unit_code_that_keeps_tr_inside():
    (ref,) = find_doc_refs("Công văn số 1120/BGDĐT-GDTrH ngày 05/3/2024 của Bộ")
    assert (ref.number, ref.type, ref.issuer, ref.date) == (
        "1120/BGDĐT-GDTrH",
        "CV",
        "BGDĐT",
        "2024-03-05",
    )
