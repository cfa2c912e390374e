"""Training: labelled real pages + simulated farms -> features -> calibrated model.

Two estimators, both scikit-learn pipelines over ``DictVectorizer`` feature dicts:

* ``lr``: :class:`Log1pCounts` -> ``StandardScaler`` -> ``LogisticRegression``, exported as a
  :class:`~detector.model.linear.LinearModel`;
* ``hgb``: ``HistGradientBoostingClassifier`` (fixed ``random_state``, no early stopping),
  exported tree by tree as a :class:`~detector.model.trees.TreeModel`.

Either way the raw scores are Platt-calibrated on site-grouped out-of-fold scores and the
threshold is picked on them (:func:`pick_threshold`); the file is plain checksummed JSON, so
loading a model never runs code. Same data and same seed give a byte-identical model file.
Samples come from :mod:`detector.learn.dataset` (re-exported here).
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from detector.errors import InputError
from detector.learn.dataset import Sample, featurise_bytes, real_samples, synthetic_samples  # noqa: F401 - re-exported
from detector.model.linear import LinearModel
from detector.model.trees import export_hgb

MODEL_VERSION = "farmscan-lr"
TREE_MODEL_VERSION = "farmscan-gbt"
ESTIMATORS = ("lr", "hgb", "mean")
# Target false-positive rate on real originals (site-grouped, out of fold) that sets the threshold.
# Kept well under the 1% goal: a threshold picked on our originals flags more of an unseen
# collection's (the lockbox flagged 1.5% for a threshold picked at 0.75%). Measured on the
# development set, leaving each collection out (labelled/README.md, fifth session): at 0.4%
# every left-out collection stays at or under 1.4% at fold seeds 0 and 1; at 0.75%, 0.6% and
# 0.5% one or two collections go over 2%.
TARGET_FPR = 0.004
# Gradient boosting settings (chosen by site-grouped measurement: tools/compare_models.py).
HGB_PARAMS: dict[str, Any] = dict(max_iter=200, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20,
                                  l2_regularization=0.0)
# Features that are farm evidence by construction: the trees may only raise the farm score as
# they grow (``monotonic_cst=+1`` with ``params={"monotone": True}``). Trees trained mostly on
# simulated farms otherwise learn conjunctions of one recipe ("paginated AND a native widget")
# and can read a real farm's lone strong signal as a sign of an original. Counts that
# newspapers also run high (ad elements, hashtags in social embeds, attribution and canonical
# lines of credited syndication) and the page-shape features (text.*, url.*) stay free.
FARM_EVIDENCE = frozenset(
    """ads.adult_pop_share ads.affiliate_link_share ads.heavy_networks ads.native_widgets ads.repeated_grid
    ads.per_1000_words ads.per_1000_words_sat
    autoblog.ai_disclosure autoblog.faq_block autoblog.guide_title autoblog.intro_and_conclusion
    autoblog.llm_vocab_sat autoblog.outline_sections autoblog.outline_sections_sat
    bio.adjective_chain bio.engagement bio.has_address bio.has_birthday bio.has_phone bio.hobby_list bio.honorific_job
    copy.read_original_link hashtags.closing_line hashtags.tags_from_title hashtags.title_word_share
    index.copied_from_elsewhere_likely mfa.clickbait_title mfa.paginated mfa.start_case_title
    seo.numeric_domain_links_sat seo.spam_density_sat seo.spam_link_share seo.spam_terms seo.spam_terms_sat
    seo.spam_title template.boilerplate template.boilerplate_sat template.bracket_year_title
    template.keyword_title template.placeholder text.hidden_text text.keyword_runs text.keyword_stuffing
    text.padding_phrases text.padding_phrases_sat""".split()
)


class Log1pCounts(TransformerMixin, BaseEstimator):
    """``log1p`` on columns whose training values exceed ``limit`` (counts), identity elsewhere.

    Keeps shares and flags (in [0, 1]) as they are and tames heavy-tailed counts for a linear model.
    """

    def __init__(self, limit: float = 1.0) -> None:
        self.limit = limit

    def fit(self, X: Any, y: Any = None) -> Log1pCounts:
        X = np.asarray(X, dtype=float)
        self.n_features_in_ = X.shape[1]
        self.log_mask_ = X.max(axis=0, initial=0.0) > self.limit if X.size else np.zeros(X.shape[1], bool)
        return self

    def transform(self, X: Any) -> np.ndarray:
        X = np.array(X, dtype=float, copy=True)
        X[:, self.log_mask_] = np.log1p(np.clip(X[:, self.log_mask_], 0.0, None))
        return X

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(input_features if input_features is not None else [f"x{i}" for i in range(self.n_features_in_)], dtype=object)


def make_pipeline(C: float = 0.3, seed: int = 0) -> Pipeline:
    return Pipeline(
        [
            ("vec", DictVectorizer(sparse=False, sort=True)),
            ("log", Log1pCounts()),
            ("scale", StandardScaler()),
            (
                "clf",
                LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=seed),
            ),
        ]
    )


# ---- data --------------------------------------------------------------------------------


def sample_weights(samples: list[Sample]) -> np.ndarray:
    """Real pages count more than simulated ones; borderline farms count less."""
    w = []
    for s in samples:
        if s.origin == "synthetic":
            w.append(0.5)
        elif s.label == 1 and s.confidence == "borderline":
            w.append(1.0)
        elif s.label == 1:
            w.append(3.0)
        elif s.confidence == "hard":
            w.append(5.0)
        else:
            w.append(1.0)
    return np.asarray(w, dtype=float)


def data_hash(samples: list[Sample]) -> str:
    h = hashlib.sha256()
    for s in sorted(samples, key=lambda s: s.id):
        h.update(json.dumps([s.id, s.label, sorted(s.features.items())], separators=(",", ":")).encode())
    return "sha256:" + h.hexdigest()


# ---- fitting ----------------------------------------------------------------------------


def make_hgb(seed: int = 0, **params: Any) -> Pipeline:
    """``DictVectorizer`` -> ``HistGradientBoostingClassifier`` (deterministic: no early stopping)."""
    kw = {**HGB_PARAMS, **params}
    return Pipeline(
        [
            ("vec", DictVectorizer(sparse=False, sort=True)),
            ("clf", HistGradientBoostingClassifier(early_stopping=False, random_state=seed, **kw)),
        ]
    )


def make_estimator(estimator: str, *, seed: int, C: float = 0.3, params: dict[str, Any] | None = None) -> Pipeline:
    """The pipeline for ``estimator`` (``lr`` or ``hgb``; ``mean`` is fitted part by part)."""
    if estimator == "lr":
        return make_pipeline(C, seed)
    if estimator == "hgb":
        return make_hgb(seed, **(params or {}))
    raise InputError(f"unknown estimator {estimator!r} (expected one of {', '.join(ESTIMATORS)})")


# Features the logistic part of the ``mean`` ensemble does not see (the trees do): cues that are
# farm evidence only together with others, which an additive model cannot express. The
# generated-prose cues (stock outline, FAQ block, intro-and-conclusion, LLM vocabulary) each
# fire on company guides and how-to pages; the logistic part added them up (+8 log-odds on
# `benchmark-extra` originals) and that collection left out had 3.1% of its originals flagged
# (0.8% without them, same farm recall: labelled/README.md, fourth and fifth sessions).
# `tools/honest_compare.py --lr-drop` measures another set.
LR_EXCLUDED: frozenset[str] = frozenset({
    "autoblog.faq_block", "autoblog.intro_and_conclusion", "autoblog.llm_vocab_sat",
    "autoblog.outline_sections", "autoblog.outline_sections_sat",
})


def monotone_cst(names: Any) -> list[int]:
    """``monotonic_cst`` for features ``names``: +1 for :data:`FARM_EVIDENCE`, 0 elsewhere."""
    return [1 if str(n) in FARM_EVIDENCE else 0 for n in names]


def fit_estimator(
    estimator: str, X: list[dict[str, float]], y: np.ndarray, w: np.ndarray, *, seed: int, C: float = 0.3,
    params: dict[str, Any] | None = None,
) -> Pipeline:
    """Build and fit ``estimator`` on feature dicts ``X`` (``params["monotone"]``: see :data:`FARM_EVIDENCE`)."""
    params = dict(params or {})
    monotone = bool(params.pop("monotone", False))
    if estimator == "lr" and LR_EXCLUDED:
        X = [{k: v for k, v in x.items() if k not in LR_EXCLUDED} for x in X]
    pipe = make_estimator(estimator, seed=seed, C=C, params=params)
    if monotone and estimator == "hgb":
        names = DictVectorizer(sparse=False, sort=True).fit(X).get_feature_names_out()
        pipe.set_params(clf__monotonic_cst=monotone_cst(names))
    pipe.fit(X, y, clf__sample_weight=w)
    return pipe


@lru_cache(maxsize=1)
def _operators() -> dict[str, str]:
    from detector.learn.labelled import load_operators, resolve_labelled_dir

    try:
        return load_operators(resolve_labelled_dir())
    except InputError:  # no labelled/ directory (an installed package): each site is its own group
        return {}


def group_of(site: str) -> str:
    """The group a split keeps together: the site's operator (``labelled/operators.tsv``), else the site."""
    from detector.learn.labelled import operator_of

    return operator_of(site, _operators())


