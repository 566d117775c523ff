"""Credit lines as readers see them at the end of department news articles."""

from __future__ import annotations

import unicodedata

import pytest

from scraper.parsing.bylines import Byline, find_byline, parse_byline

from sample_article import SAMPLE_TEXT

# (line as printed, authors, source_unit)
CREDITS: list[tuple[str, list[str], str | None]] = [
    ("Nguyễn Thị Lê - Ban Thi đua - Khen thưởng", ["Nguyễn Thị Lê"], "Ban Thi đua - Khen thưởng"),
    ("Kim Liên - Sở Ngoại vụ", ["Kim Liên"], "Sở Ngoại vụ"),
    ("Thái Sinh - Ái Vân", ["Thái Sinh", "Ái Vân"], None),
    ("T. NGUYỆT", ["T. NGUYỆT"], None),
    # "PV" (phóng viên) is a job, not a person: a credit with nobody named.
    ("PV", [], None),
    ("Nhóm PV", [], None),
    ("(BTĐKT)", [], "BTĐKT"),
    ("Nguồn: Báo Bình Dương", [], "Báo Bình Dương"),
    ("Nguồn tin: Sở Y tế", [], "Sở Y tế"),
    ("Theo Báo Bình Dương", [], "Báo Bình Dương"),
    ("(Theo TTXVN)", [], "TTXVN"),
    ("Theo baochinhphu.vn", [], "baochinhphu.vn"),
    ("Theo Dân trí", [], "Dân trí"),
    # After "Theo", a name-like text is a publication.
    ("Theo Thanh Niên", [], "Thanh Niên"),
    ("Tác giả: Minh Anh", ["Minh Anh"], None),
    ("Tác giả: Minh Anh - Sở Nội vụ", ["Minh Anh"], "Sở Nội vụ"),
    ("Minh Anh (Văn phòng Sở)", ["Minh Anh"], "Văn phòng Sở"),
    ("Hồng Nhung, Văn Tuấn", ["Hồng Nhung", "Văn Tuấn"], None),
    ("Hồng Nhung và Văn Tuấn", ["Hồng Nhung", "Văn Tuấn"], None),
    ("Thu Hà (tổng hợp)", ["Thu Hà"], None),
    ("Thu Hà (TH)", ["Thu Hà"], None),
    ("Lê Hoàng - CTV", ["Lê Hoàng"], None),
    ("PV Minh Anh", ["Minh Anh"], None),
    ("Phòng Công chức - Viên chức", [], "Phòng Công chức - Viên chức"),
    ("Văn phòng Sở", [], "Văn phòng Sở"),
    ("BBT", [], "BBT"),
    ("Ban Biên tập", [], "Ban Biên tập"),
    ("Minh Anh - TTXVN", ["Minh Anh"], "TTXVN"),
    ("Thanh Tâm - Đài PT-TH Bình Dương", ["Thanh Tâm"], "Đài PT-TH Bình Dương"),
    ("UBND huyện Dầu Tiếng", [], "UBND huyện Dầu Tiếng"),
    ("Ngọc Hân - Trung tâm Hành chính công tỉnh", ["Ngọc Hân"], "Trung tâm Hành chính công tỉnh"),
    (
        "Minh Anh - Phòng Tổ chức cán bộ (Sở Nội vụ)",
        ["Minh Anh"],
        "Phòng Tổ chức cán bộ (Sở Nội vụ)",
    ),
    ("Tin, ảnh: Minh Anh", ["Minh Anh"], None),
    ("Bài: Minh Anh - Ảnh: Thu Hà", ["Minh Anh", "Thu Hà"], None),
    ("Tin: Minh Anh; Ảnh: Hồng Nhung", ["Minh Anh", "Hồng Nhung"], None),
    (
        "NGUYỄN THỊ LÊ - BAN THI ĐUA - KHEN THƯỞNG",
        ["NGUYỄN THỊ LÊ"],
        "BAN THI ĐUA - KHEN THƯỞNG",
    ),
    # A surname that is also an organisation word.
    ("Đoàn Văn Hùng", ["Đoàn Văn Hùng"], None),
    ("Đoàn Thanh niên Sở Nội vụ", [], "Đoàn Thanh niên Sở Nội vụ"),
    ("Trường THPT Nguyễn Trãi", [], "Trường THPT Nguyễn Trãi"),
    ("Hội Cựu chiến binh tỉnh", [], "Hội Cựu chiến binh tỉnh"),
    ("Y Moan Niê", ["Y Moan Niê"], None),
    ("Minh Anh.", ["Minh Anh"], None),
    ("Ban Thi đua - Khen thưởng.", [], "Ban Thi đua - Khen thưởng"),
]


