"""Page bytes to text: lying charsets, windows-1258, and text typed in TCVN3 or VNI fonts.

Tables with the expected text written out, so a failure reads as the exact string that
broke. Pages are built in the test from one Unicode article, encoded the way the old
sites encoded it, so every decode can be compared with the article a reader would see.
"""

from __future__ import annotations

import random
import unicodedata

import pytest

from scraper.parsing.encoding import (
    Decoded,
    decode_page,
    detect_legacy,
    fix_legacy_text,
    tcvn3_to_unicode,
    vni_to_unicode,
)

from legacy_bytes import to_windows_1258

# ---------------------------------------------------------------- converters

TCVN3_CASES: list[tuple[str, str]] = [
    ("B¶o Th¾ng", "Bảo Thắng"),
    # ư is the soft hyphen U+00AD in TCVN3, invisible when printed.
    ("M\xadêng Kh\xad¬ng", "Mường Khương"),
    ("ngµy 24 th¸ng 9 n¨m 2019", "ngày 24 tháng 9 năm 2019"),
    ("Së Néi vô", "Sở Nội vụ"),
    ("§¹i héi thi ®ua yªu n\xadíc", "Đại hội thi đua yêu nước"),
    ("§µ N½ng", "Đà Nẵng"),
    # Every row of the table, in the order huyền, sắc, hỏi, ngã, nặng (written as one
    # word: alone, © ® » · stay symbols, see below).
    ("µ¸¶·¹", "àáảãạ"),
    ("¨»¾¼½Æ", "ăằắẳẵặ"),
    ("©ÇÊÈÉË", "âầấẩẫậ"),
    ("®a", "đa"),
    ("ÌÐÎÏÑ", "èéẻẽẹ"),
    ("ªÒÕÓÔÖ", "êềếểễệ"),
    ("×ÝØÜÞ", "ìíỉĩị"),
    ("ßãáâä", "òóỏõọ"),
    ("«åèæçé", "ôồốổỗộ"),
    ("¬êíëìî", "ơờớởỡợ"),
    ("ïóñòô", "ùúủũụ"),
    ("\xadõøö÷ù", "ưừứửữự"),
    ("úýûüþ", "ỳýỷỹỵ"),
    ("¡¢§£¤¥¦", "ĂÂĐÊÔƠƯ"),
    # Capitals typed with ASCII capitals come out in capitals (the H fonts reused the
    # lowercase codes; a word of known capitals is upper-cased, one capital is not).
    ("UBND TØNH LµO CAI", "UBND TỈNH LÀO CAI"),
    ("§¹I HéI THI §UA", "ĐẠI HỘI THI ĐUA"),
    ("THªM", "THÊM"),
    # Alone, © ® » · are the symbols they look like; ASCII never changes.
    ("© 2019 Së Néi vô · Trang chñ » Tin tøc", "© 2019 Sở Nội vụ · Trang chủ » Tin tức"),
    ("<a href='/tin-tuc?id=1'>Tin 1</a>", "<a href='/tin-tuc?id=1'>Tin 1</a>"),
]


@pytest.mark.parametrize(("legacy", "expected"), TCVN3_CASES)
def test_tcvn3_to_unicode(legacy: str, expected: str) -> None:
    assert tcvn3_to_unicode(legacy) == expected


