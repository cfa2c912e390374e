"""Dask scaling: pages/s of :func:`detector.integrations.dask.score_files` with 1 and 2 worker processes.

Scores the first ``--limit`` corpus pages (``../shared/corpus/pages/*.html.gz``, read and
decompressed by the workers) on a ``LocalCluster`` of N single-threaded worker processes,
writing JSONL partitions to a temporary directory. Cluster start-up and a warm-up task (model,
ad-block engine) are outside the timing.

    python benchmarks/dask_scaling.py [--limit 600] [--workers 1 2] [--partition-size 50]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

SHARED = Path(os.environ.get("FARMSCAN_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))


def run(files: list[str], workers: int, partition_size: int) -> tuple[float, int, int]:
    import dask
    from dask.distributed import Client, LocalCluster

    from detector.integrations.dask import WORKER_CONFIG, score_files

    with dask.config.set(WORKER_CONFIG), LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client, tempfile.TemporaryDirectory() as tmp:
        # Warm every worker: one tiny task each loads the model and builds the engines.
        score_files(files[:workers], client=client, out_dir=Path(tmp) / "warm", fmt="jsonl", partition_size=1)
        t = time.perf_counter()
        res = score_files(files, client=client, out_dir=Path(tmp) / "run", fmt="jsonl", partition_size=partition_size)
        dt = time.perf_counter() - t
        return dt, sum(r.pages for r in res), len({r.pid for r in res})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=600)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--partition-size", type=int, default=50)
    args = ap.parse_args()
    files = sorted(str(p) for p in (SHARED / "corpus" / "pages").glob("*.html.gz"))[: args.limit]
    print(f"{len(files)} corpus pages, partitions of {args.partition_size}, {os.cpu_count()} CPUs on this machine")
    print(f"{'workers':>7} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'speed-up':>8}")
    base = None
    for n in args.workers:
        dt, pages, pids = run(files, n, args.partition_size)
        rate = pages / dt
        base = base or rate
        print(f"{n:>7} {pages:>6} {dt:>8.1f} {rate:>8.1f} {rate / base:>8.2f}   ({pids} worker processes ran tasks)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
