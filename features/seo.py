"""SEO-spam markers (``seo.*``): spam vocabulary, link wheels and doorway link lists.

Spam pages are written for search engines, not readers, and leave marks that hold on any
site of the kind:

- ``seo.spam_terms`` / ``seo.spam_title`` / ``seo.spam_density`` / ``seo.spam_link_share``:
  vocabulary of gambling, lottery, adult, pharma and loan spam (``features/data/spam_terms.tsv``,
  several languages and scripts; with today's kinds: South-East Asian gambling SEO, mod-APK and
  crack portals, cam and payday affiliates) where spam lives: the title and the page's main
  heading (its first ``<h1>``: ``seo.spam_title``), the main text (not the menus and
  footers around it: a newspaper's menu links to its own casino section), and a *block* of link
  texts (at least :data:`MIN_SPAM_LINKS` links carrying terms and :data:`MIN_SPAM_LINK_SHARE` of
  the page's link texts, as link wheels, doorways and injected link blocks have; one menu item,
  or three among a news site's 160 menu links, is not a block). Terms that ordinary news needs daily
  ("bet", "loan", "lottery" alone) are left out of the list, and the count is of *distinct*
  terms, so one story about a casino stays low. A page whose main text is too thin to extract
  (under :data:`MIN_MAIN_WORDS` words: parked and doorway pages) is read whole.
- ``seo.numeric_domain_links_sat``: links whose visible text is another site's bare domain name
  with a numeric label (``www.36549.com``), the link wheel of gambling and lottery spam networks.

Checked on the corpus and left out: other sites' domains as link texts in general (blogrolls and
source credits of originals show them as often) and templated link lists ("Average cost of
cleaning in <city>" x50: as frequent among originals' archive and section menus).

Works on plain text too (the link features are then 0).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

from features.base import Features, clip, safe_div
from features.domains import registrable_domain
from features.page import Page

MAX_TEXT = 100_000  # characters of visible text scanned for spam terms
MAX_LINKS = 3_000
MIN_WORDS = 100  # density floor: a 10-word page with one term is not "dense"
MIN_SPAM_LINKS = 3  # link texts with spam terms that make a link block (one menu item is not)
# ... and the share of the page's link texts they must be: a big sports site's menu links to its
# casino and two poker sections among 160 links (measured: originals' menus at most 2.9% of links, 12
# pages; farms' link blocks 2.9% to 40%, 21 pages).
MIN_SPAM_LINK_SHARE = 0.03
MIN_MAIN_WORDS = 50  # below this the main text is not an article: the whole visible text is read
# Old table layouts defeat main-content extraction, and their menus then read as the article: a
# sports site's row of section links ("Casino  Poker  Bingo  Odds", "Sky Bet | Sky Poker | Free
# Bets"). A line of at least MENU_ROW_ITEMS short items (at most MAX_MENU_ITEM_WORDS words each, split by
# tabs, pipes, bullets or wide gaps) is such a row and is not searched for spam terms. Lists with
# one item per line (a doorway's keyword list) and sentences are.
MAX_MENU_ITEM_WORDS = 5
MENU_ROW_ITEMS = 3
_ROW_SEP = re.compile(r"\t+|\s\|\s|[\u2022\u00b7\u00bb]| {3,}")

FEATURES = (
    "seo.spam_terms", "seo.spam_terms_sat", "seo.spam_title", "seo.spam_density_sat",
    "seo.spam_link_share", "seo.numeric_domain_links_sat",
)

# Scripts written without spaces between words (CJK, Thai): their terms match inside runs.
_CJK_RE = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
MAX_HEADING_CHARS = 300
_DIGIT = re.compile(r"\d")
_DOMAIN_TEXT = re.compile(r"(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,12})/?", re.I)


@lru_cache(maxsize=1)
def spam_terms() -> dict[str, str]:
    """Spam term (lower-case) -> category, from ``features/data/spam_terms.tsv``."""
    text = resources.files("features").joinpath("data", "spam_terms.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, term = line.split("\t", 1)
        out[term.strip().lower()] = category.strip()
    return out


@lru_cache(maxsize=1)
def _matcher() -> tuple[Any, list[str]]:
    """Aho-Corasick automaton over the terms (leftmost-longest), and the term list."""
    import ahocorasick_rs as acr

    terms = sorted(spam_terms())
    ac = acr.AhoCorasick(terms, matchkind=acr.MATCHKIND_LEFTMOST_LONGEST, implementation=acr.Implementation.DFA)
    return ac, terms


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_spam_terms(text: str) -> Counter[str]:
    """Spam terms in ``text``: whole words for alphabetic terms, anywhere for CJK ones."""
    if not text:
        return Counter()
    low = text.lower()
    ac, terms = _matcher()
    found: Counter[str] = Counter()
    for i, a, b in ac.find_matches_as_indexes(low):
        term = terms[i]
        if not _CJK_RE.match(term):
            if (a and _word_char(low[a - 1])) or (b < len(low) and _word_char(low[b])):
                continue
        found[term] += 1
    return found


def without_menu_rows(text: str) -> str:
    """``text`` without its menu rows (lines of :data:`MENU_ROW_ITEMS` or more short items)."""
    keep = []
    for line in text.split("\n"):
        items = [p for p in _ROW_SEP.split(line) if p.strip()]
        if len(items) >= MENU_ROW_ITEMS and all(len(p.split()) <= MAX_MENU_ITEM_WORDS for p in items):
            continue
        keep.append(line)
    return "\n".join(keep)


def _spam_link_texts(texts: list[str]) -> list[str]:
    """Link texts holding a spam term (one automaton pass over all texts joined)."""
    joined = "\n".join(t.replace("\n", " ") for t in texts).lower()
    ac, terms = _matcher()
    starts = [0]
    for t in texts[:-1]:
        starts.append(starts[-1] + len(t) + 1)
    hit: dict[int, None] = {}
    for i, a, b in ac.find_matches_as_indexes(joined):
        if not _CJK_RE.match(terms[i]) and (
            (a and _word_char(joined[a - 1])) or (b < len(joined) and _word_char(joined[b]))
        ):
            continue
        hit.setdefault(bisect_right(starts, a) - 1)
    return [texts[k] for k in hit]


def _main_heading(page: Page) -> str:
    """The page's first ``<h1>`` (its on-page title: spam repeats its keyword there), '' if none."""
    tree = page.tree
    if tree is None or tree.document is None:
        return ""
    node = tree.document.query_selector("h1")
    return page.node_text(node)[:MAX_HEADING_CHARS].strip() if node is not None else ""