VNI_CASES: list[tuple[str, str]] = [
    ("Xin chaøo caùc baïn", "Xin chào các bạn"),
    ("Sôû Noäi vuï", "Sở Nội vụ"),
    ("ngaøy 24 thaùng 9 naêm 2019", "ngày 24 tháng 9 năm 2019"),
    ("Ñaïi hoäi thi ñua", "Đại hội thi đua"),
    ("ngöôøi ñöôïc tröôøng", "người được trường"),
    # Every row: tone after a plain vowel, circumflex (+ tone), breve (+ tone), ơ, ư, i, y.
    ("aù aø aû aõ aï", "á à ả ã ạ"),
    ("aâ aá aà aå aã aä", "â ấ ầ ẩ ẫ ậ"),
    ("aê aé aè aú aü aë", "ă ắ ằ ẳ ẵ ặ"),
    ("eù eø eû eõ eï", "é è ẻ ẽ ẹ"),
    ("eâ eá eà eå eã eä", "ê ế ề ể ễ ệ"),
    ("où oø oû oõ oï", "ó ò ỏ õ ọ"),
    ("oâ oá oà oå oã oä", "ô ố ồ ổ ỗ ộ"),
    ("ô ôù ôø ôû ôõ ôï", "ơ ớ ờ ở ỡ ợ"),
    ("uù uø uû uõ uï", "ú ù ủ ũ ụ"),
    ("ö öù öø öû öõ öï", "ư ứ ừ ử ữ ự"),
    ("í ì æ ó ò", "í ì ỉ ĩ ị"),
    ("yù yø yû yõ î", "ý ỳ ỷ ỹ ỵ"),
    ("ñ Ñ", "đ Đ"),
    ("AÙ AØ AÛ AÕ AÏ", "Á À Ả Ã Ạ"),
    ("AÂ AÁ AÀ AÅ AÃ AÄ", "Â Ấ Ầ Ẩ Ẫ Ậ"),
    ("AÊ AÉ AÈ AÚ AÜ AË", "Ă Ắ Ằ Ẳ Ẵ Ặ"),
    ("EÂ EÁ EÀ EÅ EÃ EÄ", "Ê Ế Ề Ể Ễ Ệ"),
    ("OÂ OÁ OÀ OÅ OÃ OÄ", "Ô Ố Ồ Ổ Ỗ Ộ"),
    ("Ô ÔÙ ÔØ ÔÛ ÔÕ ÔÏ", "Ơ Ớ Ờ Ở Ỡ Ợ"),
    ("Ö ÖÙ ÖØ ÖÛ ÖÕ ÖÏ", "Ư Ứ Ừ Ử Ữ Ự"),
    ("Í Ì Æ Ó Ò", "Í Ì Ỉ Ĩ Ị"),
    ("YÙ YØ YÛ YÕ Î", "Ý Ỳ Ỷ Ỹ Ỵ"),
    ("UÛY BAN NHAÂN DAÂN TÆNH LAØO CAI", "ỦY BAN NHÂN DÂN TỈNH LÀO CAI"),
    # A capital base letter with a lowercase mark still reads as one letter.
    ("Aùnh saùng", "Ánh sáng"),
    ("<a href='/tin-tuc?id=1'>Tin 1</a>", "<a href='/tin-tuc?id=1'>Tin 1</a>"),
]


@pytest.mark.parametrize(("legacy", "expected"), VNI_CASES)
def test_vni_to_unicode(legacy: str, expected: str) -> None:
    assert vni_to_unicode(legacy) == expected


@pytest.mark.parametrize("text", [expected for _, expected in TCVN3_CASES + VNI_CASES])
def test_converters_return_nfc(text: str) -> None:
    assert unicodedata.is_normalized("NFC", text)


# ---------------------------------------------------------------- detection

DETECT_CASES: list[tuple[str, str | None]] = [
    ("ngµy 24 th¸ng 9 n¨m 2019", "tcvn3"),
    ("B¶o Th¾ng, M\xadêng Kh\xad¬ng", "tcvn3"),
    ("S¸ng 24/9, Së Néi vô tØnh Lµo Cai tæ chøc §¹i héi thi ®ua yªu n\xadíc.", "tcvn3"),
    # Most TCVN3 letters look like Latin-1 ones; a capital after a small letter does not.
    ("ViÖc gãp ý ®\xadîc thùc hiÖn b»ng nhiÒu h×nh thøc", "tcvn3"),
    ("Xin chaøo caùc baïn", "vni"),
    ("Sôû Noäi vuï", "vni"),
    ("Ñaïi hoäi thi ñua", "vni"),
    ("UÛY BAN NHAÂN DAÂN TÆNH LAØO CAI", "vni"),
    ("Saùng 24/9, Sôû Noäi vuï “toå chöùc” Ñaïi hoäi – laàn thöù V…", "vni"),
    # Real Unicode Vietnamese, even written only with Latin-1 letters.
    ("Sáng 24/9, Sở Nội vụ tỉnh Lào Cai tổ chức Đại hội thi đua.", None),
    ("© 2019 Sở Nội vụ", None),
    ("Các bà, các cô", None),
    ("Ngoài ra", None),
    # Western languages that use the same Latin-1 letters.
    ("© 2019 Department of Home Affairs", None),
    ("Le goût du pain où l'on naît, naïf Noël", None),
    ("Le goût naïf", None),
    ("Noël à Loïc", None),
    ("Là où il est, où elle va", None),
    ("«Bonjour» «Salut»", None),
    ("España: año, niño, señor, mañana", None),
    ("Müller über Größe, schön", None),
    ("Microsoft® Windows® 25°C ½ µm", None),
    ("São Paulo: não há ações, põe-se à mão", None),
    # One word said many times (a Friulian month name in a data file) is one word.
    ("indaûr indaûr indaûr indaûr", None),
    # Too little to tell: one legacy word.
    ("Xin chaøo", None),
    ("Trang chñ", None),
    ("", None),
    ("plain ASCII", None),
]


