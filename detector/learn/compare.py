"""Estimators compared on the same site-grouped folds, by the numbers the targets are set in.

For each :class:`Candidate`, out-of-fold raw scores (every page scored by a model that never
saw its site), Platt calibration and the threshold of :func:`detector.learn.train.pick_threshold`,
then on the real pages only: false-positive rate on originals, ``hard`` originals flagged,
farm recall (all, ``clear``, without the largest farm site, and the share of farm sites with
a page caught), ROC-AUC, PR-AUC and Brier score.

Two honesty checks beside them:

* ``xfit``: the threshold (and calibration) picked on the other folds' scores and applied to
  each fold in turn, so the FPR is not the one the threshold was set to;
* ``no index``: the same fold models scoring pages without their ``index.*`` features (what
  ``score()`` sees when no index is given).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from detector.learn.dataset import Sample
from detector.learn.train import (
    calibrated,
    fit_estimator,
    pick_threshold,
    platt,
    sample_weights,
    site_folds,
)

INDEX_PREFIX = "index."


@dataclass
class Candidate:
    """One estimator setting to compare."""

    name: str
    estimator: str  # "lr", "hgb", or "mean" (mean of the calibrated logits of ``parts``)
    params: dict[str, Any] = field(default_factory=dict)
    C: float = 0.1
    weights: Callable[[list[Sample]], np.ndarray] | None = None
    index: bool = True  # train with the index.* features
    parts: tuple[str, ...] = ()  # for "mean": names of earlier candidates


@dataclass
class Result:
    name: str
    threshold: float
    fpr: float
    hard_flagged: int
    recall: float
    recall_clear: float
    recall_wo_top_site: float
    farm_sites_caught: float
    roc_auc: float
    pr_auc: float
    brier: float
    xfit_fpr: float
    xfit_recall_clear: float
    noindex_fpr: float | None
    noindex_recall_clear: float | None

    HEADER = ("estimator", "thr", "FPR", "hard", "recall", "clear", "w/o top site", "sites", "ROC-AUC", "PR-AUC",
              "Brier", "xfit FPR", "xfit clear", "no-index FPR", "no-index clear")

    def cells(self) -> list[str]:
        def f(x: float | None, d: int = 3) -> str:
            return "-" if x is None else f"{x:.{d}f}"

        return [self.name, f(self.threshold), f(self.fpr, 4), str(self.hard_flagged), f(self.recall), f(self.recall_clear),
                f(self.recall_wo_top_site), f(self.farm_sites_caught), f(self.roc_auc), f(self.pr_auc), f(self.brier, 4),
                f(self.xfit_fpr, 4), f(self.xfit_recall_clear), f(self.noindex_fpr, 4), f(self.noindex_recall_clear)]


def _without_index(features: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in features.items() if not k.startswith(INDEX_PREFIX)}


def oof_scores(samples: list[Sample], cand: Candidate, folds: list[tuple[np.ndarray, np.ndarray]], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold raw scores with and without the test pages' index features."""
    X = [s.features if cand.index else _without_index(s.features) for s in samples]
    y = np.array([s.label for s in samples])
    w = (cand.weights or sample_weights)(samples)
    z, z0 = np.zeros(len(samples)), np.zeros(len(samples))
    for tr, te in folds:
        pipe = fit_estimator(cand.estimator, [X[i] for i in tr], y[tr], w[tr], seed=seed, C=cand.C, params=cand.params)
        z[te] = pipe.decision_function([X[i] for i in te])
        z0[te] = pipe.decision_function([_without_index(X[i]) for i in te])
    return z, z0


def largest_farm_site(samples: list[Sample]) -> str:
    """The site with the most real farm pages (one site can dominate recall)."""
    c = Counter(s.site for s in samples if s.origin != "synthetic" and s.label == 1)
    return c.most_common(1)[0][0] if c else ""


