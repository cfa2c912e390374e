"""``farmscan score``: verdicts for URLs, files, directories, input lists and stdin."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from detector.commands._common import (
    INDEX_HELP,
    add_common,
    attach_index,
    options_from,
    require,
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
from detector.errors import UsageError, exit_code
from detector.options import Options
from detector.parallel import WorkItem
from detector.sources.document import display_name
from detector.sources.warc import WarcStats
from detector.verdict import Verdict, json_text

NAME = "score"
PER_PROCESS = 16  # inputs per worker process below which the default --jobs uses fewer processes
HELP = "score pages (URL, file, directory, or - for stdin) and print verdicts"
DESCRIPTION = (
    "Score each input as a content farm / scraped copy or an original page. Directories are "
    "read recursively; '-' reads standard input; --input-file LIST reads one input per line, "
    "optionally PATH<TAB>URL. Exit codes: 0 none flagged, 1 some flagged, "
    "2 usage error or some input failed, 3 some flagged and some input failed. Inputs that are "
    "not pages get no label and do not change the exit code."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="URL, file, directory, or - for stdin")
    p.add_argument(
        "--input-file",
        metavar="LIST",
        help="read inputs from LIST (- for stdin), one per line, optionally PATH<TAB>URL (the URL "
        "the file was saved from); blank lines and # comments are skipped, a bad line is reported "
        "as a failed record and the batch goes on",
    )
    p.add_argument(
        "--format",
        choices=("table", "jsonl", "json"),
        help="output format (default: table on a terminal, jsonl otherwise)",
    )
    p.add_argument("--output", "-o", help="append JSONL records to this file as they are done (implies jsonl)")
    p.add_argument("--resume", action="store_true", help="with --output: skip inputs already in the file")
    p.add_argument("--explain", action="store_true", help="include every feature value and its evidence")
    add_jobs(p, "all cores, one per 16 inputs at most")
    add_errors(p)
    p.add_argument("--progress", action="store_true", help="print progress to stderr even when it is not a terminal")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress or summary on stderr")
    p.add_argument("--verbose", "-v", action="store_true", help="list the files a directory walk skipped, and why")
    p.add_argument("--index", metavar="PATH", help=INDEX_HELP)
    d = p.add_argument_group("cluster (dask.distributed)")
    d.add_argument("--dask", metavar="ADDRESS", help="score on a Dask cluster: local:N (N worker processes) or tcp://host:8786")
    d.add_argument("--out-dir", help="with --dask: directory for the output partitions (must be visible to every worker)")
    d.add_argument("--out-format", choices=("parquet", "jsonl"), help="with --dask: partition format (default parquet)")
    d.add_argument("--partition-size", type=int, help="with --dask: page files per task; each WARC file is its own task (default 500)")
    add_common(p)


def read_done(path: str) -> set[str]:
    """Inputs already recorded in a JSONL output file (a torn last line is ignored)."""
    return set(read_records(path))


def read_records(path: str) -> dict[str, dict[str, Any]]:
    """The records of a JSONL output file by input (a torn last line is ignored)."""
    done: dict[str, dict[str, Any]] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(rec, dict) and isinstance(rec.get("input"), str):
                    done[rec["input"]] = rec
    except FileNotFoundError:
        pass
    return done


def _repair_tail(path: str) -> None:
    """Cut a torn last line (a run killed mid-write) so appended records stay one per line."""
    try:
        with open(path, "rb+") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            if size == 0:
                return
            fh.seek(max(0, size - 1))
            if fh.read(1) == b"\n":
                return
            fh.seek(0)
            data = fh.read()
            cut = data.rfind(b"\n") + 1
            fh.truncate(cut)
    except FileNotFoundError:
        pass


def _printable(s: str) -> str:
    return s.encode("utf-8", "backslashreplace").decode("utf-8")


def format_table_row(v: Verdict) -> str:
    if v.error:
        return f"{'ERROR':<8} {'':>5}  {_printable(v.input)}\n         {_printable(v.error)}"
    if v.abstain:
        return f"{'-':<8} {'':>5}  {_printable(v.input)}\n         {v.abstain}"
    # The strongest signals on the side of the label: toward farm for a farm, original for an original.
    side = [s for s in v.signals if (s.score > 0) == (v.label == "farm")]
    if v.label != "farm":
        side.reverse()
    reasons = "; ".join(
        f"{s.name} {s.score:+.2f}" + (f" [{', '.join(s.evidence[:2])}]" if s.evidence else "") for s in side[:3]
    )
    line = f"{v.label:<8} {v.probability:5.2f}  {_printable(v.input)}"
    return line + (f"\n         {_printable(reasons)}" if reasons else "")


def write_verdicts(verdicts: Iterator[Verdict], fmt: str, out: TextIO, progress: Progress, sync: bool = False,
                   failures: Failures | None = None, what: str = "standard output") -> tuple[int, int]:
    """Write each verdict as it comes; a write that fails is one :class:`OutputError`
    (exit 3 when a page was already flagged, else 2)."""
    with writing(what, progress):
        return _write_verdicts(verdicts, fmt, out, progress, sync, failures)


def _write_verdicts(verdicts: Iterator[Verdict], fmt: str, out: TextIO, progress: Progress, sync: bool,
                    failures: Failures | None) -> tuple[int, int]:
    flagged = errors = 0
    all_rows: list[dict] = []
    if fmt == "table":
        print(f"{'LABEL':<8} {'PROB':>5}  INPUT / TOP SIGNALS", file=out)
    for v in verdicts:
        progress.update(v)
        flagged += v.label == "farm"
        errors += v.error is not None
        if v.error is not None and failures is not None:
            failures.add(v.input, v.url, v.error)
        if fmt == "jsonl":
            out.write(json_text(v.to_dict()) + "\n")
            out.flush()
            if sync:
                _fsync(out)
        elif fmt == "json":
            all_rows.append(v.to_dict())
        else:
            print(format_table_row(v), file=out, flush=True)
    if fmt == "json":
        out.write(json_text(all_rows, indent=1) + "\n")
    return flagged, errors


def _fsync(out: TextIO) -> None:
    try:
        os.fsync(out.fileno())
    except OSError as exc:
        if exc.errno != errno.EINVAL:  # a character device (/dev/null) cannot be synced: nothing to keep
            raise


def _verdicts(args: argparse.Namespace, items: Iterable[WorkItem], options: Options, skip: set[str] | None,
              progress: Progress, jobs: int, warc_stats: WarcStats) -> Iterator[Verdict]:
    from detector.parallel import score_items

    index_obj = getattr(args, "index_obj", None)
    for _item, verdicts, stats in score_items(items, options=options, jobs=jobs, index=index_obj,
                                              index_path=getattr(args, "index", None)):
        progress.input_done()
        for v in verdicts:  # scored one at a time: written before the next is scored
            if skip and v.input in skip:  # a WARC record (or post of a list) already in --output
                continue
            yield v
        warc_stats.add(stats)  # complete once the item's verdicts are consumed


def _skipped_summary(skipped: list[tuple[str, str]], verbose: bool) -> list[str]:
    if not skipped:
        return []
    from collections import Counter

    kinds = Counter(why.split(" (")[0] for _, why in skipped)
    what = ", ".join(f"{n} {k}" for k, n in kinds.most_common())
    lines = [f"skipped {len(skipped)} file{'s' if len(skipped) != 1 else ''} in directories ({what})"
             + ("" if verbose else "; --verbose lists them")]
    if verbose:
        lines += [f"  skipped {path}: {why}" for path, why in skipped]
    return lines


def run(args: argparse.Namespace) -> int:
    options = options_from(args, explain=args.explain)
    if args.resume and not (args.output or getattr(args, "dask", None)):
        raise UsageError("--resume needs --output FILE (or --dask with --out-dir)")
    if args.inputs.count("-") + (args.input_file == "-") > 1:
        raise UsageError("'-' (stdin) can be given once")
    if not args.inputs and not args.input_file:
        raise UsageError("nothing to score: give INPUT arguments or --input-file LIST")
    if args.input_file and args.url:
        raise UsageError("--url names one page; with --input-file give each file's URL on its line (PATH<TAB>URL)")
    if args.input_file and getattr(args, "dask", None):
        raise UsageError("--input-file is not supported with --dask; pass the inputs as arguments")
    if args.jobs is not None and args.jobs < 1 and args.jobs != -1:
        raise UsageError("--jobs must be at least 1, or -1 for all cores")
    if not getattr(args, "dask", None):
        used = [f for f, v in (("--out-dir", args.out_dir), ("--out-format", args.out_format),
                               ("--partition-size", args.partition_size)) if v is not None]
        if used:
            raise UsageError(f"{', '.join(used)} only apply with --dask")
    fmt = args.format or ("table" if sys.stdout.isatty() and not args.output else "jsonl")
    if args.output and fmt != "jsonl":
        raise UsageError("--output writes JSONL; drop --format or use --format jsonl")
    show = not args.quiet and (args.progress or sys.stderr.isatty())
    # Outputs are checked before any input is read: a missing folder is one line, not a
    # traceback after the whole run.
    check_output(args.output, "--output")
    check_output(args.errors, "--errors")
    attach_index(args)
    if getattr(args, "dask", None):
        return _run_dask(args, options, Progress(enabled=show, bar=False))
    skip = None
    before: dict[str, dict[str, Any]] = {}
    if args.output:
        if args.resume:
            _repair_tail(args.output)
            before = read_records(args.output)
            skip = set(before)
        elif os.path.exists(args.output) and os.path.getsize(args.output) > 0:
            raise UsageError(f"{args.output} exists; pass --resume to continue it or remove it")
    skipped: list[tuple[str, str]] = []
    stream = (w for w in work_items(args.inputs, args.url, args.input_file, skipped)
              if not (skip and display_name(w.input) in skip))
    from detector.parallel import default_jobs

    items: Iterable[WorkItem]
    if args.input_file == "-":
        # A list on stdin is scored line by line as it arrives (a crawler writing paths as it
        # goes gets each record back at once): one process unless --jobs says otherwise.
        items, total = stream, None
        jobs = 1 if args.jobs is None else jobs_from(args.jobs, 1 << 30)
    else:
        listed = list(stream)
        refuse_url_for_many(args.url, len(listed))
        # Default: all cores, but one process per PER_PROCESS inputs at least (starting workers
        # costs more than scoring a handful of pages); --jobs N is taken as given, -1 all cores.
        jobs = jobs_from(args.jobs, len(listed), default=min(default_jobs(), -(-len(listed) // PER_PROCESS)))
        jobs = 1 if any(w.input == "-" for w in listed) else jobs
        items, total = listed, len(listed)
    progress = Progress(enabled=show, total=total)
    warc_stats = WarcStats()
    failures = Failures(args.errors)
    verdicts = _verdicts(args, items, options, skip, progress, jobs, warc_stats)
    try:
        if args.output:
            with writing(f"--output {args.output}", progress), open(args.output, "a", encoding="utf-8") as out:
                flagged, errors = write_verdicts(verdicts, "jsonl", out, progress, sync=True, failures=failures,
                                                 what=f"--output {args.output}")
        else:
            flagged, errors = write_verdicts(verdicts, fmt, sys.stdout, progress, failures=failures)
    finally:
        progress.close()
        failures.close()
    # With --resume, the exit code speaks for the whole file: its earlier records count too.
    flagged += sum(r.get("label") == "farm" for r in before.values())
    errors += sum(r.get("error") is not None for r in before.values())
    if not args.quiet:
        print(f"farmscan: done: {progress.line()}" + (f" (jobs {jobs})" if jobs > 1 else ""), file=sys.stderr)
        if before:
            print(f"farmscan: {args.output} already held {plural(len(before), 'record')}; with them: {flagged} flagged, "
                  f"{plural(errors, 'error')}", file=sys.stderr)
        for line in _skipped_summary(skipped, args.verbose):
            print(f"farmscan: {line}", file=sys.stderr)
        if warc_stats.records:
            print(f"farmscan: {warc_stats.line()}", file=sys.stderr)
        failures.report()
    return exit_code(flagged, errors)


def _run_dask(args: argparse.Namespace, options: Options, progress: Progress) -> int:
    """``farmscan score --dask ADDRESS --out-dir DIR ...``: partitions written, summary on stderr."""
    out_format = args.out_format or "parquet"
    require("dask", "distributed", *(["pyarrow"] if out_format == "parquet" else []))  # the [dask] extra
    from detector.integrations.dask import DEFAULT_PARTITION_SIZE, score_files, summary

    if not args.out_dir:
        raise UsageError("--dask needs --out-dir DIR (one output file per partition)")
    if args.output or args.format:
        raise UsageError("--dask writes partitions to --out-dir; drop --output/--format")
    if args.url:
        raise UsageError("--url names one page; it cannot apply to a cluster run")
    if args.errors:
        raise UsageError("--errors is not supported with --dask: each partition records its failures")
    check_output(args.out_dir, "--out-dir", directory=True)
    results = score_files(
        args.inputs, address=args.dask, options=options, out_dir=args.out_dir, out_format=out_format,
        partition_size=args.partition_size or DEFAULT_PARTITION_SIZE, resume=args.resume, progress=progress,
    )
    done = [r for r in results if not r.skipped]
    if not args.quiet:
        print(f"farmscan: done: {progress.line()}", file=sys.stderr)
        print(
            f"farmscan: dask: {plural(len(done), 'partition')} written to {args.out_dir} "
            f"({len(results) - len(done)} already there), {plural(len({r.pid for r in done}), 'worker process', 'worker processes')}",
            file=sys.stderr,
        )
        warc_stats = summary(done)
        if warc_stats.records:
            print(f"farmscan: {warc_stats.line()}", file=sys.stderr)
    # As with --output --resume, the exit code speaks for the whole output: partitions an
    # earlier run wrote count too.
    return exit_code(sum(r.flagged for r in results), sum(r.errors for r in results))
