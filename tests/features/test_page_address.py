"""``Page.address`` / ``Page.url_source``: the page URL, else the one the page states for itself."""

from pathlib import Path

import pytest

from features.page import absolute_http_url, from_text, parse_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
URLS = FIXTURES / "urls"


def _page(name: str, url: str | None = None):
    return parse_html((URLS / name).read_text(encoding="utf-8"), url=url)


def test_canonical_is_recovered_before_og_url():
    page = _page("canonical.html")
    assert page.url is None  # the page URL itself stays unknown to the other extractors
    assert page.address == "https://7730215-cheap-tips.xyz/?p=4411"
    assert page.url_source == "canonical"


def test_given_url_wins_over_the_canonical():
    page = _page("canonical.html", url="https://news.example.com/2026/sheds")
    assert page.address == "https://news.example.com/2026/sheds"
    assert page.url_source == "given"


def test_og_url_when_the_canonical_is_relative():
    page = _page("og_url.html")
    assert page.address == "https://www.garden-notes-and-more-tips.top/notes/watering"
    assert page.url_source == "og:url"


def test_base_href_when_canonical_and_og_url_are_not_http():
    page = _page("base_href.html")
    assert page.address == "http://a.b.c.pages-4417.club/"
    assert page.url_source == "base"


def test_only_relative_addresses_recover_nothing():
    page = _page("no_address.html")
    assert page.address == "" and page.url_source is None


def test_plain_text_has_no_address_unless_given():
    assert from_text("just words").url_source is None
    page = from_text("just words", url="https://example.org/t")
    assert (page.address, page.url_source) == ("https://example.org/t", "given")


def test_recovery_reads_the_markup_pass_not_a_new_query():
    page = _page("base_href.html")
    _ = page.meta  # the single markup query every extractor shares
    page._all = None  # any further selector query would now fail
    assert page.url_source == "base"


@pytest.mark.parametrize(
    ("href", "want"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("  HTTP://Example.org/  ", "HTTP://Example.org/"),
        ("//cdn.example.org/x", "https://cdn.example.org/x"),
        ("/relative", ""),
        ("example.org/no-scheme", ""),
        ("https://", ""),
        ("https:///path-only", ""),
        ("https://exa mple.org/", ""),
        ("https://[::1/", ""),
        ("mailto:someone@example.org", ""),
        ("javascript:alert(1)", ""),
        ("", ""),
    ],
)
def test_absolute_http_url(href, want):
    assert absolute_http_url(href) == want


@pytest.mark.parametrize("name", ["canonical.html", "og_url.html", "base_href.html", "no_address.html"])
def test_same_address_whether_or_not_link_rels_were_built_first(name):
    fresh = _page(name)
    built = _page(name)
    _ = built.link_rels
    assert (fresh.address, fresh.url_source) == (built.address, built.url_source)
