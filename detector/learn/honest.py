"""An evaluation that cannot flatter us: numbers for farm sites the model has never seen.

What :mod:`detector.learn.evaluate`'s site-grouped table leaves open, measured here (``farmscan
evaluate`` prints all of it and writes it to its report):

* **team pages apart**: seeds and the team's own examples are trained on but never counted in
  the real-page figures (they are reported on their own line);
* **site-weighted recall**: each clear farm site counts once (its pages averaged), beside page
  recall, and the same without the largest farm site and outside ``webb-spam-2006`` (2005
  parked/doorway pages: many, alike and easy);
* **nested threshold**: each outer fold's model is fitted exactly as the shipped one
  (:func:`fit_scorer`: inner site-grouped folds for the calibration and the threshold), so the
  threshold is never picked on the pages it is scored on; the FPR reported is what it gives;
* **with and without URLs**: the same fold models score every test page once with its URL and
  once without (as ``farmscan score FILE`` reads a file), training on a fixed share of pages
  read without one (:func:`detector.learn.dataset.withhold_urls`);
* **leave-one-collection-out**: train on every corpus ``dataset`` but one, score that one;
* **lockbox**: the operators of one collection new to the project, drawn before any tuning on it
  (:data:`LOCKBOX_DRAW`: a hash of the operator ranks that collection's farm operators and its
  genuine operators apart, the first :data:`LOCKBOX_SHARE` of each, rounded up; the sites they
  hold are :data:`LOCKBOX_SITES`, :func:`in_lockbox`), is left out of training, cross-validation
  and every choice; it is scored only by ``farmscan evaluate --open-lockbox``, which counts each
  look in ``labelled/lockbox.json`` (the table prints the count);
* **operators**: every split keeps an operator's sites together (``labelled/operators.tsv``,
  :func:`detector.learn.train.site_folds`), the lockbox and the held-out collection included;
* **collection readability**: the ROC-AUC with which farmscan's features tell the collections
  holding farm pages from the others, among originals alone.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from detector.learn.dataset import Sample
from detector.learn.train import (
    HGB_PARAMS,
    calibrated,
    fit_estimator,
    group_of,
    oof_logits,
    pick_threshold,
    platt,
    sample_weights,
    site_folds,
)

LOCKBOX_FILE = "lockbox.json"
# The lockbox drawn 2026-12-07 from the operators of `scout5-github` (the collection added that day),
# before any model was fitted or tuned on it. The earlier lockbox (a hash of every site, a fifth)
# had been opened and chosen against eight times: its sites are development pages now.
LOCKBOX_DRAW = "farmscan-lockbox-2026-12-07"
LOCKBOX_COLLECTION = "scout5-github"
LOCKBOX_SHARE = 1 / 3
# What :func:`draw_lockbox` gives on the corpus (tests/detector/test_honest.py checks it still does).
LOCKBOX_SITES = frozenset({
    "situs-gambling.github.io", "zeshanalikhan.github.io", "zeshan-wink-mod-apk-india.netlify.app",
    "0x0cqq.github.io", "jakevdp.github.io", "401matthall.github.io",
})
TEAM_ORIGINS = ("seed", "example")
EASY_COLLECTION = "webb-spam-2006"
# A kind reported on its own: legitimate pages carrying an injected block of spam links.
INJECTED_KIND = "injected-spam"


def _draw_rank(operator: str) -> str:
    return hashlib.sha256(f"{LOCKBOX_DRAW}:{operator}".encode()).hexdigest()


def draw_lockbox(examples: Sequence[Any], operators: dict[str, str]) -> frozenset[str]:
    """The lockbox's sites: among ``examples`` (labelled corpus pages) of
    :data:`LOCKBOX_COLLECTION`, operators with a farm page and operators without one, each ranked
    by a hash of the operator; the first :data:`LOCKBOX_SHARE` of each (rounded up), with all
    their sites."""
    from detector.learn.labelled import operator_of

    sites: dict[str, set[str]] = defaultdict(set)
    farm_ops: set[str] = set()
    for e in examples:
        if e.dataset != LOCKBOX_COLLECTION:
            continue
        op = operator_of(e.site, operators)
        sites[op].add(e.site)
        if e.label == "farm":
            farm_ops.add(op)
    out: set[str] = set()
    for group in (sorted(farm_ops), sorted(set(sites) - farm_ops)):
        for op in sorted(group, key=_draw_rank)[:math.ceil(LOCKBOX_SHARE * len(group))]:
            out |= sites[op]
    return frozenset(out)


def in_lockbox(site: str) -> bool:
    """Whether ``site`` is in the lockbox (:data:`LOCKBOX_SITES`)."""
    return site in LOCKBOX_SITES


def lockbox_mask(samples: Sequence[Sample]) -> np.ndarray:
    """Samples whose site is in the lockbox (team pages never are, nor pages simulated from them;
    simulated pages carry the site of the real original they were made from, so they go with it)."""
    team_sites = {s.site for s in samples if s.origin in TEAM_ORIGINS}
    return np.array([s.origin not in TEAM_ORIGINS and s.site not in team_sites and in_lockbox(s.site)
                     for s in samples], dtype=bool)


# ---- fitting the shipped way -----------------------------------------------------------------


WeightFn = Callable[[list[Sample]], np.ndarray]


@dataclass
class Scorer:
    """A model fitted as :func:`detector.learn.train.fit` fits the shipped one, kept as pipelines."""

    estimator: str
    pipes: list[Any]
    part_cals: list[dict[str, float]]
    cal: dict[str, float]
    threshold: float

    def probs(self, samples: Sequence[Sample]) -> np.ndarray:
        X = [s.features for s in samples]
        zs = [c["a"] * p.decision_function(X) + c["b"] for p, c in zip(self.pipes, self.part_cals, strict=True)]
        return calibrated(np.mean(zs, axis=0), self.cal)


def fit_scorer(
    samples: list[Sample], *, estimator: str = "mean", seed: int = 0, C: float = 0.1, folds: int = 3,
    params: dict[str, Any] | None = None, weights: WeightFn | None = None,
) -> Scorer:
    """Fit ``estimator`` on ``samples``: site-grouped out-of-fold scores (``folds`` inner folds)
    give each part's calibration, the ensemble's calibration and the threshold
    (:func:`detector.learn.train.pick_threshold`); then each part is fitted on all of ``samples``."""
    y = np.array([s.label for s in samples])
    w = (weights or sample_weights)(samples)
    params = dict(HGB_PARAMS if params is None else params)
    parts = ("lr", "hgb") if estimator == "mean" else (estimator,)
    zs, cals = [], []
    for est in parts:
        z = oof_logits(samples, C=C, seed=seed, folds=folds, estimator=est,
                       params=params if est == "hgb" else None, weights=w)
        cal = platt(z, y, w)
        zs.append(cal["a"] * z + cal["b"])
        cals.append(cal)
    z = np.mean(zs, axis=0)
    cal = platt(z, y, w) if len(parts) > 1 else {"a": 1.0, "b": 0.0}
    threshold = pick_threshold(calibrated(z, cal), samples)
    X = [s.features for s in samples]
    pipes = [fit_estimator(est, X, y, w, seed=seed, C=C, params=params if est == "hgb" else None) for est in parts]
    return Scorer(estimator, pipes, cals, cal, math.ceil(threshold * 1e6) / 1e6)


# ---- metrics -----------------------------------------------------------------------------------


@dataclass
class Figures:
    """Real-page figures of one setting (team pages and the injected-spam kind apart)."""

    name: str
    originals: int = 0
    flagged_originals: int = 0
    hard: int = 0
    hard_flagged: int = 0
    clear_farms: int = 0
    clear_caught: int = 0
    farm_sites: int = 0
    site_recall: float | None = None
    site_recall_wo_top: float | None = None
    top_site: str = ""
    outside_sites: int = 0
    outside_site_recall: float | None = None
    outside_site_recall_wo_top: float | None = None
    outside_page_recall: float | None = None
    borderline: int = 0
    borderline_caught: int = 0
    injected: int = 0
    injected_caught: int = 0
    team: int = 0
    team_farms_caught: str = ""
    thresholds: list[float] = field(default_factory=list)

    @property
    def fpr(self) -> float | None:
        return self.flagged_originals / self.originals if self.originals else None

    @property
    def page_recall(self) -> float | None:
        return self.clear_caught / self.clear_farms if self.clear_farms else None

    def to_json(self) -> dict[str, Any]:
        out = {k: v for k, v in vars(self).items()}
        out["fpr"], out["page_recall"] = self.fpr, self.page_recall
        return out


def _site_recall(pairs: list[tuple[str, bool]]) -> tuple[float | None, float | None, str, int]:
    """Site-weighted recall of ``(site, caught)`` pairs, the same without the largest site, that site."""
    by: dict[str, list[bool]] = defaultdict(list)
    for site, hit in pairs:
        by[site].append(hit)
    if not by:
        return None, None, "", 0
    rates = {s: float(np.mean(v)) for s, v in by.items()}
    top = max(sorted(by), key=lambda s: len(by[s]))
    rest = [r for s, r in rates.items() if s != top]
    return float(np.mean(list(rates.values()))), (float(np.mean(rest)) if rest else None), top, len(by)


def figures(name: str, samples: Sequence[Sample], flagged: np.ndarray, datasets: dict[str, str],
            thresholds: Sequence[float] = ()) -> Figures:
    """The figures of one setting: ``flagged[i]`` says whether real page ``samples[i]`` was flagged."""
    f = Figures(name, thresholds=[round(float(t), 4) for t in thresholds])
    pairs, outside = [], []
    team_hits = []
    for s, hit in zip(samples, flagged, strict=True):
        hit = bool(hit)
        if s.origin == "synthetic":
            continue
        if s.origin in TEAM_ORIGINS:
            f.team += 1
            if s.label == 1:
                team_hits.append(hit)
            continue
        if s.kind == INJECTED_KIND:
            f.injected += 1
            f.injected_caught += hit
        elif s.label == 0:
            f.originals += 1
            f.flagged_originals += hit
            if s.confidence == "hard":
                f.hard += 1
                f.hard_flagged += hit
        elif s.confidence == "clear":
            f.clear_farms += 1
            f.clear_caught += hit
            pairs.append((s.site, hit))
            if datasets.get(s.id) != EASY_COLLECTION:
                outside.append((s.site, hit))
        else:
            f.borderline += 1
            f.borderline_caught += hit
    f.site_recall, f.site_recall_wo_top, f.top_site, f.farm_sites = _site_recall(pairs)
    f.outside_site_recall, f.outside_site_recall_wo_top, _, f.outside_sites = _site_recall(outside)
    f.outside_page_recall = float(np.mean([h for _, h in outside])) if outside else None
    f.team_farms_caught = f"{sum(team_hits)}/{len(team_hits)}"
    return f


FIG_HEADER = ["setting", "orig.", "FPR", "hard", "clear farms", "page recall", "farm sites", "site-weighted",
              "w/o top site", "outside webb: sites", "site-weighted", "w/o top site", "borderline", "injected",
              "team farms"]


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def figure_cells(f: Figures) -> list[str]:
    return [f.name, str(f.originals), _pct(f.fpr), f"{f.hard_flagged}/{f.hard}", str(f.clear_farms),
            _pct(f.page_recall), str(f.farm_sites), _pct(f.site_recall), _pct(f.site_recall_wo_top),
            str(f.outside_sites), _pct(f.outside_site_recall), _pct(f.outside_site_recall_wo_top),
            f"{f.borderline_caught}/{f.borderline}", f"{f.injected_caught}/{f.injected}", f.team_farms_caught]


def format_rows(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    cells = [header] + rows
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows])
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    return "\n".join("  ".join(c[i].ljust(widths[i]) if i == 0 else c[i].rjust(widths[i]) for i in range(len(c)))
                     for c in cells)


# ---- the procedures -----------------------------------------------------------------------------


@dataclass
class Views:
    """The same samples featurised with their URLs and without (aligned by id), plus datasets."""

    with_url: list[Sample]
    without_url: list[Sample]
    datasets: dict[str, str]  # sample id -> corpus dataset ("seeds"/"examples" for team pages)
    origin_dataset: dict[str, str] = field(default_factory=dict)  # simulated id -> its original's dataset

    def __post_init__(self) -> None:
        bare = {s.id: s for s in self.without_url}
        missing = [s.id for s in self.with_url if s.id not in bare]
        # A page that fails one way only is dropped from both views.
        self.with_url = [s for s in self.with_url if s.id in bare]
        self.without_url = [bare[s.id] for s in self.with_url]
        self.dropped = missing
        if not self.origin_dataset:
            self.origin_dataset = {s.id: self.datasets.get(s.origin_id, "") for s in self.with_url
                                   if s.origin == "synthetic"}

    def collection(self, s: Sample) -> str:
        return self.origin_dataset.get(s.id, "") if s.origin == "synthetic" else self.datasets.get(s.id, "")

    def training(self, idx: Sequence[int], share: float | None = None) -> list[Sample]:
        from detector.learn.dataset import URL_WITHHELD_SHARE, withhold_urls

        return withhold_urls([self.with_url[i] for i in idx], [self.without_url[i] for i in idx],
                             URL_WITHHELD_SHARE if share is None else share)


@dataclass
class Honest:
    """Everything :func:`run_honest` measured."""

    nested: dict[str, Figures]  # "with URL" / "without URL"
    loco: list[dict[str, Any]]
    collection_auc: dict[str, Any]
    lockbox_sites: dict[str, int]
    folds: int
    inner_folds: int
    probs: dict[str, np.ndarray] = field(default_factory=dict)  # dev real pages, out of fold
    dev_ids: list[str] = field(default_factory=list)


def dev_indices(views: Views) -> np.ndarray:
    return np.flatnonzero(~lockbox_mask(views.with_url))


def nested_cv(views: Views, *, seed: int = 0, folds: int = 5, inner_folds: int = 3, estimator: str = "mean",
              weights: WeightFn | None = None, progress: Callable[[str], None] | None = None,
              ) -> tuple[dict[str, Figures], dict[str, np.ndarray], list[int]]:
    """Outer site-grouped folds over the development set (lockbox out); each fold's model and
    threshold from :func:`fit_scorer` on the other folds; test pages scored with and without URLs.

    Returns the figures, the out-of-fold probabilities (``"with URL"``, ``"without URL"``) and
    each page's fold threshold (``"threshold"``) in development-set order, and that order."""
    dev = dev_indices(views)
    dev_samples = [views.with_url[i] for i in dev]
    out = {"with URL": np.full(len(dev), np.nan), "without URL": np.full(len(dev), np.nan)}
    flags = {k: np.zeros(len(dev), bool) for k in out}
    thresholds = []
    page_thr = np.zeros(len(dev))
    for k, (tr, te) in enumerate(site_folds(dev_samples, seed=seed, folds=folds)):
        scorer = fit_scorer(views.training(dev[tr]), estimator=estimator, seed=seed, folds=inner_folds,
                            weights=weights)
        thresholds.append(scorer.threshold)
        page_thr[te] = scorer.threshold
        for key, view in (("with URL", views.with_url), ("without URL", views.without_url)):
            p = scorer.probs([view[i] for i in dev[te]])
            out[key][te] = p
            flags[key][te] = p >= scorer.threshold
        if progress:
            progress(f"outer fold {k + 1}/{folds}: threshold {scorer.threshold:.3f}")
    figs = {key: figures(key, dev_samples, flags[key], views.datasets, thresholds) for key in out}
    return figs, {**out, "threshold": page_thr}, [int(i) for i in dev]