@pytest.mark.parametrize(("text", "expected"), DETECT_CASES)
def test_detect_legacy(text: str, expected: str | None) -> None:
    assert detect_legacy(text) == expected


FIX_CASES: list[tuple[str, str]] = [
    # Line by line: Unicode lines stay, legacy lines are converted.
    (
        "Sở Nội vụ tỉnh Lào Cai\nngµy 24 th¸ng 9 n¨m 2019\nngaøy 24 thaùng 9 naêm 2019",
        "Sở Nội vụ tỉnh Lào Cai\nngày 24 tháng 9 năm 2019\nngày 24 tháng 9 năm 2019",
    ),
    # One long HTML line carrying Unicode: judged block by block.
    (
        "<h1>Sở Nội vụ</h1><p>B¶o Th¾ng, M\xadêng Kh\xad¬ng</p><p>Sôû Noäi vuï</p>",
        "<h1>Sở Nội vụ</h1><p>Bảo Thắng, Mường Khương</p><p>Sở Nội vụ</p>",
    ),
    ("© 2019 Sở Nội vụ\nEspaña: año, niño", "© 2019 Sở Nội vụ\nEspaña: año, niño"),
    ("Le goût du pain où l'on naît", "Le goût du pain où l'on naît"),
    ("Xin chaøo", "Xin chaøo"),
    ("Trang chủ » Tin tức » Sự kiện", "Trang chủ » Tin tức » Sự kiện"),
    ("", ""),
    # UTF-8 once read as windows-1252 (or Latin-1) and saved again: repaired, not taken
    # for TCVN3, even beside real text.
    ("Ä\x90áº¡i há»™i thi Ä‘ua yÃªu nÆ°á»›c", "Đại hội thi đua yêu nước"),
    ("Ä\x90áº¡i há»\x99i thi Ä\x91ua yÃªu nÆ°á»\x9bc", "Đại hội thi đua yêu nước"),
    ("<p>Lào Cai: Sá»Ÿ Ná»™i vá»¥</p>", "<p>Lào Cai: Sở Nội vụ</p>"),
]


@pytest.mark.parametrize(("text", "expected"), FIX_CASES)
def test_fix_legacy_text(text: str, expected: str) -> None:
    assert fix_legacy_text(text) == expected


# ---------------------------------------------------------------- pages

TITLE = "Đại hội thi đua"
PARAGRAPHS = [
    "Sáng 24/9, Sở Nội vụ tỉnh Lào Cai tổ chức Đại hội thi đua yêu nước lần thứ V.",
    "Đại hội đã tôn vinh 25 tập thể và 40 cá nhân điển hình tiên tiến – giai đoạn 2020-2025.",
]
# The same paragraphs as typed with the legacy fonts (checked against the converters).
PARAGRAPHS_TCVN3 = [
    "S¸ng 24/9, Së Néi vô tØnh Lµo Cai tæ chøc §¹i héi thi ®ua yªu n\xadíc lÇn thø V.",
    "§¹i héi ®· t«n vinh 25 tËp thÓ vµ 40 c¸ nh©n ®iÓn h×nh tiªn tiÕn – giai ®o¹n 2020-2025.",
]
PARAGRAPHS_VNI = [
    "Saùng 24/9, Sôû Noäi vuï tænh Laøo Cai toå chöùc Ñaïi hoäi thi ñua yeâu nöôùc laàn thöù V.",
    "Ñaïi hoäi ñaõ toân vinh 25 taäp theå vaø 40 caù nhaân ñieån hình tieân tieán – giai "
    "ñoaïn 2020-2025.",
]
TITLE_TCVN3 = "§¹i héi thi ®ua"
TITLE_VNI = "Ñaïi hoäi thi ñua"


