"""Typed errors. The CLI maps each to one line and a non-zero exit; batches record them per input."""

from __future__ import annotations

# Exit codes: every input scored and none flagged; some page flagged; usage error or some
# input failed; both flagged pages and failed inputs; interrupted (Ctrl-C); output pipe closed.
EXIT_OK, EXIT_FLAGGED, EXIT_ERROR, EXIT_FLAGGED_AND_ERROR = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141


def exit_code(flagged: int, errors: int) -> int:
    """The documented code for a batch: flagged and failed inputs both show."""
    if flagged and errors:
        return EXIT_FLAGGED_AND_ERROR
    if errors:
        return EXIT_ERROR
    return EXIT_FLAGGED if flagged else EXIT_OK


class FarmscanError(Exception):
    """Base class of every error farmscan raises on purpose."""

    code = "error"

    def one_line(self) -> str:
        msg = " ".join(str(self).split()) or self.__class__.__name__
        return f"{self.code}: {msg}"


class InputError(FarmscanError):
    """The input cannot be read as a page (unknown format, bad JSON, empty, unreadable file)."""

    code = "input"


class FetchError(FarmscanError):
    """A URL could not be fetched (network error, HTTP status, refused address, size cap)."""

    code = "fetch"


class BudgetError(FarmscanError):
    """A page exceeded its size or time budget and nothing useful could be scored."""

    code = "budget"


class ModelError(FarmscanError):
    """A model file is missing, tampered with, of an unknown version or unsafe format."""

    code = "model"


class UsageError(FarmscanError):
    """Bad options or arguments."""

    code = "usage"


class IndexFormatError(InputError):
    """An index on disk was written in another on-disk format (rebuild it with this farmscan)."""

    code = "index-format"


class OutputError(FarmscanError):
    """An output cannot be written (a missing folder, a full disk, no permission).

    ``flagged`` says some page was already flagged before the write failed: the command then
    exits 3 (flagged and failed) instead of 2, so the failure never hides a flag.
    """

    code = "output"

    def __init__(self, message: str, *, flagged: bool = False) -> None:
        super().__init__(message)
        self.flagged = flagged

    @property
    def exit(self) -> int:
        return EXIT_FLAGGED_AND_ERROR if self.flagged else EXIT_ERROR


class InternalError(FarmscanError):
    """An unexpected failure inside farmscan while scoring one input (a bug: please report it)."""

    code = "internal"
