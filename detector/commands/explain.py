"""``farmscan explain``: every feature value of a page and the evidence behind it."""

from __future__ import annotations

import argparse
import sys

from detector.api import score_documents
from detector.commands._common import (
    INDEX_HELP,
    add_common,
    attach_index,
    iter_documents,
    options_from,
)
from detector.verdict import json_text

NAME = "explain"
HELP = "show every feature value of a page, its signed contribution to the log-odds, and the evidence"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="URL, file, directory, or - for stdin")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p.add_argument("--index", metavar="PATH", help=INDEX_HELP)
    add_common(p)


def print_contributions(v, out=None) -> None:
    """Every feature: value, signed contribution to the log-odds, evidence; then the sum."""
    out = out or sys.stdout
    contrib = v.contributions or {}
    names = sorted(set(v.features or {}) | set(contrib), key=lambda n: (-abs(contrib.get(n, 0.0)), n))
    print(f"   {'feature':<34} {'value':>10} {'contrib':>8}  evidence", file=out)
    for name in names:
        ev = (v.evidence or {}).get(name, [])
        value = (v.features or {}).get(name, 0.0)
        print(f"   {name:<34} {value:>10.4g} {contrib.get(name, 0.0):>+8.3f}  {'; '.join(ev[:4])}", file=out)
    pos = sum(c for c in contrib.values() if c > 0)
    neg = sum(c for c in contrib.values() if c < 0)
    print(f"   log-odds {v.log_odds:+.3f} = base {v.base:+.3f} + toward farm {pos:+.3f} + toward original {neg:+.3f}", file=out)
    if v.reasons:
        print(f"   over the threshold because of: {', '.join(v.reasons)}", file=out)


def run(args: argparse.Namespace) -> int:
    from detector.errors import exit_code

    options = options_from(args, explain=True)
    attach_index(args)
    flagged = errors = 0
    for v in score_documents(iter_documents(args.inputs, args, options), options=options, index=getattr(args, "index_obj", None)):
        flagged += v.label == "farm"
        errors += v.error is not None
        if args.format == "json":
            print(json_text(v.to_dict()))
            continue
        print(f"== {v.input}")
        if v.error:
            print(f"   error: {v.error}")
            continue
        print(f"   url: {v.url or '-'}")
        if v.abstain:
            print(f"   verdict: none ({v.abstain})")
            continue
        print(f"   verdict: {v.label}  probability {v.probability:.3f}  threshold {v.threshold:.3f}  model {v.model}")
        if v.truncated:
            print("   note: page was cut at the size budget; scored on what was read")
        print_contributions(v)
        if v.copy_of:
            print("   copy of:")
            for m in v.copy_of:
                name = m.get("id") or m.get("url")
                if m.get("url") and m.get("url") != name:
                    name += f" ({m['url']})"
                print(f"     {name}  similarity {m.get('similarity')}  {m.get('direction', '')}  "
                      f"original_likely={m.get('original_likely')}  ({m.get('why')})")
        if v.template_sites is not None:
            print(f"   template shared by {v.template_sites} other site(s)")
    sys.stdout.flush()
    return exit_code(flagged, errors)
