"""Gradient-boosted trees as plain JSON: exact against scikit-learn, safe to load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detector.learn.train import make_hgb, sample_weights
from detector.model.load import load_model
from detector.model.trees import TreeModel, export_hgb


def _fit(samples, **params):
    pipe = make_hgb(5, **params)
    y = np.array([s.label for s in samples])
    pipe.fit([s.features for s in samples], y, clf__sample_weight=sample_weights(samples))
    names = [str(n) for n in pipe.named_steps["vec"].get_feature_names_out()]
    model = export_hgb(pipe.named_steps["clf"], names, calibration={"a": 1.0, "b": 0.0}, threshold=0.5, meta={})
    return pipe, model


@pytest.fixture(scope="module")
def small(samples) -> list:
    return samples("example", 60)


def _assert_same_scores(pipe, model: TreeModel, samples) -> None:
    want = pipe.decision_function([s.features for s in samples])
    got = np.array([model.raw(s.features) for s in samples])
    assert np.abs(got - want).max() <= 1e-9
    assert len(set(np.round(want, 6))) > 3  # the trees actually separate the pages


def test_exported_trees_equal_sklearn_decision_function(small, tmp_path: Path):
    # leaves of 10+ pages: with smaller ones the trees split these pages to purity and give
    # two scores in all, which would compare little
    pipe, model = _fit(small, max_iter=40, min_samples_leaf=10)
    _assert_same_scores(pipe, model, small)
    path = tmp_path / "t.json"
    model.save(path)
    loaded = load_model(path)
    assert isinstance(loaded, TreeModel)
    _assert_same_scores(pipe, loaded, small)  # through the JSON file, not only in memory
    # A missing (NaN) value goes where scikit-learn sends it.
    split_on = {model.feature_names[f] for t in model.trees for f in t.feature if f >= 0}
    holes = [{**s.features, name: float("nan")} for s in small[:20] for name in sorted(split_on)[:5]]
    want = pipe.decision_function(holes)
    assert np.abs(np.array([loaded.raw(x) for x in holes]) - want).max() <= 1e-9


def test_real_corpus_pages_score_as_in_sklearn(shared_dir: Path):
    from detector.learn.labelled import load_labelled

    every = load_labelled(shared_dir / "corpus", sources=("corpus",))
    farms = [e for e in every if e.label == "farm"][:20]
    originals = [e for e in every if e.label == "original"][:80]
    from detector.learn.dataset import build_samples as build
    from detector.learn.labelled import read_page_bytes

    samples = build(farms + originals, read_page_bytes, synthetic=0, seed=0, originals=[], index=True)
    pipe, model = _fit(samples, max_iter=60, min_samples_leaf=3)
    _assert_same_scores(pipe, model, samples)


def test_contributions_sum_to_the_raw_score(small):
    _pipe, model = _fit(small, max_iter=30, min_samples_leaf=3)
    for s in small[:25]:
        bias, contrib = model.contributions(s.features)
        assert bias + sum(contrib.values()) == pytest.approx(model.raw(s.features), abs=1e-9)
        prob, shown = model.predict(s.features)
        assert 0.0 <= prob <= 1.0
        # predict() reports the same decomposition on the calibrated log-odds scale
        a, b = model.calibration["a"], model.calibration["b"]
        assert shown == {k: a * v for k, v in contrib.items() if v}
        e = model.explain(s.features)
        assert e.base == pytest.approx(a * bias + b) and e.probability == prob


def test_same_seed_same_bytes(small):
    a = _fit(small, max_iter=30, min_samples_leaf=3)[1].dumps()
    b = _fit(small, max_iter=30, min_samples_leaf=3)[1].dumps()
    assert a == b


def test_tampered_future_or_malformed_tree_files_refused(small, model_refusals):
    _pipe, model = _fit(small, max_iter=10, min_samples_leaf=3)

    def text_threshold(p):
        p["trees"][0]["threshold"][0] = "0.5"

    def loop(p):  # a child pointing back to the root would never end
        t = next(t for t in p["trees"] if t["left"][0] != -1)
        t["left"][0] = 0

    def bad_feature(p):
        t = next(t for t in p["trees"] if t["left"][0] != -1)
        t["feature"][0] = len(p["feature_names"])

    model_refusals(model, [(text_threshold, "threshold"), (loop, "points outside"), (bad_feature, "points outside")])
