"""The mean ensemble: exact against its scikit-learn parts, safe to load, refused when tampered."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from detector.learn.train import fit, fit_estimator, mean_oof_logits, sample_weights
from detector.model.ensemble import EnsembleModel
from detector.model.load import loads_model

PARAMS = {"max_iter": 30, "min_samples_leaf": 3}


@pytest.fixture(scope="module")
def small(samples) -> list:
    return samples("example", 60)


@pytest.fixture(scope="module")
def ensemble(small) -> tuple[EnsembleModel, np.ndarray]:
    return fit(small, seed=3, C=0.1, estimator="mean", params=PARAMS, meta={"note": "test"})


def test_scores_equal_the_mean_of_calibrated_sklearn_parts(small, ensemble):
    model, probs = ensemble
    y = np.array([s.label for s in small])
    w = sample_weights(small)
    X = [s.features for s in small]
    lr = fit_estimator("lr", X, y, w, seed=3, C=0.1).decision_function(X)
    hgb = fit_estimator("hgb", X, y, w, seed=3, params=PARAMS).decision_function(X)
    (p_lr, p_hgb), cal = model.parts, model.calibration
    z = ((p_lr.calibration["a"] * lr + p_lr.calibration["b"]) + (p_hgb.calibration["a"] * hgb + p_hgb.calibration["b"])) / 2
    want = 1 / (1 + np.exp(-(cal["a"] * z + cal["b"])))
    got = np.array([model.predict(x)[0] for x in X])
    assert np.abs(got - want).max() < 1e-6  # LR coefficients are stored rounded to 1e-10
    # out-of-fold probabilities (what the threshold was set on) come from the same recipe
    z_oof, _ = mean_oof_logits(small, C=0.1, seed=3, params=PARAMS)
    assert np.allclose(probs, 1 / (1 + np.exp(-(cal["a"] * z_oof + cal["b"]))))
    assert 0 < model.threshold < 1 and len({round(p, 4) for p in got}) > 3


def test_features_left_out_of_the_linear_part_reach_the_trees_only(small, monkeypatch):
    from detector.learn import train

    gone = frozenset({"autoblog.faq_block", "autoblog.outline_sections_sat"})
    monkeypatch.setattr(train, "LR_EXCLUDED", gone)
    model, _ = fit(small, seed=3, C=0.1, estimator="mean", params=PARAMS)
    p_lr, p_hgb = model.parts
    assert any(s.features.get("autoblog.faq_block") for s in small)  # the example pages carry them
    assert not gone & set(p_lr.feature_names)
    assert gone <= set(p_hgb.feature_names)
    # a page's value for them changes the trees' part, never the linear part's terms
    page = next(s.features for s in small if s.features.get("autoblog.faq_block"))
    quiet = {**page, **{k: 0.0 for k in gone}}
    assert p_lr.terms(page) == p_lr.terms(quiet)


def test_contributions_are_the_scaled_mean_of_the_parts(small, ensemble):
    model, _ = ensemble
    x = next(s.features for s in small if s.label == 1)
    _, c = model.predict(x)
    (lr, trees) = model.parts
    _, _, c_lr = lr.terms(x)
    _, _, c_t = trees.terms(x)
    a = model.calibration["a"]
    assert set(c) == {n for n in set(c_lr) | set(c_t) if c.get(n)}
    for name in set(c_lr) | set(c_t):
        want = a * (lr.calibration["a"] * c_lr.get(name, 0.0) + trees.calibration["a"] * c_t.get(name, 0.0)) / 2
        assert math.isclose(c.get(name, 0.0), want, abs_tol=1e-12)


def test_base_plus_contributions_is_the_log_odds(small, ensemble):
    model, _ = ensemble
    signs = set()
    for s in small:
        e = model.explain(s.features)
        assert e.base + sum(e.contributions.values()) == pytest.approx(e.log_odds, abs=1e-9)
        assert e.probability == pytest.approx(1 / (1 + math.exp(-e.log_odds)), abs=1e-12)
        assert e.probability == model.predict(s.features)[0]
        signs |= {c > 0 for c in e.contributions.values()}
    assert signs == {True, False}  # both directions are reported


def test_round_trip_same_scores_and_same_bytes(small, ensemble, tmp_path):
    model, _ = ensemble
    text = model.dumps()
    again = loads_model(text, "ens")
    assert isinstance(again, EnsembleModel) and again.id == model.id and again.id.startswith("farmscan-mean-")
    for s in small[:20]:
        assert again.predict(s.features) == model.predict(s.features)
    assert again.dumps() == text
    assert fit(small, seed=3, C=0.1, estimator="mean", params=PARAMS, meta={"note": "test"})[0].dumps() == text
    path = tmp_path / "m.json"
    assert model.save(path) == json.loads(text)["checksum"]


def test_tampered_or_malformed_ensembles_refused(ensemble, model_refusals):
    model, _ = ensemble

    def short_coef(p):
        p["parts"][0]["coef"] = p["parts"][0]["coef"][:-1]

    def no_parts(p):
        p["parts"] = []

    def broken_tree(p):  # a part is checked like a model file of its own kind
        t = next(t for t in p["parts"][1]["trees"] if t["left"][0] != -1)
        t["left"][0] = 0

    model_refusals(model, [(short_coef, "coef"), (no_parts, "non-empty list"),
                           (broken_tree, "part 1: node 0 points outside")])
