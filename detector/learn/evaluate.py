"""Evaluation the way users meet the model: cross-validation grouped by site.

Every page is scored by a model trained without any page of its site (simulated pages carry
the site of the real original they were made from, so they never leak a held-out site's text).
Real and simulated pages are reported apart; every misclassified real page is listed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    precision_recall_curve,
    roc_auc_score,
)

from detector.learn.train import TARGET_FPR, Sample


@dataclass
class Row:
    group: str
    n: int
    farms: int
    precision: float | None
    recall: float | None
    f1: float | None
    roc_auc: float | None
    pr_auc: float | None
    fpr: float | None
    brier: float | None

    def cells(self) -> list[str]:
        def f(x: float | None) -> str:
            return "-" if x is None else f"{x:.3f}"

        return [self.group, str(self.n), str(self.farms), f(self.precision), f(self.recall), f(self.f1),
                f(self.roc_auc), f(self.pr_auc), f(self.fpr), f(self.brier)]


HEADER = ["group", "n", "farm", "precision", "recall", "F1", "ROC-AUC", "PR-AUC", "FPR@thr", "Brier"]


def metrics(group: str, y: np.ndarray, p: np.ndarray, thr: float | np.ndarray) -> Row:
    pred = p >= thr
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    neg = int((y == 0).sum())
    pos = int((y == 1).sum())
    prec = tp / (tp + fp) if tp + fp else None
    rec = tp / pos if pos else None
    f1 = 2 * prec * rec / (prec + rec) if prec and rec else (0.0 if pos and prec is not None else None)
    both = pos and neg
    return Row(
        group=group,
        n=len(y),
        farms=pos,
        precision=prec,
        recall=rec,
        f1=f1,
        roc_auc=float(roc_auc_score(y, p)) if both else None,
        pr_auc=float(average_precision_score(y, p)) if both else None,
        fpr=fp / neg if neg else None,
        brier=float(brier_score_loss(y, p, pos_label=1)) if len(y) else None,
    )


def table(samples: list[Sample], probs: np.ndarray, thr: float | np.ndarray) -> list[Row]:
    """Rows: all real pages, real pages by kind, hard originals, simulated pages by recipe.

    ``thr``: one threshold, or one per sample (each page at its own fold's threshold)."""
    thr = np.broadcast_to(np.asarray(thr, dtype=float), (len(samples),))
    y = np.array([s.label for s in samples])
    rows = []
    # Real corpus pages; the team's own pages (seeds, examples) on a row of their own.
    real = np.array([s.origin not in ("synthetic", "seed", "example") for s in samples])
    team = np.array([s.origin in ("seed", "example") for s in samples])
    syn = np.array([s.origin == "synthetic" for s in samples])
    rows.append(metrics("REAL (all)", y[real], probs[real], thr[real]))
    rc = real & _mask(samples, lambda s: s.label == 0 or s.confidence == "clear")
    rows.append(metrics("REAL clear farms + originals", y[rc], probs[rc], thr[rc]))
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(samples):
        if real[i]:
            by_kind[f"real {s.label and 'farm' or 'original'}:{s.kind}"].append(i)
    for k in sorted(by_kind):
        idx = np.array(by_kind[k])
        rows.append(metrics(k, y[idx], probs[idx], thr[idx]))
    hard = real & _mask(samples, lambda s: s.confidence == "hard")
    if hard.any():
        rows.append(metrics("real original:hard", y[hard], probs[hard], thr[hard]))
    if team.any():
        rows.append(metrics("TEAM (seeds + examples)", y[team], probs[team], thr[team]))
    if syn.any():
        rows.append(metrics("SYNTHETIC (all)", y[syn], probs[syn], thr[syn]))
        by_recipe: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(samples):
            if s.origin == "synthetic":
                by_recipe[f"synthetic:{s.kind}"].append(i)
        for k in sorted(by_recipe):
            idx = np.array(by_recipe[k])
            rows.append(metrics(k, y[idx], probs[idx], thr[idx]))
    return rows


def _mask(samples: list[Sample], pred: Any) -> np.ndarray:
    return np.array([bool(pred(s)) for s in samples])


def format_table(rows: list[Row], markdown: bool = False) -> str:
    cells = [HEADER] + [r.cells() for r in rows]
    if markdown:
        out = ["| " + " | ".join(cells[0]) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
        out += ["| " + " | ".join(c) + " |" for c in cells[1:]]
        return "\n".join(out)
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADER))]
    return "\n".join("  ".join(c[i].ljust(widths[i]) if i == 0 else c[i].rjust(widths[i]) for i in range(len(c))) for c in cells)


