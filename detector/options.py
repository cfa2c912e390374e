"""The one options object shared by the library call, the CLI and the integrations."""

from __future__ import annotations

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
        model_sha256: hex SHA-256 of the model file's bytes; any other file is refused
            (the checksum inside a model file guards against corruption only).
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
    model_sha256: str | None = None

    def with_(self, **changes: Any) -> Options:
        """A copy with ``changes`` applied; unknown names raise ``TypeError``."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)


DEFAULT_OPTIONS = Options()
