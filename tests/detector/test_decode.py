"""Bytes to text: BOMs, declared charsets (HTTP, <meta>), detection, capped gunzip."""

import codecs
import gzip
import zlib
from pathlib import Path

import pytest

from detector.errors import InputError
from detector.options import Options
from detector.sources.decode import decode, gunzip, meta_charset, normalise_encoding
from detector.sources.load import pages_from_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LOADERS = FIXTURES / "loaders"
ZH_TITLE = "城市花园的春天"
JA_TITLE = "町の図書館が新しくなりました"
RU_TITLE = "Осенняя ярмарка в нашем городе"


@pytest.fixture(scope="module")
def fr_page() -> str:
    """A small French page (accents and typographic apostrophes) to encode in every codec."""
    return (LOADERS / "fr_cafe.html").read_text(encoding="utf-8")


def only_page(data: bytes, **kw):
    docs = list(pages_from_bytes(data, **kw))
    assert len(docs) == 1
    assert docs[0].page is not None
    return docs[0].page


# ---- BOM ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bom, codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_bom_decides_and_is_stripped(fr_page, bom, codec):
    data = bom + fr_page.encode(codec)
    text, enc = decode(data)
    assert text == fr_page
    assert enc == codec


def test_bom_beats_declared_charset(fr_page):
    page = fr_page.replace("<head>", '<head><meta charset="windows-1252">')
    text, enc = decode(codecs.BOM_UTF8 + page.encode("utf-8"), http_charset="iso-8859-1")
    assert (text, enc) == (page, "utf-8")


def test_utf16_with_bom_parses_to_the_right_title(fr_page):
    page = only_page("\ufeff".encode("utf-16-le") + fr_page.encode("utf-16-le"))
    assert page.title == "Café de l’été à Genève"


# ---- declared charsets -----------------------------------------------------------------


def test_http_charset_is_used(fr_page):
    page = only_page(fr_page.encode("cp1252"), http_charset="windows-1252")
    assert page.title == "Café de l’été à Genève"


def test_http_charset_beats_meta(fr_page):
    html = fr_page.replace("<head>", '<head><meta charset="koi8-r">')
    assert decode(html.encode("cp1252"), http_charset="windows-1252") == (html, "cp1252")


def test_meta_charset_attribute(html_page):
    html = html_page(RU_TITLE, "<p>Дети катались на каруселях.</p>", head='<meta charset="koi8-r">')
    page = only_page(html.encode("koi8_r"))
    assert page.title == RU_TITLE


def test_meta_http_equiv_content_type(html_page):
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    html = html_page(RU_TITLE, "<p>Дети катались на каруселях.</p>", head=head)
    text, enc = decode(html.encode("cp1251"))
    assert enc == "cp1251"
    assert RU_TITLE in text


def test_meta_charset_after_a_long_head_is_found(html_page):
    head = "<script>var x = 1;</script>\n" * 400 + '<meta charset="windows-1250">'
    html = html_page("Żółta łódź", "<p>Zażółć gęślą jaźń.</p>", head=head)
    data = html.encode("cp1250")
    assert meta_charset(data) == "windows-1250"
    assert decode(data) == (html, "cp1250")


