"""Scoring many files on a ``dask.distributed`` cluster, written as Parquet or JSONL partitions.

:func:`score_files` splits the inputs into partitions (each WARC file on its own; other page
files ``partition_size`` at a time), runs one task per partition on the workers and has each
task write ``part-NNNNN.parquet`` (or ``.jsonl``) into ``out_dir``, which every worker must see
(a local directory for ``local:N``, shared storage for a multi-machine cluster; see
``docs/scale-out.md``). Only small per-partition summaries travel back to the client.

Each worker process loads the model once (:func:`detector.model.load.load_model` caches it) and keeps it, with every
per-process cache of the extractors (ad-block engine, word lists), for all its tasks.
Verdicts are the same as a single-process run: the same code scores the same pages.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detector.api import safe_load, score_documents
from detector.errors import UsageError
from detector.model.load import LOADS as MODEL_LOADS
from detector.options import DEFAULT_OPTIONS, Options
from detector.sources.document import Document
from detector.sources.load import expand_inputs, load_path_or_url
from detector.sources.warc import WarcStats, is_warc_path
from detector.verdict import Verdict, json_text

FORMATS = ("parquet", "jsonl")
DEFAULT_PARTITION_SIZE = 500

# Dask's worker profiler samples the task thread's frames from the event-loop thread; when it
# holds the last reference to a frame, Lexbor trees in it are freed on the wrong thread
# (resiliparse objects are thread-bound: "unsendable, but is being dropped on another thread").
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}

@dataclass
class PartitionResult:
    """What one task did: pages, flagged, errors, its output file, and which process ran it."""

    index: int
    path: str
    pages: int = 0
    flagged: int = 0
    errors: int = 0
    seconds: float = 0.0
    pid: int = 0
    model_loads: int = 0
    skipped: bool = False
    warc: dict[str, int] = field(default_factory=dict)


def partitions(paths: Iterable[str | Path], partition_size: int = DEFAULT_PARTITION_SIZE) -> list[list[str]]:
    """Inputs grouped into tasks: one WARC file per task, other files ``partition_size`` at a time."""
    if partition_size < 1:
        raise UsageError("partition_size must be at least 1")
    out: list[list[str]] = []
    batch: list[str] = []
    for item in expand_inputs(str(p) for p in paths):
        if item == "-":
            raise UsageError("'-' (stdin) cannot be scored on a cluster")
        if is_warc_path(item):
            out.append([item])
            continue
        batch.append(item)
        if len(batch) >= partition_size:
            out.append(batch)
            batch = []
    if batch:
        out.append(batch)
    return out


def _documents(items: list[str], options: Options, record_ids: dict[str, str], warc_stats: WarcStats) -> Iterator[Document]:
    for item in items:
        for doc in safe_load(
            item, name=item, url=None, options=options,
            loader=lambda src, url, options: load_path_or_url(src, url=url, options=options, warc_stats=warc_stats),
        ):
            rid = doc.page.meta_extra.get("warc_record_id") if doc.page is not None else None
            if rid:
                record_ids[doc.input] = rid
            yield doc


def verdict_row(v: Verdict, warc_record_id: str | None) -> dict[str, Any]:
    """The JSON contract of a verdict plus ``warc_record_id`` (``None`` outside WARC files)."""
    d = v.to_dict()
    d["warc_record_id"] = warc_record_id
    return d


def score_partition(index: int, items: list[str], options: Options, out_dir: str, fmt: str, resume: bool = False) -> PartitionResult:
    """Score one partition on a worker and write it to ``out_dir/part-<index>.<fmt>``."""
    t0 = time.perf_counter()
    out = Path(out_dir) / f"part-{index:05d}.{fmt}"
    res = PartitionResult(index=index, path=str(out), pid=os.getpid())
    if resume and out.exists():
        res.skipped = True
        _count_existing(res, out, fmt)
        return res
    record_ids: dict[str, str] = {}
    warc_stats = WarcStats()
    rows = []
    for v in score_documents(_documents(items, options, record_ids, warc_stats), options=options):
        rows.append(verdict_row(v, record_ids.get(v.input)))
        res.pages += 1
        res.flagged += v.label == "farm"
        res.errors += v.error is not None
    _write(rows, out, fmt)
    res.seconds = time.perf_counter() - t0
    res.model_loads = MODEL_LOADS["count"]
    res.warc = warc_stats.as_dict() if warc_stats.records else {}
    return res


def _count_existing(res: PartitionResult, out: Path, fmt: str) -> None:
    """Pages, flagged and errors of a partition an earlier run wrote (so a resumed run's exit
    code speaks for the whole output)."""
    if fmt == "jsonl":
        import json

        with out.open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
        res.pages = len(rows)
        res.flagged = sum(r.get("label") == "farm" for r in rows)
        res.errors = sum(r.get("error") is not None for r in rows)
        return
    import pyarrow.parquet as pq

    table = pq.read_table(out, columns=["flagged", "error"])
    res.pages = table.num_rows
    res.flagged = sum(bool(x) for x in table.column("flagged").to_pylist())
    res.errors = sum(x is not None for x in table.column("error").to_pylist())


def _write(rows: list[dict[str, Any]], out: Path, fmt: str) -> None:
    """Write rows atomically (a temporary name, then rename), so a partial file never counts as done."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + f".tmp-{os.getpid()}")
    if fmt == "jsonl":
        with tmp.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json_text(r) + "\n")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist([_flat(r) for r in rows], schema=_parquet_schema())
        pq.write_table(table, tmp)
    os.replace(tmp, out)


