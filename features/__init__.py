"""Feature extractors: pure functions of a parsed :class:`~features.page.Page`.

Every module in this package that defines ``extract(page) -> Features`` is a
signal and declares the names it returns in ``FEATURES``; adding a signal is adding one
such module (and its tests). Modules are run in name order, so the merged feature dict
is deterministic.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from features.base import Features
from features.page import Page, from_text, parse_html

__all__ = ["Features", "Page", "declared_features", "extract_all", "extractors", "from_text", "parse_html"]

_NOT_SIGNALS = {"base", "page", "domains"}
_EXTRACTORS: list[tuple[str, Callable[[Page], Features]]] | None = None


def extractors() -> list[tuple[str, Callable[[Page], Features]]]:
    """``(module name, extract)`` for every signal module, in name order."""
    global _EXTRACTORS
    if _EXTRACTORS is None:
        found = []
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            if info.name in _NOT_SIGNALS or info.name.startswith("_") or info.ispkg:
                continue
            mod = importlib.import_module(f"{__name__}.{info.name}")
            fn = getattr(mod, "extract", None)
            if callable(fn):
                found.append((info.name, fn))
        _EXTRACTORS = found
    return _EXTRACTORS


def extract_all(page: Page) -> Features:
    """Run every extractor on ``page`` and merge their values and evidence."""
    out = Features()
    for _name, fn in extractors():
        out.update(fn(page))
    return out


def declared_features() -> dict[str, tuple[str, ...]]:
    """``{module name: FEATURES}`` for every signal module: the names a page can carry."""
    return {name: tuple(importlib.import_module(f"{__name__}.{name}").FEATURES) for name, _fn in extractors()}
