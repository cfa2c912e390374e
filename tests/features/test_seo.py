"""seo.*: spam vocabulary in text, title and links; numeric-domain link wheels."""

import pytest

from features import from_text, parse_html
from features.seo import FEATURES, extract, find_spam_terms, numeric_domain_links, spam_terms


def test_spam_page_fires(fixture_page):
    f = extract(fixture_page("seo", "spam.html", "https://casino-guide.example.com/"))
    v = f.values
    assert v["seo.spam_terms"] >= 10
    assert v["seo.spam_terms_sat"] == 1.0
    assert v["seo.spam_title"] == 1.0
    assert v["seo.spam_density_sat"] > 0.5
    assert v["seo.spam_link_share"] >= 0.3
    assert v["seo.numeric_domain_links_sat"] == 1.0
    assert any("(gambling)" in e for e in f.evidence["seo.spam_terms"])
    assert any("58123.com" in e for e in f.evidence["seo.numeric_domain_links_sat"])


def test_news_page_stays_quiet(fixture_page):
    f = extract(fixture_page("seo", "news.html", "https://www.riverside-courier.example/news/bridge"))
    assert all(x == 0.0 for x in f.values.values()), f.values


def test_whole_words_only_for_latin_terms():
    # "escorted", "timeslots", "pornography-free" hold terms only inside longer words.
    assert not find_spam_terms("She escorted the guests; timeslots were tight. Casinoville is a town.")
    assert find_spam_terms("Cheap viagra and cialis, no prescription needed") == {
        "viagra": 1, "cialis": 1, "no prescription": 1}


def test_cjk_lottery_spam_on_plain_text():
    text = (
        "香港六合彩开奖结果\n今晚开奖直播，特马资料大全，心水论坛免费提供\n"
        "网上开户送彩金，百家乐老虎机真钱娱乐城\n最新开奖记录"
    )
    f = extract(from_text(text, url="http://058123.example/list_3_1.html"))
    assert f.values["seo.spam_terms"] >= 8
    assert f.values["seo.spam_title"] == 1.0
    assert f.values["seo.spam_density_sat"] == 1.0
    assert f.values["seo.spam_link_share"] == 0.0  # plain text has no links


def test_one_business_story_is_not_spam():
    text = ("Casino operator reports higher profits\nThe company that runs the city's casino said revenue rose "
            "eight percent in the quarter, helped by hotel bookings. " * 3)
    v = extract(from_text(text)).values
    assert v["seo.spam_terms"] == 1  # one distinct term
    assert v["seo.spam_terms_sat"] < 0.2


def test_numeric_domain_links_need_another_sites_numeric_label():
    page = parse_html(
        '<a href="/">www.12345.com</a><a href="/x">bbc.co.uk</a><a href="/y">www.365days.example</a>'
        '<a href="/z">see www.88888.com now</a>',
        url="http://www.12345.com/",
    )
    # Its own domain, a word domain, a 3-digit label and a sentence: only the label with digits
    # on another site counts ("365days" has three digits).
    assert numeric_domain_links(page, page.links) == ["365days.example"]


@pytest.mark.parametrize("term", ["casino", "开奖", "viagra", "payday loans", "escort"])
def test_term_list_loaded(term):
    assert term in spam_terms()


def test_every_key_present_and_bounded(fixture_page):
    for p in (fixture_page("seo", "spam.html"), fixture_page("seo", "news.html"), from_text(""), parse_html("<html></html>")):
        v = extract(p).values
        assert set(v) == set(FEATURES)
        assert all(0.0 <= x <= 1.0 for k, x in v.items() if k != "seo.spam_terms")


def _article(extra_nav: str = "", extra_body: str = "") -> str:
    para = ("<p>The harvest festival drew families from across the valley on Saturday, and the organisers "
            "said the apple pressing and the bread stalls sold out before noon for the third year running. "
            "Volunteers from the school cleared the field afterwards and the parish thanked the farmers.</p>")
    return (f"<!DOCTYPE html><html><head><title>Harvest festival draws record crowd</title></head><body>"
            f"<nav><ul><li><a href='/news'>News</a></li><li><a href='/sport'>Sport</a></li>{extra_nav}</ul></nav>"
            f"<article><h1>Harvest festival draws record crowd</h1>{para * 3}{extra_body}</article>"
            f"<footer><p>Contact us</p></footer></body></html>")


