"""Titles, dates and credits in the forms tuning round E found (issue 11 items 1–4):
a date line set as the page's only <h1>, a <title> whose headline has its own " - ",
"HEADLINE > Site", a <title> that repeats the headline while og:title shortens it, a
headline that links to its own page, a list of other articles laid out in divs, a
label whose files are its own links, "Tin cùng chủ đề", a posting account followed by
more on the same line, a Vietnamese month name after the poster's name."""

from __future__ import annotations

from conftest import read_article

URL = "https://sct.example.gov.vn/web/guest/tin-tuc-su-kien/-/asset_publisher/K7mQ/content/hoi-thao"
TEXT = "".join(
    f"<p>Đoạn {n}: Sở Công Thương phối hợp tổ chức hội thảo kết nối cung cầu nông sản, "
    "thủy sản với sự tham gia của doanh nghiệp, hợp tác xã và hộ kinh doanh.</p>"
    for n in range(4)
)
SIDEBAR = (
    "<div class='sidebar'><h3>Tin mới</h3><ul><li><a href='/t/1'>Một tin khác của Sở "
    "Công Thương tỉnh trong tháng</a> (02/05/2024)</li></ul></div>"
)


def test_a_date_line_set_as_the_only_h1_is_the_date_not_the_title():
    html = (
        "<html><head><title>Tin tức - Sự kiện - Sở Công Thương tỉnh Cà Mau</title></head>"
        "<body><div class='menu'><a href='/tin-tuc'>Tin tức - Sự kiện</a></div>"
        "<h6>Tin tức - Sự kiện</h6><div class='txtdetail'>"
        "<h5>Hội thảo kết nối cung cầu nông sản, thủy sản năm 2024</h5>"
        f"<h1>Cập nhật: 07/05/2024 09:40</h1><div class='journal-content-article'>{TEXT}"
        "</div></div><div class='other'><div class='text_09'><a href='/t/9'>Kiểm tra chất "
        "lượng xăng dầu tại các cửa hàng bán lẻ</a> <span>(03/05/2024)</span></div>"
        "<div class='text_09'><a href='/t/8'>Một bài khác của Sở trong tháng năm</a> "
        "(02/05/2024)</div></div></body></html>"
    )
    article = read_article(html, URL, fetched_at="2024-05-20T09:00:00+07:00")
    assert article["title"] == "Hội thảo kết nối cung cầu nông sản, thủy sản năm 2024"
    assert article["published_at"] == "2024-05-07T09:40:00+07:00"


def test_a_title_whose_headline_has_its_own_dash_keeps_it():
    html = (
        "<html><head><title>Hội nghị tập huấn Luật Đất đai năm 2024 - những điểm mới cần "
        "lưu ý - Sở Tài nguyên và Môi trường tỉnh Bình Định</title></head><body>"
        f"<div class='taglib-header'><h3>Tin tức</h3></div><div class='noi-dung'>{TEXT}</div>"
        "</body></html>"
    )
    assert read_article(html, URL)["title"] == (
        "Hội nghị tập huấn Luật Đất đai năm 2024 - những điểm mới cần lưu ý"
    )


def test_a_section_before_the_site_in_the_title_goes_too_and_so_does_a_site_after_gt():
    html = (
        "<html><head><title>Sở Y tế kiểm tra công tác phòng, chống dịch sốt xuất huyết - "
        "Tin tức - Sở Y tế Quảng Ninh</title></head><body><div class='menu'>"
        f"<a href='/tin-tuc'>Tin tức</a></div><div class='noi-dung'>{TEXT}</div></body></html>"
    )
    assert read_article(html, URL)["title"] == (
        "Sở Y tế kiểm tra công tác phòng, chống dịch sốt xuất huyết"
    )
    html = html.replace(" - Tin tức - ", " > ")
    assert read_article(html, URL)["title"] == (
        "Sở Y tế kiểm tra công tác phòng, chống dịch sốt xuất huyết"
    )


def test_a_headline_linking_to_its_own_page_gives_the_date_beside_it():
    url = "https://snv.example.gov.vn/Tin-tuc/articleType/ArticleView/articleId/1523/THONG-BAO"
    html = (
        "<html><head><title>THÔNG BÁO KẾT QUẢ VÒNG 2 KỲ THI TUYỂN CÔNG CHỨC NĂM 2024 &gt; "
        "Sở Nội vụ tỉnh Trà Vinh</title></head><body><div class='header'><h1>Sở Nội vụ</h1>"
        "<span>Hôm nay: Thứ Hai, 08/07/2024</span></div><table><tr><td><span class='NormalBold'>"
        f"Thứ Năm, 04/07/2024</span></td></tr><tr><td class='Normal'><a href='{url}' "
        "class='articleTitle'>THÔNG BÁO KẾT QUẢ VÒNG 2 KỲ THI TUYỂN CÔNG CHỨC NĂM 2024</a><br>"
        "Người đăng: nvhung @ 15:20 :: 312 lượt xem :: <a href='/c/4'>Thông báo</a>, "
        f"<a href='/c/7'>Tuyển dụng</a></td></tr></table><div class='noi-dung'>{TEXT}</div>"
        f"{SIDEBAR}</body></html>"
    )
    article = read_article(html, url, fetched_at="2024-07-08T09:00:00+07:00")
    assert article["title"] == "THÔNG BÁO KẾT QUẢ VÒNG 2 KỲ THI TUYỂN CÔNG CHỨC NĂM 2024"
    assert article["published_at"] == "2024-07-04"
    assert article["authors"] == ["nvhung"]


def test_the_title_that_repeats_the_headline_beats_a_shortened_share_title():
    html = (
        "<html><head><title>Sở NN&amp;PTNT Ninh Thuận | Ninh Thuận triển khai Quyết định số "
        "1520/QĐ-UBND về phương án ứng phó hạn hán vụ Hè Thu năm 2024 - Tin tức</title>"
        "<meta property='og:title' content='Ninh Thuận triển khai phương án ứng phó hạn hán'>"
        "</head><body><h2>Thông tin chi tiết</h2><table><tr><td class='x'>Ninh Thuận triển "
        "khai Quyết định số 1520/QĐ-UBND về phương án ứng phó hạn hán vụ Hè Thu năm 2024</td>"
        f"</tr><tr><td>{TEXT}<p>Tải về: <a href='/uploads/QD-1520.doc'>QD-1520.doc</a> | "
        "<a href='/uploads/Phu-luc.rar'>Phu-luc.rar</a></p><p>Xem thêm: <a href='/tin/1962'>"
        "Hướng dẫn lịch thời vụ</a>.</p></td></tr></table></body></html>"
    )
    article = read_article(html, URL)
    assert article["title"] == (
        "Ninh Thuận triển khai Quyết định số 1520/QĐ-UBND về phương án ứng phó hạn hán vụ "
        "Hè Thu năm 2024"
    )
    assert [a["url"].rsplit("/", 1)[1] for a in article["attachments"]] == [
        "QD-1520.doc",
        "Phu-luc.rar",
    ]


def test_related_under_tin_cung_chu_de_and_a_month_name_after_the_poster():
    html = (
        "<html><head><title>Xây dựng nông thôn mới kiểu mẫu ở Hải Phương</title></head><body>"
        "<h1>Xây dựng nông thôn mới kiểu mẫu ở Hải Phương</h1><div class='articleAuthor'>"
        "<a href='/author/5'>Trung tâm Truyền thông</a> đăng lúc Tháng Mười 08, 2024 09:05"
        f"</div><div class='noi-dung'>{TEXT}</div><div class='title_block'><span>Tin cùng "
        "chủ đề</span></div><ul><li><a href='/t/2437'>Trao kinh phí hỗ trợ xóa nhà tạm</a></li>"
        "<li><a href='/t/2419'>Doanh nghiệp chung tay xóa nhà tạm</a></li></ul></body></html>"
    )
    article = read_article(html, URL, fetched_at="2024-10-20T09:00:00+07:00")
    assert article["published_at"] == "2024-10-08T09:05:00+07:00"
    assert [r["title"] for r in article["related"]] == [
        "Trao kinh phí hỗ trợ xóa nhà tạm",
        "Doanh nghiệp chung tay xóa nhà tạm",
    ]


