"""``farmscan train``: fit the model on labelled pages (+ simulated farms) and save it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from detector.learn.samples import SampleSpec

NAME = "train"
HELP = "train the classifier on labelled pages plus simulated farm pages; write a model file"


def add_dataset_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", help="corpus directory with labels.tsv and pages/ (default $FARMSCAN_CORPUS, else ../shared/corpus from the current directory)")
    p.add_argument("--labelled", help="the labelled/ directory (corrections, team examples, lockbox record; default $FARMSCAN_LABELLED, else ./labelled)")
    p.add_argument("--synthetic", type=int, default=3000, help="simulated pages to add (default 3000; 0 for none)")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed + same data = same model)")
    p.add_argument("--C", type=float, default=0.1, help="inverse regularisation strength of the logistic regression (--estimator lr)")
    p.add_argument(
        "--sources",
        default="corpus,seed,example",
        help="labelled sources to use, comma-separated from corpus, seed, example (default all)",
    )
    p.add_argument(
        "--estimator", choices=("lr", "hgb", "mean"), default=None,
        help="lr: logistic regression; hgb: gradient-boosted trees; mean: the mean of both (all plain JSON). "
             "train: default mean; evaluate: the kind of the evaluated model",
    )
    p.add_argument("--no-index", dest="index", action="store_false",
                   help="leave out the index.* features (copies and shared templates across the real pages)")
    p.add_argument("--cache", metavar="PATH",
                   help="JSONL cache of featurised samples, reused when its key (code, labels, pages, "
                        "--synthetic, --seed) matches; keep it outside the repo (it quotes the pages)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_dataset_arguments(p)
    p.add_argument("--out", required=True, help="where to write the model (JSON, checksummed)")
    p.add_argument("--with-lockbox", action="store_true",
                   help="train on the lockbox sites too (by default they are left out so that "
                        "`farmscan evaluate --open-lockbox` scores pages of sites the model never saw)")
    p.add_argument("--url-withheld", type=float, default=None, metavar="SHARE",
                   help="share of training pages read without their URL (default 0.5; 0 reads every page with it)")


# Chosen by site-grouped measurement on the real pages (tools/compare_models.py).
DEFAULT_ESTIMATOR = "mean"


def spec_from(args: argparse.Namespace) -> SampleSpec:
    """The sample set the dataset options name."""
    from detector.learn.samples import SampleSpec

    return SampleSpec(
        corpus=args.corpus, labelled=args.labelled,
        sources=tuple(x.strip() for x in args.sources.split(",") if x.strip()),
        synthetic=args.synthetic, seed=args.seed, index=getattr(args, "index", True), cache=getattr(args, "cache", None),
    )


def say_for(args: argparse.Namespace, prefix: str = "farmscan train") -> Callable[[str], None]:
    """Progress lines on stderr (nothing with ``--quiet``)."""
    if args.quiet:
        return lambda _msg: None
    return lambda msg: print(f"{prefix}: {msg}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from detector.commands._common import require
    from detector.commands._contract import check_output

    check_output(args.out, "--out")  # before minutes of fitting
    require("sklearn", *(["faker"] if args.synthetic else []))  # fitting; the simulator's fake names: [train]
    from detector.learn.evaluate import oof_metrics
    from detector.learn.samples import training_samples
    from detector.learn.train import fit

    args.estimator = args.estimator or DEFAULT_ESTIMATOR
    samples, share = training_samples(spec_from(args), url_withheld=args.url_withheld,
                                      with_lockbox=args.with_lockbox, say=say_for(args))
    n_real = sum(s.origin != "synthetic" for s in samples)
    meta = {
        "trained_on": {
            "real_pages": n_real,
            "real_farms": sum(s.label == 1 and s.origin != "synthetic" for s in samples),
            "synthetic_pages": len(samples) - n_real,
        },
        "seed": args.seed,
        "estimator": args.estimator,
        "index_features": args.index,
        "synthetic": args.synthetic,
        "sources": args.sources,
        "url_withheld_share": share,
        "lockbox": "included" if args.with_lockbox else "left out (detector/learn/honest.py in_lockbox)",
    }
    if args.estimator in ("lr", "mean"):
        meta["C"] = args.C
    if args.estimator in ("hgb", "mean"):
        from detector.learn.train import HGB_PARAMS

        meta["params"] = dict(HGB_PARAMS)
    model, probs = fit(samples, seed=args.seed, C=args.C, meta=meta, estimator=args.estimator)
    model.meta["metrics"] = oof_metrics(samples, probs, model.threshold)
    checksum = model.save(args.out)
    size = " + ".join(f"{len(p.trees)} trees" if hasattr(p, "trees") else "linear"
                      for p in getattr(model, "parts", [model]))
    print(f"wrote {args.out}: model {model.id}, {len(model.feature_names)} features ({size}), "
          f"threshold {model.threshold:.3f}, {checksum}")
    sys.stdout.flush()
    return 0
