"""The vocabulary of Vietnamese government pages that generic extraction reads: the
labels portals print ("Tin liên quan", "Ngày đăng", "Tập tin đính kèm", "Tin, ảnh:"),
the class and id fragments their templates use ("noi-dung", "tacgia", "sapo"), and the
words that mark site furniture. In one module, so a new portal's word is added once and
every field's rule sees it; the rules themselves live with the page objects
(``scraper.parsing.article``), the credit-line grammar in ``scraper.parsing.bylines``.
"""

from __future__ import annotations

import re

# Headings that introduce lists of other articles on Vietnamese portals.
RELATED_LABELS = re.compile(
    r"^(những |các )?"
    r"(tin|bài|bài viết|tin tức|tin bài|văn bản|thông báo|sự kiện|tư liệu|chuyên đề|tài nguyên)\s*"
    r"(liên quan|khác|đã đưa|"
    r"cùng chuyên mục|cùng sự kiện|"
    r"cùng loại|mới hơn|cũ hơn|đã đăng|cùng danh mục|cùng chủ đề|cùng lĩnh vực|cùng thể loại)\b|"
    r"^cùng chủ đề\b|^(nội dung|liên kết) liên quan|"
    r"^(theo )?dòng sự kiện|^xem thêm\W*$|^có thể bạn quan tâm|^bạn có thể quan tâm",
    re.IGNORECASE,
)
# The names portals give a section or the article view itself, printed as a page's
# heading with no link to say so ("Tin tức - Sự kiện", "Chi tiết tin tức"): never a
# headline. Compared with separators and "và" made spaces (section_key).
SECTION_NAMES = frozenset(
    {
        "chi tiết",
        "chi tiết tin",
        "chi tiết tin tức",
        "chi tiết tin bài",
        "chi tiết bài viết",
        "chi tiết sự kiện",
        "chi tiết thông báo",
        "tin chi tiết",
        "nội dung chi tiết",
        "nội dung tin",
        "xem chi tiết",
        "tin tức",
        "tin tức sự kiện",
        "tin tức thông báo",
        "tin tức hoạt động",
        "tin tức chung",
        "tin sự kiện",
        "sự kiện",
        "thông báo",
        "thông báo sự kiện",
        "tin hoạt động",
        "hoạt động",
        "hoạt động của sở",
        "hoạt động của ngành",
        "hoạt động của huyện",
        "tin hoạt động của sở",
        "tin hoạt động của ngành",
        "tin tổng hợp",
        "tin trong tỉnh",
        "tin trong nước",
        "tin trong huyện",
        "tin trong ngành",
        "tin địa phương",
        "tin chuyên ngành",
        "tin ngành",
        "tin đơn vị",
        "tin mới",
        "tin nổi bật",
        "tin bài",
        "bài viết",
        "thời sự",
        "tin ảnh",
        "tin video",
    }
)
_SECTION_SEPARATORS = re.compile(r"(?:\s*[-–—&|/,:»>]\s*|\s+và\s+|\s+)")


def section_key(text: str) -> str:
    """A heading's words for comparison with SECTION_NAMES."""
    return _SECTION_SEPARATORS.sub(" ", text.casefold()).strip()


