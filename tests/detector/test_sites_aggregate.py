"""Site grouping, the bounded running aggregates and the site signals read from them."""

import random

import pytest

from detector.kinds import decide_kind
from detector.sites.aggregate import (
    KEEP_PAGES,
    MAX_SIGNALS,
    VOCAB_K,
    Rollup,
    SiteAggregate,
)
from detector.sites.facts import PageFacts, body_signature, facts_from_record
from detector.sites.grouping import is_domain, site_key, site_of
from detector.sites.signals import site_signals
from detector.sites.templates import SAMPLE


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.bbc.co.uk/news/x", "bbc.co.uk"),
        ("http://news.bbc.co.uk/", "bbc.co.uk"),
        ("https://alice.blogspot.com/2020/01/post.html", "alice.blogspot.com"),
        ("https://bob.github.io/", "bob.github.io"),
        ("https://carol.wordpress.com/2021/x/", "carol.wordpress.com"),
        ("https://www.dave.tumblr.com/post/1", "dave.tumblr.com"),
        ("https://wordpress.com/", "wordpress.com"),
        ("https://blog.example.com.au/a", "example.com.au"),
        ("example.org/page", "example.org"),
        ("", ""),
    ],
)
def test_site_of(url, site):
    assert site_of(url) == site


def test_pages_without_url_are_sites_of_their_own_and_not_domains():
    assert site_key(None, "pages/a.txt") == "?pages/a.txt"
    assert not is_domain("?pages/a.txt") and is_domain("a.example")


def page(i, *, site="farm.example", p=0.5, label=None, title="", byline=None, layout=None, body=None, url=None,
         signals=(), ads=None, outbound=None):
    return PageFacts(input=f"p{i}", url=url or f"https://{site}/p{i}", site=site, probability=p,
                     label=label or ("farm" if p >= 0.5 else "original"), signals=list(signals), title=title,
                     byline=byline, layout=layout, body_sig=body, ad_slots=ads, outbound_share=outbound)


def test_probability_distribution_share_mean_and_quantiles():
    agg = SiteAggregate("s.example")
    probs = [i / 100 for i in range(100)]
    for i, p in enumerate(probs):
        agg.add(page(i, p=p))
    v, ev = site_signals(agg)
    assert v["site.share_flagged"] == pytest.approx(0.5)
    assert v["site.mean_probability"] == pytest.approx(sum(probs) / 100)
    assert v["site.p75"] == pytest.approx(0.75, abs=0.05) and v["site.p90"] == pytest.approx(0.90, abs=0.05)
    assert v["site.max_probability"] == pytest.approx(0.99)
    assert "50 of 100 pages flagged" in ev["site.share_flagged"][0]


def test_failed_pages_count_as_pages_not_as_scores():
    agg = SiteAggregate("s.example")
    agg.add(page(0, p=0.9))
    agg.add(PageFacts(input="bad", url=None, site="s.example", probability=None, label=None, error="input: empty"))
    assert (agg.pages, agg.errors, agg.scored) == (2, 1, 1)
    assert site_signals(agg)[0]["site.share_flagged"] == 1.0


def test_doorway_titles_and_same_body_found_with_evidence():
    agg = SiteAggregate("door.example")
    body = body_signature(" ".join(["Call our licensed plumbers in Springfield today for fast repair"] * 8))
    for i, town in enumerate(["Springfield", "Shelbyville", "Ogdenville", "Capital City", "Brockway"]):
        agg.add(page(i, title=f"Emergency plumber in {town} | Fix Co", body=body))
    v, ev = site_signals(agg)
    assert v["site.same_body"] == 1.0
    assert v["site.doorway_titles"] >= 0.8
    assert any("brockway" in e.lower() for e in ev["site.doorway_titles"])  # words seen once it is a family


def test_ordinary_article_titles_are_no_doorway():
    agg = SiteAggregate("news.example")
    titles = ["Council approves new budget for schools", "Storm closes coastal roads overnight",
              "Local team wins regional final", "Museum opens exhibition of early maps",
              "Rail strike delays commuters again", "Council approves new parking rules"]
    for i, t in enumerate(titles):
        agg.add(page(i, title=t, body=random.Random(i).getrandbits(60)))
    v, _ = site_signals(agg)
    assert "site.doorway_titles" not in v and "site.same_body" not in v


def test_doorway_urls_when_there_are_no_titles():
    agg = SiteAggregate("door.example")
    for i, town in enumerate(["austin", "dallas", "houston", "el-paso"]):
        agg.add(page(i, url=f"https://door.example/services/plumber-in-{town}-tx"))
    v, ev = site_signals(agg)
    assert v["site.doorway_titles"] == 1.0  # the slot holds a two-word town too
    assert "/services/plumber-in-{...}-tx" in ev["site.doorway_titles"][0]


