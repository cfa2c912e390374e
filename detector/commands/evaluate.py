"""``farmscan evaluate``: the honest evaluation (:mod:`detector.learn.honest`): nested site-grouped
cross-validation with and without URLs, site-weighted recall, leave-one-collection-out, the
collection-readability check and the lockbox; a per-kind table, plots and a report."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from detector.commands.train import add_dataset_arguments, build_samples

NAME = "evaluate"
HELP = "honest evaluation: nested site-grouped CV with/without URLs, leave-one-collection-out, lockbox; report"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_dataset_arguments(p)
    p.add_argument("--model", help="model explained in the report and scored on the lockbox (default: the shipped "
                                   "one); read after the cross-validation")
    p.add_argument("--report-dir", default="reports", help="where to write report.md, curves.png, misclassified.jsonl")
    p.add_argument("--folds", type=int, default=5, help="outer site-grouped folds (default 5)")
    p.add_argument("--inner-folds", type=int, default=3,
                   help="inner folds each outer fold's model picks its calibration and threshold on (default 3)")
    p.add_argument("--no-loco", dest="loco", action="store_false", help="skip leave-one-collection-out (slow)")
    p.add_argument("--compare", action="store_true", help="also compare lr, hgb and mean on plain site-grouped folds")
    p.add_argument("--open-lockbox", action="store_true",
                   help="score the lockbox with --model once; the look is counted in labelled/lockbox.json")


def run(args: argparse.Namespace) -> int:
    from detector.commands._common import require

    require("sklearn", "matplotlib", *(["faker"] if args.synthetic else []))  # fitting, plots, simulator: [train]
    import numpy as np

    from detector.learn import evaluate as ev
    from detector.learn import honest as hz
    from detector.learn.labelled import load_labelled, resolve_labelled_dir
    from detector.model.ensemble import EnsembleModel
    from detector.model.load import load_model
    from detector.model.trees import TreeModel

    def say(msg: str) -> None:
        if not args.quiet:
            print(f"farmscan evaluate: {msg}", file=sys.stderr, flush=True)

    # The model is read after the cross-validation (it only explains pages and opens the lockbox),
    # so a run can start while the model it will report on is still being trained.
    estimator = args.estimator or "mean"
    labelled_dir = resolve_labelled_dir(args.labelled)
    sources = tuple(x.strip() for x in args.sources.split(",") if x.strip())
    datasets = {e.id: e.dataset for e in load_labelled(args.corpus, args.labelled, sources=sources)}
    views = hz.Views(build_samples(args), build_samples(args, urls=False), datasets)
    command = "farmscan evaluate " + " ".join(shlex.quote(a) for a in sys.argv[2:])

    figs, probs, dev = hz.nested_cv(views, seed=args.seed, folds=args.folds, inner_folds=args.inner_folds,
                                    estimator=estimator, progress=say)
    auc = hz.collection_auc(views, seed=args.seed)
    loco_rows = hz.loco(views, seed=args.seed, inner_folds=args.inner_folds, estimator=estimator,
                        progress=say) if args.loco else []
    model = load_model(args.model)
    kind = "mean" if isinstance(model, EnsembleModel) else "hgb" if isinstance(model, TreeModel) else "lr"
    if kind != estimator:
        say(f"note: cross-validated {estimator}, the model {model.id} is {kind}")
    box_rec = hz.read_lockbox(labelled_dir)
    if args.open_lockbox:
        hz.open_lockbox(views, model, labelled_dir, command)
        box_rec = hz.read_lockbox(labelled_dir)
    counts = hz.lockbox_site_counts(views)

    def honest_text(markdown: bool) -> str:
        out = [
            f"Development set: corpus pages outside the lockbox ({counts['farm_sites_in_lockbox']} of "
            f"{counts['farm_sites']} farm sites and {counts['original_sites_in_lockbox']} of "
            f"{counts['original_sites']} original-only sites are in the lockbox). {args.folds} outer folds grouped by "
            f"site; each fold's {estimator} model picks its calibration and threshold on {args.inner_folds} inner "
            f"folds of its own training pages (thresholds {', '.join(f'{t:.3f}' for t in figs['with URL'].thresholds)}). "
            "Real corpus pages only; seeds and the team's examples on their own column (`team farms`); "
            "`injected-spam` pages on their own column.",
            "",
            hz.format_rows(hz.FIG_HEADER, [hz.figure_cells(f) for f in figs.values()], markdown),
            "",
            f"Largest farm site (left out of `w/o top site`): {figs['with URL'].top_site}.",
            "",
            f"Collection readability (originals of {', '.join(auc.get('collections', []))} against the other "
            f"collections' originals, site-grouped out-of-fold ROC-AUC; 0.5 = the features cannot tell): "
            + ", ".join(f"{k} {v}" for k, v in auc.items() if k not in ("collections",)),
        ]
        if loco_rows:
            out += ["", "Leave one collection out (train on the others at their own nested threshold):", "",
                    hz.format_rows(hz.LOCO_HEADER, [hz.loco_cells(r) for r in loco_rows], markdown)]
        out += [""] + hz.lockbox_lines(box_rec, model.id)
        return "\n".join(out)

    print(honest_text(False))

    # The per-kind table from the same out-of-fold scores (with URLs), each page at its fold's threshold.
    dev_samples = [views.with_url[i] for i in dev]
    fold_thr = probs["threshold"]
    p_url = probs["with URL"]
    rows = ev.table(dev_samples, p_url, fold_thr)
    print("\nPer kind, development set, nested out-of-fold (with URLs; each page at its fold's threshold):")
    print(ev.format_table(rows))
    contrib = [model.predict(s.features)[1] for s in dev_samples]
    wrong = ev.misclassified(dev_samples, p_url, fold_thr, contrib)
    comparison = compare_estimators([views.with_url[i] for i in dev], args) if args.compare else ""
    out = Path(args.report_dir)
    out.mkdir(parents=True, exist_ok=True)
    thr_mid = float(np.median(figs["with URL"].thresholds))
    ev.plot(dev_samples, p_url, thr_mid, out / "curves.png")
    reached = ev.reach(dev_samples, p_url)
    report = ev.report_markdown(rows, wrong, thr_mid, model.id, command, comparison, "curves.png", reached,
                                honest=honest_text(True))
    (out / "report.md").write_text(report, encoding="utf-8")
    with (out / "misclassified.jsonl").open("w", encoding="utf-8") as fh:
        for w in wrong:
            fh.write(json.dumps(w, ensure_ascii=False) + "\n")
    (out / "honest.json").write_text(json.dumps(
        {"model": model.id, "command": command, "nested": {k: f.to_json() for k, f in figs.items()},
         "loco": loco_rows, "collection_auc": auc, "lockbox_sites": counts,
         "lockbox_looks": box_rec.get("looks", 0)}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\n{len(wrong)} misclassified real pages (listed in {out / 'report.md'})")
    for w in wrong:
        print(f"  {w['label']:<8} p={w['probability']:.3f} {w['kind']:<16} {w['id'][:60]}  {'; '.join(w['top_signals'][:2])}")
    if reached:
        print(ev.reach_sentence(reached))
    print(f"wrote {out / 'report.md'}, {out / 'honest.json'}, {out / 'curves.png'}")
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
