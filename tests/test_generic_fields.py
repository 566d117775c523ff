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


def test_a_related_field_with_no_heading_and_a_labelled_view_and_the_more_link():
    field = (
        "<div class='field field--name-field-tin-lien-quan'>"
        "<div><a href='/tin-tuc/hai-lang-ra-mat-16-to-cong-nghe-so'>Hải Lăng ra mắt 16 tổ "
        "công nghệ số cộng đồng</a></div><div><a href='/tin-tuc/tap-huan-ky-nang-so'>Tập huấn "
        "kỹ năng số cho cán bộ, công chức cấp xã</a></div></div>"
        f"<h2>Tin cùng chuyên mục</h2><ul>{links('cung', range(1, 3))}</ul>"
        "<a href='/tin-tuc/tin-hoat-dong'>Xem thêm »</a>"
    )
    found = [r["url"].rsplit("/", 1)[1] for r in read_article(related_page(field), URL)["related"]]
    assert sorted(found) == sorted(
        ["hai-lang-ra-mat-16-to-cong-nghe-so", "tap-huan-ky-nang-so", "cung-1.html", "cung-2.html"]
    )


def test_a_page_builders_widgets_hold_the_content_and_the_credit():
    html = (
        "<html><head><title>Quảng Ngãi: Số ca mắc sốt xuất huyết tăng cao</title></head><body>"
        "<div class='elementor-widget elementor-widget-theme-post-title'><h2>Quảng Ngãi: Số ca "
        "mắc sốt xuất huyết tăng cao</h2></div>"
        "<div class='elementor-widget elementor-widget-theme-post-content'>"
        f"<div class='elementor-widget-container'>{TEXT}"
        "<p><a href='/wp-content/uploads/2024/07/CV-2145-SYT-NVY.pdf'>CV-2145-SYT-NVY</a></p>"
        "<p style='text-align: right;'><strong>Thanh Tâm (CDC Quảng Ngãi)</strong></p>"
        "</div></div></body></html>"
    )
    article = read_article(html, URL)
    assert article["authors"] == ["Thanh Tâm"]
    assert [a["kind"] for a in article["attachments"]] == ["pdf"]
    assert article["body_text"].startswith("Đoạn 0")


def test_the_cms_account_in_a_date_line_and_a_lead_in_a_table_cell():
    html = (
        "<html><head><title>Tuyển sinh lớp 10 năm học 2024-2025</title></head><body>"
        "<table><tr><td class='tieude'>Tuyển sinh lớp 10 năm học 2024-2025</td></tr>"
        "<tr><td class='submitted'>Bởi hlhuyen, Thứ Ba, 14/05/2024 - 09:12</td></tr>"
        "<tr><td class='trichdan'>Sở Giáo dục và Đào tạo vừa có Công văn số 1021/SGDĐT-QLCL "
        "ngày 03/6/2024 hướng dẫn tuyển sinh.</td></tr>"
        f"<tr><td class='noidung'>{TEXT}</td></tr></table></body></html>"
    )
    article = read_article(html, URL)
    assert article["authors"] == ["hlhuyen"]
    assert article["summary"].startswith("Sở Giáo dục và Đào tạo vừa có Công văn")
    assert "1021/SGDĐT-QLCL" in [ref["number"] for ref in article["doc_refs"]]


def test_a_headline_set_in_large_type_when_the_title_names_only_the_portal():
    html = (
        "<html><head><title>Cổng thông tin điện tử Sở Tài nguyên và Môi trường</title></head>"
        "<body><span class='asa.portlet.title' style='display:none;'>Web Content Viewer</span>"
        "<table><tr><td style='font-size: 18px;'><strong>Hội nghị tổng kết công tác năm 2024 "
        "của ngành Tài nguyên và Môi trường</strong></td></tr>"
        "<tr><td><p><b>Sáng 14/01, Sở tổ chức Hội nghị tổng kết công tác năm 2024.</b></p></td>"
        f"</tr><tr><td class='noidung'>{TEXT}</td></tr></table></body></html>"
    )
    assert read_article(html, URL)["title"] == (
        "Hội nghị tổng kết công tác năm 2024 của ngành Tài nguyên và Môi trường"
    )