def test_an_initial_like_q_anh_is_a_credit_and_kt_giam_doc_a_signer():
    files = "".join(
        f"<tr><td>{n}</td><td><a href='/f/{n}.pdf'>Tệp {n}</a></td></tr>" for n in range(4)
    )
    html = (
        "<html><head><title>Hội nghị cán bộ công chức</title></head><body>"
        f"<h1>Hội nghị cán bộ, công chức năm 2024</h1><div class='noi-dung'>{TEXT}"
        "<p style='text-align:right'><strong>Q.Anh</strong></p>"
        f"<table>{files}</table></div></body></html>"
    )
    assert read_article(html, URL)["authors"] == ["Q.Anh"]
    signed = html.replace("<strong>Q.Anh</strong>", "<strong>KT. GIÁM ĐỐC</strong>")
    assert read_article(signed, URL)["authors"] == []


def test_round_f_forms_a_label_set_large_a_cut_headline_a_name_beside_the_date():
    # ASP.NET WebForms: <title> is the agency; the headline a Label with FontSize=Large.
    html = (
        "<html><head><title>SỞ TƯ PHÁP TỈNH QUẢNG NGÃI</title></head><body><table><tr><td>"
        "<span id='Label2' style='color:#0000FF;font-size:Large;font-weight:bold;'>Tuyên "
        "truyền, phổ biến Luật Hôn nhân và gia đình năm 2014</span></td></tr><tr><td>"
        f"<span id='Label3'>{TEXT}</span></td></tr></table></body></html>"
    )
    assert read_article(html, URL)["title"] == (
        "Tuyên truyền, phổ biến Luật Hôn nhân và gia đình năm 2014"
    )
    # A JSON-LD headline cut with "..." whose dashes differ from the page's own.
    html = (
        "<html><head><title>Tiêm vắc xin sởi</title><script type='application/ld+json'>"
        '{"@type": "Article", "headline": "Bến Tre: Triển khai chiến dịch tiêm vắc xin sởi - '
        'rubella cho trẻ..."}</script></head><body><h2 class="wp-block-post-title">Bến Tre: '
        "Triển khai chiến dịch tiêm vắc xin sởi – rubella cho trẻ từ 1 đến 5 tuổi</h2>"
        f"<div class='entry-content'>{TEXT}</div></body></html>"
    )
    assert read_article(html, URL)["title"] == (
        "Bến Tre: Triển khai chiến dịch tiêm vắc xin sởi – rubella cho trẻ từ 1 đến 5 tuổi"
    )
    # A bare name in the article's own metadata row, beside its date.
    html = (
        "<html><head><title>Hội nghị triển khai quy định dạy thêm, học thêm</title></head>"
        "<body><h2 class='h4'>Hội nghị triển khai quy định dạy thêm, học thêm năm 2025</h2>"
        "<ul class='meta'><li><span>Lê Thị Hồng Nhung</span></li><li><span>20/05/2025 14:20"
        "</span></li><li><span>1.204</span></li></ul>"
        f"<div class='post-content'>{TEXT}</div></body></html>"
    )
    article = read_article(html, URL, fetched_at="2025-05-22T09:00:00+07:00")
    assert article["published_at"] == "2025-05-20T14:20:00+07:00"
    assert article["authors"] == ["Lê Thị Hồng Nhung"]


def test_a_relative_date_of_several_amounts_counts_them_all():
    from datetime import datetime, timedelta, timezone

    from scraper.parsing.dates import parse_date

    now = datetime(2024, 9, 4, 14, 30, tzinfo=timezone(timedelta(hours=7)))
    assert parse_date("2 ngày 4 giờ trước", now).value == "2024-09-02T10:30:00+07:00"
    assert parse_date("1 giờ 20 phút trước", now).value == "2024-09-04T13:10:00+07:00"
    assert parse_date("1 tuần 6 ngày trước", now).value == "2024-08-22"


def test_round_g_forms_microdata_headline_page_header_and_a_header_classed_block():
    # Joomla: a stale og:title, the section in <h1>, the headline marked as microdata.
    html = (
        "<html><head><title>Tin tức - Sự kiện - Cổng thông tin điện tử huyện Đại Lộc</title>"
        "<meta property='og:title' content='Một bài khác hẳn của tuần trước ở huyện'></head>"
        "<body><div class='item-page' itemscope itemtype='https://schema.org/Article'>"
        "<div class='page-header'><h1>Tin tức - Sự kiện</h1></div><div class='page-header'>"
        "<h2 itemprop='headline'>Huyện Đại Lộc: Tổng kết 10 năm thực hiện Chỉ thị 40-CT/TW</h2>"
        f"</div><div itemprop='articleBody'>{TEXT}</div><ul class='pager'><li><a href='/a'>"
        "Trước</a></li><li><a href='/b'>Tiếp</a></li></ul></div></body></html>"
    )
    article = read_article(html, URL)
    assert article["title"] == "Huyện Đại Lộc: Tổng kết 10 năm thực hiện Chỉ thị 40-CT/TW"
    assert article["authors"] == []  # the pager's "Trước Tiếp" is nobody
    # A header-classed block holding exactly the <title>'s headline, and its date line.
    html = (
        "<html><head><title>Vì sao học sinh lớp 12 cần ôn tập sớm cho kỳ thi năm 2025? - Sở "
        "Giáo dục và Đào tạo Lâm Đồng</title><meta property='og:title' content='Vì sao cần "
        "ôn tập sớm?'></head><body><div class='header'><a href='/'>Sở GD&amp;ĐT</a></div>"
        "<div class='header'><h1 class='news-title'>Vì sao học sinh lớp 12 cần ôn tập sớm cho "
        "kỳ thi năm 2025?</h1><span>Đăng ngày: 12/12/2024 lúc 15:40</span></div>"
        f"<div class='news-content'>{TEXT}</div></body></html>"
    )
    article = read_article(html, URL, fetched_at="2024-12-20T09:00:00+07:00")
    assert article["title"] == "Vì sao học sinh lớp 12 cần ôn tập sớm cho kỳ thi năm 2025?"
    assert article["published_at"] == "2024-12-12T15:40:00+07:00"


def test_a_download_link_says_its_type_by_a_word_icon_or_a_trailing_dash():
    html = (
        "<html><head><title>Kế hoạch tuyển dụng viên chức năm 2025</title></head><body>"
        f"<h1>Kế hoạch tuyển dụng viên chức năm 2025</h1><div class='noi-dung'>{TEXT}"
        "<p><a href='/DownloadFile.aspx?id=31'><i class='fa fa-file-word-o'></i> Mẫu phiếu "
        "đăng ký dự tuyển</a></p><p><a href='/DownloadFile.aspx?id=32'>Kế hoạch số 12/KH-SNV "
        "- PDF</a></p></div></body></html>"
    )
    kinds = [a["kind"] for a in read_article(html, URL)["attachments"]]
    assert kinds == ["doc", "pdf"]


