"""mfa.*: slideshow pagination, clickbait headlines, Every Word Capitalised titles."""

import pytest

from features import from_text, parse_html
from features.mfa import FEATURES, extract, headline, start_case


def test_arbitrage_slideshow_fires(fixture_page):
    f = extract(fixture_page("mfa", "arbitrage.html", "https://pets.example.net/pets-who-saved-the-day/7/"))
    v = f.values
    assert v == {"mfa.paginated": 1.0, "mfa.clickbait_title": 1.0, "mfa.start_case_title": 1.0}
    assert any("pets-who-saved-the-day/7/" in e for e in f.evidence["mfa.paginated"])
    assert any("Noticed" in e for e in f.evidence["mfa.clickbait_title"])
    assert any("At, The" in e for e in f.evidence["mfa.start_case_title"])


def test_news_page_stays_quiet(html_page):
    page = parse_html(
        html_page("Council votes to repair the river bridge - Riverside Courier",
                  "<p>The council voted on Tuesday to repair the bridge before winter.</p>"
                  '<p><a href="/news/page/2">Older stories</a></p>'),
        url="https://www.riverside-courier.example/2026/03/12/council-votes-to-repair-bridge.html",
    )
    assert all(x == 0.0 for x in extract(page).values.values())


@pytest.mark.parametrize(
    "url, paged",
    [
        ("https://viral.example.com/celebs-who-changed-careers/12/", 1),
        ("https://viral.example.com/gallery/kitchen-gadgets-we-love?slide=3", 1),
        ("https://www.example-news.com/world/2026/05/01/story-about-the-summit", 0),
        ("https://www.example-news.com/politics/article-123456.html", 0),
        ("https://blog.example.org/2024/03/", 0),
        # a first page is any page: a portal's article view carries page=1 in its query
        ("https://www.example.co.kr/news/article_view.html?idx=8576&page=1&bc=03", 0),
        ("https://viral.example.com/celebs-who-changed-careers/1/", 0),
        ("https://www.example.co.kr/news/list.html?idx=8576&page=2&bc=03", 1),
    ],
)
def test_page_numbers_in_urls(url, paged):
    assert extract(parse_html("<p>x</p>", url=url)).values["mfa.paginated"] == paged


def test_pager_line_on_plain_text():
    f = extract(from_text("Thirty kitchen gadgets\nA toaster shaped like a cloud.\nPage 3 of 30\nNext Slide"))
    assert f.values["mfa.paginated"] == 1.0
    assert f.evidence["mfa.paginated"] == ["pager line: 'Page 3 of 30'"]


@pytest.mark.parametrize(
    "title, clickbait",
    [
        ("17 Things Only Night Owls Understand | Viral Daily", 1),
        ("You Won't Believe What This Old Barn Looks Like Now", 1),
        ("Items We Never Knew We Wanted", 1),
        ("Council approves budget for 2026 - Riverside Courier", 0),
        ("Police confirmed the road would reopen on Monday", 0),
        ("Five things to watch in the budget debate", 0),
    ],
)
def test_clickbait_titles(title, clickbait):
    assert extract(from_text(f"{title}\nbody text")).values["mfa.clickbait_title"] == clickbait


@pytest.mark.parametrize(
    "title, capitalised",
    [
        ("What You Need To Know About The New Tax Rules : Home : Jobs Daily", True),
        ("Is The New Console Ready For Launch?", True),
        ("What you need to know about the new tax rules", False),  # sentence case
        ("Biden Signs Bill to Expand Benefits for Veterans", False),  # AP style: small words lower-case
        ("STORM WARNING FOR THE COAST AND THE HILLS", False),  # all caps says nothing
        ("Die Bahn erhöht die Preise im Dezember", False),  # no English small words
        ("Apple Unveils New Laptops", False),  # no small words at all
    ],
)
def test_start_case(title, capitalised):
    assert start_case(title)[0] is capitalised


def test_headline_is_the_longest_title_part():
    assert headline("Site News | The Real Headline Of The Day - Section") == "The Real Headline Of The Day"


def test_every_key_present_and_bounded(fixture_page):
    for p in (fixture_page("mfa", "arbitrage.html"), from_text(""), parse_html("<html></html>"), from_text("#")):
        v = extract(p).values
        assert set(v) == set(FEATURES)
        assert all(x in (0.0, 1.0) for x in v.values())


@pytest.mark.parametrize(
    "pager, paged",
    [("Page 1 of 2", 0), ("Page 2 of 2", 1), ("Page 1 of 3", 0), ("Page 1 of 9", 1), ("Slide 1 of 20", 1),
     ("page 7 of 12", 1), ("Next Slide", 1), ("Click next", 1), ("Next page", 0), ("• next page", 0),
     ("Next page >>", 0), ("Nächste Seite", 0)],
)
def test_pager_lines_but_not_the_first_half_of_a_two_page_article(pager, paged):
    # A bare "next page" is archive, search and comment navigation; a slideshow numbers its slides.
    f = extract(from_text(f"Road test: a small family car\nThe doors close with a solid thud.\n{pager}"))
    assert f.values["mfa.paginated"] == paged
