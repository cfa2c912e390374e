"""Operator networks: sites tied together by what only their owner puts on them.

Three kinds of tie between two sites of one roll-up (each site's own facts, counted over its
pages by :class:`~detector.sites.aggregate.SiteAggregate`):

- an **operator ID** (AdSense publisher, Analytics / Tag Manager ID, Amazon tag, affiliate or ad
  zone, contact address or phone; :mod:`features.operator_ids`) carried by both;
- a **layout fingerprint** (:func:`~detector.sites.facts.layout_of`: the page skeleton's
  distinct tokens, none for bare skeletons of under 5 tokens) that is the site's own: on at
  least :data:`MIN_SITE_SHARE` of its pages;
- a **site-wide link** (the sister-site footer of a network), from a site of at least
  :data:`MIN_LINK_PAGES` pages: on at least :data:`LINK_SITEWIDE` of its pages, or on at least
  :data:`MIN_SITE_SHARE` of them when the linking site is already tied by an ID or a layout
  (a template network linking its members). Links alone are weak: news sites cite each other
  on a third of their pages, a portal links a partner from every footer; so a link on a third
  of the pages ties only sites already in a network.

Stock and platform keys never tie. An ID or layout counts only when it is on at least
:data:`MIN_SITE_SHARE` of a site's pages (an embedded widget on one page is not the site's)
and is shared by at most :data:`MAX_TIE_SITES` sites of the roll-up: a theme's demo Analytics
ID, a CDN's or comment widget's account, a generator's stock template are on many unrelated
sites, an operator's account on its own few; and it must not be in :data:`STOCK_IDS` (known
platform and demo IDs). Networks are the connected components of the ties.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from detector.sites.aggregate import Rollup, SiteAggregate

MIN_SITE_SHARE = 1 / 3
MIN_LINK_PAGES = 3
LINK_SITEWIDE = 0.9
MAX_TIE_SITES = 12
MAX_NETWORK = 50  # members listed in a verdict
# IDs that platforms, themes and tutorials ship: on many unrelated sites, never one owner's.
STOCK_IDS = frozenset({
    "analytics:UA-XXXXX-Y", "analytics:G-XXXXXXXXXX", "analytics:GTM-XXXXXX",
    "adsense:ca-pub-0000000000000000", "adsense:ca-pub-1234567890123456",
})


@dataclass
class Network:
    """The sites tied to one site, with what ties them (``(other site, evidence)``)."""

    members: list[str] = field(default_factory=list)
    ties: list[tuple[str, str]] = field(default_factory=list)


def _own(agg: SiteAggregate, count: int) -> bool:
    return agg.scored > 0 and count >= max(1.0, MIN_SITE_SHARE * agg.scored)


def _keys(agg: SiteAggregate) -> list[str]:
    keys = [f"id {k}" for k, c in agg.ids.items() if _own(agg, c) and k not in STOCK_IDS]
    keys += [f"layout {k:x}" for k, c in agg.layouts.items() if _own(agg, c) and c >= 2]
    return keys


def networks(rollup: Rollup) -> dict[str, Network]:
    """``site -> Network`` for every site tied to at least one other (others left out)."""
    sites = rollup.sites
    holders: dict[str, list[str]] = defaultdict(list)
    for name in sorted(sites):
        if not name.startswith("?"):
            for key in _keys(sites[name]):
                holders[key].append(name)
    edges: dict[str, dict[str, str]] = defaultdict(dict)
    for key, names in sorted(holders.items()):
        if 2 <= len(names) <= MAX_TIE_SITES:
            for a in names:
                for b in names:
                    if a != b:
                        edges[a].setdefault(b, f"shares {key} ({len(names)} sites)")
    strong = set(edges)
    for name in sorted(sites):
        agg = sites[name]
        if agg.scored < MIN_LINK_PAGES or name.startswith("?"):
            continue
        for other, c in sorted(agg.links.items()):
            if other not in sites or other == name:
                continue
            if c >= LINK_SITEWIDE * agg.scored or (name in strong and _own(agg, c)):
                why = f"{name} links to {other} on {c} of {agg.scored} pages"
                edges[name].setdefault(other, why)
                edges[other].setdefault(name, why)
    # Connected components: each member lists every other member and its direct ties.
    out: dict[str, Network] = {}
    seen: set[str] = set()
    for start in sorted(edges):
        if start in seen:
            continue
        comp, stack = [], [start]
        seen.add(start)
        while stack:
            cur = stack.pop()
            comp.append(cur)
            for nxt in sorted(edges[cur]):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        comp.sort()
        for site in comp:
            out[site] = Network(members=[s for s in comp if s != site][:MAX_NETWORK],
                                ties=sorted(edges[site].items())[:MAX_NETWORK])
    return out
