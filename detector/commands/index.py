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
import time
from pathlib import Path

from detector.commands._common import add_common, iter_documents, options_from
from detector.errors import UsageError

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
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="file, directory, WARC file, URL, or -")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    p.add_argument("--batch", type=int, default=50_000, help="pages per saved segment (default 50000)")
    add_common(p, judging=False)


def _fill(idx, args: argparse.Namespace) -> tuple[int, int]:
    options = options_from(args)
    added = failed = 0
    start = last = time.monotonic()
    for doc in iter_documents(args.inputs, args, options):
        if doc.page is None:
            failed += 1
            if not args.quiet:
                msg = doc.error.one_line() if doc.error is not None else "unreadable"
                print(f"farmscan: {doc.input}: {msg}", file=sys.stderr)
            continue
        idx.add_page(doc.page, id=doc.input)  # a segment is written every --batch pages (flush_every)
        added += 1
        now = time.monotonic()
        if not args.quiet and now - last >= 2.0:
            last = now
            print(f"farmscan: indexed {added} pages, {added / (now - start):.0f} pages/s", file=sys.stderr, flush=True)
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
    if cmd == "build":
        out = Path(path)
        if (out / "pages.sqlite").exists():
            raise UsageError(f"{out} already holds an index; use 'farmscan index add --index {out}'")
        if out.exists() and any(out.iterdir()):
            raise UsageError(f"{out} exists and is not empty")
        idx = Index.open(out, mode="a", flush_every=args.batch)
    else:
        idx = Index.open(path, mode="a", flush_every=args.batch)
    added, failed = _fill(idx, args)
    if args.compact:
        idx.compact()
    total = len(idx)
    idx.close()
    if not args.quiet:
        print(f"farmscan: indexed {added} pages ({failed} failed); index holds {total}", file=sys.stderr)
    return EXIT_ERROR if failed else EXIT_OK
