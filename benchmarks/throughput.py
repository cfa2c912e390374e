"""Pages per second on one core: farmscan's whole pipeline vs trafilatura vs a bare Lexbor parse.

On the pages of ``../shared/corpus`` (decompressed and decoded up front, outside the timing),
in one process pinned to one core:

Times are CPU seconds of the scoring thread (``time.thread_time``; ``--wall`` for wall clock).

* ``farmscan``: ``score_page(parse_html(text, url=url))``: parse, every feature, the model.
* ``lexbor parse``: ``resiliparse.parse.html.HTMLTree.parse(text)`` alone (the parsing limit),
  and the same plus the two ``extract_plain_text`` passes every page needs (visible text,
  main text): the floor under any feature work.
* ``trafilatura.extract``: what a crawler runs anyway, on an evenly spaced sample
  (``--sample``, default 400 pages; ``--sample 0`` for every page). The ratio compares
  farmscan and trafilatura on the same sampled pages.

``--breakdown`` adds where farmscan's time goes: each lazy :class:`Page` attribute, then
each extractor on pages whose attributes are already computed.

    python benchmarks/throughput.py [--sample 400] [--limit N] [--breakdown]

The last line is ``ratio_vs_trafilatura=X`` (target: at least 10).
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
import time
from pathlib import Path

SHARED = Path(os.environ.get("FARMSCAN_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
# CPU time of this thread: the machine may be shared, and wall time then measures the neighbours.
CLOCK = time.thread_time
PAGE_ATTRS = ("tree", "text", "main_text", "lines", "words", "all_words", "meta", "scripts",
              "script_srcs", "iframes", "ins", "images", "links", "link_rels", "tags", "title", "site")


def load_corpus(limit: int | None = None) -> list[tuple[str, str | None]]:
    """``(decoded html, url)`` of every corpus page, in labels.tsv order."""
    import csv

    from detector.sources.decode import decode

    rows = list(csv.DictReader((SHARED / "corpus" / "labels.tsv").open(encoding="utf-8"), delimiter="\t"))
    pages = []
    for row in rows[:limit] if limit else rows:
        data = gzip.decompress((SHARED / "corpus" / row["file"]).read_bytes())
        text, _ = decode(data)
        pages.append((text, row.get("url") or None))
    return pages


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def _each(pages: list[tuple[str, str | None]], work) -> list[float]:
    """Seconds of ``work(html, url)`` on each page (the same loop and clock for every peer)."""
    times = []
    clock = CLOCK
    for html, url in pages:
        t = clock()
        work(html, url)
        times.append(clock() - t)
    return times


def time_farmscan(pages: list[tuple[str, str | None]]) -> list[float]:
    from detector.api import score_page
    from detector.model.load import load_model
    from features.page import parse_html

    model = load_model(None)

    def work(html: str, url: str | None) -> None:
        score_page(parse_html(html, url=url), model=model)

    for html, url in pages[:5]:  # warm-up: engines, word lists, model
        work(html, url)
    return _each(pages, work)


def time_lexbor(pages: list[tuple[str, str | None]]) -> list[float]:
    from resiliparse.parse.html import HTMLTree

    return _each(pages, lambda html, _url: HTMLTree.parse(html))


def time_text_floor(pages: list[tuple[str, str | None]]) -> list[float]:
    """Parse plus the two text extractions every page needs (visible text, main text)."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    def work(html: str, _url: str | None) -> None:
        tree = HTMLTree.parse(html)
        extract_plain_text(tree, main_content=False, alt_texts=False)
        extract_plain_text(tree, main_content=True, alt_texts=False)

    return _each(pages, work)


def time_trafilatura(pages: list[tuple[str, str | None]]) -> list[float]:
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    trafilatura.extract(pages[0][0], url=pages[0][1])
    return _each(pages, lambda html, url: trafilatura.extract(html, url=url))


