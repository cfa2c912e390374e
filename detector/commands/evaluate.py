"""``farmscan evaluate``: the honest evaluation (:mod:`detector.learn.honest`): nested site-grouped
cross-validation with and without URLs, site-weighted recall, leave-one-collection-out, the
collection-readability check and the lockbox; a per-kind table, plots and a report."""

from __future__ import annotations

import argparse
import shlex
import sys

from detector.commands.train import add_dataset_arguments, say_for, spec_from

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
    from detector.learn.report import evaluate

    # The model is read after the cross-validation (it only explains pages and opens the lockbox),
    # so a run can start while the model it will report on is still being trained.
    print(evaluate(
        spec_from(args), command="farmscan evaluate " + " ".join(shlex.quote(a) for a in sys.argv[2:]),
        report_dir=args.report_dir, model_path=args.model, estimator=args.estimator or "mean", folds=args.folds,
        inner_folds=args.inner_folds, loco=args.loco, open_lockbox=args.open_lockbox, compare=args.compare,
        C=args.C, say=say_for(args, "farmscan evaluate"),
    ))
    return 0
