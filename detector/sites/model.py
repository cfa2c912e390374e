"""The site model: a standardised logistic regression over site signals, as plain JSON.

File layout (``detector/models/site.json``): ``{"checksum": "sha256:...", "model": {...}}``
with ``format`` ``farmscan-site-linear``, ``features`` (names), ``mean``/``scale`` (the
standardisation), ``coef``, ``intercept``, ``calibration`` (Platt ``a``, ``b``), the
``threshold`` chosen out of fold, ``min_pages`` and ``clip``. Contributions are
``a * coef * z`` with ``z = (x - mean) / scale`` clipped to ``[-clip, clip]`` (a site far
outside the training range moves the log-odds by a bounded amount), so the base value plus
the contributions is the log-odds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from detector.errors import ModelError
from detector.model.calibration import sigmoid
from detector.model.envelope import _canonical, envelope, verified_payload

SITE_FORMAT = "farmscan-site-linear"
SITE_VERSION = 1
DEFAULT_MIN_PAGES = 3
DEFAULT_CLIP = 4.0


@dataclass
class SiteModel:
    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    calibration: dict[str, float]
    threshold: float
    min_pages: int = DEFAULT_MIN_PAGES
    meta: dict[str, Any] = field(default_factory=dict)
    clip: float = DEFAULT_CLIP

    @property
    def id(self) -> str:
        return "site-" + hashlib.sha256(_canonical(self.payload()).encode()).hexdigest()[:12]

    def base_value(self) -> float:
        a, b = self.calibration["a"], self.calibration["b"]
        return a * self.intercept + b

    def predict(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        """``(calibrated probability, signed log-odds contribution of each feature)``."""
        a = self.calibration["a"]
        contrib = {}
        for name, mu, sd, w in zip(self.features, self.mean, self.scale, self.coef, strict=True):
            z = min(max((values.get(name, 0.0) - mu) / sd, -self.clip), self.clip)
            c = a * w * z
            if c:
                contrib[name] = c
        z = self.base_value() + sum(contrib.values())
        return sigmoid(z), contrib

    def payload(self) -> dict[str, Any]:
        return {
            "format": SITE_FORMAT, "version": SITE_VERSION, "features": self.features,
            "mean": [round(x, 10) for x in self.mean], "scale": [round(x, 10) for x in self.scale],
            "coef": [round(x, 10) for x in self.coef], "intercept": round(self.intercept, 10),
            "calibration": {k: round(v, 10) for k, v in self.calibration.items()},
            "threshold": round(self.threshold, 6), "min_pages": self.min_pages, "meta": self.meta,
            "clip": self.clip,
        }

    def dumps(self) -> str:
        return envelope(self.payload())


def loads_site_model(text: str, source: str = "<site model>") -> SiteModel:
    # The page models' envelope: JSON without NaN/Infinity, the checksum of the canonical payload.
    payload = verified_payload(text, source)
    if payload.get("format") != SITE_FORMAT or payload.get("version") != SITE_VERSION:
        raise ModelError(f"{source}: not a {SITE_FORMAT} v{SITE_VERSION} model")
    names = payload.get("features")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ModelError(f"{source}: 'features' must be a list of names")
    n = len(names)
    lists = {}
    for key in ("mean", "scale", "coef"):
        v = payload.get(key)
        if not isinstance(v, list) or len(v) != n or not all(isinstance(x, int | float) for x in v):
            raise ModelError(f"{source}: {key!r} must be a list of {n} numbers")
        lists[key] = [float(x) for x in v]
    if any(s <= 0 for s in lists["scale"]):
        raise ModelError(f"{source}: 'scale' must be positive")
    cal = payload.get("calibration") or {}
    try:
        return SiteModel(
            features=list(names), mean=lists["mean"], scale=lists["scale"], coef=lists["coef"],
            intercept=float(payload["intercept"]), calibration={"a": float(cal["a"]), "b": float(cal["b"])},
            threshold=float(payload["threshold"]), min_pages=int(payload.get("min_pages", DEFAULT_MIN_PAGES)),
            meta=dict(payload.get("meta") or {}), clip=float(payload.get("clip", DEFAULT_CLIP)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{source}: bad field ({exc})") from None


@lru_cache(maxsize=8)
def load_site_model(path: str | None = None) -> SiteModel:
    """The site model at ``path``, or the one shipped in the package."""
    if path is None:
        ref = resources.files("detector").joinpath("models/site.json")
        try:
            text = ref.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ModelError("the shipped site model detector/models/site.json is missing") from None
        return loads_site_model(text, "detector/models/site.json")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(f"cannot read site model {path}: {exc}") from None
    return loads_site_model(text, str(path))
