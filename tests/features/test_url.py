from features.page import from_text, parse_html
from features.url import FEATURES, extract


def _v(url: str | None) -> dict[str, float]:
    return extract(parse_html("<p>x</p>", url=url)).values


def test_unknown_url_gives_zeros_with_every_key():
    v = extract(from_text("some text")).values
    assert set(v) == set(FEATURES)
    assert all(x == 0.0 for x in v.values())


def test_digit_domain_and_abused_tld():
    f = extract(parse_html("<p>x</p>", url="https://7730215.xyz/?p=88"))
    assert f.values["url.digit_share"] == 1.0
    assert f.values["url.digits_run"] == 1.0
    assert f.values["url.abused_tld"] == 1.0
    assert f.values["url.query_page"] == 1.0
    assert any("digits" in e for e in f.evidence["url.digit_share"])


def test_keyword_chain_domain():
    v = _v("http://best-cheap-garden-tools-online.com/reviews/spades.html")
    assert v["url.hyphens"] == 1.0
    assert v["url.label_length_sat"] > 0.5


def test_ordinary_news_domains_stay_quiet():
    for url in ("https://www.theguardian.com/world/2026/jan/01/story", "https://www.spiegel.de/politik/a-123.html",
                "https://www.bbc.co.uk/news/uk-12345678"):
        v = _v(url)
        assert v["url.digit_share"] == 0.0 and v["url.hyphens"] == 0.0 and v["url.abused_tld"] == 0.0, url


def test_national_namespaces_are_not_an_abuse_prior():
    # .cn and .ru hold mostly their countries' own sites: the TLD tells the country, not the farm.
    for url in ("http://www.news.cn/world/20260101/abc/c.html", "https://news.sina.com.cn/c/2026-01-01/doc.shtml",
                "https://lenta.ru/news/2026/01/01/x/", "http://old-forum.su/t/1"):
        assert _v(url)["url.abused_tld"] == 0.0, url
    for url in ("https://cheap-news24.xyz/a", "https://celebrity-gossip.top/b", "https://123news.tk/c"):
        assert _v(url)["url.abused_tld"] == 1.0, url


def test_subdomain_depth_and_ip_host():
    assert _v("http://a.b.c.example.com/x")["url.subdomain_depth"] == 1.0
    assert _v("http://203.0.113.7/page")["url.ip_host"] == 1.0


def test_page_without_url_reads_its_canonical_and_a_given_url_wins(fixtures_dir):
    html = (fixtures_dir / "urls" / "canonical.html").read_text(encoding="utf-8")
    recovered = extract(parse_html(html))
    assert recovered.values["url.digits_run"] == 1.0
    assert recovered.values["url.abused_tld"] == 1.0
    assert recovered.values["url.query_page"] == 1.0
    assert any("7730215-cheap-tips.xyz" in e for e in recovered.evidence["url.digits_run"])
    given = extract(parse_html(html, url="https://www.bbc.co.uk/news/uk-12345678")).values
    assert given["url.digits_run"] == 0.0 and given["url.abused_tld"] == 0.0 and given["url.query_page"] == 0.0


def test_consonant_run_counts_only_the_excess_over_ordinary_names():
    # No letters, no address and an ordinary name all read the same: the value a missing URL
    # gives must not sit at an end of the scale (it did: 0 consonants, rarer than 5).
    assert _v("https://7730215.xyz/")["url.consonant_run"] == 0.0
    assert _v("https://www.theguardian.com/world")["url.consonant_run"] == 0.0  # 'rd', 'gh': <= 3
    assert extract(from_text("some text")).values["url.consonant_run"] == 0.0
    f = extract(parse_html("<p>x</p>", url="http://njxfhn.com/a.html"))
    assert f.values["url.consonant_run"] == 1.0  # 'njxfhn': 6 in a row
    assert f.evidence["url.consonant_run"] == ["domain njxfhn.com: 6 consonants in a row"]
