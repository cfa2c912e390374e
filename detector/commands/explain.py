"""``farmscan explain``: every feature value of a page and the evidence behind it."""

from __future__ import annotations

import argparse
import sys

from detector.api import score_documents
from detector.commands.index import INDEX_HELP, attach_index
from detector.commands.score import add_common, iter_documents, options_from
from detector.verdict import json_text

NAME = "explain"
HELP = "show every feature value of a page, its contribution, and the evidence behind it"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="URL, file, directory, or - for stdin")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    p.add_argument("--index", metavar="PATH", help=INDEX_HELP)
    add_common(p)


def run(args: argparse.Namespace) -> int:
    from detector.cli import EXIT_ERROR, EXIT_FLAGGED, EXIT_OK

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
        print(f"   verdict: {v.label}  probability {v.probability:.3f}  threshold {v.threshold:.3f}  model {v.model}")
        if v.truncated:
            print("   note: page was cut at the size budget; scored on what was read")
        contrib = {s.name: s.score for s in v.signals}
        print(f"   {'feature':<34} {'value':>10} {'contrib':>8}  evidence")
        for name, value in sorted((v.features or {}).items()):
            ev = (v.evidence or {}).get(name, [])
            c = f"{contrib[name]:+.3f}" if name in contrib else ""
            print(f"   {name:<34} {value:>10.4g} {c:>8}  {'; '.join(ev[:4])}")
        if v.copy_of:
            print("   copy of:")
            for m in v.copy_of:
                print(f"     {m.get('url')}  similarity {m.get('similarity')}  original_likely={m.get('original_likely')}  ({m.get('why')})")
        if v.template_sites is not None:
            print(f"   template shared by {v.template_sites} other site(s)")
    sys.stdout.flush()
    if errors:
        return EXIT_ERROR
    return EXIT_FLAGGED if flagged else EXIT_OK
