"""Training and evaluation on the team's own example pages (no corpus needed)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from detector.cli import main
from detector.learn.train import (
    FARM_EVIDENCE,
    Log1pCounts,
    fit_estimator,
    make_pipeline,
    monotone_cst,
)
from detector.model.ensemble import EnsembleModel
from detector.model.linear import LinearModel
from detector.model.load import load_model, loads_model
from detector.model.trees import TreeModel

SMALL = ["--sources", "example", "--synthetic", "120", "-q"]


def test_log1p_counts_follows_estimator_conventions():
    t = Log1pCounts(limit=1.0)
    assert t.get_params() == {"limit": 1.0}
    X = np.array([[0.0, 0.5, 100.0], [1.0, 0.2, 3.0]])
    assert t.fit(X) is t
    assert t.log_mask_.tolist() == [False, False, True]
    out = t.transform(X)
    assert out[:, :2].tolist() == X[:, :2].tolist()
    assert out[0, 2] == pytest.approx(np.log1p(100.0))
    assert list(t.get_feature_names_out(["a", "b", "c"])) == ["a", "b", "c"]


def test_pipeline_vectorises_feature_dicts():
    pipe = make_pipeline(C=1.0, seed=0)
    X = [{"a.x": 1.0, "b.y": 0.0}, {"a.x": 0.0, "b.y": 1.0}] * 5
    y = [1, 0] * 5
    pipe.fit(X, y)
    assert list(pipe.named_steps["vec"].get_feature_names_out()) == ["a.x", "b.y"]
    assert pipe.predict([{"a.x": 1.0}])[0] == 1


@pytest.fixture(scope="module")
def small_model(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("model") / "a.json"
    assert main(["train", *SMALL, "--seed", "7", "--out", str(out)]) == 0
    return out


def test_farm_evidence_names_real_features():
    from features import extract_all
    from features.page import parse_html

    names = set(extract_all(parse_html("<html><body><p>x</p></body></html>")).values)
    index_names = {n for n in FARM_EVIDENCE if n.startswith("index.")}
    assert FARM_EVIDENCE - index_names <= names
    assert index_names == {"index.copied_from_elsewhere_likely"}
    assert monotone_cst(["mfa.paginated", "text.words"]) == [1, 0]


def test_monotone_trees_never_lower_the_score_for_more_evidence():
    # Simulated data where a farm signal is high on both classes: free trees may learn that a
    # high value marks an original in one corner; constrained ones cannot.
    rng = np.random.default_rng(0)
    n = 600
    words = rng.uniform(0, 1, n)
    paginated = rng.integers(0, 2, n).astype(float)
    y = ((words < 0.3) & (paginated == 1)) | (rng.uniform(0, 1, n) < 0.1)
    y = y.astype(int)
    y[(words > 0.7) & (paginated == 1)] = 0  # "paginated long pages are originals"
    X = [{"mfa.paginated": p, "text.words": w} for p, w in zip(paginated, words, strict=True)]
    w = np.ones(n)
    params = {"max_iter": 30, "min_samples_leaf": 5}
    free = fit_estimator("hgb", X, y, w, seed=0, params=params)
    mono = fit_estimator("hgb", X, y, w, seed=0, params={**params, "monotone": True})
    assert list(mono.named_steps["clf"].monotonic_cst) == [1, 0]
    grid = np.linspace(0, 1, 21)
    off = mono.decision_function([{"mfa.paginated": 0.0, "text.words": g} for g in grid])
    on = mono.decision_function([{"mfa.paginated": 1.0, "text.words": g} for g in grid])
    assert (on >= off - 1e-12).all()
    free_off = free.decision_function([{"mfa.paginated": 0.0, "text.words": g} for g in grid])
    free_on = free.decision_function([{"mfa.paginated": 1.0, "text.words": g} for g in grid])
    assert (free_on < free_off).any()  # the unconstrained trees did learn the inversion


def test_train_same_seed_gives_byte_identical_model(small_model: Path, tmp_path: Path):
    a, b, c = small_model, tmp_path / "b.json", tmp_path / "c.json"
    assert main(["train", *SMALL, "--seed", "7", "--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert main(["train", *SMALL, "--seed", "8", "--out", str(c)]) == 0
    assert json.loads(c.read_text())["checksum"] != json.loads(a.read_text())["checksum"]
    model = load_model(a)
    assert isinstance(model, EnsembleModel)  # the default estimator: mean of LR and trees
    assert model.id.startswith("farmscan-mean-") and model.meta["estimator"] == "mean"
    assert [type(p) for p in model.parts] == [LinearModel, TreeModel]
    assert model.meta["data_hash"].startswith("sha256:")
    assert model.meta["trained_on"]["synthetic_pages"] > 0
    assert model.meta["metrics"]["team"]["n"] == 17  # the team's example pages (never counted as real)
    assert "real" not in model.meta["metrics"]
    assert model.meta["trained_on"]["synthetic_pages"] == 120
    assert any(n.startswith("index.") for n in model.feature_names)
    assert 0.0 < model.threshold < 1.0


def test_train_logistic_regression_on_request(tmp_path: Path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for out in (a, b):
        assert main(["train", *SMALL, "--seed", "7", "--estimator", "lr", "--no-index", "--out", str(out)]) == 0
    assert a.read_bytes() == b.read_bytes()
    model = load_model(a)
    assert isinstance(model, LinearModel) and model.id.startswith("farmscan-lr-")
    assert model.meta["C"] == 0.1 and model.meta["index_features"] is False
    assert not any(n.startswith("index.") for n in model.feature_names)


def test_trained_model_flags_a_team_farm_example(small_model: Path):
    out = small_model
    from detector import Options, score

    root = Path(__file__).resolve().parents[2] / "labelled" / "examples"
    v = score(root / "scraped-mirror" / "ferry-mirror.html", options=Options(model=str(out)))
    assert v.label == "farm"
    assert v.model.startswith("farmscan-mean-")
    assert v.reasons and all(v.contributions[r] > 0 for r in v.reasons)  # what carried it over the threshold
    assert v.signals[0].score > 0 and v.signals[0].name == v.reasons[0]
    assert any(s.evidence for s in v.signals)  # the model's signals carry the page's evidence
    from detector.learn.labelled import load_labelled

    probs = {e.label: [] for e in load_labelled(sources=("example",))}
    for e in load_labelled(sources=("example",)):
        probs[e.label].append(score(e.path, url=e.url or None, options=Options(model=str(out))).probability)
    assert min(probs["farm"]) > max(probs["original"])


def test_evaluate_writes_table_report_and_plot(small_model: Path, tmp_path: Path, capsys):
    rep = tmp_path / "rep"
    assert main(["evaluate", *SMALL, "--seed", "7", "--model", str(small_model), "--report-dir", str(rep),
                 "--folds", "3", "--inner-folds", "2", "--no-loco", "--compare"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Development set")  # the honest figures come first
    assert "site-weighted" in out and "TEAM (seeds + examples)" in out and "PR-AUC" in out
    text = (rep / "report.md").read_text()
    assert "## Honest figures" in text and "grouped by" in text and "| estimator |" in text
    assert "| gradient boosting |" in text and "| logistic regression C=0.1 |" in text
    assert "| mean of both (shipped kind) |" in text
    assert (rep / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    wrong = [json.loads(x) for x in (rep / "misclassified.jsonl").read_text().splitlines()]
    for w in wrong:  # every misclassified page is explained by the evaluated model's signals
        assert all(" " in sig for sig in w["top_signals"])


def test_packaged_model_loads_without_any_corpus(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("FARMSCAN_CORPUS", str(tmp_path / "nowhere"))
    from importlib import resources

    ref = resources.files("detector").joinpath("models", "default.json")
    assert ref.is_file(), "the trained model must ship inside the package"
    model = loads_model(ref.read_text(encoding="utf-8"), "packaged")
    assert model.id.startswith(("farmscan-lr-", "farmscan-gbt-", "farmscan-mean-"))
    assert model.meta["metrics"]["real"]["n"] > 1000
    assert isinstance(load_model(None), LinearModel | TreeModel | EnsembleModel)
    assert os.environ["FARMSCAN_CORPUS"].endswith("nowhere")


def test_linear_id_names_the_stored_numbers_only():
    """Two fits whose intercepts differ below the stored precision (as BLAS builds do) share an id."""
    from detector.learn.train import export

    X = [{"ads.networks": float(i % 3), "text.words": 100.0 + i} for i in range(40)]
    y = np.array([i % 3 == 0 for i in range(40)], dtype=int)
    pipe = fit_estimator("lr", X, y, np.ones(40), seed=0)
    a = export(pipe, {"a": 1.0, "b": 0.0}, 0.5, meta={})
    pipe.named_steps["clf"].intercept_ = pipe.named_steps["clf"].intercept_ + 1e-13
    b = export(pipe, {"a": 1.0, "b": 0.0}, 0.5, meta={})
    assert a.intercept == b.intercept and a.id == b.id
    pipe.named_steps["clf"].intercept_ = pipe.named_steps["clf"].intercept_ + 1e-6
    c = export(pipe, {"a": 1.0, "b": 0.0}, 0.5, meta={})
    assert c.intercept != a.intercept and c.id != a.id


def test_shipped_model_follows_the_training_recipe():
    """The packaged model was trained as train.py says: its linear part without LR_EXCLUDED
    (the trees keep them) and a threshold from the recipe's target, not a hand-set one."""
    from detector.learn.train import LR_EXCLUDED, TARGET_FPR

    model = load_model(None)
    assert isinstance(model, EnsembleModel)
    lr, trees = model.parts
    assert LR_EXCLUDED and not LR_EXCLUDED & set(lr.feature_names)
    assert LR_EXCLUDED <= set(trees.feature_names)
    assert model.meta["metrics"]["real"]["fpr"] <= TARGET_FPR  # out-of-fold FPR at the picked threshold
    assert model.meta["metrics"]["hard_originals_flagged"] == 0
