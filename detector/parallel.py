"""Scoring inputs in several processes on one machine, results in input order.

:func:`score_items` takes input items (paths, URLs, ``-``) and yields ``(item, verdicts)``
in the order given, whatever order the worker processes finish in. Each worker loads the
model (and opens the index, if any) once, in its initializer; a task is one input item (one
page file, one WordPress list, one WARC file), so a failure stays a per-page error record
exactly as in one process (:func:`detector.api.score_documents`). Workers ignore SIGINT:
Ctrl-C reaches the parent, which stops handing out work.

The same code scores the same pages in every process, so ``jobs=2`` gives the same records
as ``jobs=1`` (tested).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from detector.api import safe_load, score_documents
from detector.loaders import load_path_or_url
from detector.model import load_model
from detector.options import Options
from detector.verdict import Verdict

_STATE: dict[str, Any] = {}


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def score_item(item: str, *, options: Options, url: str | None = None, index: Any = None) -> list[Verdict]:
    """Every verdict of one input item (several for a WordPress list or a WARC file)."""
    docs = safe_load(
        item, name=item, url=url, options=options,
        loader=lambda src, url, options: load_path_or_url(src, url=url, options=options),
    )
    return list(score_documents(docs, options=options, index=index))


def _init(options: Options, url: str | None, index_path: str | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    index = None
    if index_path:
        from detector.index import Index

        index = Index.open(index_path)
    _STATE.update(options=options, url=url, index=index)
    load_model(options.model)  # once per worker process


def _work(item: str) -> list[Verdict]:
    return score_item(item, options=_STATE["options"], url=_STATE["url"], index=_STATE["index"])


def _context() -> Any:
    # fork shares the parent's loaded model and imports (copy-on-write) and starts fast; where
    # it is missing (Windows, macOS default), spawn.
    return mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")


def score_items(
    items: Iterable[str],
    *,
    options: Options,
    url: str | None = None,
    jobs: int = 1,
    index: Any = None,
    index_path: str | None = None,
    ahead: int = 4,
) -> Iterator[tuple[str, list[Verdict]]]:
    """``(item, verdicts)`` for each item, in input order, scored by ``jobs`` processes.

    ``jobs <= 1`` scores in this process (with ``index``); otherwise each worker opens
    ``index_path`` itself. At most ``jobs * ahead`` items are in flight, so memory stays
    bounded on long input lists.
    """
    if jobs <= 1:
        for item in items:
            yield item, score_item(item, options=options, url=url, index=index)
        return
    load_model(options.model)  # fail fast (a bad --model) before starting workers
    pending: deque[tuple[str, Future[list[Verdict]]]] = deque()
    it = iter(items)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_init,
                             initargs=(options, url, index_path)) as pool:
        try:
            for item in it:
                pending.append((item, pool.submit(_work, item)))
                if len(pending) >= jobs * ahead:
                    done_item, fut = pending.popleft()
                    yield done_item, fut.result()
            while pending:
                done_item, fut = pending.popleft()
                yield done_item, fut.result()
        finally:
            for _, fut in pending:
                fut.cancel()
