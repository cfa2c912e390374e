"""What the site roll-up keeps of one page: a few numbers and hashes, never the page.

:func:`facts_from_verdict` reads a :class:`~detector.verdict.Verdict` (and, when the page
itself is at hand, a handful of page facts: title, byline, layout, body sameness,
outbound links); :func:`facts_from_record` reads one JSON line of ``farmscan score``.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from detector.sites.grouping import site_key, site_of
from features.page import Page

_TITLE_SPLIT = re.compile(r"\s+[|\-–—:·•»]\s+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CAPITALISED_OR_DIGIT = re.compile(r"\b(?:[A-Z][\w'’-]*|\d[\d.,]*)\b")
BODY_WORDS = 400  # words of main text hashed for the "same body, other place name" test


@dataclass(slots=True)
class PageFacts:
    """One page as the site aggregates see it. ``byline``: ``None`` unknown, ``""`` none found."""

    input: str
    url: str | None
    site: str
    probability: float | None
    label: str | None
    error: str | None = None
    signals: list[tuple[str, float, str]] = field(default_factory=list)
    title: str = ""
    byline: str | None = None
    layout: int | None = None
    body_sig: int | None = None
    outbound_share: float | None = None
    ad_slots: float | None = None
    copies: int = 0
    credited_copies: int = 0
    template_sites: int | None = None
    ids: dict[str, list[str]] = field(default_factory=dict)  # operator IDs (features.operator_ids)
    published: str | None = None  # ISO date or time of publication
    linked_sites: list[str] = field(default_factory=list)  # other sites this page links to (capped)
    threshold: float | None = None  # the page model's threshold and base log-odds (page verdicts
    base: float | None = None  # of sites under the site model's minimum pages)


def stable_hash(text: str) -> int:
    """A 63-bit hash equal across processes (``hash()`` of a str is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=8).digest(), "little") >> 1


def title_words(title: str) -> list[str]:
    """The title's words, lower-cased, with a trailing `` | Site Name`` part removed."""
    parts = _TITLE_SPLIT.split(title.strip())
    main = max(parts, key=len) if len(parts) > 1 else title
    return [w.lower() for w in _WORD.findall(main)][:24]


def body_signature(text: str) -> int | None:
    """A hash of the main text with capitalised words and numbers taken out.

    Doorway pages made once per town or keyword share it; two real articles do not.
    ``None`` for texts under 40 words (nothing to compare).
    """
    words = _WORD.findall(_CAPITALISED_OR_DIGIT.sub(" ", text))[:BODY_WORDS]
    if len(words) < 40:
        return None
    return stable_hash(" ".join(w.lower() for w in words))


def is_generic_byline(name: str) -> bool:
    """A role rather than a person ("admin", "Staff Writer", "News Desk"): the page signal's list."""
    from features.bio import _GENERIC_BYLINES, _GENERIC_SUFFIX  # one list for page and site

    low = name.lower().strip()
    return bool(low) and (low in _GENERIC_BYLINES or bool(_GENERIC_SUFFIX.search(low)))


def byline_of(page: Page) -> str:
    meta = page.meta
    for value in (page.given_author, meta.get("author"), meta.get("article:author"), meta.get("dc.creator"),
                  meta.get("sailthru.author"), meta.get("parsely-author")):
        if value and value.strip() and not value.strip().startswith("http"):
            return " ".join(value.split()).lower()[:80]
    return ""


def layout_of(page: Page) -> int | None:
    from features.template import skeleton

    tokens = skeleton(page)
    return stable_hash("\x1f".join(sorted(set(tokens)))) if len(tokens) >= 5 else None


def outbound_share(page: Page, site: str) -> float | None:
    links = [ln.href for ln in page.links if ln.href.startswith(("http://", "https://"))]
    if len(links) < 3 or not site:
        return None
    out = sum(1 for h in links if site_of(h) != site)
    return out / len(links)


MAX_LINKED_SITES = 16
MAX_LINKS_READ = 2_000


def linked_sites(page: Page, site: str) -> list[str]:
    """Up to :data:`MAX_LINKED_SITES` other sites the page links to, in page order (the first
    :data:`MAX_LINKS_READ` links read): a network's sister sites link to each other site-wide."""
    out: list[str] = []
    for ln in page.links[:MAX_LINKS_READ]:
        if not ln.href.startswith(("http://", "https://")):
            continue
        other = site_of(ln.href)
        if other and other != site and other not in out:
            out.append(other)
            if len(out) >= MAX_LINKED_SITES:
                break
    return out


def _signals(v: Any) -> list[tuple[str, float, str]]:
    """The page's signals toward farm (positive contributions): what a site's pages share.
    Scores rounded as ``farmscan score`` writes them, so both doors read the same numbers."""
    return [(sys.intern(s.name), round(float(s.score), 4), s.evidence[0] if s.evidence else "")
            for s in v.signals if s.score > 0]


