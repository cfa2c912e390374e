"""``farmscan score --jobs``: wall time with 1 and 2 processes on the corpus, same process.

Scores the first ``--limit`` corpus page files (``../shared/corpus/pages`` or
``$FARMSCAN_SHARED``) with :func:`detector.parallel.score_items` at ``jobs=1`` then
``jobs=2`` (the code ``farmscan score --jobs`` runs), checks the records are equal, and
prints pages/s and CPU seconds for each and the speed-up ratio. On a machine whose cores are
busy with other work the ratio says so; compare it with the load average it prints, and the
CPU seconds (equal CPU with N processes means no overhead was added, only cores were missing).

    python benchmarks/jobs_scaling.py --limit 600
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

from detector.options import Options
from detector.parallel import WorkItem, score_items

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    ru = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(r.ru_utime + r.ru_stime for r in ru)


def run(paths: list[str], jobs: int) -> tuple[float, float, list[dict]]:
    """Wall seconds, CPU seconds (this process and its finished worker processes), records."""
    t0, c0 = time.perf_counter(), _cpu()
    items = [WorkItem(p) for p in paths]
    records = [v.to_dict() for _item, vs, _warc in score_items(items, options=Options(), jobs=jobs) for v in vs]
    return time.perf_counter() - t0, _cpu() - c0, records


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=600, help="corpus page files to score (default 600; 0 = all)")
    ap.add_argument("--jobs", type=int, default=2, help="processes of the second run (default 2)")
    args = ap.parse_args()
    shared = Path(os.environ.get("FARMSCAN_SHARED", ROOT.parent / "shared"))
    pages = sorted(str(p) for p in (shared / "corpus" / "pages").iterdir())
    if not pages:
        print(f"no corpus pages under {shared}", file=sys.stderr)
        return 2
    if args.limit:
        pages = pages[: args.limit]
    run(pages[:20], 1)  # warm up: model, ad-block engine, word lists in this process
    load = os.getloadavg()[0]
    t1, c1, r1 = run(pages, 1)
    tn, cn, rn = run(pages, args.jobs)
    same = r1 == rn
    print(f"pages: {len(r1)} (files {len(pages)}), cores {os.cpu_count()}, load average {load:.1f} -> {os.getloadavg()[0]:.1f}")
    print(f"jobs=1: {t1:.1f} s, {len(r1) / t1:.1f} pages/s, {c1:.1f} CPU s")
    print(f"jobs={args.jobs}: {tn:.1f} s, {len(rn) / tn:.1f} pages/s, {cn:.1f} CPU s (workers included)")
    print(f"speedup_1_to_{args.jobs}={t1 / tn:.2f} records_equal={same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
