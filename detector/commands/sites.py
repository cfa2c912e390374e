"""``farmscan sites``: one verdict per site from many pages, blocklists and an HTML report."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from detector.commands._common import (
    INDEX_HELP,
    add_common,
    attach_index,
    iter_documents,
    options_from,
)
from detector.commands._progress import Progress
from detector.errors import UsageError, exit_code
from detector.sites import SiteVerdict, judge_all, load_site_model
from detector.sites.aggregate import Rollup
from detector.sites.export import FORMATS, export
from detector.sites.facts import PageFacts, facts_from_record, facts_from_verdict

NAME = "sites"
HELP = "roll many pages (files, directories, WARC, or - for score's JSONL) up into one verdict per site"
DESCRIPTION = (
    "Score every page of the inputs once, group pages by site (registrable domain; platform "
    "subdomains such as *.blogspot.com are sites of their own) and judge each site from its "
    "pages' probabilities and signals. '-' reads the JSONL verdicts of 'farmscan score'. "
    "Exit codes: 0 no site flagged, 1 some site flagged, 2 usage error or some input failed, "
    "3 some site flagged and some input failed."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="URL, file, directory, WARC, or - for 'farmscan score --format jsonl' records on stdin")
    p.add_argument("--format", choices=("table", "jsonl", "json"),
                   help="output format (default: table on a terminal, jsonl otherwise)")
    p.add_argument("--min-pages", type=int, default=None,
                   help="sites with fewer scored pages get no verdict ('too few pages') and are never exported "
                        "(default: the site model's minimum)")
    p.add_argument("--min-probability", type=float, default=0.0,
                   help="export only sites at or above this site probability (default 0: every farm site)")
    p.add_argument("--export", choices=FORMATS, help="print a blocklist of the farm sites instead of verdicts")
    p.add_argument("--html", metavar="PATH", help="also write a self-contained HTML report to PATH")
    p.add_argument("--site-model", metavar="PATH", help="site model file (default: the one shipped)")
    p.add_argument("--site-threshold", type=float, help="flag sites at or above this probability (default: the model's)")
    p.add_argument("--pages", action="store_true", help="with jsonl/json: include each site's kept pages and site features")
    p.add_argument("--progress", action="store_true", help="print progress to stderr even when it is not a terminal")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress or summary on stderr")
    p.add_argument("--index", metavar="PATH", help=INDEX_HELP)
    add_common(p)


def records_from(stream: TextIO) -> Iterator[PageFacts]:
    """Facts of ``farmscan score`` JSONL records; a line that is not one becomes a failed page."""
    for i, line in enumerate(stream, 1):
        line = line.strip()
        if not line:
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            rec = None
        if not isinstance(rec, dict) or "input" not in rec:
            yield PageFacts(input=f"-#{i}", url=None, site="?-", probability=None, label=None,
                            error="input: stdin line is not a farmscan score record")
            continue
        yield facts_from_record(rec)


def page_facts(args: argparse.Namespace) -> Iterator[PageFacts]:
    from detector.api import score_documents

    options = options_from(args, explain=True)
    files = [i for i in args.inputs if i != "-"]
    if "-" in args.inputs:
        yield from records_from(sys.stdin)
    if not files:
        return
    # Documents are scored one at a time; the page (parsed once) is read for site facts right
    # after its verdict, then dropped.
    holder: dict[str, Any] = {}

    def docs():
        for doc in iter_documents(files, args, options):
            holder["page"] = doc.page
            yield doc

    for v in score_documents(docs(), options=options, index=getattr(args, "index_obj", None)):
        yield facts_from_verdict(v, holder.get("page") if v.error is None else None)
        holder.clear()


def format_table(verdicts: list[SiteVerdict], out: TextIO) -> None:
    print(f"{'LABEL':<8} {'PROB':>5} {'PAGES':>5} {'FLAG':>4}  SITE / KIND / TOP SIGNALS", file=out)
    for v in verdicts:
        prob = "  -  " if v.probability is None else f"{v.probability:5.2f}"
        label = v.label or "null"
        head = f"{label:<8} {prob} {v.pages - v.errors:>5} {v.pages_flagged:>4}  {v.site}"
        if v.kind:
            head += f"  [{v.kind}]"
        print(head, file=out)
        if v.note:
            print(f"{'':>26}{v.note}", file=out)
        for s in v.signals[:3]:
            ev = f": {s.evidence[0]}" if s.evidence else ""
            print(f"{'':>26}{s.name} +{s.score:.2f}{ev}", file=out)


def run(args: argparse.Namespace) -> int:
    if args.inputs.count("-") > 1:
        raise UsageError("'-' (stdin) can be given once")
    if args.min_pages is not None and args.min_pages < 1:
        raise UsageError("--min-pages must be at least 1")
    for name in ("min_probability", "site_threshold"):
        value = getattr(args, name)
        if value is not None and not 0.0 <= value <= 1.0:
            raise UsageError(f"--{name.replace('_', '-')} must be between 0 and 1")
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    if args.export and args.format:
        raise UsageError("--export prints a list; drop --format")
    model = load_site_model(args.site_model)
    attach_index(args)
    progress = Progress(enabled=not args.quiet and (args.progress or sys.stderr.isatty()))
    rollup = Rollup()
    errors = 0
    for f in page_facts(args):
        rollup.add(f)
        errors += f.error is not None
        progress.add(1, f.label == "farm", f.error is not None)
    verdicts = judge_all(rollup, site_model=model, min_pages=args.min_pages, threshold=args.site_threshold,
                         keep_pages=bool(args.html or args.pages))
    min_pages = model.min_pages if args.min_pages is None else args.min_pages
    out = sys.stdout
    if args.export:
        out.write(export(verdicts, args.export, min_pages=min_pages, min_probability=args.min_probability))
    elif fmt == "table":
        format_table(verdicts, out)
    elif fmt == "jsonl":
        for v in verdicts:
            out.write(json.dumps(v.to_dict(pages=args.pages), ensure_ascii=False) + "\n")
    else:
        json.dump([v.to_dict(pages=args.pages) for v in verdicts], out, ensure_ascii=False, indent=1)
        out.write("\n")
    out.flush()
    if args.html:
        from detector.sites.report import write_report

        write_report(args.html, verdicts, pages=rollup.pages)
    flagged = sum(v.label == "farm" for v in verdicts)
    if not args.quiet:
        print(f"farmscan: done: {progress.line()}; {len(verdicts)} sites, {flagged} flagged, "
              f"{sum(v.label is None for v in verdicts)} with too few pages", file=sys.stderr)
    progress.close()
    return exit_code(flagged, errors)
