"""Training variants measured on the honest evaluation (detector/learn/honest.py), same folds.

Reads the featurised samples that ``farmscan evaluate --cache FILE`` wrote (FILE and
FILE.nourl), whatever their key (labels are re-read from the current labelled set, so label
corrections do not need a re-featurisation), and prints one row of honest figures per variant:

    python tools/honest_compare.py --cache /tmp/samples.jsonl --variants base,site,site-no-llm [--loco]

Variants (comma-separated; combine with '+', e.g. ``site+no-llm``):

* ``base``: the shipped weights (:func:`detector.learn.train.sample_weights`);
* ``site`` / ``sqrtsite``: real pages weighted by 1/n (1/sqrt n) of the real pages of their site
  and label, rescaled so each label's real weight is unchanged (one site counts as one site);
  ``operator`` / ``sqrtoperator``: the same per operator (``labelled/operators.tsv``);
* ``no-llm``: without the simulated ``llm-autoblog`` pages; ``no-<recipe>`` likewise;
* ``hardneg``: originals of the collections holding farm pages weighted x2;
* ``nourl0``: train with every URL kept (no page read without its URL);
* ``drop``: without the features named by ``--drop`` (comma-separated; a name ending in ``.``
  drops a namespace), e.g. those that read the collection or the language rather than the farm.

Options beside the variants: ``--test-without-index`` trains as the variant says and scores each
test page without its ``index.*`` features (``farmscan score DIR`` has no index); ``--lr-drop``
names features the logistic part does not see (``detector.learn.train.LR_EXCLUDED``).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detector.learn import honest as hz  # noqa: E402
from detector.learn.dataset import Sample  # noqa: E402
from detector.learn.labelled import load_labelled  # noqa: E402
from detector.learn.sample_cache import load_cache  # noqa: E402
from detector.learn.train import group_of, sample_weights  # noqa: E402


def relabel(samples: list[Sample], examples: dict) -> list[Sample]:
    out = []
    for s in samples:
        ex = examples.get(s.id)
        if ex is not None:
            s.label, s.kind, s.confidence = int(ex.label == "farm"), ex.kind, ex.confidence
        out.append(s)
    return out


def without_features(s: Sample, gone: list[str]) -> Sample:
    """A copy of ``s`` without the named features (``ns.`` drops a namespace)."""
    feats = {k: v for k, v in s.features.items()
             if not any(k == g or (g.endswith(".") and k.startswith(g)) for g in gone)}
    return dataclasses.replace(s, features=feats)


def site_weights(power: float, by_operator: bool = False):
    def fn(samples: list[Sample]) -> np.ndarray:
        w = sample_weights(samples)
        real = [s.origin != "synthetic" for s in samples]
        key = (lambda s: (group_of(s.site), s.label)) if by_operator else (lambda s: (s.site, s.label))
        n = Counter(key(s) for s, r in zip(samples, real, strict=True) if r)
        new = w.copy()
        for i, s in enumerate(samples):
            if real[i]:
                new[i] = w[i] / n[key(s)] ** power
        for lab in (0, 1):
            m = np.array([r and s.label == lab for s, r in zip(samples, real, strict=True)])
            if m.any() and new[m].sum() > 0:
                new[m] *= w[m].sum() / new[m].sum()
        return new

    return fn


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", required=True)
    ap.add_argument("--variants", default="base")
    ap.add_argument("--labelled")
    ap.add_argument("--corpus")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--inner-folds", type=int, default=3)
    ap.add_argument("--loco", action="store_true")
    ap.add_argument("--loco-only", default="", help="comma-separated collections for --loco")
    ap.add_argument("--auc", action="store_true")
    ap.add_argument("--drop", default="", help="features the 'drop' variant goes without (comma-separated)")
    ap.add_argument("--lr-drop", help="features the logistic part does not see (comma-separated; '' for none; "
                    "default: detector.learn.train.LR_EXCLUDED)")
    ap.add_argument("--test-without-index", action="store_true",
                    help="score the test pages without their index.* features (as `farmscan score DIR` does)")
    ap.add_argument("--dump", help="write each development real page's out-of-fold scores here (JSON lines)")
    args = ap.parse_args()

    examples = {e.id: e for e in load_labelled(args.corpus, args.labelled)}
    if args.lr_drop is not None:
        from detector.learn import train

        train.LR_EXCLUDED = frozenset(d for d in args.lr_drop.split(",") if d)
    with_url = load_cache(args.cache, None)
    without = load_cache(args.cache + ".nourl", None)
    if with_url is None or without is None:
        sys.exit(f"no samples in {args.cache} and {args.cache}.nourl")
    datasets = {i: e.dataset for i, e in examples.items()}
    with_url, without = relabel(with_url, examples), relabel(without, examples)
    farm_colls = None
    rows = []
    for variant in args.variants.split(","):
        parts = variant.split("+")
        weights = None
        drop = {p[3:] for p in parts if p.startswith("no-") and p != "no-llm"}
        if "no-llm" in parts:
            drop.add("llm-autoblog")
        keep = [i for i, s in enumerate(with_url) if not (s.origin == "synthetic" and s.recipe in drop)]
        views = hz.Views([with_url[i] for i in keep], [without[i] for i in keep], datasets)
        if "drop" in parts:
            gone = [d for d in args.drop.split(",") if d]
            views = hz.Views([without_features(s, gone) for s in views.with_url],
                             [without_features(s, gone) for s in views.without_url], datasets)
        if "site" in parts:
            weights = site_weights(1.0)
        if "sqrtsite" in parts:
            weights = site_weights(0.5)
        if "operator" in parts:
            weights = site_weights(1.0, by_operator=True)
        if "sqrtoperator" in parts:
            weights = site_weights(0.5, by_operator=True)
        if "hardneg" in parts:
            farm_colls = set(hz.farm_collections(views))
            base = weights or sample_weights

            def weights(ss, base=base, farm_colls=farm_colls):
                w = base(ss).copy()
                for i, s in enumerate(ss):
                    if s.origin == "real" and s.label == 0 and datasets.get(s.id) in farm_colls:
                        w[i] *= 2.0
                return w
        if "nourl0" in parts:
            views.training = lambda idx, share=None, v=views: [v.with_url[i] for i in idx]  # type: ignore[method-assign]
        if args.test_without_index:
            # trained as the variant says; each test page scored without its index.* features,
            # as `farmscan score DIR` scores a file (no index)
            trained = views
            views = hz.Views([without_features(s, ["index."]) for s in trained.with_url],
                             [without_features(s, ["index."]) for s in trained.without_url], datasets)
            views.training = lambda idx, share=None, v=trained: v.training(idx, share)  # type: ignore[method-assign]
        figs, probs, dev = hz.nested_cv(views, seed=args.seed, folds=args.folds, inner_folds=args.inner_folds,
                                  weights=weights, progress=lambda m, v=variant: print(f"  {v}: {m}", file=sys.stderr))
        if args.dump:
            import json

            with open(f"{args.dump}.{variant}", "w", encoding="utf-8") as fh:
                for j, i in enumerate(dev):
                    s = views.with_url[i]
                    if s.origin != "synthetic":
                        fh.write(json.dumps({"id": s.id, "site": s.site, "label": s.label, "kind": s.kind,
                                             "confidence": s.confidence, "dataset": datasets.get(s.id, ""),
                                             "p_url": round(float(probs["with URL"][j]), 4),
                                             "p_nourl": round(float(probs["without URL"][j]), 4),
                                             "thr": round(float(probs["threshold"][j]), 4)}) + "\n")
        for f in figs.values():
            f.name = f"{variant} / {f.name}"
            rows.append(hz.figure_cells(f))
        print(hz.format_rows(hz.FIG_HEADER, rows[-2:], False), flush=True)
        if args.loco:
            only = [c for c in args.loco_only.split(",") if c] or None
            lrows = hz.loco(views, seed=args.seed, inner_folds=args.inner_folds, weights=weights, only=only,
                            progress=lambda m, v=variant: print(f"  {v}: {m}", file=sys.stderr))
            print(hz.format_rows(hz.LOCO_HEADER, [hz.loco_cells(r) for r in lrows], False), flush=True)
        if args.auc:
            print("collection AUC:", hz.collection_auc(views, seed=args.seed), flush=True)
    print()
    print(hz.format_rows(hz.FIG_HEADER, rows, True))


if __name__ == "__main__":
    main()