def test_round_i_forms_base_href_card_links_and_a_page_name_h1():
    """Relative links resolve against <base href> (not the page's folder); a card whose
    link is an empty layer over it is titled by its heading; a short h1 that only repeats
    the <title> gives way to a long block classed as the title before the body."""
    html = (
        "<html><head><title>Tin hoạt động</title><base href='https://stp.example.gov.vn/'>"
        "</head><body><h1 class='page-title'>Tin hoạt động</h1>"
        "<div class='news-date'>Ngày đăng: 05/03/2025</div>"
        "<div class='news-detail-title'>Sở Tư pháp tổ chức Hội nghị tổng kết công tác "
        f"tư pháp năm 2024</div><div class='news-content'>{TEXT}"
        "<p><a href='storage/files/bao-cao-2024.pdf'>Báo cáo tổng kết năm 2024</a></p></div>"
        "<section class='posts'><div class='heading'>Tin liên quan</div>"
        "<div class='card'><h3>Kết quả tiếp công dân định kỳ tháng 11/2024</h3>"
        "<a href='tin-tuc/ket-qua-tiep-cong-dan-2858.html' class='stretched-link'></a></div>"
        "<div class='card'><h3>Chủ tịch UBND tỉnh đối thoại với công dân</h3>"
        "<a href='tin-tuc/doi-thoai-2851.html' class='stretched-link'></a></div>"
        f"</section>{SIDEBAR}</body></html>"
    )
    url = "https://stp.example.gov.vn/wps/portal/stp/tin-tuc/chi-tiet/hoi-nghi-tong-ket"
    article = read_article(html, url, fetched_at="2025-03-10T09:00:00+07:00")
    assert article["title"] == "Sở Tư pháp tổ chức Hội nghị tổng kết công tác tư pháp năm 2024"
    assert [a["url"] for a in article["attachments"]] == [
        "https://stp.example.gov.vn/storage/files/bao-cao-2024.pdf"
    ]
    assert article["related"] == [
        {
            "url": "https://stp.example.gov.vn/tin-tuc/ket-qua-tiep-cong-dan-2858.html",
            "title": "Kết quả tiếp công dân định kỳ tháng 11/2024",
        },
        {
            "url": "https://stp.example.gov.vn/tin-tuc/doi-thoai-2851.html",
            "title": "Chủ tịch UBND tỉnh đối thoại với công dân",
        },
    ]


def test_round_i_module_title_h1_viewer_links_and_a_labelled_name_beside_the_date():
    """DNN: the container's module title is the only h1 and the <title> is "Portal >
    Section > Module"; the headline is an h2 classed as the title; the credit is
    "Tác giả: <a>NAME (UNIT)</a>" in the date's row. SharePoint's WopiFrame viewer link
    is the file it shows."""
    html = (
        "<html><head><title>Sở Y tế tỉnh Quảng Nam &gt; Tin tức - Sự kiện &gt; Hoạt động "
        "chuyên môn</title></head><body><div class='menu'><a href='/tin-tuc'>Tin tức - "
        "Sự kiện</a><a href='/hd'>Hoạt động chuyên môn</a></div>"
        "<h1><span class='TitleH1'>Hoạt động chuyên môn</span></h1>"
        "<div class='article details'><h2 class='edn_articleTitle'>Quảng Nam chủ động "
        "phòng, chống dịch sốt xuất huyết trong mùa mưa năm 2024</h2>"
        "<p class='meta_text'>Tác giả: <a href='/tin-tuc/author/37/t-hang'>T.HẰNG (CDC "
        "Quảng Nam)</a> <span>/</span> <time>14/06/2024 15:20</time> <span>/</span> "
        "Chuyên mục: <a href='/c/pcd'>Phòng chống dịch bệnh</a></p>"
        f"<div class='main_content'>{TEXT}<p><a href='/_layouts/15/WopiFrame.aspx?"
        "sourcedoc=/Documents/KH-2156-SYT.docx&amp;action=default'>Kế hoạch 2156</a></p>"
        f"</div></div>{SIDEBAR}</body></html>"
    )
    url = "https://soyte.example.gov.vn/tin-tuc/hoat-dong-chuyen-mon/id/4172/quang-nam"
    article = read_article(html, url, fetched_at="2024-06-17T09:00:00+07:00")
    assert article["title"] == (
        "Quảng Nam chủ động phòng, chống dịch sốt xuất huyết trong mùa mưa năm 2024"
    )
    assert article["byline"] == "Tác giả: T.HẰNG (CDC Quảng Nam)"
    assert article["authors"] == ["T.HẰNG"]
    assert article["published_at"] == "2024-06-14T15:20:00+07:00"
    assert article["attachments"] == [
        {
            "url": "https://soyte.example.gov.vn/Documents/KH-2156-SYT.docx",
            "name": "Kế hoạch 2156",
            "kind": "docx",
        }
    ]


def test_round_j_tool_links_on_the_date_line_and_an_account_in_an_author_element():
    """ "Ngày đăng: … | In bài | Gửi email" is the date's line, not a list of links; an
    element classed for the author that holds only an account is the credit when the
    page gives no other."""
    html = (
        "<html><head><title>Cổng thông tin điện tử huyện Tam Nông</title></head><body>"
        "<table><tr><td class='title_news'><b>Vì sao hồ sơ trực tuyến toàn trình ở cấp xã "
        "còn thấp?</b></td></tr><tr><td class='date_news'>Ngày đăng: 14/03/2025 08:45 | "
        "Lượt xem: 1.236 | <a href='javascript:printNews(4127)'>In bài</a> | <a href='"
        "index.php?option=sendmail&amp;id=4127'>Gửi email</a></td></tr><tr><td "
        f"class='content_news'>{TEXT}</td></tr></table><span class='metadata-author'>"
        f"<img alt='' src='/image/u.png'> hnnhung</span>{SIDEBAR}</body></html>"
    )
    url = "https://tamnong.example.gov.vn/index.php?option=news&id=4127"
    article = read_article(html, url, fetched_at="2025-03-20T09:00:00+07:00")
    assert article["title"] == "Vì sao hồ sơ trực tuyến toàn trình ở cấp xã còn thấp?"
    assert article["published_at"] == "2025-03-14T08:45:00+07:00"
    assert article["authors"] == ["hnnhung"]


def test_round_j_breadcrumb_heading_credit_row_and_files_under_a_related_label():
    """NukeViet 3: the breadcrumb is an <h3> ending in a cut headline, the headline a <b>
    in a title cell, the credit in its own table row after the body; "Văn bản liên quan"
    lists files, which are no related articles; "Các thông báo khác" is a related block."""
    html = (
        "<html><head><title>Tin hoạt động - Sở Tư pháp tỉnh Hà Giang</title></head><body>"
        "<h3 class='breakcolumn'><a href='/'>Trang nhất</a> » <a href='/news/'>Tin tức</a>"
        " » <a href='/news/hd/'>Tin hoạt động</a> » <span>THÔNG BÁO: Kết quả xét tuyển "
        "viên chức vòng 2...</span></h3><table><tr><td class='title-detail'><b>THÔNG BÁO: "
        "Kết quả xét tuyển viên chức vòng 2 năm 2024 của Sở Tư pháp</b></td></tr><tr><td>"
        f"<span class='time'>Thứ năm, 12/12/2024 15:20</span></td></tr><tr><td><div "
        f"class='bodytext'>{TEXT}<p>Văn bản liên quan:</p><ul><li><a href='/files/tb-289"
        ".pdf'>Thông báo số 289/TB-STP về kết quả xét tuyển</a></li></ul></div></td></tr>"
        "<tr><td><p style='text-align: right;'><strong>Tác giả: </strong>Vương Thị Hà</p>"
        "<p style='text-align: right;'><strong>Nguồn tin: </strong>Văn phòng Sở Tư pháp</p>"
        "</td></tr></table><h2>Các thông báo khác</h2><ul><li><a href='/news/hd/tb-841/'>"
        "Thông báo lịch tiếp công dân định kỳ tháng 01/2025</a></li><li><a href='/news/hd/"
        f"tb-836/'>Thông báo kết quả lựa chọn tổ chức đấu giá</a></li></ul>{SIDEBAR}"
        "</body></html>"
    )
    url = "https://stp.example.gov.vn/news/hd/thong-bao-ket-qua-812/"
    article = read_article(html, url, fetched_at="2024-12-20T09:00:00+07:00")
    assert article["title"] == (
        "THÔNG BÁO: Kết quả xét tuyển viên chức vòng 2 năm 2024 của Sở Tư pháp"
    )
    assert article["authors"] == ["Vương Thị Hà"]
    assert [a["url"] for a in article["attachments"]] == [
        "https://stp.example.gov.vn/files/tb-289.pdf"
    ]
    assert [r["url"] for r in article["related"]] == [
        "https://stp.example.gov.vn/news/hd/tb-841/",
        "https://stp.example.gov.vn/news/hd/tb-836/",
    ]


