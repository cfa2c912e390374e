"""Reading files safely: regular files only (a FIFO, socket or device is refused without
blocking on it), opened non-blocking and checked on the open descriptor, read within the size cap."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from detector.errors import InputError
from detector.options import Options
from detector.sources.document import display_name

_FILE_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory"),
)


def not_regular(mode: int) -> str | None:
    """What a non-regular file is (``"a FIFO (named pipe)"``...), ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")


def open_regular(path: Path) -> Any:
    """``path`` opened for reading, refusing FIFOs, sockets and devices without blocking on them.

    Opened non-blocking (a FIFO without a writer would block ``open`` forever) and checked on the
    open descriptor, so the file cannot be swapped between the check and the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"cannot read {display_name(str(path))}: {exc.strerror or exc}") from None
    kind = not_regular(os.fstat(fd).st_mode)
    if kind:
        os.close(fd)
        raise InputError(f"skipped {display_name(str(path))}: {kind}, not a regular file (use - to read a pipe)")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_file(path: Path, options: Options) -> bytes:
    with open_regular(path) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            # Gzip may expand; read compressed files whole (capped) and cap again after.
            return fh.read(options.max_bytes + 1 if size > options.max_bytes else size + 1)
        except OSError as exc:
            raise InputError(f"cannot read {display_name(str(path))}: {exc.strerror or exc}") from None
