"""copy.*: canonical elsewhere, attribution, wire credits, hotlinked images, read-original links."""


import pytest

from features import from_text, parse_html
from features.copy import extract, is_generic_host, same_brand


@pytest.fixture(scope="module")
def page(fixture_page):
    """``page(name, url)``: a page of ``tests/fixtures/copy``."""
    return lambda name, url: fixture_page("copy", name, url)


def test_scraped_copy_fires_everything_but_wire(page):
    f = extract(page("scraper_en.html", "https://localnews-mirror.xyz/council-bridge"))
    v = f.values
    assert v["copy.canonical_elsewhere"] == 1
    assert f.evidence["copy.canonical_elsewhere"] == ["canonical -> dailyherald-news.com"]
    assert v["copy.attribution"] == 2
    assert v["copy.wire_credit"] == 0
    # 2 of 4 photos from the other publisher; the own upload and the wp.com CDN copy are not hotlinks
    assert v["copy.hotlinked_images"] == 0.5
    assert v["copy.hotlinked_images_sat"] == 0.2
    assert f.evidence["copy.hotlinked_images"] == ["images from dailyherald-news.com x2"]
    assert v["copy.read_original_link"] == 1
    assert "dailyherald-news.com" in f.evidence["copy.read_original_link"][0]


def test_newspaper_same_site_canonical_and_getty_are_clean(page):
    f = extract(page("newspaper_en.html", "https://www.countyledger.com/news/storm-schools"))
    v = f.values
    assert v["copy.canonical_elsewhere"] == 0  # canonical and m. og:url are the same site
    # Getty is a licensed stock-photo host (in the CDN list); countyledgercdn.com is an asset host.
    assert v["copy.hotlinked_images"] == 0
    assert v["copy.read_original_link"] == 0  # same-site "read more"
    assert v["copy.attribution"] == 0 and v["copy.wire_credit"] == 0


def test_wire_dateline_german_html(page):
    f = extract(page("wire_de.html", "https://www.stadtblatt.de/bahn"))
    assert f.values["copy.wire_credit"] == 1
    assert any(e.startswith("dpa dateline: BERLIN (dpa)") for e in f.evidence["copy.wire_credit"])
    assert f.values["copy.attribution"] == 1  # "Quelle: dpa"


def test_wire_credit_portuguese_plain_text(page):
    f = extract(page("wire_pt.txt", "https://noticias-regiao.com.br/a"))
    assert f.values["copy.wire_credit"] == 1
    assert f.evidence["copy.wire_credit"][0].startswith("Agência Brasil credit")
    assert f.values["copy.hotlinked_images"] == 0 and f.values["copy.read_original_link"] == 0


def test_reuters_dateline_and_credit_line(page):
    f = extract(page("reuters_en.txt", "https://markets-daily.example.com/a"))
    ev = " ".join(f.evidence["copy.wire_credit"])
    assert "Reuters dateline: LONDON, March 4 (Reuters)" in ev and "Reporting by" in ev


def test_agency_own_site_is_not_wire_copy():
    f = extract(from_text("Markets wrap\nStocks rose.\n© 2024 Reuters. All rights reserved.", url="https://www.reuters.com/a"))
    assert f.values["copy.wire_credit"] == 0
    f = extract(from_text("Markets wrap\nStocks rose.\n© 2024 Reuters", url="https://www.marketsblog.net/a"))
    assert f.values["copy.wire_credit"] == 1


def test_mentions_are_not_credits():
    text = "Profits fall\nReuters reported that profits fell.\nJoe Example (AP) said nothing.\nPhoto: AP"
    assert extract(from_text(text, url="https://blog.example.net/a")).values["copy.wire_credit"] == 0


def test_attribution_cjk(page):
    f = extract(page("attribution_zh.txt", "https://bike-news.example.cn/a"))
    assert f.values["copy.attribution"] == 1
    assert f.evidence["copy.attribution"] == ["来源：城市日报"]


def test_same_key_set(page):
    a = extract(page("scraper_en.html", "https://a.example.org/"))
    b = extract(page("wire_pt.txt", "https://b.example.org/"))
    assert set(a.values) == set(b.values)


def test_helpers():
    assert same_brand("bbci.co.uk", "bbc.co.uk") and same_brand("nyt.com", "nytimes.com")
    assert not same_brand("apnews.com", "news24.com")
    assert is_generic_host("wp.com") and is_generic_host("s3-us-west-2.amazonaws.com")
    assert is_generic_host("kinja-img.com") and not is_generic_host("apnews.com")


def test_wordpress_featured_images_count():
    html = "<html><body><article><p>text</p></article></body></html>"
    p = parse_html(html, url="https://copycat.example/post")
    p.meta_extra["wp_featured_images"] = ["https://www.apnews.com/images/lead.jpg"]
    f = extract(p)
    assert f.values["copy.hotlinked_images"] == 1.0
    assert f.evidence["copy.hotlinked_images"] == ["images from apnews.com x1"]
