"""Hostile input never crashes: every input gives a verdict or a typed FarmscanError.

Property tests (hypothesis) run the loaders, every extractor and the whole scoring path on
random and malformed input; the big fixed cases (deep nesting, a 50 MB line, a gzip bomb,
huge attributes) are plain tests. Measured costs are in ``features/_guards.py``.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detector.api import score, score_many
from detector.errors import FarmscanError
from detector.options import Options
from detector.sources.decode import gunzip
from detector.sources.load import load
from detector.verdict import Verdict
from features import extractors, from_text, parse_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OPTIONS = Options(max_bytes=1 << 20)

_TAGS = st.sampled_from(["div", "p", "a", "script", "meta", "ins", "iframe", "img", "title", "b", "table", "td", "template", "svg", "style", "!--"])
_ATTRS = st.sampled_from(['href="http://x.y/"', 'src="//a.magsrv.com/a.js"', 'rel="tag"', "charset=utf-16", 'content="\x00"', 'class="adsbygoogle"', 'name="description"', 'property="article:tag"', "href=javascript:1", 'href="http://[::1"'])
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@st.composite
def html_soup(draw) -> str:
    """Random tag soup: unbalanced tags, odd attributes, entities, NULs, any Unicode text."""
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.integers(0, 3))
        if kind == 0:
            attrs = " ".join(draw(st.lists(_ATTRS, max_size=3)))
            parts.append(f"<{draw(_TAGS)} {attrs}>")
        elif kind == 1:
            parts.append(f"</{draw(_TAGS)}>")
        elif kind == 2:
            parts.append(draw(st.sampled_from(["&amp;", "&#0;", "&#x110000;", "&bogus", "#tag", "\x00", "\ufeff", "]]>", "<![CDATA["])))
        else:
            parts.append(draw(_TEXT))
    return "".join(parts)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["content", "rendered", "title", "link", "class_list", "author_info", "featured_image_urls", "date", "x"]), inner, max_size=5),
    max_leaves=20,
)


def _inputs() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=2000),
        html_soup().map(lambda s: s.encode("utf-8", "surrogatepass")),
        html_soup().map(lambda s: s.encode("utf-16")),
        html_soup().map(lambda s: s.encode("utf-16-le")),
        html_soup().map(lambda s: gzip.compress(s.encode("utf-8", "surrogatepass"))),
        st.tuples(html_soup(), st.integers(0, 60)).map(lambda t: gzip.compress(t[0].encode())[: t[1] + 10]),
        _JSON.map(lambda o: json.dumps(o).encode()),
        st.binary(max_size=200).map(lambda b: b"\xef\xbb\xbf" + b),
        st.binary(max_size=200).map(lambda b: b"<html>" + b.replace(b"<", b"\xc3")),
    )


def _check_verdict(v: Verdict) -> None:
    if v.abstain is not None:  # not a page: no label, a one-line reason
        assert v.label is None and v.error is None and v.abstain.startswith("not a page: ") and "\n" not in v.abstain
    elif v.error is None:
        assert v.label in ("farm", "original")
        assert v.probability is not None and 0.0 <= v.probability <= 1.0
    else:
        assert v.label is None and "\n" not in v.error and v.error.split(":", 1)[0] in {"input", "fetch", "budget", "model"}, v.error
    json.dumps(v.to_dict())


def _check_batch(sources: list) -> None:
    """At least one verdict, each well formed, none an internal error."""
    verdicts = list(score_many(sources, options=OPTIONS))
    assert verdicts
    for v in verdicts:
        _check_verdict(v)
        assert v.error is None or not v.error.startswith("internal"), v.error


@SETTINGS
@given(_inputs())
def test_loaders_raise_only_typed_errors(data: bytes):
    try:
        docs = list(load(data, options=OPTIONS))
    except FarmscanError:
        return
    assert docs
    for d in docs:
        assert (d.page is None) != (d.error is None)
        assert d.error is None or isinstance(d.error, FarmscanError)


@SETTINGS
@given(_inputs())
def test_every_input_gets_verdicts_and_none_raises(data: bytes):
    _check_batch([data])


@SETTINGS
@given(html_soup(), st.sampled_from([None, "https://example.org/a/b", "http://[::1]/", "ftp://x", "//no-scheme"]))
def test_every_extractor_on_tag_soup(html: str, url: str | None):
    for page in (parse_html(html, url=url), from_text(html, url=url)):
        for name, fn in extractors():
            feats = fn(page)
            for key, value in feats.values.items():
                assert isinstance(value, int | float) and math.isfinite(value), (name, key, value)
            for key, ev in feats.evidence.items():
                assert all(isinstance(e, str) for e in ev), (name, key)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.*ml")) + sorted(FIXTURES.glob("*.json")), ids=lambda p: p.name)
def test_hand_written_hostile_fixtures(path: Path):
    _check_batch([path])


# ---- big fixed cases ---------------------------------------------------------------------


def _score_or_typed(data: bytes | str, options: Options | None = None) -> Verdict | None:
    try:
        v = score(data, options=options)
    except FarmscanError:
        return None
    _check_verdict(v)
    return v


def test_100000_deep_nesting():
    for tag in ("div", "span", "table"):
        v = _score_or_typed(f"<html><body>{f'<{tag}>' * 100_000}deep text</body></html>".encode())
        assert v is not None and v.truncated  # cut at the tag cap, and says so


def test_deep_nesting_under_tag_cap_uses_visible_text():
    html = "<html><body>" + "<div>" * 20_000 + "some words here" + "</div>" * 20_000 + "</body></html>"
    page = parse_html(html)
    assert "some words here" in page.main_text


def test_50_mb_single_line_page_cut_at_max_bytes():
    data = b"<html><body><p>" + b"word " * 10_000_000 + b"</p></body></html>"
    v = _score_or_typed(data)
    assert v is not None and v.truncated


def test_gzip_bomb_capped():
    bomb = gzip.compress(b"<html><body><p>" + b"A" * (100 * 1024 * 1024), 9)
    assert len(bomb) < 200_000
    out, truncated = gunzip(bomb, 1_000_000)
    assert truncated and len(out) == 1_000_000
    v = _score_or_typed(bomb, Options(max_bytes=1_000_000))
    assert v is not None and v.truncated


def test_truncated_gzip_keeps_what_was_read():
    data = gzip.compress(b"<html><body><p>" + b"hello world " * 5000 + b"</p></body></html>")
    v = _score_or_typed(data[: len(data) // 2])
    assert v is not None and v.truncated


def test_huge_attributes_and_many_links():
    html = '<html><body><a href="' + "a" * 5_000_000 + '">x</a><img alt="' + "b" * 3_000_000 + '">'
    html += "<a href=/x>y</a>" * 200_000 + "</body></html>"
    v = _score_or_typed(html.encode())
    assert v is not None and v.truncated


def test_nul_bytes_everywhere():
    _score_or_typed(b"\x00" * 100_000)  # a verdict or a typed error, nothing else
    v = _score_or_typed(b"<html><body>" + b"\x00ab\x00" * 250_000 + b"</body></html>")
    assert v is not None


@pytest.mark.parametrize("data", [b"", b"   \n\t", gzip.compress(b""), b"\xef\xbb\xbf", b"\xff\xfe", b"[]", b"{}", b"null"])
def test_empty_and_trivial_inputs_are_typed_errors_or_verdicts(data: bytes):
    verdicts = list(score_many([data]))
    assert len(verdicts) == 1
    _check_verdict(verdicts[0])


def test_cpu_budget_scores_what_was_computed():
    html = "<html><head><title>t</title></head><body><p>" + "words and more words. " * 2000 + "</p></body></html>"
    v = score(html, options=Options(max_cpu_seconds=0.0))
    assert v.label in ("farm", "original") and v.truncated
    if len(extractors()) > 1:
        assert "skipped extractors" in v.to_dict()["note"]
    assert not score(html).truncated


# ---- regressions found by fuzz/fuzz_frontend.py ---------------------------------------------


def test_fuzz_crash_utf7_meta_charset_lone_surrogate():
    """``<meta charset="u7...">`` named UTF-7, whose decoder yields lone surrogates Lexbor rejects."""
    data = base64.b64decode(
        "KStsZQA+PGhlYWQuPC9jPjxpbWcgc3JjPSIgIwAiaT48aW1nIHNyYz0iICN0KzNEbi5lKHgiPD48dGl0bGU+"
        "VGVuIEZhY3RzIFsyMDI0XTwvdGl0bGU+PG1ldGEgY2hhcnNldD0idTc9Pmh0bWx0PiI+PG9udA=="
    )
    for v in score_many([data[1:], data]):
        _check_verdict(v)
        assert v.error is None


@pytest.mark.parametrize("label", ["utf-7", "u7", "base64", "hex", "zlib", "rot13", "undefined", "idna", "unicode_escape", "raw_unicode_escape", "punycode"])
def test_non_page_charset_labels_ignored(label: str):
    data = f'<html><head><meta charset="{label}"><title>t</title></head><body><p>caf\u00e9 +2Dk- \\ud800</p></body></html>'.encode()
    v = score(data)
    _check_verdict(v)
    assert v.error is None


@pytest.mark.parametrize(
    "source",
    [
        "<html><body><p>lone \ud800 surrogate \udfff</p></body></html>",
        "plain text with a lone \udc39 surrogate",
        '{"content": {"rendered": "<p>escaped \\ud800 in JSON</p>"}, "title": {"rendered": "\\udfff"}}',
    ],
)
def test_lone_surrogates_in_str_input(source: str):
    v = score(source)
    _check_verdict(v)
    assert v.error is None


@SETTINGS
@given(st.one_of(st.text(max_size=300), html_soup().map(lambda s: s + "\ud800"), _JSON.map(json.dumps)))
def test_any_str_input_including_lone_surrogates(source: str):
    for v in score_many([source]):
        _check_verdict(v)
        assert v.error is None or not v.error.startswith("internal"), v.error
