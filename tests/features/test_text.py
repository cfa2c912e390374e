"""text.*: Ntoulas content features, Gopher repetition, padding phrases, stuffing, hidden text."""

import math
import re
from pathlib import Path

from features import from_text, parse_html
from features.text import (
    KEYS,
    dup_line_fraction,
    dup_ngram_share,
    extract,
    keyword_runs,
    top_ngram_share,
)

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "text"


def page(name: str, url: str = "https://site.example.org/a"):
    text = (FIX / name).read_text(encoding="utf-8")
    return from_text(text, url=url) if name.endswith(".txt") else parse_html(text, url=url)


def test_every_key_always_present():
    for name in ("padded_en.txt", "stuffed.html", "article_de.html", "cjk_ja.txt"):
        assert set(extract(page(name)).values) == set(KEYS)
    assert set(extract(from_text("x")).values) == set(KEYS)
    assert set(extract(parse_html("<html></html>")).values) == set(KEYS)


def test_padding_phrases_found_with_counts():
    f = extract(page("padded_en.txt"))
    ev = " ".join(f.evidence["text.padding_phrases"])
    for phrase in ("in today's fast-paced", "game-changer", "it's worth noting", "delve into", "in conclusion"):
        assert f"'{phrase}' x1" in ev
    assert f.values["text.padding_phrases"] > 20  # >= 12 phrases per max(words, 300)
    assert f.values["text.padding_phrases_sat"] == 1.0


def test_plain_french_text_has_no_padding_and_french_stopwords():
    f = extract(page("plain_fr.txt"))
    assert f.values["text.padding_phrases"] == 0
    assert f.values["text.stopword_fraction"] > 0.3
    assert f.evidence["text.stopword_fraction"][0].startswith("fr:")
    assert f.values["text.visible_fraction"] == 1.0  # plain text
    assert f.values["text.anchor_fraction"] == 0.0 and f.values["text.hidden_text"] == 0.0
    assert f.values["text.non_ascii_share"] > 0 and f.values["text.cjk_share"] == 0


def test_keyword_stuffing_and_hidden_text():
    f = extract(page("stuffed.html"))
    v = f.values
    assert v["text.meta_keywords"] == 31 and v["text.meta_keywords_sat"] == 1.0
    assert v["text.keyword_runs"] == 1
    assert v["text.keyword_stuffing"] == 1.0
    # white text (17 words) + 1px text (12 words); display:none menus do not count
    assert v["text.hidden_text"] == (17 + 12) / 200
    assert any(e.startswith("color:#ffffff") for e in f.evidence["text.hidden_text"])
    assert 0 < v["text.anchor_fraction"] < 0.1


def test_ordinary_german_article():
    f = extract(page("article_de.html"))
    v = f.values
    assert v["text.hidden_text"] == 0  # white text on a dark background is visible
    assert v["text.keyword_stuffing"] == 0 and v["text.padding_phrases"] == 0
    assert f.evidence["text.stopword_fraction"][0].startswith("de:")
    assert v["text.title_words"] == 5 and v["text.title_in_body"] == 1.0
    assert 0 < v["text.visible_fraction"] < 1
    assert v["text.dup_5gram_share"] == 0


def test_repetition():
    f = extract(page("repeated.txt"))
    v = f.values
    assert v["text.dup_line_fraction"] == 0.6  # 3 of 5 lines repeat
    assert v["text.dup_5gram_share"] > 0.95
    assert v["text.top_2gram_share"] > 0.2
    assert v["text.compress_ratio"] < 0.3
    assert extract(page("plain_fr.txt")).values["text.compress_ratio"] > 0.5


def test_cjk_text():
    f = extract(page("cjk_ja.txt"))
    assert f.values["text.cjk_share"] > 0.8
    assert f.evidence["text.stopword_fraction"][0].startswith("ja:")
    assert f.values["text.words"] > 50  # one word per CJK character


def test_word_counts():
    f = extract(from_text("one two three four"))
    assert f.values["text.words"] == 4
    assert f.values["text.words_log"] == math.log1p(4) / 10
    assert f.values["text.mean_word_len"] == 15 / 4


def test_helpers_directly():
    assert dup_line_fraction(["a", "b", "a", "a"]) == 0.5
    assert dup_line_fraction([]) == 0
    share, gram = top_ngram_share("x y x y x y".split(), 2)
    assert gram == "x y" and share == 1.0
    assert dup_ngram_share("a b c d e f g h i j".split(), 5) == 0
    run = ", ".join(f"term{i}" for i in range(16))
    assert keyword_runs([run, "one, two, three"]) == [run]
    long = ", ".join("this is a long clause that is not a keyword" for _ in range(20))
    assert keyword_runs([long]) == []


def test_bounded_on_huge_input():
    text = ("word " * 400_000) + "\n" + ("line\n" * 20_000)
    f = extract(from_text(text))
    assert f.values["text.words"] > 400_000  # counted, but statistics run on a bounded sample
    assert 0 <= f.values["text.compress_ratio"] <= 1


def test_hidden_text_in_legacy_white_font_markup():
    words = " ".join(f"cheap flights offer{i}" for i in range(40))
    page = parse_html(f'<html><body><p>Welcome to our travel page.</p><font size="1" color="#FFFFFF">{words}</font></body></html>')
    v = extract(page)
    assert v.values["text.hidden_text"] > 0.5
    assert any("font color" in e for e in v.evidence["text.hidden_text"])
    # The same white font on a dark table cell is visible: not hidden text.
    dark = parse_html(f'<html><body><table><tr><td bgcolor="#003366"><font color="#FFFFFF">{words}</font></td></tr></table></body></html>')
    assert extract(dark).values["text.hidden_text"] == 0.0


def test_a_page_without_a_title_reads_as_one_with_an_ordinary_title():
    # Benchmark collections strip <title> (one in eight pages of one collection): a missing title
    # must not read as the few-word end of the scale, where parked pages' titles sit.
    body = (FIX / "article_de.html").read_text(encoding="utf-8")
    untitled = re.sub(r"<title>.*?</title>", "", body, flags=re.S | re.I)
    assert "<title>" not in untitled.lower() and "og:title" not in untitled
    v = extract(parse_html(untitled)).values
    assert v["text.title_words"] == 10 and v["text.title_in_body"] == 1.0
    assert extract(parse_html(untitled)).evidence["text.title_words_sat"] == ["no title"]
    short = extract(parse_html(re.sub(r"<title>.*?</title>", "<title>Domain</title>", body, flags=re.S | re.I))).values
    assert short["text.title_words"] == 1


def test_an_article_the_extractor_cannot_find_is_not_an_empty_page():
    # A story laid out inside an element main-content extraction strips (here a footer-classed
    # table cell, as 2008 table layouts and script-built pages end up): its main text used to be
    # empty, and a page of 300 words read like a parked page with none.
    story = "<p>" + "The council met on Tuesday to discuss the bridge over the river and its repairs. " * 4 + "</p>"
    html = f"<html><head><title>Bridge repairs approved</title></head><body><div class='footer'>{story * 6}</div></body></html>"
    p = parse_html(html, url="https://www.valley-paper.example/news/bridge")
    assert len(p.all_words) >= 300 and len(p.words) == len(p.all_words)
    v = extract(p).values
    assert v["text.words"] >= 300 and v["text.mean_word_len"] > 3
    # A parked page's hundred-odd words stay what the extractor makes of them.
    parked = "<a href='/r'>Related searches</a> " * 40
    q = parse_html(f"<html><body><div class='footer'>{parked}</div></body></html>")
    assert len(q.all_words) < 200 and len(q.words) == 0