def html(title: str, paragraphs: list[str], head: str = "", footer: str = "") -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (
        f"<!DOCTYPE html>\n<html><head>{head}<title>{title}</title></head>\n"
        f"<body>\n<h1>{title}</h1>\n{body}{footer}</body></html>\n"
    )


def test_windows_1258_needs_the_tone_split_off() -> None:
    with pytest.raises(UnicodeEncodeError):
        "Đại".encode("windows-1258")
    with pytest.raises(UnicodeEncodeError):
        unicodedata.normalize("NFD", "hội").encode("windows-1258")
    assert to_windows_1258("Đại hội") == b"\xd0a\xf2i h\xf4\xf2i"


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [(TITLE_TCVN3, TITLE), *zip(PARAGRAPHS_TCVN3, PARAGRAPHS, strict=True)],
)
def test_tcvn3_fixture_paragraphs(legacy: str, expected: str) -> None:
    assert tcvn3_to_unicode(legacy) == expected


@pytest.mark.parametrize(
    ("legacy", "expected"), [(TITLE_VNI, TITLE), *zip(PARAGRAPHS_VNI, PARAGRAPHS, strict=True)]
)
def test_vni_fixture_paragraphs(legacy: str, expected: str) -> None:
    assert vni_to_unicode(legacy) == expected


ARTICLE = html(TITLE, PARAGRAPHS, footer="<footer>© 2019 Sở Nội vụ</footer>\n")
ARTICLE_1258 = to_windows_1258(ARTICLE)
ARTICLE_TCVN3 = html(TITLE_TCVN3, PARAGRAPHS_TCVN3, footer="<footer>© 2019</footer>\n")
ARTICLE_VNI = html(TITLE_VNI, PARAGRAPHS_VNI, footer="<footer>© 2019</footer>\n")
SPANISH = html(
    "España",
    ["El año 2019, los niños de España.", "Señor Muñoz, ¿qué tal? ¡Mañana!"],
    footer="<footer>© 2019 Ayuntamiento — «Todos los derechos»</footer>\n",
)
FRENCH = html(
    "Été",
    [
        "Le café où l'on naît, à Noël : « déjà » ½ œuvre.",
        "Où est le goût ? Là où il naît, naïf, Raphaël goûte le maïs à l'août.",
    ],
)

# ă ơ ư sit where Portuguese has ã õ ý; without tone bytes after vowels it is not 1258.
PORTUGUESE = html("Ações", ["São Paulo: não há ações, põe-se à mão.", "Irmã, órgão, também."])


def mojibake(text: str) -> str:
    """``text`` as UTF-8 read as windows-1252 (undefined bytes as Latin-1) and kept."""
    return "".join(
        chr(byte) if byte in b"\x81\x8d\x8f\x90\x9d" else bytes([byte]).decode("cp1252")
        for byte in text.encode()
    )


META_1252 = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
META_UTF8 = '<meta charset="utf-8">'


def same_text_as(source: str) -> str:
    return unicodedata.normalize("NFC", source)


