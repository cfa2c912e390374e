"""Sources to pages: WordPress JSON, text, HTML, URLs from a local server, directories."""

import http.server
import json
import time
from pathlib import Path

import pytest

from detector.errors import FetchError, InputError
from detector.options import Options
from detector.sources.load import expand_inputs, load, load_path_or_url, pages_from_str

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LOADERS = FIXTURES / "loaders"
SITE = FIXTURES / "cli" / "site"
LOCAL = Options(allow_private=True, timeout=5.0, fetch=True)


def docs_of(source, **kw):
    return list(load(source, **kw))


# ---- WordPress REST ------------------------------------------------------------------


def test_wordpress_post_file():
    (doc,) = docs_of(LOADERS / "wp_post.json")
    page = doc.page
    assert page.kind == "wp-json"
    assert page.url == "https://blog.example.org/2024/03/post-7/"
    assert page.title == "Garden notes \u2013 part 7"  # &#8211; unescaped
    assert "Mulch keeps the soil moist" in page.text
    assert page.tags == ["gardening", "tomatoes"]
    assert page.given_author == "Ann Gardener"
    assert page.meta_extra["wp_featured_images"] == [
        "https://blog.example.org/img/7.jpg",
        "https://blog.example.org/img/7-150.jpg",
    ]


def test_wordpress_list_gives_one_page_each():
    docs = docs_of(LOADERS / "wp_posts.json")
    assert [d.input for d in docs] == [f"{LOADERS / 'wp_posts.json'}#{i}" for i in range(3)]
    assert [d.page.url for d in docs] == [f"https://blog.example.org/2024/03/post-{i}/" for i in (1, 2, 3)]
    assert all(d.error is None for d in docs)


def test_wordpress_list_with_a_stray_item_reports_it(wp_post):
    docs = docs_of([wp_post(1), {"id": 2}])
    assert docs[0].page is not None and docs[1].page is None
    assert "item 1 is not a WordPress post" in str(docs[1].error)


def test_non_wordpress_json_is_a_clear_input_error():
    with pytest.raises(InputError, match="not a WordPress REST post"):
        docs_of(LOADERS / "not_wp.json")
    with pytest.raises(InputError, match="no WordPress posts"):
        docs_of(b"[1, 2, 3]")


def test_text_starting_with_a_bracket_is_text():
    (doc,) = docs_of(LOADERS / "bracket_note.txt")
    assert doc.page.kind == "text"
    assert doc.page.title == "[Draft] Notes from the garden club meeting"
    assert "plant beans along the east fence" in doc.page.text


def test_forced_wp_json_on_bad_json_is_an_error():
    with pytest.raises(InputError, match="not valid JSON"):
        list(pages_from_str("[not json", options=Options(input_format="wp-json")))


# ---- text and HTML -------------------------------------------------------------------


def test_plain_text_file():
    (doc,) = docs_of(LOADERS / "plain.txt")
    page = doc.page
    assert page.kind == "text" and page.tree is None
    assert page.title == "Notes from the garden club meeting"
    assert page.links == [] and page.scripts == []
    assert "share seeds in April" in page.text


def test_html_str_and_bytes_give_the_same_page(html_page):
    html = html_page("Club news", "<p>New members <a href='/join'>join here</a>.</p>")
    (a,) = docs_of(html, url="https://club.example.net/news/")
    (b,) = docs_of(html.encode(), url="https://club.example.net/news/")
    for doc in (a, b):
        assert doc.page.kind == "html"
        assert doc.page.title == "Club news"
        assert [lk.href for lk in doc.page.links] == ["https://club.example.net/join"]


def test_empty_input_is_not_a_page_like_a_one_byte_file():
    from detector.abstain import not_a_page

    for data in (b"", b"  \n ", "   "):
        (doc,) = docs_of(data)
        assert doc.error is None and not_a_page(doc.page) == "not a page: empty input"
    (one,) = docs_of(b"x")
    assert not_a_page(one.page).startswith("not a page: ")


def test_unsupported_type_is_an_error():
    with pytest.raises(InputError, match="cannot read a int"):
        docs_of(42)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        list(load_path_or_url(str(tmp_path / "gone.html"), url=None, options=Options()))


def test_file_over_the_cap_is_truncated(html_page, tmp_path):
    p = tmp_path / "big.html"
    p.write_text(html_page("Big", "<p>word </p>" * 5000))
    (doc,) = docs_of(p, options=Options(max_bytes=10_000))
    assert doc.page.truncated
    assert len(doc.page.html) == 10_000


# ---- directories ---------------------------------------------------------------------


def test_directory_expansion_is_recursive_sorted_and_page_like_only():
    got = [Path(p).relative_to(SITE).as_posix() for p in expand_inputs([str(SITE)])]
    # .png/.tsv are skipped by extension, README sniffs as text (skipped), hidden files skipped,
    # the extension-less HTML file is found by sniffing.
    assert got == ["index.html", "sub/about", "sub/archive.html.gz", "sub/events.htm"]