def _fold_of(n: int, folds: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    out = np.zeros(n, dtype=int)
    for k, (_tr, te) in enumerate(folds):
        out[te] = k
    return out


def summarise(samples: list[Sample], name: str, z: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]],
              z0: np.ndarray | None = None) -> Result:
    """Calibrate, pick the threshold and measure on the real pages."""
    y = np.array([s.label for s in samples])
    w = sample_weights(samples)
    real = np.array([s.origin != "synthetic" for s in samples])
    clear = real & (y == 1) & np.array([s.confidence == "clear" for s in samples])
    orig = real & (y == 0)
    hard = np.array([s.confidence == "hard" for s in samples])
    top = largest_farm_site(samples)
    not_top = np.array([s.site != top for s in samples])
    cal = platt(z, y, w)
    p = calibrated(z, cal)
    thr = pick_threshold(p, samples)
    flag = p >= thr

    farm_sites: dict[str, bool] = {}
    for i, s in enumerate(samples):
        if real[i] and y[i] == 1:
            farm_sites[s.site] = farm_sites.get(s.site, False) or bool(flag[i])

    # Cross-fitted: calibration and threshold from the other folds only.
    fold = _fold_of(len(samples), folds)
    xflag = np.zeros(len(samples), dtype=bool)
    for k in range(len(folds)):
        other = fold != k
        sub = [s for s, o in zip(samples, other, strict=True) if o]
        cal_k = platt(z[other], y[other], w[other])
        thr_k = pick_threshold(calibrated(z[other], cal_k), sub)
        xflag[~other] = calibrated(z[~other], cal_k) >= thr_k

    def rate(mask: np.ndarray, f: np.ndarray) -> float:
        return float(f[mask].mean()) if mask.any() else 0.0

    n0 = None if z0 is None else calibrated(z0, cal) >= thr
    return Result(
        name=name,
        threshold=thr,
        fpr=rate(orig, flag),
        hard_flagged=int((flag & hard).sum()),
        recall=rate(real & (y == 1), flag),
        recall_clear=rate(clear, flag),
        recall_wo_top_site=rate(real & (y == 1) & not_top, flag),
        farm_sites_caught=sum(farm_sites.values()) / max(len(farm_sites), 1),
        roc_auc=float(roc_auc_score(y[real], p[real])),
        pr_auc=float(average_precision_score(y[real], p[real])),
        brier=float(brier_score_loss(y[real], p[real])),
        xfit_fpr=rate(orig, xflag),
        xfit_recall_clear=rate(clear, xflag),
        noindex_fpr=None if n0 is None else rate(orig, n0),
        noindex_recall_clear=None if n0 is None else rate(clear, n0),
    )


def compare(samples: list[Sample], candidates: list[Candidate], *, seed: int = 0, n_folds: int = 5,
            progress: Callable[[str], None] | None = None) -> list[Result]:
    """Every candidate on the same site-grouped folds (``mean`` candidates reuse earlier scores)."""
    folds = site_folds(samples, seed=seed, folds=n_folds)
    y = np.array([s.label for s in samples])
    w = sample_weights(samples)
    scores: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    out = []
    for cand in candidates:
        if cand.estimator == "mean":
            zs = []
            for part in cand.parts:
                zp, zp0 = scores[part]
                cal = platt(zp, y, w)
                zs.append((cal["a"] * zp + cal["b"], cal["a"] * zp0 + cal["b"]))
            z = np.mean([a for a, _ in zs], axis=0)
            z0 = np.mean([b for _, b in zs], axis=0)
        else:
            z, z0 = oof_scores(samples, cand, folds, seed)
        scores[cand.name] = (z, z0)
        out.append(summarise(samples, cand.name, z, folds, z0 if cand.index else None))
        if progress:
            progress(" | ".join(out[-1].cells()))
    return out


def mean_results(runs: list[list[Result]]) -> list[Result]:
    """Each candidate's results averaged over repeated runs (``hard`` flagged: the worst run)."""
    out = []
    for rows in zip(*runs, strict=True):
        vals: dict[str, Any] = {"name": rows[0].name}
        for k in Result.__dataclass_fields__:
            if k == "name":
                continue
            xs = [getattr(r, k) for r in rows]
            if k == "hard_flagged":
                vals[k] = max(xs)
            elif any(x is None for x in xs):
                vals[k] = None
            else:
                vals[k] = float(np.mean(xs))
        out.append(Result(**vals))
    return out


def format_results(results: list[Result]) -> str:
    """A markdown table."""
    lines = ["| " + " | ".join(Result.HEADER) + " |", "|" + "|".join("---" for _ in Result.HEADER) + "|"]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in results]
    return "\n".join(lines)