# A link's words that only say "download this" (or "here"), never what the file is.
DOWNLOAD_LABELS = re.compile(
    r"^(tải về|tải xuống|tải|download|xem|xem file|xem tệp|tại đây|đây|click|"
    r"tải về tại đây|bấm vào đây|nhấn vào đây)\W*$",
    re.IGNORECASE,
)
ATTACHMENT_LABELS = re.compile(
    r"^(tập tin|tệp tin|tệp|file|tài liệu|văn bản)\s*đính kèm|^tải về|^download", re.IGNORECASE
)
DATE_LABELS = re.compile(
    r"(ngày đăng|đăng ngày|ngày xuất bản|xuất bản|ngày cập nhật|cập nhật|đăng lúc|ngày:|"
    r"ngày ban hành|ngày công bố|ngày phát hành)",
    re.IGNORECASE,
)
# Labels of a document's own dates ("Ngày ban hành"): the publication date of a document
# page, but on a news page the date of a document the article is about.
DOCUMENT_DATE_LABELS = re.compile(r"(ngày ban hành|ngày công bố|ngày phát hành)", re.I)
# The place-and-date line of an official document ("Hà Nội, ngày 28 tháng 11 năm 2013"),
# which the administrative format puts under the national motto: the document's date.
PLACE_DATE = re.compile(
    r"^(?!thứ\b|chủ nhật)[^\W\d][^\d,]{1,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",
    re.IGNORECASE,
)
# An unlabelled date older than this is history told near the title, not the page's date.
OLDEST_UNLABELLED = "1990"
# Dates of a document page that are not its publication: when it takes effect, is
# adopted, appears in the gazette, expires.
OTHER_DATE_LABELS = re.compile(
    r"^\W*(ngày\s+)?(có hiệu lực|hiệu lực|áp dụng|thông qua|đăng công báo|công báo|hết hiệu lực"
    r"|hết hạn|ký)",
    re.IGNORECASE,
)
# A cell or term that is only a publication label, its value in the next one
# (<td>Ngày ban hành:</td><td>27/11/2015</td>, <dt>Ngày công bố</dt><dd>…</dd>).
PUBLICATION_LABEL = re.compile(
    r"^(ngày đăng|ngày xuất bản|ngày ban hành|ngày công bố|ngày phát hành|ngày đăng tin)\s*:?$",
    re.IGNORECASE,
)
# Where templates print the credit: class or id fragments.
CREDIT_HINTS = re.compile(
    r"(author|tacgia|tac-gia|tac_gia|byline|by-line|nguoiviet|nguoi-viet|butdanh|"
    r"but-danh|writer|credit|signature)",
    re.IGNORECASE,
)
CREDIT_TAGS = tuple("p div span td dd li small em strong b i font address".split())
# Labels of the page's own tools, never a name ("In" reads as a syllable).
LINK_LABELS = re.compile(
    r"^\W*(in|in bài|in trang|bản in|lưu|lưu bài|lưu tin|chia sẻ|gửi email|gửi bài|email|"
    r"gửi cho bạn bè|phản hồi|bình luận|góp ý|quay lại|trở về|về đầu trang|đầu trang|"
    r"facebook|zalo|twitter|tweet|linkedin|like|share|print|top|xem thêm|xem tất cả|xem tiếp|"
    r"đọc tiếp|chi tiết|xem chi tiết|trước|tiếp|sau|tiếp theo|trang trước|trang sau|"
    r"bài trước|bài sau|bài tiếp|tin trước|tin sau)\W*$",
    re.IGNORECASE,
)
# Single words a page prints as labels of its own parts (a pager's "Trước", a field's
# "Thẻ"), which a credit rule must never read as a name.
PAGE_WORDS = frozenset("thẻ tags tag nhãn trước tiếp sau in xem tin bài".split())
# … and the labels of more than one word, taken whole ("Bình" and "Danh" are names).
PAGE_PHRASES = frozenset(
    {
        "bình luận",
        "từ khóa",
        "từ khoá",
        "lượt xem",
        "chuyên mục",
        "danh mục",
        "chia sẻ",
        "phản hồi",
        "đánh giá",
        "tin bài",
    }
)
# "Xem tất cả tin hoạt động": a link to the whole list, whatever words follow.
VIEW_ALL = re.compile(r"^\W*(xem tất cả|xem toàn bộ|tất cả tin|view all)\b", re.IGNORECASE)
# The labels of credits, in one place. Three uses, three lists:
# - CREDIT_LABEL: before the people a byline credits ("Tác giả: X", "Tin, ảnh: X",
#   "Bài và ảnh: X"; scraper.parsing.bylines);
# - ACCOUNT_LABELS: before the CMS account that posted the article ("Người đăng:
#   hbnguyet"), a posting role, so "người cập nhật" and "posted by" but no "Tin, ảnh";
# - AUTHOR_PREFIX: what a metadata author value may start with (<meta name=author>).
CREDIT_LABEL = (
    r"(?:tác\s+giả(?:\s+bài\s+viết|\s+bài)?|người\s+viết|viết\s+bởi|đăng\s+bởi|người\s+đăng"
    r"|thực\s+hiện"
    r"|nhóm\s+phóng\s+viên|phóng\s+viên|cộng\s+tác\s+viên|biên\s+tập"
    r"|(?:tin|bài|ảnh)(?:\s*(?:và|,|&|/|-|–)\s*(?:ảnh|bài|tin))?)"
)
ACCOUNT_LABELS = (
    # SharePoint lists' "Người đăng tin" field, before "người đăng" so "tin" is no account.
    "người đăng tin",
    r"người đăng(?!\s+tin\b)",
    "đăng bởi",
    "viết bởi",  # Joomla's "Viết bởi hbnguyet"
    "gửi bởi",  # Drupal's "Gửi bởi ttphuong vào …"
    "người cập nhật",
    "người nhập",
    "người viết",
    "tác giả",
    "posted by",
    "by",
    "bởi",
)
# A CMS account: lower case, no spaces ("hbnguyet", "ntlan.sgd").
ACCOUNT_NAME = re.compile(r"[a-z][a-z0-9._]{2,30}")
# "Người đăng: hbnguyet".
CMS_ACCOUNT = re.compile(
    rf"^(?i:({'|'.join(ACCOUNT_LABELS)}))"
    # What may follow the account: the line's end, a separator, or Drupal's "… vào
    # T5, 11/04/2024" (submitted by … on …).
    rf"\s*:?\s*({ACCOUNT_NAME.pattern})(?=\s*(?:$|[,|·–@-]|(?i:vào|lúc)\b))",
)
# SharePoint's item stamp, "Được tạo vào 18/06/2024 9:05 bởi ptthao" ("Created at …
# by …"): what follows the moment is the account that created the item.
CREATED_STAMP = re.compile(
    r"^(?i:được\s+tạo\s+(?:vào|lúc|ngày)|created\s+(?:at|on))\s+[\d/:.\-\s]{6,24}"
    r"(?i:[ap]\.?m\.?|sa|ch)?\s*(?=(?i:bởi|by)\s)"
)
# Any of those labels, anywhere in a page's text (a cheap check before a walk), matched
# on lower-cased text: a case-blind pattern costs twice as much on every text of the
# page, and the words every label holds rule out most texts before any regex.
_CMS_ACCOUNT_LABEL = re.compile(
    "|".join(rf"\b{label}\b" if label.isascii() else label for label in ACCOUNT_LABELS)
)
_CMS_ACCOUNT_WORDS = ("người", "đăng", "tác giả", "by", "bởi")