@pytest.mark.parametrize(("line", "authors", "unit"), CREDITS, ids=[c[0] for c in CREDITS])
def test_parse_byline(line: str, authors: list[str], unit: str | None) -> None:
    assert parse_byline(line) == Byline(raw=line, authors=authors, source_unit=unit)


NOT_CREDITS = [
    "",
    "   ",
    "Tin liên quan",
    "Hình ảnh hoạt động",
    "HÌNH ẢNH HOẠT ĐỘNG",
    "Liên kết website",
    "Thống kê truy cập",
    "Đang truy cập3",
    "Tổng truy cập 2763032",
    "Tập tin đính kèm:",
    "Xem Thêm",
    "Facebook",
    "Thanh Hà - TP.Huế",
    "In",
    "Chia sẻ",
    "Zalo",
    "Thứ tư, 02/10/2019 | 15:42:26 GMT+7",
    "Bình Dương, ngày 2/10/2019",
    "Kế hoạch 4846",
    "Hội nghị kết thúc tốt đẹp",
    "Báo cáo tổng kết",
    "Tổ chức Hội nghị",
    "Sở Nội vụ trân trọng thông báo.",
    "Sở Nội vụ tổ chức Hội nghị tổng kết năm 2019",
    "Ban Thường vụ Tỉnh ủy đã ban hành Kế hoạch.",
    "Theo kế hoạch, UBND tỉnh sẽ tổ chức hội nghị.",
    "Theo Quyết định số 123/QĐ-UBND",
    "Theo Bộ trưởng Bộ Nội vụ, năm nay sẽ tổ chức thi.",
    "Việc tổ chức Đại hội Thi đua yêu nước đảm bảo trang trọng, thiết thực.",
    "Nguyễn Thị Lê - Ban Thi đua - Khen thưởng - " + "x" * 60,
]


@pytest.mark.parametrize("line", NOT_CREDITS)
def test_not_a_byline(line: str) -> None:
    assert parse_byline(line) is None


def test_decomposed_input_gives_nfc() -> None:
    line = unicodedata.normalize("NFD", "Kim Liên - Sở Ngoại vụ")
    assert parse_byline(line) == Byline("Kim Liên - Sở Ngoại vụ", ["Kim Liên"], "Sở Ngoại vụ")


def test_raw_is_stripped_not_rewritten() -> None:
    assert parse_byline("  Thu Hà (tổng hợp)\n") == Byline("Thu Hà (tổng hợp)", ["Thu Hà"], None)


def _sample_body() -> list[str]:
    """The body paragraphs of the sample article, from the lead to the credit line."""
    lines = SAMPLE_TEXT.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Ngày 24/9/2019"))
    last = lines.index("Tin liên quan")
    return lines[first:last]


BODY = [
    "Ngày 24/9/2019, UBND tỉnh Bình Dương ban hành Kế hoạch số 4846/KH-UBND.",
    "Kế hoạch yêu cầu các sở, ban, ngành tổ chức Đại hội thi đua.",
]

