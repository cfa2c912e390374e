"""Resident memory while streaming many pages through ``score_page`` (the corpus, repeated).

Loads ``../shared/corpus`` once and holds it as UTF-8 **bytes**; each page is decoded to a
``str`` inside the loop and dropped after scoring, as in a crawler. (Holding decoded ``str``
pages instead makes RSS grow by ~350 MB during the first pass without any leak: CPython caches
a UTF-8 copy inside every non-ASCII ``str`` the parser encodes, and the held corpus keeps them.)
Warms up on 200 pages, then scores ``--pages`` pages (default 100,000) cycling through the
corpus, printing RSS every ``--every`` pages. Passes when RSS grows by less than
``--max-growth-mb`` (default 50) from the start (after warm-up) to the end; the growth after
the first full pass over the distinct pages is printed too.

    python benchmarks/memory.py [--pages 100000] [--every 10000] [--limit N]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import load_corpus  # noqa: E402


def rss_mb() -> float:
    """Resident set size of this process, in MB (Linux /proc; ru_maxrss elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def trimmed_rss_mb() -> float:
    """RSS after asking glibc to return freed heap pages to the OS (same as RSS elsewhere)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    return rss_mb()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=100_000)
    ap.add_argument("--every", type=int, default=10_000)
    ap.add_argument("--max-growth-mb", type=float, default=50.0)
    ap.add_argument("--limit", type=int, help="cycle through only the first N corpus pages")
    args = ap.parse_args()

    from detector.api import score_page
    from detector.model.load import load_model
    from features.page import parse_html

    pages = [(html.encode("utf-8", "surrogatepass"), url) for html, url in load_corpus(args.limit)]
    model = load_model(None)

    def one(data: bytes, url: str | None) -> bool:
        return score_page(parse_html(data.decode("utf-8", "surrogatepass"), url=url), model=model).flagged

    # Warm-up: one pass over a slice fills the per-process caches (engines, word lists).
    for data, url in pages[:200]:
        one(data, url)
    gc.collect()
    start = rss_mb()
    print(f"{len(pages)} corpus pages held in memory (UTF-8 bytes); start (after warm-up): RSS {start:.1f} MB", flush=True)
    t0 = time.perf_counter()
    flagged = 0
    steady = None  # RSS after the first full pass over the distinct pages
    for i in range(1, args.pages + 1):
        flagged += one(*pages[(i - 1) % len(pages)])
        if i == len(pages):
            steady = rss_mb()
            print(f"{i:>7} pages  RSS {steady:7.1f} MB  (+{steady - start:5.1f})  first full pass over the pages", flush=True)
        if i % args.every == 0 or i == args.pages:
            dt = time.perf_counter() - t0
            rss = rss_mb()
            print(f"{i:>7} pages  RSS {rss:7.1f} MB  (+{rss - start:5.1f})  {i / dt:5.0f} pages/s", flush=True)
    end = rss_mb()
    growth = end - start
    print(f"end: RSS {end:.1f} MB, growth {growth:+.1f} MB from the start over {args.pages} pages "
          f"(limit {args.max_growth_mb:.0f} MB: {'OK' if growth < args.max_growth_mb else 'over'})")
    ok = growth < args.max_growth_mb
    if steady is not None and args.pages > len(pages):
        print(f"after the first pass: {end - steady:+.1f} MB over {args.pages - len(pages)} pages")
    print(f"RSS after malloc_trim: {trimmed_rss_mb():.1f} MB; {flagged} flagged")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
