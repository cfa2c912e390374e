"""The ``farmscan`` command: parse arguments, call the library, map errors to exit codes.

Exit codes: 0 every input scored and none flagged; 1 some page flagged; 2 usage error, a
missing optional extra, or some input failed (and none flagged); 3 some page flagged *and*
some input failed (so a failure never hides a flag); 130 interrupted (Ctrl-C); 141 standard
output closed early (``| head``), as a tool killed by SIGPIPE. Inputs that are not pages
(``abstain``) do not change the code. Each subcommand lives in ``detector/commands/<name>.py`` and defines
``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from detector import commands
from detector.commands._common import missing_extra
from detector.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_ERROR,
    EXIT_FLAGGED,
    EXIT_FLAGGED_AND_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    FarmscanError,
)

__all__ = ["EXIT_ERROR", "EXIT_FLAGGED", "EXIT_OK", "build_parser", "command_modules", "entry", "main"]


def command_modules() -> dict[str, object]:
    mods = {}
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(mod, "run"):
            mods[getattr(mod, "NAME", info.name)] = mod
    return mods


class _Parser(argparse.ArgumentParser):
    """A usage error is one line on stderr (``farmscan score: usage: ...``) and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"{self.prog}: usage: {' '.join(message.split())} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from detector import __version__

    parser = _Parser(
        prog="farmscan",
        description="Detect content farms, scraped copies and spam pages; explain each verdict.",
        epilog="Exit codes: 0 none flagged, 1 some flagged, 2 usage error, missing extra or some input "
               "failed, 3 some flagged and some input failed, 130 interrupted, 141 output closed.",
    )
    parser.add_argument("--version", "-V", action="version", version=f"farmscan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, mod in command_modules().items():
        p = sub.add_parser(name, help=mod.HELP, description=getattr(mod, "DESCRIPTION", mod.HELP))
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        code = int(args._run(args))
    except FarmscanError as exc:
        print(f"farmscan: {exc.one_line()}", file=sys.stderr)
        return int(getattr(exc, "exit", EXIT_ERROR))
    except ModuleNotFoundError as exc:
        line = missing_extra(exc)
        if line is None:
            raise
        print(f"farmscan: {line}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("farmscan: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # an output that cannot be written (full disk, gone, no permission)
        print(f"farmscan: output: cannot write: {_os_line(exc)}", file=sys.stderr)
        _silence_stdout()
        return EXIT_ERROR
    return _flushed(code)


def _os_line(exc: OSError) -> str:
    where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
    return where + (exc.strerror or str(exc) or exc.__class__.__name__)


def _flushed(code: int) -> int:
    """``code`` once standard output is flushed; a full disk there is one line and exit 2 (3 if flagged)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        print(f"farmscan: output: cannot write standard output: {_os_line(exc)}", file=sys.stderr)
        _silence_stdout()
        return EXIT_FLAGGED_AND_ERROR if code in (EXIT_FLAGGED, EXIT_FLAGGED_AND_ERROR) else EXIT_ERROR
    return code


def _silence_stdout() -> None:
    """After EPIPE: point stdout at /dev/null so the interpreter's final flush stays quiet."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def entry() -> None:
    """The console script: :func:`main`, with Ctrl-C and a closed pipe ending as Unix tools end."""
    try:
        code = main()
    except KeyboardInterrupt:  # before main's own handler was reached (imports, argument parsing)
        print("farmscan: interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        code = EXIT_BROKEN_PIPE
    if code != EXIT_BROKEN_PIPE:
        code = _flushed(code)
    sys.exit(code)