def test_round_j_cut_og_title_hidden_brand_h1_self_link_and_a_subtitle():
    """og:title cut short gives way to the full title-classed heading; a screen-reader
    h1 and a sidebar link to the article itself do not make the headline a section name;
    a title-classed heading wins over the longer subtitle under it; "Bởi X" credits X."""
    html = (
        "<html><head><title>22/04/2025 - Ngày hội đọc sách 2025 | Tin giáo dục</title>"
        "<meta property='og:title' content='Ngày hội đọc sách'></head><body>"
        "<h1 class='sr-only'>Sở Giáo dục và Đào tạo tỉnh Lào Cai</h1>"
        "<div class='menu'><a href='/tin-giao-duc'>Tin giáo dục</a></div>"
        "<h1 class='Title'>Tin giáo dục</h1><h3 class='news-title'>Ngày hội đọc sách 2025"
        "</h3><h4 class='news-subtitle'>Sở Giáo dục và Đào tạo phối hợp với Thư viện tỉnh "
        "tổ chức Ngày hội đọc sách hưởng ứng Ngày Sách và Văn hóa đọc Việt Nam</h4>"
        "<div class='meta'><span class='author'>Bởi Nguyễn Ngọc Lan</span> <span>22/04/2025"
        f"</span></div><div class='content'>{TEXT}</div><div class='sidebar'><h3>Tin mới</h3>"
        "<ul><li><a href='/tin-giao-duc/ngay-hoi-doc-sach-2025'>Ngày hội đọc sách 2025</a>"
        "</li><li><a href='/t/2'>Một tin khác của Sở trong tháng tư</a></li></ul></div>"
        "</body></html>"
    )
    url = "https://sgd.example.gov.vn/tin-giao-duc/ngay-hoi-doc-sach-2025"
    article = read_article(html, url, fetched_at="2025-04-25T09:00:00+07:00")
    assert article["title"] == "Ngày hội đọc sách 2025"
    assert article["authors"] == ["Nguyễn Ngọc Lan"]


def test_round_k_liferay_header_taglib_an_upper_cased_band_and_credits_in_lists():
    """Liferay's liferay-ui:header ("taglib-header") holds the page's own heading; an
    upper-cased band copy gives way to the headline as written; the author of an item in
    "Tin liên quan" is not this article's; a persona card's name line is the credit."""
    html = (
        "<html><head><title>Tin tức - Sự kiện - Sở Thông tin và Truyền thông</title>"
        "<meta property='og:title' content='Sở Thông tin và Truyền thông'></head><body>"
        "<h2 class='band-title'>VÌ SAO TỶ LỆ HỒ SƠ TRỰC TUYẾN TOÀN TRÌNH CÒN THẤP?</h2>"
        "<div class='taglib-header'><h3 class='header-title'><span>Vì sao tỷ lệ hồ sơ "
        "trực tuyến toàn trình còn thấp?</span></h3></div>"
        "<div class='authorByline'><div class='ms-Persona'><div aria-hidden='true'>"
        "<span>LH</span></div><div class='ms-Persona-primaryText'><span>Lê Thị Thu Hà"
        "</span></div><div><span>Chuyên viên</span></div></div><span>05/11/2024 08:30"
        f"</span></div><div class='news-content'>{TEXT}</div>"
        "<div class='related'><div class='title'>Tin liên quan</div><div class='item'>"
        "<a href='/t/5'>Kế hoạch chuyển đổi số năm 2025 của tỉnh</a><div class='meta'>"
        "<span class='newsItemAuthor'>Trần Quốc Bảo</span> <span>26/10/2024</span></div>"
        f"</div></div>{SIDEBAR}</body></html>"
    )
    url = "https://stttt.example.gov.vn/web/guest/tin-tuc/-/asset_publisher/x/content/vi-sao"
    article = read_article(html, url, fetched_at="2024-11-10T09:00:00+07:00")
    assert article["title"] == "Vì sao tỷ lệ hồ sơ trực tuyến toàn trình còn thấp?"
    assert article["authors"] == ["Lê Thị Thu Hà"]


def test_round_l_a_body_split_into_paragraph_items_and_a_file_typed_only_in_its_text():
    """Drupal Paragraphs split the body into like items (text, image, text): the body is
    all of them, with the documents cited in each; under "Tin liên quan", a link whose
    text says "(.xlsx)" is a file, not a related article."""
    item = "<div class='field__item'><div class='paragraph paragraph--type--van-ban'><div "
    html = (
        "<html><head><title>Sở Giáo dục và Đào tạo | Khai mạc Hội khỏe Phù Đổng</title>"
        "</head><body><h2 class='node__title'>Khai mạc Hội khỏe Phù Đổng tỉnh lần thứ XI "
        "năm 2024</h2><div class='field--name-field-paragraphs field__items'>"
        f"{item}class='field--name-field-noi-dung'>{TEXT}</div></div></div>"
        "<div class='field__item'><div class='paragraph paragraph--type--hinh-anh'><img "
        "src='/a.jpg' alt=''><div>Các đoàn vận động viên diễu hành</div></div></div>"
        f"{item}class='field--name-field-noi-dung'><p>Hội khỏe được tổ chức theo Quyết định "
        "số 2245/QĐ-UBND ngày 18/10/2023 của UBND tỉnh và Kế hoạch số 312/KH-SGDĐT ngày "
        "10/01/2024 của Sở Giáo dục và Đào tạo, với 13 môn thi đấu.</p></div></div></div>"
        "</div><div class='related'><h3>Tin liên quan</h3><ul><li><a href='/FileDownload?"
        "fileId=FV-118702'>Phụ lục số liệu năm 2024 (.xlsx)</a></li><li><a href='/tin/hoi-"
        "khoe-x'>Tổng kết Hội khỏe Phù Đổng lần thứ X năm 2020</a></li></ul></div>"
        f"{SIDEBAR}</body></html>"
    )
    url = "https://sgddt.example.gov.vn/tin-tuc/khai-mac-hoi-khoe-phu-dong"
    article = read_article(html, url, fetched_at="2024-03-20T09:00:00+07:00")
    assert {r["number"] for r in article["doc_refs"]} == {"2245/QĐ-UBND", "312/KH-SGDĐT"}
    assert "Đoạn 0" in article["body_text"] and "13 môn thi đấu" in article["body_text"]
    assert [r["url"] for r in article["related"]] == ["https://sgddt.example.gov.vn/tin/hoi-khoe-x"]


