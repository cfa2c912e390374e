"""``farmscan score``: verdicts for URLs, files, directories and stdin."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from typing import Any, TextIO

from detector.api import safe_load, score_documents
from detector.commands.index import INDEX_HELP, attach_index
from detector.loaders import FORMATS, expand_inputs, load_path_or_url
from detector.options import Options
from detector.verdict import Verdict, json_text  # noqa: F401 - json_text re-exported

NAME = "score"
HELP = "score pages (URL, file, directory, or - for stdin) and print verdicts"
DESCRIPTION = (
    "Score each input as a content farm / scraped copy or an original page. Directories are "
    "read recursively; '-' reads standard input. Exit codes: 0 none flagged, 1 some flagged, "
    "2 usage error or some input failed."
)


def add_common(p: argparse.ArgumentParser) -> None:
    """Options shared by ``score`` and ``explain``: they build one :class:`Options`."""
    p.add_argument("--url", help="the page's URL (for stdin or files saved without it)")
    p.add_argument("--input-format", choices=FORMATS, help="skip sniffing: read every input as this format")
    p.add_argument("--model", help="model file (default: the model shipped with farmscan)")
    p.add_argument(
        "--model-sha256", metavar="HEX",
        help="refuse a model file whose bytes do not have this SHA-256 (sha256sum prints it)",
    )
    p.add_argument("--threshold", type=float, help="flag pages at or above this probability (default: the model's)")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds per URL fetch (default 15)")
    p.add_argument("--max-bytes", type=int, default=10 * 1024 * 1024, help="cap on a page's bytes (default 10 MB)")
    p.add_argument("--allow-private", action="store_true", help="allow fetching loopback/private addresses")


def options_from(args: argparse.Namespace, **extra: Any) -> Options:
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        from detector.errors import UsageError

        raise UsageError("--threshold must be between 0 and 1")
    return Options(
        model=args.model,
        model_sha256=getattr(args, "model_sha256", None),
        threshold=args.threshold,
        input_format=args.input_format,
        timeout=args.timeout,
        max_bytes=args.max_bytes,
        allow_private=args.allow_private,
        **extra,
    )


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="URL, file, directory, or - for stdin")
    p.add_argument(
        "--format",
        choices=("table", "jsonl", "json"),
        help="output format (default: table on a terminal, jsonl otherwise)",
    )
    p.add_argument("--output", "-o", help="append JSONL records to this file as they are done (implies jsonl)")
    p.add_argument("--resume", action="store_true", help="with --output: skip inputs already in the file")
    p.add_argument("--explain", action="store_true", help="include every feature value and its evidence")
    p.add_argument("--progress", action="store_true", help="print progress to stderr even when it is not a terminal")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress or summary on stderr")
    p.add_argument("--index", metavar="PATH", help=INDEX_HELP)
    d = p.add_argument_group("cluster (dask.distributed)")
    d.add_argument("--dask", metavar="ADDRESS", help="score on a Dask cluster: local:N (N worker processes) or tcp://host:8786")
    d.add_argument("--out-dir", help="with --dask: directory for the output partitions (must be visible to every worker)")
    d.add_argument("--out-format", choices=("parquet", "jsonl"), default="parquet", help="with --dask: partition format (default parquet)")
    d.add_argument("--partition-size", type=int, default=500, help="with --dask: page files per task; each WARC file is its own task (default 500)")
    add_common(p)


def iter_documents(inputs: list[str], args: argparse.Namespace, options: Options, skip: set[str] | None = None):
    for item in expand_inputs(inputs):
        if skip and item in skip:
            continue
        for doc in safe_load(
            item,
            name=item,
            url=args.url,
            options=options,
            loader=lambda src, url, options: load_path_or_url(src, url=url, options=options),
        ):
            if skip and doc.input in skip:
                continue
            yield doc


class Progress:
    """Pages/s, flagged share and errors on stderr, at most every ``every`` seconds."""

    def __init__(self, enabled: bool, stream: TextIO = sys.stderr, every: float = 2.0) -> None:
        self.enabled, self.stream, self.every = enabled, stream, every
        self.start = self.last = time.monotonic()
        self.n = self.flagged = self.errors = 0

    def update(self, v: Verdict) -> None:
        self.add(1, v.label == "farm", v.error is not None)

    def add(self, n: int, flagged: int, errors: int) -> None:
        """Count ``n`` pages at once (a finished partition of a distributed run)."""
        self.n += n
        self.flagged += flagged
        self.errors += errors
        now = time.monotonic()
        if self.enabled and now - self.last >= self.every:
            self.last = now
            print(f"farmscan: {self.line(now)}", file=self.stream, flush=True)

    def line(self, now: float | None = None) -> str:
        dt = max((now or time.monotonic()) - self.start, 1e-9)
        share = self.flagged / self.n if self.n else 0.0
        return (
            f"{self.n} pages, {self.n / dt:.0f} pages/s, {self.flagged} flagged ({share:.1%}), "
            f"{self.errors} errors, {dt:.1f} s"
        )


def read_done(path: str) -> set[str]:
    """Inputs already recorded in a JSONL output file (a torn last line is ignored)."""
    done: set[str] = set()
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(rec, dict) and isinstance(rec.get("input"), str):
                    done.add(rec["input"])
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
    reasons = "; ".join(
        f"{s.name}" + (f" [{', '.join(s.evidence[:2])}]" if s.evidence else "") for s in v.signals[:3]
    )
    line = f"{v.label:<8} {v.probability:5.2f}  {_printable(v.input)}"
    return line + (f"\n         {_printable(reasons)}" if reasons else "")


def write_verdicts(verdicts: Iterator[Verdict], fmt: str, out: TextIO, progress: Progress, sync: bool = False) -> tuple[int, int]:
    flagged = errors = 0
    all_rows: list[dict] = []
    if fmt == "table":
        print(f"{'LABEL':<8} {'PROB':>5}  INPUT / TOP SIGNALS", file=out)
    for v in verdicts:
        progress.update(v)
        flagged += v.label == "farm"
        errors += v.error is not None
        if fmt == "jsonl":
            out.write(json_text(v.to_dict()) + "\n")
            out.flush()
            if sync:
                os.fsync(out.fileno())
        elif fmt == "json":
            all_rows.append(v.to_dict())
        else:
            print(format_table_row(v), file=out, flush=True)
    if fmt == "json":
        out.write(json_text(all_rows, indent=1) + "\n")
    return flagged, errors


def run(args: argparse.Namespace) -> int:
    from detector.cli import EXIT_ERROR, EXIT_FLAGGED, EXIT_OK
    from detector.errors import UsageError

    options = options_from(args, explain=args.explain)
    if args.resume and not (args.output or getattr(args, "dask", None)):
        raise UsageError("--resume needs --output FILE (or --dask with --out-dir)")
    if args.inputs.count("-") > 1:
        raise UsageError("'-' (stdin) can be given once")
    fmt = args.format or ("table" if sys.stdout.isatty() and not args.output else "jsonl")
    if args.output and fmt != "jsonl":
        raise UsageError("--output writes JSONL; drop --format or use --format jsonl")
    progress = Progress(enabled=not args.quiet and (args.progress or sys.stderr.isatty()))
    attach_index(args)
    if getattr(args, "dask", None):
        from detector.distributed import run_cli

        return run_cli(args, options, progress)
    skip = None
    if args.output:
        if args.resume:
            _repair_tail(args.output)
            skip = read_done(args.output)
        elif os.path.exists(args.output) and os.path.getsize(args.output) > 0:
            raise UsageError(f"{args.output} exists; pass --resume to continue it or remove it")
    from detector.warc import TOTALS as WARC_TOTALS

    warc_before = WARC_TOTALS.as_dict()
    docs = iter_documents(args.inputs, args, options, skip)
    verdicts = score_documents(docs, options=options, index=getattr(args, "index_obj", None))
    if args.output:
        with open(args.output, "a", encoding="utf-8") as out:
            flagged, errors = write_verdicts(verdicts, "jsonl", out, progress, sync=True)
    else:
        flagged, errors = write_verdicts(verdicts, fmt, sys.stdout, progress)
    if not args.quiet:
        print(f"farmscan: done: {progress.line()}", file=sys.stderr)
        warc_stats = WARC_TOTALS.since(warc_before)
        if warc_stats.records:
            print(f"farmscan: {warc_stats.line()}", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    return EXIT_FLAGGED if flagged else EXIT_OK
