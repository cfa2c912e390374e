"""An ensemble model: the mean of a linear and a tree model's calibrated log-odds, calibrated again.

Logistic regression adds evidence up (one strong signal can carry a page); boosted trees learn
conjunctions (this signal matters on that kind of page). On site-grouped folds their mean
caught as many real farms as the trees alone at a third of their false-positive rate
(``tools/compare_models.py``, ``labelled/README.md``), so it is what ships.

Score of a page: each part's raw score ``z_i`` (``LinearModel.terms``, ``TreeModel.terms``)
becomes its calibrated log-odds ``a_i * z_i + b_i``; their mean ``z`` is calibrated once more,
``sigmoid(a * z + b)``. A feature's contribution is the mean of its parts' contributions,
each scaled by its part's ``a_i``, then by the ensemble's ``a``, so every number is on the
final log-odds scale and the base value plus all contributions is exactly that log-odds
(:meth:`EnsembleModel.terms`, :meth:`detector.model.calibration.Calibrated.explain`).

Stored in :mod:`detector.model`'s envelope (format ``farmscan-ensemble``): the parts'
payloads inside one checksummed file; a part is checked as a model file of its own kind.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from detector.errors import ModelError
from detector.model.calibration import Calibrated
from detector.model.envelope import (
    Saved,
    check_version,
    common_fields,
    envelope,
    one_per_line,
)
from detector.model.linear import LinearModel, linear_model_from_payload
from detector.model.trees import TREE_FORMAT, TreeModel, tree_model_from_payload

ENSEMBLE_FORMAT = "farmscan-ensemble"
ENSEMBLE_FORMAT_VERSION = 1
_TREES_MARK = "\u0000trees\u0000"  # where _compact() writes a tree part's trees, one per line


@dataclass
class EnsembleModel(Calibrated, Saved):
    """Mean of calibrated part log-odds -> Platt calibration."""

    FORMAT = ENSEMBLE_FORMAT
    FORMAT_VERSION = ENSEMBLE_FORMAT_VERSION

    parts: list[LinearModel | TreeModel]
    threshold: float
    id: str
    calibration: dict[str, float] = field(default_factory=lambda: {"a": 1.0, "b": 0.0})
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def feature_names(self) -> list[str]:
        """Every feature any part reads, sorted."""
        return sorted({n for p in self.parts for n in p.feature_names})

    def terms(self, values: dict[str, float]) -> tuple[float, float, dict[str, float]]:
        """``(mean calibrated part log-odds, its base, contributions)``, an exact decomposition.

        Part ``i`` gives ``raw_i = base_i + sum(c_i)``; its calibrated log-odds
        ``a_i * raw_i + b_i`` is ``(a_i * base_i + b_i) + sum(a_i * c_i)``; the mean of the
        parts is then ``mean(a_i * base_i + b_i) + sum over features of mean(a_i * c_i)``.
        :meth:`Calibrated.explain` applies the ensemble's own ``a``, ``b`` on top.
        """
        n = len(self.parts)
        zs: list[float] = []
        base = 0.0
        contrib: dict[str, float] = {}
        for part in self.parts:
            raw, b0, c = part.terms(values)
            a, b = part.calibration.get("a", 1.0), part.calibration.get("b", 0.0)
            zs.append(a * raw + b)
            base += (a * b0 + b) / n
            for name, v in c.items():
                contrib[name] = contrib.get(name, 0.0) + a * v / n
        return sum(zs) / n, base, contrib

    # ---- persistence -------------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        return self.payload_with(parts=[p.payload() for p in self.parts])

    def dumps(self) -> str:
        """The file's text: the envelope indented, each part compact (a tree part one tree a line)."""
        payload = self.payload()
        return envelope(payload, lines={"parts": [_compact(p) for p in payload["parts"]]})



def _compact(part: dict[str, Any]) -> str:
    def dump(x: Any) -> str:
        return json.dumps(x, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    if "trees" not in part:
        return dump(part)
    head = dump({**part, "trees": _TREES_MARK})
    return one_per_line(head, _TREES_MARK, [dump(t) for t in part["trees"]])


def ensemble_id(parts: list[LinearModel | TreeModel], prefix: str = "farmscan-mean") -> str:
    digest = hashlib.sha256(json.dumps([p.id for p in parts]).encode()).hexdigest()[:12]
    return f"{prefix}-{digest}"


def ensemble_from_payload(payload: dict[str, Any], source: str) -> EnsembleModel:
    """Build an :class:`EnsembleModel` from a verified payload (checksum already checked)."""
    check_version(payload, ENSEMBLE_FORMAT_VERSION, source)
    raw = payload.get("parts")
    if not isinstance(raw, list) or not raw or not all(isinstance(p, dict) for p in raw):
        raise ModelError(f"{source}: 'parts' must be a non-empty list of models")
    parts: list[LinearModel | TreeModel] = []
    for i, p in enumerate(raw):
        where = f"{source} part {i}"
        parts.append(tree_model_from_payload(p, where) if p.get("format") == TREE_FORMAT
                     else linear_model_from_payload(p, where))
    try:
        return EnsembleModel(
            parts=parts,
            **common_fields(payload),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{source}: malformed model ({exc})") from None