def test_round_l_site_prefixed_metadata_a_mid_line_account_and_category_links():
    """Joomla K2: og:title and the JSON-LD headline read "Site | Headline", the page's
    h2 is the headline; the item's category link beside each related article is no
    related article; "Ngày đăng: … | Người đăng: ntmhanh" gives the account."""
    html = (
        "<html><head><title>Sở VHTTDL Kon Tum | Khai mạc Ngày hội Văn hóa các dân tộc năm "
        "2025</title><meta property='og:title' content='Sở VHTTDL Kon Tum | Khai mạc Ngày "
        "hội Văn hóa các dân tộc năm 2025'><script type='application/ld+json'>{\"@type\": "
        '"NewsArticle", "headline": "Sở VHTTDL Kon Tum | Khai mạc Ngày hội Văn hóa các '
        "dân tộc năm 2025\"}</script></head><body><div class='menu'><a href='/van-hoa'>Văn "
        "hóa</a></div><h1>Tin tức</h1><h2 class='itemTitle'>Khai mạc Ngày hội Văn hóa các "
        "dân tộc năm 2025</h2><div class='ann-info'>Ngày đăng: 09/04/2025 10:30 | Người "
        f"đăng: ntmhanh</div><div class='itemFullText'>{TEXT}</div><div class="
        "'itemRelated'><h3>Bài viết liên quan</h3><ul><li><a href='/van-hoa/item/1461'>Tập "
        "huấn truyền dạy cồng chiêng cho thanh thiếu niên</a> <a href='/van-hoa'>Văn hóa"
        "</a></li><li><a href='/van-hoa/item/1455'>Họp báo giới thiệu Ngày hội Văn hóa các "
        f"dân tộc</a> <a href='/van-hoa'>Văn hóa</a></li></ul></div>{SIDEBAR}</body></html>"
    )
    url = "https://svhttdl.example.gov.vn/van-hoa/item/1470-khai-mac-ngay-hoi"
    article = read_article(html, url, fetched_at="2025-04-12T09:00:00+07:00")
    assert article["title"] == "Khai mạc Ngày hội Văn hóa các dân tộc năm 2025"
    assert article["authors"] == ["ntmhanh"]
    assert [r["url"] for r in article["related"]] == [
        "https://svhttdl.example.gov.vn/van-hoa/item/1461",
        "https://svhttdl.example.gov.vn/van-hoa/item/1455",
    ]


def test_round_m_a_hidden_page_microformat_and_the_trail_name_the_page_not_the_article():
    """WebSphere Portal: <title>, a display:none "asa.page.title" span and the trail's
    last step all say "Chi tiết tin tức"; the headline is an h3 above the body."""
    html = (
        "<html><head><title>Chi tiết tin tức</title></head><body><div class='asa.page' "
        "style='display:none;'><span class='asa.page.title'>Chi tiết tin tức</span></div>"
        "<div class='wpthemeCrumbTrail'><a href='/'>Trang chủ</a> &gt; <strong><span>Chi "
        "tiết tin tức</span></strong></div><div class='chi-tiet-tin'><h3 class='tieu-de-"
        "tin'>Tập huấn nghiệp vụ công tác thi đua, khen thưởng năm 2024</h3><div>Cập nhật "
        f"lúc 15 giờ 20 phút ngày 23-4-2024</div><div class='noi-dung-tin'>{TEXT}</div>"
        f"</div>{SIDEBAR}</body></html>"
    )
    article = read_article(html, URL, fetched_at="2024-05-20T09:00:00+07:00")
    assert article["title"] == "Tập huấn nghiệp vụ công tác thi đua, khen thưởng năm 2024"
    assert article["published_at"] == "2024-04-23T15:20:00+07:00"


def test_round_m_a_panel_header_h1_is_the_headline_and_a_section_name_never_is():
    """Oracle ADF (WebCenter): the headline is an h1 in "af_panelHeader_header", which
    is the panel's heading, not the site's header; on a page whose panel h1 is only
    "Tin tức - Sự kiện" (linked nowhere), the title-classed line below it is."""
    panel = (
        "<html><head><title>Tin tức - Sự kiện - Sở Kế hoạch và Đầu tư</title></head><body>"
        "<div class='af_panelHeader'><div class='af_panelHeader_header'><h1 class="
        "'af_panelHeader_title-text0'>Công bố Quy hoạch tỉnh thời kỳ 2021 - 2030, tầm nhìn "
        f"đến năm 2050</h1></div><div class='kh-noidung'>{TEXT}</div></div>{SIDEBAR}"
        "</body></html>"
    )
    assert read_article(panel, URL)["title"] == (
        "Công bố Quy hoạch tỉnh thời kỳ 2021 - 2030, tầm nhìn đến năm 2050"
    )
    section = (
        "<html><head><title>Sở Tài chính</title></head><body><div class='af_panelHeader'>"
        "<div class='af_panelHeader_header'><h1>Tin tức - Sự kiện</h1></div><span class="
        "'tieu-de'>Công khai số liệu dự toán ngân sách địa phương năm 2026</span><div "
        f"class='noi-dung'>{TEXT}</div></div></body></html>"
    )
    assert read_article(section, URL)["title"] == (
        "Công khai số liệu dự toán ngân sách địa phương năm 2026"
    )


def test_round_m_a_list_form_heading_cell_and_the_account_that_created_the_item():
    """SharePoint list item: the headline is the form's <th> heading cell (the <title>
    is the list's name), and the only credit is "Được tạo vào … bởi ptthao"."""
    html = (
        "<html><head><title>Tin hoạt động</title></head><body><h2>Tin hoạt động</h2>"
        "<table class='ms-formtable'><tr><th colspan='2' class='ms-formheader detail__title'>"
        "Hội nghị đối thoại với doanh nghiệp 6 tháng đầu năm 2024</th></tr><tr><td>Trích "
        "yếu</td><td><div><strong>Sáng 18/6, Sở Kế hoạch và Đầu tư tổ chức hội nghị đối "
        "thoại với doanh nghiệp, nhà đầu tư trên địa bàn tỉnh.</strong></div></td></tr>"
        f"<tr><td>Nội dung</td><td><div class='noi-dung'>{TEXT}</div></td></tr></table>"
        "<table class='ms-formtoolbar'><tr><td><span><nobr>Được tạo vào 18/06/2024 9:05"
        "&nbsp; bởi <span><a href='/_layouts/15/userdisp.aspx?ID=37'>ptthao</a></span>"
        "</nobr></span></td></tr></table></body></html>"
    )
    article = read_article(html, URL, fetched_at="2024-07-01T09:00:00+07:00")
    assert article["title"] == "Hội nghị đối thoại với doanh nghiệp 6 tháng đầu năm 2024"
    assert article["authors"] == ["ptthao"]


def test_round_m_tabs_by_data_attribute_other_documents_and_no_author_pages():
    """A "Tin cũ hơn" tab names its list in data-tab; "Tư liệu khác" lists related
    items; a related item's author link (/author/…) is not an article; a cited
    "Nghị quyết số 30c/NQ-CP" keeps its letter."""
    html = (
        "<html><head><title>Hội nghị tổng kết giải ngân vốn năm 2023 - UBND huyện</title>"
        "</head><body><h1>Hội nghị tổng kết giải ngân vốn năm 2023</h1><div class='noi-"
        f"dung'><p>Thực hiện Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ.</p>{TEXT}"
        "</div><ul class='tabs'><li data-tab='tab-older'>Tin cũ hơn</li></ul><div id='tab-"
        "older'><ul><li><a href='/tin-tuc/thu-hoach-lua-6231.html'>Ra quân thu hoạch lúa vụ "
        "Hè Thu năm 2023</a></li></ul></div><div class='other'><h3>Tư liệu khác</h3><ul><li>"
        "<a href='/tu-lieu?id=4498'>Sắc lệnh số 14/SL về cuộc Tổng tuyển cử năm 1945</a> "
        "<a rel='author' href='/author/vanphong/'>Văn phòng</a></li></ul></div></body></html>"
    )
    article = read_article(html, "https://huyen.example.gov.vn/tin-tuc/hoi-nghi-6240.html")
    assert [r["url"] for r in article["related"]] == [
        "https://huyen.example.gov.vn/tin-tuc/thu-hoach-lua-6231.html",
        "https://huyen.example.gov.vn/tu-lieu?id=4498",
    ]
    assert [r["number"] for r in article["doc_refs"]] == ["30c/NQ-CP"]


