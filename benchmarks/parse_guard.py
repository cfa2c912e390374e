"""The parser pre-scan (``features/_parse_guard.py``): hostile shapes before/after, and its cost on real pages.

Part 1, hostile shapes: CPU seconds of ``HTMLTree.parse`` on the raw markup and on the
defused markup (the pre-scan included), the number of elements each tree holds, and the
ratio raw/defused. A raw parse is skipped (``-``) once the smaller size of the same shape took
more than ``--raw-limit`` CPU seconds or built more than a million elements (it is quadratic:
the next size would take minutes and gigabytes; 16,000 open formatting elements need >16 GB).

Part 2, real pages (``../shared/corpus``): the pre-scan's CPU time as a share of the parse
time over every page, and how many pages it changes at all.

Usage: ``python benchmarks/parse_guard.py [--shared ../shared] [--pages 3000]``
"""

from __future__ import annotations

import argparse
import gzip
import time
from pathlib import Path

from resiliparse.parse.html import HTMLTree

from features._parse_guard import MAX_ATTRS, MAX_OPEN_FORMATTING, defuse


def _shapes() -> list[tuple[str, str]]:
    out = []
    for n in (10_000, 40_000, 1_000_000):
        out.append((f"one <div> with {n:,} attributes", "<div " + " ".join(f"a{i}=v" for i in range(n)) + ">x</div>"))
    for n in (1_000, 4_000, 16_000):
        out.append((f"<div><b class=cN></div> x {n:,}", "<html><body>" + "".join(f"<div><b class=c{i}></div>" for i in range(n)) + "x"))
    for n in (4_000, 16_000):
        out.append((f"<b class=cN><div> x {n:,}", "<html><body>" + "".join(f"<b class=c{i}><div>" for i in range(n)) + "x"))
    out.append(("<b><div> x 10,000", "<html><body>" + "<b><div>" * 10_000 + "x"))
    return out


def _parse(html: str) -> tuple[float, int]:
    start = time.process_time()
    tree = HTMLTree.parse(html)
    took = time.process_time() - start
    return took, len(tree.document.query_selector_all("*"))


def hostile(raw_limit: float) -> None:
    print(f"MAX_ATTRS={MAX_ATTRS} MAX_OPEN_FORMATTING={MAX_OPEN_FORMATTING}")
    print(f"{'shape':42s} {'KB':>6s} {'raw s':>8s} {'raw elems':>10s} {'defused s':>9s} {'elems':>7s} {'ratio':>7s}")
    slow_family: dict[str, tuple[float, int]] = {}
    for label, html in _shapes():
        family = label.split(" x ")[0].split(" with ")[0]
        start = time.process_time()
        safe, _changed = defuse(html)
        scan = time.process_time() - start
        d_took, d_elems = _parse(safe)
        d_took += scan
        took_before, elems_before = slow_family.get(family, (0.0, 0))
        if took_before > raw_limit or elems_before > 1_000_000:
            raw = "-"
            raw_elems = "-"
            ratio = "-"
        else:
            r_took, r_elems = _parse(html)
            slow_family[family] = (r_took, r_elems)
            raw, raw_elems, ratio = f"{r_took:.3f}", f"{r_elems:,}", f"{r_took / max(d_took, 1e-6):.0f}x"
        print(f"{label:42s} {len(html) / 1e3:6.0f} {raw:>8s} {raw_elems:>10s} {d_took:9.3f} {d_elems:7,} {ratio:>7s}", flush=True)


def corpus(shared: Path, limit: int) -> None:
    files = sorted((shared / "corpus" / "pages").glob("*.html.gz"))[:limit]
    if not files:
        print(f"no corpus under {shared}: part 2 skipped")
        return
    scan_total = parse_total = 0.0
    changed = 0
    for f in files:
        html = gzip.decompress(f.read_bytes()).decode("utf-8", "replace")
        start = time.process_time()
        safe, was = defuse(html)
        scan_total += time.process_time() - start
        start = time.process_time()
        HTMLTree.parse(safe)
        parse_total += time.process_time() - start
        changed += was
    print(
        f"corpus: {len(files)} pages, pre-scan {scan_total:.2f} s = {scan_total / parse_total:.0%} of parse time "
        f"({parse_total:.2f} s); pages changed by the pre-scan: {changed}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--raw-limit", type=float, default=1.0)
    args = ap.parse_args()
    hostile(args.raw_limit)
    corpus(args.shared, args.pages)


if __name__ == "__main__":
    main()