def test_a_right_aligned_credit_above_a_table_of_files_and_not_a_signer():
    files = "".join(
        f"<tr><td><a href='/att/{n}.pdf'>tep-{n}.pdf</a></td><td>Tài liệu {n}</td>"
        f"<td>{n}45 KB</td><td>{n}</td></tr>"
        for n in range(1, 4)
    )
    html = related_page("").replace(
        "</div></body>",
        "<p style='text-align: right;'><strong>Thu Hà (CDC Hà Tĩnh)</strong></p>"
        f"<table><caption>Tệp đính kèm:</caption>{files}</table></div></body>",
    )
    article = read_article(html, URL)
    assert article["authors"] == ["Thu Hà"]
    assert "Thu Hà (CDC Hà Tĩnh)" not in article["body_text"]
    signed = related_page("").replace(
        "</div></body>",
        "<p align='right'><b>KT. GIÁM ĐỐC</b></p><p align='right'><b>Nguyễn Văn An</b></p>"
        f"<table>{files}</table></div></body>",
    )
    assert read_article(signed, URL)["authors"] == []


def test_a_portal_box_whose_title_sits_in_its_own_header_bar():
    box = (
        "<div class='af_showDetailFrame'><div class='af_showDetailFrame_header'>"
        "<div class='af_showDetailFrame_header-text'>Văn bản mới ban hành</div></div>"
        "<div><ul><li><a href=\"javascript:downloadfile('QD.pdf','/cs/docs/bdh_0412533.pdf')\">"
        "Quyết định số 2310/QĐ-UBND</a></li></ul></div></div>"
    )
    assert read_article(related_page(box), URL)["attachments"] == []


def test_a_sharepoint_web_part_page_titled_by_its_rich_text_and_its_list_web_part():
    """The <title> and the site's h1 name the section; the rich-text web part opens with
    the headline in bold; "Các tin khác" is a web part whose title (in <nobr>) sits in its
    header row and whose list is in the next row."""
    cqwp = "".join(
        f"<li><a href='/tinhoatdong/Pages/bai-{n}.aspx'>Bài viết số {n} về công tác hòa giải ở "
        "cơ sở</a></li>"
        for n in range(1, 4)
    )
    html = (
        "<html><head><title>Tin hoạt động</title></head><body>"
        "<h1><a href='/tinhoatdong/'>Tin hoạt động</a></h1><table><tr><td>"
        "<div class='ms-rtestate-field'><p><strong>Sở Tư pháp tập huấn nghiệp vụ hòa giải ở cơ "
        f"sở năm 2023</strong></p>{TEXT}</div></td></tr>"
        "<tr><td><table><tr class='ms-WPHeader'><td class='ms-WPHeaderTd'>"
        "<h3 class='ms-standardheader ms-WPTitle'><nobr><span>Các tin khác</span></nobr></h3>"
        f"</td></tr></table></td></tr><tr><td><ul>{cqwp}</ul></td></tr></table></body></html>"
    )
    article = read_article(html, URL)
    assert article["title"] == "Sở Tư pháp tập huấn nghiệp vụ hòa giải ở cơ sở năm 2023"
    assert not article["body_text"].startswith("Sở Tư pháp tập huấn")
    assert [r["url"].rsplit("/", 1)[1] for r in article["related"]] == [
        "bai-1.aspx",
        "bai-2.aspx",
        "bai-3.aspx",
    ]