def test_round_n_files_shown_through_viewers_and_named_by_download_links():
    """A PDF only in a pdf.js or Google viewer frame is the article's file; SharePoint's
    download.aspx?SourceUrl= names its file; a download call's path may be relative;
    an icon link takes the file's own name."""
    html = (
        "<html><head><title>Kế hoạch chuyển đổi số năm 2024 - Sở Khoa học</title></head>"
        "<body><h1>Kế hoạch chuyển đổi số năm 2024 của Sở Khoa học</h1><div class='noi-"
        f"dung'>{TEXT}<p><iframe src='/pdfjs/web/viewer.html?file=%2FUploads%2Fkh-12.pdf'>"
        "</iframe></p><p><iframe src='https://docs.google.com/viewer?url=https%3A%2F%2F"
        "skhcn.example.gov.vn%2Fuploads%2Fbc-95.pdf&amp;embedded=true'></iframe></p><p><a "
        "href='/_layouts/15/download.aspx?SourceUrl=%2FVanBan%2Fbieu-mau.xlsx'>Biểu mẫu"
        "</a></p></div><table><tr><td><a href=\"javascript:downloadfile('de-tai.rar','../"
        "Upload/de-tai.rar')\"><img src='/i/dl.gif' alt='Tải về'></a></td></tr></table>"
        f"{SIDEBAR}</body></html>"
    )
    url = "https://skhcn.example.gov.vn/tin-tuc/chi-tiet.aspx?id=2451"
    files = read_article(html, url)["attachments"]
    assert [(f["url"], f["name"], f["kind"]) for f in files] == [
        ("https://skhcn.example.gov.vn/Uploads/kh-12.pdf", "kh-12.pdf", "pdf"),
        ("https://skhcn.example.gov.vn/uploads/bc-95.pdf", "bc-95.pdf", "pdf"),
        (
            "https://skhcn.example.gov.vn/_layouts/15/download.aspx?SourceUrl=%2FVanBan%2F"
            "bieu-mau.xlsx",
            "Biểu mẫu",
            "xlsx",
        ),
        ("https://skhcn.example.gov.vn/Upload/de-tai.rar", "de-tai.rar", "rar"),
    ]


def test_round_n_a_home_link_h1_a_cut_jsonld_headline_and_a_date_after_the_title():
    site_h1 = (
        "<html><head><title>Tin tức sự kiện - Bắc Giang tăng cường quản lý khoáng sản"
        "</title></head><body><h1><a href='/'>Sở Tài nguyên và Môi trường tỉnh Bắc Giang"
        "</a></h1><table><tr><td><h3>Tiêu đề</h3></td><td>Bắc Giang tăng cường quản lý nhà "
        "nước về khoáng sản</td></tr><tr><td><h3>Người đăng tin</h3></td><td><nobr><span>"
        "<a href='/_layouts/userdisp.aspx?ID=27'>ntlan</a></span></nobr></td></tr></table>"
        f"<div class='noi-dung'>{TEXT}</div>"
        "</body></html>"
    )
    article = read_article(site_h1, URL)
    assert article["title"] == "Bắc Giang tăng cường quản lý nhà nước về khoáng sản"
    assert article["authors"] == ["ntlan"]
    cut = (
        "<html><head><title>Tin tức</title><script type='application/ld+json'>{\"@type\": "
        '"NewsArticle", "headline": "Hướng dẫn tổ chức Kỳ thi chọn học sinh giỏi cấp tỉnh '
        'lớp 12 năm học"}</script></head><body><h1>Tin tức</h1><h2>Hướng dẫn tổ chức Kỳ '
        "thi chọn học sinh giỏi cấp tỉnh lớp 12 năm học 2025 - 2026</h2><div class='noi-"
        f"dung'>{TEXT}</div></body></html>"
    )
    assert read_article(cut, URL)["title"] == (
        "Hướng dẫn tổ chức Kỳ thi chọn học sinh giỏi cấp tỉnh lớp 12 năm học 2025 - 2026"
    )
    dated = (
        "<html><head><title>Xây dựng Đảng</title></head><body><h1>Xây dựng Đảng</h1><h2 "
        "class='title-news'>Sơ kết 5 năm thực hiện Quy định 08-QĐi/TW về nêu gương <span "
        f"class='date'>(12/3/2024)</span></h2><div class='content-news'>{TEXT}</div></body></html>"
    )
    article = read_article(dated, URL, fetched_at="2024-05-20T09:00:00+07:00")
    assert article["title"] == "Sơ kết 5 năm thực hiện Quy định 08-QĐi/TW về nêu gương"
    assert article["published_at"] == "2024-03-12"
    assert [(r["number"], r["type"], r["issuer"]) for r in article["doc_refs"]] == [
        ("08-QĐi/TW", "QĐi", "TW")
    ]


def test_round_n_dates_in_a_wide_body_beside_the_day_and_in_a_scripts_data():
    """Joomla 2.5 prints its info block inside the item-page that also holds the text;
    "Cập nhật, 16:40, …" beside the bare day is the publication time; a page that
    prints no date may carry it in a script's data (SharePoint's page object)."""
    joomla = (
        "<html><head><title>Sở Tư pháp</title></head><body><div class='item-page'><h2>"
        "Hội nghị tập huấn công tác hòa giải ở cơ sở năm 2022</h2><dl class='article-info'>"
        "<dd class='published'>Ngày đăng: Thứ năm, 13 Tháng 10 2022 09:15</dd><dd class="
        "'modified'>Cập nhật lần cuối: Thứ hai, 17 Tháng 10 2022 14:02</dd></dl>"
        f"{TEXT}</div>{SIDEBAR}</body></html>"
    )
    article = read_article(joomla, URL, fetched_at="2022-10-20T09:00:00+07:00")
    assert article["published_at"] == "2022-10-13T09:15:00+07:00"
    beside = (
        "<html><head><title>Cổng TTĐT</title></head><body><h2>Hội nghị sơ kết công tác cải "
        "cách hành chính quý III</h2><div class='date-line'>14/11/2019</div><div class="
        "'article-date'>Cập nhật, 16:40, Thứ Năm, 14/11/2019 (GMT+7)</div><div class='noi-"
        f"dung'>{TEXT}</div></body></html>"
    )
    article = read_article(beside, URL, fetched_at="2019-11-18T09:00:00+07:00")
    assert article["published_at"] == "2019-11-14T16:40:00+07:00"
    scripted = (
        '<html><head><title>Sở Giáo dục</title><script>var page = {"Title": "x", '
        '"ArticleStartDate": "2023-10-11T23:10:00Z", "Modified": "2023-10-13T02:05:41Z"};'
        "</script></head><body><h2>Triển khai nhiệm vụ giáo dục chính trị năm học mới</h2>"
        f"<div class='noi-dung'>{TEXT}</div></body></html>"
    )
    article = read_article(scripted, URL, fetched_at="2023-10-20T09:00:00+07:00")
    assert article["published_at"] == "2023-10-12T06:10:00+07:00"


