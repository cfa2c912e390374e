"""Which of two matched pages is the original, and which evidence decided."""

from __future__ import annotations

from detector.index import Index
from detector.index.provenance import Facts, decide, facts, listed, parse_date, published_date
from features.page import from_text, parse_html

NONE: frozenset[str] = frozenset()


def test_dates_from_meta_json_ld_time_and_wordpress():
    meta = parse_html('<html><head><meta property="article:published_time" content="2024-02-03T10:00:00+02:00"></head><body></body></html>')
    assert published_date(meta)[0].isoformat() == "2024-02-03T08:00:00+00:00"
    ld = parse_html('<html><head><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2023-11-05"}</script></head><body></body></html>')
    assert published_date(ld)[0].date().isoformat() == "2023-11-05"
    tm = parse_html('<html><body><p>x</p><time datetime="2022-07-08T12:30">July 8</time></body></html>')
    assert published_date(tm) == (parse_date("2022-07-08T12:30")[0], True)
    wp = from_text("text", meta_extra={"wp_date": "2021-01-02T03:04:05"})
    assert published_date(wp)[0].year == 2021
    assert published_date(parse_html("<html><body><p>no date</p></body></html>")) is None


def test_earlier_date_wins():
    early = Facts(site="first.com", published="2024-01-01T00:00:00+00:00")
    late = Facts(site="second.com", published="2024-02-01T00:00:00+00:00")
    d = decide(late, early, reliable=NONE, farms=NONE)
    assert d.other_original and not d.this_original and not d.credited
    assert "published 2024-01-01" in d.why
    assert decide(early, late, reliable=NONE, farms=NONE).this_original


def test_same_day_is_no_evidence():
    a = Facts(site="a.com", published="2024-01-01")
    b = Facts(site="b.com", published="2024-01-01")
    d = decide(a, b, reliable=NONE, farms=NONE)
    assert not d.other_original and not d.this_original and d.why.startswith("undecided")


def test_canonical_decides_over_dates():
    # The copy carries an earlier (back-dated) date but its canonical names the other site.
    copy = Facts(site="mirror.xyz", published="2020-01-01", canonical_site="origin-news.com")
    orig = Facts(site="origin-news.com", published="2024-01-01")
    d = decide(copy, orig, reliable=NONE, farms=NONE)
    assert d.other_original and d.credited
    assert d.why.split(": ", 1)[1].startswith("this page's canonical link points to origin-news.com")


def test_canonical_read_from_page(page, paragraphs):
    p = page("https://mirror.xyz/a", paragraphs(1), canonical="https://www.origin-news.com/story")
    assert facts(p).canonical_site == "origin-news.com"


def test_credited_wire_copy_reported_but_not_flagged(page, paragraphs):
    paras = paragraphs(5)
    wire1 = page("https://city-daily.com/world/x", ["PARIS (AP) — " + paras[0], *paras[1:]], date="2024-04-01T10:00:00Z")
    wire2 = page("https://county-times.com/news/x", ["PARIS (AP) — " + paras[0], *paras[1:]], date="2024-04-01T16:00:00Z")
    idx = Index()
    idx.add(wire1)
    res = idx.query(wire2)
    assert [m["url"] for m in res.copy_of] == ["https://city-daily.com/world/x"]
    m = res.copy_of[0]
    assert m["credited"] is True and m["original_likely"] is False
    assert "Associated Press" in m["why"]
    assert res.features.values["index.copy_credited"] == 1.0
    assert res.features.values["index.copied_from_elsewhere_likely"] == 0.0


def test_press_release_wire_copy_is_credited(page, paragraphs):
    # A company's release runs word for word on every finance portal that takes the wire.
    paras = paragraphs(5)
    portal1 = page("https://finance-portal.de/news/1", ["LAS VEGAS--(BUSINESS WIRE)--" + paras[0], *paras[1:]])
    portal2 = page("https://boersen-news.es/n/2", ["07/01/2008 20:12 Business Wire", *paras])
    f1, f2 = facts(portal1), facts(portal2)
    assert f1.wires == ["Business Wire"] and f2.wires == ["Business Wire"]
    idx = Index()
    idx.add(portal1)
    m = idx.query(portal2).copy_of[0]
    assert m["credited"] is True and "both credit Business Wire" in m["why"]


def test_dateline_credit_deep_in_page_counts(page, paragraphs):
    # The dateline is read on every line, not only in the first characters of the main text.
    lead = [f"Navigation item number {i} with some words" for i in range(40)]
    p = page("https://regional-paper.com.br/x", [*lead, *paragraphs(3), "Fonte: Agência Brasil"])
    assert "Agência Brasil" in facts(p).wires


def test_copy_crediting_the_agency_matches_its_own_site():
    this = Facts(site="portal.com", wires=["Reuters"])
    agency = Facts(site="reuters.com")
    d = decide(this, agency, reliable=NONE, farms=NONE)
    assert d.credited and d.other_original
    assert "credits Reuters, whose site reuters.com it matches" in d.why
    # the same credit does not make any other site the source
    assert not decide(this, Facts(site="elsewhere.com"), reliable=NONE, farms=NONE).credited


def test_attribution_line_credits_source(page, paragraphs):
    paras = paragraphs(6)
    orig = page("https://origin-news.com/a", paras)
    synd = page(
        "https://partner-paper.com/a",
        paras,
        after='<p>This article originally appeared on <a href="https://origin-news.com/a">Origin News</a>.</p>',
    )
    f = facts(synd)
    assert "origin-news.com" in f.credit_sites
    idx = Index()
    idx.add(orig)
    m = idx.query(synd).copy_of[0]
    assert m["original_likely"] is True and m["credited"] is True
    assert "attribution line names origin-news.com" in m["why"]


def test_reliable_and_farm_lists():
    reliable = frozenset({"bignews.com"})
    farms = frozenset({"spamfarm.xyz"})
    assert listed("www.bignews.com", reliable) and not listed("notbignews.com", reliable)
    d = decide(Facts(site="random-blog.net"), Facts(site="bignews.com"), reliable=reliable, farms=farms)
    assert d.other_original and "reliable-news list" in d.why
    d = decide(Facts(site="spamfarm.xyz"), Facts(site="random-blog.net"), reliable=reliable, farms=farms)
    assert d.other_original and "content-farm list" in d.why


def test_packaged_lists_load():
    idx = Index()
    assert len(idx.reliable) > 1000 and len(idx.farms) > 1000
    assert not (idx.reliable & idx.farms)


def test_one_original_among_several_matches(page, paragraphs):
    paras = paragraphs(8)
    idx = Index()
    idx.add(page("https://first-paper.com/s", paras, date="2024-01-01T08:00:00Z"))
    idx.add(page("https://scraper-a.xyz/s", paras, date="2024-01-05T08:00:00Z"))
    idx.add(page("https://scraper-b.xyz/s", paras, date="2024-01-07T08:00:00Z"))
    res = idx.query(page("https://late-copy.xyz/s", paras, date="2024-02-01T08:00:00Z"))
    named = [m["url"] for m in res.copy_of if m["original_likely"]]
    assert named == ["https://first-paper.com/s"]
    assert len(res.copy_of) == 3
