"""Credit lines as readers see them at the end of department news articles."""

from __future__ import annotations

import unicodedata

import pytest

from scraper.parsing.bylines import Byline, find_byline, parse_byline

# The text of /work/shared/samples/sonoivu-binhduong-2019-10-02.txt (an article of the Sở Nội vụ
# tỉnh Bình Dương as a reader saw it, sidebar included), kept here so the tests run on a
# clean clone.
SAMPLE_TEXT = "\n".join(
    [
        "Sở Nội Vụ Tỉnh Bình Dương",
        "Tin tức sự kiện",
        "Thứ tư, 02/10/2019 | 15:42:26 GMT+7",
        "Kế hoạch tổ chức Hội nghị điển hình tiên tiến và Đại hội thi đua yêu nước",
        "Tập tin đính kèm:",
        (
            "Ngày 24/9/2019, UBND tỉnh Bình Dương ban hành Kế hoạch số 4846/KH-UBND về việc "
            "tổ chức Hội nghị điển hình tiên tiến các cấp và Đại hội thi đua yêu nước tỉnh "
            "Bình Dương lần thứ V, tiến tới Đại hội thi đua yêu nước toàn quốc lần thứ X năm "
            "2020."
        ),
        "",
        (
            "Kế hoạch yêu cầu thủ trưởng các sở, ban, ngành, đoàn thể tỉnh; Chủ tịch UBND "
            "các huyện, thị xã, thành phố; Chủ tịch UBND các xã, phường, thị trấn; Tổng Giám "
            "đốc, Giám đốc các doanh nghiệp thông qua việc tổ chức Đại hội và Hội nghị điển "
            "hình tiên tiến rút ra bài học kinh nghiệm về phát hiện, bồi dưỡng, tổng kết và "
            "nhân rộng điển hình; đổi mới nội dung, hình thức, chất lượng công tác thi đua, "
            "khen thưởng theo tinh thần Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị. "
            "Việc tổ chức Đại hội Thi đua yêu nước và Hội nghị điển hình tiên tiến đảm bảo "
            "trang trọng, thiết thực, thực hành tiết kiệm."
        ),
        "",
        (
            "Bên cạnh việc chỉ đạo về nội dung, hình thức của Đại hội và Hội nghị điển hình "
            "tiên tiến, Kế hoạch 4846 nhấn mạnh chỉ đạo việc xét duyệt, chọn cử đại biểu "
            "điển hình tiên tiến là công nhân, nông dân, người trực tiếp lao động sản xuất, "
            "công tác, nghiên cứu khoa học, người lao động giỏi, lao động sáng tạo, gương "
            "người tốt, việc tốt."
        ),
        "",
        (
            "Nhiệm vụ đến năm 2020, căn cứ kế hoạch phát động phong trào thi đua của UBND "
            "tỉnh và nhiệm vụ chính trị của các ngành, cơ quan, đơn vị, địa phương phát động "
            "các đợt thi đua sôi nổi, thiết thực, gắn với thực hiện Chỉ thị số 05/CT-TW của "
            'Bộ Chính trị và các phong trào thi đua do Thủ tướng phát động như: " Doanh '
            'nghiệp Việt Nam hội nhập và phát triển". "Cả nước chung tay vì người nghèo, '
            'không để ai bị bỏ lại phía sau", " Cán bộ, công chức, viên chức thi đua thực '
            'hiện văn hóa công sở" nhằm thực hiện thắng lợi nhiệm vụ phát triển KT-XH của '
            "tỉnh giai đoạn 2015-2020."
        ),
        "",
        "Nguyễn Thị Lê - Ban Thi đua - Khen thưởng",
        "Tin liên quan",
        "Hình ảnh hoạt động",
        "Liên kết website",
        "Thống kê truy cập",
        "Đang truy cập3",
        "Tổng truy cập 2763032",
    ]
)

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
