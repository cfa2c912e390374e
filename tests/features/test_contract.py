"""The contract every extractor keeps, checked for each discovered one on every team fixture.

Same keys on every page (the vectoriser's columns never depend on the input), finite
non-negative floats, shares/fractions/saturated counts within [0, 1], evidence only under
feature names, and the same output when run twice.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from detector.sources.load import load
from features import extractors, from_text, parse_html
from features.page import Page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BOUNDED_SUFFIXES = ("_sat", "_share", "_fraction")
FIXTURE_DIRS = ("autoblog", "bio", "copy", "hashtags", "template", "text")


def fixture_pages() -> list[tuple[str, Page]]:
    out = []
    for d in FIXTURE_DIRS:
        for path in sorted((FIXTURES / d).iterdir()):
            if path.suffix in (".html", ".txt", ".json"):
                for doc in load(path, url=f"https://site.example/{d}/{path.stem}"):
                    if doc.page is not None:
                        out.append((f"{d}/{path.name}", doc.page))
    return out


def edge_pages() -> list[tuple[str, Page]]:
    return [
        ("empty text", from_text("")),
        ("one char", from_text("#")),
        ("empty html", parse_html("<html></html>")),
        ("no url", parse_html("<p>Short note.</p>")),
        ("bad url", parse_html("<a href='//'>x</a>", url="http://")),
    ]


def all_pages() -> list[tuple[str, Page]]:
    return fixture_pages() + edge_pages()


@pytest.mark.parametrize("name,extract", extractors(), ids=[n for n, _ in extractors()])
def test_extractor_contract(name: str, extract) -> None:
    pages = all_pages()
    assert len(pages) > 20
    keys = None
    for label, page in pages:
        f = extract(page)
        assert f.values, (name, label)
        keys = keys if keys is not None else set(f.values)
        assert set(f.values) == keys, (name, label, set(f.values) ^ keys)
        assert all(k.startswith(f"{name}.") for k in f.values), name
        for key, value in f.values.items():
            assert isinstance(value, float) and math.isfinite(value) and value >= 0.0, (label, key, value)
            if key.endswith(BOUNDED_SUFFIXES):
                assert value <= 1.0, (label, key, value)
        assert set(f.evidence) <= keys, (label, set(f.evidence) - keys)
        assert all(isinstance(e, str) and e for ev in f.evidence.values() for e in ev), label
    # Deterministic: a second page built from the same input gives the same result.
    again = dict(fixture_pages())
    for label, page in pages[:-len(edge_pages())]:
        first = extract(page)
        second = extract(again[label])
        assert (first.values, first.evidence) == (second.values, second.evidence), label
