"""Where Vietnamese pages print the credit, as the templates of issue 11 item 1 place it:
the whole page is read by the generic layers, and the test asserts the people (and the
credit line) a reader sees. Traps beside each credit: share links, the site's name in
metadata, a CMS account, a source line."""

from __future__ import annotations

import pytest

from conftest import read_article

URL = "https://sonoivu.example.gov.vn/tin-tuc/hoi-nghi-tong-ket-cong-tac-thi-dua-2024-1234.html"
BODY = "".join(
    f"<p>{sentence}</p>"
    for sentence in (
        "Sáng 12/3, Sở Nội vụ tổ chức Hội nghị tổng kết công tác thi đua, khen thưởng năm "
        "2023 và triển khai nhiệm vụ năm 2024 theo Kế hoạch số 45/KH-UBND của UBND tỉnh.",
        "Năm 2023, toàn tỉnh có 1.250 tập thể và 3.400 cá nhân được khen thưởng; các phong "
        "trào thi đua được phát động sâu rộng, gắn với nhiệm vụ chính trị của từng đơn vị.",
        "Phát biểu tại hội nghị, Giám đốc Sở đề nghị các đơn vị đổi mới hình thức tổ chức "
        "phong trào, kịp thời phát hiện và nhân rộng các điển hình tiên tiến.",
    )
)


def page(article: str, head: str = "", after: str = "") -> str:
    return (
        f"<html><head><title>Hội nghị tổng kết công tác thi đua năm 2023 - Sở Nội vụ</title>"
        f"{head}</head><body><div class='header'><a href='/'>Trang chủ</a>"
        "<a href='/tin-tuc'>Tin tức</a></div><div class='main'>"
        "<h1>Hội nghị tổng kết công tác thi đua năm 2023</h1>"
        "<div class='date'>Thứ Ba, 12/03/2024 - 10:15</div>"
        f"<div class='news-content'>{BODY}{article}</div>{after}</div>"
        "<div class='footer'>Sở Nội vụ tỉnh - 01 Trần Hưng Đạo</div></body></html>"
    )


PLACES = {
    "closing paragraph aligned right, strong": (
        page("<p style='text-align: right;'><strong>Thu Hà</strong></p>"),
        ["Thu Hà"],
    ),
    "align=right, em": (page("<p align='right'><em>Minh Phương</em></p>"), ["Minh Phương"]),
    "plain right-aligned closing line": (page("<p align='right'>Hoàng Minh</p>"), ["Hoàng Minh"]),
    "Tin, ảnh:": (page("<p>Tin, ảnh: Ngọc Lan</p>"), ["Ngọc Lan"]),
    "Bài và ảnh:": (page("<p><strong>Bài và ảnh: Lê Hà</strong></p>"), ["Lê Hà"]),
    "Tin và ảnh: beside share links": (
        page(
            "<p style='text-align:right'><b>Tin và ảnh: Hồng Nguyệt</b></p>"
            "<div class='share'><a href='#print'>In</a> <a href='#'>Chia sẻ</a></div>"
        ),
        ["Hồng Nguyệt"],
    ),
    "several people": (page("<p>Thu Hà - Minh Phương</p>"), ["Thu Hà", "Minh Phương"]),
    "person then unit": (page("<p>Ngọc Lan - TTYT huyện Cam Lộ</p>"), ["Ngọc Lan"]),
    "capitals": (page("<p align='right'><strong>T.HẰNG</strong></p>"), ["T.HẰNG"]),
    "initials in capitals": (page("<p align='right'><strong>KY</strong></p>"), ["KY"]),
    "class author after the body": (
        page("", after="<div class='author'>Tác giả: Hoàng Anh - Văn phòng Sở</div>"),
        ["Hoàng Anh"],
    ),
    "class tacgia": (page("", after="<div class='tacgia'>Minh Châu</div>"), ["Minh Châu"]),
    "class author_mail with a mailto": (
        page("", after="<div class='author_mail'><a href='mailto:x@y.vn'>Lê Thị Hằng</a></div>"),
        ["Lê Thị Hằng"],
    ),
    "own block after the body, with print links": (
        page("", after="<div class='nguon'>Trần Thanh Hương <a href='#'>In bài</a></div>"),
        ["Trần Thanh Hương"],
    ),
    "a person, then a source line": (
        page("<p align='right'><b>Minh Thư</b></p><p>Nguồn tin: Sở Tư pháp</p>"),
        ["Minh Thư"],
    ),
    "Theo a newspaper: a source, nobody named": (page("<p>Theo Báo Quảng Trị</p>"), []),
    "(Nguồn: …): a source": (page("<p>(Nguồn: Báo Quảng Ninh)</p>"), []),
    "the site's name in metadata is not a person": (
        page("", head="<meta name='author' content='Sở Nội vụ tỉnh Quảng Trị'>"),
        [],
    ),
    "a person in metadata, when the page prints no credit": (
        page("", head="<meta name='author' content='Nguyễn Thị Thu Hằng'>"),
        ["Nguyễn Thị Thu Hằng"],
    ),
    "a CMS account, when that is all the page gives": (
        page("", after="<div class='meta'>Người đăng: hbnguyet</div>"),
        ["hbnguyet"],
    ),
    "the printed credit, not the CMS account": (
        page("<p>Tin, ảnh: Hồng Nguyệt</p>", after="<div class='meta'>Người đăng: hbnguyet</div>"),
        ["Hồng Nguyệt"],
    ),
    "a link to a file closing the body is not a credit": (
        page("<p><a href='/files/bo-tinh-huong-mau.rar'>Bộ tình huống hòa giải mẫu</a></p>"),
        [],
    ),
    "a job, not a person": (page("<p>PV - CTV</p>"), []),
}


@pytest.mark.parametrize("place", sorted(PLACES))
def test_the_credit_is_found_where_the_template_prints_it(place):
    html, authors = PLACES[place]
    assert read_article(html, URL)["authors"] == authors


def test_the_credit_line_leaves_the_body_and_the_print_link_is_no_name():
    found = read_article(PLACES["Tin và ảnh: beside share links"][0], URL)
    assert found["byline"] == "Tin và ảnh: Hồng Nguyệt"
    assert "Hồng Nguyệt" not in found["body_text"]
    assert not found["body_text"].endswith("In")
