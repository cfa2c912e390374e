"""From a model's signed contributions to what a verdict shows: signals and reasons.

A model's :class:`~detector.model.calibration.Explanation` gives the base value and every feature's
signed contribution to the page's log-odds (``base + sum == log_odds``). A verdict shows:

* ``signals``: the strongest contributions on each side, up to ``PER_SIDE`` toward ``farm``
  (positive, largest first) then up to ``PER_SIDE`` toward ``original`` (negative, the most
  negative last), each with the page's evidence; every other farm-side contribution that the
  page shows evidence for (an invented bio's birthday line, an ad network) is listed too, up
  to ``MAX_FARM_SIDE``, so a flagged page names everything on it that looked like a farm;
* ``reasons`` (flagged pages only): the fewest farm-side features, largest first, that carry
  the page over the threshold given everything on the original side. Formally the shortest
  prefix ``P`` of the positive contributions, sorted descending, with
  ``base + sum(negatives) + sum(P) >= logit(threshold)``; it exists because the page's whole
  log-odds is at or above ``logit(threshold)``. An original page has no reasons.
"""

from __future__ import annotations

from detector.model.calibration import logit
from detector.verdict import Signal

PER_SIDE = 10
MAX_FARM_SIDE = 40  # bounded for pathological models
MIN_ABS = 1e-4  # contributions smaller than this (on the log-odds scale) are noise, not signals


def evidence_for(name: str, evidence: dict[str, list[str]]) -> list[str]:
    """The evidence of feature ``name``, else of its unsaturated base (``x_sat`` -> ``x``)."""
    base = name.rsplit("_sat", 1)[0] if name.endswith("_sat") else name
    for key in (name, base, name.split(".", 1)[0]):
        if evidence.get(key):
            return evidence[key][:8]
    return []


def fired(value: float | None) -> bool:
    """Whether a feature value says its signal fired: not 0, not missing (``None``, NaN)."""
    return value is not None and value == value and value != 0.0


def looks_for(name: str) -> str:
    """What feature ``name`` looks for, in words: ``ads.trackers_sat`` -> ``trackers (ads)``."""
    ns, _, rest = name.partition(".")
    rest = rest.removesuffix("_sat")
    if rest.endswith("_missing"):  # bio.byline_missing looks for a missing byline
        rest = "missing " + rest.removesuffix("_missing")
    rest = rest.replace("_", " ") if rest else ns
    return f"{rest} ({ns})" if rest != ns else ns


def _signal(name: str, c: float, values: dict[str, float], evidence: dict[str, list[str]]) -> Signal:
    """A signal with its evidence. Evidence is shown only where the signal fired: a feature at 0
    (or missing) shows none toward farm, and ``absent: <what it looks for>`` toward original."""
    value = values.get(name)
    if not fired(value):
        return Signal(name, c, () if c > 0 else (f"absent: {looks_for(name)}",))
    ev = evidence_for(name, evidence)
    return Signal(name, c, tuple(ev or [f"{name} = {value:.3g}"]))


def select_signals(
    contributions: dict[str, float],
    values: dict[str, float],
    evidence: dict[str, list[str]],
    per_side: int = PER_SIDE,
) -> list[Signal]:
    """The strongest ``per_side`` contributions toward farm (and any other farm-side one the page
    has evidence for), then the strongest ``per_side`` toward original."""
    pos = sorted(((k, c) for k, c in contributions.items() if c >= MIN_ABS), key=lambda kv: (-kv[1], kv[0]))
    neg = sorted(((k, c) for k, c in contributions.items() if c <= -MIN_ABS), key=lambda kv: (kv[1], kv[0]))
    shown = [(k, c) for i, (k, c) in enumerate(pos) if i < per_side or (fired(values.get(k)) and evidence_for(k, evidence))]
    chosen = shown[:MAX_FARM_SIDE] + list(reversed(neg[:per_side]))
    return [_signal(k, c, values, evidence) for k, c in chosen]


def reasons_for(base: float, contributions: dict[str, float], threshold: float, flagged: bool) -> list[str]:
    """The farm-side features that carried a flagged page over ``threshold`` (none for an original)."""
    if not flagged:
        return []
    cut = logit(threshold)
    pos = sorted(((k, c) for k, c in contributions.items() if c > 0), key=lambda kv: (-kv[1], kv[0]))
    z = base + sum(c for c in contributions.values() if c < 0)
    out: list[str] = []
    for k, c in pos:
        if z >= cut:
            break
        out.append(k)
        z += c
    return out
