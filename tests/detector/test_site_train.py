"""The site model's trainer: thresholds from real originals only, calibrated fit, JSON round trip."""

import random

import numpy as np
import pytest

from detector.errors import ModelError
from detector.learn.site_train import SiteSample, fit_calibrated, prf, threshold_for
from detector.sites.model import loads_site_model

RNG = random.Random(0)


def sample(i, label, origin="real", rng=RNG):
    v = {"site.mean_probability": rng.uniform(0.5, 1.0) if label else rng.uniform(0.0, 0.6),
         "site.same_body": float(label and rng.random() < 0.5), "site.pages_log": rng.uniform(0.7, 3)}
    return SiteSample(f"s{i}.example", label, "k", origin, 3, v, v["site.mean_probability"], v["site.mean_probability"])


def test_threshold_keeps_real_original_fpr_and_ignores_simulated():
    sites = [sample(i, 0) for i in range(200)] + [sample(i, 0, origin="sim-publication") for i in range(50)]
    probs = np.array([i / 250 for i in range(250)])
    thr = threshold_for(probs, sites, target_fpr=0.01)
    real_neg = probs[:200]
    assert (real_neg >= thr).mean() <= 0.01
    # Simulated negatives (here the highest scores) do not move the threshold.
    assert thr <= probs[:200].max() + 1e-5


def test_fit_is_calibrated_separates_and_round_trips():
    sites = [sample(i, int(i % 5 == 0)) for i in range(300)]
    model, probs = fit_calibrated(sites, C=0.3, seed=0, target_fpr=0.02)
    y = np.array([s.label for s in sites])
    assert probs[y == 1].mean() > 0.5 > probs[y == 0].mean()
    again = loads_site_model(model.dumps())
    s = sites[0]
    assert again.predict(s.values)[0] == pytest.approx(model.predict(s.values)[0], abs=1e-9)
    p, contrib = model.predict(s.values)
    assert np.log(p / (1 - p)) == pytest.approx(model.base_value() + sum(contrib.values()), abs=1e-9)
    with pytest.raises(ModelError):
        loads_site_model(model.dumps().replace('"min_pages": 3', '"min_pages": 1'))


def test_prf():
    r = prf(np.array([1, 1, 0, 0]), np.array([1, 0, 1, 0]))
    assert (r["tp"], r["fp"], r["fn"], r["precision"], r["recall"]) == (1, 1, 1, 0.5, 0.5)
