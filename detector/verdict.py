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
    ``error`` holds a one-line reason) or is not a page (then ``abstain`` says why:
    ``"not a page: ..."``). ``signals`` are the strongest signed contributions on each side,
    largest first (toward farm, then toward original). ``base + sum(contributions.values())``
    is ``log_odds``, and ``probability`` is its sigmoid. ``reasons`` are the features that
    carried a flagged page over the threshold (empty for an original page).
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
    base: float | None = None
    log_odds: float | None = None
    contributions: dict[str, float] | None = None
    reasons: list[str] = field(default_factory=list)  # machine-readable codes, as datatrove's filters return them
    abstain: str | None = None

    @property
    def flagged(self) -> bool:
        return self.label == "farm"

    @property
    def abstained(self) -> bool:
        return self.abstain is not None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "input": self.input,
            "url": self.url,
            "url_source": self.url_source,
            "label": self.label,
            "probability": None if self.probability is None else round(self.probability, 4),
            "threshold": self.threshold,
            "model": self.model,
            "base": None if self.base is None else round(self.base, 6),
            "log_odds": None if self.log_odds is None else round(self.log_odds, 6),
            "signals": [s.to_dict() for s in self.signals],
            "reasons": list(self.reasons),
            "abstain": self.abstain,
            "copy_of": self.copy_of,
            "template_sites": self.template_sites,
            "truncated": self.truncated,
            "error": self.error,
        }
        if self.features is not None:
            d["features"] = {k: round(v, 6) for k, v in sorted(self.features.items())}
            d["evidence"] = {k: v for k, v in sorted((self.evidence or {}).items())}
            d["contributions"] = {k: round(v, 6) for k, v in sorted((self.contributions or {}).items())}
        d.update(self.extra)
        return d

    @classmethod
    def not_a_page(cls, input: str, url: str | None, why: str, model: str = "", *, url_source: str | None = None) -> Verdict:
        """The verdict for an input the model does not judge: no label, ``abstain`` says why."""
        return cls(input=input, url=url, label=None, probability=None, model=model, abstain=why,
                   url_source=url_source if url else None)

    @classmethod
    def failed(cls, input: str, url: str | None, error: str, model: str = "", *, url_source: str | None = None) -> Verdict:
        return cls(input=input, url=url, label=None, probability=None, model=model, error=error,
                   url_source=url_source if url else None)


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
