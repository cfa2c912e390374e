"""Progress of a batch on standard error: a bar on a terminal, plain lines otherwise, nothing with -q.

On a terminal the bar (tqdm) counts inputs against their total with an ETA and shows pages,
flagged, abstained and errors; otherwise (``--progress`` into a file or pipe) a plain line at
most every two seconds. The closing summary line is the same either way.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


class Progress:
    """Counts of a run; shows them as it goes when ``enabled``."""

    def __init__(self, enabled: bool, stream: TextIO = sys.stderr, every: float = 2.0,
                 total: int | None = None, bar: bool | None = None) -> None:
        self.enabled, self.stream, self.every = enabled, stream, every
        self.start = self.last = time.monotonic()
        self.n = self.flagged = self.errors = self.abstained = 0
        self.inputs = 0
        self._bar: Any = None
        if bar is None:
            bar = enabled and _isatty(stream)
        if enabled and bar:
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread (worker processes are forked)
            self._bar = tqdm(total=total, unit="input", file=stream, dynamic_ncols=True, leave=False,
                             desc="farmscan")

    def update(self, v: Any) -> None:
        self.add(1, v.label == "farm", v.error is not None, getattr(v, "abstain", None) is not None)

    def input_done(self, n: int = 1) -> None:
        """``n`` more input items finished (the bar counts inputs; a WARC file is one)."""
        self.inputs += n
        if self._bar is not None:
            self._bar.update(n)

    def add(self, n: int, flagged: int, errors: int, abstained: int = 0) -> None:
        """Count ``n`` pages at once (a finished partition of a distributed run)."""
        self.n += n
        self.flagged += flagged
        self.errors += errors
        self.abstained += abstained
        now = time.monotonic()
        if self._bar is not None:
            if now - self.last >= 0.5:
                self.last = now
                self._bar.set_postfix_str(f"{self.n} pages, {self.flagged} flagged, {self.abstained} not pages, "
                                          f"{self.errors} errors",
                                          refresh=False)
        elif self.enabled and now - self.last >= self.every:
            self.last = now
            print(f"farmscan: {self.line(now)}", file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def line(self, now: float | None = None) -> str:
        dt = max((now or time.monotonic()) - self.start, 1e-9)
        judged = self.n - self.abstained - self.errors
        share = self.flagged / judged if judged > 0 else 0.0
        from detector.commands._contract import plural

        return (
            f"{plural(self.n, 'page')}, {self.n / dt:.0f} pages/s, {self.flagged} flagged ({share:.1%}), "
            f"{plural(self.abstained, 'not a page', 'not pages')}, {plural(self.errors, 'error')}, {dt:.1f} s"
        )


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
