"""``farmscan evaluate``'s work: the honest figures, the per-kind table, the report files.

:func:`evaluate` runs the nested site-grouped cross-validation (with and without URLs),
leave-one-collection-out, the collection-readability check and, when asked, the one look at
the lockbox (:mod:`detector.learn.honest`); it writes ``report.md``, ``honest.json``,
``misclassified.jsonl`` and ``curves.png`` and returns the text the command prints. Progress
goes to a ``say`` callback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from detector.learn import evaluate as ev
from detector.learn import honest as hz
from detector.learn.labelled import load_labelled, resolve_labelled_dir
from detector.learn.samples import SampleSpec, Say, build_samples
from detector.model.ensemble import EnsembleModel
from detector.model.load import load_model
from detector.model.trees import TreeModel

MIN_LANGUAGE_ORIGINALS = 50  # languages with fewer originals get no row of their own


def evaluate(
    spec: SampleSpec,
    *,
    command: str,
    report_dir: str,
    model_path: str | None = None,
    estimator: str = "mean",
    folds: int = 5,
    inner_folds: int = 3,
    loco: bool = True,
    open_lockbox: bool = False,
    compare: bool = False,
    C: float = 0.1,
    say: Say,
) -> str:
    """Evaluate honestly, write the report files into ``report_dir``; the printable summary."""
    # The model is read after the cross-validation (it only explains pages and opens the lockbox),
    # so a run can start while the model it will report on is still being trained.
    labelled_dir = resolve_labelled_dir(spec.labelled)
    examples = load_labelled(spec.corpus, spec.labelled, sources=spec.sources)
    datasets = {e.id: e.dataset for e in examples}
    languages = {e.id: e.language for e in examples}
    views = hz.Views(build_samples(spec, say=say), build_samples(spec, urls=False, say=say), datasets)

    figs, probs, dev = hz.nested_cv(views, seed=spec.seed, folds=folds, inner_folds=inner_folds,
                                    estimator=estimator, progress=say)
    auc = hz.collection_auc(views, seed=spec.seed)
    loco_rows = hz.loco(views, seed=spec.seed, inner_folds=inner_folds, estimator=estimator,
                        progress=say) if loco else []
    model = load_model(model_path)
    kind = "mean" if isinstance(model, EnsembleModel) else "hgb" if isinstance(model, TreeModel) else "lr"
    if kind != estimator:
        say(f"note: cross-validated {estimator}, the model {model.id} is {kind}")
    box_rec = hz.read_lockbox(labelled_dir)
    if open_lockbox:
        hz.open_lockbox(views, model, labelled_dir, command)
        box_rec = hz.read_lockbox(labelled_dir)
    counts = hz.lockbox_site_counts(views)

    def honest_text(markdown: bool) -> str:
        out = [
            f"Development set: corpus pages outside the lockbox ({counts['farm_sites_in_lockbox']} of "
            f"{counts['farm_sites']} farm sites and {counts['original_sites_in_lockbox']} of "
            f"{counts['original_sites']} original-only sites are in the lockbox). {folds} outer folds grouped by "
            f"site; each fold's {estimator} model picks its calibration and threshold on {inner_folds} inner "
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
        dev_real = [views.with_url[i] for i in dev]
        flags = {k: probs[k] >= probs["threshold"] for k in ("with URL", "without URL")}
        out += ["", "Per collection, nested out of fold (each page at its fold's threshold):", "",
                hz.format_rows(hz.BREAKDOWN_HEADER, hz.breakdown(dev_real, flags, lambda s: datasets.get(s.id, "")),
                               markdown),
                "", f"Per language with at least {MIN_LANGUAGE_ORIGINALS} originals, nested out of fold:", "",
                hz.format_rows(hz.BREAKDOWN_HEADER, hz.breakdown(dev_real, flags, lambda s: languages.get(s.id, ""),
                                                                 MIN_LANGUAGE_ORIGINALS), markdown)]
        if loco_rows:
            out += ["", "Leave one collection out (train on the others at their own nested threshold):", "",
                    hz.format_rows(hz.LOCO_HEADER, [hz.loco_cells(r) for r in loco_rows], markdown)]
        out += [""] + hz.lockbox_lines(box_rec, model.id)
        return "\n".join(out)

    lines = [honest_text(False)]

    # The per-kind table from the same out-of-fold scores (with URLs), each page at its fold's threshold.
    dev_samples = [views.with_url[i] for i in dev]
    fold_thr = probs["threshold"]
    p_url = probs["with URL"]
    rows = ev.table(dev_samples, p_url, fold_thr)
    lines += ["", "Per kind, development set, nested out-of-fold (with URLs; each page at its fold's threshold):",
              ev.format_table(rows)]
    contrib = [model.predict(s.features)[1] for s in dev_samples]
    wrong = ev.misclassified(dev_samples, p_url, fold_thr, contrib)
    comparison = compare_estimators([views.with_url[i] for i in dev], spec, C) if compare else ""
    out = Path(report_dir)
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
    lines += ["", f"{len(wrong)} misclassified real pages (listed in {out / 'report.md'})"]
    lines += [f"  {w['label']:<8} p={w['probability']:.3f} {w['kind']:<16} {w['id'][:60]}  {'; '.join(w['top_signals'][:2])}"
              for w in wrong]
    if reached:
        lines.append(ev.reach_sentence(reached))
    lines.append(f"wrote {out / 'report.md'}, {out / 'honest.json'}, {out / 'curves.png'}")
    return "\n".join(lines)




def compare_estimators(samples: list[Any], spec: SampleSpec, C: float) -> str:
    """Logistic regression, gradient boosting and their mean on the same site-grouped folds (markdown)."""
    from detector.learn.compare import Candidate, compare, format_results
    from detector.learn.train import HGB_PARAMS

    index = spec.index
    cands = [
        Candidate(f"logistic regression C={C:g}", "lr", C=C, index=index),
        Candidate("gradient boosting", "hgb", dict(HGB_PARAMS), index=index),
        Candidate("mean of both (shipped kind)", "mean", index=index,
                  parts=(f"logistic regression C={C:g}", "gradient boosting")),
    ]
    return format_results(compare(samples, cands, seed=spec.seed))
