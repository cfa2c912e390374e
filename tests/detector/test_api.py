"""The library entry points on every kind of source."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from detector import InputError, Options, Verdict, score, score_many
from features.page import parse_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LOADERS = FIXTURES / "loaders"
URL = "https://club.example.net/news/"


@pytest.fixture(scope="module")
def html(html_page) -> str:
    return html_page(
        "Club news",
        "<p>Our garden club met on Tuesday to plan the spring seed swap and the pruning day.</p>",
        head='<meta name="description" content="News of the garden club">',
    )


def check(v: Verdict, url=URL):
    assert v.error is None
    assert v.label in ("farm", "original")
    assert 0.0 <= v.probability <= 1.0
    assert v.url == url
    assert v.model
    return v


@pytest.mark.parametrize(
    "as_source",
    [str, str.encode, lambda h: BeautifulSoup(h, "lxml"), lambda h: parse_html(h, url=URL)],
    ids=["str", "bytes", "soup", "page"],
)
def test_score_html_sources_agree(html, as_source):
    source = as_source(html)
    v = check(score(source, url=URL))
    ref = score(html, url=URL)
    if isinstance(source, BeautifulSoup):
        # bs4 re-serialises the markup (quotes, implied tags), which moves the markup-length
        # feature text.visible_fraction a little; the text and every other signal are the same.
        assert v.probability == pytest.approx(ref.probability, abs=0.01)
        assert {s.name for s in v.signals} == {s.name for s in ref.signals}
        return
    assert v.probability == pytest.approx(ref.probability)
    assert [s.name for s in v.signals] == [s.name for s in ref.signals]


def test_score_path(html, tmp_path):
    p = tmp_path / "news.html"
    p.write_text(html, encoding="utf-8")
    v = check(score(p, url=URL))
    assert v.input == str(p)
    assert v.probability == pytest.approx(score(html, url=URL).probability)


def test_score_wordpress_dict(wp_post):
    v = check(score(wp_post(4)), url="https://blog.example.org/2024/03/post-4/")
    assert v.input == "<json>"


def test_score_gbk_file_without_url():
    v = score(LOADERS / "zh_gbk.html")
    assert v.error is None and v.url is None


def test_score_refuses_a_list_of_pages(wp_post):
    with pytest.raises(InputError, match="score_many"):
        score([wp_post(1), wp_post(2)])


def test_threshold_zero_flags_every_page(html):
    v = score(html, url=URL, options=Options(threshold=0.0))
    assert v.label == "farm" and v.threshold == 0.0


def test_explain_keeps_features_and_evidence(html):
    v = score(html, url=URL, options=Options(explain=True))
    assert v.features and all(isinstance(x, float) for x in v.features.values())
    d = v.to_dict()
    assert set(d["features"]) == set(v.features)


def test_score_many_keeps_order_and_records_failures(wp_post, html):
    sources = [html, b"\xff\xfe\x00", [wp_post(1), wp_post(2)], LOADERS / "plain.txt"]
    out = list(score_many(sources + [LOADERS / "no-such-file.html"]))
    assert [v.error is None for v in out] == [True, True, True, True, True, False]
    assert out[5].error.startswith("input: no such file")
    assert [v.input for v in out[2:4]] == ["<input 2>#0", "<input 2>#1"]
    assert out[4].input == str(LOADERS / "plain.txt")


# ---- the URL a page states for itself --------------------------------------------------

URLS = FIXTURES / "urls"


def test_page_without_url_gets_url_features_from_its_canonical():
    html = (URLS / "canonical.html").read_text(encoding="utf-8")
    opts = Options(explain=True)
    v = score(html, options=opts)
    assert (v.url, v.url_source) == ("https://7730215-cheap-tips.xyz/?p=4411", "canonical")
    assert v.features["url.digits_run"] == 1.0 and v.features["url.abused_tld"] == 1.0
    assert v.to_dict()["url_source"] == "canonical"
    # Scored with that URL given, the address features are the same.
    given = score(html, url="https://7730215-cheap-tips.xyz/?p=4411", options=opts)
    assert given.url_source == "given"
    assert {k: x for k, x in given.features.items() if k.startswith("url.")} == {
        k: x for k, x in v.features.items() if k.startswith("url.")
    }


def test_given_url_wins_over_the_canonical():
    html = (URLS / "canonical.html").read_text(encoding="utf-8")
    v = score(html, url=URL, options=Options(explain=True))
    assert (v.url, v.url_source) == (URL, "given")
    assert v.features["url.digits_run"] == 0.0 and v.features["url.abused_tld"] == 0.0


def test_no_address_anywhere_leaves_url_and_source_empty():
    v = score((URLS / "no_address.html").read_text(encoding="utf-8"))
    assert v.error is None and (v.url, v.url_source) == (None, None)
    assert v.to_dict()["url_source"] is None


def test_score_many_takes_source_url_pairs():
    html = (URLS / "canonical.html").read_text(encoding="utf-8")
    out = list(score_many([(html, URL), (html, None), (URLS / "og_url.html", ""), html, (html, 7), (html,)],
                          options=Options(explain=True)))
    assert [(v.url, v.url_source) for v in out[:4]] == [
        (URL, "given"),
        ("https://7730215-cheap-tips.xyz/?p=4411", "canonical"),
        ("https://www.garden-notes-and-more-tips.top/notes/watering", "og:url"),
        ("https://7730215-cheap-tips.xyz/?p=4411", "canonical"),
    ]
    assert out[2].input == str(URLS / "og_url.html")
    assert out[0].features["url.digits_run"] == 0.0 and out[1].features["url.digits_run"] == 1.0
    # The pair scores exactly as score() with that URL does.
    assert out[0].probability == score(html, url=URL).probability
    assert "must be a str or None" in out[4].error and out[4].input == "<input 4>"
    assert "(source, url)" in out[5].error
    assert all(v.error is None for v in out[:4])


def test_pair_url_wins_over_the_batch_url(html):
    out = list(score_many([(html, "https://other.example.org/x"), html], url=URL))
    assert [v.url for v in out] == ["https://other.example.org/x", URL]