def _parquet_schema() -> Any:
    import pyarrow as pa

    return pa.schema([
        ("input", pa.string()),
        ("url", pa.string()),
        ("url_source", pa.string()),
        ("warc_record_id", pa.string()),
        ("label", pa.string()),
        ("probability", pa.float64()),
        ("threshold", pa.float64()),
        ("flagged", pa.bool_()),
        ("reasons", pa.list_(pa.string())),
        ("signals", pa.string()),  # JSON: [{name, score, evidence}]
        ("copy_of", pa.string()),  # JSON: [{url, site, similarity, original_likely, why, ...}] (with an index)
        ("abstain", pa.string()),  # "not a page: ..." when the input was not judged
        ("model", pa.string()),
        ("truncated", pa.bool_()),
        ("error", pa.string()),
    ])


def _flat(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "input": r["input"], "url": r["url"], "url_source": r["url_source"], "warc_record_id": r["warc_record_id"],
        "label": r["label"], "probability": r["probability"], "threshold": r["threshold"],
        "flagged": r["label"] == "farm", "reasons": list(r.get("reasons") or []),
        "signals": json.dumps(r["signals"], ensure_ascii=False),
        "copy_of": json.dumps(r.get("copy_of") or [], ensure_ascii=False),
        "abstain": r.get("abstain"), "model": r["model"],
        "truncated": r["truncated"], "error": r["error"],
    }


@contextmanager
def connect(address: str) -> Iterator[Any]:
    """A ``dask.distributed.Client`` for ``local:N`` (a LocalCluster of N worker processes)
    or a scheduler address (``tcp://host:8786``); closed on exit."""
    import dask
    from dask.distributed import Client, LocalCluster

    if address.startswith("local"):
        n = address.partition(":")[2] or str(os.cpu_count() or 1)
        if not n.isdigit() or int(n) < 1:
            raise UsageError(f"--dask local:N needs a positive worker count, got {address!r}")
        with dask.config.set(WORKER_CONFIG):
            cluster = LocalCluster(n_workers=int(n), threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()
        return
    if not address.startswith(("tcp://", "tls://", "ws://", "wss://", "inproc://")):
        raise UsageError(f"--dask takes local:N or a scheduler address like tcp://host:8786, got {address!r}")
    client = Client(address)
    try:
        yield client
    finally:
        client.close()


def score_files(
    paths: Iterable[str | Path],
    *,
    client: Any = None,
    address: str | None = None,
    options: Options = DEFAULT_OPTIONS,
    out_dir: str | Path,
    out_format: str | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    resume: bool = False,
    progress: Any = None,
    fmt: str | None = None,
) -> list[PartitionResult]:
    """Score files, directories and WARC archives on a Dask cluster; one output file per partition.

    Pass a connected ``client`` or an ``address`` (``local:N`` or ``tcp://host:8786``).
    ``progress``, if given, has ``add(pages, flagged, errors)`` called as partitions finish.
    ``resume`` skips partitions whose output file exists (partitioning is deterministic for
    the same inputs and ``partition_size``); without it, an ``out_dir`` that already holds
    partition files is refused (``UsageError``) rather than overwritten. Returns the
    partition results in index order; a partition kept from an earlier run has
    ``skipped=True`` and the counts read from its file.

    ``out_format`` is ``"parquet"`` (default) or ``"jsonl"``, as the CLI's ``--out-format``;
    the older ``fmt=`` still works and warns (``DeprecationWarning``).
    """
    if fmt is not None:
        import warnings

        warnings.warn("score_files(fmt=...) is deprecated; use out_format=... (as the CLI's --out-format)",
                      DeprecationWarning, stacklevel=2)
        if out_format is not None and out_format != fmt:
            raise UsageError(f"out_format={out_format!r} and fmt={fmt!r} disagree; use out_format only")
        out_format = fmt
    fmt = out_format or "parquet"
    if fmt not in FORMATS:
        raise UsageError(f"out_format must be one of {FORMATS}, got {fmt!r}")
    if client is None:
        if address is None:
            raise UsageError("score_files needs a client or an address")
        with connect(address) as c:
            return score_files(
                paths, client=c, options=options, out_dir=out_dir, out_format=fmt,
                partition_size=partition_size, resume=resume, progress=progress,
            )
    from dask.distributed import as_completed

    out = Path(out_dir).resolve()
    existing = sorted(out.glob("part-*.parquet")) + sorted(out.glob("part-*.jsonl")) if out.is_dir() else []
    if existing and not resume:
        raise UsageError(
            f"{out_dir} already holds {len(existing)} partition file(s) ({existing[0].name}...); "
            "pass --resume (resume=True) to continue that run, or choose an empty directory"
        )
    out.mkdir(parents=True, exist_ok=True)
    parts = partitions(paths, partition_size)
    futures = [
        client.submit(score_partition, i, items, options, str(out), fmt, resume, pure=False, key=f"farmscan-part-{i}-{os.urandom(4).hex()}")
        for i, items in enumerate(parts)
    ]
    results: list[PartitionResult] = []
    for fut in as_completed(futures):
        res = fut.result()
        results.append(res)
        if progress is not None and not res.skipped:
            progress.add(res.pages, res.flagged, res.errors)
    results.sort(key=lambda r: r.index)
    return results


def summary(results: list[PartitionResult]) -> WarcStats:
    """WARC counts summed over partitions."""
    total = WarcStats()
    for r in results:
        if r.warc:
            total.add(WarcStats(**r.warc))
    return total
