"""farmscan: content-farm and scraped-copy detection for web pages.

>>> from detector import score
>>> v = score(html_bytes, url="https://site.example/story")   # doctest: +SKIP
>>> v.label, v.probability, v.signals
"""

from __future__ import annotations

from typing import Any


def _check_features_package() -> None:
    """Fail with a clear message when another ``features`` module shadows farmscan's extractors.

    farmscan ships two top-level packages, ``detector`` and ``features``; a user's own
    ``features.py`` (or ``features/``) earlier on ``sys.path`` would otherwise be imported in
    their place and fail later with an unrelated-looking error.
    """
    import importlib.util
    import sys
    from pathlib import Path

    ours = Path(__file__).resolve().parent.parent / "features"
    mod = sys.modules.get("features")
    if mod is not None:
        origin = getattr(mod, "__file__", None)
        locations = list(getattr(mod, "__path__", []) or [])
    else:
        try:
            spec = importlib.util.find_spec("features")
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if origin is not None and Path(origin).resolve().parent == ours:
        return
    if origin is None and any(Path(p).resolve() == ours for p in locations):
        return
    found = origin or (locations[0] if locations else "nothing")
    raise ImportError(
        f"farmscan's extractor package 'features' ({ours}) is shadowed by {found}, which comes first on "
        "sys.path; rename that module or run from another directory"
    )


_check_features_package()

from detector.api import score, score_many, score_page, score_url  # noqa: E402
from detector.errors import (  # noqa: E402
    BudgetError,
    FarmscanError,
    FetchError,
    IndexFormatError,
    InputError,
    InternalError,
    ModelError,
    UsageError,
)
from detector.model.load import load_model  # noqa: E402
from detector.options import Options  # noqa: E402
from detector.verdict import Signal, Verdict  # noqa: E402

__version__ = "0.1.0"
__all__ = [
    "BudgetError",
    "FarmscanError",
    "FetchError",
    "Index",
    "IndexFormatError",
    "InputError",
    "InternalError",
    "ModelError",
    "Options",
    "Signal",
    "UsageError",
    "Verdict",
    "load_model",
    "probe_site",
    "score",
    "score_many",
    "score_page",
    "score_url",
    "score_sites",
]


def __getattr__(name: str) -> Any:
    if name == "Index":  # imported on first use (numpy MinHash index; most callers never need it)
        from detector.index import Index

        return Index
    if name == "probe_site":  # site probing: imported on first use, like score_sites
        from detector.probe import probe_site

        return probe_site
    if name == "score_sites":  # site roll-up: imported on first use, like Index
        from detector.sites import score_sites

        return score_sites
    raise AttributeError(name)
