"""``farmscan train``: fit the model on labelled pages (+ simulated farms) and save it."""

from __future__ import annotations

import argparse
import sys

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


def build_samples(args: argparse.Namespace, *, urls: bool = True):
    """Featurised labelled + simulated samples (from ``--cache`` when its key matches).

    ``urls=False``: every page read without its URL (cached in ``<cache>.nourl``)."""

    from detector.learn import dataset
    from detector.learn.labelled import load_labelled, read_page_bytes, resolve_labelled_dir

    sources = tuple(x.strip() for x in args.sources.split(",") if x.strip())
    examples = load_labelled(args.corpus, args.labelled, sources=sources)
    progress = not args.quiet
    index = getattr(args, "index", True)
    cache = getattr(args, "cache", None)
    if cache and not urls:
        cache = f"{cache}.nourl"
    key = ""
    if cache:
        from detector.learn.sample_cache import cache_key, load_cache

        labelled_dir = resolve_labelled_dir(args.labelled)
        key = cache_key(examples, labelled_dir=labelled_dir,
                        synthetic=args.synthetic, seed=args.seed, index=index, urls=urls)
        samples = load_cache(cache, key)
        if samples is not None:
            if progress:
                print(f"farmscan train: {len(samples)} samples from cache {cache}", file=sys.stderr, flush=True)
            return samples
    # Simulated farms are made from real originals (corpus ones when the corpus is used).
    originals = [e for e in examples if e.label == "original" and (e.source == "corpus" or "corpus" not in sources)]
    samples = dataset.build_samples(examples, read_page_bytes, synthetic=args.synthetic, seed=args.seed,
                                    originals=originals, index=index, progress=progress, urls=urls)
    if cache:
        from detector.learn.sample_cache import save_cache

        save_cache(cache, key, samples)
        if progress:
            print(f"farmscan train: wrote {len(samples)} samples to cache {cache}", file=sys.stderr, flush=True)
    return samples


def oof_metrics(samples, probs, threshold: float) -> dict:
    """Site-grouped out-of-fold metrics on real pages, stored in the model file."""
    import numpy as np

    from detector.learn.evaluate import metrics

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


# Chosen by site-grouped measurement on the real pages (tools/compare_models.py).
DEFAULT_ESTIMATOR = "mean"


def training_samples(args: argparse.Namespace):
    """The samples the shipped model is fitted on: a fixed share read without their URL
    (:func:`detector.learn.dataset.withhold_urls`), the lockbox sites left out unless asked."""
    from detector.learn.dataset import URL_WITHHELD_SHARE, withhold_urls
    from detector.learn.honest import lockbox_mask

    share = URL_WITHHELD_SHARE if getattr(args, "url_withheld", None) is None else args.url_withheld
    samples = build_samples(args)
    if share > 0:
        samples = withhold_urls(samples, build_samples(args, urls=False), share)
    if not getattr(args, "with_lockbox", False):
        box = lockbox_mask(samples)
        samples = [s for s, b in zip(samples, box, strict=True) if not b]
    return samples, share


def run(args: argparse.Namespace) -> int:
    from detector.commands._common import require

    require("sklearn", *(["faker"] if args.synthetic else []))  # fitting; the simulator's fake names: [train]
    from detector.learn.train import fit

    args.estimator = args.estimator or DEFAULT_ESTIMATOR
    samples, share = training_samples(args)
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
