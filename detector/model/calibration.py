"""Platt calibration shared by every trained model kind.

A model exposes ``logit(values) -> (raw score, contributions)`` and a ``calibration`` dict
(``a``, ``b``); :class:`Calibrated` turns that into ``predict``: ``sigmoid(a * raw + b)``.
"""

from __future__ import annotations

import math


def sigmoid(z: float) -> float:
    """The logistic function, without overflow for large ``|z|``."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class Calibrated:
    """Mixin: ``predict`` from the model's ``logit`` and its Platt ``calibration``."""

    calibration: dict[str, float]

    def logit(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:  # pragma: no cover - interface
        raise NotImplementedError

    def predict(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        """``(probability of farm, contribution of each feature)``."""
        z, contrib = self.logit(values)
        a, b = self.calibration.get("a", 1.0), self.calibration.get("b", 0.0)
        return sigmoid(a * z + b), contrib