def _real_original_probs(samples: list[Sample], probs: np.ndarray) -> np.ndarray:
    return np.array([probs[i] for i, s in enumerate(samples) if s.origin != "synthetic" and s.label == 0])


def reach(samples: list[Sample], probs: np.ndarray, fpr: float = 0.01) -> dict[str, Any]:
    """What flagging every ``clear`` real farm page would cost in flagged real originals.

    ``lowest``: the lowest probability of a clear farm page; ``originals_at_lowest``: the share of
    real originals at or above it (the false-positive rate of a threshold that flags every clear
    farm); ``clear_within``: clear farm pages above the threshold that flags ``fpr`` of originals.
    """
    orig = np.sort(_real_original_probs(samples, probs))
    clear = np.array([probs[i] for i, s in enumerate(samples)
                      if s.origin != "synthetic" and s.label == 1 and s.confidence == "clear"])
    if not len(orig) or not len(clear):
        return {}
    k = int(np.floor(len(orig) * fpr + 1e-9))  # originals the budget allows to flag
    within = np.sum(clear >= orig[len(orig) - k]) if k else np.sum(clear > orig[-1])
    lowest = float(clear.min())
    return {
        "clear": int(len(clear)), "lowest": lowest, "originals_at_lowest": float(np.mean(orig >= lowest)),
        "fpr": fpr, "clear_within": int(within),
    }


def misclassified(samples: list[Sample], probs: np.ndarray, thr: float | np.ndarray, contrib: list[dict[str, float]]) -> list[dict[str, Any]]:
    """Real pages on the wrong side of ``thr``, with their top signals (evidence for the team's
    examples only: it quotes the page); a missed farm page also
    carries ``originals_above``: the share of real originals scoring at or above it (what
    flagging it would cost)."""
    orig = _real_original_probs(samples, probs)
    thr = np.broadcast_to(np.asarray(thr, dtype=float), (len(samples),))
    out = []
    for i, s in enumerate(samples):
        if s.origin == "synthetic":
            continue
        pred = probs[i] >= thr[i]
        if pred == bool(s.label):
            continue
        top = sorted(contrib[i].items(), key=lambda kv: -abs(kv[1]))[:4]
        out.append(
            {
                "id": s.id,
                "site": s.site,
                "label": "farm" if s.label else "original",
                "kind": s.kind,
                "confidence": s.confidence,
                "probability": round(float(probs[i]), 4),
                "originals_above": round(float(np.mean(orig >= probs[i])), 4) if s.label and len(orig) else None,
                # Evidence quotes the page: only the team's own examples keep it (corpus pages and
                # seeds are not the project's text and never go into the repo's reports).
                "top_signals": [
                    f"{k} {v:+.2f}" + (f" [{'; '.join(s.evidence[k][:2])}]"
                                       if s.origin == "example" and s.evidence.get(k) else "")
                    for k, v in top
                ],
            }
        )
    return sorted(out, key=lambda d: (d["label"], -d["probability"]))


