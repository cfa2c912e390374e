"""Scoring inputs in several processes on one machine, results in input order.

:func:`score_items` takes :class:`WorkItem` objects (a path, URL or ``-``, the page's URL if
known, or why the input cannot be read) and yields ``(item, verdicts, warc_stats)`` in the order
given, whatever order the worker processes finish in; ``verdicts`` is an iterator (scored as it
is advanced in one process; read back from the worker, or its spool file, with several). Each worker loads the
model (and opens the index, if any) once, in its initializer; a task is one input item (one
page file, one WordPress list, one WARC file), so a failure stays a per-page error record
exactly as in one process (:func:`detector.api.score_documents`). Workers ignore SIGINT:
Ctrl-C reaches the parent, which stops handing out work.

The same code scores the same pages in every process, so ``jobs=2`` gives the same records
as ``jobs=1`` (tested).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import signal
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from detector.api import IndexLike, safe_load, score_documents
from detector.errors import InputError
from detector.model.load import load_model
from detector.options import Options
from detector.sources.document import Document, display_name
from detector.sources.load import load_path_or_url
from detector.sources.warc import WarcStats
from detector.verdict import Verdict

Result = tuple[Iterator[Verdict], WarcStats]
# A worker sends an item's verdicts back whole up to this many; past it they go to a spool
# file the parent reads back one at a time (a WARC of 40,000 records is not held in memory).
SPOOL_AFTER = 256


@dataclass(frozen=True)
class WorkItem:
    """One input of a batch: a path, URL or ``-``; the page's URL when known; or, for an
    input that cannot be read at all (a bad line of an input list), why."""

    input: str
    url: str | None = None
    error: str | None = None

_STATE: dict[str, Any] = {}


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def score_item(work: WorkItem, *, options: Options, index: IndexLike | None = None) -> Result:
    """The verdicts of one input item (several for a WordPress list or a WARC file), streamed:
    each is scored when the iterator is advanced, so memory stays flat however many records an
    archive holds. The :class:`WarcStats` is complete once the verdicts are consumed."""
    stats = WarcStats()
    name = display_name(work.input)
    if work.error is not None:
        docs: Iterable[Document] = [Document(name, error=InputError(work.error))]
    else:
        docs = safe_load(
            work.input, name=name, url=work.url, options=options,
            loader=lambda src, url, options: load_path_or_url(src, url=url, options=options, warc_stats=stats),
        )
    return score_documents(docs, options=options, index=index), stats


def _die_with_parent() -> None:
    """Linux: have the kernel end this worker when the process that started it dies (a SIGKILLed
    ``farmscan score --jobs N`` must not leave its workers behind, blocked on their queue)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the executor's own shutdown handles normal exits
        pass
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _init(options: Options, index_path: str | None) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    index = None
    if index_path:
        from detector.index import Index

        index = Index.open(index_path)
    _STATE.update(options=options, index=index)
    load_model(options.model, options.model_sha256)  # once per worker process


def _work(work: WorkItem) -> tuple[list[Verdict] | str, WarcStats]:
    """Score one item in a worker: its verdicts, or the path of the spool file holding them."""
    verdicts, stats = score_item(work, options=_STATE["options"], index=_STATE["index"])
    head: list[Verdict] = []
    for v in verdicts:
        head.append(v)
        if len(head) > SPOOL_AFTER:
            return _spool(head, verdicts), stats
    return head, stats


def _spool(head: list[Verdict], rest: Iterator[Verdict]) -> str:
    fd, path = tempfile.mkstemp(prefix="farmscan-spool-", suffix=".pickle")
    with os.fdopen(fd, "wb") as fh:
        pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
        for v in head:
            pickler.dump(v)
            pickler.clear_memo()
        head.clear()
        for v in rest:
            pickler.dump(v)
            pickler.clear_memo()
    return path


def _unspool(got: list[Verdict] | str) -> Iterator[Verdict]:
    if isinstance(got, list):
        yield from got
        return
    try:
        with open(got, "rb") as fh:
            unpickler = pickle.Unpickler(fh)
            while True:
                try:
                    yield unpickler.load()
                except EOFError:
                    return
    finally:
        with contextlib.suppress(OSError):
            os.unlink(got)


def _result(fut: Future[tuple[list[Verdict] | str, WarcStats]]) -> Result:
    got, stats = fut.result()
    return _unspool(got), stats


def _context() -> Any:
    # fork shares the parent's loaded model and imports (copy-on-write) and starts fast; where
    # it is missing (Windows, macOS default), spawn.
    return mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context("spawn")


def ordered_map(fn: Any, items: Iterable[Any], jobs: int, *, initializer: Any, initargs: tuple[Any, ...],
                ahead: int = 4) -> Iterator[Any]:
    """``fn(item)`` for each item on ``jobs`` worker processes (the set-up of :func:`score_items`:
    ``initializer(*initargs)`` once per worker), results in input order, at most ``jobs * ahead``
    items in flight; what is still pending when the consumer stops is cancelled."""
    pending: deque[Future[Any]] = deque()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=initializer,
                             initargs=initargs) as pool:
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) >= jobs * ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for fut in pending:
                fut.cancel()


def score_items(
    items: Iterable[WorkItem],
    *,
    options: Options,
    jobs: int = 1,
    index: IndexLike | None = None,
    index_path: str | None = None,
    ahead: int = 4,
) -> Iterator[tuple[WorkItem, list[Verdict], WarcStats]]:
    """``(item, verdicts, warc_stats)`` for each item, in input order, scored by ``jobs`` processes.

    ``verdicts`` is an iterator: consume it before advancing to the next item (``warc_stats``
    is complete once it is consumed).

    ``jobs <= 1`` scores in this process (with ``index``); otherwise each worker opens
    ``index_path`` itself. At most ``jobs * ahead`` items are in flight, so memory stays
    bounded on long input lists.
    """
    if jobs <= 1:
        for item in items:
            yield (item, *score_item(item, options=options, index=index))
        return
    load_model(options.model, options.model_sha256)  # fail fast (a bad --model) before starting workers
    pending: deque[tuple[WorkItem, Future[Any]]] = deque()
    it = iter(items)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_init,
                             initargs=(options, index_path)) as pool:
        try:
            for item in it:
                pending.append((item, pool.submit(_work, item)))
                if len(pending) >= jobs * ahead:
                    done_item, fut = pending.popleft()
                    yield (done_item, *_result(fut))
            while pending:
                done_item, fut = pending.popleft()
                yield (done_item, *_result(fut))
        finally:
            for _, fut in pending:
                if not fut.cancel() and fut.done() and fut.exception() is None:
                    got, _stats = fut.result()
                    if isinstance(got, str):  # a spool nobody will read
                        with contextlib.suppress(OSError):
                            os.unlink(got)
