"""Per-site running aggregates: each page updates a few counters and is then forgotten.

Memory per site is bounded whatever its page count: a 20-bin probability histogram,
signal counters (at most :data:`MAX_SIGNALS` names), small capped tables of bylines,
layouts and body signatures, bottom-k samples of distinct titles and URL slugs (doorway
templates, :mod:`detector.sites.templates`: the same sample whatever the page order), and the
:data:`KEEP_PAGES` most farm-like pages (for examples and the report). Capped tables stop
admitting new keys when full (keys seen early keep counting): the repeated bylines, layouts and
bodies the site signals look for show up early and often, so a cap loses only one-off keys.
"""

from __future__ import annotations

import heapq
from bisect import insort
from dataclasses import dataclass, field
from typing import Any

from detector.sites.facts import PageFacts, is_generic_byline, stable_hash, title_words
from detector.sites.templates import SAMPLE, Family, best_family, slug_key, title_key

BINS = 20
MAX_SIGNALS = 32
MAX_KEYS = 32  # bylines, layouts, body signatures
VOCAB_K = 64  # bottom-k sketch of title-word hashes (distinct-count estimate)
KEEP_PAGES = 6
MAX_IDS = 32  # operator IDs kept per site
MAX_DAYS = 64  # publication days counted per site
KEEP_SIGNALS = 3
_H63 = float(1 << 63)


def _sample(table: dict[int, str], key: str) -> None:
    """Offer ``key`` to the bottom-k sample ``table`` (the SAMPLE smallest stable hashes)."""
    h = stable_hash(key)
    if h in table:
        return
    if len(table) < SAMPLE:
        table[h] = key
        return
    top = max(table)
    if h < top:
        del table[top]
        table[h] = key


def _bump(table: dict, key: Any, cap: int) -> None:
    if key in table:
        table[key] += 1
    elif len(table) < cap:
        table[key] = 1


@dataclass(slots=True)
class SiteAggregate:
    """Everything the site verdict needs, updated one page at a time."""

    site: str
    pages: int = 0
    errors: int = 0
    flagged: int = 0
    prob_sum: float = 0.0
    prob_max: float = 0.0
    hist: list[int] = field(default_factory=lambda: [0] * BINS)
    # signal name -> [pages it fired on, summed contribution, first evidence]; only signals
    # that fired (with evidence) are counted
    signals: dict[str, list] = field(default_factory=dict)
    bylined: int = 0
    no_byline: int = 0
    bylines: dict[str, int] = field(default_factory=dict)
    generic_bylines: int = 0
    layouts: dict[int, int] = field(default_factory=dict)
    with_layout: int = 0
    vocab: list[int] = field(default_factory=list)  # the VOCAB_K smallest title-word hashes
    title_tokens: int = 0
    titled: int = 0
    # bottom-k samples (stable hash -> key) of distinct titles and URL slugs: slot templates
    titles: dict[int, str] = field(default_factory=dict)
    slugs: dict[int, str] = field(default_factory=dict)  # of pages without a title that can hold one
    template_pages: int = 0  # pages with a title or a URL
    title_keyed: int = 0  # ... whose title was offered to the sample
    slug_keyed: int = 0  # ... whose URL slug was offered instead
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
    # operator IDs ("adsense:ca-pub-...") -> pages carrying them; other sites linked -> pages
    ids: dict[str, int] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)
    # publication dates: day -> pages, exact timestamp -> pages (cadence)
    days: dict[str, int] = field(default_factory=dict)
    stamps: dict[str, int] = field(default_factory=dict)
    dated: int = 0
    # page thresholds and base log-odds (summed over the pages that carry them)
    thr_sum: float = 0.0
    thr_n: int = 0
    base_sum: float = 0.0
    base_n: int = 0
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
        if f.threshold is not None:
            self.thr_sum += f.threshold
            self.thr_n += 1
        if f.base is not None:
            self.base_sum += f.base
            self.base_n += 1
        for name, score, ev in f.signals:
            if not ev:  # leaned toward farm while absent (value 0): not something the page shows
                continue
            rec = self.signals.get(name)
            if rec is None:
                if len(self.signals) >= MAX_SIGNALS:
                    continue
                self.signals[name] = [1, score, ev[:100]]
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
            self._sketch(words)
        if words or f.url:
            self.template_pages += 1
            key = title_key(words)
            if key is not None:
                self.title_keyed += 1
                _sample(self.titles, key)
            elif f.url:  # the URL speaks for a page whose title cannot (none, or too short)
                key = slug_key(f.url)
                if key is not None:
                    self.slug_keyed += 1
                    _sample(self.slugs, key)
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
        for kind, values in f.ids.items():
            for value in values:
                _bump(self.ids, f"{kind.removeprefix('ids.')}:{value}", MAX_IDS)
        for other in f.linked_sites:
            _bump(self.links, other, MAX_KEYS)
        if f.published:
            self.dated += 1
            _bump(self.days, f.published[:10], MAX_DAYS)
            if len(f.published) > 10:
                _bump(self.stamps, f.published[:19], MAX_KEYS)
        self._keep(p, f)

    def _sketch(self, words: list[str]) -> None:
        vocab = self.vocab
        for w in words:
            h = stable_hash(w)  # equal in every run: the estimate is reproducible
            if len(vocab) < VOCAB_K:
                if h not in vocab:
                    insort(vocab, h)
            elif h < vocab[-1] and h not in vocab:
                insort(vocab, h)
                vocab.pop()

    def distinct_title_words(self) -> float:
        """Distinct title words seen (exact up to VOCAB_K, then the bottom-k estimate)."""
        if len(self.vocab) < VOCAB_K:
            return float(len(self.vocab))
        return (VOCAB_K - 1) * _H63 / max(self.vocab[-1], 1)

    def _keep(self, p: float, f: PageFacts) -> None:
        item = (p, -self._seq, f.input, f.url, f.probability, f.label, f.error,
                tuple((n, sc, e[:60]) for n, sc, e in f.signals[:KEEP_SIGNALS]))
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
        """The most farm-like pages kept (failed ones last), as report rows."""
        return [
            {"input": inp, "url": url, "probability": None if prob is None else round(prob, 4), "label": label,
             "error": error, "signals": [{"name": n, "score": round(sc, 4), "evidence": e} for n, sc, e in sigs]}
            for _, _, inp, url, prob, label, error, sigs in sorted(self.top, reverse=True)
        ]

    def doorway_families(self) -> list[tuple[float, Family]]:
        """``(share of pages, family)`` of the slot families of the sampled titles and URL slugs
        (:mod:`detector.sites.templates`), the larger share first. The share is the family's
        share of its sample times the share of pages whose titles (slugs) were sampled."""
        out = []
        for table, keyed, source in ((self.titles, self.title_keyed, "titles"), (self.slugs, self.slug_keyed, "URLs")):
            fam = best_family(list(table.values()), source)
            if fam is not None:
                out.append((min(fam.size / fam.sampled * keyed / max(self.template_pages, 1), 1.0), fam))
        return sorted(out, key=lambda t: (-t[0], -t[1].size, t[1].source == "URLs"))


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