def plot(samples: list[Sample], probs: np.ndarray, thr: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    y = np.array([s.label for s in samples])
    real = np.array([s.origin != "synthetic" for s in samples])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.5))
    for mask, name in ((real, "real pages"), (~real, "simulated pages"), (np.ones_like(real), "all")):
        if mask.any() and len(set(y[mask])) == 2:
            pr, rc, _ = precision_recall_curve(y[mask], probs[mask])
            ax1.plot(rc, pr, label=f"{name} (AP {average_precision_score(y[mask], probs[mask]):.3f})")
    ax1.set_xlabel("recall")
    ax1.set_ylabel("precision")
    ax1.set_title("Precision-recall (site-grouped CV)")
    ax1.legend(loc="lower left")
    ax1.grid(alpha=0.3)
    bins = np.linspace(0, 1, 11)
    ids = np.clip(np.digitize(probs, bins) - 1, 0, 9)
    xs, ys, ns = [], [], []
    for b in range(10):
        m = ids == b
        if m.any():
            xs.append(probs[m].mean())
            ys.append(y[m].mean())
            ns.append(int(m.sum()))
    ax2.plot([0, 1], [0, 1], "k--", lw=1, label="perfect calibration")
    ax2.plot(xs, ys, "o-", label="farmscan")
    for x_, y_, n_ in zip(xs, ys, ns, strict=True):
        ax2.annotate(str(n_), (x_, y_), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax2.axvline(thr, color="r", lw=1, label=f"threshold {thr:.2f}")
    ax2.set_xlabel("predicted probability of farm")
    ax2.set_ylabel("observed share of farms")
    ax2.set_title("Reliability diagram (all pages)")
    ax2.legend(loc="upper left")
    ax2.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def report_markdown(
    rows: list[Row],
    wrong: list[dict[str, Any]],
    thr: float,
    model_id: str,
    command: str,
    comparison: str,
    png_name: str,
    reached: dict[str, Any] | None = None,
    honest: str = "",
) -> str:
    lines = [
        "# farmscan evaluation",
        "",
        f"Model `{model_id}`. Produced by `{command}`.",
        "",
    ]
    if honest:
        lines += ["## Honest figures (pages of sites the model never saw)", "", honest, "",
                  "## Per kind (development set, nested out of fold, with URLs)", "",
                  f"Each page at its outer fold's threshold (median {thr:.3f}); simulated pages carry their "
                  "source page's site. Real and simulated pages are reported apart.", ""]
    else:
        lines += [f"Threshold {thr:.3f}. Five-fold cross-validation grouped by `site` (no site is in both "
                  "training and test folds); simulated pages carry their source page's site.", ""]
    lines += [format_table(rows, markdown=True)]
    if comparison:
        lines += [
            "",
            "## Estimators compared (same folds, real pages)",
            "",
            f"Each estimator's own calibration and threshold (at most {100 * TARGET_FPR:.2g}% of real originals and no `hard` one",
            "above it); `clear` = recall on clear real farms; `w/o top site` = recall without the site with the",
            "most real farm pages; `sites` = share of real farm sites with a page caught; `xfit` = threshold",
            "picked on the other folds; `no-index` = the same models scoring pages without `index.*` features.",
            "",
            comparison,
        ]
    lines += ["", f"![precision-recall and reliability]({png_name})", "", f"## Misclassified real pages ({len(wrong)})", ""]
    if reached:
        lines += [reach_sentence(reached), ""]
    lines += ["`orig. ≥ p`: share of real originals scoring at or above a missed farm page.", ""]
    lines += ["| id | site | label | kind | conf. | p | orig. ≥ p | top signals |", "|---|---|---|---|---|---|---|---|"]
    for w in wrong:
        sig = "<br>".join(x.replace("|", "/") for x in w["top_signals"])
        above = "-" if w.get("originals_above") is None else f"{w['originals_above']:.1%}"
        lines.append(f"| {w['id'][:60]} | {w['site']} | {w['label']} | {w['kind']} | {w['confidence']} "
                     f"| {w['probability']:.3f} | {above} | {sig} |")
    return "\n".join(lines) + "\n"


def reach_sentence(r: dict[str, Any]) -> str:
    """One line on what :func:`reach` found."""
    return (f"Flagging every one of the {r['clear']} clear real farm pages would take a threshold of "
            f"p={r['lowest']:.3f}, which flags {r['originals_at_lowest']:.1%} of real originals; with "
            f"{r['fpr']:.0%} of originals flagged, {r['clear_within']} of {r['clear']} clear farm pages are above the cut.")


def oof_metrics(samples, probs, threshold: float) -> dict:
    """Site-grouped out-of-fold metrics on real pages, stored in the model file."""
    real = np.array([s.origin not in ("synthetic", "seed", "example") for s in samples])  # team pages apart
    y = np.array([s.label for s in samples])
    clear = np.array([s.label == 0 or s.confidence == "clear" for s in samples])
    hard = np.array([s.confidence == "hard" for s in samples])
    out = {}
    team = np.array([s.origin in ("seed", "example") for s in samples])
    syn = np.array([s.origin == "synthetic" for s in samples])
    for name, mask in (("real", real), ("real_clear", real & clear), ("team", team), ("synthetic", syn)):
        if mask.any():
            r = metrics(name, y[mask], probs[mask], threshold)
            out[name] = {k: (None if v is None else round(float(v), 4)) for k, v in vars(r).items() if k != "group"}
    out["hard_originals_flagged"] = int((probs[hard] >= threshold).sum()) if hard.any() else 0
    out["evaluation"] = ("5-fold cross-validation grouped by site, out-of-fold probabilities, on the training set "
                         "(threshold picked on these scores: see farmscan evaluate for the nested figures)")
    return out
