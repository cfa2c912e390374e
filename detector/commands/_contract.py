"""What every command promises alike: outputs checked before any work, ``--jobs``, the failed
inputs named, ``--errors FILE``, plural forms.

* An output path (``--output``, ``--errors``, ``--html``, ``--out``, ``--index``, ``--report-dir``,
  ``--out-dir``) is checked before the first input is read: its folder must exist (farmscan
  creates the file or folder the option names, never the folders above it) and be writable.
  A bad one is one line and exit 2.
* A write that fails later (a full disk) is one line and exit 2, or 3 when a page was already
  flagged (:class:`~detector.errors.OutputError`).
* ``--jobs N``: N processes; ``-1`` all cores (as scikit-learn's ``n_jobs=-1``).
* Each failed input is named on standard error after the run (the first ``SHOWN_FAILURES``;
  ``--errors FILE`` writes every one as a JSON line ``{"input", "url", "error"}``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from detector.errors import OutputError, UsageError

SHOWN_FAILURES = 10


def plural(n: int, word: str, many: str | None = None) -> str:
    """``"1 page"``, ``"2 pages"``; ``many`` for irregular plurals."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def check_output(path: str | os.PathLike[str] | None, option: str, *, directory: bool = False) -> None:
    """Refuse, before any work, an output that cannot be written: a missing or unwritable folder,
    a folder where a file is wanted (or a file where a folder is wanted)."""
    if not path:
        return
    p = Path(path).expanduser()
    if p.exists():
        if directory and not p.is_dir():
            raise OutputError(f"{option} {path}: not a directory")
        if not directory and p.is_dir():
            raise OutputError(f"{option} {path}: is a directory, not a file")
        if not os.access(p, os.W_OK):
            raise OutputError(f"{option} {path}: not writable (permission denied)")
        return
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        what = "is not a directory" if parent.exists() else "does not exist"
        raise OutputError(f"{option} {path}: the folder {parent} {what} (farmscan does not create it)")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {path}: the folder {parent} is not writable (permission denied)")


def write_failed(exc: OSError, what: str, flagged: int = 0) -> OutputError:
    """A failed write as one line (exit 3 when a page was already flagged, else 2)."""
    why = exc.strerror or str(exc) or exc.__class__.__name__
    return OutputError(f"cannot write {what}: {why}", flagged=flagged > 0)


def add_jobs(p: argparse.ArgumentParser, default: str = "1") -> None:
    p.add_argument("--jobs", "-j", type=int, metavar="N",
                   help=f"score in N processes, output in input order; -1: all cores (default {default})")


def jobs_from(value: int | None, n_items: int, default: int = 1) -> int:
    """``--jobs`` as a process count: ``None`` -> ``default``, ``-1`` -> all cores, at most one per item."""
    from detector.parallel import default_jobs

    if value is None:
        value = default
    elif value == -1:
        value = default_jobs()
    elif value < 1:
        raise UsageError("--jobs must be at least 1, or -1 for all cores")
    return max(1, min(value, n_items))


def add_errors(p: argparse.ArgumentParser) -> None:
    p.add_argument("--errors", metavar="FILE",
                   help="write every failed input as a JSON line {input, url, error} to FILE")


def refuse_url_for_many(url: str | None, n_items: int) -> None:
    if url and n_items > 1:
        raise UsageError(f"--url names one page, but the inputs hold {n_items}; give each file's URL in an "
                         "--input-file list (PATH<TAB>URL)")


class Failures:
    """Failed inputs of a run: named on stderr at the end, and written to ``--errors FILE``."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self.items: list[tuple[str, str | None, str]] = []
        self._fh: TextIO | None = None
        if path:
            self._fh = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def add(self, input: str, url: str | None, error: str) -> None:
        from detector.verdict import json_text

        self.items.append((input, url, error))
        if self._fh is not None:
            try:
                self._fh.write(json_text({"input": input, "url": url, "error": error}) + "\n")
                self._fh.flush()
            except OSError as exc:
                raise write_failed(exc, f"--errors {self.path}") from None

    def close(self) -> None:
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError as exc:
                self._fh = None
                raise write_failed(exc, f"--errors {self.path}") from None
            self._fh = None

    def lines(self) -> Iterator[str]:
        """``failed: INPUT: error`` for the first few, then how many more and where they all are."""
        for input, _url, error in self.items[:SHOWN_FAILURES]:
            yield f"failed: {_printable(input)}: {_printable(error)}"
        more = len(self.items) - SHOWN_FAILURES
        if more > 0:
            where = f"{self.path} lists them all" if self.path else "--errors FILE lists them all"
            yield f"... and {plural(more, 'more failed input')}; {where}"

    def report(self, stream: Any = None, quiet: bool = False) -> None:
        if quiet:
            return
        for line in self.lines():
            print(f"farmscan: {line}", file=stream or sys.stderr)


def _printable(s: str) -> str:
    return " ".join(s.encode("utf-8", "backslashreplace").decode("utf-8").split())


@contextmanager
def writing(what: str, counts: Any = None) -> Iterator[None]:
    """Turn an ``OSError`` of a write into :class:`OutputError`; ``counts`` (a flagged count, or
    anything with ``.flagged``) above 0 picks exit 3."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        flagged = counts if isinstance(counts, int) else getattr(counts, "flagged", 0)
        raise write_failed(exc, what, int(flagged or 0)) from None
