"""The per-page CPU budget: everything done for one page, from its first byte read to its verdict.

The clock of a page starts when its loader is asked for it (:func:`start_clock`, called by
:func:`detector.api.safe_load` and :func:`detector.api.score` before reading, decompressing,
sniffing and decoding the page's bytes), or else when :func:`detector.api.score_page` gets it.
It counts the CPU time of the scoring thread (``time.thread_time``, so other threads do not
count): the parse and its pre-scans, the not-a-page rules, every extractor, the index
look-up and its sketch. A page is never killed: the budget is checked between steps, before
each extractor and before the index look-up. Once ``Options.max_cpu_seconds`` is spent the
remaining steps are skipped and the verdict is marked ``truncated`` with a note naming them.
A step already running is not interrupted: each is linear in the page, or capped by the
limits in ``features/_guards.py``, ``features/_parse_guard.py`` and the extractors' own
constants (``docs/hostile-input.md``, "Round three: work bounds").
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from features import Features, extractors
from features.page import Page

_CLOCK = "_budget_clock"  # Page attribute: (thread id, thread CPU time the page's work began)
INDEX_STEP = "index look-up"


def start_clock(page: Any, at: float | None = None) -> None:
    """Charge ``page``'s budget from ``at`` (``time.thread_time()`` of this thread; now when ``None``)."""
    if isinstance(page, Page) and _CLOCK not in page.__dict__:
        page.__dict__[_CLOCK] = (threading.get_ident(), time.thread_time() if at is None else at)


def clock_start(page: Page) -> float:
    """When ``page``'s work began in this thread (its clock, started now if it has none here).

    A page loaded in another thread has its own thread's CPU time, which this thread's
    clock cannot be compared with: its budget starts now.
    """
    clock = page.__dict__.get(_CLOCK)
    if clock is not None and clock[0] == threading.get_ident():
        return clock[1]
    now = time.thread_time()
    page.__dict__[_CLOCK] = (threading.get_ident(), now)
    return now


def spent(start: float, max_cpu_seconds: float) -> bool:
    """Whether the budget of a page whose clock started at ``start`` is spent."""
    return time.thread_time() - start > max_cpu_seconds


@dataclass
class BudgetedFeatures:
    """Features computed within the budget, and what was skipped to stay in it."""

    features: Features
    cpu_seconds: float
    skipped: list[str] = field(default_factory=list)
    skipped_steps: list[str] = field(default_factory=list)  # other steps: the index look-up

    @property
    def note(self) -> str | None:
        if not self.skipped and not self.skipped_steps:
            return None
        parts = [f"cpu budget spent after {self.cpu_seconds:.2f} s"]
        if self.skipped:
            parts.append(f"skipped extractors: {', '.join(self.skipped)}")
        if self.skipped_steps:
            parts.append(f"skipped: {', '.join(self.skipped_steps)}")
        return "; ".join(parts)


def extract_within(page: Page, max_cpu_seconds: float, start: float | None = None) -> BudgetedFeatures:
    """Every extractor's features, stopping once ``max_cpu_seconds`` of CPU are spent.

    ``start``: the thread CPU time the page's budget started at (default: its clock, see
    :func:`clock_start`), so what was done before the extractors (reading, decoding, parsing)
    counts too.
    """
    if start is None:
        start = clock_start(page)
    out = Features()
    skipped: list[str] = []
    for name, fn in extractors():
        if skipped or time.thread_time() - start > max_cpu_seconds:
            skipped.append(name)
            continue
        out.update(fn(page))
    return BudgetedFeatures(out, time.thread_time() - start, skipped)
