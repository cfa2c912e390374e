"""A gradient-boosted tree model stored as plain JSON arrays (no pickle, no skops).

:class:`TreeModel` holds scikit-learn ``HistGradientBoostingClassifier`` trees exported node
by node (:func:`export_hgb`): per node the feature index, the numeric threshold (``x <= t``
goes left), where a missing value goes, the two children and the node's value. The raw score
is ``baseline + sum of the leaf values reached`` (the same sum, in the same order, as
scikit-learn's ``decision_function``), then Platt calibration ``sigmoid(a * raw + b)``.

Contributions are Saabas path attributions: walking down a tree, the change from a node's
value to its child's value is credited to the node's split feature (a split node's value is
the training-count-weighted mean of its leaves, so the contributions of a page plus the trees'
root values sum to its raw score). :meth:`TreeModel.predict` reports them for the features
the page has (non-zero), like :class:`~detector.model.linear.LinearModel`, whose contributions are
"against the same page without this feature".

Files share :mod:`detector.model`'s envelope: a format name and version, a SHA-256 checksum of
the canonical payload; anything that does not match, or whose trees are malformed (a child
index that does not point forward, a feature index out of range), is refused with
:class:`~detector.errors.ModelError`.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from detector.errors import ModelError
from detector.model.calibration import Calibrated
from detector.model.envelope import Saved, check_version, common_fields, envelope, feature_names

TREE_FORMAT = "farmscan-trees"
TREE_FORMAT_VERSION = 1
LEAF = -1
_KEYS = ("feature", "threshold", "missing_left", "left", "right", "value")


@dataclass
class Tree:
    """One regression tree as parallel per-node arrays (node 0 is the root)."""

    feature: list[int]  # split feature index, -1 on leaves
    threshold: list[float]  # x <= threshold goes left
    missing_left: list[bool]  # where NaN goes
    left: list[int]  # child indices, -1 on leaves
    right: list[int]
    value: list[float]  # leaf value; on split nodes the count-weighted mean of its leaves

    def to_json(self) -> dict[str, list[Any]]:
        return {"feature": self.feature, "threshold": self.threshold, "missing_left": self.missing_left,
                "left": self.left, "right": self.right, "value": self.value}


@dataclass
class TreeModel(Calibrated, Saved):
    """Boosted trees -> raw log-odds -> Platt calibration, with Saabas contributions."""

    FORMAT = TREE_FORMAT
    FORMAT_VERSION = TREE_FORMAT_VERSION

    feature_names: list[str]
    baseline: float
    trees: list[Tree]
    threshold: float
    id: str
    calibration: dict[str, float] = field(default_factory=lambda: {"a": 1.0, "b": 0.0})
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._flat: tuple[np.ndarray, ...] | None = None

    def _arrays(self) -> tuple[np.ndarray, ...]:
        """Every tree's nodes in one set of arrays (children as global indices; leaves point to themselves)."""
        if self._flat is None:
            feat, thr, miss, left, right, value, leaf, roots = [], [], [], [], [], [], [], []
            off = 0
            for t in self.trees:
                n = len(t.value)
                roots.append(off)
                for i in range(n):
                    is_leaf = t.left[i] == LEAF
                    leaf.append(is_leaf)
                    feat.append(0 if is_leaf else t.feature[i])
                    left.append(off + (i if is_leaf else t.left[i]))
                    right.append(off + (i if is_leaf else t.right[i]))
                thr += t.threshold
                miss += t.missing_left
                value += t.value
                off += n
            self._flat = (np.array(feat, dtype=np.intp), np.array(thr, dtype=float), np.array(miss, dtype=bool),
                          np.array(left, dtype=np.intp), np.array(right, dtype=np.intp), np.array(value, dtype=float),
                          np.array(leaf, dtype=bool), np.array(roots, dtype=np.intp))
        return self._flat

    def _walk(self, values: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """All trees at once, level by level: the leaf each reaches and the Saabas contribution per feature."""
        feat, thr, miss, left, right, value, leaf, roots = self._arrays()
        x = np.array([values.get(n, 0.0) for n in self.feature_names], dtype=float)
        has_nan = bool(np.isnan(x).any())
        nodes = roots.copy()
        per = np.zeros(len(self.feature_names))
        active = np.flatnonzero(~leaf[nodes])
        while len(active):
            cur = nodes[active]
            f = feat[cur]
            xv = x[f]
            go_left = np.where(np.isnan(xv), miss[cur], xv <= thr[cur]) if has_nan else xv <= thr[cur]
            nxt = np.where(go_left, left[cur], right[cur])
            per += np.bincount(f, weights=value[nxt] - value[cur], minlength=len(per))
            nodes[active] = nxt
            active = active[~leaf[nxt]]
        return nodes, per

    def _raw(self, leaves: np.ndarray) -> float:
        z = self.baseline
        for v in self._arrays()[5][leaves].tolist():  # tree by tree, in scikit-learn's order
            z += v
        return z

    def raw(self, values: dict[str, float]) -> float:
        """The uncalibrated score (scikit-learn's ``decision_function``)."""
        return self._raw(self._walk(values)[0])

    def contributions(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        """``(bias, contribution of every split feature on the page's paths)``; they sum to :meth:`raw`."""
        _leaves, per = self._walk(values)
        bias = self.baseline + sum(t.value[0] for t in self.trees)
        return bias, {self.feature_names[i]: float(per[i]) for i in np.flatnonzero(per)}

    def terms(self, values: dict[str, float]) -> tuple[float, float, dict[str, float]]:
        """``(raw score, baseline + root values, Saabas contribution of every split feature)``.

        The root values are the trees' expected outputs on the training pages, so this is
        treeinterpreter's decomposition: it sums to the raw score (to float rounding).
        """
        leaves, per = self._walk(values)
        bias = self.baseline + sum(t.value[0] for t in self.trees)
        return self._raw(leaves), bias, {self.feature_names[i]: float(per[i]) for i in np.flatnonzero(per)}

    # ---- persistence -------------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        return self.payload_with(feature_names=self.feature_names, baseline=self.baseline, trees=[t.to_json() for t in self.trees])

    def dumps(self) -> str:
        """The file's text: indented like a linear model's, but one line per tree."""
        payload = self.payload()
        trees = [json.dumps(t, sort_keys=True, separators=(",", ":")) for t in payload["trees"]]
        return envelope(payload, lines={"trees": trees})



def _ints(t: dict[str, Any], key: str, n: int, source: str) -> list[int]:
    v = t.get(key)
    if not isinstance(v, list) or len(v) != n or not all(isinstance(i, int) and not isinstance(i, bool) for i in v):
        raise ModelError(f"{source}: tree field {key!r} must be a list of {n} integers")
    return v


def _floats(t: dict[str, Any], key: str, n: int, source: str) -> list[float]:
    v = t.get(key)
    if not isinstance(v, list) or len(v) != n or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in v):
        raise ModelError(f"{source}: tree field {key!r} must be a list of {n} numbers")
    out = [float(x) for x in v]
    if any(x != x for x in out):
        raise ModelError(f"{source}: tree field {key!r} holds NaN")
    return out


def tree_from_json(t: Any, n_features: int, source: str) -> Tree:
    """Check one tree's arrays: equal lengths, forward child indices, features in range."""
    if not isinstance(t, dict) or not isinstance(t.get("value"), list) or not t["value"]:
        raise ModelError(f"{source}: a tree must be an object of per-node arrays {_KEYS}")
    n = len(t["value"])
    feature, left, right = (_ints(t, k, n, source) for k in ("feature", "left", "right"))
    threshold, value = _floats(t, "threshold", n, source), _floats(t, "value", n, source)
    miss = t.get("missing_left")
    if not isinstance(miss, list) or len(miss) != n or not all(isinstance(b, bool) for b in miss):
        raise ModelError(f"{source}: tree field 'missing_left' must be a list of {n} booleans")
    if any(not math.isfinite(v) for v in value):
        raise ModelError(f"{source}: tree values must be finite")
    for i in range(n):
        if left[i] == LEAF or right[i] == LEAF:
            if not (left[i] == right[i] == LEAF and feature[i] == LEAF):
                raise ModelError(f"{source}: node {i} is half a leaf")
        elif not (i < left[i] < n and i < right[i] < n and 0 <= feature[i] < n_features):
            raise ModelError(f"{source}: node {i} points outside its tree or feature list")
    return Tree(feature, threshold, miss, left, right, value)


def tree_model_from_payload(payload: dict[str, Any], source: str) -> TreeModel:
    """Build a :class:`TreeModel` from a verified payload (checksum already checked)."""
    check_version(payload, TREE_FORMAT_VERSION, source)
    names = feature_names(payload, source)
    trees = payload.get("trees")
    if not isinstance(trees, list):
        raise ModelError(f"{source}: 'trees' must be a list")
    try:
        baseline = float(payload["baseline"])
        if not math.isfinite(baseline):
            raise ValueError("baseline is not finite")
        return TreeModel(
            feature_names=names,
            baseline=baseline,
            trees=[tree_from_json(t, len(names), source) for t in trees],
            **common_fields(payload),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{source}: malformed model ({exc})") from None


# ---- export from scikit-learn ---------------------------------------------------------


def _tree_from_predictor(nodes: Any) -> Tree:
    """Per-node arrays of one ``TreePredictor``; split nodes get their leaves' count-weighted mean."""
    n = len(nodes)
    is_leaf = [bool(nodes["is_leaf"][i]) for i in range(n)]
    if any(bool(nodes["is_categorical"][i]) for i in range(n) if not is_leaf[i]):
        raise ValueError("categorical splits are not supported by the JSON tree format")
    left = [LEAF if is_leaf[i] else int(nodes["left"][i]) for i in range(n)]
    right = [LEAF if is_leaf[i] else int(nodes["right"][i]) for i in range(n)]
    count = [float(nodes["count"][i]) for i in range(n)]
    value = [float(nodes["value"][i]) if is_leaf[i] else 0.0 for i in range(n)]
    for i in reversed(range(n)):  # children come after their parent
        if not is_leaf[i]:
            cl, cr = count[left[i]], count[right[i]]
            value[i] = (cl * value[left[i]] + cr * value[right[i]]) / (cl + cr) if cl + cr else 0.0
    return Tree(
        feature=[LEAF if is_leaf[i] else int(nodes["feature_idx"][i]) for i in range(n)],
        threshold=[0.0 if is_leaf[i] else float(nodes["num_threshold"][i]) for i in range(n)],
        missing_left=[bool(nodes["missing_go_to_left"][i]) if not is_leaf[i] else False for i in range(n)],
        left=left,
        right=right,
        value=value,
    )


def export_hgb(
    clf: Any, feature_names: list[str], *, calibration: dict[str, float], threshold: float,
    meta: dict[str, Any], prefix: str = "farmscan-gbt",
) -> TreeModel:
    """A fitted binary ``HistGradientBoostingClassifier`` as a :class:`TreeModel` (exact floats)."""
    if getattr(clf, "n_trees_per_iteration_", 1) != 1:
        raise ValueError("only binary classifiers can be exported")
    trees = [_tree_from_predictor(it[0].nodes) for it in clf._predictors]
    baseline = float(clf._baseline_prediction.ravel()[0])
    digest = hashlib.sha256(
        json.dumps([feature_names, baseline, [t.to_json() for t in trees]], sort_keys=True).encode()
    ).hexdigest()[:12]
    return TreeModel(
        feature_names=list(feature_names),
        baseline=baseline,
        trees=trees,
        threshold=math.ceil(threshold * 1e6) / 1e6,  # round up: a page at the boundary stays below
        id=f"{prefix}-{digest}",
        calibration={k: round(float(v), 10) for k, v in calibration.items()},
        meta=meta,
    )
