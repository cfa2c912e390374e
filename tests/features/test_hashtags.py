"""hashtags.*: hashtags in visible text, closing hashtag lines, title words as hashtags and tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.sources.load import load
from features import hashtags
from features.hashtags import find_hashtags
from features.page import Page, from_text, parse_html

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "hashtags"


def page_of(name: str) -> Page:
    return next(iter(load(FIX / name))).page


def ev(f, name: str) -> str:
    return " | ".join(f.evidence.get(name, []))


# ---- what counts as a hashtag ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#Python at the start", ["Python"]),
        ("mid #sentence, and (#bracketed) and “#quoted”", ["sentence", "bracketed", "quoted"]),
        ("#Ünïcode #Straßenbahn #café", ["Ünïcode", "Straßenbahn", "café"]),
        ("ニュース #東京 と #라면", ["東京", "라면"]),
        ("今天#天气#很好", ["天气"]),  # Weibo style, glued to the text
        ("#decade #facade stay words", ["decade", "facade"]),
        ("https://news.example/story#comments and /docs/#install", []),
        ("color: #fff; border: #a1b2c3; background: #ffffff; #E74C3C", []),
        ("fixed in issue #12, ranked #1, the #2nd time", []),
        ("written in C# and F#, not a#tag", []),
        ("mail me at me#home@example.org", []),
    ],
)
def test_find_hashtags(text, expected):
    assert find_hashtags(text) == expected


# ---- the mirror pattern ------------------------------------------------------------------


def test_mirror_post_closing_line_of_title_words():
    f = hashtags.extract(page_of("mirror_post.json"))
    assert f.values["hashtags.count"] == 6
    assert f.values["hashtags.count_sat"] == 0.6
    assert f.values["hashtags.closing_line"] == 1.0
    assert ev(f, "hashtags.closing_line") == "closing line: #glacier #museum #Alpine #reopens #flood #repairs"
    assert f.values["hashtags.title_word_share"] == 1.0
    assert ev(f, "hashtags.title_word_share").startswith("6/6 hashtags are title words: glacier, museum")
    assert f.values["hashtags.tags_from_title"] == 1.0
    assert ev(f, "hashtags.tags_from_title") == "tags = title words: alpine, glacier, museum, reopens, stone (5/5)"
    assert f.values["hashtags.cjk"] == 0.0


def test_partial_title_words():
    title = "Night ferry to the islands resumes"
    text = f"{title}\n\nThe ferry sails at ten.\n\n#ferry #islands #travel #summer"
    f = hashtags.extract(from_text(text))
    assert f.values["hashtags.title_word_share"] == pytest.approx(0.5)
    assert ev(f, "hashtags.title_word_share") == "2/4 hashtags are title words: ferry, islands"


def test_closing_line_found_in_main_text_before_a_long_footer():
    paras = "".join(f"<p>Paragraph {i} about the new tram line and its stops in the city.</p>" for i in range(12))
    footer = "".join(f"<li><a href='/s/{i}'>Section {i}</a></li>" for i in range(60))
    html = (
        "<html><head><title>Tram line opens to the airport</title></head><body>"
        f"<main><article><h1>Tram line opens to the airport</h1>{paras}"
        "<p>#tram #airport #opens #line</p></article></main>"
        f"<footer><ul>{footer}</ul></footer></body></html>"
    )
    f = hashtags.extract(parse_html(html))
    assert f.values["hashtags.closing_line"] == 1.0
    assert f.values["hashtags.title_word_share"] == 1.0


# ---- real pages with hashtags ------------------------------------------------------------


def test_tweet_embed_gives_small_values_not_the_mirror_pattern():
    f = hashtags.extract(page_of("tweet_embed.html"))
    # Only the tweet's two hashtags: not the colours, the issue number, the URL fragment or C#.
    assert f.values["hashtags.count"] == 2
    assert ev(f, "hashtags.count") == "2 hashtags: #rowing #HarborCity"
    assert f.values["hashtags.closing_line"] == 0.0
    assert f.values["hashtags.title_word_share"] == 0.0
    # Article tags: one of four is a single title word.
    assert f.values["hashtags.tags_from_title"] == pytest.approx(0.25)


def test_tweet_embed_hashtag_line_is_not_a_closing_line():
    tweet = "<p>Big day #rowing #HarborCity #record #river</p>&mdash; League (@league)"
    html = (
        "<html><head><title>Rowing record on the river</title></head><body><article>"
        "<p>The crew broke the course record on Saturday.</p>"
        f'<blockquote class="twitter-tweet">{tweet}</blockquote></article></body></html>'
    )
    f = hashtags.extract(parse_html(html))
    assert f.values["hashtags.count"] == 4
    assert f.values["hashtags.closing_line"] == 0.0
    assert f.values["hashtags.title_word_share"] == 0.0


def test_social_caption_closing_line_without_title_words():
    f = hashtags.extract(page_of("caption_es.txt"))
    assert f.values["hashtags.closing_line"] == 1.0
    assert f.values["hashtags.title_word_share"] == 0.0
    assert f.values["hashtags.density"] > 5


def test_chinese_page_weibo_and_cjk_hashtags():
    f = hashtags.extract(page_of("weibo_zh.html"))
    assert f.values["hashtags.cjk"] == 1.0
    assert "#春季赏花" in ev(f, "hashtags.cjk")
    assert f.values["hashtags.count"] == 7
    assert f.values["hashtags.closing_line"] == 1.0
    # CJK hashtags found inside the (spaceless) title count as title words.
    assert 0 < f.values["hashtags.title_word_share"] < 1


def test_shares_are_zero_below_three():
    f = hashtags.extract(from_text("Garden party\n\nCome along. #garden #party"))
    assert f.values["hashtags.count"] == 2
    assert f.values["hashtags.title_word_share"] == 0.0
    assert f.values["hashtags.closing_line"] == 0.0
    head = '<meta property="article:tag" content="garden"><meta property="article:tag" content="party">'
    page = parse_html(f"<html><head>{head}<title>Garden party</title></head><body><p>Hi</p></body></html>")
    assert page.tags == ["garden", "party"]
    assert hashtags.extract(page).values["hashtags.tags_from_title"] == 0.0


def test_multiword_tags_are_not_title_words():
    tags = ("Harbor City", "rowing club", "Regional finals")
    page = Page(url=None, kind="wp-json", html="<html><body><p>Race day.</p></body></html>",
                given_title="Harbor City rowing club wins regional finals", given_tags=tags)
    assert hashtags.extract(page).values["hashtags.tags_from_title"] == 0.0


def test_density_is_per_hundred_words_and_capped():
    words = " ".join(["word"] * 96)
    f = hashtags.extract(from_text(f"{words} #one #two #three #four"))
    assert f.values["hashtags.density"] == pytest.approx(4.0)
    f = hashtags.extract(from_text("#a1x #b2y #c3z #d4w #e5v"))
    assert f.values["hashtags.density"] == 10.0


# ---- the seeds ---------------------------------------------------------------------------


def test_mirror_seed_evidence_names_title_word_hashtags(shared_dir):
    page = next(iter(load(shared_dir / "seeds" / "003_ae8346d7868e5d9d.txt"))).page
    f = hashtags.extract(page)
    assert f.values["hashtags.closing_line"] == 1.0
    assert f.values["hashtags.title_word_share"] == 1.0
    assert f.values["hashtags.tags_from_title"] == 1.0
    share = ev(f, "hashtags.title_word_share")
    n = int(f.values["hashtags.count"])
    assert n >= 3 and share.startswith(f"{n}/{n} hashtags are title words: ")
    named = share.split(": ", 1)[1].split(", ")
    title = page.title.lower()
    assert len(named) == n and all(w in title for w in named)
    line = ev(f, "hashtags.closing_line").removeprefix("closing line: ")
    assert [w.lower() for w in find_hashtags(line)] == named
    assert ev(f, "hashtags.tags_from_title").startswith("tags = title words: ")


def test_spun_seed_has_no_hashtags(shared_dir):
    page = next(iter(load(shared_dir / "seeds" / "000_8d58c35ee6b0d508.txt"))).page
    f = hashtags.extract(page)
    assert f.values["hashtags.count"] == 0
    assert f.values["hashtags.closing_line"] == 0.0
