"""Input lists: one input per line, optionally with the page's URL (``PATH<TAB>URL``).

This is how ``farmscan score --input-file LIST`` reads a batch of saved pages together with
the addresses they were saved from. A line is

* ``PATH`` (a file, a directory, or an ``http(s)://`` URL to fetch), or
* ``PATH<TAB>URL``: the file and the absolute http(s) URL it was fetched from.

Blank lines and lines starting with ``#`` are skipped; a trailing ``\\r`` is dropped. Relative
paths are read from the current directory (as the paths given on the command line are).
A line that cannot be read as an input (too many fields, a URL that is not absolute http(s),
a URL beside a directory or a URL input, ``-``) becomes one failed :class:`Document` named
``LIST:LINE`` and the batch keeps going. The list is streamed, never held whole.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from detector.errors import InputError
from detector.sources.document import Document, display_name, is_url
from detector.sources.load import walk_inputs
from features.page import absolute_http_url


@dataclass(frozen=True)
class ListEntry:
    """One meaningful line of an input list: an input and its URL, or why the line is unusable."""

    name: str  # "LIST:LINE", for error records
    item: str = ""
    url: str | None = None
    error: str | None = None


def parse_line(line: str, name: str) -> ListEntry | None:
    """One line (without its newline) as an entry; ``None`` for a blank line or a comment."""
    line = line.rstrip("\r")
    if not line.strip() or line.lstrip().startswith("#"):
        return None
    fields = line.split("\t")
    if len(fields) > 2:
        return ListEntry(name, error=f"{len(fields)} tab-separated fields; expected PATH or PATH<TAB>URL")
    item = fields[0].strip()
    raw_url = fields[1].strip() if len(fields) == 2 else ""
    if not item:
        return ListEntry(name, error="no input before the tab")
    if item == "-":
        return ListEntry(name, error="'-' (stdin) cannot be listed; pass it on the command line")
    if not raw_url:
        return ListEntry(name, item=item)
    url = absolute_http_url(raw_url)
    if not url or url != raw_url:
        return ListEntry(name, item=item, error=f"not an absolute http(s) URL: {raw_url[:200]}")
    if is_url(item):
        return ListEntry(name, item=item, error="a URL input is fetched from its own address; drop the second URL")
    if _is_dir(item):
        return ListEntry(name, item=item, error="a directory holds many pages; give the URL of each file")
    return ListEntry(name, item=item, url=url)


def _is_dir(item: str) -> bool:
    try:
        return Path(item).is_dir()
    except (OSError, ValueError):  # a name too long, no search permission: reported when read
        return False


def read_list(path: str, *, stdin: BinaryIO | None = None) -> Iterator[ListEntry]:
    """The entries of the list file ``path`` (``-``: standard input), streamed line by line.

    The file is opened at once: :class:`InputError` when it cannot be, before any input is read.
    """
    if path == "-":
        return _entries(stdin if stdin is not None else sys.stdin.buffer, "<stdin>", close=False)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by _entries once the list is read
    except OSError as exc:
        raise InputError(f"cannot read input list {path}: {exc.strerror or exc}") from None
    return _entries(fh, path, close=True)


def _entries(stream: BinaryIO, label: str, *, close: bool) -> Iterator[ListEntry]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="\n")
    try:
        for n, line in enumerate(text, 1):
            entry = parse_line(line.rstrip("\n"), f"{label}:{n}")
            if entry is not None:
                yield entry
    finally:
        text.detach()  # the wrapper must not close a caller's stream (stdin)
        if close:
            stream.close()


def list_documents(
    entries: Iterator[ListEntry],
    load_one: Callable[[str, str | None], Iterator[Document]],
    skip: Callable[[str], bool] = lambda _name: False,
) -> Iterator[Document]:
    """Documents for list entries: directories expanded, each input loaded by ``load_one(item, url)``.

    ``load_one`` records its own failures (see :func:`detector.api.safe_load`); an unusable
    line becomes a failed document named ``LIST:LINE``. ``skip(name)`` drops inputs already done.
    """
    for entry in entries:
        if entry.error is not None:
            if not skip(entry.name):
                yield Document(entry.name, error=InputError(f"{entry.name}: {entry.error}"))
            continue
        items: Any = [(entry.item, None)] if entry.url is not None else walk_inputs([entry.item])
        for item, why in items:
            if skip(display_name(item)):
                continue
            if why is not None:
                yield Document(display_name(item), error=InputError(why))
                continue
            yield from load_one(item, entry.url)
