"""The simulator's building blocks: results, reading an original, text helpers, page and ad markup, WordPress JSON."""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from detector.errors import InputError
from detector.learn.labelled import Example, load_page
from detector.learn.simulate.tables import (
    _FARM_TLDS,
    _PADDING,
    _PAPER,
    _SYNONYMS,
    _T,
    _WORD_PARTS,
    ALL_LOCALES,
    LOCALES,
    MAX_PARAGRAPHS,
    MIN_WORDS,
)
from detector.sources.load import pages_from_bytes
from features.domains import registrable_domain
from features.page import Page, tokenize

# ---- the result -------------------------------------------------------------------------


@dataclass(frozen=True)
class SimPage:
    """One simulated page and what it should look like to the extractors."""

    data: bytes
    fmt: str  # "html" | "wp-json" | "text"
    recipe: str
    label: str  # "farm" | "original"
    kind: str
    url: str
    language: str
    origin_id: str
    origin_site: str  # group on this: the same real text must not cross a split
    seed: int
    expected: tuple[str, ...] = ()  # features that should be > 0
    absent: tuple[str, ...] = ()  # features the recipe must not raise above the original's value

    @property
    def id(self) -> str:
        return f"sim__{self.recipe}__{self.origin_id}__{self.seed}"

    @property
    def site(self) -> str:
        return registrable_domain(self.url) if self.url else ""

    def page(self) -> Page:
        """The simulated page parsed as farmscan reads any input."""
        for doc in pages_from_bytes(self.data, url=self.url or None, name=self.id):
            if doc.page is not None:
                return doc.page
        raise InputError(f"{self.id}: simulated page did not parse")


@dataclass
class Source:
    """What a recipe takes from the original: title, paragraphs, origin."""

    id: str
    title: str
    paragraphs: list[str]
    url: str
    site: str
    language: str
    kind: str
    html: str | None  # the original markup (hard negatives keep it)


@dataclass
class _Built:
    body: str
    fmt: str
    url: str
    expected: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


# ---- reading the original ----------------------------------------------------------------


def source_of(original: Example | bytes | Page, language: str = "") -> Source:
    """Title and main-text paragraphs of a real page (raises :class:`InputError` if too thin)."""
    if isinstance(original, Example):
        page = load_page(original)
        ident, lang, kind = original.id, original.language, original.kind
    elif isinstance(original, Page):
        page, ident, lang, kind = original, "page", language, "news-article"
    else:
        page = next(d.page for d in pages_from_bytes(bytes(original), name="<original>") if d.page)
        ident, lang, kind = "bytes", language, "news-article"
    paras = [" ".join(ln.split()) for ln in page.main_text.splitlines()]
    paras = [p for p in paras if len(tokenize(p)) >= 4]
    if sum(len(tokenize(p)) for p in paras) < MIN_WORDS:
        raise InputError(f"{ident}: original too short to simulate from")
    title = page.title or paras[0][:120]
    if paras and paras[0].strip() == title.strip():
        paras = paras[1:] or paras
    url = page.url or ""
    return Source(ident, title, paras[:MAX_PARAGRAPHS], url, registrable_domain(url) if url else "",
                  lang or "", kind or "news-article", page.html if page.kind == "html" else None)


# ---- small helpers -----------------------------------------------------------------------


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _t(lang: str) -> dict[str, str]:
    return _T.get(lang, _T["en"])


@lru_cache(maxsize=64)
def _faker_for(locale: str):
    """A Faker for ``locale`` whose word lists do not depend on ``PYTHONHASHSEED``.

    Some Faker providers build their lists from sets (it_IT's ``cities``), so the same seed
    gave different pages in different processes. Sorting every all-string list or set
    attribute keeps uniform sampling uniform and makes the simulator reproducible.
    """
    from faker import Faker

    fake = Faker(locale)
    for provider in fake.get_providers():
        for name in dir(type(provider)):
            if name.startswith("_"):
                continue
            value = getattr(type(provider), name, None)
            if isinstance(value, set | frozenset | list) and value and all(isinstance(v, str) for v in value):
                setattr(provider, name, sorted(value) if isinstance(value, list) else tuple(sorted(value)))
    return fake


def _faker(lang: str, rng: random.Random):
    """A Faker of the page's language most of the time, any locale otherwise, seeded from ``rng``."""
    locs = LOCALES.get(lang)
    locale = rng.choice(locs) if locs and rng.random() < 0.8 else rng.choice(ALL_LOCALES)
    fake = _faker_for(locale)
    fake.seed_instance(rng.randrange(2**32))
    return fake


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?。！？])\s+|(?<=[。！？])", text)
    return [p.strip() for p in parts if p and p.strip()]


