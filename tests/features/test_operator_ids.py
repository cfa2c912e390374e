"""Operator IDs (features/operator_ids.py): what a page carries for its owner's accounts."""

import features
from features import parse_html
from features.operator_ids import FEATURES, MAX_PER_KIND, extract_ids

# A lead-generation page as such pages are made (written for this test).
FARM = """<html><head><title>Sell My House Fast Dayton OH | Cash Offer in 24 Hours</title>
<meta property="article:published_time" content="2024-03-02T09:15:00+00:00">
<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client=ca-pub-4412873309911457"></script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-7QK2LM9PZT"></script>
<script>window.dataLayer = window.dataLayer || []; gtag('config', 'G-7QK2LM9PZT'); gtag('config', 'UA-55501234-3');</script>
<script type="application/ld+json">{"@type": "LocalBusiness", "telephone": "+1 (937) 555-0143",
 "email": "offers@cashhomebuyers-oh.test", "datePublished": "2024-03-02"}</script>
<script data-cfasync="false" src="//syndication.exoclick.com/splash.php?idzone=4417723"></script>
</head><body><main><h1>Sell My House Fast Dayton</h1>
<p>We buy houses in Dayton in any condition. Call us today for a fair cash offer on your home.</p>
<a href="https://www.amazon.com/dp/B0C1234567?tag=cashoffers-20">moving boxes</a>
<a href="https://jdoe77.vendorx.hop.clickbank.net/">the course</a>
<a href="mailto:offers@cashhomebuyers-oh.test">mail us</a> <a href="tel:+19375550143">call</a>
<ins class="adsbygoogle" data-ad-client="ca-pub-4412873309911457" data-ad-slot="1"></ins>
</main></body></html>"""

# A personal blog post (written for this test): no account IDs, a date in its URL.
BLOG = """<html><head><title>Notes on fixing my bicycle's rear hub</title></head><body><article>
<h1>Notes on fixing my bicycle's rear hub</h1><p>The bearings had gone rough after a wet winter, so I took
the hub apart on the kitchen table and found the cones badly pitted.</p>
<a href="https://github.com/someone/notes">my notes</a> <a href="https://fonts.googleapis.com/css">fonts</a>
</article></body></html>"""


def test_farm_page_ids():
    ids = extract_ids(parse_html(FARM, url="https://sellmyhousefast-dayton.test/"))
    assert ids["ids.adsense"] == ["ca-pub-4412873309911457"]
    assert ids["ids.analytics"] == ["G-7QK2LM9PZT", "UA-55501234-3"]
    assert ids["ids.amazon"] == ["cashoffers-20"]
    assert set(ids["ids.affiliate"]) == {"exoclick:zone:4417723", "clickbank:jdoe77"}
    assert set(ids["ids.contact"]) == {"19375550143", "offers@cashhomebuyers-oh.test"}
    assert ids["ids.published"] == ["2024-03-02"]  # JSON-LD first
    assert set(ids) <= set(FEATURES)


def test_genuine_blog_has_no_account_ids():
    ids = extract_ids(parse_html(BLOG, url="https://someone.github.io/2023/05/14/rear-hub/"))
    assert ids == {"ids.published": ["2023-05-14"]}


def test_placeholders_are_not_ids():
    page = parse_html('<html><body><ins data-ad-client="ca-pub-0000000000000000"></ins>'
                      '<a href="https://amazon.com/x?tag=xxxxxxxxxx-20">x</a><a href="mailto:you@example.com">m</a></body></html>')
    assert extract_ids(page) == {}


def test_ids_are_capped():
    html = "<html><body>" + "".join(f'<a href="mailto:writer{i}@news.test">w</a>' for i in range(500)) + "</body></html>"
    assert len(extract_ids(parse_html(html))["ids.contact"]) == MAX_PER_KIND


def test_not_a_page_signal():
    # The page model never reads operator IDs: the module has no extract() for extract_all.
    assert "operator_ids" not in dict(features.extractors())
    assert not any(n.startswith("ids.") for n in features.extract_all(parse_html(FARM)).values)


def test_dates_in_url_slugs():
    # Generated posts often name themselves by time: the date (and HHMM) in the path is the date.
    def published(url: str) -> list[str] | None:
        return extract_ids(parse_html("<html><body><p>x</p></body></html>", url=url)).get("ids.published")

    assert published("https://ai.example/articles/ai-article-2026-08-17-1708.html") == ["2026-08-17T17:08"]
    assert published("https://blog.example/posts/2024-05-02-rear-hub/") == ["2024-05-02"]
    assert published("https://blog.example/2023/05/14/rear-hub/") == ["2023-05-14"]
    # Not dates: numbers that only look like part of one, a date in the host or the query.
    assert published("https://shop.example/item/12024-05-02") is None
    assert published("https://2024-05-02.example/post") is None
    assert published("https://shop.example/p?d=2024-05-02") is None
    assert published("https://shop.example/sku-2024-13-40") is None
