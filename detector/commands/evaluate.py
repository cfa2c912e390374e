"""``farmscan evaluate``: the honest evaluation (:mod:`detector.learn.honest`): nested site-grouped
cross-validation with and without URLs, site-weighted recall, leave-one-collection-out, the
collection-readability check and the lockbox; a per-kind table, plots and a report."""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from collections.abc import Callable

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
    p.add_argument("--quick", action="store_true",
                   help="a first look: --no-loco, 3 outer and 2 inner folds (unless given); figures are rougher")
    p.add_argument("--compare", action="store_true", help="also compare lr, hgb and mean on plain site-grouped folds")
    p.add_argument("--open-lockbox", action="store_true",
                   help="score the lockbox with --model once; the look is counted in labelled/lockbox.json")


QUICK = {"folds": 3, "inner_folds": 2}
DEFAULTS = {"folds": 5, "inner_folds": 3}


class Eta:
    """Progress lines with the elapsed time and, once a model has been fitted, an estimate of
    the time left: every outer fold and every left-out collection is one fit of about the same
    size, so the time left is the mean time of a fit so far times the fits still to come."""

    def __init__(self, say: Callable[[str], None], fits: int) -> None:
        self.say, self.fits, self.done = say, max(1, fits), 0
        self.start = time.monotonic()

    def __call__(self, msg: str) -> None:
        now = time.monotonic()
        if self.done == 0 and not msg.startswith(("outer fold ", "LOCO ")):
            self.start = now  # the fits start after featurising: time them from there
        if msg.startswith(("outer fold ", "LOCO ")):
            self.done += 1
            left = max(0, self.fits - self.done)
            per = (now - self.start) / self.done
            msg += f" [{_clock(now - self.start)} elapsed, about {_clock(per * left)} left]" if left else \
                f" [{_clock(now - self.start)} elapsed]"
        self.say(msg)


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds + 0.5), 60)
    h, m = divmod(m, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s"


def _collections(args: argparse.Namespace) -> int:
    """How many corpus collections leave-one-collection-out will fit (for the ETA)."""
    try:
        from detector.learn.labelled import load_labelled

        return len({e.dataset for e in load_labelled(args.corpus, args.labelled, sources=("corpus",)) if e.dataset})
    except Exception:  # noqa: BLE001 - an ETA is a nicety; the run reports the real error
        return 0


def run(args: argparse.Namespace) -> int:
    from detector.commands._common import require
    from detector.commands._contract import check_output

    if args.quick:
        args.loco = False
        for name, value in QUICK.items():
            if getattr(args, name) == DEFAULTS[name]:
                setattr(args, name, value)
    check_output(args.report_dir, "--report-dir", directory=True)
    require("sklearn", "matplotlib", *(["faker"] if args.synthetic else []))  # fitting, plots, simulator: [train]
    from detector.learn.report import evaluate

    say = say_for(args, "farmscan evaluate")
    eta = Eta(say, args.folds + (_collections(args) if args.loco else 0))
    # The model is read after the cross-validation (it only explains pages and opens the lockbox),
    # so a run can start while the model it will report on is still being trained.
    print(evaluate(
        spec_from(args), command="farmscan evaluate " + " ".join(shlex.quote(a) for a in sys.argv[2:]),
        report_dir=args.report_dir, model_path=args.model, estimator=args.estimator or "mean", folds=args.folds,
        inner_folds=args.inner_folds, loco=args.loco, open_lockbox=args.open_lockbox, compare=args.compare,
        C=args.C, say=eta,
    ))
    return 0
