"""Site signals: named values with evidence, read from a :class:`SiteAggregate`.

Every name starts with ``site.``; each value is in [0, 1] (``site.pages_log`` and
``site.template_network`` are log-scaled counts). Signals that need several pages to mean
anything (bylines, layouts, doorway families) stay 0 below their own minimum.
"""

from __future__ import annotations

import math

from detector.sites.aggregate import SiteAggregate
from detector.sites.facts import is_generic_byline

FAMILIES = ("ads", "autoblog", "bio", "copy", "hashtags", "index", "mfa", "seo", "template", "text", "url")
FEATURES = (
    "site.share_flagged", "site.mean_probability", "site.p75", "site.p90", "site.max_probability",
    "site.pages_log", "site.byline_same", "site.byline_generic", "site.byline_missing", "site.one_layout_many_topics",
    "site.doorway_titles", "site.same_body", "site.outbound_share", "site.ad_page_share",
    "site.copy_share", "site.uncredited_copy_share", "site.template_network",
    *(f"site.pages_with.{fam}" for fam in FAMILIES),
    "site.busiest_day", "site.same_timestamp", "site.operator_ids", "site.network_farm_share",
)
# Computed and shown, not read by the site model: the count of operator IDs says who owns a
# site, not what it is (news sites carry a dozen); the count of pages says how many pages the
# user (or a probe's page budget) gave, not what the site is (the corpus's farm sites were
# collected 10-15 pages each, its genuine ones fewer: read, it became a farm cue); and a
# site's network pull is added after the model (detector.sites.verdict.with_network).
SHOWN_ONLY = ("site.operator_ids", "site.pages_log", "site.network_farm_share")
MODEL_FEATURES = tuple(f for f in FEATURES if f != "site.pages_with.text" and f not in SHOWN_ONLY)
MIN_BYLINES = 3
MIN_LAYOUT_PAGES = 5
MIN_FAMILY = 3
MIN_DATED = 5  # dated pages before cadence means anything


