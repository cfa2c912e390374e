"""What the ``score``, ``explain`` and ``index`` commands share: options, input iteration, progress."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from typing import Any, TextIO

from detector.api import safe_load
from detector.errors import UsageError
from detector.options import DEFAULT_OPTIONS, Options
from detector.sources.document import FORMATS, Document
from detector.sources.input_list import ListEntry, list_documents, read_list
from detector.sources.load import expand_inputs, load_path_or_url
from detector.sources.warc import WarcStats
from detector.verdict import Verdict


def add_common(p: argparse.ArgumentParser) -> None:
    """Options shared by ``score`` and ``explain``: they build one :class:`Options`."""
    p.add_argument("--url", help="the page's URL (for stdin or files saved without it)")
    p.add_argument("--input-format", choices=FORMATS, help="skip sniffing: read every input as this format")
    p.add_argument("--model", help="model file (default: the model shipped with farmscan)")
    p.add_argument("--threshold", type=float, help="flag pages at or above this probability (default: the model's)")
    p.add_argument("--timeout", type=float, default=DEFAULT_OPTIONS.timeout,
                   help=f"seconds per URL fetch (default {DEFAULT_OPTIONS.timeout:g})")
    p.add_argument("--max-bytes", type=int, default=DEFAULT_OPTIONS.max_bytes,
                   help=f"cap on a page's bytes (default {DEFAULT_OPTIONS.max_bytes // 2**20} MB)")
    p.add_argument("--allow-private", action="store_true", help="allow fetching loopback/private addresses")


def options_from(args: argparse.Namespace, **extra: Any) -> Options:
    if args.threshold is not None and not 0.0 <= args.threshold <= 1.0:
        raise UsageError("--threshold must be between 0 and 1")
    return Options(
        model=args.model,
        threshold=args.threshold,
        input_format=args.input_format,
        timeout=args.timeout,
        max_bytes=args.max_bytes,
        allow_private=args.allow_private,
        **extra,
    )


def iter_documents(
    inputs: list[str], args: argparse.Namespace, options: Options, skip: set[str] | None = None,
    warc_stats: WarcStats | None = None,
) -> Iterator[Document]:
    """Documents of the command-line inputs, then of ``args.input_file``'s lines (when set)."""

    def load_one(item: str, url: str | None) -> Iterator[Document]:
        return safe_load(
            item,
            name=item,
            url=url,
            options=options,
            loader=lambda src, url, options: load_path_or_url(src, url=url, options=options, warc_stats=warc_stats),
        )

    def done(name: str) -> bool:
        return bool(skip) and name in skip

    def documents(entries: Iterator[ListEntry]) -> Iterator[Document]:
        for item in expand_inputs(inputs):
            if done(item):
                continue
            for doc in load_one(item, args.url):
                if not done(doc.input):
                    yield doc
        for doc in list_documents(entries, load_one, skip=done):
            if not done(doc.input):
                yield doc

    input_file = getattr(args, "input_file", None)
    # The list is opened here, before any input is read: a missing list fails the run at once.
    return documents(read_list(input_file) if input_file else iter(()))


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


INDEX_HELP = "index built with 'farmscan index build': report copies (copy_of) and template_sites"


def attach_index(args: argparse.Namespace) -> None:
    """For ``score``/``explain``: open ``--index PATH`` read-only as ``args.index_obj``."""
    path = getattr(args, "index", None)
    if path and getattr(args, "index_obj", None) is None:
        from detector.index import Index

        args.index_obj = Index.open(path)