def loco(views: Views, *, seed: int = 0, inner_folds: int = 3, estimator: str = "mean",
         weights: WeightFn | None = None, progress: Callable[[str], None] | None = None,
         only: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Leave one corpus collection out: train on the development set's other collections (their
    simulated pages included, the held-out collection's sites excluded), score the held-out one
    at the threshold picked in training."""
    dev = dev_indices(views)
    colls = sorted({views.datasets.get(views.with_url[i].id, "") for i in dev
                    if views.with_url[i].origin == "real"} - {""})
    rows = []
    for c in colls:
        if only and c not in only:
            continue
        test = [int(i) for i in dev if views.with_url[i].origin == "real" and views.datasets.get(views.with_url[i].id) == c]
        held = {group_of(views.with_url[i].site) for i in test}
        train = [int(i) for i in dev if views.collection(views.with_url[i]) != c
                 and group_of(views.with_url[i].site) not in held]
        tr_samples = views.training(train)
        if len({s.label for s in tr_samples}) < 2:
            continue
        scorer = fit_scorer(tr_samples, estimator=estimator, seed=seed, folds=inner_folds, weights=weights)
        row: dict[str, Any] = {"collection": c, "threshold": scorer.threshold}
        for key, view in (("url", views.with_url), ("nourl", views.without_url)):
            ss = [view[i] for i in test]
            hits = scorer.probs(ss) >= scorer.threshold
            f = figures(c, ss, hits, views.datasets)
            row[key] = {**f.to_json(), **operator_recall(ss, hits)}
        rows.append(row)
        if progress:
            u, n = row["url"], row["nourl"]
            progress(f"LOCO {c}: originals {u['originals']}, FPR {_pct(u['fpr'])} / {_pct(n['fpr'])}; "
                     f"clear farms {u['clear_farms']}, recall {_pct(u['page_recall'])} / {_pct(n['page_recall'])}")
    return rows


def operator_recall(samples: Sequence[Sample], flagged: np.ndarray) -> dict[str, int]:
    """Clear farm operators among real ``samples`` (:func:`detector.learn.train.group_of`) and how
    many are caught: at least half of the operator's clear farm pages flagged."""
    by: dict[str, list[bool]] = defaultdict(list)
    for s, hit in zip(samples, flagged, strict=True):
        if s.origin == "real" and s.label == 1 and s.confidence == "clear" and s.kind != INJECTED_KIND:
            by[group_of(s.site)].append(bool(hit))
    return {"farm_operators": len(by), "operators_caught": int(sum(bool(np.mean(v) >= 0.5) for v in by.values()))}


def breakdown(samples: Sequence[Sample], flagged: dict[str, np.ndarray], key: Callable[[Sample], str],
              min_originals: int = 0) -> list[list[str]]:
    """Rows of real-page originals flagged and clear farm pages caught per ``key`` (a language, a
    collection), for each view in ``flagged`` (``"with URL"``, ``"without URL"``)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(samples):
        if s.origin == "real" and s.kind != INJECTED_KIND:
            groups[key(s) or "?"].append(i)
    rows = []
    for g in sorted(groups, key=lambda g: (-len(groups[g]), g)):
        idx = groups[g]
        orig = [i for i in idx if samples[i].label == 0]
        clear = [i for i in idx if samples[i].label == 1 and samples[i].confidence == "clear"]
        if len(orig) < min_originals:
            continue
        row = [g, str(len(orig))]
        for f in flagged.values():
            n = int(sum(f[i] for i in orig))
            row.append(f"{n} ({_pct(n / len(orig)) if orig else '-'})")
        row.append(str(len(clear)))
        for f in flagged.values():
            row.append(_pct(float(np.mean([f[i] for i in clear]))) if clear else "-")
        rows.append(row)
    return rows


BREAKDOWN_HEADER = ["group", "originals", "flagged (URL)", "flagged (no URL)", "clear farm pages",
                    "page recall (URL)", "page recall (no URL)"]


LOCO_HEADER = ["left out", "originals", "FPR (URL)", "FPR (no URL)", "hard flagged", "clear farms", "farm sites",
               "page recall (URL)", "site-weighted (URL)", "site-weighted (no URL)", "farm operators caught (URL / no URL)",
               "thr"]


def loco_cells(r: dict[str, Any]) -> list[str]:
    u, n = r["url"], r["nourl"]
    return [r["collection"], str(u["originals"]), _pct(u["fpr"]), _pct(n["fpr"]), f"{u['hard_flagged']}/{u['hard']}",
            str(u["clear_farms"]), str(u["farm_sites"]), _pct(u["page_recall"]), _pct(u["site_recall"]),
            _pct(n["site_recall"]),
            f"{u.get('operators_caught', '-')}/{u.get('farm_operators', '-')} / {n.get('operators_caught', '-')}",
            f"{r['threshold']:.3f}"]


def farm_collections(views: Views) -> list[str]:
    """Corpus collections holding clear farm pages beside originals."""
    by: dict[str, set[int]] = defaultdict(set)
    for s in views.with_url:
        if s.origin == "real" and (s.label == 0 or s.confidence == "clear"):
            by[views.datasets.get(s.id, "")].add(s.label)
    return sorted(c for c, labels in by.items() if labels == {0, 1})


def collection_auc(views: Views, *, seed: int = 0, folds: int = 5) -> dict[str, Any]:
    """How well farmscan's features tell the collections holding farm pages from the others,
    among development-set originals alone (site-grouped out-of-fold ROC-AUC; 0.5 = unreadable)."""
    farm_colls = set(farm_collections(views))
    dev = set(dev_indices(views).tolist())
    out: dict[str, Any] = {"collections": sorted(farm_colls)}
    for key, view in (("url", views.with_url), ("nourl", views.without_url)):
        ss = [s for i, s in enumerate(view) if i in dev and s.origin == "real" and s.label == 0]
        fake = [Sample(id=s.id, label=int(views.datasets.get(s.id) in farm_colls), kind=s.kind, site=s.site,
                       origin="real", confidence=s.confidence, features=s.features) for s in ss]
        y = np.array([s.label for s in fake])
        if len(set(y)) < 2:
            return out
        w = np.ones(len(fake))
        for est in ("lr", "hgb"):
            z = oof_logits(fake, seed=seed, folds=folds, estimator=est, C=0.1,
                           params=dict(HGB_PARAMS) if est == "hgb" else None, weights=w)
            out[f"{key}_{est}"] = round(float(roc_auc_score(y, z)), 3)
        out["n"], out["positives"] = len(y), int(y.sum())
    return out


def lockbox_site_counts(views: Views) -> dict[str, int]:
    farm_sites, orig_sites = set(), set()
    for s in views.with_url:
        if s.origin == "real":
            (farm_sites if s.label == 1 else orig_sites).add(s.site)
    orig_sites -= farm_sites
    return {"farm_sites": len(farm_sites), "farm_sites_in_lockbox": sum(map(in_lockbox, farm_sites)),
            "original_sites": len(orig_sites), "original_sites_in_lockbox": sum(map(in_lockbox, orig_sites))}


# ---- the lockbox --------------------------------------------------------------------------------


def read_lockbox(labelled_dir: Path) -> dict[str, Any]:
    path = Path(labelled_dir) / LOCKBOX_FILE
    if not path.is_file():
        return {"looks": 0, "by_model": {}, "results": []}
    return json.loads(path.read_text(encoding="utf-8"))


def open_lockbox(views: Views, model: Any, labelled_dir: Path, command: str) -> dict[str, Any]:
    """Score the lockbox pages with ``model`` (with and without URLs), count the look in
    ``labelled/lockbox.json`` and return the figures recorded there."""
    box = np.flatnonzero(lockbox_mask(views.with_url))
    res: dict[str, Any] = {"model": model.id, "command": command}
    for key, view in (("url", views.with_url), ("nourl", views.without_url)):
        ss = [view[i] for i in box if view[i].origin == "real"]
        flagged = np.array([model.predict(s.features)[0] >= model.threshold for s in ss], dtype=bool)
        res[key] = {**figures(key, ss, flagged, views.datasets).to_json(), **operator_recall(ss, flagged)}
    rec = read_lockbox(labelled_dir)
    rec["looks"] = int(rec.get("looks", 0)) + 1
    rec.setdefault("by_model", {})[model.id] = int(rec["by_model"].get(model.id, 0)) + 1
    res["look"] = rec["looks"]
    rec.setdefault("results", []).append(res)
    (Path(labelled_dir) / LOCKBOX_FILE).write_text(json.dumps(rec, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return res


def lockbox_lines(rec: dict[str, Any], model_id: str) -> list[str]:
    """What the report says of the lockbox: the look count and the last figures of ``model_id``."""
    lines = [f"Lockbox looked at {rec.get('looks', 0)} time(s) in all, "
             f"{rec.get('by_model', {}).get(model_id, 0)} time(s) with model `{model_id}`."]
    mine = [r for r in rec.get("results", []) if r.get("model") == model_id]
    if mine:
        r = mine[-1]
        for key, name in (("url", "with URL"), ("nourl", "without URL")):
            f = r[key]
            lines.append(f"- {name} (look {r['look']}): {_pct(f['fpr'])} of {f['originals']} originals flagged "
                         f"({f['hard_flagged']}/{f['hard']} hard); clear farms: page recall {_pct(f['page_recall'])} "
                         f"of {f['clear_farms']}, site-weighted {_pct(f['site_recall'])} over {f['farm_sites']} sites, "
                         f"outside webb-spam-2006 {_pct(f['outside_site_recall'])} over {f['outside_sites']} sites"
                         + (f"; farm operators caught {f['operators_caught']}/{f['farm_operators']}"
                            if "farm_operators" in f else ""))
    return lines
