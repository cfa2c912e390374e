"""``farmscan explain``: every feature value of a page and the evidence behind it."""

from __future__ import annotations

import argparse
import sys

from detector.commands._common import (
    INDEX_HELP,
    add_common,
    attach_index,
    options_from,
    work_items,
)
from detector.commands._contract import (
    Failures,
    add_errors,
    add_jobs,
    check_output,
    jobs_from,
    refuse_url_for_many,
    writing,
)
from detector.commands._progress import Progress
from detector.errors import UsageError
from detector.verdict import json_text

NAME = "explain"
HELP = "show every feature value of a page, its signed contribution to the log-odds, and the evidence"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="URL, file, directory, or - for stdin")
    p.add_argument("--input-file", metavar="LIST",
                   help="read inputs from LIST (- for stdin), one per line, optionally PATH<TAB>URL, as score does")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="output format (default text; json: one array of records, as score --format json)")
    add_jobs(p)
    add_errors(p)
    p.add_argument("--progress", action="store_true", help="print progress to stderr even when it is not a terminal")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress or summary on stderr")
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
    from detector.parallel import score_items

    if args.inputs.count("-") + (args.input_file == "-") > 1:
        raise UsageError("'-' (stdin) can be given once")
    if not args.inputs and not args.input_file:
        raise UsageError("nothing to explain: give INPUT arguments or --input-file LIST")
    if args.input_file and args.url:
        raise UsageError("--url names one page; with --input-file give each file's URL on its line (PATH<TAB>URL)")
    if args.jobs is not None and args.jobs < 1 and args.jobs != -1:
        raise UsageError("--jobs must be at least 1, or -1 for all cores")
    check_output(args.errors, "--errors")
    options = options_from(args, explain=True)
    attach_index(args)
    items = list(work_items(args.inputs, args.url, args.input_file))
    refuse_url_for_many(args.url, len(items))
    jobs = 1 if any(w.input == "-" for w in items) else jobs_from(args.jobs, len(items))
    progress = Progress(enabled=not args.quiet and (args.progress or sys.stderr.isatty()), total=len(items), bar=False)
    failures = Failures(args.errors)
    rows: list[dict] = []
    flagged = errors = 0
    try:
        with writing("standard output", progress):
            for _item, verdicts, _stats in score_items(items, options=options, jobs=jobs,
                                                       index=getattr(args, "index_obj", None),
                                                       index_path=getattr(args, "index", None)):
                progress.input_done()
                for v in verdicts:
                    progress.update(v)
                    flagged += v.label == "farm"
                    errors += v.error is not None
                    if v.error is not None:
                        failures.add(v.input, v.url, v.error)
                    if args.format == "json":
                        rows.append(v.to_dict())
                    else:
                        print_verdict(v)
            if args.format == "json":
                print(json_text(rows, indent=1))
            sys.stdout.flush()
    finally:
        progress.close()
        failures.close()
    if not args.quiet:
        print(f"farmscan: done: {progress.line()}" + (f" (jobs {jobs})" if jobs > 1 else ""), file=sys.stderr)
        failures.report()
    return exit_code(flagged, errors)


def print_verdict(v) -> None:
    print(f"== {v.input}")
    if v.error:
        print(f"   error: {v.error}")
        return
    print(f"   url: {v.url or '-'}")
    if v.abstain:
        print(f"   verdict: none ({v.abstain})")
        return
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