def test_expand_keeps_urls_stdin_and_files_in_order():
    items = ["-", "https://example.org/a", str(LOADERS / "plain.txt")]
    assert list(expand_inputs(items)) == items


def test_gzip_without_page_extension_is_sniffed(html_page, tmp_path):
    import gzip

    (tmp_path / "page.bin.gz").write_bytes(gzip.compress(html_page("T", "<p>x</p>").encode()))
    (tmp_path / "blob.bin.gz").write_bytes(gzip.compress(bytes(range(256)) * 8))
    assert [Path(p).name for p in expand_inputs([str(tmp_path)])] == ["page.bin.gz"]


# ---- URLs from a local server ------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    bodies: dict[str, tuple[bytes, str]] = {}  # path -> (body, content type), set by the fixture

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        path = self.path
        if path.startswith("/hop/"):
            n = int(path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", f"/hop/{n - 1}" if n > 1 else "/ru")
            self.end_headers()
            return
        if path in self.bodies:
            body, ctype = self.bodies[path]
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server(serve, html_page, wp_post):
    bodies = {
        "/ru": (html_page("Осенняя ярмарка", "<p>Фермеры привезли мёд и яблоки.</p>").encode("cp1251"),
                "text/html; charset=windows-1251"),
        "/wp": (json.dumps(wp_post(5)).encode(), "application/json"),
    }
    handler = type("Handler", (_Handler,), {"bodies": bodies})
    with serve(handler) as url:
        yield url


def test_url_charset_from_content_type(server):
    # No <meta charset>: only the HTTP header says windows-1251.
    (doc,) = docs_of(f"{server}/ru", options=LOCAL)
    assert doc.page.title == "Осенняя ярмарка"
    assert doc.page.url == f"{server}/ru"


def test_url_wordpress_json(server):
    (doc,) = docs_of(f"{server}/wp", options=LOCAL)
    assert doc.page.kind == "wp-json"
    assert doc.page.url == f"{server}/wp"


def test_redirect_chain_is_followed(server):
    (doc,) = docs_of(f"{server}/hop/3", options=LOCAL)
    assert doc.page.url == f"{server}/ru"
    assert doc.page.title == "Осенняя ярмарка"


def test_too_many_redirects(server):
    with pytest.raises(FetchError, match="more than 5 redirects"):
        docs_of(f"{server}/hop/9", options=LOCAL)


def test_http_404_is_a_fetch_error(server):
    with pytest.raises(FetchError, match="HTTP 404"):
        docs_of(f"{server}/missing", options=LOCAL)


def test_loopback_refused_without_allow_private(server):
    with pytest.raises(FetchError, match="non-public address"):
        docs_of(f"{server}/ru", options=Options(fetch=True))


def test_a_url_str_is_not_fetched_without_asking(server):
    # A str is content: a URL is fetched only with Options(fetch=True) or score_url().
    with pytest.raises(InputError, match="score_url"):
        docs_of(f"{server}/ru", options=Options(allow_private=True))
    from detector import score_url

    v = score_url(f"{server}/ru", options=Options(allow_private=True, timeout=5.0))
    assert v.url == f"{server}/ru" and v.error is None


def test_fetched_body_over_the_cap_is_marked_truncated(server):
    (doc,) = docs_of(f"{server}/ru", options=LOCAL.with_(max_bytes=100))
    assert doc.page.truncated


# ---- where the page URL came from ------------------------------------------------------


def test_wordpress_link_is_marked_as_its_url_source(wp_post):
    (doc,) = docs_of(wp_post(3))
    assert doc.page.url == "https://blog.example.org/2024/03/post-3/"
    assert (doc.url_source, doc.page.url_source) == ("wp-link", "wp-link")
    (given,) = docs_of(wp_post(3), url="https://mirror.example.com/p3")
    assert given.page.address == "https://mirror.example.com/p3"
    assert (given.url_source, given.page.url_source) == ("given", "given")


def test_wordpress_link_that_is_not_absolute_http_is_not_an_address(wp_post):
    (doc,) = docs_of(wp_post(3, link="/2024/03/post-3/"))
    assert doc.page.url is None and doc.url_source is None
    assert doc.page.url_source is None  # and its content states no address either


def test_sniffing_skips_leading_comments_in_linear_time():
    from detector.sources.document import sniff

    assert sniff(b"<?xml version='1.0'?> <!-- a --> \n<!-- b --><html><p>x") == "html"
    assert sniff(b"<!-- only a comment --> then words") == "text"
    assert sniff(b"<!-- unclosed and no tag") == "text"
    start = time.perf_counter()
    assert sniff(b"<!--\r\r\r\ro#<cp1252-->" * 400 + b" words") == "text"  # exponential before: 24 comments 6.3 s, 28 over a minute
    assert time.perf_counter() - start < 1.0
