"""Farm templates (``template.*``) and the structural fingerprint of a page's layout.

Signals: stock boilerplate of scraper and auto-blog themes ("Related searches",
"The post ... appeared first on ...", "Source link"), unconfigured-theme
placeholders ("Just another WordPress site", "Hello world!", lorem ipsum),
titles with a bracketed year ("... (2026)") and keyword-stuffed titles.

For the cross-site template index, :func:`template_shingles` hashes the tag and
class skeleton of the non-content part of the page, and :func:`boilerplate_lines`
lists its visible lines outside the main text. Neither runs in :func:`extract`:
the index calls them only when it needs them.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from functools import lru_cache

from resiliparse.parse.html import NodeType

from features.base import Features, clip
from features.page import Page, tokenize

FEATURES = (
    "template.boilerplate",
    "template.boilerplate_sat",
    "template.bracket_year_title",
    "template.keyword_title",
    "template.placeholder",
)

MAX_LINES = 4_000
MAX_LINE_CHARS = 300
MAX_ELEMENTS = 20_000
SHINGLE_K = 4
MAX_SHINGLES = 512
MAX_BOILERPLATE_LINES = 300

# Widget headings of farm and auto-blog themes: the whole (short) visible line is the
# phrase, compared after lower-casing and stripping punctuation at both ends. Variants in
# other languages where the English one is a fixed theme string. Translations of
# "Latest Posts" are left out: "Neueste Beiträge" is WordPress's German "Recent Posts"
# widget and fired on 22 German originals of the corpus (and no farm).
HEADINGS: dict[str, tuple[str, ...]] = {
    "Top Articles": ("top articles", "top-artikel", "meilleurs articles", "artículos principales"),
    "Latest Posts": ("latest posts",),
    "Recommended Articles": (
        "recommended articles", "empfohlene artikel", "articles recommandés",
        "artículos recomendados", "artigos recomendados", "articoli consigliati",
        "aanbevolen artikelen",
    ),
    "Article information": ("article information", "artikelinformationen", "informations sur l'article"),
    "Author information": ("author information", "autoreninformationen", "informations sur l'auteur"),
    "Related searches": (
        "related searches", "ähnliche suchanfragen", "recherches associées",
        "búsquedas relacionadas", "pesquisas relacionadas", "ricerche correlate",
    ),
    "Source link": ("source link", "quelllink", "lien source", "enlace de origen", "enlace fuente", "link da fonte"),
}
# Stock sentences of feed scrapers: found anywhere in a line.
PHRASES: dict[str, tuple[str, ...]] = {
    "appeared first on": (
        "appeared first on", "erschien zuerst auf", "est apparu en premier sur",
        "apareció primero en", "apareceu primeiro em", "è apparso per la prima volta su",
    ),
    "This post first appeared on": (
        "this post first appeared on", "this article first appeared on", "this entry first appeared on",
    ),
    "read the original post": (
        "please read the original post", "please read the originial post",
        "please read the original article", "please read the originial article",
    ),
}
PLACEHOLDER_HEADINGS: dict[str, tuple[str, ...]] = {
    # The default first post of a fresh WordPress install, with its "!" (plain "Hello World"
    # lines are headings of programming pages).
    "Hello world!": ("hello world!", "hallo welt!", "bonjour tout le monde !", "¡hola mundo!", "olá mundo!", "olá, mundo!", "ciao mondo!"),
}
PLACEHOLDER_PHRASES: dict[str, tuple[str, ...]] = {
    "Just another WordPress site": (
        "just another wordpress site", "just another wordpress weblog", "just another wordpress blog",
        "eine weitere wordpress-website", "un site utilisant wordpress", "otro sitio más de wordpress",
        "un altro sito wordpress", "só mais um site wordpress", "ещё один сайт на wordpress",
    ),
    "You can change this text in the options panel": ("you can change this text in the options panel",),
    "lorem ipsum": ("lorem ipsum",),
}
MAX_HEADING_CHARS = 48
_STRIP = " \t\u00a0•·|>»«*-–—:.!¡?¿#()[]\ufffd"
_STRIP_KEEP_BANG = _STRIP.replace("!", "").replace("¡", "")


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {v: label for label, variants in table.items() for v in variants}


_HEADING_INDEX = _index(HEADINGS)
_PLACEHOLDER_HEADING_INDEX = _index(PLACEHOLDER_HEADINGS)


def find_boilerplate(
    lines: list[str],
    headings: dict[str, str],
    phrases: dict[str, tuple[str, ...]],
    strip: str = _STRIP,
) -> dict[str, str]:
    """Distinct labels found in ``lines`` -> the text that matched (headings, then phrases)."""
    out: dict[str, str] = {}
    for ln in lines[:MAX_LINES]:
        if len(ln) <= MAX_HEADING_CHARS:
            label = headings.get(ln.lower().strip(strip))
            if label:
                out.setdefault(label, ln)
    low = "\n".join(ln[:MAX_LINE_CHARS] for ln in lines[:MAX_LINES]).lower()
    for label, variants in phrases.items():
        for v in variants:
            if v in low:
                out.setdefault(label, v)
                break
    return out


# A year in brackets, optionally after a word such as "Updated" or a month: "(2026)", "[Updated 2024]".
_BRACKET_YEAR_RE = re.compile(r"[(\[]\s*(?:[^\W\d]+\.?\s+){0,2}(?:19[89]\d|20[0-4]\d)\s*[)\]]")
_TITLE_SEP_RE = re.compile(r"[,;|_·•]|\s[-–—:/]\s")

# Structural tags that make up a layout skeleton. Content leaves (p, a, span, em, img,
# headings, tables...) vary with the article and are not selected at all: asking Lexbor
# for these tags only is several times cheaper than walking every element.
_SKELETON_TAGS = (
    "body div nav header footer aside section main article ul ol li form input button "
    "select label textarea iframe".split()
)
_SKELETON_SELECTOR = ", ".join(_SKELETON_TAGS)
# Main-content containers whose whole subtree is left out of the skeleton.
_CONTENT_SELECTOR = (
    "article, main, [itemprop=articleBody], .entry-content, .post-content, .article-body, "
    ".article-content, .story-body, .post-body, #article-body"
)
_DIGITS_RE = re.compile(r"\d+")


def bracket_year(title: str) -> str:
    m = _BRACKET_YEAR_RE.search(title)
    return m.group(0) if m else ""


def keyword_title(title: str) -> tuple[bool, str]:
    """Whether ``title`` reads as a keyword list.

    Comma-separated term lists (>= 6 commas), >= 10 separators, or >= 6 separators with
    >= 3 commas and a repeated term. Site-name breadcrumbs ("Story - News | Site") stay
    below these bounds: with looser ones (>= 5 separators) 6% of originals fired.
    """
    if "<" in title:
        return False, ""  # a broken <title> that swallowed markup
    seps = _TITLE_SEP_RE.findall(title)
    commas = sum(1 for s in seps if s in ",;_")
    words = [w.lower() for w in tokenize(title) if len(w) >= 3 and not w.isdigit()]
    repeated = [w for w, c in Counter(words).items() if c >= 2]
    if commas >= 6 or len(seps) >= 10 or (len(seps) >= 6 and commas >= 3 and repeated):
        why = f"{len(seps)} separators" + (f", repeated: {', '.join(repeated[:3])}" if repeated else "")
        return True, why
    return False, ""


def extract(page: Page) -> Features:
    """Every ``template.*`` feature of ``page`` (all keys always present)."""
    f = Features()
    boiler = find_boilerplate(page.lines, _HEADING_INDEX, PHRASES)
    f.set("template.boilerplate", len(boiler), *(f"'{v[:80]}'" for v in boiler.values()))
    f.set("template.boilerplate_sat", clip(len(boiler) / 3))
    place = find_boilerplate(
        page.lines, _PLACEHOLDER_HEADING_INDEX, PLACEHOLDER_PHRASES, _STRIP_KEEP_BANG
    )
    f.set("template.placeholder", 1.0 if place else 0.0, *(f"'{v[:80]}'" for v in place.values()))

    title = page.title[:300]
    year = bracket_year(title)
    f.set("template.bracket_year_title", 1.0 if year else 0.0, f"title: {title[:120]}" if year else "")
    stuffed, why = keyword_title(title)
    f.set("template.keyword_title", 1.0 if stuffed else 0.0, f"title: {title[:120]} ({why})" if stuffed else "")
    return f


# ---- layout fingerprint (for the cross-site template index; not part of extract) -----


@lru_cache(maxsize=16384)
def _token(tag: str, class_name: str, ident: str) -> str:
    cls = " ".join(sorted({_DIGITS_RE.sub("", c) for c in class_name.split()} - {""}))
    return f"{tag.lower()}.{cls}#{_DIGITS_RE.sub('', ident)}"


def _after_subtree(node):
    """The first element after ``node``'s subtree in document order (None at the end).

    The walk climbs through elements only: the document node above ``<html>`` has no
    siblings (and no ``next_element_sibling``), so a container that ends the document
    has nothing after it.
    """
    while node is not None and node.type == NodeType.ELEMENT:
        nxt = node.next_element_sibling
        if nxt is not None:
            return nxt
        node = node.parent
    return None


def skeleton(page: Page) -> list[str]:
    """Tag + class + id tokens of the page's non-content elements, in document order.

    Only structural tags count (content leaves such as ``p``, ``a``, ``span``, headings and
    images are left out), and so is
    the whole subtree of main-content containers (``article``, ``main``, ``.entry-content``...),
    so two pages of one layout give the same skeleton whatever their article says.
    """
    tree = page.tree
    if tree is None or tree.document is None:
        return []
    doc = tree.document
    containers = set(doc.query_selector_all(_CONTENT_SELECTOR).values()[:200])
    out: list[str] = []
    stop = None
    skipping = False
    for node in doc.query_selector_all(_SKELETON_SELECTOR).values()[:MAX_ELEMENTS]:
        if skipping:
            if stop is None or node != stop:
                continue
            skipping = False
        tag = node.tag
        if containers and node in containers:
            out.append(_token(tag, "", ""))
            stop, skipping = _after_subtree(node), True
            continue
        out.append(_token(tag, node.class_name or "", node.id or ""))
    return out


def template_shingles(page: Page) -> list[int]:
    """Stable 64-bit hashes of k=4 shingles of the layout skeleton (sorted bottom-512).

    Hashes are ``blake2b(digest_size=8)`` read as an unsigned little-endian int, so
    they are equal across runs, processes and machines. Keeping the smallest
    ``MAX_SHINGLES`` values makes the list a bottom-k sketch: the share of shared
    values between two lists estimates the Jaccard similarity of the layouts.
    Plain-text pages (and pages without markup) give ``[]``. A skeleton of fewer than
    ``SHINGLE_K`` tokens (a bare ``body > article`` page) is one shingle, so bare pages
    match each other: kept, as the model learned it (leaving them out, or skeletons of
    fewer than ``SHINGLE_K`` distinct tokens, cost a farm site or two outside
    ``webb-spam-2006`` and flagged 2007 table layouts left out of training; labelled/README.md).
    """
    tokens = skeleton(page)
    if not tokens:
        return []
    if len(tokens) < SHINGLE_K:
        grams = ["\x1f".join(tokens)]
    else:
        grams = ["\x1f".join(tokens[i : i + SHINGLE_K]) for i in range(len(tokens) - SHINGLE_K + 1)]
    hashes = {
        int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "little")
        for g in set(grams)
    }
    return sorted(hashes)[:MAX_SHINGLES]


def boilerplate_lines(page: Page) -> list[str]:
    """Normalised visible lines outside the main text (lower-cased, digits -> 0, short ones).

    Plain-text pages have no boilerplate to tell apart: ``[]``.
    """
    if page.tree is None:
        return []
    main = {" ".join(ln.split()) for ln in page.main_text.splitlines()}
    out: list[str] = []
    seen: set[str] = set()
    for ln in page.lines[:MAX_LINES]:
        ln = " ".join(ln.split())
        if ln in main or len(ln) > 120:
            continue
        norm = _DIGITS_RE.sub("0", ln.lower())
        if norm not in seen:
            seen.add(norm)
            out.append(norm)
            if len(out) >= MAX_BOILERPLATE_LINES:
                break
    return out
