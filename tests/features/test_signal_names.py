"""The signal contract: every feature name used anywhere is declared by the module that makes it.

Each ``features/`` signal module declares ``FEATURES`` and returns exactly those keys; the
index declares its ``index.*`` names. Names used elsewhere (the shipped model's weights, the
hand-set heuristic weights, training's farm-evidence list, the names the simulator expects
its pages to fire) must all be declared, so a renamed signal cannot silently drop out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from detector.index.core import FEATURES as INDEX_FEATURES
from detector.index.core import Index
from detector.model.linear import HEURISTIC_WEIGHTS
from detector.model.load import load_model
from features import declared_features, extractors, from_text, parse_html

ROOT = Path(__file__).resolve().parents[2]
NAME_RE = re.compile(r"""["']((?:ads|autoblog|bio|copy|hashtags|index|mfa|seo|template|text|url)\.[a-z0-9_]+)["']""")


@pytest.fixture(scope="module")
def declared() -> set[str]:
    names = {n for names in declared_features().values() for n in names}
    return names | set(INDEX_FEATURES)


def _model_names(model) -> set[str]:
    return {n for part in getattr(model, "parts", [model]) for n in part.feature_names}


@pytest.mark.parametrize("name,extract", extractors(), ids=[n for n, _ in extractors()])
def test_each_extractor_returns_exactly_what_it_declares(name, extract):
    want = set(declared_features()[name])
    assert want and all(n.startswith(f"{name}.") for n in want)
    for page in (parse_html("<html><head><title>A title</title></head><body><p>Some words here.</p></body></html>",
                            url="https://news.example/a"), from_text(""), parse_html("<p>x</p>")):
        assert set(extract(page).values) == want


def test_index_returns_exactly_what_it_declares():
    page = parse_html("<html><body><article><p>" + "word " * 200 + "</p></article></body></html>",
                      url="https://news.example/a")
    assert set(Index().query(page).features.values) == set(INDEX_FEATURES)


def test_shipped_model_reads_only_declared_names(declared):
    names = _model_names(load_model())
    assert names, "the shipped model names no features"
    assert names <= declared, sorted(names - declared)


def test_heuristic_and_training_lists_are_declared(declared):
    from detector.learn.train import FARM_EVIDENCE

    assert set(HEURISTIC_WEIGHTS) <= declared, sorted(set(HEURISTIC_WEIGHTS) - declared)
    assert set(FARM_EVIDENCE) <= declared, sorted(set(FARM_EVIDENCE) - declared)


def test_names_written_in_learning_code_are_declared(declared):
    """Every signal name spelled in detector/learn (the simulator's expected signals, training
    and evaluation) is a declared one: a rename in features/ cannot leave one behind."""
    used: dict[str, str] = {}
    for py in sorted((ROOT / "detector" / "learn").rglob("*.py")):
        for name in NAME_RE.findall(py.read_text(encoding="utf-8")):
            used.setdefault(name, py.name)
    assert len(used) > 10
    missing = {n: f for n, f in used.items() if n not in declared}
    assert not missing, missing