def names_cms_account(text: str | None) -> bool:
    """The text holds one of the labels a CMS prints before the posting account."""
    if not text:
        return False
    lowered = text.lower()
    return any(w in lowered for w in _CMS_ACCOUNT_WORDS) and bool(
        _CMS_ACCOUNT_LABEL.search(lowered)
    )


SHARED_ACCOUNTS = frozenset(
    "admin administrator quantri quantrivien webmaster editor bientap user guest root "
    "system superuser host".split()
)
UPDATE_LABELS = re.compile(r"(cập nhật|sửa đổi|chỉnh sửa|updated?)", re.IGNORECASE)
PUBLISH_WORDS = re.compile(r"(đăng|xuất bản|ban hành|published)", re.IGNORECASE)
DATE_HINTS = re.compile(r"(date|time|ngay|thoigian|thoi-gian|publish|posted|created)", re.I)
DATE_TAGS = tuple("span div p time small em i li td dd b strong h4 h5 h6 font label".split())
# Class and id fragments that portal templates give the article's body.
BODY_HINTS = re.compile(
    r"(articlebody|article-body|article-content|articlecontent|news-content|newscontent|"
    r"content-detail|detail-content|contentdetail|noidung|noi-dung|post-content|entry-content|"
    r"field-name-body|journal-content-article|bodytext|body-text|chitiet|chi-tiet|fulltext)",
    re.IGNORECASE,
)
SUMMARY_HINTS = re.compile(
    r"(sapo|summary|lead|tomtat|tom-tat|description|intro|excerpt|hometext|chapeau|trichyeu|"
    r"trich-yeu|trichdan|trich-dan|mota|mo-ta)",
    re.I,
)
# "3 giờ trước" is today by construction, unlike a banner that prints today's date.
RELATIVE_WORDS = re.compile(r"(trước|vừa xong|hôm qua|\bsau\b|nữa)", re.IGNORECASE)
BANNER_LABELS = re.compile(r"(hôm nay|ngày hôm nay|today)", re.IGNORECASE)
TITLE_HINTS = re.compile(
    r"(title|tieude|tieu-de|tieu_de|headline|tenbai|ten-bai|tentin"
    # Joomla 1.x's "contentheading" and its kin: a heading of the content, not a panel's.
    r"|(?:content|article|news|entry|post)[-_]?heading)",
    re.I,
)
LABEL_TAGS = tuple("h2 h3 h4 h5 h6 div span strong b p td th font label legend".split())
HOME_LABELS = frozenset({"trang chủ", "home", "trang chu", "»", ">", "/"})
HIDDEN_CLASSES = (
    "hide-accessible",
    "sr-only",
    "visually-hidden",
    "screen-reader-text",
    "element-invisible",
    "hidden",
    "d-none",
    "invisible",
)
AUTHOR_PREFIX = re.compile(r"^(viết bởi|tác giả|người viết|đăng bởi|by)\s*:?\s*", re.IGNORECASE)
BROKEN_META_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})([+-]\d{2}|[A-Z]{2,5})(\d{2}:\d{2}:\d{2})")
# Time zone abbreviations PHP prints for the zones Vietnamese servers run in.
ZONE_NAMES = {"ICT": "+07", "UTC": "+00", "GMT": "+00", "Z": "+00"}
FILE_NAME = re.compile(r"\.(pdf|docx?|xlsx?|zip|rar|7z)\b", re.IGNORECASE)
# The name of a site, agency or portal, as a title's suffix gives it.
SITE_NAME = re.compile(
    r"^(?!báo cáo|phòng chống|phòng ngừa|phòng tránh|bộ trưởng|ban hành|sở hữu|cục bộ)"
    r"(sở|cổng|trang thông tin|trang tin|ubnd|ủy ban|uỷ ban|bộ|báo|tạp chí|website|"
    r"ban|huyện|tỉnh|thành phố|phòng|trung tâm|chi cục|cục|tổng cục|hội đồng|văn phòng)\b",
    re.IGNORECASE,
)
TITLE_TRAILING_SEPARATOR = re.compile(r"\s*[-|–:»>]\s*$")
BREADCRUMB_HINTS = re.compile(
    r"(breadcrumb|crumb|pathway|navpath|duong-?dan|duongdan|box-map|site-?path)", re.I
)
# What a label holds besides its words: icons and emphasis, never the list it labels.
ICON_TAGS = frozenset(
    {"i", "span", "b", "strong", "em", "img", "font", "small", "br", "svg", "nobr", "u", "label"}
)
ECHO_SKIP_TAGS = frozenset({"a", "li", "option", "title", "script", "style", "meta", "body"})
# " > " too: DNN and some .NET portals write "HEADLINE > Site name".
TITLE_SEPARATORS = re.compile(r"\s+[-|–:»>]\s+")
# Headings of the portal's own boxes, the same on every page: whatever they hold is not
# the article's (a "Văn bản mới" box links PDFs, a "Tin mới nhất" box has dates).
WIDGET_LABELS = re.compile(
    r"^\W*(văn bản mới|văn bản mới ban hành|văn bản mới nhất|văn bản chỉ đạo|"
    r"văn bản chỉ đạo điều hành|văn bản pháp luật|"
    r"văn bản quy phạm pháp luật|tin mới|tin mới nhất|tin mới cập nhật|tin xem nhiều|"
    r"tin đọc nhiều|đọc nhiều|đọc nhiều nhất|xem nhiều|xem nhiều nhất|tin nổi bật|tin tiêu điểm|"
    r"tiêu điểm|thông báo|thông báo mới|lịch công tác|lịch làm việc|liên kết website|"
    r"liên kết|thống kê truy cập|biểu mẫu|biểu mẫu tải về|tài liệu tải về|thư viện ảnh|"
    r"thư viện video|video|hình ảnh|chuyên mục|danh mục|dịch vụ công|hỏi đáp|thăm dò ý kiến|"
    r"chuyên trang|bản đồ|tin tức nổi bật)\W*$",
    re.IGNORECASE,
)
# Class fragments of a box's heading that is no <h2>-<h6> ("syt-box-title").
BOX_TITLE_HINTS = re.compile(r"(title|heading|tieude|tieu-de|caption|header)", re.IGNORECASE)
# The label cell of a form row that holds the article's title or its credit
# (SharePoint's DispForm "Tiêu đề" | value, custom portals' "Tác giả:" | value).
TITLE_FIELD = re.compile(r"^(tiêu đề|tên bài|tên bài viết|tiêu đề tin|tên tin|title)\s*:?$", re.I)
SUMMARY_FIELD = re.compile(r"^(tóm tắt|trích yếu|tóm lược|sapo|mô tả|summary)\s*:?$", re.I)
ACCOUNT_FIELD = re.compile(
    r"^(người đăng tin|người đăng|người tạo|người cập nhật|created by|tạo bởi)\s*:?$", re.I
)
CREDIT_FIELD = re.compile(
    r"^(tác giả|người viết|bút danh|tác giả bài viết|phóng viên|author)\s*:?$", re.I
)
# A file type said in words beside a link's name: "[PDF]", "(DOCX)", "- PDF".
FILE_TYPE_WORD = re.compile(
    r"(?:[\[(]\s*(pdf|docx?|xlsx?|zip|rar)\s*[\])]|\s[-–]\s*(pdf|docx?|xlsx?|zip|rar)\s*$)",
    re.IGNORECASE,
)
# An icon that says a file's type: pdf.png, icon-pdf.gif, fa-file-pdf-o, file-word,
# fa-file-excel (Font Awesome names Word and Excel files by the program).
ICON_TYPE = re.compile(
    r"(?:^|[/_\-.\s])(pdf|docx?|xlsx?|zip|rar|word|excel)(?:[_\-.\s]|$)", re.IGNORECASE
)
# What an icon's word means as a file type.
ICON_WORDS = {"word": "doc", "excel": "xls"}
# A link to this page as another view: Joomla's PDF and print buttons, NukeViet's ?pdf=1.
PAGE_VIEW_QUERY = re.compile(
    r"[?&](format=pdf|print=1|tmpl=component|view=print|pdf=1|type=print)(&|$)", re.I
)
# Class and id fragments of a related-articles block ("related-posts", "tin-lien-quan").
RELATED_HINTS = re.compile(
    r"(related|lien-?quan|lienquan|tin-?khac|tinkhac|other-?news|cung-?chuyen-?muc|"
    r"othernews|more-news)",
    re.IGNORECASE,
)
# The signature block of an official document: the signer's post, not a credit.
SIGNATURE = re.compile(
    # "KT. GIÁM ĐỐC", "Q. CHÁNH VĂN PHÒNG": the capitals and the space after the dot are
    # what set a signer's abbreviation apart from a person's initial ("Q.Anh", "T.HẰNG").
    r"((?-i:\b(?:KT|TM|TL|Q)\.\s+[A-ZĐÂĂÊÔƠƯ])|GIÁM ĐỐC|CHỦ TỊCH|TRƯỞNG BAN|BÍ THƯ|"
    r"CHÁNH VĂN PHÒNG|"
    r"người ký|nơi nhận)",
    re.IGNORECASE,
)

