"""Models turn a flat feature dict into a probability and per-feature contributions.

The kinds:

* :class:`HeuristicModel`: transparent hand-set weights (``model`` id says so); used when no
  trained model ships.
* :class:`LinearModel`: a trained, calibrated linear model stored as plain JSON arrays with a
  format version and a SHA-256 checksum. Loading never runs code: no pickle, no skops
  untrusted types. A file whose checksum or schema does not match is refused.
* :class:`~detector.trees.TreeModel`: calibrated gradient-boosted trees in the same envelope
  (format ``farmscan-trees``);
* :class:`~detector.ensemble.EnsembleModel`: the mean of the calibrated log-odds of a linear
  and a tree model, calibrated again (format ``farmscan-ensemble``).

:func:`loads_model` picks the kind by the payload's format.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from detector.calibration import Calibrated, Explanation, sigmoid
from detector.errors import ModelError
from detector.trees import TREE_FORMAT, tree_model_from_payload

MODEL_FORMAT = "farmscan-linear"
MODEL_FORMAT_VERSION = 1
DEFAULT_MODEL_NAME = "default.json"


class Model(Protocol):
    id: str
    threshold: float

    def predict(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        """``(probability of farm, signed contribution of each feature to the log-odds)``."""
        ...

    def explain(self, values: dict[str, float]) -> Explanation:
        """Probability, log-odds, base value and every feature's signed contribution."""
        ...


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
class LinearModel(Calibrated):
    """Standardised features -> logistic regression -> (optional) Platt calibration.

    Stored as JSON: ``feature_names``, ``mean``, ``scale``, ``coef``, ``intercept``,
    ``calibration`` (``a``, ``b`` of ``sigmoid(a * logit + b)``), ``threshold``,
    ``transform`` (per-feature ``log1p`` flag), metadata and a checksum.
    """

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

    def logit(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        z = self.intercept
        contrib: dict[str, float] = {}
        logs = self.log1p or [False] * len(self.feature_names)
        for i, name in enumerate(self.feature_names):
            x = values.get(name, 0.0)
            if logs[i]:
                x = math.log1p(max(x, 0.0))
            z += self.coef[i] * (x - self.mean[i]) / self.scale[i]
            if x:
                # What this feature adds against the same page without it (value 0).
                contrib[name] = self.coef[i] * x / self.scale[i]
        return z, contrib

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
        return {
            "format": MODEL_FORMAT,
            "format_version": MODEL_FORMAT_VERSION,
            "id": self.id,
            "feature_names": self.feature_names,
            "mean": self.mean,
            "scale": self.scale,
            "coef": self.coef,
            "intercept": self.intercept,
            "threshold": self.threshold,
            "calibration": self.calibration,
            "log1p": self.log1p,
            "meta": self.meta,
        }

    def dumps(self) -> str:
        return envelope(self.payload())

    def save(self, path: str | Path) -> str:
        return write_atomic(path, self.dumps())


def _canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def envelope(payload: dict[str, Any], lines: dict[str, list[str]] | None = None) -> str:
    """A model file's text: the payload and the SHA-256 checksum of its canonical JSON.

    ``lines`` writes the named payload fields, in the text only, as lists of the given
    already-serialised items, one per line (the checksum covers the real fields).
    """
    body = _canonical(payload)
    marks = {k: f"\u0000{k}\u0000" for k in lines or {}}
    text = json.dumps(
        {"checksum": "sha256:" + hashlib.sha256(body.encode()).hexdigest(), "model": payload | marks},
        indent=1,
        sort_keys=True,
        ensure_ascii=False,
    ) + "\n"
    for k, items in (lines or {}).items():
        text = one_per_line(text, marks[k], items)
    return text


def one_per_line(text: str, mark: str, items: list[str]) -> str:
    """``text`` with the JSON string ``mark`` replaced by a list of ``items``, one per line."""
    return text.replace(json.dumps(mark), "[\n" + ",\n".join(items) + "\n]", 1)


def write_atomic(path: str | Path, text: str) -> str:
    """Write a model file so readers never see it half-written; returns its checksum."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return json.loads(text)["checksum"]


def _num_list(payload: dict[str, Any], key: str, n: int) -> list[float]:
    v = payload.get(key)
    if not isinstance(v, list) or len(v) != n or not all(isinstance(x, int | float) for x in v):
        raise ModelError(f"model field {key!r} must be a list of {n} numbers")
    return [float(x) for x in v]


def loads_model(text: str, source: str = "<model>") -> Model:
    """Parse and verify a model file's text: a linear, tree or ensemble model, by its payload's format.

    Raises :class:`ModelError` on any mismatch (checksum, format, version, schema).
    """
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{source} is not a farmscan model file (not JSON: {exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("model"), dict):
        raise ModelError(f"{source} is not a farmscan model file (no 'model' object)")
    payload = doc["model"]
    want = "sha256:" + hashlib.sha256(_canonical(payload).encode()).hexdigest()
    if doc.get("checksum") != want:
        raise ModelError(f"{source} failed its checksum: the file was modified or corrupted; refusing to load it")
    if payload.get("format") == TREE_FORMAT:
        return tree_model_from_payload(payload, source)
    from detector.ensemble import ENSEMBLE_FORMAT, ensemble_from_payload

    if payload.get("format") == ENSEMBLE_FORMAT:
        return ensemble_from_payload(payload, source)
    return linear_model_from_payload(payload, source)


def linear_model_from_payload(payload: dict[str, Any], source: str) -> LinearModel:
    """Build a :class:`LinearModel` from a verified payload (checksum already checked)."""
    if payload.get("format") != MODEL_FORMAT:
        raise ModelError(f"{source} has format {payload.get('format')!r}, expected {MODEL_FORMAT!r}, {TREE_FORMAT!r} "
                         "or 'farmscan-ensemble'")
    if payload.get("format_version") != MODEL_FORMAT_VERSION:
        raise ModelError(
            f"{source} has format version {payload.get('format_version')!r}; this farmscan reads version {MODEL_FORMAT_VERSION}"
        )
    names = payload.get("feature_names")
    if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
        raise ModelError(f"{source}: 'feature_names' must be a list of strings")
    n = len(names)
    scale = _num_list(payload, "scale", n)
    if any(s == 0 for s in scale):
        raise ModelError(f"{source}: 'scale' has zeros")
    cal = payload.get("calibration") or {"a": 1.0, "b": 0.0}
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
            threshold=float(payload["threshold"]),
            id=str(payload["id"]),
            calibration={"a": float(cal["a"]), "b": float(cal["b"])},
            log1p=[bool(x) for x in logs],
            meta=payload.get("meta") if isinstance(payload.get("meta"), dict) else {},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{source}: malformed model ({exc})") from None


_CACHE: dict[str, Model] = {}


def load_model(path: str | Path | None = None) -> Model:
    """The model at ``path``, or the one shipped in the package (heuristic if none ships).

    Cached per path, so a worker loads it once.
    """
    key = str(path) if path else "<default>"
    if key in _CACHE:
        return _CACHE[key]
    if path:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise ModelError(f"cannot read model {p}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ModelError(f"{p} is not a farmscan model file (not UTF-8 JSON)") from None
        model: Model = loads_model(text, str(p))
    else:
        ref = resources.files("detector").joinpath("models", DEFAULT_MODEL_NAME)
        if ref.is_file():
            model = loads_model(ref.read_text(encoding="utf-8"), f"packaged {DEFAULT_MODEL_NAME}")
        else:
            model = HeuristicModel()
    _CACHE[key] = model
    return model
