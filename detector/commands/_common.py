"""What the ``score``, ``explain`` and ``index`` commands share: options, input iteration, progress."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

from detector.api import safe_load
from detector.errors import InputError, UsageError
from detector.options import DEFAULT_OPTIONS, Options
from detector.parallel import WorkItem
from detector.sources.document import FORMATS, Document, display_name
from detector.sources.input_list import ListEntry, list_documents, read_list
from detector.sources.load import load_path_or_url, walk_inputs
from detector.sources.warc import WarcStats


def add_common(p: argparse.ArgumentParser, judging: bool = True) -> None:
    """Options shared by ``score``, ``explain`` and ``index``: they build one :class:`Options`.

    ``judging=False`` (``index``) leaves out ``--model`` and ``--threshold``, which only
    matter to a verdict. Defaults come from :class:`Options` (defined once there).
    """
    p.add_argument("--url", help="the page's URL (for stdin or files saved without it)")
    p.add_argument("--input-format", choices=FORMATS, help="skip sniffing: read every input as this format")
    if judging:
        p.add_argument("--model", help="model file (default: the model shipped with farmscan)")
        p.add_argument("--model-sha256", metavar="HEX",
                       help="refuse a model file whose bytes do not have this SHA-256 (sha256sum prints it)")
        p.add_argument("--threshold", type=float, help="flag pages at or above this probability (default: the model's)")
    p.add_argument("--timeout", type=float, default=DEFAULT_OPTIONS.timeout,
                   help=f"seconds per URL fetch (default {DEFAULT_OPTIONS.timeout:g})")
    p.add_argument("--max-bytes", type=int, default=DEFAULT_OPTIONS.max_bytes,
                   help=f"cap on a page's bytes (default {DEFAULT_OPTIONS.max_bytes // 2**20} MB)")
    p.add_argument("--allow-private", action="store_true", help="allow fetching loopback/private addresses")


def options_from(args: argparse.Namespace, **extra: Any) -> Options:
    threshold = getattr(args, "threshold", None)
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise UsageError("--threshold must be between 0 and 1")
    return Options(
        model=getattr(args, "model", None),
        model_sha256=getattr(args, "model_sha256", None),
        threshold=threshold,
        input_format=args.input_format,
        timeout=args.timeout,
        max_bytes=args.max_bytes,
        allow_private=args.allow_private,
        **extra,
    )


def work_items(
    inputs: list[str], url: str | None, input_file: str | None, skipped: list[tuple[str, str]] | None = None
) -> Iterator[WorkItem]:
    """The command line's inputs (directories expanded; ``skipped`` collects what a walk left
    out), then ``input_file``'s lines, as work items: an input, its URL, or why the line is unusable."""
    for item, why in walk_inputs(inputs, skipped):
        yield WorkItem(item, url, error=why)
    if not input_file:
        return
    for entry in read_list(input_file):
        if entry.error is not None:
            yield WorkItem(entry.name, error=f"{entry.name}: {entry.error}")
        elif entry.url is not None:
            yield WorkItem(entry.item, entry.url)
        else:
            for item, why in walk_inputs([entry.item], skipped):
                yield WorkItem(item, error=why)


def iter_documents(
    inputs: list[str], args: argparse.Namespace, options: Options, skip: set[str] | None = None,
    warc_stats: WarcStats | None = None,
) -> Iterator[Document]:
    """Documents of the command-line inputs, then of ``args.input_file``'s lines (when set)."""

    def load_one(item: str, url: str | None) -> Iterator[Document]:
        return safe_load(
            item,
            name=display_name(item),
            url=url,
            options=options,
            loader=lambda src, url, options: load_path_or_url(src, url=url, options=options, warc_stats=warc_stats),
        )

    def done(name: str) -> bool:
        return bool(skip) and display_name(name) in skip

    def documents(entries: Iterator[ListEntry]) -> Iterator[Document]:
        for item, why in walk_inputs(inputs):
            if done(item):
                continue
            if why is not None:
                yield Document(display_name(item), error=InputError(why))
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


INDEX_HELP = "index built with 'farmscan index build': report copies (copy_of) and template_sites"


def attach_index(args: argparse.Namespace) -> None:
    """For ``score``/``explain``: open ``--index PATH`` read-only as ``args.index_obj``."""
    path = getattr(args, "index", None)
    if path and getattr(args, "index_obj", None) is None:
        from detector.index import Index

        args.index_obj = Index.open(path)


# Optional dependencies: the module a feature imports -> the extra that installs it.
EXTRAS = {
    "dask": "dask", "distributed": "dask", "pyarrow": "dask",
    "sklearn": "train", "faker": "train", "matplotlib": "train",
    "scrapy": "scrapy", "itemadapter": "scrapy",
}


def require(*modules: str) -> None:
    """Import optional ``modules`` now, so a missing extra is reported before any work is done.

    A missing one raises ``ModuleNotFoundError``, which :func:`detector.cli.main` turns into
    one line naming the extra to install (:func:`missing_extra`) and exit code 2.
    """
    import importlib

    for m in modules:
        importlib.import_module(m)


def missing_extra(exc: ModuleNotFoundError) -> str | None:
    """One line naming the extra to install, when ``exc`` is an optional dependency."""
    top = (exc.name or "").split(".")[0]
    extra = EXTRAS.get(top)
    if extra is None:
        return None
    return f"this needs the optional dependency {top!r}: pip install 'farmscan[{extra}]'"
