"""The verdict: label, calibrated probability, model id and the reasons that fired."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Signal:
    """One reason for a verdict: a feature name, its contribution and the evidence behind it."""

    name: str
    score: float
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "score": round(self.score, 4), "evidence": list(self.evidence)}


@dataclass
class Verdict:
    """The result for one input.

    ``label`` is ``"farm"``, ``"original"``, or ``None`` when the input failed (then
    ``error`` holds a one-line reason). ``signals`` are ordered by contribution, largest first.
    """

    input: str
    url: str | None
    label: str | None
    probability: float | None
    model: str
    signals: list[Signal] = field(default_factory=list)
    error: str | None = None
    threshold: float | None = None
    truncated: bool = False
    features: dict[str, float] | None = None
    evidence: dict[str, list[str]] | None = None
    copy_of: list[dict[str, Any]] = field(default_factory=list)
    template_sites: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def flagged(self) -> bool:
        return self.label == "farm"

    @property
    def reasons(self) -> list[str]:
        """Machine-readable reason codes, as datatrove's filters return them."""
        return [s.name for s in self.signals]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "input": self.input,
            "url": self.url,
            "label": self.label,
            "probability": None if self.probability is None else round(self.probability, 4),
            "threshold": self.threshold,
            "model": self.model,
            "signals": [s.to_dict() for s in self.signals],
            "copy_of": self.copy_of,
            "template_sites": self.template_sites,
            "truncated": self.truncated,
            "error": self.error,
        }
        if self.features is not None:
            d["features"] = {k: round(v, 6) for k, v in sorted(self.features.items())}
            d["evidence"] = {k: v for k, v in sorted((self.evidence or {}).items())}
        d.update(self.extra)
        return d

    @classmethod
    def failed(cls, input: str, url: str | None, error: str, model: str = "") -> Verdict:
        return cls(input=input, url=url, label=None, probability=None, model=model, error=error)


def json_text(obj: Any, **kw: Any) -> str:
    """``obj`` as JSON that is always valid UTF-8.

    A file name that is not valid UTF-8 reaches Python as a str with lone surrogates
    (``\udcff``); written as is it makes an invalid UTF-8 line (or fails). Such records are
    written with ASCII escapes instead: lossless (``json.loads`` gives back the same str,
    which ``os.fsencode`` turns back into the same bytes), so ``--resume`` matches them.
    """
    text = json.dumps(obj, ensure_ascii=False, **kw)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(obj, ensure_ascii=True, **kw)
    return text
