"""Generic extraction of the title, related articles and attachments in the layouts of
issue 11 items 3 and 4: SharePoint list forms, share titles that differ from the
headline, related lists under any label and behind tabs, portal boxes by class."""

from __future__ import annotations

from conftest import read_article

URL = "https://soyte.example.gov.vn/Lists/TinTucSuKien/DispForm.aspx?ID=1473"
TEXT = "".join(
    f"<p>Đoạn {n}: Sở Y tế ra quân chiến dịch diệt bọ gậy phòng, chống sốt xuất huyết tại "
    "các xã có ổ dịch cũ, với sự tham gia của y tế cơ sở và các hội, đoàn thể.</p>"
    for n in range(4)
)


def test_a_sharepoint_list_form_names_title_and_author_in_its_rows():
    html = (
        "<html><head><title>Tin tức - Sự kiện</title></head><body>"
        "<div class='menu'><a href='/tin-tuc'>Tin tức - Sự kiện</a></div>"
        "<h1 id='pageTitle'>Tin tức - Sự kiện</h1><table class='ms-formtable'>"
        "<tr><td class='ms-formlabel'><h3>Tiêu đề</h3></td><td class='ms-formbody'>"
        "Cẩm Xuyên ra quân chiến dịch diệt bọ gậy năm 2025</td></tr>"
        f"<tr><td class='ms-formlabel'><h3>Nội dung</h3></td><td class='ms-formbody'>{TEXT}</td>"
        "</tr><tr><td class='ms-formlabel'><h3>Tác giả</h3></td><td class='ms-formbody'>"
        "Thu Hà - Minh Phương (Trung tâm Y tế)</td></tr></table></body></html>"
    )
    article = read_article(html, URL)
    assert article["title"] == "Cẩm Xuyên ra quân chiến dịch diệt bọ gậy năm 2025"
    assert article["authors"] == ["Thu Hà", "Minh Phương"]
    assert article["source_unit"] == "Trung tâm Y tế"


def test_the_printed_headline_over_a_share_title_written_for_search_engines():
    html = (
        "<html><head><title>Kon Tum: Chủ động phòng, chống sốt xuất huyết</title>"
        "<meta property='og:title' content='Kon Tum: Chủ động phòng, chống sốt xuất huyết'>"
        "</head><body><h1>Sở Y tế triển khai các biện pháp cao điểm phòng, chống sốt xuất "
        f"huyết năm 2024</h1><div class='noi-dung'>{TEXT}</div></body></html>"
    )
    assert read_article(html, URL)["title"] == (
        "Sở Y tế triển khai các biện pháp cao điểm phòng, chống sốt xuất huyết năm 2024"
    )


def test_og_title_loses_the_site_name():
    html = (
        "<html><head><title>Hội nghị tổng kết ngành y tế năm 2024 - Sở Y tế tỉnh Hà Tĩnh</title>"
        "<meta property='og:title' content='Hội nghị tổng kết ngành y tế năm 2024 - Sở Y tế "
        f"tỉnh Hà Tĩnh'></head><body><div class='noi-dung'>{TEXT}</div></body></html>"
    )
    assert read_article(html, URL)["title"] == "Hội nghị tổng kết ngành y tế năm 2024"


def related_page(blocks: str) -> str:
    return (
        "<html><head><title>Ra quân diệt bọ gậy năm 2024</title></head><body>"
        f"<h1>Ra quân diệt bọ gậy phòng chống sốt xuất huyết năm 2024</h1>"
        f"<div class='noi-dung'>{TEXT}</div>{blocks}</body></html>"
    )


def links(prefix: str, ids: range) -> str:
    return "".join(
        f"<li><a href='/news/{prefix}-{n}.html'>Bài viết số {n} về phòng chống dịch bệnh</a>"
        f" <em>(15/03/2024)</em></li>"
        for n in ids
    )


def test_related_articles_from_every_labelled_block_and_every_tab():
    blocks = (
        "<div class='box-icon-title'>Theo dòng sự kiện</div>"
        f"<div><ul>{links('su-kien', range(1, 3))}</ul></div>"
        "<ul class='nav-tabs'><li><a href='#tab-related'>Tin liên quan</a></li>"
        "<li><a href='#tab-same'>Tin cùng chuyên mục</a></li></ul>"
        f"<div id='tab-related'><ul>{links('lien-quan', range(3, 5))}</ul></div>"
        f"<div id='tab-same' style='display:none'><ul>{links('chuyen-muc', range(5, 7))}</ul>"
        "</div><h3>Xem thêm</h3>"
        f"<ul>{links('xem-them', range(7, 8))}</ul>"
    )
    found = [r["url"].rsplit("/", 1)[1] for r in read_article(related_page(blocks), URL)["related"]]
    assert sorted(found) == sorted(
        ["su-kien-1.html", "su-kien-2.html", "lien-quan-3.html", "lien-quan-4.html"]
        + ["chuyen-muc-5.html", "chuyen-muc-6.html", "xem-them-7.html"]
    )


def test_a_box_titled_by_class_is_furniture():
    blocks = (
        "<div class='box'><div class='syt-box-title'>Văn bản chỉ đạo</div>"
        "<ul><li><a href='/Documents/CV-1402-SYT-2025.pdf'>Công văn 1402/SYT</a></li></ul>"
        "</div>"
    )
    html = related_page(blocks).replace(
        "</div><div class='box'>",
        "<p><a href='/Documents/KH-112-SYT-2025.pdf'>Kế hoạch 112/KH-SYT</a></p></div>"
        "<div class='box'>",
    )
    assert [a["url"] for a in read_article(html, URL)["attachments"]] == [
        "https://soyte.example.gov.vn/Documents/KH-112-SYT-2025.pdf"
    ]