def site_signals(agg: SiteAggregate) -> tuple[dict[str, float], dict[str, list[str]]]:
    """``(values, evidence)`` of every site signal (absent keys are 0)."""
    v: dict[str, float] = {}
    ev: dict[str, list[str]] = {}
    n = agg.scored
    if n == 0:
        return v, ev
    v["site.share_flagged"] = agg.flagged / n
    ev["site.share_flagged"] = [f"{agg.flagged} of {n} pages flagged"]
    v["site.mean_probability"] = agg.prob_sum / n
    v["site.p75"], v["site.p90"] = agg.quantile(0.75), agg.quantile(0.9)
    v["site.max_probability"] = agg.prob_max
    ev["site.mean_probability"] = [
        f"page probability mean {v['site.mean_probability']:.2f}, p75 {v['site.p75']:.2f}, "
        f"p90 {v['site.p90']:.2f}, max {agg.prob_max:.2f}"
    ]
    for k in ("site.p75", "site.p90", "site.max_probability"):
        ev[k] = ev["site.mean_probability"]
    v["site.pages_log"] = math.log1p(n)
    ev["site.pages_log"] = [f"{n} pages scored"]

    fam_pages: dict[str, int] = {}
    fam_names: dict[str, list[tuple[int, str, str]]] = {}
    for name, (count, _score, first) in agg.signals.items():
        fam = name.split(".", 1)[0]
        fam_pages[fam] = max(fam_pages.get(fam, 0), count)
        fam_names.setdefault(fam, []).append((count, name, first))
    for fam in FAMILIES:
        if fam_pages.get(fam):
            key = f"site.pages_with.{fam}"
            v[key] = min(fam_pages[fam] / n, 1.0)
            # Only signals that fired are counted (detector.sites.aggregate): each quotes its evidence.
            top = sorted(fam_names[fam], key=lambda t: (-t[0], t[1]))[:3]
            ev[key] = [f"{name} on {c} of {n} pages (e.g. {first[:80]})" for c, name, first in top]

    observed = agg.bylined + agg.no_byline
    if observed >= MIN_BYLINES:
        v["site.byline_missing"] = agg.no_byline / observed
        ev["site.byline_missing"] = [f"no byline on {agg.no_byline} of {observed} pages"]
        if agg.bylined >= MIN_BYLINES:
            name, count = max(agg.bylines.items(), key=lambda kv: (kv[1], kv[0]))
            v["site.byline_same"] = count / agg.bylined
            ev["site.byline_same"] = [f"'{name}' signs {count} of {agg.bylined} bylined pages",
                                      f"{len(agg.bylines)} distinct bylines"]
            if agg.generic_bylines:
                v["site.byline_generic"] = agg.generic_bylines / agg.bylined
                ev["site.byline_generic"] = [f"a role, not a person, signs {agg.generic_bylines} of {agg.bylined} "
                                             f"bylined pages (e.g. '{name}')" if is_generic_byline(name) else
                                             f"a role, not a person, signs {agg.generic_bylines} of {agg.bylined} bylined pages"]
    if agg.with_layout >= MIN_LAYOUT_PAGES and agg.titled >= MIN_LAYOUT_PAGES:
        layout_share = max(agg.layouts.values()) / agg.with_layout
        distinct = agg.distinct_title_words()
        spread = min(distinct / max(agg.title_tokens, 1), 1.0)
        v["site.one_layout_many_topics"] = layout_share * spread
        ev["site.one_layout_many_topics"] = [
            f"one layout on {layout_share:.0%} of {agg.with_layout} pages",
            f"title vocabulary spread {spread:.2f} (~{distinct:.0f} distinct of {agg.title_tokens} title words)",
        ]
    fams = agg.doorway_families()
    if fams:
        share, fam = fams[0]
        v["site.doorway_titles"] = share
        ev["site.doorway_titles"] = [f"{fam.size} of {fam.sampled} distinct {fam.source} follow one template: "
                                     f"{fam.template[:100]}", "slot: " + ", ".join(fam.fillers[:6])]
    if agg.bodies and agg.with_body >= MIN_FAMILY:
        top = max(agg.bodies.values())
        if top >= MIN_FAMILY:
            v["site.same_body"] = top / agg.with_body
            ev["site.same_body"] = [f"{top} of {agg.with_body} pages share one text apart from names and numbers"]
    if agg.outbound_n:
        v["site.outbound_share"] = agg.outbound_sum / agg.outbound_n
        ev["site.outbound_share"] = [f"{v['site.outbound_share']:.0%} of links leave the site (mean of {agg.outbound_n} pages)"]
    if agg.ad_known:
        v["site.ad_page_share"] = agg.ad_pages / agg.ad_known
        ev["site.ad_page_share"] = [f"ad slots on {agg.ad_pages} of {agg.ad_known} pages"]
    if agg.copies:
        v["site.copy_share"] = agg.copies / n
        v["site.uncredited_copy_share"] = max(agg.copies - agg.credited, 0) / n
        ev["site.copy_share"] = [f"{agg.copies} of {n} pages copy another site's article in the index, {agg.credited} credited"]
        ev["site.uncredited_copy_share"] = ev["site.copy_share"]
    if agg.dated >= MIN_DATED:
        day, count = max(agg.days.items(), key=lambda kv: (kv[1], kv[0]))
        if count >= MIN_FAMILY:
            v["site.busiest_day"] = math.log1p(count)
            ev["site.busiest_day"] = [f"{count} of {agg.dated} dated pages published on {day}",
                                      f"{len(agg.days)} distinct days"]
        if agg.stamps:
            stamp, same = max(agg.stamps.items(), key=lambda kv: (kv[1], kv[0]))
            if same >= MIN_FAMILY:
                v["site.same_timestamp"] = same / agg.dated
                ev["site.same_timestamp"] = [f"{same} of {agg.dated} dated pages carry one timestamp {stamp}"]
    if agg.ids:
        top = sorted(agg.ids.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        v["site.operator_ids"] = float(len(agg.ids))
        ev["site.operator_ids"] = [f"{k} on {c} of {n} pages" for k, c in top]
    if agg.template_sites:
        v["site.template_network"] = math.log1p(agg.template_sites)
        ev["site.template_network"] = [f"template shared with {agg.template_sites} other sites in the index"]
    return v, ev
