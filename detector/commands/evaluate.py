"""``farmscan evaluate``: site-grouped cross-validation, per-kind table, plots and a report."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from detector.commands.train import add_dataset_arguments, build_samples

NAME = "evaluate"
HELP = "cross-validate by site; print a per-kind table, write a markdown report and a PNG"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_dataset_arguments(p)
    p.add_argument("--model", help="model whose threshold is evaluated (default: the shipped one)")
    p.add_argument("--report-dir", default="reports", help="where to write report.md, curves.png, misclassified.jsonl")


def run(args: argparse.Namespace) -> int:
    from detector.commands._common import require

    require("sklearn", "matplotlib", *(["faker"] if args.synthetic else []))  # fitting, plots, simulator: [train]
    import numpy as np

    from detector.learn import evaluate as ev
    from detector.learn.train import (
        HGB_PARAMS,
        calibrated,
        mean_oof_logits,
        oof_logits,
        platt,
        sample_weights,
    )
    from detector.model.ensemble import EnsembleModel
    from detector.model.load import load_model
    from detector.model.trees import TreeModel

    model = load_model(args.model)
    thr = model.threshold
    kind = "mean" if isinstance(model, EnsembleModel) else "hgb" if isinstance(model, TreeModel) else "lr"
    estimator = args.estimator or kind
    params = (model.meta.get("params") if not args.estimator else None) or dict(HGB_PARAMS)
    samples = build_samples(args)
    y = np.array([s.label for s in samples])
    if estimator == "mean":
        z, _ = mean_oof_logits(samples, C=args.C, seed=args.seed, params=params)
    else:
        z = oof_logits(samples, C=args.C, seed=args.seed, estimator=estimator, params=params)
    cal = platt(z, y, sample_weights(samples))
    probs = calibrated(z, cal)
    rows = ev.table(samples, probs, thr)
    print(f"{estimator} cross-validated at the threshold of {model.id} ({thr:.3f})")
    print(ev.format_table(rows))

    # Contributions from the evaluated model, to explain each misclassified page.
    contrib = [model.predict(s.features)[1] for s in samples]
    wrong = ev.misclassified(samples, probs, thr, contrib)
    comparison = compare_estimators(samples, args)
    out = Path(args.report_dir)
    out.mkdir(parents=True, exist_ok=True)
    ev.plot(samples, probs, thr, out / "curves.png")
    command = "farmscan evaluate " + " ".join(shlex.quote(a) for a in sys.argv[2:])
    reached = ev.reach(samples, probs)
    (out / "report.md").write_text(ev.report_markdown(rows, wrong, thr, model.id, command, comparison, "curves.png", reached),
                                   encoding="utf-8")
    with (out / "misclassified.jsonl").open("w", encoding="utf-8") as fh:
        for w in wrong:
            fh.write(json.dumps(w, ensure_ascii=False) + "\n")
    print(f"\n{len(wrong)} misclassified real pages (listed in {out / 'report.md'})")
    for w in wrong:
        print(f"  {w['label']:<8} p={w['probability']:.3f} {w['kind']:<16} {w['id'][:60]}  {'; '.join(w['top_signals'][:2])}")
    if reached:
        print(ev.reach_sentence(reached))
    print(f"wrote {out / 'report.md'}, {out / 'curves.png'}")
    return 0


def compare_estimators(samples, args: argparse.Namespace) -> str:
    """Logistic regression, gradient boosting and their mean on the same site-grouped folds (markdown)."""
    from detector.learn.compare import Candidate, compare, format_results
    from detector.learn.train import HGB_PARAMS

    index = getattr(args, "index", True)
    cands = [
        Candidate(f"logistic regression C={args.C:g}", "lr", C=args.C, index=index),
        Candidate("gradient boosting", "hgb", dict(HGB_PARAMS), index=index),
        Candidate("mean of both (shipped kind)", "mean", index=index,
                  parts=(f"logistic regression C={args.C:g}", "gradient boosting")),
    ]
    return format_results(compare(samples, cands, seed=args.seed))
