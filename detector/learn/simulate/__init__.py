"""Farm simulator: real originals turned into farm pages by the recipes farms use.

Real farm pages are few; the simulator multiplies them by rewriting *real* originals
(their title and main text, read through :mod:`detector.sources.load`) the way farms do:

- farm recipes: ``wp-mirror`` (WordPress scraper mirror between ad-script grids),
  ``spun-bio`` (spun text, invented author bio, views, "Top Articles" blocks),
  ``rss-autoblog`` (full or truncated copy with an "appeared first on" footer),
  ``mfa-slideshow`` (thin slices between native-ad widgets), ``seo-spam``;
- hard negatives, label ``original``: ``original-with-ads``, ``social-hashtags``,
  ``genuine-bio``, ``credited-wire``, ``plain-text-original``, ``thin-original`` (a brief or a
  stub: title and one or two short paragraphs; thin is not farm).

Every choice comes from ``random.Random(seed)`` (Faker seeded per page), so the same
original, recipe and seed give the same bytes. Each recipe randomly leaves out some of
its tells, so no single signal defines a recipe. Each :class:`SimPage` declares the
feature names that should fire (``expected``) and those the recipe must not add
(``absent``). Simulated pages hold real text: they are made at training time and never
written into the repo.

Layout: ``tables`` (recipes, locales, phrase lists), ``markup`` (results, reading an original,
page and ad markup), ``farms`` (farm recipes), ``negatives`` (hard negatives); this module
draws originals and runs the recipes.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence

from detector.errors import InputError
from detector.learn.labelled import Example
from detector.learn.simulate.farms import (
    _llm_autoblog,
    _mfa_slideshow,
    _rss_autoblog,
    _seo_spam,
    _spun_bio,
    _wp_mirror,
)
from detector.learn.simulate.markup import SimPage, Source, _Built, _faker, _faker_for, source_of
from detector.learn.simulate.negatives import (
    _credited_wire,
    _explainer_original,
    _genuine_bio,
    _original_with_ads,
    _plain_text_original,
    _social_hashtags,
    _thin_original,
)
from detector.learn.simulate.tables import (
    ALL_LOCALES,
    FARM_RECIPES,
    KINDS,
    NEGATIVE_RECIPES,
    RECIPES,
)

__all__ = [
    "ALL_LOCALES", "FARM_RECIPES", "KINDS", "NEGATIVE_RECIPES", "RECIPES", "SimPage", "Source",
    "_faker_for", "generate", "simulate", "source_of",
]

_RECIPE_FNS: dict[str, Callable[[Source, random.Random, object], _Built]] = {
    "wp-mirror": _wp_mirror, "spun-bio": _spun_bio, "rss-autoblog": _rss_autoblog,
    "mfa-slideshow": _mfa_slideshow, "seo-spam": _seo_spam, "original-with-ads": _original_with_ads,
    "social-hashtags": _social_hashtags, "genuine-bio": _genuine_bio, "credited-wire": _credited_wire,
    "plain-text-original": _plain_text_original, "thin-original": _thin_original,
    "llm-autoblog": _llm_autoblog, "explainer-original": _explainer_original,
}


# ---- API ----------------------------------------------------------------------------------


def simulate(original: Example | bytes | Source, recipe: str, rng_seed: int, *, language: str = "") -> SimPage:
    """One simulated page from a real original; same inputs, same bytes."""
    fn = _RECIPE_FNS.get(recipe)
    if fn is None:
        raise InputError(f"unknown recipe {recipe!r} (expected one of {', '.join(RECIPES)})")
    src = original if isinstance(original, Source) else source_of(original, language)
    rng = random.Random(f"{recipe}:{rng_seed}")
    fake = _faker(src.language, rng)
    built = fn(src, rng, fake)
    label = "farm" if recipe in FARM_RECIPES else "original"
    kind = KINDS.get(recipe, src.kind if src.kind not in ("", "other") else "news-article")
    return SimPage(
        data=built.body.encode("utf-8"), fmt=built.fmt, recipe=recipe, label=label, kind=kind,
        url=built.url, language=src.language, origin_id=src.id, origin_site=src.site or src.id,
        seed=rng_seed, expected=tuple(dict.fromkeys(built.expected)), absent=tuple(built.absent),
    )


def generate(examples: Sequence[Example], n: int, seed: int, *,
             recipes: Sequence[str] = RECIPES) -> Iterator[SimPage]:
    """``n`` simulated pages, balanced over ``recipes``, from real originals of many languages.

    Originals are drawn language first (uniform over languages half of the time, so rare
    languages appear), then page. Originals too thin to rewrite are skipped.
    """
    originals = [e for e in examples if e.label == "original" and e.confidence in ("presumed", "clear")]
    if not originals:
        raise InputError("no original pages to simulate from")
    by_lang: dict[str, list[Example]] = {}
    for e in sorted(originals, key=lambda e: e.id):
        by_lang.setdefault(e.language or "", []).append(e)
    langs = sorted(by_lang)
    rng = random.Random(seed)
    cache: dict[str, Source | None] = {}
    made = 0
    while made < n:
        order = list(recipes)
        rng.shuffle(order)
        for recipe in order:
            if made >= n:
                return
            for _attempt in range(8):
                ex = rng.choice(by_lang[rng.choice(langs)]) if rng.random() < 0.5 else rng.choice(originals)
                page_seed = rng.randrange(2**31)
                if ex.id not in cache:
                    if len(cache) >= 256:  # bound memory: sources hold whole pages
                        cache.clear()
                    try:
                        cache[ex.id] = source_of(ex)
                    except InputError:
                        cache[ex.id] = None
                src = cache[ex.id]
                if src is None:
                    continue
                yield simulate(src, recipe, page_seed)
                made += 1
                break
