"""Loading models: pick the kind by the payload's format, verify, cache.

The kinds (every one stored in :mod:`detector.model.envelope`'s checksummed JSON):

* :class:`~detector.model.linear.HeuristicModel`: transparent hand-set weights (``model`` id
  says so); used when no trained model ships.
* :class:`~detector.model.linear.LinearModel`: a trained, calibrated linear model stored as
  plain JSON arrays. Loading never runs code: no pickle, no skops untrusted types.
* :class:`~detector.model.trees.TreeModel`: calibrated gradient-boosted trees (``farmscan-trees``);
* :class:`~detector.model.ensemble.EnsembleModel`: the mean of the calibrated log-odds of a
  linear and a tree model, calibrated again (``farmscan-ensemble``).

A file whose checksum or schema does not match is refused with :class:`ModelError`.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path
from typing import Protocol

from detector.errors import ModelError
from detector.model.calibration import Explanation
from detector.model.ensemble import ENSEMBLE_FORMAT, ensemble_from_payload
from detector.model.envelope import check_pin, pin, verified_payload
from detector.model.linear import HeuristicModel, linear_model_from_payload
from detector.model.trees import TREE_FORMAT, tree_model_from_payload

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


def loads_model(text: str, source: str = "<model>") -> Model:
    """Parse and verify a model file's text: a linear, tree or ensemble model, by its payload's format.

    Raises :class:`ModelError` on any mismatch (checksum, format, version, schema).
    """
    payload = verified_payload(text, source)
    try:
        model = _from_payload(payload, source)
    except (RecursionError, OverflowError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ModelError(f"{source}: malformed model ({exc.__class__.__name__}: {exc})"[:300]) from None
    _check_values(model, source)
    return model


def _from_payload(payload: dict, source: str) -> Model:
    if payload.get("format") == TREE_FORMAT:
        return tree_model_from_payload(payload, source)
    if payload.get("format") == ENSEMBLE_FORMAT:
        return ensemble_from_payload(payload, source)
    return linear_model_from_payload(payload, source)


def _check_values(model: Model, source: str) -> None:
    """Refuse values no trained model has: a threshold outside [0, 1], non-finite numbers."""
    for part in (model, *getattr(model, "parts", ())):
        threshold = getattr(part, "threshold", 0.5)
        if not (isinstance(threshold, int | float) and 0.0 <= threshold <= 1.0):
            raise ModelError(f"{source}: threshold {threshold!r} is not a probability between 0 and 1")
        for key, value in (getattr(part, "calibration", None) or {}).items():
            if not math.isfinite(value):
                raise ModelError(f"{source}: calibration {key} = {value!r} is not finite")
        for name in ("mean", "scale", "coef"):
            values = getattr(part, name, None)
            if values is not None and not all(math.isfinite(v) for v in values):
                raise ModelError(f"{source}: {name} holds a value that is not finite")
        intercept = getattr(part, "intercept", 0.0)
        if not math.isfinite(intercept):
            raise ModelError(f"{source}: intercept {intercept!r} is not finite")


_CACHE: dict[str, Model] = {}
LOADS = {"count": 0}
"""How many model files this process has read (each path once: workers check it stays at one)."""


def load_model(path: str | Path | None = None, sha256: str | None = None) -> Model:
    """The model at ``path``, or the one shipped in the package (heuristic if none ships).

    ``sha256``, the hex SHA-256 of the model file's bytes (``sha256sum`` prints it), pins the
    file: any other file is refused (:func:`detector.model.envelope.check_pin`). Cached per
    path and pin, so a worker loads it once.
    """
    digest = pin(sha256)
    key = (str(path) if path else "<default>") + (f"@{digest}" if digest else "")
    if key in _CACHE:
        return _CACHE[key]
    if path:
        p = Path(path)
        try:
            raw = p.read_bytes()
        except OSError as exc:
            raise ModelError(f"cannot read model {p}: {exc.strerror or exc}") from None
        check_pin(raw, digest, str(p))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ModelError(f"{p} is not a farmscan model file (not UTF-8 JSON)") from None
        model: Model = loads_model(text, str(p))
    else:
        ref = resources.files("detector").joinpath("models", DEFAULT_MODEL_NAME)
        if ref.is_file():
            raw = ref.read_bytes()
            check_pin(raw, digest, f"packaged {DEFAULT_MODEL_NAME}")
            model = loads_model(raw.decode("utf-8"), f"packaged {DEFAULT_MODEL_NAME}")
        else:
            if digest:
                raise ModelError("no packaged model to check against --model-sha256")
            model = HeuristicModel()
    _CACHE[key] = model
    LOADS["count"] += 1
    return model