def breakdown(pages: list[tuple[str, str | None]]) -> None:
    """Time each Page attribute, then each extractor on warmed pages; print ms/page."""
    from features import extractors
    from features.page import parse_html

    attr_t = dict.fromkeys(PAGE_ATTRS, 0.0)
    ext_t = {name: 0.0 for name, _ in extractors()}
    clock = CLOCK
    for html, url in pages:
        page = parse_html(html, url=url)
        for a in PAGE_ATTRS:
            t = clock()
            getattr(page, a)
            attr_t[a] += clock() - t
        for name, fn in extractors():
            t = clock()
            fn(page)
            ext_t[name] += clock() - t
    n = len(pages)
    print(f"\nbreakdown over {n} pages (ms/page; attributes computed first, in this order)")
    for label, d in (("page attribute", attr_t), ("extractor", ext_t)):
        for k, v in sorted(d.items(), key=lambda kv: -kv[1]):
            print(f"  {label:<15} {k:<14} {1000 * v / n:7.3f}")
        print(f"  {label + 's total':<30} {1000 * sum(d.values()) / n:7.3f}")


def row(name: str, times: list[float]) -> tuple[str, int, float, float]:
    total = sum(times)
    return name, len(times), total, len(times) / total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, default=400, help="pages for trafilatura (0 = all)")
    ap.add_argument("--limit", type=int, help="use only the first N corpus pages")
    ap.add_argument("--breakdown", action="store_true", help="also time page attributes and extractors")
    ap.add_argument("--wall", action="store_true", help="time with the wall clock instead of thread CPU time")
    args = ap.parse_args()
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter
    where = pin_one_core()
    t0 = time.perf_counter()
    pages = load_corpus(args.limit)
    mb = sum(len(h) for h, _ in pages) / 1e6
    print(f"{len(pages)} pages ({mb:.0f} M chars) loaded and decoded in {time.perf_counter() - t0:.1f} s; {where}; "
          f"python {sys.version.split()[0]}; clock: {'wall' if args.wall else 'thread CPU'}")
    step = max(1, len(pages) // args.sample) if args.sample else 1
    sample_idx = list(range(0, len(pages), step))[: args.sample or None]
    sample = [pages[i] for i in sample_idx]

    fs = time_farmscan(pages)
    lx = time_lexbor(pages)
    floor = time_text_floor(pages)
    tr = time_trafilatura(sample)
    fs_sample = [fs[i] for i in sample_idx]
    rows = [
        row("farmscan score_page (parse+features+model)", fs),
        row("lexbor parse only (HTMLTree.parse)", lx),
        row("lexbor parse + visible text + main text", floor),
        row("farmscan on the trafilatura sample", fs_sample),
        row("trafilatura.extract" + (" (sample)" if len(sample) < len(pages) else ""), tr),
    ]
    print(f"\n{'approach':<46} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'ms/page':>8}")
    for name, n, total, rate in rows:
        print(f"{name:<46} {n:>6} {total:>8.2f} {rate:>8.0f} {1000 * total / n:>8.2f}")
    fs_sorted = sorted(fs)
    print(f"\nfarmscan per page: median {1000 * fs_sorted[len(fs) // 2]:.2f} ms, "
          f"p99 {1000 * fs_sorted[int(len(fs) * 0.99)]:.1f} ms, max {1000 * fs_sorted[-1]:.0f} ms")
    print(f"farmscan / lexbor parse: {sum(fs) / sum(lx):.1f}x the time of parsing alone, "
          f"{sum(fs) / sum(floor):.1f}x parse + text extraction")
    if args.breakdown:
        breakdown(pages)
    ratio = (len(fs_sample) / sum(fs_sample)) / (len(tr) / sum(tr))
    if len(sample) < len(pages):
        print(f"(trafilatura timed on {len(sample)} evenly spaced pages of {len(pages)}; ratio on those pages)")
    print(f"ratio_vs_trafilatura={ratio:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
