"""The per-page CPU budget: run extractors until the budget is spent, then score what was computed.

A page never gets killed: extractors run in name order and the CPU time of the scoring thread
(``time.thread_time``, so other threads do not count) is checked before each one. Once
``Options.max_cpu_seconds`` is spent, the remaining extractors are skipped; the verdict is
then marked ``truncated`` with a note naming them. One extractor already running is not
interrupted: the page-level limits in ``features/_guards.py`` keep each one bounded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from features import Features, extractors
from features.page import Page


@dataclass
class BudgetedFeatures:
    """Features computed within the budget, and what was skipped to stay in it."""

    features: Features
    cpu_seconds: float
    skipped: list[str] = field(default_factory=list)

    @property
    def note(self) -> str | None:
        if not self.skipped:
            return None
        return (
            f"cpu budget spent after {self.cpu_seconds:.2f} s; "
            f"skipped extractors: {', '.join(self.skipped)}"
        )


def extract_within(page: Page, max_cpu_seconds: float) -> BudgetedFeatures:
    """Every extractor's features, stopping once ``max_cpu_seconds`` of CPU are spent."""
    start = time.thread_time()
    out = Features()
    skipped: list[str] = []
    for name, fn in extractors():
        if skipped or time.thread_time() - start > max_cpu_seconds:
            skipped.append(name)
            continue
        out.update(fn(page))
    return BudgetedFeatures(out, time.thread_time() - start, skipped)
