"""farmscan: content-farm and scraped-copy detection for web pages.

>>> from detector import score
>>> v = score(html_bytes, url="https://site.example/story")   # doctest: +SKIP
>>> v.label, v.probability, v.signals
"""

from __future__ import annotations

from typing import Any

from detector.api import score, score_many, score_page
from detector.errors import (
    BudgetError,
    FarmscanError,
    FetchError,
    IndexFormatError,
    InputError,
    ModelError,
    UsageError,
)
from detector.model import load_model
from detector.options import Options
from detector.verdict import Signal, Verdict

__version__ = "0.1.0"
__all__ = [
    "BudgetError",
    "FarmscanError",
    "FetchError",
    "Index",
    "IndexFormatError",
    "InputError",
    "ModelError",
    "Options",
    "Signal",
    "UsageError",
    "Verdict",
    "load_model",
    "score",
    "score_many",
    "score_page",
]


def __getattr__(name: str) -> Any:
    if name == "Index":  # optional dependency (rensa): imported on first use
        from detector.index import Index

        return Index
    raise AttributeError(name)
