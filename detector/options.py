"""The one options object shared by the library call, the CLI and the integrations."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

DEFAULT_USER_AGENT = "farmscan/0.1 (+https://pypi.org/project/farmscan/; content-farm detector)"


@dataclass(frozen=True)
class Options:
    """How to read, fetch and judge pages.

    Attributes:
        model: path of a model file; ``None`` loads the model shipped in the package.
        threshold: probability at or above which a page is labelled ``farm``;
            ``None`` uses the model's own calibrated threshold.
        input_format: ``None`` sniffs the format from content; else one of
            ``html``, ``text``, ``wp-json``, ``warc``.
        timeout: seconds for a whole HTTP fetch.
        max_bytes: cap on a page's bytes (after decompression too).
        max_redirects: HTTP redirects followed at most.
        allow_private: fetch loopback/private/link-local addresses (off by default).
        user_agent: the User-Agent header sent when fetching.
        max_cpu_seconds: per-page CPU budget for scoring.
        explain: keep every feature value and its evidence in the verdict.
        fetch: :func:`detector.score` fetches a ``str`` that is an http(s) URL (off by
            default: a ``str`` is page content; :func:`detector.score_url` always fetches).

    Values are checked when the object is built: a bad one raises
    :class:`~detector.errors.UsageError` (``Options(threshold=2.0)`` is refused, as the CLI
    refuses ``--threshold 2``).
        model_sha256: hex SHA-256 of the model file's bytes; any other file is refused
            (the checksum inside a model file guards against corruption only).
        probe_pages: pages :func:`detector.probe_site` reads and judges per site at most.
        probe_delay: seconds between two requests to one host when probing (robots.txt's
            ``Crawl-delay`` can raise it).
        probe_seconds: wall-time budget of probing one site.
        probe_bytes: bytes (decoded) read from one site at most when probing.
    """

    model: str | None = None
    threshold: float | None = None
    input_format: str | None = None
    timeout: float = 15.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = DEFAULT_USER_AGENT
    max_cpu_seconds: float = 2.0
    explain: bool = False
    fetch: bool = False
    model_sha256: str | None = None
    probe_pages: int = 20
    probe_delay: float = 1.0
    probe_seconds: float = 120.0
    probe_bytes: int = 20 * 1024 * 1024

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            from detector.errors import UsageError

            raise UsageError("invalid Options: " + "; ".join(problems))

    def with_(self, **changes: Any) -> Options:
        """A copy with ``changes`` applied; unknown names raise ``TypeError``."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)


_FORMATS = ("html", "text", "wp-json", "warc")  # detector.sources.document.FORMATS (not imported: loaders imports this module)


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and v == v  # not NaN


def _problems(o: Options) -> list[str]:
    out = []
    if o.threshold is not None and not (_number(o.threshold) and 0.0 <= o.threshold <= 1.0):
        out.append(f"threshold must be between 0 and 1, got {o.threshold!r}")
    if o.input_format is not None and o.input_format not in _FORMATS:
        out.append(f"input_format must be one of {', '.join(_FORMATS)}, got {o.input_format!r}")
    if not (_number(o.timeout) and o.timeout > 0):
        out.append(f"timeout must be a positive number of seconds, got {o.timeout!r}")
    if not (isinstance(o.max_bytes, int) and not isinstance(o.max_bytes, bool) and o.max_bytes >= 1):
        out.append(f"max_bytes must be a positive integer, got {o.max_bytes!r}")
    if not (isinstance(o.max_redirects, int) and not isinstance(o.max_redirects, bool) and o.max_redirects >= 0):
        out.append(f"max_redirects must be a non-negative integer, got {o.max_redirects!r}")
    if not (_number(o.max_cpu_seconds) and o.max_cpu_seconds >= 0):
        out.append(f"max_cpu_seconds must be a number >= 0, got {o.max_cpu_seconds!r}")
    if o.model is not None and not isinstance(o.model, str | os.PathLike):
        out.append(f"model must be a path, got {type(o.model).__name__}")
    if not (isinstance(o.probe_pages, int) and not isinstance(o.probe_pages, bool) and 1 <= o.probe_pages <= 1000):
        out.append(f"probe_pages must be an integer from 1 to 1000, got {o.probe_pages!r}")
    if not (_number(o.probe_delay) and 0 <= o.probe_delay <= 60):
        out.append(f"probe_delay must be from 0 to 60 seconds, got {o.probe_delay!r}")
    if not (_number(o.probe_seconds) and o.probe_seconds > 0):
        out.append(f"probe_seconds must be a positive number of seconds, got {o.probe_seconds!r}")
    if not (isinstance(o.probe_bytes, int) and not isinstance(o.probe_bytes, bool) and o.probe_bytes >= 1):
        out.append(f"probe_bytes must be a positive integer, got {o.probe_bytes!r}")
    if not isinstance(o.user_agent, str) or not o.user_agent.strip():
        out.append("user_agent must be a non-empty string")
    return out


DEFAULT_OPTIONS = Options()