def test_round_n_credits_labels_and_a_see_also_link_in_the_text():
    html = (
        "<html><head><title>Sở Nội vụ</title></head><body><h1>Hội nghị sơ kết công tác cải "
        "cách hành chính quý I năm 2017</h1><div class='bodytext'>"
        f"{TEXT}<p>Xem thêm: <a href='/tin/1160'>Quảng Trị tăng 8 bậc về Chỉ số cải cách "
        "hành chính</a></p></div><p style='text-align: right;'><strong>Tác giả bài viết: "
        "</strong>Thu Hà - Minh Phương</p><div class='related'><h3>Tin liên quan</h3><ul>"
        "<li><a href='/tin/1150'>Triển khai kế hoạch cải cách hành chính năm 2017</a></li>"
        "</ul></div></body></html>"
    )
    article = read_article(html, URL)
    assert article["authors"] == ["Thu Hà", "Minh Phương"]
    assert [r["title"] for r in article["related"]] == [
        "Triển khai kế hoạch cải cách hành chính năm 2017"
    ]
    joomla = (
        "<html><head><title>Sở TN&amp;MT</title></head><body><table class='contentpaneopen'>"
        "<tr><td class='contentheading'>Ra quân chiến dịch làm cho thế giới sạch hơn</td>"
        "</tr><tr><td><span class='small'>Viết bởi hbnguyet</span></td></tr><tr><td>"
        f"{TEXT}<table><tr><td><a href='/attachments/a.zip'>a.zip</a></td><td>Bộ ảnh hoạt "
        "động Chiến dịch</td></tr></table></td></tr></table></body></html>"
    )
    assert read_article(joomla, URL)["authors"] == ["hbnguyet"]


def test_round_o_form_summary_title_block_with_its_date_printed_heading_and_pager_labels():
    """A SharePoint form's "Tóm tắt" field is the summary and its citations count; a
    title block holding the date line keeps only the headline; the heading <title>
    repeats wins over a JSON-LD headline worded otherwise; "Bài cũ hơn »" inside a
    pager link heads no related list."""
    form = (
        "<html><head><title>Tin hoạt động</title></head><body><table class='ms-formtable'>"
        "<tr><td><h3>Tiêu đề</h3></td><td>Khen thưởng đột xuất lực lượng cứu nạn trên biển"
        "</td></tr><tr><td><h3>Tóm tắt</h3></td><td>Ngày 26/02/2018, Chủ tịch UBND tỉnh "
        "đã ký Quyết định số 245/QĐ-UBND tặng Bằng khen cho 04 tập thể.</td></tr><tr><td>"
        f"<h3>Nội dung</h3></td><td><div class='noi-dung'>{TEXT}</div></td></tr></table>"
        "<table><tr><td class='ms-descriptiontext'>Được tạo lúc 2/27/2018 7:58 AM bởi "
        "System Account</td></tr></table></body></html>"
    )
    article = read_article(form, URL)
    assert article["summary"].startswith("Ngày 26/02/2018, Chủ tịch UBND tỉnh")
    assert "245/QĐ-UBND" in [r["number"] for r in article["doc_refs"]]
    block = (
        "<html><head><title>Tin tức - Sự kiện - Cổng TTĐT huyện</title></head><body><div "
        "class='titleContainer'><span>Nghi Lộc đẩy mạnh triển khai Đề án 06 trên địa bàn "
        "huyện</span><span class='pull-right'>Ngày đăng: 12/05/2023 0:0</span></div><div "
        f"class='contentNews'>{TEXT}</div></body></html>"
    )
    article = read_article(block, URL, fetched_at="2023-05-20T09:00:00+07:00")
    assert article["title"] == "Nghi Lộc đẩy mạnh triển khai Đề án 06 trên địa bàn huyện"
    assert article["published_at"] == "2023-05-12T00:00:00+07:00"
    seo = (
        "<html><head><title>Tăng cường quản lý tài nguyên nước trong mùa khô năm 2024 | Sở "
        "Tài nguyên và Môi trường</title><script type='application/ld+json'>{\"@type\": "
        '"NewsArticle", "headline": "Quảng Bình tăng cường quản lý nước mùa khô"}</script>'
        "</head><body><h1 class='page-title'>Tăng cường quản lý tài nguyên nước trong mùa "
        f"khô năm 2024</h1><div class='noi-dung'>{TEXT}</div><nav class='paginav'><a href="
        "'/tin/1'><span class='title'>Bài cũ hơn »</span><span>Kiểm tra công tác thi đua"
        "</span></a></nav></body></html>"
    )
    article = read_article(seo, URL)
    assert article["title"] == "Tăng cường quản lý tài nguyên nước trong mùa khô năm 2024"
    assert article["related"] == []


def test_a_payload_listing_other_articles_gives_the_time_beside_this_ones_title():
    """A Nuxt payload names the latest articles' times before this one's: the time
    taken is the one beside this article's title (the page prints no date)."""
    title = "Khánh Hòa tổ chức Liên hoan nghệ thuật quần chúng năm 2026"
    html = (
        '<html><head><title>Sở VHTTDL</title><script>window.__NUXT__={"latest":[{"title":'
        '"Tin khác của Sở", "publishedAt": "2021-01-05T02:00:00Z"}], "article": {"title": '
        f'"{title}", "publishedAt": "2026-12-04T07:05:00Z"}}}}</script></head><body><h1>Tin '
        f"tức</h1><div class='text-2xl font-bold'><h2>{title}</h2></div><div class='noi-dung'>"
        f"{TEXT}</div></body></html>"
    )
    article = read_article(html, URL, fetched_at="2026-12-05T09:00:00+07:00")
    assert article["published_at"] == "2026-12-04T14:05:00+07:00"


def test_round_p_credits_old_dates_onclick_files_and_a_web_part_list():
    """A right-aligned credit after a paragraph that names a "Chủ tịch" (running text,
    no signer's line); a 1948 date in the element the template names for the date;
    a download call in an onclick; "Xuất bản" further along a line of dates."""
    html = (
        "<html><head><title>Sở Nội vụ</title></head><body><h1>Kỷ niệm 76 năm Ngày Chủ tịch "
        "Hồ Chí Minh ra Lời kêu gọi thi đua ái quốc</h1><span class='date-detail'>11/06/1948 "
        f"0:0</span><div class='noi-dung'>{TEXT}<p>Phát biểu chỉ đạo, đồng chí Chủ tịch UBND "
        "huyện yêu cầu các xã triển khai ngay.</p><p style='text-align: right;'><strong>Hồng "
        "Nhung - Trung tâm Văn hóa huyện</strong></p><table><tr><td><a href='#' onclick="
        "\"javascript:downloadfile('toan-van.doc','/Upload/toan-van.doc');return false;\">Tải "
        "về</a></td></tr></table></div></body></html>"
    )
    article = read_article(html, URL, fetched_at="2025-06-11T09:00:00+07:00")
    assert article["authors"] == ["Hồng Nhung"]
    assert article["published_at"] == "1948-06-11T00:00:00+07:00"
    assert [(f["url"], f["name"]) for f in article["attachments"]] == [
        ("https://sct.example.gov.vn/Upload/toan-van.doc", "toan-van.doc")
    ]
    liferay = (
        "<html><head><title>Sở Y tế</title></head><body><h3 class='header-title'>Ra quân "
        "chiến dịch diệt lăng quăng phòng chống sốt xuất huyết</h3><span class='date-info'>Đã "
        "tạo 10/06/2024 - Xuất bản 12/06/2024 - Sửa đổi 2 ngày trước</span><div class='noi-"
        f"dung'>{TEXT}</div></body></html>"
    )
    article = read_article(liferay, URL, fetched_at="2024-06-14T09:00:00+07:00")
    assert article["published_at"] == "2024-06-12"


