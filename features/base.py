"""What every extractor returns, and how results are merged.

An extractor is a pure function ``extract(page) -> Features``: named float
values under its own namespace (``ads.networks``) plus evidence strings for
the values that fired (``ExoClick x7 (a.magsrv.com)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Features:
    """Named feature values and the evidence behind them."""

    values: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)

    def set(self, name: str, value: float, *evidence: str) -> None:
        self.values[name] = float(value)
        if evidence:
            self.evidence.setdefault(name, []).extend(e for e in evidence if e)

    def add_evidence(self, name: str, *evidence: str) -> None:
        self.evidence.setdefault(name, []).extend(e for e in evidence if e)

    def update(self, other: Features) -> None:
        self.values.update(other.values)
        for k, v in other.evidence.items():
            self.evidence.setdefault(k, []).extend(v)


def clip(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return low if value < low else high if value > high else value


def safe_div(a: float, b: float) -> float:
    return a / b if b else 0.0
