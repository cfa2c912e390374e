"""``farmscan sites``: one verdict per site from many pages, blocklists and an HTML report."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

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
    plural,
    refuse_url_for_many,
    writing,
)
from detector.commands._progress import Progress
from detector.errors import InputError, UsageError, exit_code
from detector.options import Options
from detector.parallel import WorkItem
from detector.sites import SiteVerdict, judge_all, load_site_model
from detector.sites.aggregate import Rollup
from detector.sites.export import FORMATS, export
from detector.sites.facts import PageFacts, facts_from_record, facts_from_verdict
from detector.sources.warc import WarcStats

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
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="URL, file, directory, WARC, or - for 'farmscan score --format jsonl' records on stdin")
    p.add_argument("--input-file", metavar="LIST",
                   help="read inputs from LIST (- for stdin), one per line, optionally PATH<TAB>URL, as score does")
    p.add_argument("--output", "-o", metavar="FILE",
                   help="append each page's facts (what the site verdicts are built from) to FILE as JSON lines, "
                        "as pages are done")
    p.add_argument("--resume", action="store_true",
                   help="with --output: skip inputs already in FILE and roll their facts up with the new pages")
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
    add_jobs(p, "all cores, one per 16 inputs at most")
    add_errors(p)
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


def facts_of_item(work: WorkItem, options: Options, index: Any = None) -> tuple[list[PageFacts], WarcStats]:
    """Facts of every page of one input item (a file, a WARC, a URL). Each page is scored once
    and read for its site facts right after its verdict (parsed once), then dropped."""
    from detector.api import safe_load, score_documents
    from detector.sources.document import Document
    from detector.sources.load import load_path_or_url

    stats = WarcStats()
    if work.error is not None:
        docs: Iterable[Document] = [Document(work.input, error=InputError(work.error))]
    else:
        docs = safe_load(work.input, name=work.input, url=work.url, options=options,
                         loader=lambda src, url, options: load_path_or_url(src, url=url, options=options,
                                                                           warc_stats=stats))
    holder: dict[str, Any] = {}

    def kept(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            holder["page"] = doc.page
            yield doc

    out = []
    for v in score_documents(kept(docs), options=options, index=index):
        out.append(facts_from_verdict(v, holder.get("page") if v.error is None else None))
        holder.clear()
    return out, stats


def _pool_work(work: WorkItem) -> tuple[list[PageFacts], WarcStats]:
    from detector.parallel import _STATE

    return facts_of_item(work, _STATE["options"], _STATE["index"])


def iter_facts(items: list[WorkItem], options: Options, jobs: int, index: Any = None,
               index_path: str | None = None, ahead: int = 4) -> Iterator[tuple[list[PageFacts], WarcStats]]:
    """Facts of each item, in input order, on ``jobs`` processes (the same worker set-up as score's)."""
    if jobs <= 1:
        for item in items:
            yield facts_of_item(item, options, index)
        return
    from detector.model.load import load_model
    from detector.parallel import _init, ordered_map

    load_model(options.model, options.model_sha256)  # a bad --model fails before workers start
    yield from ordered_map(_pool_work, items, jobs, initializer=_init, initargs=(options, index_path), ahead=ahead)


def facts_record(f: PageFacts) -> dict[str, Any]:
    """One ``--output`` line: every fact of the page (no page text beyond its title)."""
    return dataclasses.asdict(f)


def facts_from_line(rec: dict[str, Any]) -> PageFacts | None:
    """A ``--output`` line back as :class:`PageFacts` (``None`` for a line that is not one)."""
    names = {f.name for f in dataclasses.fields(PageFacts)}
    if not isinstance(rec, dict) or not isinstance(rec.get("input"), str) or not set(rec) <= names:
        return None
    rec = dict(rec)
    rec["signals"] = [tuple(x) for x in rec.get("signals") or []]
    try:
        return PageFacts(**rec)
    except TypeError:
        return None


def read_facts(path: str) -> dict[str, PageFacts]:
    """The page facts a ``sites --output`` file holds, by input (a torn last line is ignored)."""
    done: dict[str, PageFacts] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    f = facts_from_line(json.loads(line))
                except json.JSONDecodeError:
                    continue
                if f is not None:
                    done[f.input] = f
    except FileNotFoundError:
        pass
    return done


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
    if args.inputs.count("-") + (args.input_file == "-") > 1:
        raise UsageError("'-' (stdin) can be given once")
    if not args.inputs and not args.input_file:
        raise UsageError("nothing to judge: give INPUT arguments or --input-file LIST")
    if args.input_file and args.url:
        raise UsageError("--url names one page; with --input-file give each file's URL on its line (PATH<TAB>URL)")
    if args.min_pages is not None and args.min_pages < 1:
        raise UsageError("--min-pages must be at least 1")
    for name in ("min_probability", "site_threshold"):
        value = getattr(args, name)
        if value is not None and not 0.0 <= value <= 1.0:
            raise UsageError(f"--{name.replace('_', '-')} must be between 0 and 1")
    if args.jobs is not None and args.jobs < 1 and args.jobs != -1:
        raise UsageError("--jobs must be at least 1, or -1 for all cores")
    if args.resume and not args.output:
        raise UsageError("--resume needs --output FILE")
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    if args.export and args.format:
        raise UsageError("--export prints a list; drop --format")
    for option, path in (("--html", args.html), ("--output", args.output), ("--errors", args.errors)):
        check_output(path, option)
    if args.output and not args.resume:
        import os

        if os.path.exists(args.output) and os.path.getsize(args.output) > 0:
            raise UsageError(f"{args.output} exists; pass --resume to continue it or remove it")
    model = load_site_model(args.site_model)
    attach_index(args)
    before = read_facts(args.output) if args.resume else {}
    options = options_from(args, explain=True)
    files = [i for i in args.inputs if i != "-"]
    all_items = list(work_items(files, args.url, args.input_file))
    refuse_url_for_many(args.url, len(all_items))
    items = [w for w in all_items if w.input not in before]
    from detector.parallel import default_jobs

    jobs = jobs_from(args.jobs, len(items), default=min(default_jobs(), -(-len(items) // 16)))
    progress = Progress(enabled=not args.quiet and (args.progress or sys.stderr.isatty()), total=len(items))
    failures = Failures(args.errors)
    rollup = Rollup()
    errors = flagged_pages = 0
    warc_stats = WarcStats()

    def take(f: PageFacts) -> None:
        nonlocal errors, flagged_pages
        rollup.add(f)
        errors += f.error is not None
        flagged_pages += f.label == "farm"
        if f.error is not None:
            failures.add(f.input, f.url, f.error)

    for f in before.values():
        take(f)
    try:
        if "-" in args.inputs:
            for f in records_from(sys.stdin):
                take(f)
                progress.add(1, f.label == "farm", f.error is not None)
        out = open(args.output, "a", encoding="utf-8") if args.output else None  # noqa: SIM115
        try:
            for facts, stats in iter_facts(items, options, jobs, getattr(args, "index_obj", None),
                                           getattr(args, "index", None)):
                progress.input_done()
                warc_stats.add(stats)
                for f in facts:
                    if f.input in before:
                        continue
                    take(f)
                    progress.add(1, f.label == "farm", f.error is not None, f.label is None and f.error is None)
                    if out is not None:
                        with writing(f"--output {args.output}", progress):
                            from detector.verdict import json_text

                            out.write(json_text(facts_record(f)) + "\n")
                            out.flush()
        finally:
            if out is not None:
                with writing(f"--output {args.output}", progress):
                    out.close()
    finally:
        progress.close()
        failures.close()
    verdicts = judge_all(rollup, site_model=model, min_pages=args.min_pages, threshold=args.site_threshold,
                         keep_pages=bool(args.html or args.pages))
    min_pages = model.min_pages if args.min_pages is None else args.min_pages
    flagged = sum(v.label == "farm" for v in verdicts)
    out = sys.stdout
    with writing("standard output", flagged):
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

        with writing(f"--html {args.html}", flagged):
            write_report(args.html, verdicts, pages=rollup.pages)
    if not args.quiet:
        few = sum(v.label is None for v in verdicts)
        print(f"farmscan: done: {progress.line()}; {plural(len(verdicts), 'site')}, {flagged} flagged, "
              f"{few} with too few pages" + (f" (jobs {jobs})" if jobs > 1 else ""), file=sys.stderr)
        if before:
            print(f"farmscan: {args.output} already held {plural(len(before), 'page')}", file=sys.stderr)
        if warc_stats.records:
            print(f"farmscan: {warc_stats.line()}", file=sys.stderr)
        failures.report()
    return exit_code(flagged, errors)