# What an error, "moved" or maintenance page says in its title or its few lines: a web
# archive captured such pages with status 200, and they are not articles.
ERROR_PAGE = re.compile(
    r"(không tìm thấy (trang|bài viết|nội dung|tin|đường dẫn|dữ liệu)|"
    r"(trang|bài viết|tin|tin bài|nội dung|đường dẫn|liên kết) (này )?(không tồn tại|không có "
    r"thực|đã bị xóa|đã bị xoá|đã được gỡ|không hợp lệ)|lỗi 404|\b404\b.{0,20}(not found|"
    r"không tìm thấy)|page not found|not found|trang (web|thông tin) (đang )?(bảo trì|nâng cấp)|"
    r"(đã|được) (chuyển|di chuyển) (sang|về|đến) (địa chỉ|tên miền|trang|website|cổng)|"
    r"(website|trang web|cổng thông tin)( điện tử)?[^.]{0,60}(đã )?(ngừng hoạt động|tạm ngừng|"
    r"dừng hoạt động|chuyển sang)|this (site|page|website) has moved|object moved|"
    r"service unavailable|server error in|runtime error|under maintenance|"
    r"tên miền[^.]{0,40}hết hạn|domain[^.]{0,40}expired|access denied|truy cập bị từ chối)",
    re.IGNORECASE,
)

# A link written into the text ("<p>Xem thêm: <a>…</a></p>"), not a related block.
SEE_ALSO = re.compile(r"^xem thêm\W*$", re.IGNORECASE)
# A line that opens with a credit's label ("Phóng viên: …", "Tin, ảnh: …").
CREDIT_START = re.compile(rf"^{CREDIT_LABEL}\s*:", re.IGNORECASE)
# A publication label further along a line of dates, before its date.
MID_PUBLISHED = re.compile(
    r"[\s|,;–-](?:xuất bản|ngày đăng|đăng ngày|published)\s*:?\s*"
    r"(?=\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})",
    re.I,
)
# The first path step of a list of one author's, tag's or category's articles.
ARCHIVE_PATHS = frozenset({"author", "tag", "tags", "category", "tac-gia", "user", "users"})
