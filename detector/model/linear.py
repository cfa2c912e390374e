"""Linear models: the trained, calibrated :class:`LinearModel` and the hand-set :class:`HeuristicModel`.

:class:`LinearModel` is stored as plain JSON arrays (format ``farmscan-linear``) in the
:mod:`detector.model.envelope`; loading never runs code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from detector.errors import ModelError
from detector.model.calibration import Calibrated, Explanation, sigmoid
from detector.model.envelope import Saved, check_version, common_fields, envelope, feature_names

MODEL_FORMAT = "farmscan-linear"
MODEL_FORMAT_VERSION = 1


# Hand-set weights on the log-odds scale: each names a feature and how much one unit adds.
# Features are mostly in [0, 1] (shares, flags, saturating counts).
HEURISTIC_WEIGHTS: dict[str, float] = {
    "ads.named_elements_sat": 1.5,
    "ads.adult_pop_share": 2.0,
    "ads.networks_sat": 0.8,
    "ads.per_1000_words_sat": 1.5,
    "ads.repeated_grid": 1.5,
    "bio.fields_sat": 3.0,
    "bio.has_birthday": 1.5,
    "bio.has_address": 1.5,
    "bio.has_phone": 1.5,
    "bio.hobby_list": 1.0,
    "bio.adjective_chain": 1.5,
    "bio.engagement": 2.5,
    "bio.byline_generic": 0.5,
    "hashtags.title_word_share": 2.5,
    "hashtags.closing_line": 1.0,
    "hashtags.tags_from_title": 1.5,
    "template.boilerplate_sat": 2.5,
    "template.bracket_year_title": 1.0,
    "copy.canonical_elsewhere": 1.5,
    "copy.attribution": 0.8,
    "copy.hotlinked_images_sat": 0.5,
    "text.padding_phrases_sat": 1.5,
    "text.keyword_stuffing": 1.5,
    "text.hidden_text": 1.5,
}
HEURISTIC_BIAS = -4.0


@dataclass
class HeuristicModel:
    """A transparent hand-weighted logistic combination (until a trained model ships)."""

    weights: dict[str, float] = field(default_factory=lambda: dict(HEURISTIC_WEIGHTS))
    bias: float = HEURISTIC_BIAS
    threshold: float = 0.5
    id: str = "heuristic-v0 (hand-weighted, not trained)"

    def explain(self, values: dict[str, float]) -> Explanation:
        contrib = {k: w * values[k] for k, w in self.weights.items() if values.get(k)}
        z = self.bias + sum(contrib.values())
        return Explanation(sigmoid(z), z, self.bias, contrib)

    def predict(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        e = self.explain(values)
        return e.probability, e.contributions


@dataclass
class LinearModel(Calibrated, Saved):
    """Standardised features -> logistic regression -> (optional) Platt calibration.

    Stored as JSON: ``feature_names``, ``mean``, ``scale``, ``coef``, ``intercept``,
    ``calibration`` (``a``, ``b`` of ``sigmoid(a * logit + b)``), ``threshold``,
    ``transform`` (per-feature ``log1p`` flag), metadata and a checksum.
    """

    FORMAT = MODEL_FORMAT
    FORMAT_VERSION = MODEL_FORMAT_VERSION

    feature_names: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float
    id: str
    calibration: dict[str, float] = field(default_factory=lambda: {"a": 1.0, "b": 0.0})
    log1p: list[bool] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def terms(self, values: dict[str, float]) -> tuple[float, float, dict[str, float]]:
        """``(raw score, intercept, coef * (x - mean) / scale per feature)``.

        The intercept is the score of the average training page (standardised features are
        0 there), so each feature's term is what it adds against that page: negative for a
        farm signal the page lacks, as SHAP's linear explainer reports it. Exact sum.
        """
        z = self.intercept
        contrib: dict[str, float] = {}
        logs = self.log1p or [False] * len(self.feature_names)
        for i, name in enumerate(self.feature_names):
            x = values.get(name, 0.0)
            if logs[i]:
                x = math.log1p(max(x, 0.0))
            t = self.coef[i] * (x - self.mean[i]) / self.scale[i]
            z += t
            if t:
                contrib[name] = contrib.get(name, 0.0) + t
        return z, self.intercept, contrib

    # ---- persistence -------------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        return self.payload_with(feature_names=self.feature_names, mean=self.mean, scale=self.scale, coef=self.coef,
                                 intercept=self.intercept, log1p=self.log1p)

    def dumps(self) -> str:
        return envelope(self.payload())



def _num_list(payload: dict[str, Any], key: str, n: int) -> list[float]:
    v = payload.get(key)
    if not isinstance(v, list) or len(v) != n or not all(isinstance(x, int | float) for x in v):
        raise ModelError(f"model field {key!r} must be a list of {n} numbers")
    return [float(x) for x in v]


def linear_model_from_payload(payload: dict[str, Any], source: str) -> LinearModel:
    """Build a :class:`LinearModel` from a verified payload (checksum already checked)."""
    if payload.get("format") != MODEL_FORMAT:
        raise ModelError(f"{source} has format {payload.get('format')!r}, expected {MODEL_FORMAT!r}, 'farmscan-trees' "
                         "or 'farmscan-ensemble'")
    check_version(payload, MODEL_FORMAT_VERSION, source)
    names = feature_names(payload, source)
    n = len(names)
    scale = _num_list(payload, "scale", n)
    if any(s == 0 for s in scale):
        raise ModelError(f"{source}: 'scale' has zeros")
    logs = payload.get("log1p") or [False] * n
    if not isinstance(logs, list) or len(logs) != n:
        raise ModelError(f"{source}: 'log1p' must be a list of {n} flags")
    try:
        return LinearModel(
            feature_names=names,
            mean=_num_list(payload, "mean", n),
            scale=scale,
            coef=_num_list(payload, "coef", n),
            intercept=float(payload["intercept"]),
            log1p=[bool(x) for x in logs],
            **common_fields(payload),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{source}: malformed model ({exc})") from None
