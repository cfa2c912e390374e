"""The verdict: label, calibrated probability, model id and the reasons that fired."""

from __future__ import annotations

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
    ``url_source`` says where ``url`` came from: ``"given"`` by the caller, ``"wp-link"`` /
    ``"warc"`` from the input (a WordPress post's ``link``, a WARC record's target URI),
    ``"canonical"`` / ``"og:url"`` / ``"base"`` recovered from the page's markup, ``None``
    when the page has no known URL.
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
    url_source: str | None = None

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
            "url_source": self.url_source,
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
    def failed(cls, input: str, url: str | None, error: str, model: str = "", *, url_source: str | None = None) -> Verdict:
        return cls(input=input, url=url, label=None, probability=None, model=model, error=error,
                   url_source=url_source if url else None)
