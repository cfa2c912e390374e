"""Tiny page builders for the index and provenance tests (text invented here, seeded)."""

from __future__ import annotations

import html
import random

from features.page import Page, parse_html

_SYLLABLES = ["ka", "lo", "min", "dra", "vel", "sor", "tu", "pen", "ash", "qui", "bor", "nel", "fi", "zan", "rup", "ost"]


def vocabulary(seed: int = 1, n: int = 3000) -> list[str]:
    rng = random.Random(seed)
    return sorted({"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3))) for _ in range(n)})


VOCAB = vocabulary()


def paragraphs(seed: int, n: int = 8, words: int = 60) -> list[str]:
    """``n`` paragraphs of invented words, different for every seed."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(VOCAB) for _ in range(words)).capitalize() + "." for _ in range(n)]


def page(
    url: str,
    paras: list[str],
    *,
    date: str = "",
    canonical: str = "",
    extra_head: str = "",
    before: str = "",
    after: str = "",
    layout: str = "plain",
) -> Page:
    """An article page; ``layout`` picks a skeleton ("plain", "magazine", "adfarm")."""
    head = f"<title>{html.escape(paras[0][:40])}</title>"
    if date:
        head += f'<meta property="article:published_time" content="{date}">'
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    body = before + "".join(f"<p>{html.escape(p)}</p>" for p in paras) + after
    if layout == "magazine":
        nav = "".join(f'<li class="menu-item"><a href="/section/{i}">Section {i}</a></li>' for i in range(12))
        side = "".join(f'<div class="widget widget-{i}"><h3 class="widget-title">Box</h3><ul><li><a href="/x{i}">x</a></li></ul></div>' for i in range(6))
        doc = (
            f'<header class="site-header"><div class="brand"><a href="/">Home</a></div><nav class="main-nav"><ul>{nav}</ul></nav></header>'
            f'<div class="container"><main class="content"><article class="post">{body}</article></main>'
            f'<aside class="sidebar">{side}</aside></div><footer class="site-footer"><div class="cols"><p>About</p><p>Contact</p></div></footer>'
        )
    elif layout == "adfarm":
        ads = "".join(f'<div class="ad"><ins class="adsbygoogle" data-ad-slot="{i}"></ins><iframe src="https://ads.example-net.com/s{i}"></iframe></div>' for i in range(5))
        links = "".join(f'<li><a href="/hot/{i}">{" ".join(random.Random(i).choice(VOCAB) for _ in range(6))}</a></li>' for i in range(15))
        doc = f'<div id="top">{ads}</div><div class="main"><article>{ads[:300]}{body}{ads}</article></div><div class="hot"><ul>{links}</ul></div>'
    else:
        doc = f"<article>{body}</article>"
    return parse_html(f"<!doctype html><html><head>{head}{extra_head}</head><body>{doc}</body></html>", url=url)


def spin(paras: list[str], share: float, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(VOCAB) if rng.random() < share else w for w in p.split()) for p in paras]