CITIES = [("Dallas", "TX"), ("Tulsa", "OK"), ("Fort Worth", "TX"), ("Austin", "TX"), ("Wichita", "KS"),
          ("San Antonio", "TX"), ("Plano", "TX"), ("Omaha", "NE"), ("El Paso", "TX"), ("Tyler", "TX")]
HOME = [("Acme Home Buyers - We Buy Houses For Cash In Any Condition", "https://acme.example/"),
        ("About Acme Home Buyers and Our Local Team", "https://acme.example/about-us/"),
        ("Contact Us Today For A Fair Cash Offer", "https://acme.example/contact/")]


def _doorway_site(order: list[int] | None = None) -> SiteAggregate:
    door = [(f"Sell My House Fast {c} {s} | Acme Home Buyers",
             f"https://acme.example/sell-my-house-fast-{c.lower().replace(' ', '-')}-{s.lower()}/") for c, s in CITIES]
    pages = HOME + door  # as a probe reads them: the home page and its menu first
    agg = SiteAggregate("acme.example")
    for i in order or range(len(pages)):
        agg.add(page(i, title=pages[i][0], url=pages[i][1]))
    return agg


def test_lead_generation_doorway_read_after_its_home_pages():
    """The city and its state change together, some cities have two words, and the home, about
    and contact pages come first: the pages still read as one template."""
    v, ev = site_signals(_doorway_site())
    assert v["site.doorway_titles"] == pytest.approx(10 / 13)
    assert "10 of 13 distinct titles follow one template: sell my house fast {...}" in ev["site.doorway_titles"][0]
    assert "fort worth tx" in ev["site.doorway_titles"][1]


def test_doorway_families_do_not_depend_on_page_order():
    order = list(range(13))
    random.Random(3).shuffle(order)
    assert site_signals(_doorway_site(order)) == site_signals(_doorway_site())


def test_doorway_share_counts_the_pages_whose_titles_cannot_hold_a_template():
    agg = SiteAggregate("door.example")
    agg.add(page(0, title="Home", url="https://door.example/"))
    for i, town in enumerate(["Austin", "Dallas", "Houston", "Waco"], 1):
        agg.add(page(i, title=f"Emergency plumber in {town} TX"))
    assert site_signals(agg)[0]["site.doorway_titles"] == pytest.approx(4 / 5)


def test_page_per_service_doorway():
    services = ["Drain Cleaning", "Water Heater Repair", "Leak Detection", "Sewer Line Replacement",
                "Toilet Repair", "Garbage Disposal Installation", "Emergency Plumbing"]
    agg = SiteAggregate("plumb.example")
    for i, svc in enumerate(services):
        agg.add(page(i, title=f"{svc} in Tulsa, OK | Bob's Plumbing"))
    v, ev = site_signals(agg)
    assert v["site.doorway_titles"] == 1.0 and "{...} in tulsa ok" in ev["site.doorway_titles"][0]


def test_series_and_short_patterns_are_no_template():
    agg = SiteAggregate("blog.example")
    titles = [f"Notes from the reading group, part {i}" for i in range(1, 6)]  # a numbered series
    titles += [f"Letters to the editor, May {d}" for d in (3, 10, 17)]  # a dated column
    titles += ["How to fix a leaking tap", "How to grow tomatoes", "How to tie a tie"]  # two fixed words
    for i, t in enumerate(titles):
        agg.add(page(i, title=t, url=f"https://blog.example/p/{i}"))
    assert "site.doorway_titles" not in site_signals(agg)[0]


def test_byline_sameness_and_missing():
    agg = SiteAggregate("s.example")
    for i in range(6):
        agg.add(page(i, byline="admin" if i < 5 else "jane roe"))
    for i in range(6, 8):
        agg.add(page(i, byline=""))
    v, ev = site_signals(agg)
    assert v["site.byline_same"] == pytest.approx(5 / 6)
    assert v["site.byline_missing"] == pytest.approx(2 / 8)
    assert "'admin' signs 5 of 6" in ev["site.byline_same"][0]


def test_one_layout_many_topics():
    wide, narrow = SiteAggregate("wide.example"), SiteAggregate("narrow.example")
    topics = ["how to fix a leaking tap", "best dog food brands", "what is bitcoin mining",
              "tips for growing tomatoes", "symptoms of flu in adults", "how to tie a tie"]
    for i, t in enumerate(topics):
        wide.add(page(i, title=t, layout=42))
        narrow.add(page(i, title="tomato growing guide part " + "abcdef"[i], layout=42 + i % 2))
    assert site_signals(wide)[0]["site.one_layout_many_topics"] > site_signals(narrow)[0]["site.one_layout_many_topics"]


