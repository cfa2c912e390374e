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

from importlib import resources
from pathlib import Path
from typing import Protocol

from detector.errors import ModelError
from detector.model.calibration import Explanation
from detector.model.ensemble import ENSEMBLE_FORMAT, ensemble_from_payload
from detector.model.envelope import verified_payload
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
    if payload.get("format") == TREE_FORMAT:
        return tree_model_from_payload(payload, source)
    if payload.get("format") == ENSEMBLE_FORMAT:
        return ensemble_from_payload(payload, source)
    return linear_model_from_payload(payload, source)


_CACHE: dict[str, Model] = {}
LOADS = {"count": 0}
"""How many model files this process has read (each path once: workers check it stays at one)."""


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
    LOADS["count"] += 1
    return model
