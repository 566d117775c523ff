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


def test_a_file_typed_only_by_its_icon_or_words_and_the_pages_own_pdf_view():
    blocks = (
        "<ul class='files'>"
        "<li><a href='/documents/20126/2881455/KH+5107-SYT/3c4b9d2e?t=1'>"
        "<img src='/theme/images/file_system/small/pdf.png'> Kế hoạch số 5107/KH-SYT</a></li>"
        "<li><a href='/Download.ashx?id=7'>Phụ lục danh sách xã [DOCX]</a></li>"
        "<li><a href='/index.php?option=com_content&id=842&format=pdf'>"
        "<img src='/images/pdf_button.png' alt='PDF'></a></li></ul>"
    )
    html = related_page("").replace(
        "</div></body>", f"<p>Tài liệu kèm theo:</p>{blocks}</div></body>"
    )
    found = read_article(html, URL)["attachments"]
    assert [(a["url"].rsplit("/", 1)[1], a["kind"]) for a in found] == [
        ("3c4b9d2e?t=1", "pdf"),
        ("Download.ashx?id=7", "docx"),
    ]


def test_a_credit_after_the_files_that_follow_the_body():
    html = related_page(
        "<div class='files'><a href='/f/kh-45.pdf'>Kế hoạch số 45/KH-UBND ngày 15/01/2024 của "
        "UBND tỉnh về công tác phổ biến, giáo dục pháp luật năm 2024 (bản PDF)</a></div>"
        "<div class='margin-bottom-lg'><p class='h5 text-right'><strong>Tác giả: </strong>"
        "Ngọc Hân</p><p class='h5 text-right'><strong>Nguồn tin: </strong>Phòng Công chức, "
        "viên chức</p></div>"
    )
    assert read_article(html, URL)["authors"] == ["Ngọc Hân"]


def test_the_articles_date_line_over_the_issue_date_of_a_document_it_describes():
    html = (
        "<html><head><title>Sở Tư pháp ban hành Kế hoạch hưởng ứng Ngày Pháp luật</title>"
        "</head><body><div class='title-detail'>Sở Tư pháp ban hành Kế hoạch hưởng ứng Ngày "
        "Pháp luật năm 2023</div><span class='date-detail'>Ngày 12 tháng 10 năm 2023</span>"
        f"<div class='content-detail'>{TEXT}</div><table><tr><td>Số ký hiệu</td>"
        "<td>2150/KH-STP</td></tr><tr><td>Ngày ban hành</td><td>10/10/2023</td></tr></table>"
        "</body></html>"
    )
    assert read_article(html, URL)["published_at"] == "2023-10-12"