def compact_site_facts(page: Page, site: str, ad_slots: float | None = None) -> dict[str, Any]:
    """What the site roll-up needs of one page, as a small JSON object (the ``site_facts`` of a
    ``farmscan score`` record): ``title`` (300 chars), ``byline``, ``layout`` and ``body``
    (63-bit hashes), ``outbound`` (share of links leaving the site), ``ad_slots``, ``ids``
    (operator IDs by kind, :mod:`features.operator_ids`) and ``published``. Keys without a
    value are left out."""
    from features.operator_ids import extract_ids

    ids = extract_ids(page)
    published = ids.pop("ids.published", [None])[0]
    out: dict[str, Any] = {"title": page.title[:300], "byline": byline_of(page), "layout": layout_of(page),
                           "body": body_signature(page.main_text)}
    share = outbound_share(page, site)
    out["outbound"] = None if share is None else round(share, 4)
    out["ad_slots"] = ad_slots
    out["ids"] = {k.split(".", 1)[1]: v for k, v in ids.items()}
    out["published"] = published
    out["links"] = linked_sites(page, site) or None
    return {k: v for k, v in out.items() if v is not None and v != {}}


def _apply(f: PageFacts, sf: Any) -> None:
    """Set ``f``'s page-level facts from a :func:`compact_site_facts` object (checked types)."""
    if not isinstance(sf, dict):
        return
    f.title = sf["title"][:300] if isinstance(sf.get("title"), str) else ""
    f.byline = sf["byline"][:80] if isinstance(sf.get("byline"), str) else None
    f.layout = sf["layout"] if isinstance(sf.get("layout"), int) else None
    f.body_sig = sf["body"] if isinstance(sf.get("body"), int) else None
    f.outbound_share = float(sf["outbound"]) if isinstance(sf.get("outbound"), int | float) else None
    if isinstance(sf.get("ad_slots"), int | float):
        f.ad_slots = float(sf["ad_slots"])
    ids = sf.get("ids")
    if isinstance(ids, dict):
        f.ids = {f"ids.{k}"[:40]: [str(x)[:64] for x in v[:8]] for k, v in list(ids.items())[:8]
                 if isinstance(k, str) and isinstance(v, list)}
    f.published = sf["published"][:32] if isinstance(sf.get("published"), str) else None
    links = sf.get("links")
    if isinstance(links, list):
        f.linked_sites = [str(x)[:100] for x in links[:MAX_LINKED_SITES]]


def _credited(copy_of: list[dict[str, Any]]) -> int:
    return sum(1 for c in copy_of if c.get("credited") or c.get("credits"))


def facts_from_verdict(v: Any, page: Page | None = None) -> PageFacts:
    """Facts of a scored page; with ``page`` the page-level facts too (parsed once already)."""
    site = site_key(v.url, v.input)
    prob = None if v.probability is None else round(v.probability, 4)  # as the JSON record has it
    f = PageFacts(
        input=v.input, url=v.url, site=site, probability=prob, label=v.label, error=v.error,
        signals=_signals(v), copies=len(v.copy_of or []), credited_copies=_credited(v.copy_of or []),
        template_sites=v.template_sites, threshold=v.threshold, base=v.base,
    )
    feats = v.features or {}
    if "ads.slots" in feats:
        f.ad_slots = feats["ads.slots"]
    sf = (v.extra or {}).get("site_facts")
    if sf is None and page is not None and v.error is None:
        sf = compact_site_facts(page, site, f.ad_slots)
    if v.error is None:
        _apply(f, sf)
    return f


def facts_from_record(rec: dict[str, Any]) -> PageFacts:
    """Facts of one ``farmscan score --format jsonl`` record (no page: verdict facts only)."""
    inp = str(rec.get("input") or "")
    url = rec.get("url") if isinstance(rec.get("url"), str) else None
    sigs = []
    for s in rec.get("signals") or []:
        if isinstance(s, dict) and isinstance(s.get("name"), str) and float(s.get("score") or 0.0) > 0:
            ev = s.get("evidence") or []
            # Names are interned: every site's counters share one copy of each name.
            sigs.append((sys.intern(s["name"]), float(s.get("score") or 0.0), str(ev[0]) if ev else ""))
    copy_of = rec.get("copy_of") or []
    prob = rec.get("probability")
    feats = rec.get("features") or {}
    f = PageFacts(
        input=inp, url=url, site=site_key(url, inp),
        probability=float(prob) if isinstance(prob, int | float) else None,
        label={"farm": "farm", "original": "original"}.get(rec["label"]) if isinstance(rec.get("label"), str) else None,
        error=rec.get("error") if isinstance(rec.get("error"), str) else None,
        signals=sigs, copies=len(copy_of) if isinstance(copy_of, list) else 0,
        credited_copies=_credited(copy_of) if isinstance(copy_of, list) else 0,
        template_sites=rec.get("template_sites") if isinstance(rec.get("template_sites"), int) else None,
        ad_slots=feats.get("ads.slots") if isinstance(feats, dict) else None,
        threshold=float(rec["threshold"]) if isinstance(rec.get("threshold"), int | float) else None,
        base=float(rec["base"]) if isinstance(rec.get("base"), int | float) else None,
    )
    if f.error is None:
        _apply(f, rec.get("site_facts"))
    return f
