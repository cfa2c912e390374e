"""``farmscan index``: build, extend and describe a cross-page copy/template index.

    farmscan index build --index news.idx originals/ crawl.warc.gz
    farmscan index add --index news.idx more-pages/
    farmscan index stats --index news.idx

Every action names the index with ``--index``; the older ``build --out PATH`` and
``stats PATH`` still work and print a deprecation note.
    farmscan score --index news.idx --format jsonl suspect-pages/
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from detector.commands._common import add_common, options_from, work_items
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
from detector.errors import InputError, UsageError
from detector.options import Options
from detector.parallel import WorkItem

NAME = "index"
HELP = "build or extend an index of pages, so that score can name the original of a copy"
DESCRIPTION = (
    "Index pages (files, directories, WARC files, URLs) by their main text and layout, so "
    "'farmscan score --index PATH' reports which indexed page a page copies (copy_of) and "
    "how many other sites share its template (template_sites)."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="index_command", metavar="ACTION")
    b = sub.add_parser("build", help="create a new index from pages")
    b.add_argument("--index", dest="index_path", metavar="INDEX", help="index directory to create")
    b.add_argument("--out", dest="old_path", help=argparse.SUPPRESS)  # deprecated spelling of --index
    b.add_argument("--compact", action="store_true", help="merge the segments into one afterwards (faster queries)")
    _inputs(b)
    a = sub.add_parser("add", help="add pages to an existing index (creates it if absent)")
    a.add_argument("--index", dest="index_path", metavar="INDEX", help="index directory")
    a.add_argument("--compact", action="store_true", help="merge all segments afterwards")
    _inputs(a)
    s = sub.add_parser("stats", help="print pages, sites, segments and size of an index (JSON)")
    s.add_argument("--index", dest="index_path", metavar="INDEX", help="index directory")
    s.add_argument("old_path", nargs="?", metavar="PATH", help=argparse.SUPPRESS)  # deprecated positional


def index_path(args: argparse.Namespace) -> str:
    """The index directory of an ``index`` action: ``--index``, or a deprecated spelling (with a note)."""
    new, old = getattr(args, "index_path", None), getattr(args, "old_path", None)
    if new and old and new != old:
        raise UsageError(f"two index paths given ({new} and {old}); use --index only")
    if old:
        spelling = "--out PATH" if args.index_command == "build" else "a positional PATH"
        print(f"farmscan: index {args.index_command}: {spelling} is deprecated, use --index PATH", file=sys.stderr)
    path = new or old
    if not path:
        raise UsageError(f"index {args.index_command} needs --index PATH")
    return path


def _inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="file, directory, WARC file, URL, or -")
    p.add_argument("--input-file", metavar="LIST",
                   help="read inputs from LIST (- for stdin), one per line, optionally PATH<TAB>URL, as score does")
    add_jobs(p)
    add_errors(p)
    p.add_argument("--progress", action="store_true", help="print progress to stderr even when it is not a terminal")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress or summary on stderr")
    p.add_argument("--batch", type=int, default=50_000, help="pages per saved segment (default 50000)")
    add_common(p, judging=False)


Entry = tuple[str, Any, str, str, str, str, str]  # input, sketch, url, site, facts json, identity, digest
_PARAMS: dict[str, Any] = {}


def sketch_item(work: WorkItem, options: Options, params: Any) -> list[tuple[str, Entry | None, str | None]]:
    """Every page of one input item, sketched as :meth:`Index.add_page` would: ``(input, entry, error)``."""
    from detector.api import safe_load
    from detector.index.core import _farm_of, identity, page_digest, page_identity, sketch_page
    from detector.index.provenance import facts
    from detector.sources.document import Document
    from detector.sources.load import load_path_or_url

    if work.error is not None:
        docs: Any = [Document(work.input, error=InputError(work.error))]
    else:
        docs = safe_load(work.input, name=work.input, url=work.url, options=options,
                         loader=lambda src, url, options: load_path_or_url(src, url=url, options=options))
    out: list[tuple[str, Entry | None, str | None]] = []
    for doc in docs:
        if doc.page is None:
            out.append((doc.input, None, doc.error.one_line() if doc.error is not None else "input: unreadable"))
            continue
        try:
            page = doc.page.for_this_thread()
            sk, _n = sketch_page(page, params)
            url, site = page_identity(page)
            f = facts(page, _farm_of(page, None, None))
            f.site = site
            out.append((doc.input, (doc.input, sk, url, site, f.to_json(), identity(page, doc.input),
                                    page_digest(page)), None))
        except Exception as exc:  # noqa: BLE001 - one failed page, the build goes on
            from detector.api import as_error

            out.append((doc.input, None, as_error(exc).one_line()))
    return out


def _init(options: Options, params: Any) -> None:
    from detector.parallel import _init as init_worker

    init_worker(options, None)
    _PARAMS["params"] = params


def _work(work: WorkItem) -> list[tuple[str, Entry | None, str | None]]:
    from detector.parallel import _STATE

    return sketch_item(work, _STATE["options"], _PARAMS["params"])


def sketched(items: list[WorkItem], options: Options, params: Any, jobs: int, ahead: int = 4) -> Any:
    """Sketches of each item's pages, in input order, on ``jobs`` processes (the index is written here only)."""
    if jobs <= 1:
        for item in items:
            yield sketch_item(item, options, params)
        return
    from detector.parallel import ordered_map

    yield from ordered_map(_work, items, jobs, initializer=_init, initargs=(options, params), ahead=ahead)


