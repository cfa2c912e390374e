"""Farm evidence on one page, as the copy-direction decision reads it.

Which of two pages with the same text is the copy? A page that carries the marks of a
content farm (an ad-network grid or pop/push/adult networks, a closing line of hashtags cut
from the title's words, stock farm-theme boilerplate or placeholders, a farm verdict) is the
likely copy; a page without them is the likely original. :func:`farm_signs` lists those
marks as short evidence strings, read from the page's own ``ads.*``, ``hashtags.*`` and
``template.*`` features (computed here when the caller does not already hold them).

Thresholds, measured on the 2,821 originals and 122 farms of ``../shared/corpus``: one
network's slot element or one ad loader repeated >= 6 times (``ads.repeated_grid >= 1``)
fires on 30 originals (1.1%) and no farm; >= 4 times (``>= 0.5``) on 70, and "many slots, dense"
(>= 8 slots at >= 15 per 1,000 words) on 267 (newspapers), so neither counts. With the
marks below, 83 originals (2.9%) and 17 farms carry some farm evidence. Two pages that both carry marks
are compared by how many kinds each carries (:func:`detector.index.provenance.decide`).

- ``ad grid``: ``ads.repeated_grid >= 1``;
- ``heavy ad networks``: a pop-under, push or adult network (``ads.heavy_networks > 0``);
- ``hashtags from title``: >= 3 hashtags or tags, at least half of them the title's words;
- ``farm template``: farm-theme boilerplate ("Related searches", "appeared first on") or an
  unconfigured theme's placeholder text;
- ``farm verdict``: the model's probability on the page's own features is >= 0.5.
"""

from __future__ import annotations

from collections.abc import Mapping

from features.base import Features
from features.page import Page

GRID = 1.0
TITLE_TAG_SHARE = 0.5
FARM_PROBABILITY = 0.5
KINDS = ("ad grid", "heavy ad networks", "hashtags from title", "farm template", "farm verdict")


def page_features(page: Page) -> Features:
    """The ``ads.*``, ``hashtags.*`` and ``template.*`` features of ``page`` (what :func:`farm_signs` reads)."""
    from features import ads, hashtags, template

    out = Features()
    for mod in (ads, hashtags, template):
        try:
            out.update(mod.extract(page))
        except Exception:  # noqa: BLE001 - a page an extractor cannot read has no such mark
            continue
    return out


def farm_signs(
    values: Mapping[str, float], evidence: Mapping[str, list[str]] | None = None, farm_probability: float | None = None
) -> list[str]:
    """Farm marks of a page from its feature values (and evidence): ``["ad grid: ExoClick: 6 ad slots", ...]``."""
    ev = evidence or {}

    def first(*names: str) -> str:
        for n in names:
            if ev.get(n):
                return str(ev[n][0])
        return ""

    out: list[str] = []
    v = values.get
    if v("ads.repeated_grid", 0.0) >= GRID:
        out.append(_mark("ad grid", first("ads.repeated_grid")))
    if v("ads.heavy_networks", 0.0) > 0:
        out.append(_mark("heavy ad networks", first("ads.heavy_networks")))
    if max(v("hashtags.title_word_share", 0.0), v("hashtags.tags_from_title", 0.0)) >= TITLE_TAG_SHARE:
        out.append(_mark("hashtags from title", first("hashtags.title_word_share", "hashtags.tags_from_title")))
    if v("template.boilerplate", 0.0) >= 1 or v("template.placeholder", 0.0) > 0:
        out.append(_mark("farm template", first("template.boilerplate", "template.placeholder")))
    if farm_probability is not None and farm_probability >= FARM_PROBABILITY:
        out.append(f"farm verdict: p={farm_probability:.2f}")
    return out


def signs_of_page(page: Page, farm_probability: float | None = None) -> list[str]:
    """:func:`farm_signs` of a page whose features are not computed yet."""
    f = page_features(page)
    return farm_signs(f.values, f.evidence, farm_probability)


def kinds(signs: list[str]) -> set[str]:
    """The kinds of mark (``"ad grid"``, ...) in a list from :func:`farm_signs`."""
    return {s.split(":", 1)[0] for s in signs}


def _mark(kind: str, detail: str) -> str:
    return f"{kind}: {detail[:90]}" if detail else kind
