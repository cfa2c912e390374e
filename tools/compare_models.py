"""Compare estimators on the same site-grouped folds (the table behind the model choice).

    python tools/compare_models.py --synthetic 2000 --seed 0 --cache /tmp/farmscan-samples.jsonl --fold-seeds 0,1,2

Takes the dataset options of ``farmscan train`` (``--cache`` avoids re-featurising). Prints one
markdown row per candidate as it finishes, then the table, the largest farm site and how many
real farm pages it holds. See :mod:`detector.learn.compare` for the columns.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import numpy as np

from detector.commands.train import add_dataset_arguments, build_samples
from detector.learn.compare import (
    Candidate,
    compare,
    format_results,
    largest_farm_site,
    mean_results,
)
from detector.learn.dataset import Sample
from detector.learn.train import sample_weights

HGB_REG = {"max_iter": 300, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 40, "l2_regularization": 1.0}


def site_balanced(samples: list[Sample]) -> np.ndarray:
    """The usual weights, but a real farm site's pages share its weight by ``1/sqrt(pages)``."""
    w = sample_weights(samples).copy()
    n = Counter(s.site for s in samples if s.origin != "synthetic" and s.label == 1)
    for i, s in enumerate(samples):
        if s.origin != "synthetic" and s.label == 1:
            w[i] /= np.sqrt(n[s.site])
    return w


def candidates(which: str) -> list[Candidate]:
    every = [
        Candidate("LR C=0.1", "lr", C=0.1),
        Candidate("LR C=0.1, no index features", "lr", C=0.1, index=False),
        Candidate("HGB default", "hgb", {}),
        Candidate("HGB monotone evidence", "hgb", {"monotone": True}),
        Candidate("HGB monotone evidence, 400 trees lr 0.05", "hgb", {"monotone": True, "max_iter": 400, "learning_rate": 0.05}),
        Candidate("HGB default, no index features", "hgb", {}, index=False),
        Candidate("HGB min_samples_leaf=10", "hgb", {"min_samples_leaf": 10}),
        Candidate("HGB slow (lr 0.05, 400 trees)", "hgb", {"learning_rate": 0.05, "max_iter": 400}),
        Candidate("HGB small trees (7 leaves, 300)", "hgb", {"max_leaf_nodes": 7, "max_iter": 300}),
        Candidate("HGB regularised", "hgb", HGB_REG),
        Candidate("HGB site-balanced weights", "hgb", {}, weights=site_balanced),
        Candidate("mean(LR, HGB default)", "mean", parts=("LR C=0.1", "HGB default")),
        Candidate("mean(LR, HGB monotone)", "mean", parts=("LR C=0.1", "HGB monotone evidence")),
    ]
    if which == "all":
        return every
    names = [x.strip() for x in which.split(";")]
    return [c for c in every if c.name in names]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_dataset_arguments(p)
    p.add_argument("--candidates", default="all", help="'all' or candidate names separated by ';'")
    p.add_argument("--samples", metavar="PATH",
                   help="read this sample cache whatever its key (no featurising; the dataset options are ignored)")
    p.add_argument("--fold-seeds", default="", help="comma-separated fold seeds to average over (default: --seed)")
    args = p.parse_args(argv)
    args.index = True
    if args.samples:
        from detector.learn.sample_cache import load_cache

        samples = load_cache(args.samples, None)
        if samples is None:
            p.error(f"{args.samples} is not a readable sample cache")
    else:
        samples = build_samples(args)
    top = largest_farm_site(samples)
    n_top = sum(s.site == top and s.label == 1 and s.origin != "synthetic" for s in samples)
    n_farm = sum(s.label == 1 and s.origin != "synthetic" for s in samples)
    print(f"{len(samples)} samples; real farms {n_farm}; largest farm site holds {n_top}", file=sys.stderr)
    seeds = [int(x) for x in args.fold_seeds.split(",") if x.strip()] or [args.seed]
    runs = []
    for seed in seeds:
        print(f"fold seed {seed}", file=sys.stderr, flush=True)
        runs.append(compare(samples, candidates(args.candidates), seed=seed,
                            progress=lambda row: print(row, file=sys.stderr, flush=True)))
        print(f"\nfold seed {seed}\n\n{format_results(runs[-1])}", flush=True)
    if len(runs) > 1:
        print(f"\nmean over fold seeds {','.join(map(str, seeds))} (hard: worst run)\n\n{format_results(mean_results(runs))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