def test_round_p_a_list_web_part_under_its_title_link_without_its_view_all_link():
    """SharePoint 2010: the web part's title "Các tin khác" is a link to the list, in a
    header table; the items are in the next row; "Xem tất cả …" is no article."""
    html = (
        "<html><head><title>Tin hoạt động</title></head><body><table><tr><td><table><tr>"
        "<td class='ms-WPHeaderTd'><h3 class='ms-WPTitle'><a href='/Lists/TinHoatDong'><nobr>"
        "<span>Các tin khác</span></nobr></a></h3></td></tr></table></td></tr><tr><td><table>"
        "<tr><td><a href='/Lists/TinHoatDong/DispForm.aspx?ID=1285'>Kon Tum ghi nhận 47 ca "
        "mắc sốt xuất huyết</a></td></tr><tr><td><a href='/Lists/TinHoatDong/DispForm.aspx?"
        "ID=1281'>Tập huấn giám sát sự kiện bất lợi sau tiêm chủng</a></td></tr></table><a "
        "href='/Lists/TinHoatDong/AllItems.aspx'>Xem tất cả tin hoạt động</a></td></tr>"
        "</table><h2>Hội nghị triển khai công tác y tế năm 2024 của Sở Y tế</h2><div class="
        f"'noi-dung'>{TEXT}</div></body></html>"
    )
    related = read_article(
        html, "https://soyte.example.gov.vn/Lists/TinHoatDong/DispForm.aspx?ID=1290"
    )["related"]
    assert [r["url"].rsplit("=", 1)[-1] for r in related] == ["1285", "1281"]


def test_round_q_page_words_are_no_names_and_credits_over_two_lines():
    """A pager's "Trước Tiếp" and a field's "Thẻ" after the body are no people; an Ê Đê
    name ("H’Nhung Ênuôl"); a credit over two lines, each with its label; Drupal's
    "Gửi bởi ttphuong vào …" when nothing else credits anyone."""
    pager = (
        "<html><head><title>Sở Tư pháp</title></head><body><h1>Hưởng ứng Ngày Pháp luật năm "
        f"2023 trên địa bàn tỉnh</h1><div class='noi-dung'>{TEXT}</div><ul class='pager'><li>"
        "<a href='/tin/1524' rel='prev'><span>Trước</span></a></li><li><a href='/tin/1520' "
        "rel='next'><span>Tiếp</span></a></li></ul><div class='field__label'>Thẻ</div>"
        "<p class='small'>Viết bởi hbnguyet</p></body></html>"
    )
    assert read_article(pager, URL)["authors"] == ["hbnguyet"]
    ede = (
        "<html><head><title>Sở Y tế</title></head><body><h1>Tiêm chủng mở rộng cho trẻ em "
        f"vùng sâu năm 2024</h1><div class='noi-dung'>{TEXT}</div><div class='tacgia'><b>Tin "
        "và ảnh: H’Nhung Ênuôl</b></div></body></html>"
    )
    assert read_article(ede, URL)["authors"] == ["H’Nhung Ênuôl"]
    two = (
        "<html><head><title>Sở TN&amp;MT</title></head><body><h1>Kiểm tra xử lý nước thải "
        f"tại các khu công nghiệp</h1><div class='noi-dung'>{TEXT}<p style='text-align: "
        "right;'><strong>Phóng viên: Hồng Nhung</strong><br><strong>Cộng tác viên: Văn Tâm"
        "</strong></p></div></body></html>"
    )
    assert read_article(two, URL)["authors"] == ["Hồng Nhung", "Văn Tâm"]
    drupal = (
        "<html><head><title>Sở Tư pháp</title></head><body><h1>Tập huấn báo cáo viên pháp "
        "luật năm 2024</h1><div class='submitted'>Gửi bởi <span>ttphuong</span> vào T5, "
        f"11/04/2024 - 10:05</div><div class='noi-dung'>{TEXT}</div></body></html>"
    )
    assert read_article(drupal, URL, fetched_at="2024-04-20T09:00:00+07:00")["authors"] == [
        "ttphuong"
    ]


def test_round_q_a_related_item_the_body_also_cites_and_liferays_related_assets():
    html = (
        "<html><head><title>Huyện Vĩnh Linh</title></head><body><h1>Ra quân Tháng Thanh niên "
        f"năm 2024</h1><div class='news-content'>{TEXT}<p>Tiếp nối <a href='/ChiTietTin.aspx"
        "?id=4502'>Lễ giao nhận quân năm 2024</a>, Huyện đoàn ra quân.</p></div><div><div>"
        "Các tin khác</div><ul><li><a href='/ChiTietTin.aspx?id=4502'>Lễ giao nhận quân năm "
        "2024</a> (26/02/2024)</li><li><a href='/ChiTietTin.aspx?id=4496'>Vĩnh Linh tổ chức "
        "Hội xuân Giáp Thìn 2024 tại các xã</a> (20/02/2024)</li></ul></div><h2 class="
        "'asset-links-title'>Tài nguyên liên quan</h2><ul><li><a href='/ChiTietTin.aspx?"
        "id=4401'>Tập huấn chẩn đoán điều trị sốt xuất huyết năm 2023</a></li></ul></body></html>"
    )
    related = read_article(html, "https://vinhlinh.example.gov.vn/ChiTietTin.aspx?id=4521")[
        "related"
    ]
    assert [r["url"].rsplit("=", 1)[-1] for r in related] == ["4502", "4496", "4401"]


def test_round_q_review_guards_ordinary_pages_keep_their_fields():
    """What a review of rounds P and Q found the new rules would break, kept working:
    an empty CMS date (1970) under a labelled one, "12/03/2024 - đăng lúc 09:15",
    names that are also words ("Bình", "Lưu Bình"), a file link with a tracking
    onclick, a menu item that reads like a label, a long title starting "Xem toàn bộ"."""
    from scraper.parsing.bylines import parse_byline

    head = "<html><head><title>Sở</title></head><body><h1>Hội nghị tổng kết công tác năm 2024</h1>"
    epoch = (
        f"{head}<span class='date'>01/01/1970 07:00</span><div>Ngày đăng: 12/03/2024</div>"
        f"<div class='noi-dung'>{TEXT}</div></body></html>"
    )
    assert read_article(epoch, URL, fetched_at="2024-04-01T09:00:00+07:00")["published_at"] == (
        "2024-03-12"
    )
    at = f"{head}<div class='info'>12/03/2024 - đăng lúc 09:15</div><div class='noi-dung'>{TEXT}"
    assert read_article(at + "</div></body></html>", URL, fetched_at="2024-04-01T09:00:00+07:00")[
        "published_at"
    ].startswith("2024-03-12")
    assert [parse_byline(n).authors for n in ("Bình", "Lưu Bình")] == [["Bình"], ["Lưu Bình"]]
    assert parse_byline("Admin Hồng Nhung") is None
    html = (
        f"{head}<ul class='menu'><li><a href='/van-ban-khac'><span>Văn bản khác</span></a>"
        "</li><li><a href='/lanh-dao'>Hoạt động của lãnh đạo tỉnh trong tuần</a></li></ul>"
        f"<div class='noi-dung'>{TEXT}<p><a href='/Upload/2024/03/bao-cao.pdf' onclick=\""
        "trackDownload('bao-cao.pdf')\">Báo cáo tổng kết</a></p></div><div class='other'><h3>"
        "Tin khác</h3><ul><li><a href='/tin/901'>Xem toàn bộ diễn văn của Chủ tịch UBND tỉnh "
        "tại lễ kỷ niệm</a></li></ul></div></body></html>"
    )
    article = read_article(html, URL)
    assert [f["url"] for f in article["attachments"]] == [
        "https://sct.example.gov.vn/Upload/2024/03/bao-cao.pdf"
    ]
    assert [r["url"] for r in article["related"]] == ["https://sct.example.gov.vn/tin/901"]