@pytest.mark.parametrize(
    "label, codec",
    [
        ("ISO-8859-1", "cp1252"),  # browsers read latin-1 as its superset windows-1252
        ("latin_1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("GB2312", "gb18030"),
        ("gbk", "gb18030"),
        ("Shift_JIS", "cp932"),
        ("euc-kr", "cp949"),
        ("x-sjis", "cp932"),
        ("x-user-defined", "cp1252"),
        ("utf8", "utf-8"),
        ("no-such-charset", None),
        ("", None),
    ],
)
def test_normalise_encoding(label, codec):
    assert normalise_encoding(label) == codec


def test_latin1_label_decodes_windows_punctuation():
    data = "An em dash \x97 and \x93quotes\x94".encode("latin-1")
    text, _ = decode(b"<p>" + data + b"</p>", http_charset="iso-8859-1")
    assert "\u2014" in text and "\u201cquotes\u201d" in text


def test_a_lying_declaration_is_read_as_utf8(fr_page):
    html = fr_page.replace("<head>", '<head><meta charset="iso-8859-1">')
    page = only_page(html.encode("utf-8"))
    assert page.title == "Café de l’été à Genève"
    assert decode(html.encode("utf-8"), http_charset="iso-8859-1")[1] == "utf-8"


def test_a_true_latin1_declaration_is_honoured(fr_page):
    html = fr_page.replace("<head>", '<head><meta charset="iso-8859-1">')
    assert decode(html.encode("cp1252")) == (html, "cp1252")


def test_utf8_cut_inside_a_character_does_not_raise(fr_page):
    data = fr_page.encode("utf-8") + "é".encode()[:1]
    text, enc = decode(data)
    assert enc == "utf-8"
    assert text.startswith(fr_page)


# ---- detection without a declaration -------------------------------------------------


@pytest.mark.parametrize(
    "name, title, codecs_ok",
    [
        ("zh_gbk.html", ZH_TITLE, {"gb18030"}),
        ("zh_gb2312.html", ZH_TITLE, {"gb18030"}),
        ("ja_shift_jis.html", JA_TITLE, {"cp932"}),
        ("ru_windows1251.html", RU_TITLE, {"cp1251"}),
    ],
)
def test_undeclared_pages_are_detected(name, title, codecs_ok):
    data = (LOADERS / name).read_bytes()
    assert b"charset" not in data
    text, enc = decode(data)
    assert enc in codecs_ok
    page = only_page(data)
    assert page.title == title
    assert title in page.text


def test_latin_page_with_few_high_bytes_is_not_read_as_cjk(html_page):
    # A few accented letters in an English page must not turn into ideographs. (Whether
    # windows-1250 or -1252 wins is a coin toss on so little text: only "é", the same in
    # both, is checked; "ê" may come out as "ę".)
    html = html_page("Menu", "<p>Our caf\xe9 serves cr\xeapes and coffee every day from eight.</p>" * 3)
    text, enc = decode(html.encode("cp1252"))
    assert enc in {"cp1252", "cp1250", "cp1257"}
    assert "Our café serves" in text


def test_pure_ascii_is_utf8():
    assert decode(b"<p>plain</p>") == ("<p>plain</p>", "utf-8")


# ---- gzip ------------------------------------------------------------------------------


def test_gunzip_roundtrip_and_concatenated_members():
    a, b = b"<p>one</p>" * 100, b"<p>two</p>" * 100
    assert gunzip(gzip.compress(a), 10_000) == (a, False)
    assert gunzip(gzip.compress(a) + gzip.compress(b), 10_000) == (a + b, False)


def test_gzipped_gbk_page():
    page = only_page((LOADERS / "zh_gbk.html.gz").read_bytes())
    assert page.title == ZH_TITLE
    assert not page.truncated


def test_truncated_gzip_keeps_what_was_read(html_page):
    body = "".join(f"<p>paragraph number {i} of a long story</p>" for i in range(3000))
    data = gzip.compress(html_page("Long story", body).encode())
    cut = data[: len(data) // 2]
    out, truncated = gunzip(cut, 10_000_000)
    assert truncated
    assert len(out) > 10_000
    page = only_page(cut)
    assert page.truncated
    assert page.title == "Long story"
    assert "paragraph number 5 of" in page.text


def test_gzip_bomb_is_capped_not_inflated():
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    bomb = b"".join(comp.compress(block) for _ in range(200)) + comp.flush()  # 200 MB of zeros
    assert len(bomb) < 1_000_000
    out, truncated = gunzip(bomb, 1_000_000)
    assert truncated and len(out) == 1_000_000
    page = only_page(bomb, options=Options(max_bytes=1_000_000))
    assert page.truncated
    assert len(page.raw_text or page.html or "") <= 1_000_000


def test_corrupt_gzip_is_an_input_error():
    with pytest.raises(InputError, match="gzip"):
        gunzip(b"\x1f\x8b\x08\x00garbage-not-deflate", 1000)