def test_a_menu_link_to_the_papers_own_casino_section_is_not_spam():
    v = extract(parse_html(_article("<li><a href='/casino'>Casino &amp; poker</a></li>"),
                           url="https://www.valley-paper.example/news/harvest")).values
    assert v["seo.spam_terms"] == 0 and v["seo.spam_link_share"] == 0


def test_an_injected_block_of_keyword_links_is_spam():
    block = "".join(f"<a href='https://spam{i}.example/'>{t}</a> " for i, t in
                    enumerate(["online casino", "free slots", "viagra online", "payday loans", "poker bonus"]))
    f = extract(parse_html(_article(extra_body=f"<div>{block}</div>"), url="https://www.valley-paper.example/news/harvest"))
    assert f.values["seo.spam_link_share"] > 0
    assert any("link: " in e for e in f.evidence["seo.spam_link_share"])


def test_three_gambling_items_in_a_big_sports_menu_are_not_a_link_block():
    # A sports site's menu links to its own casino and poker sections among ~100 others: three spam
    # link texts, but 3% of the links, as no injected block or doorway is.
    sections = "".join(f"<li><a href='/section/{i}'>Section {i}</a></li>" for i in range(100))
    sky = "<li><a href='/casino'>Casino</a></li><li><a href='/poker'>Poker</a></li><li><a href='/poker-club'>Poker club</a></li>"
    v = extract(parse_html(_article(extra_nav=sky + sections), url="https://www.sports-paper.example/football/x")).values
    assert v["seo.spam_link_share"] == 0
    # The same three links in a small page's link list are a block.
    v = extract(parse_html(_article(extra_nav=sky), url="https://www.sports-paper.example/football/x")).values
    assert v["seo.spam_link_share"] > 0


def test_menu_rows_are_dropped_and_sentences_and_keyword_lists_kept():
    from features.seo import without_menu_rows

    text = ("Home\tNews\tCasino\tPoker\tBingo\tOdds\n"
            "Sky Bet | Sky Poker | Free Bets\n"
            "The council said the new casino licence would be decided in March after a public hearing.\n"
            "\u2022 Poker \u2022 Slots \u2022 Bingo\n"
            "online casino\nfree slots\npoker bonus")
    kept = without_menu_rows(text).split("\n")
    assert kept == ["The council said the new casino licence would be decided in March after a public hearing.",
                    "online casino", "free slots", "poker bonus"]
    # Two short items on a line are not a row; a line with one long item among short ones is not a menu.
    assert without_menu_rows("Casino | Poker") == "Casino | Poker"
    line = "Casino | Poker | The casino reopened on Friday after a month of repairs to its roof"
    assert without_menu_rows(line) == line


def test_a_table_layout_menu_read_as_main_text_is_not_spam_vocabulary():
    # 2008-era table pages defeat main-content extraction: a gambling menu row then sits in the
    # "main text" next to the story. The row is not prose; the story's own words still count.
    row = "".join(f"<td><a href='/{t.lower()}'>{t}</a></td>" for t in ("Casino", "Poker", "Bingo", "Odds", "Fantasy"))
    story = ("<p>The club confirmed on Tuesday that the striker will stay until the end of the season, "
             "after weeks of talks with two other teams about a loan move.</p>") * 4
    def page(extra: str) -> dict[str, float]:
        html = (f"<html><head><title>Striker stays at the club</title></head><body><table><tr>{row}</tr></table>"
                f"<table><tr><td>{story}{extra}</td></tr></table></body></html>")
        return extract(parse_html(html, url="https://www.football-paper.example/news/1")).values

    assert page("")["seo.spam_terms"] == 0
    spam = "<p>Claim your online casino bonus today and play poker for real money with free spins.</p>"
    assert page(spam)["seo.spam_terms"] >= 2
