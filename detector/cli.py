"""The ``farmscan`` command: parse arguments, call the library, map errors to exit codes.

Exit codes: 0 every input scored and none flagged; 1 some page flagged; 2 usage error or
some input failed. Each subcommand lives in ``detector/commands/<name>.py`` and defines
``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from detector import commands
from detector.errors import EXIT_ERROR, EXIT_FLAGGED, EXIT_OK, FarmscanError

__all__ = ["EXIT_ERROR", "EXIT_FLAGGED", "EXIT_OK", "build_parser", "command_modules", "main"]


def command_modules() -> dict[str, object]:
    mods = {}
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(mod, "run"):
            mods[getattr(mod, "NAME", info.name)] = mod
    return mods


def build_parser() -> argparse.ArgumentParser:
    from detector import __version__

    parser = argparse.ArgumentParser(
        prog="farmscan",
        description="Detect content farms, scraped copies and spam pages; explain each verdict.",
        epilog="Exit codes: 0 none flagged, 1 some flagged, 2 usage error or some input failed.",
    )
    parser.add_argument("--version", action="version", version=f"farmscan {__version__}")
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
        return int(args._run(args))
    except FarmscanError as exc:
        print(f"farmscan: {exc.one_line()}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("farmscan: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
