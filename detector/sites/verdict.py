"""The site verdict: label, calibrated probability, kind, signals with evidence, example pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from detector.kinds import decide_kind
from detector.sites.aggregate import SiteAggregate
from detector.sites.model import SiteModel
from detector.sites.signals import site_signals
from detector.verdict import Signal

EXAMPLES = 5
SIGNALS_AGAINST = 3  # the strongest contributions toward original listed
# A site's network: sister sites flagged on their own move its log-odds by up to this much
# (times the share of its judged sister sites that are flagged). Hand-set, see docs/sites-model.md.
NETWORK_WEIGHT = 2.0


@dataclass
class SiteVerdict:
    """One site. ``label`` is ``farm``, ``original``, or ``None`` ("too few pages", see ``note``)."""

    site: str
    label: str | None
    probability: float | None
    pages: int
    pages_flagged: int
    errors: int
    kind: str | None
    kind_signals: list[str]
    signals: list[Signal]
    examples: list[str]
    model: str
    threshold: float
    note: str | None = None
    base_value: float = 0.0
    features: dict[str, float] = field(default_factory=dict)
    histogram: list[int] = field(default_factory=list)
    page_rows: list[dict[str, Any]] = field(default_factory=list)
    network: list[str] = field(default_factory=list)
    network_ties: list[tuple[str, str]] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.label == "farm"

    def to_dict(self, *, pages: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "site": self.site,
            "label": self.label,
            "probability": None if self.probability is None else round(self.probability, 4),
            "threshold": self.threshold,
            "pages": self.pages,
            "pages_flagged": self.pages_flagged,
            "errors": self.errors,
            "kind": self.kind,
            "kind_signals": self.kind_signals,
            "signals": [s.to_dict() for s in self.signals],
            "examples": self.examples,
            "model": self.model,
            "note": self.note,
            "histogram": self.histogram,
            "base_value": round(self.base_value, 6),
            "network": {"sites": self.network, "ties": [{"site": o, "evidence": e} for o, e in self.network_ties]}
            if self.network else None,
        }
        if pages:
            d["page_rows"] = self.page_rows
            d["features"] = {k: round(v, 6) for k, v in sorted(self.features.items())}
        return d


def judge(agg: SiteAggregate, model: SiteModel, *, min_pages: int | None = None,
          threshold: float | None = None, keep_pages: bool = True) -> SiteVerdict:
    """The verdict for one site aggregate. Below ``min_pages`` scored pages: label ``None``.

    ``keep_pages=False`` leaves ``page_rows`` empty (a crawl of 50,000 sites need not hold
    six page rows for each when no report asks for them)."""
    min_pages = model.min_pages if min_pages is None else min_pages
    threshold = model.threshold if threshold is None else threshold
    values, evidence = site_signals(agg)
    kept = agg.kept_pages()
    examples = [row["url"] or row["input"] for row in kept[:EXAMPLES]]
    n = agg.scored
    base = dict(
        site=agg.site, pages=agg.pages, pages_flagged=agg.flagged, errors=agg.errors, examples=examples,
        model=model.id, threshold=threshold, base_value=model.base_value(), features=values,
        histogram=list(agg.hist), page_rows=kept if keep_pages else [],
    )
    if n < max(min_pages, 1):
        return SiteVerdict(label=None, probability=None, kind=None, kind_signals=[], signals=[],
                           note=f"too few pages: {n} scored, {min_pages} needed", **base)
    if n < model.min_pages:
        return _from_pages(agg, values, base, model.min_pages)
    prob, contrib = model.predict(values)
    # The reasons shown: signals the site has (a value) that pushed towards farm. Absent
    # signals still move the probability (a standardised model compares each with its
    # mean), but "no doorway family found" is not a reason to block a site.
    signals = [
        Signal(name, c, tuple(evidence.get(name) or [f"{name} = {values[name]:.3g}"]))
        for name, c in sorted(contrib.items(), key=lambda kv: (-kv[1], kv[0]))
        if c > 0 and values.get(name)
    ]
    # Toward original: what the site lacks that farms have (a feature that did not fire reads
    # "absent", never "x = 0"), then what it has that originals have.
    signals += [
        Signal(name, c, tuple(evidence.get(name) or ([f"{name} = {values[name]:.3g}"] if values.get(name) else
                                                     [f"{name}: not seen on this site"])))
        for name, c in sorted(contrib.items(), key=lambda kv: (kv[1], kv[0]))[:SIGNALS_AGAINST]
        if c < 0
    ]
    label = "farm" if prob >= threshold else "original"
    weights = {name: rec[1] / n for name, rec in agg.signals.items()}
    kind, why = decide_kind(weights, values) if label == "farm" else (None, [])
    return SiteVerdict(label=label, probability=prob, kind=kind, kind_signals=why, signals=signals, **base)


def _from_pages(agg: SiteAggregate, values: dict[str, float], base: dict[str, Any], model_min: int) -> SiteVerdict:
    """A site under the site model's minimum pages (``--min-pages`` set lower): the site model never
    saw such sites, so the verdict is its pages': mean page probability against their mean page
    threshold, and the page signals that fired with their mean contribution (log-odds, on the page
    model's base)."""
    n = agg.scored
    prob = agg.prob_sum / n
    threshold = agg.thr_sum / agg.thr_n if agg.thr_n else 0.5
    weights = {name: rec[1] / n for name, rec in agg.signals.items()}
    signals = [Signal(name, w, (agg.signals[name][2],))
               for name, w in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:10] if w > 0]
    label = "farm" if prob >= threshold else "original"
    kind, why = decide_kind(weights, values) if label == "farm" else (None, [])
    base.update(threshold=threshold, base_value=agg.base_sum / agg.base_n if agg.base_n else 0.0)
    return SiteVerdict(label=label, probability=prob, kind=kind, kind_signals=why, signals=signals,
                       note=f"{n} page{'s' if n != 1 else ''}, under the site model's {model_min}: the pages' verdicts", **base)