def _fill(idx, args: argparse.Namespace, items: list[WorkItem], jobs: int, failures: Failures) -> tuple[int, int]:
    options = options_from(args)
    added = failed = 0
    progress = Progress(enabled=not args.quiet and (args.progress or sys.stderr.isatty()), total=len(items))
    try:
        for pages in sketched(items, options, idx.params, jobs):
            progress.input_done()
            for name, entry, error in pages:
                if entry is None:
                    failed += 1
                    failures.add(name, None, error or "input: unreadable")
                    progress.add(1, 0, 1)
                    continue
                _input, sk, url, site, facts_json, ident, digest = entry
                # a segment is written every --batch pages (flush_every)
                idx.add_sketch(sk, url, site, facts_json, ident=ident, digest=digest)
                added += 1
                progress.add(1, 0, 0)
    finally:
        progress.close()
    idx.save()
    return added, failed


def run(args: argparse.Namespace) -> int:
    from detector.errors import EXIT_ERROR, EXIT_OK
    from detector.index import Index

    cmd = getattr(args, "index_command", None)
    if cmd is None:
        raise UsageError("index needs an action: build, add or stats")
    path = index_path(args)
    if cmd == "stats":
        idx = Index.open(path)
        print(json.dumps(idx.stats(), indent=1))
        return EXIT_OK
    if not args.inputs and not args.input_file:
        raise UsageError(f"index {cmd}: nothing to index: give INPUT arguments or --input-file LIST")
    if args.inputs.count("-") + (args.input_file == "-") > 1:
        raise UsageError("'-' (stdin) can be given once")
    if args.jobs is not None and args.jobs < 1 and args.jobs != -1:
        raise UsageError("--jobs must be at least 1, or -1 for all cores")
    check_output(path, "--index", directory=True)
    check_output(args.errors, "--errors")
    items = list(work_items(args.inputs, args.url, args.input_file))
    refuse_url_for_many(args.url, len(items))
    jobs = 1 if any(w.input == "-" for w in items) else jobs_from(args.jobs, len(items))
    if cmd == "build":
        out = Path(path)
        if (out / "pages.sqlite").exists():
            raise UsageError(f"{out} already holds an index; use 'farmscan index add --index {out}'")
        if out.exists() and any(out.iterdir()):
            raise UsageError(f"{out} exists and is not empty")
        idx = Index.open(out, mode="a", flush_every=args.batch)
    else:
        idx = Index.open(path, mode="a", flush_every=args.batch)
    failures = Failures(args.errors)
    try:
        with writing(f"--index {path}"):
            added, failed = _fill(idx, args, items, jobs, failures)
            if args.compact:
                idx.compact()
            total = len(idx)
            idx.close()
    finally:
        failures.close()
    if not args.quiet:
        print(f"farmscan: indexed {plural(added, 'page')} ({failed} failed); index holds {total}"
              + (f" (jobs {jobs})" if jobs > 1 else ""), file=sys.stderr)
        failures.report()
    return EXIT_ERROR if failed else EXIT_OK