def test_an_og_title_that_names_the_section_gives_way_to_the_title_block():
    html = (
        "<html><head><title>Cổng thông tin điện tử huyện Hải Hậu</title>"
        "<meta property='og:title' content='Hoạt động của huyện - Cổng thông tin điện tử'>"
        "</head><body><div class='menu'><a href='/hoat-dong'>Hoạt động của huyện</a></div>"
        "<div class='tieu-de'>Huyện Hải Hậu tổ chức Lễ đón nhận Bằng công nhận xã Hải Minh</div>"
        f"<div class='noi-dung'>{TEXT}</div></body></html>"
    )
    assert read_article(html, URL)["title"] == (
        "Huyện Hải Hậu tổ chức Lễ đón nhận Bằng công nhận xã Hải Minh"
    )


def test_a_long_site_suffix_a_cut_search_headline_and_an_entry_header():
    headline = "Khai mạc Liên hoan Nghệ thuật quần chúng tỉnh Quảng Bình lần thứ XV năm 2024"
    suffix = " - Sở Văn hóa, Thể thao và Du lịch - Cổng TTĐT tỉnh Quảng Bình"
    html = (
        f"<html><head><title>{headline}{suffix}</title>"
        f"<meta property='og:title' content='{headline}{suffix}'></head><body>"
        f"<div class='noi-dung'>{TEXT}</div></body></html>"
    )
    assert read_article(html, URL)["title"] == headline
    cut = headline[:50].rsplit(" ", 1)[0] + "…"
    html = (
        f"<html><head><title>{headline}</title><script type='application/ld+json'>"
        f'{{"@type": "NewsArticle", "headline": "{cut}"}}</script></head><body>'
        f"<header class='entry-header'><h1 class='cat-links'>{headline}</h1></header>"
        f"<div class='post-content'>{TEXT}</div></body></html>"
    )
    assert read_article(html, URL)["title"] == headline


def test_what_a_second_reading_found():
    """Cases a reviewer of the change built, each once wrong."""
    headline = "Tỉnh ủy tổng kết công tác xây dựng Đảng năm 2023 và triển khai nhiệm vụ"
    # The article's own header inside a content block is not furniture.
    html = (
        "<html><head><title>Cổng TTĐT</title></head><body><div class='noi-dung'><article>"
        f"<header class='entry-header'><h1>{headline}</h1></header>{TEXT}</article></div>"
        "</body></html>"
    )
    assert read_article(html, URL)["title"] == headline
    # A JSON-LD headline that ends a sentence is not cut short.
    html = (
        f'<html><head><script type=\'application/ld+json\'>{{"headline": "{headline}."}}'
        f"</script></head><body><h4>{headline}</h4><div class='noi-dung'>{TEXT}</div>"
        "</body></html>"
    )
    assert read_article(html, URL)["title"].startswith(headline)
    # A source line closing the body leaves it when the person is credited elsewhere.
    html = related_page("").replace(
        "</div></body>",
        "<p>Theo Báo Quảng Trị</p></div><div class='tacgia'>Minh Châu</div></body>",
    )
    article = read_article(html, URL)
    assert article["authors"] == ["Minh Châu"]
    assert article["source_unit"] == "Báo Quảng Trị"
    assert not article["body_text"].endswith("Theo Báo Quảng Trị")
    # A headline ending in an ordinary phrase keeps it.
    html = (
        "<html><head><title>Hội nghị trực tuyến - Phòng chống dịch sốt xuất huyết</title>"
        "<meta property='og:title' content='Hội nghị trực tuyến - Phòng chống dịch sốt xuất "
        f"huyết'></head><body><div class='noi-dung'>{TEXT}</div></body></html>"
    )
    assert read_article(html, URL)["title"] == (
        "Hội nghị trực tuyến - Phòng chống dịch sốt xuất huyết"
    )
    # A file under a dotted folder is not "this page as another file".
    page_url = "https://x.example.gov.vn/v2.0/tin/1"
    html = related_page("").replace(
        "</div></body>",
        "<p><a href='/v2.0/download/55.pdf'>Kế hoạch 55/KH-UBND</a></p></div></body>",
    )
    assert [a["url"] for a in read_article(html, page_url)["attachments"]] == [
        "https://x.example.gov.vn/v2.0/download/55.pdf"
    ]