def numeric_domain_links(page: Page, links: list) -> list[str]:
    """Other sites' domains shown as link text whose first label has >= 3 digits."""
    site = page.site
    domains: dict[str, None] = {}
    for link in links:
        text = link.text
        if not 6 <= len(text) <= 80 or "." not in text or " " in text or not _DIGIT.search(text):
            continue
        m = _DOMAIN_TEXT.fullmatch(text)
        if not m:
            continue
        dom = registrable_domain(m.group(1).lower())
        if dom and dom != site and "." in dom and sum(ch.isdigit() for ch in dom.split(".", 1)[0]) >= 3:
            domains.setdefault(dom)
    return list(domains)


def extract(page: Page) -> Features:
    """Every ``seo.*`` feature of ``page`` (all keys always present)."""
    f = Features({name: 0.0 for name in FEATURES})
    in_main = len(page.words) >= MIN_MAIN_WORDS
    text = without_menu_rows(page.main_text[:MAX_TEXT]) if in_main else page.text[:MAX_TEXT]
    found = find_spam_terms(text)
    title_terms = find_spam_terms(page.title[:300])
    heading = _main_heading(page)
    heading_terms = find_spam_terms(heading) if heading else Counter()
    for t in (*title_terms, *heading_terms):
        found.setdefault(t, 0)
    if found:
        cats = spam_terms()
        shown = [f"{t} x{c} ({cats[t]})" for t, c in found.most_common(8)]
        n = len(found)
        f.set("seo.spam_terms", min(n, 50), *shown)
        f.set("seo.spam_terms_sat", clip(n / 6), *shown)
        words = len(page.words) if in_main else len(page.all_words) if page.tree is not None else len(page.words)
        density = 1000.0 * sum(found.values()) / max(words, MIN_WORDS)
        f.set("seo.spam_density_sat", clip(density / 20),
              f"{sum(found.values())} spam terms in {words} words")
    if title_terms or heading_terms:
        f.set("seo.spam_title", 1.0, *([f"title: {page.title[:120]}"] if title_terms else []),
              *([f"h1: {heading[:120]}"] if heading_terms else []))

    links = page.links[:MAX_LINKS]
    if not links:
        return f
    texts = [ln.text for ln in links if ln.text]
    if texts:
        spammy = _spam_link_texts(texts)
        share = safe_div(len(spammy), max(len(texts), 10))
        if len(spammy) >= MIN_SPAM_LINKS and share >= MIN_SPAM_LINK_SHARE:
            f.set("seo.spam_link_share", share, *(f"link: {t[:60]}" for t in spammy[:4]))
    numeric = numeric_domain_links(page, links)
    if numeric:
        f.set("seo.numeric_domain_links_sat", clip(len(numeric) / 5),
              f"{len(numeric)} numeric domains as link text: {', '.join(numeric[:5])}")
    return f