def _slug(text: str, n: int = 8) -> str:
    words = [w.lower() for w in re.findall(r"[^\W_]+", text)][:n]
    slug = "-".join(w for w in words if w.isascii())
    return slug or "post"


def _date(rng: random.Random) -> tuple[int, int, int, int, int]:
    return (rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59))


def _iso(d: tuple[int, int, int, int, int]) -> str:
    return f"{d[0]:04d}-{d[1]:02d}-{d[2]:02d}T{d[3]:02d}:{d[4]:02d}:{(d[3] * 7) % 60:02d}"


def _farm_host(rng: random.Random) -> str:
    style = rng.random()
    tld = rng.choice(_FARM_TLDS)
    if style < 0.2:
        return f"{rng.randrange(10**5, 10**8)}.{tld}"
    if style < 0.7:
        return f"{rng.choice(_WORD_PARTS)}{rng.choice(_WORD_PARTS)}.{tld}"
    return f"{rng.choice(_WORD_PARTS)}-{rng.choice(_WORD_PARTS)}{rng.randrange(1, 99)}.{tld}"


def _origin_url(src: Source, rng: random.Random) -> str:
    if src.url:
        return src.url
    return f"https://www.{rng.choice(_WORD_PARTS)}{rng.choice(_PAPER).lower()}.com/{_slug(src.title)}/"


def _title_words(title: str, k: int) -> list[str]:
    words, seen = [], set()
    for w in tokenize(title):
        if (len(w) >= 4 or not w.isascii()) and not w.isdigit() and w.lower() not in seen:
            seen.add(w.lower())
            words.append(w)
    return words[:k]


def _spin(text: str, lang: str, rng: random.Random, rate: float) -> str:
    """Light spinning: synonym swaps and a sentence shuffle on the real text."""
    syn = _SYNONYMS.get(lang, {})
    if syn:
        def swap(m: re.Match[str]) -> str:
            w = m.group(0)
            rep = syn.get(w) or syn.get(w.lower())
            if rep and rng.random() < rate:
                return rep.capitalize() if w[0].isupper() else rep
            return w
        text = re.sub(r"\w+", swap, text)
    sents = _sentences(text)
    if len(sents) > 2 and rng.random() < rate:
        i = rng.randrange(len(sents) - 1)
        sents[i], sents[i + 1] = sents[i + 1], sents[i]
    return " ".join(sents) if sents else text


def _pad(sentence: str, lang: str, rng: random.Random) -> str:
    phrase = rng.choice(_PADDING.get(lang) or _PADDING["en"])
    if not sentence:
        return phrase
    head = sentence[0].lower() + sentence[1:] if sentence[:1].isupper() and sentence[1:2].islower() else sentence
    return f"{phrase} {head}"


def _page(title: str, body: str, *, lang: str, head: str = "", canonical: str = "", site_name: str = "",
          nav: Sequence[str] = (), footer: str = "", rng: random.Random | None = None) -> str:
    """A whole HTML page; theme classes vary with ``rng``."""
    r = rng or random.Random(0)
    theme = r.choice(("wp", "news", "plain", "magazine"))
    cls = {"wp": ("site-header", "entry-content", "site-footer"),
           "news": ("masthead", "article-body", "footer"),
           "plain": ("top", "content", "bottom"),
           "magazine": ("header-wrap", "post-body", "footer-wrap")}[theme]
    links = "".join(f'<li><a href="/{_slug(n)}/">{_e(n)}</a></li>' for n in nav)
    canon = f'<link rel="canonical" href="{_e(canonical)}">' if canonical else ""
    return (
        f'<!DOCTYPE html><html lang="{lang or "en"}"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title>{canon}{head}</head><body>"
        f'<header class="{cls[0]}"><div class="brand">{_e(site_name)}</div><nav><ul>{links}</ul></nav></header>'
        f'<main><article><h1>{_e(title)}</h1><div class="{cls[1]}">{body}</div></article></main>'
        f'<footer class="{cls[2]}">{footer}</footer></body></html>'
    )


def _paras_html(paras: Sequence[str]) -> str:
    return "".join(f"<p>{_e(p)}</p>" for p in paras)


def _nav(lang: str, rng: random.Random) -> list[str]:
    base = {"de": ["Politik", "Wirtschaft", "Sport", "Kultur"], "fr": ["Politique", "Économie", "Sport", "Culture"],
            "es": ["Política", "Economía", "Deportes", "Cultura"]}.get(lang, ["News", "World", "Business", "Sport", "Culture"])
    return rng.sample(base, k=rng.randint(2, len(base)))