def test_ad_outbound_and_page_signal_shares():
    agg = SiteAggregate("s.example")
    for i in range(4):
        agg.add(page(i, ads=3 if i < 3 else 0, outbound=0.5, signals=[("ads.slots", 0.8, "3 slots")] if i < 3 else []))
    v, ev = site_signals(agg)
    assert v["site.ad_page_share"] == 0.75 and v["site.outbound_share"] == 0.5
    assert v["site.pages_with.ads"] == 0.75 and "ads.slots on 3 of 4 pages" in ev["site.pages_with.ads"][0]


def test_memory_per_site_is_bounded_whatever_the_page_count():
    agg = SiteAggregate("big.example")
    rng = random.Random(0)
    for i in range(5000):
        agg.add(page(i, p=rng.random(), title=f"page {rng.getrandbits(40)} about {rng.getrandbits(40)} things",
                     byline=f"writer {i}", layout=i, body=i, signals=[(f"x.sig{i}", 0.1, "e")]))
    assert len(agg.signals) <= MAX_SIGNALS and len(agg.titles) == SAMPLE and len(agg.slugs) <= SAMPLE
    assert len(agg.bylines) <= 32 and len(agg.layouts) <= 32 and len(agg.bodies) <= 32
    assert len(agg.top) == KEEP_PAGES and len(agg.vocab) == VOCAB_K
    # The bottom-k sketch estimates the distinct title words (2 random + "page", "about", "things"
    # per page: ~10,003) within its ~1/sqrt(k) error.
    assert agg.distinct_title_words() == pytest.approx(10_003, rel=0.4)
    kept = agg.kept_pages()
    assert kept[0]["probability"] >= kept[-1]["probability"]


def test_rollup_groups_by_site():
    r = Rollup()
    for i in range(3):
        r.add(page(i, site="a.example"))
    r.add(page(9, site="b.example"))
    assert len(r) == 2 and r.sites["a.example"].pages == 3 and r.pages == 4


def test_score_records_are_read():
    f = facts_from_record({"input": "x.html", "url": "https://www.x.example/a", "label": "farm", "probability": 0.8,
                           "signals": [{"name": "ads.slots", "score": 0.5, "evidence": ["3 slots"]}],
                           "copy_of": [{"credited": False}], "template_sites": 4})
    assert (f.site, f.probability, f.signals, f.copies, f.credited_copies) == ("x.example", 0.8, [("ads.slots", 0.5, "3 slots")], 1, 0)


def test_kind_from_evidence():
    assert decide_kind({"copy.canonical_elsewhere": 1.5, "ads.slots": 2.0}, {})[0] == "scraped-mirror"
    assert decide_kind({"ads.slots": 2.0, "text.words": 5.0}, {})[0] == "made-for-advertising"
    assert decide_kind({"bio.has_birthday": 1.2}, {})[0] == "spun-ai"
    assert decide_kind({}, {"site.doorway_titles": 0.9, "site.same_body": 0.9}) == (
        "seo-spam-doorway", ["site.doorway_titles", "site.same_body"])
    assert decide_kind({"text.words": 3.0, "url.hyphens": 2.0}, {})[0] == "content-farm"


def test_family_counts_only_signals_that_fired():
    """A family whose pages only lean toward farm through absent features (value 0, no page
    evidence) is neither counted nor quoted; one that fired is counted and quoted."""
    agg = SiteAggregate("quiet.example")
    for i in range(3):
        agg.add(page(i, site="quiet.example", p=0.2, signals=[("copy.wire_credit", 0.18, "")]))
    v, ev = site_signals(agg)
    assert "site.pages_with.copy" not in v and "site.pages_with.copy" not in ev
    for i in range(3, 5):
        agg.add(page(i, site="quiet.example", p=0.2, signals=[("copy.wire_credit", 0.18, "credits AP")]))
    v, ev = site_signals(agg)
    assert v["site.pages_with.copy"] == 2 / 5
    assert ev["site.pages_with.copy"] == ["copy.wire_credit on 2 of 5 pages (e.g. credits AP)"]


def test_a_strong_doorway_template_names_the_kind_alone():
    assert decide_kind({}, {"site.doorway_titles": 0.77}) == ("seo-spam-doorway", ["site.doorway_titles"])
    assert decide_kind({}, {"site.doorway_titles": 0.4})[0] == "content-farm"  # under half: not alone
    assert decide_kind({}, {"site.ad_page_share": 0.9})[0] == "content-farm"  # ads are a business model, not a kind alone


def test_templates_read_a_bounded_part_of_long_titles_and_urls():
    from detector.sites.templates import MAX_URL, MAX_WORDS, slug_key, title_key

    assert len(title_key(["w"] * 10_000).split()) == MAX_WORDS
    key = slug_key("https://x.example/" + "-".join(["a"] * 1_000_000))
    assert key is not None and len(key.split("\x00")[1].split()) == MAX_WORDS
    assert slug_key("https://x.example/" + "a" * (MAX_URL + 10) + "/plumber-in-austin-tx") is None
