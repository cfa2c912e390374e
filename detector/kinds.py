"""Which kind of farm the evidence points to, and the signals that decided it.

Each page signal belongs to one kind (by name, else by family); a site's score for a kind
is the mean log-odds its signals of that kind added per page, plus the site signals of that
kind; the first kind in :data:`KINDS` order with enough evidence wins (:func:`decide_kind`).
"""

from __future__ import annotations

KINDS = ("scraped-mirror", "seo-spam-doorway", "spun-ai", "autoblog", "made-for-advertising", "content-farm")

_BY_NAME = {
    "autoblog.llm_vocab_sat": "spun-ai",
    "autoblog.ai_disclosure": "spun-ai",
    "text.padding_phrases": "spun-ai",
    "text.padding_phrases_sat": "spun-ai",
    "text.keyword_stuffing": "seo-spam-doorway",
    "text.keyword_runs": "seo-spam-doorway",
    "text.hidden_text": "seo-spam-doorway",
    "text.meta_keywords": "seo-spam-doorway",
    "text.meta_keywords_sat": "seo-spam-doorway",
    "template.keyword_title": "seo-spam-doorway",
    "template.bracket_year_title": "content-farm",
    "site.doorway_titles": "seo-spam-doorway",
    "site.same_body": "seo-spam-doorway",
    "site.ad_page_share": "made-for-advertising",
    "site.copy_share": "scraped-mirror",
    "site.uncredited_copy_share": "scraped-mirror",
    "site.template_network": "content-farm",
    "site.one_layout_many_topics": "content-farm",
    "site.byline_same": "content-farm",
    "site.byline_generic": "content-farm",
    "site.byline_missing": "content-farm",
    "site.outbound_share": "seo-spam-doorway",
}
_BY_FAMILY = {
    "copy": "scraped-mirror",
    "hashtags": "scraped-mirror",
    "index": "scraped-mirror",
    "autoblog": "autoblog",
    "seo": "seo-spam-doorway",
    "ads": "made-for-advertising",
    "mfa": "made-for-advertising",
    "bio": "spun-ai",
    "template": "content-farm",
}
# Families that say "farm" without saying which kind (page shape, throwaway domain names):
# they never decide a kind.
NO_KIND = ("text", "url")
# Site signals that only count towards a kind when strong (their value is a share).
_SITE_MIN = 0.5
# Site signals that say what a site *is* (half its pages one doorway template, or copies of
# other sites' articles): a strong one names its kind alone (2 x a share of 0.5 = MIN_SPECIFIC).
_DEFINING = {"site.doorway_titles": 2.0, "site.same_body": 2.0, "site.copy_share": 2.0,
             "site.uncredited_copy_share": 2.0}


# A specific kind needs this much mean log-odds from its signals; below it the verdict
# falls back to the catch-all "content-farm".
MIN_SPECIFIC = 1.0


def kind_of_signal(name: str) -> str | None:
    if name in _BY_NAME:
        return _BY_NAME[name]
    family = name.split(".", 1)[0]
    return None if family in NO_KIND else _BY_FAMILY.get(family)


def decide_kind(page_signal_weights: dict[str, float], site_values: dict[str, float]) -> tuple[str, list[str]]:
    """``(kind, deciding signal names)``.

    ``page_signal_weights``: each page signal's summed contribution divided by the site's
    page count (its mean log-odds per page). Site signals of a kind add their value when
    at least 0.5 (twice it for the signals of :data:`_DEFINING`). The first specific kind of
    :data:`KINDS` (most to least specific evidence) whose total reaches :data:`MIN_SPECIFIC`
    wins; otherwise the site is a ``content-farm``.
    """
    scores = dict.fromkeys(KINDS, 0.0)
    why: dict[str, list[tuple[float, str]]] = {k: [] for k in KINDS}
    for name, weight in page_signal_weights.items():
        k = kind_of_signal(name)
        if k and weight > 0:
            scores[k] += weight
            why[k].append((weight, name))
    for name, value in site_values.items():
        k = _BY_NAME.get(name)
        if k and value >= _SITE_MIN:
            scores[k] += value * _DEFINING.get(name, 1.0)
            why[k].append((value, name))
    # The first kind, in :data:`KINDS` order, with enough evidence: copying is what a mirror
    # *is* while the ads it runs are its business model, so a mirror with ads stays a mirror.
    best = next((k for k in KINDS[:-1] if scores[k] >= MIN_SPECIFIC), "content-farm")
    return best, [n for _, n in sorted(why[best], key=lambda t: (-t[0], t[1]))[:4]]