def site_folds(samples: list[Sample], *, seed: int, folds: int = 5, by_operator: bool = True,
               ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test index arrays of a label-stratified k-fold split grouped by operator
    (:func:`group_of`; ``by_operator=False``: by site)."""
    y = np.array([s.label for s in samples])
    groups = np.array([group_of(s.site) if by_operator else s.site for s in samples])
    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(cv.split(np.zeros(len(y)), y, groups))


def oof_logits(
    samples: list[Sample], *, C: float = 0.3, seed: int, folds: int = 5, estimator: str = "lr",
    params: dict[str, Any] | None = None, weights: np.ndarray | None = None,
) -> np.ndarray:
    """Site-grouped out-of-fold decision values (each page scored by a model that never saw its site)."""
    X = [s.features for s in samples]
    y = np.array([s.label for s in samples])
    w = sample_weights(samples) if weights is None else weights
    out = np.zeros(len(samples))
    for train_idx, test_idx in site_folds(samples, seed=seed, folds=folds):
        pipe = fit_estimator(estimator, [X[i] for i in train_idx], y[train_idx], w[train_idx], seed=seed, C=C,
                             params=params)
        out[test_idx] = pipe.decision_function([X[i] for i in test_idx])
    return out


def mean_oof_logits(
    samples: list[Sample], *, C: float = 0.3, seed: int, folds: int = 5, params: dict[str, Any] | None = None,
) -> tuple[np.ndarray, list[dict[str, float]]]:
    """Out-of-fold scores of the ``mean`` ensemble, and the calibration of each part (lr, hgb).

    Each part's out-of-fold raw scores are Platt-calibrated to log-odds; the ensemble's score is
    their mean (see :mod:`detector.model.ensemble`).
    """
    y = np.array([s.label for s in samples])
    w = sample_weights(samples)
    zs, cals = [], []
    for est in ("lr", "hgb"):
        z = oof_logits(samples, C=C, seed=seed, folds=folds, estimator=est, params=params if est == "hgb" else None)
        cal = platt(z, y, w)
        zs.append(cal["a"] * z + cal["b"])
        cals.append(cal)
    return np.mean(zs, axis=0), cals


def platt(logits: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> dict[str, float]:
    """Fit ``sigmoid(a*z + b)`` to out-of-fold logits (a one-feature logistic regression)."""
    lr = LogisticRegression(C=1e4, max_iter=5000)
    lr.fit(logits.reshape(-1, 1), y, sample_weight=weights)
    return {"a": float(lr.coef_[0][0]), "b": float(lr.intercept_[0])}


def calibrated(z: np.ndarray, cal: dict[str, float]) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(cal["a"] * z + cal["b"])))


def pick_threshold(probs: np.ndarray, samples: list[Sample], target_fpr: float = TARGET_FPR) -> float:
    """Lowest threshold keeping real originals' false-positive rate at or under ``target_fpr``
    and flagging no ``hard`` original."""
    orig = np.array([s.label == 0 and s.origin != "synthetic" for s in samples])
    hard = np.array([s.label == 0 and s.confidence == "hard" for s in samples])
    neg = np.sort(probs[orig])[::-1]
    k = int(math.floor(target_fpr * len(neg)))
    thr = float(neg[k]) + 1e-6 if len(neg) > k else 0.5
    if hard.any():
        thr = max(thr, float(probs[hard].max()) + 1e-6)
    return float(min(max(thr, 0.05), 0.95))


def fit(
    samples: list[Sample], *, seed: int = 0, C: float = 0.3, folds: int = 5, meta: dict[str, Any] | None = None,
    estimator: str = "lr", params: dict[str, Any] | None = None,
) -> tuple[Any, np.ndarray]:
    """Fit the shipped model on all ``samples``; returns it and the out-of-fold probabilities.

    ``estimator``: ``lr`` (:class:`LinearModel`), ``hgb`` (:class:`TreeModel`) or ``mean``
    (:class:`~detector.model.ensemble.EnsembleModel` of both).
    """
    if len({s.label for s in samples}) < 2:
        raise InputError("training needs both farm and original pages")
    y = np.array([s.label for s in samples])
    w = sample_weights(samples)
    meta = {**(meta or {}), "data_hash": data_hash(samples)}
    if estimator == "mean":
        return _fit_mean(samples, y, w, seed=seed, C=C, folds=folds, meta=meta, params=params)
    z = oof_logits(samples, C=C, seed=seed, folds=folds, estimator=estimator, params=params)
    cal = platt(z, y, w)
    probs = calibrated(z, cal)
    threshold = pick_threshold(probs, samples)
    pipe = fit_estimator(estimator, [s.features for s in samples], y, w, seed=seed, C=C, params=params)
    if estimator == "hgb":
        names = [str(n) for n in pipe.named_steps["vec"].get_feature_names_out()]
        return export_hgb(pipe.named_steps["clf"], names, calibration=cal, threshold=threshold, meta=meta,
                          prefix=TREE_MODEL_VERSION), probs
    return export(pipe, cal, threshold, meta=meta), probs


def _fit_mean(
    samples: list[Sample], y: np.ndarray, w: np.ndarray, *, seed: int, C: float, folds: int, meta: dict[str, Any],
    params: dict[str, Any] | None,
) -> tuple[Any, np.ndarray]:
    """The ``mean`` ensemble: both parts fitted on all samples, calibrations from out-of-fold scores."""
    from detector.model.ensemble import EnsembleModel, ensemble_id

    z, (cal_lr, cal_hgb) = mean_oof_logits(samples, C=C, seed=seed, folds=folds, params=params)
    cal = platt(z, y, w)
    probs = calibrated(z, cal)
    threshold = pick_threshold(probs, samples)
    X = [s.features for s in samples]
    lr = export(fit_estimator("lr", X, y, w, seed=seed, C=C), cal_lr, 0.5, meta={})
    hgb_pipe = fit_estimator("hgb", X, y, w, seed=seed, params=params)
    names = [str(n) for n in hgb_pipe.named_steps["vec"].get_feature_names_out()]
    hgb = export_hgb(hgb_pipe.named_steps["clf"], names, calibration=cal_hgb, threshold=0.5, meta={},
                     prefix=TREE_MODEL_VERSION)
    parts: list[Any] = [lr, hgb]
    model = EnsembleModel(parts=parts, threshold=math.ceil(threshold * 1e6) / 1e6, id=ensemble_id(parts),
                          calibration={k: round(v, 10) for k, v in cal.items()}, meta=meta)
    return model, probs


def export(pipe: Pipeline, calibration: dict[str, float], threshold: float, meta: dict[str, Any]) -> LinearModel:
    vec: DictVectorizer = pipe.named_steps["vec"]
    log: Log1pCounts = pipe.named_steps["log"]
    scale: StandardScaler = pipe.named_steps["scale"]
    clf: LogisticRegression = pipe.named_steps["clf"]
    names = [str(n) for n in vec.get_feature_names_out()]
    sc = [float(s) if s > 0 else 1.0 for s in scale.scale_]
    coef = [round(float(c), 10) for c in clf.coef_[0]]
    intercept = round(float(clf.intercept_[0]), 10)
    # The id names the stored numbers: a last-bit difference in the fitted intercept between
    # machines (BLAS) must not give the same stored model another id.
    digest = hashlib.sha256(json.dumps([names, coef, intercept]).encode()).hexdigest()[:12]
    return LinearModel(
        feature_names=names,
        mean=[round(float(m), 10) for m in scale.mean_],
        scale=[round(s, 10) for s in sc],
        coef=coef,
        intercept=intercept,
        threshold=math.ceil(threshold * 1e6) / 1e6,  # round up: a page at the boundary stays below
        id=f"{MODEL_VERSION}-{digest}",
        calibration={k: round(v, 10) for k, v in calibration.items()},
        log1p=[bool(b) for b in log.log_mask_],
        meta=meta,
    )
