"""Platt calibration shared by every trained model kind.

A model exposes ``terms(values) -> (raw score, base, contributions)`` (its raw score and an
exact additive decomposition of it: ``base + sum(contributions) == raw``) and a
``calibration`` dict (``a``, ``b``); :class:`Calibrated` turns that into :meth:`explain`: the
probability ``sigmoid(a * raw + b)`` and the decomposition on the log-odds scale,
``a * base + b`` plus ``a *`` each contribution (Platt scaling is affine, so the sum stays exact).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


def sigmoid(z: float) -> float:
    """The logistic function, without overflow for large ``|z|``."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def logit(p: float) -> float:
    """The inverse of :func:`sigmoid` (``+-inf`` at 1 and 0)."""
    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    return math.log(p / (1.0 - p))


@dataclass(frozen=True)
class Explanation:
    """A score and its exact additive decomposition on the log-odds scale (as SHAP reports it).

    ``base + sum(contributions.values()) == log_odds`` (to float rounding) and
    ``probability == sigmoid(log_odds)``. ``base`` is the model's log-odds for the average
    training page (the linear part's standardisation mean, the trees' root values);
    ``contributions`` holds every feature whose contribution is not zero, signed: positive
    pushes toward ``farm``, negative toward ``original``.
    """

    probability: float
    log_odds: float
    base: float
    contributions: dict[str, float] = field(default_factory=dict)


class Calibrated:
    """Mixin: ``explain`` and ``predict`` from the model's ``terms`` and its Platt ``calibration``."""

    calibration: dict[str, float]

    def terms(self, values: dict[str, float]) -> tuple[float, float, dict[str, float]]:  # pragma: no cover - interface
        """``(raw score, base, contributions)`` with ``base + sum(contributions) == raw``."""
        raise NotImplementedError

    def explain(self, values: dict[str, float]) -> Explanation:
        """The probability of farm and every feature's signed contribution to its log-odds."""
        raw, base, contrib = self.terms(values)
        a, b = self.calibration.get("a", 1.0), self.calibration.get("b", 0.0)
        z = a * raw + b
        return Explanation(sigmoid(z), z, a * base + b, {k: a * v for k, v in contrib.items() if v})

    def predict(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        """``(probability of farm, signed contribution of each feature to its log-odds)``."""
        e = self.explain(values)
        return e.probability, e.contributions
