"""autoblog.*: the stock outline, AI disclosures, guide titles and LLM vocabulary."""


import pytest

from features import from_text, parse_html
from features.autoblog import FEATURES, ai_disclosure, extract, heading_lines, outline_sections


@pytest.fixture(scope="module")
def page(fixture_page):
    """``page(name, url=...)``: a page of ``tests/fixtures/autoblog``."""
    return lambda name, url="https://green-tips.example.com/mastering-home-composting/": fixture_page("autoblog", name, url)


def test_generated_outline_page_fires_every_signal(page):
    f = extract(page("llm_outline.html"))
    v = f.values
    assert v["autoblog.outline_sections"] == 7  # intro, what is, benefits, practices, challenges, faq, conclusion
    assert v["autoblog.outline_sections_sat"] == 1.0
    assert v["autoblog.intro_and_conclusion"] == 1.0
    assert v["autoblog.faq_block"] == 1.0
    assert v["autoblog.guide_title"] == 1.0
    assert v["autoblog.ai_disclosure"] == 1.0
    assert v["autoblog.llm_vocab_sat"] > 0.5
    assert any("Powered by AI" in e for e in f.evidence["autoblog.ai_disclosure"])
    assert any("'Frequently Asked Questions' + 4 question headings" in e for e in f.evidence["autoblog.faq_block"])
    assert any("Complete Guide" in e for e in f.evidence["autoblog.guide_title"])
    assert any("delve x1" in e or "enhance x2" in e for e in f.evidence["autoblog.llm_vocab_sat"])


def test_plain_text_page_gets_the_same_signals(page):
    v = extract(page("llm_outline.txt")).values
    assert v["autoblog.outline_sections"] >= 5
    assert v["autoblog.intro_and_conclusion"] == 1.0
    assert v["autoblog.faq_block"] == 1.0
    assert v["autoblog.guide_title"] == 1.0
    assert v["autoblog.ai_disclosure"] == 1.0  # "generated with the help of AI"
    assert v["autoblog.llm_vocab_sat"] > 0.5


def test_news_page_stays_quiet(page):
    f = extract(page("council_news.html", "https://www.riverside-courier.example/news/mill-road"))
    # A nav "FAQ" link, a "What happens next" heading and a story about AI-generated images
    # are not an outline, a FAQ block or a disclosure.
    assert all(x == 0.0 for x in f.values.values()), f.values
    assert not f.evidence


def test_one_conclusion_heading_is_not_an_outline():
    text = "A paper on soil\nIntroduction\nSome words here about the study and its aims.\nMethods\nResults\nConclusion\nDone."
    v = extract(from_text(text)).values
    assert v["autoblog.outline_sections"] == 2
    assert v["autoblog.outline_sections_sat"] == pytest.approx(0.25)
    assert v["autoblog.intro_and_conclusion"] == 1.0  # academic papers have this too: the model weighs it
    v = extract(from_text("Storm report\nConclusion\nThe storm passed by noon.")).values
    assert v["autoblog.outline_sections"] == 1 and v["autoblog.outline_sections_sat"] == 0.0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Footer text. Powered by AI. All rights reserved.", True),
        ("This post was drafted with AI assistance and checked by a human.", True),
        ("The article was written using ChatGPT and edited by our team.", True),
        ("Dieser Text wurde mit Hilfe von KI erstellt.", True),
        ("Police said AI-generated images of the flood were shared online.", False),
        ("The company said it powered by solar panels most of its plant.", False),
        ("She said the AI model was trained on public data.", False),
        # A story about AI, not a disclosure of the page's own making:
        ("The new search assistant, powered by AI from a start-up, answers questions in plain words.", False),
        ("Regulators worry that AI-generated content now floods social networks before elections.", False),
        ("Regulators worry.\nAI-generated content\nAll rights reserved.", True),
    ],
)
def test_ai_disclosure_phrases(text, expected):
    assert (ai_disclosure(text) is not None) == expected


def test_heading_lines_and_outline_sections():
    lines = ["• Introduction", "A long paragraph that ends with a full stop and is not a heading at all.",
             "3. Best Practices for Small Gardens", "Why does my heap smell?", "Key Takeaways"]
    heads = heading_lines(lines)
    assert heads == ["Introduction", "3. Best Practices for Small Gardens", "Why does my heap smell?", "Key Takeaways"]
    assert set(outline_sections(heads)) == {"introduction", "best_practices", "key_points"}


def test_every_key_present_and_bounded(page):
    for p in (page("llm_outline.html"), page("llm_outline.txt"), from_text(""), parse_html("<html></html>")):
        v = extract(p).values
        assert set(v) == set(FEATURES)
        assert all(0.0 <= x <= 1.0 for k, x in v.items() if k != "autoblog.outline_sections")
        assert 0 <= v["autoblog.outline_sections"] <= 10
