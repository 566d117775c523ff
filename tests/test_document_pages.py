"""Document pages (legal-document databases, precedent pages): the publication date sits
in a property table beside dates that are not it, and the files behind script links."""

from __future__ import annotations

import pytest

from conftest import read_article

TABLE_ROWS = {
    "th-td": (
        "<tr><th>Ngày thông qua</th><td><span>01/02/2023</span></td></tr>"
        "<tr><th>Ngày công bố</th><td><span>24/02/2023</span></td></tr>"
        "<tr><th>Ngày áp dụng</th><td><span>27/03/2023</span></td></tr>"
    ),
    "td-td": (
        "<tr><td>Ngày có hiệu lực:</td><td>01/01/2018</td>"
        "<td>Ngày ban hành:</td><td>24/02/2023</td></tr>"
        "<tr><td>Ngày đăng công báo:</td><td>31/12/2015</td></tr>"
    ),
}


@pytest.mark.parametrize("layout", sorted(TABLE_ROWS))
def test_the_publication_date_among_a_documents_dates(layout):
    body = "<p>" + "Nội dung văn bản quy định chi tiết về việc áp dụng án lệ. " * 8 + "</p>"
    html = (
        "<html><head><title>Trung ương</title></head><body>"
        f"<div class='detail'><h1>Về xem xét quyết định hành chính</h1>"
        f"<table class='thuoctinh'>{TABLE_ROWS[layout]}</table>"
        f"<div class='content'>{body}</div></div></body></html>"
    )
    article = read_article(html, "https://vbpl.example.gov.vn/van-ban/1")
    assert article["published_at"] == "2023-02-24"


def test_dl_terms_label_their_dates():
    body = "<p>" + "Thông báo kết quả tuyển dụng công chức năm 2019 của Sở. " * 8 + "</p>"
    html = (
        "<html><body><h1>Thông báo kết quả</h1><dl><dt>Ngày hiệu lực</dt><dd>05/01/2020</dd>"
        "<dt>Ngày đăng</dt><dd>12/12/2019</dd></dl>"
        f"<div class='content'>{body}</div></body></html>"
    )
    assert read_article(html, "https://x.example.gov.vn/tb/1")["published_at"] == "2019-12-12"


def test_a_section_name_in_title_gives_way_to_the_title_cell():
    html = (
        "<html><head><title>Trung ương</title></head><body>"
        "<ul class='menu'><li><a href='/tw'>Trung ương</a></li><li><a href='/dp'>Địa phương</a>"
        "</li></ul><div class='vbProperties'><table><tr><td class='title'>Tố tụng hình sự</td>"
        "</tr><tr><td>Số ký hiệu</td><td>101/2015/QH13</td></tr>"
        "<tr><td>Ngày ban hành:</td><td>27/11/2015</td></tr></table></div></body></html>"
    )
    article = read_article(html, "https://vbpl.example.gov.vn/thuoc-tinh/1")
    assert article["title"] == "Tố tụng hình sự"
    assert article["published_at"] == "2015-11-27"


def test_a_numbered_title_is_not_a_section_name():
    html = (
        "<html><head><title>63/2023/AL</title></head><body><h3>63/2023/AL</h3>"
        "<td class='title'>Văn bản liên quan</td></body></html>"
    )
    assert read_article(html, "https://anle.example.gov.vn/1")["title"] == "63/2023/AL"


def test_the_place_and_date_line_of_an_official_document():
    body = "<p>" + "Điều 1. Nội dung quy định của văn bản được trình bày tại đây. " * 6 + "</p>"
    html = (
        "<html><head><title>Trung ương</title></head><body>"
        "<div class='top'>Thứ năm, ngày 28 tháng 3 năm 2024</div>"
        "<table><tr><td><b>QUỐC HỘI</b></td><td><b>Độc lập - Tự do - Hạnh phúc</b>"
        "<div><i>Hà Nội,\n ngày\n 28 tháng\n 11 năm\n 2013</i></div></td></tr></table>"
        f"<div class='toanvancontent'>{body}</div></body></html>"
    )
    article = read_article(html, "https://vbpl.example.gov.vn/toan-van/1")
    assert article["published_at"] == "2013-11-28"


def test_a_document_named_only_by_its_breadcrumb():
    """<title> is the database's section ("Trung ương") and the text has no heading: the
    breadcrumb's last step, a link to nowhere, names the document."""
    body = "<p>" + "Điều 1. Nội dung quy định của văn bản được trình bày tại đây. " * 6 + "</p>"
    html = (
        "<html><head><title>Trung ương</title></head><body>"
        "<div class='menu'><a href='/TW'>Trung ương</a></div>"
        "<div class='box-map'><ul><li><a href='/'>CSDL quốc gia về VBPL</a></li>"
        "<li><a href='/TW'>CSDL Trung ương</a></li>"
        "<li><a href=''>Hiến pháp Không số</a></li></ul></div>"
        f"<div class='toanvancontent'>{body}</div></body></html>"
    )
    article = read_article(html, "https://vbpl.example.gov.vn/toan-van/1")
    assert article["title"] == "Hiến pháp Không số"


def test_a_related_list_under_a_label_with_an_icon_and_the_pages_own_number():
    """A precedent's page (anle.toaan.gov.vn): "<h4><i></i> Văn bản liên quan</h4>" over a
    table of other precedents, linked only by their downloads; the page's own number,
    its whole title, is not a document it cites."""
    rows = "".join(
        f"<tr><td>{n}/2023/AL</td><td>Về vụ án số {n}</td>"
        f"<td><a href='/webcenter/ShowProperty?nodeId=/UCMServer/TAND2921{n}'>"
        "<i class='fa fa-download'></i>Tải về</a></td></tr>"
        for n in (61, 62)
    )
    html = (
        "<html><head><title>63/2023/AL</title></head><body><h3>63/2023/AL</h3>"
        "<div class='content'><p>Án lệ số 63/2023/AL được Hội đồng Thẩm phán thông qua.</p>"
        "</div><div><h4 class='text-gopy'><i class='fa fa-angle-double-right'></i> "
        "Văn bản liên quan</h4><div></div></div>"
        f"<table><thead><tr><th>Số án lệ</th></tr></thead><tbody>{rows}</tbody></table>"
        "</body></html>"
    )
    article = read_article(html, "https://anle.example.gov.vn/chi-tiet-an-le/63")
    assert [r["url"] for r in article["related"]] == [
        "https://anle.example.gov.vn/webcenter/ShowProperty?nodeId=/UCMServer/TAND292161",
        "https://anle.example.gov.vn/webcenter/ShowProperty?nodeId=/UCMServer/TAND292162",
    ]
    assert article["doc_refs"] == []