# (paragraphs, expected byline or None, expected index)
FIND_CASES: list[tuple[str, list[str], Byline | None, int | None]] = [
    (
        "credit as its own paragraph",
        [*BODY, "Kim Liên - Sở Ngoại vụ"],
        Byline("Kim Liên - Sở Ngoại vụ", ["Kim Liên"], "Sở Ngoại vụ"),
        2,
    ),
    (
        "trailing empty paragraphs",
        [*BODY, "T. NGUYỆT", "", "  "],
        Byline("T. NGUYỆT", ["T. NGUYỆT"], None),
        2,
    ),
    (
        "after ./. in the last paragraph",
        [*BODY, "Đại hội diễn ra trong hai ngày./. Thái Sinh - Ái Vân"],
        Byline("Thái Sinh - Ái Vân", ["Thái Sinh", "Ái Vân"], None),
        2,
    ),
    (
        "after ./. on a new line",
        [*BODY, "Đại hội diễn ra trong hai ngày./.\nMinh Anh"],
        Byline("Minh Anh", ["Minh Anh"], None),
        2,
    ),
    (
        "last line of a multi-line paragraph",
        [*BODY, "Đại hội diễn ra trong hai ngày.\nHồng Nhung, Văn Tuấn"],
        Byline("Hồng Nhung, Văn Tuấn", ["Hồng Nhung", "Văn Tuấn"], None),
        2,
    ),
    (
        "trailing (Theo …) in the last paragraph",
        [*BODY, "Đại hội diễn ra trong hai ngày. (Theo Báo Bình Dương)"],
        Byline("(Theo Báo Bình Dương)", [], "Báo Bình Dương"),
        2,
    ),
    (
        "Nguồn: line",
        [*BODY, "Nguồn: Báo Bình Dương"],
        Byline("Nguồn: Báo Bình Dương", [], "Báo Bình Dương"),
        2,
    ),
    (
        "Tác giả: line before a closing remark",
        [*BODY, "Tác giả: Minh Anh", "Đại hội diễn ra trong hai ngày."],
        Byline("Tác giả: Minh Anh", ["Minh Anh"], None),
        2,
    ),
    (
        "the credit nearest the end wins",
        [*BODY, "Tác giả: Minh Anh", "Nguồn: Báo Bình Dương"],
        Byline("Nguồn: Báo Bình Dương", [], "Báo Bình Dương"),
        3,
    ),
    (
        "PV alone is still a credit line",
        [*BODY, "PV"],
        Byline("PV", [], None),
        2,
    ),
    ("no credit", list(BODY), None, None),
    ("body ending with ./.", [*BODY, "Đại hội diễn ra trong hai ngày./."], None, None),
    (
        "too far from the end",
        ["Minh Anh", *BODY, "Đoạn ba dài hơn một chút.", "Đoạn bốn cũng thế."],
        None,
        None,
    ),
    ("empty", [], None, None),
]


@pytest.mark.parametrize(
    ("paragraphs", "expected", "index"),
    [c[1:] for c in FIND_CASES],
    ids=[c[0] for c in FIND_CASES],
)
def test_find_byline(paragraphs: list[str], expected: Byline | None, index: int | None) -> None:
    found = find_byline(paragraphs)
    if expected is None:
        assert found is None
    else:
        assert found == (expected, index)


def test_find_byline_in_sample_article() -> None:
    body = _sample_body()
    found = find_byline(body)
    assert found is not None
    byline, index = found
    assert byline == Byline(
        "Nguyễn Thị Lê - Ban Thi đua - Khen thưởng",
        ["Nguyễn Thị Lê"],
        "Ban Thi đua - Khen thưởng",
    )
    assert body[index] == "Nguyễn Thị Lê - Ban Thi đua - Khen thưởng"


@pytest.mark.parametrize(
    ("line", "authors", "unit"),
    [
        ("Đ.T", ["Đ.T"], None),
        ("Lê Thanh Hải, Phó Giám đốc Sở", ["Lê Thanh Hải"], None),
        ("Tác giả: Nguyễn Văn Bình - Trưởng phòng CCHC", ["Nguyễn Văn Bình"], None),
        # Glued initials, capitals, Highland names, degrees and ranks before a name.
        ("K.Nhi - Văn phòng Sở", ["K.Nhi"], "Văn phòng Sở"),
        ("T.HẰNG", ["T.HẰNG"], None),
        ("TH.HẰNG", ["TH.HẰNG"], None),
        ("Ksor H'Luân", ["Ksor H'Luân"], None),
        ("H’Hen Niê", ["H’Hen Niê"], None),
        ("ThS.BS Nguyễn Chí", ["Nguyễn Chí"], None),
        ("BS.CKII Lê Nam - Trung tâm Y tế", ["Lê Nam"], "Trung tâm Y tế"),
        ("PGS.TS. Lê Minh", ["Lê Minh"], None),
        ("Đại úy Nguyễn Văn Dũng", ["Nguyễn Văn Dũng"], None),
        ("Lê Hoàng/TTXVN", ["Lê Hoàng"], "TTXVN"),
        ("Viết bởi Nguyễn Thị Lan Anh", ["Nguyễn Thị Lan Anh"], None),
    ],
)
def test_initials_and_posts_after_a_name(line, authors, unit):
    found = parse_byline(line)
    assert (found.authors, found.source_unit) == (authors, unit)
