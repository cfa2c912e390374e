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

from detector.calibration import Calibrated, sigmoid
from detector.errors import ModelError
from detector.trees import TREE_FORMAT, tree_model_from_payload

MODEL_FORMAT = "farmscan-linear"
MODEL_FORMAT_VERSION = 1
DEFAULT_MODEL_NAME = "default.json"


class Model(Protocol):
    id: str
    threshold: float

    def predict(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        """``(probability of farm, contribution of each feature to the log-odds)``."""
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

    def predict(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        contrib = {k: w * values[k] for k, w in self.weights.items() if values.get(k)}
        return sigmoid(self.bias + sum(contrib.values())), contrib


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
        # NaN, Infinity and numbers that overflow a float are refused while parsing: a
        # checksum proves the file is intact, not that its values are sane.
        doc = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{source} is not a farmscan model file (not JSON: {exc})") from None
    except RecursionError:
        raise ModelError(f"{source} is not a farmscan model file (JSON nested too deeply)") from None
    except ValueError as exc:  # a non-finite number, or an integer of more than 4,300 digits
        raise ModelError(f"{source}: {str(exc).split(';')[0]}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("model"), dict):
        raise ModelError(f"{source} is not a farmscan model file (no 'model' object)")
    payload = doc["model"]
    want = "sha256:" + hashlib.sha256(_canonical(payload).encode()).hexdigest()
    if doc.get("checksum") != want:
        raise ModelError(f"{source} failed its checksum: the file was modified or corrupted; refusing to load it")
    try:
        model = _from_payload(payload, source)
    except (RecursionError, OverflowError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ModelError(f"{source}: malformed model ({exc.__class__.__name__}: {exc})"[:300]) from None
    _check_values(model, source)
    return model


def _from_payload(payload: dict[str, Any], source: str) -> Model:
    if payload.get("format") == TREE_FORMAT:
        return tree_model_from_payload(payload, source)
    from detector.ensemble import ENSEMBLE_FORMAT, ensemble_from_payload

    if payload.get("format") == ENSEMBLE_FORMAT:
        return ensemble_from_payload(payload, source)
    return linear_model_from_payload(payload, source)


def _no_constant(name: str) -> float:
    raise ValueError(f"model holds {name}, not a finite number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"model holds {text[:40]}, not a finite number")
    return value


def _check_values(model: Model, source: str) -> None:
    """Refuse values no trained model has: a threshold outside [0, 1], non-finite numbers."""
    for part in (model, *getattr(model, "parts", ())):
        threshold = getattr(part, "threshold", 0.5)
        if not (isinstance(threshold, int | float) and 0.0 <= threshold <= 1.0):
            raise ModelError(f"{source}: threshold {threshold!r} is not a probability between 0 and 1")
        for key, value in (getattr(part, "calibration", None) or {}).items():
            if not math.isfinite(value):
                raise ModelError(f"{source}: calibration {key} = {value!r} is not finite")
    for part in (model, *getattr(model, "parts", ())):
        for name in ("mean", "scale", "coef"):
            values = getattr(part, name, None)
            if values is not None and not all(math.isfinite(v) for v in values):
                raise ModelError(f"{source}: {name} holds a value that is not finite")
        intercept = getattr(part, "intercept", 0.0)
        if not math.isfinite(intercept):
            raise ModelError(f"{source}: intercept {intercept!r} is not finite")


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


def load_model(path: str | Path | None = None, sha256: str | None = None) -> Model:
    """The model at ``path``, or the one shipped in the package (heuristic if none ships).

    ``sha256``, the hex SHA-256 of the model file's bytes (``sha256sum`` prints it), pins the
    file: any other file is refused. The checksum inside a model file only catches
    corruption; someone who can write the file can recompute it, a pinned digest they cannot.
    Cached per path and pin, so a worker loads it once.
    """
    pin = _pin(sha256)
    key = (str(path) if path else "<default>") + (f"@{pin}" if pin else "")
    if key in _CACHE:
        return _CACHE[key]
    if path:
        p = Path(path)
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise ModelError(f"cannot read model {p}: {exc.strerror or exc}") from None
        _check_pin(raw, pin, str(p))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ModelError(f"{p} is not a farmscan model file (not UTF-8 JSON)") from None
        model: Model = loads_model(text, str(p))
    else:
        ref = resources.files("detector").joinpath("models", DEFAULT_MODEL_NAME)
        if ref.is_file():
            raw = ref.read_bytes()
            _check_pin(raw, pin, f"packaged {DEFAULT_MODEL_NAME}")
            model = loads_model(raw.decode("utf-8"), f"packaged {DEFAULT_MODEL_NAME}")
        else:
            if pin:
                raise ModelError("no packaged model to check against --model-sha256")
            model = HeuristicModel()
    _CACHE[key] = model
    return model


def _pin(sha256: str | None) -> str | None:
    if not sha256:
        return None
    pin = sha256.strip().lower().removeprefix("sha256:")
    if len(pin) != 64 or any(c not in "0123456789abcdef" for c in pin):
        raise ModelError(f"model SHA-256 {sha256!r} is not 64 hex digits")
    return pin


def _check_pin(raw: bytes, pin: str | None, source: str) -> None:
    if pin and hashlib.sha256(raw).hexdigest() != pin:
        raise ModelError(f"{source} does not have the pinned SHA-256 {pin[:12]}...; refusing to load it")
