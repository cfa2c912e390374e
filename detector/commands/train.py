"""``farmscan train``: fit the model on labelled pages (+ simulated farms) and save it."""

from __future__ import annotations

import argparse
import sys

NAME = "train"
HELP = "train the classifier on labelled pages plus simulated farm pages; write a model file"


def add_dataset_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", help="corpus directory with labels.tsv and pages/ (default ../shared/corpus or $FARMSCAN_CORPUS)")
    p.add_argument("--labelled", help="the labelled/ directory (corrections, team examples; default ./labelled)")
    p.add_argument("--synthetic", type=int, default=3000, help="simulated pages to add (default 3000; 0 for none)")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed + same data = same model)")
    p.add_argument("--C", type=float, default=0.1, help="inverse regularisation strength of the logistic regression")
    p.add_argument(
        "--sources",
        default="corpus,seed,example",
        help="labelled sources to use, comma-separated from corpus, seed, example (default all)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_dataset_arguments(p)
    p.add_argument("--out", required=True, help="where to write the model (JSON, checksummed)")


def build_samples(args: argparse.Namespace):
    from detector.labelled import load_labelled, read_page_bytes
    from detector.train import real_samples, synthetic_samples

    sources = tuple(x.strip() for x in args.sources.split(",") if x.strip())
    examples = load_labelled(args.corpus, args.labelled, sources=sources)
    progress = not args.quiet
    real = real_samples(examples, read_page_bytes, progress=progress)
    # Simulated farms are made from real originals (corpus ones when the corpus is used).
    originals = [e for e in examples if e.label == "original" and (e.source == "corpus" or "corpus" not in sources)]
    syn = synthetic_samples(originals, args.synthetic, args.seed, progress=progress)
    return real + syn


def oof_metrics(samples, probs, threshold: float) -> dict:
    """Site-grouped out-of-fold metrics on real pages, stored in the model file."""
    import numpy as np

    from detector.evaluate import metrics

    real = np.array([s.origin != "synthetic" for s in samples])
    y = np.array([s.label for s in samples])
    clear = np.array([s.label == 0 or s.confidence == "clear" for s in samples])
    hard = np.array([s.confidence == "hard" for s in samples])
    out = {}
    for name, mask in (("real", real), ("real_clear", real & clear), ("synthetic", ~real)):
        if mask.any():
            r = metrics(name, y[mask], probs[mask], threshold)
            out[name] = {k: (None if v is None else round(float(v), 4)) for k, v in vars(r).items() if k != "group"}
    out["hard_originals_flagged"] = int((probs[hard] >= threshold).sum()) if hard.any() else 0
    out["evaluation"] = "5-fold cross-validation grouped by site, out-of-fold probabilities"
    return out


def run(args: argparse.Namespace) -> int:
    from detector.train import fit

    samples = build_samples(args)
    n_real = sum(s.origin != "synthetic" for s in samples)
    meta = {
        "trained_on": {
            "real_pages": n_real,
            "real_farms": sum(s.label == 1 and s.origin != "synthetic" for s in samples),
            "synthetic_pages": len(samples) - n_real,
        },
        "seed": args.seed,
        "C": args.C,
        "synthetic": args.synthetic,
        "sources": args.sources,
    }
    model, probs = fit(samples, seed=args.seed, C=args.C, meta=meta)
    model.meta["metrics"] = oof_metrics(samples, probs, model.threshold)
    checksum = model.save(args.out)
    print(f"wrote {args.out}: model {model.id}, {len(model.feature_names)} features, threshold {model.threshold:.3f}, {checksum}")
    sys.stdout.flush()
    return 0