def network_pull(probability: float, members: list[str], labels: dict[str, str | None]) -> tuple[float, float, list[str], list[str]]:
    """``(probability with the pull, farm share, flagged sisters, judged sisters)``: the log-odds
    move by :data:`NETWORK_WEIGHT` times the share of judged sister sites flagged on their own."""
    import math

    from detector.model.calibration import sigmoid

    sisters = [m for m in members if labels.get(m) is not None]
    farms = [m for m in sisters if labels[m] == "farm"]
    if not farms:
        return probability, 0.0, farms, sisters
    share = len(farms) / len(sisters)
    p = min(max(probability, 1e-12), 1 - 1e-12)
    return sigmoid(math.log(p / (1 - p)) + NETWORK_WEIGHT * share), share, farms, sisters


def with_network(sv: SiteVerdict, members: list[str], ties: list[tuple[str, str]],
                 labels: dict[str, str | None], agg: SiteAggregate) -> SiteVerdict:
    """``sv`` with its network listed and, when some sister sites are flagged on their own, the
    network's pull toward farm added (signal ``site.network``, first-pass labels only: no cascade)."""
    sv.network, sv.network_ties = members, ties
    if sv.label is None or sv.probability is None:
        return sv
    prob, share, farms, sisters = network_pull(sv.probability, members, labels)
    if not farms:
        return sv
    sv.probability = prob
    sv.features["site.network_farm_share"] = share
    why = (f"{len(farms)} of {len(sisters)} judged sister sites flagged: " + ", ".join(farms[:5]),
           *(f"{o}: {e}" for o, e in ties[:3]))
    sv.signals = sorted([*sv.signals, Signal("site.network", NETWORK_WEIGHT * share, why)],
                        key=lambda s: (-s.score, s.name))
    if sv.label != "farm" and sv.probability >= sv.threshold:
        sv.label = "farm"
        weights = {name: rec[1] / max(agg.scored, 1) for name, rec in agg.signals.items()}
        sv.kind, sv.kind_signals = decide_kind(weights, sv.features)
    return sv