# (id, body, Content-Type header, expected text, encoding, declared, note)
PAGE_CASES = [
    ("utf-8", ARTICLE.encode(), None, ARTICLE, "utf-8", None, None),
    (
        "utf-8 with header",
        ARTICLE.encode(),
        "text/html; charset=UTF-8",
        ARTICLE,
        "utf-8",
        "utf-8",
        None,
    ),
    (
        "utf-8 declared iso-8859-1",
        ARTICLE.encode(),
        "text/html; charset=ISO-8859-1",
        ARTICLE,
        "utf-8",
        "iso-8859-1",
        "declared iso-8859-1 but body is utf-8",
    ),
    (
        "utf-8 declared windows-1252 in meta",
        html(TITLE, PARAGRAPHS, head=META_1252).encode(),
        None,
        html(TITLE, PARAGRAPHS, head=META_1252),
        "utf-8",
        "windows-1252",
        "declared windows-1252 but body is utf-8",
    ),
    (
        "windows-1258 without charset",
        ARTICLE_1258,
        None,
        ARTICLE,
        "windows-1258",
        None,
        "no charset: detected windows-1258",
    ),
    (
        "windows-1258 declared utf-8",
        ARTICLE_1258,
        "text/html; charset=utf-8",
        ARTICLE,
        "windows-1258",
        "utf-8",
        "declared utf-8 but body is not utf-8; no usable charset: detected windows-1258",
    ),
    (
        "windows-1258 declared iso-8859-1",
        ARTICLE_1258,
        "text/html; charset=iso-8859-1",
        ARTICLE,
        "windows-1258",
        "iso-8859-1",
        "declared iso-8859-1 but body is windows-1258",
    ),
    (
        "windows-1258 declared windows-1258",
        ARTICLE_1258,
        'text/html; charset="windows-1258"',
        ARTICLE,
        "windows-1258",
        "windows-1258",
        None,
    ),
    (
        "windows-1258 declared utf-16",
        ARTICLE_1258,
        "text/html; charset=utf-16",
        ARTICLE,
        "windows-1258",
        "utf-16",
        "declared utf-16 ignored; no usable charset: detected windows-1258",
    ),
    (
        "tcvn3 page without charset",
        ARTICLE_TCVN3.encode("cp1252"),
        None,
        html(TITLE, PARAGRAPHS, footer="<footer>© 2019</footer>\n"),
        "tcvn3",
        None,
        "no charset: detected tcvn3",
    ),
    (
        "tcvn3 page declared windows-1252",
        html(TITLE_TCVN3, PARAGRAPHS_TCVN3, head=META_1252).encode("cp1252"),
        None,
        html(TITLE, PARAGRAPHS, head=META_1252),
        "tcvn3",
        "windows-1252",
        "declared windows-1252 but body is tcvn3",
    ),
    (
        "vni page without charset",
        ARTICLE_VNI.encode("cp1252"),
        None,
        html(TITLE, PARAGRAPHS, footer="<footer>© 2019</footer>\n"),
        "vni",
        None,
        "no charset: detected vni",
    ),
    (
        "utf-8 page with a tcvn3 and a vni paragraph",
        html(TITLE, [PARAGRAPHS_TCVN3[0], PARAGRAPHS_VNI[1]], head=META_UTF8).encode(),
        None,
        html(TITLE, PARAGRAPHS, head=META_UTF8),
        "utf-8+tcvn3+vni",
        "utf-8",
        "text typed in TCVN3 converted; text typed in VNI converted",
    ),
    (
        "minified utf-8 page with a tcvn3 paragraph",
        html(TITLE, [PARAGRAPHS_TCVN3[0], PARAGRAPHS[1]]).replace("\n", "").encode(),
        None,
        ARTICLE.replace("<footer>© 2019 Sở Nội vụ</footer>\n", "").replace("\n", ""),
        "utf-8+tcvn3",
        None,
        "text typed in TCVN3 converted",
    ),
    (
        "utf-8 page with a mojibake paragraph",
        html(TITLE, [mojibake(PARAGRAPHS[0]), PARAGRAPHS[1]]).encode(),
        None,
        html(TITLE, PARAGRAPHS),
        "utf-8+mojibake",
        None,
        "utf-8 text read as windows-1252 (mojibake) repaired",
    ),
    ("spanish utf-8 page stays", SPANISH.encode(), None, SPANISH, "utf-8", None, None),
    (
        "portuguese windows-1252 page",
        PORTUGUESE.encode("cp1252"),
        None,
        PORTUGUESE,
        "windows-1252",
        None,
        "no charset: detected windows-1252",
    ),
    (
        "french windows-1252 page",
        FRENCH.encode("cp1252"),
        None,
        FRENCH,
        "windows-1252",
        None,
        "no charset: detected windows-1252",
    ),
    (
        "nfd utf-8 comes out nfc",
        unicodedata.normalize("NFD", ARTICLE).encode(),
        None,
        ARTICLE,
        "utf-8",
        None,
        None,
    ),
    (
        "utf-8 bom wins over the header",
        b"\xef\xbb\xbf" + ARTICLE.encode(),
        "text/html; charset=windows-1252",
        ARTICLE,
        "utf-8",
        "windows-1252",
        "declared windows-1252 but byte order mark says utf-8",
    ),
    (
        "utf-16 with bom",
        b"\xff\xfe" + ARTICLE.encode("utf-16-le"),
        None,
        ARTICLE,
        "utf-16-le",
        None,
        None,
    ),
    (
        "utf-8 with one broken byte",
        html(TITLE, PARAGRAPHS, head=META_UTF8).encode().replace(b"</h1>", b"\xff</h1>"),
        None,
        html(TITLE, PARAGRAPHS, head=META_UTF8).replace("</h1>", "\ufffd</h1>"),
        "utf-8",
        "utf-8",
        "1 invalid utf-8 sequence(s) replaced",
    ),
    (
        "unknown charset label",
        ARTICLE.encode(),
        "text/html; charset=x-vni",
        ARTICLE,
        "utf-8",
        "x-vni",
        "declared x-vni but body is utf-8",
    ),
    (
        "ascii page",
        b"<html><body>Dai hoi thi dua</body></html>",
        "text/html; charset=iso-8859-1",
        "<html><body>Dai hoi thi dua</body></html>",
        "windows-1252",
        "iso-8859-1",
        None,
    ),
    ("empty body", b"", None, "", "utf-8", None, None),
]


