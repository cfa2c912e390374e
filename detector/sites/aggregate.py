"""Per-site running aggregates: each page updates a few counters and is then forgotten.

Memory per site is bounded whatever its page count: a 20-bin probability histogram,
signal counters (at most :data:`MAX_SIGNALS` names), small capped tables of bylines,
layouts, title and body signatures, and the :data:`KEEP_PAGES` most farm-like pages
(for examples and the report). Capped tables stop admitting new keys when full (keys seen
early keep counting): the repeated bylines, layouts and doorway families the site signals
look for show up early and often, so a cap loses only one-off keys.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from typing import Any

from detector.sites.facts import PageFacts, is_generic_byline, title_words

BINS = 20
MAX_SIGNALS = 64
MAX_KEYS = 48  # bylines, layouts, body signatures
MAX_MASKED = 96  # masked title / URL signatures (doorway families)
MAX_FILLERS = 8
MAX_VOCAB = 1024
KEEP_PAGES = 12
_URL_TOKEN = re.compile(r"[a-z0-9]+")


def _bump(table: dict, key: Any, cap: int) -> None:
    if key in table:
        table[key] += 1
    elif len(table) < cap:
        table[key] = 1


@dataclass
class SiteAggregate:
    """Everything the site verdict needs, updated one page at a time."""

    site: str
    pages: int = 0
    errors: int = 0
    flagged: int = 0
    prob_sum: float = 0.0
    prob_max: float = 0.0
    hist: list[int] = field(default_factory=lambda: [0] * BINS)
    # signal name -> [pages it fired on, summed contribution, first evidence]
    signals: dict[str, list] = field(default_factory=dict)
    bylined: int = 0
    no_byline: int = 0
    bylines: dict[str, int] = field(default_factory=dict)
    generic_bylines: int = 0
    layouts: dict[int, int] = field(default_factory=dict)
    with_layout: int = 0
    vocab: set[int] = field(default_factory=set)
    title_tokens: int = 0
    titled: int = 0
    # masked signature -> [fillers seen (set), example]
    masked: dict[int, list] = field(default_factory=dict)
    bodies: dict[int, int] = field(default_factory=dict)
    with_body: int = 0
    outbound_sum: float = 0.0
    outbound_n: int = 0
    ad_pages: int = 0
    ad_known: int = 0
    copies: int = 0
    credited: int = 0
    template_sites: int = 0
    top: list[tuple[float, int, dict[str, Any]]] = field(default_factory=list)
    _seq: int = 0

    @property
    def scored(self) -> int:
        return self.pages - self.errors

    def add(self, f: PageFacts) -> None:
        self.pages += 1
        self._seq += 1
        if f.error is not None or f.probability is None:
            self.errors += 1
            self._keep(-1.0, f)
            return
        p = min(max(f.probability, 0.0), 1.0)
        self.prob_sum += p
        self.prob_max = max(self.prob_max, p)
        self.hist[min(int(p * BINS), BINS - 1)] += 1
        self.flagged += f.label == "farm"
        for name, score, ev in f.signals:
            rec = self.signals.get(name)
            if rec is None:
                if len(self.signals) >= MAX_SIGNALS:
                    continue
                self.signals[name] = [1, score, ev]
            else:
                rec[0] += 1
                rec[1] += score
        if f.byline is not None:
            if f.byline:
                self.bylined += 1
                self.generic_bylines += is_generic_byline(f.byline)
                _bump(self.bylines, f.byline, MAX_KEYS)
            else:
                self.no_byline += 1
        if f.layout is not None:
            self.with_layout += 1
            _bump(self.layouts, f.layout, MAX_KEYS)
        if f.body_sig is not None:
            self.with_body += 1
            _bump(self.bodies, f.body_sig, MAX_KEYS)
        words = title_words(f.title) if f.title else []
        if words:
            self.titled += 1
            self.title_tokens += len(words)
            if len(self.vocab) < MAX_VOCAB:
                self.vocab.update(hash(w) for w in words)
            self._mask(words, f.title)
        elif f.url:
            self._mask_url(f.url)
        if f.outbound_share is not None:
            self.outbound_sum += f.outbound_share
            self.outbound_n += 1
        if f.ad_slots is not None:
            self.ad_known += 1
            self.ad_pages += f.ad_slots > 0
        self.copies += f.copies > 0
        self.credited += f.credited_copies > 0
        if f.template_sites:
            self.template_sites = max(self.template_sites, int(f.template_sites))
        self._keep(p, f)

    def _mask(self, words: list[str], example: str) -> None:
        """Count the title under each one-word mask: pages whose titles differ in one word
        (a town, a keyword) share a masked signature with different fillers."""
        if len(words) < 3:
            return
        for i, w in enumerate(words[:12]):
            if w.isdigit():
                continue
            key = hash(("t", i, tuple(words[:i]), tuple(words[i + 1 :])))
            self._fill(key, w, example)

    def _mask_url(self, url: str) -> None:
        path = url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0].rstrip("/")
        last = path.rsplit("/", 1)[-1].lower()
        words = _URL_TOKEN.findall(last)
        if len(words) < 3:
            return
        head = path[: -len(last)] if last else path
        for i, w in enumerate(words[:12]):
            if w.isdigit():
                continue
            key = hash(("u", head, i, tuple(words[:i]), tuple(words[i + 1 :])))
            self._fill(key, w, url)

    def _fill(self, key: int, filler: str, example: str) -> None:
        rec = self.masked.get(key)
        if rec is None:
            if len(self.masked) >= MAX_MASKED:
                return
            self.masked[key] = [{filler}, example[:200]]
        elif len(rec[0]) < MAX_FILLERS:
            rec[0].add(filler)

    def _keep(self, p: float, f: PageFacts) -> None:
        row = {
            "input": f.input,
            "url": f.url,
            "probability": None if f.probability is None else round(f.probability, 4),
            "label": f.label,
            "error": f.error,
            "signals": [{"name": n, "score": round(s, 4), "evidence": e} for n, s, e in f.signals[:5]],
        }
        item = (p, -self._seq, row)
        if len(self.top) < KEEP_PAGES:
            heapq.heappush(self.top, item)
        elif item > self.top[0]:
            heapq.heapreplace(self.top, item)

    # ---- reading the aggregate -------------------------------------------------------
    def quantile(self, q: float) -> float:
        """Approximate ``q``-quantile of page probabilities (linear inside a histogram bin)."""
        n = self.scored
        if n == 0:
            return 0.0
        target = q * n
        seen = 0
        for i, c in enumerate(self.hist):
            if c and seen + c >= target:
                frac = (target - seen) / c
                return min((i + frac) / BINS, self.prob_max)
            seen += c
        return self.prob_max

    def kept_pages(self) -> list[dict[str, Any]]:
        return [row for _, _, row in sorted(self.top, reverse=True)]

    def doorway_families(self) -> list[tuple[int, str, list[str]]]:
        """``(distinct fillers, example, fillers)`` of masked signatures with 3+ fillers, largest first."""
        fams = [(len(fill), ex, sorted(fill)) for fill, ex in self.masked.values() if len(fill) >= 3]
        return sorted(fams, key=lambda t: (-t[0], t[1]))


class Rollup:
    """Site aggregates of a stream of :class:`PageFacts` (one dict entry per site)."""

    def __init__(self) -> None:
        self.sites: dict[str, SiteAggregate] = {}
        self.pages = 0

    def add(self, f: PageFacts) -> SiteAggregate:
        agg = self.sites.get(f.site)
        if agg is None:
            agg = self.sites[f.site] = SiteAggregate(f.site)
        agg.add(f)
        self.pages += 1
        return agg

    def __len__(self) -> int:
        return len(self.sites)