def _topic(title: str, rng: random.Random) -> str:
    """A guide topic from a headline: a run of one to three of its longer words."""
    words = _title_words(title, 6)
    if not words:
        return "this topic"
    n = rng.randint(1, min(3, len(words)))
    i = rng.randrange(len(words) - n + 1)
    return " ".join(w if w[:1].isupper() else w.capitalize() for w in words[i : i + n])


# ---- ad markup from the curated table ------------------------------------------------------


def _networks(category: str | None = None, names: Sequence[str] = ()) -> list:
    from features.ads import networks

    nets = networks()
    if names:
        return [n for n in nets if n.name in names]
    return [n for n in nets if category is None or n.category == category]


def _ad_slot(net, rng: random.Random) -> str:
    """One ad slot of ``net``: its loader script, its slot element, its inline call."""
    src = net.example_url or f"https://{net.domains[0]}/js/ads.js"
    typ = ' type="application/javascript"' if rng.random() < 0.5 else ""
    parts = [f'<script async{typ} src="{_e(src)}"></script>']
    cls = next((m[1:] for m in net.markers if m.startswith(".")), "")
    attr = next((m[1:-1] for m in net.markers if m.startswith("[") and m.endswith("]")), "")
    code = [m for m in net.markers if not m.startswith((".", "["))]
    attrs = []
    if cls:
        attrs.append(f'class="{_e(cls)}{rng.choice("0123456789") if rng.random() < 0.5 else ""}"')
    if attr:
        attrs.append(f'{_e(attr)}="{rng.randrange(10**6, 10**7)}"')
    if attrs:
        parts.append(f"<ins {' '.join(attrs)}></ins>")
    if code:
        marker = rng.choice(code)
        ident = marker.strip(".")
        if re.fullmatch(r"[A-Za-z_$][\w$]*", ident):
            parts.append(f"<script>(window.{ident} = window.{ident} || []).push({{zone: {rng.randrange(10**5, 10**7)}}});</script>")
        else:
            parts.append(f"<script>var slot = '{_e(marker)}-{rng.randrange(100, 999)}';</script>")
    return " ".join(parts)


def _grid(slots: list[str], rng: random.Random) -> str:
    layout = rng.choice(("grid", "table", "flex", "plain"))
    if layout == "grid":
        cols = rng.choice(("300px 160px", "1fr 1fr", "repeat(3, 1fr)", "728px"))
        cells = "".join(f'<div style="height: {rng.choice((90, 250, 600))}px; background: #ccc;">{s}</div>' for s in slots)
        return f'<div style="display: grid; grid-template-columns: {cols}; gap: 2px;">{cells}</div>'
    if layout == "table":
        return "<table><tr>" + "".join(f"<td>{s}</td>" for s in slots) + "</tr></table>"
    if layout == "flex":
        return '<div style="display:flex;flex-wrap:wrap">' + "".join(f'<div class="ad-box">{s}</div>' for s in slots) + "</div>"
    return "".join(f"<div>{s}</div>" for s in slots)


def _native_widget(net, rng: random.Random, label: str) -> str:
    n = rng.randrange(1, 9)
    ad = f'<div class="ad-label">{_e(label)}</div>' if rng.random() < 0.8 else ""
    return f'<aside class="sponsored-{n}">{ad}{_ad_slot(net, rng)}</aside>'


# ---- WordPress REST -----------------------------------------------------------------------


def _wp_json(title: str, content: str, url: str, tags: Sequence[str], rng: random.Random,
             author: str | None = None) -> str:
    d = _date(rng)
    pid = rng.randrange(100, 99999)
    post = {
        "id": pid, "date": _iso(d), "date_gmt": _iso(d), "guid": {"rendered": f"{url.split('?')[0]}?p={pid}"},
        "modified": _iso(d), "modified_gmt": _iso(d), "slug": _slug(title), "status": "publish", "type": "post",
        "link": url, "title": {"rendered": _e(title)}, "content": {"rendered": content, "protected": False},
        "excerpt": {"rendered": "", "protected": False}, "author": rng.randrange(1, 9),
        "featured_media": rng.randrange(0, 99999), "categories": [rng.randrange(1, 40)],
        "tags": [rng.randrange(1, 5000) for _ in tags],
        "class_list": [f"post-{pid}", "type-post", "status-publish", "format-standard"]
        + [f"tag-{'-'.join(t.lower().split())}" for t in tags],
    }
    if author:
        post["author_info"] = {"display_name": author}
    return json.dumps(post, ensure_ascii=rng.random() < 0.5)