@pytest.mark.parametrize(
    ("body", "content_type", "text", "encoding", "declared", "note"),
    [pytest.param(*case[1:], id=case[0]) for case in PAGE_CASES],
)
def test_decode_page(
    body: bytes,
    content_type: str | None,
    text: str,
    encoding: str,
    declared: str | None,
    note: str | None,
) -> None:
    decoded = decode_page(body, content_type)
    assert (decoded.encoding, decoded.declared, decoded.note) == (encoding, declared, note)
    assert decoded.text == same_text_as(text)


def test_large_legacy_page_is_judged_on_a_sample() -> None:
    # A long ASCII head (scripts) before a long TCVN3 body: detection samples the
    # blocks that hold non-ASCII bytes, wherever they are.
    head = "<script>var menu = [1, 2, 3];</script>\n" * 1500
    paragraphs = (PARAGRAPHS_TCVN3 * 150)[:300]
    page = html(TITLE_TCVN3, paragraphs, head=head)
    decoded = decode_page(page.encode("cp1252"))
    assert (decoded.encoding, decoded.note) == ("tcvn3", "no charset: detected tcvn3")
    assert decoded.text == html(TITLE, (PARAGRAPHS * 150)[:300], head=head)


def test_decoded_text_carries_the_article() -> None:
    # The reader's view of the 1258 page: composed letters, đ included.
    text = decode_page(ARTICLE_1258).text
    assert "<h1>Đại hội thi đua</h1>" in text
    assert "\u0323" not in text


# ---------------------------------------------------------------- never raises

FRAGMENTS = [
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x00\x00\xfe\xff",
    b"<meta charset=utf-16>",
    b'<meta http-equiv="Content-Type" content="text/html; charset=x-bogus">',
    b"<meta charset=windows-1258>",
    b"<!-- <meta charset=utf-8> -->",
    ARTICLE_1258[:200],
    ARTICLE_TCVN3.encode("cp1252")[:200],
    ARTICLE_VNI.encode("cp1252")[:200],
    ARTICLE.encode()[:200],
    "Sở Nội vụ".encode()[:5],
    b"\xc3",
    b"\xe1\xbb",
    b"\x00",
    b"\x81\x8d\x8f\x90\x9d",
]
CONTENT_TYPES = [
    None,
    "",
    "text/html",
    "text/html; charset=",
    "text/html; charset=utf-16",
    "text/html; charset=utf-7",
    "text/html; charset=x-bogus",
    "text/html; charset=windows-1258",
    "text/html; charset=iso-8859-1",
    'text/html; charset="utf-8"',
    "text/html; charset=shift_jis",
    "text/html; charset=cp037",
]


def _random_bodies(count: int) -> list[bytes]:
    rng = random.Random(20240328)
    bodies = []
    for _ in range(count):
        if rng.random() < 0.5:
            bodies.append(rng.randbytes(rng.randrange(0, 600)))
        else:
            pieces = [rng.choice(FRAGMENTS) for _ in range(rng.randrange(1, 6))]
            pieces.insert(rng.randrange(len(pieces) + 1), rng.randbytes(rng.randrange(0, 50)))
            bodies.append(b"".join(pieces))
    return bodies


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_random_bytes_never_raise(content_type: str | None) -> None:
    for body in _random_bodies(150):
        decoded = decode_page(body, content_type)
        assert isinstance(decoded, Decoded)
        assert decoded.encoding
        assert unicodedata.is_normalized("NFC", decoded.text)
        assert fix_legacy_text(decoded.text) is not None
