"""Differential test: the fast path (``Page``, Lexbor via resiliparse) against BeautifulSoup.

Over every page of the shared corpus, BeautifulSoup with the lxml parser is the reference
for three things extractors rely on: script ``src`` values, ``<meta>`` name/property ->
content pairs, and ``a[href]`` link targets (compared as multisets: order is not used).

Documented HTML5 differences, which Lexbor follows and lxml (libxml2's HTML 4 parser) does
not: ``<template>`` content is a separate fragment that selectors do not enter (so the
reference leaves ``<template>`` content out), and a misnested ``<a>`` (an ``<a>`` opened
inside another, or across block elements) is closed and reopened by the adoption agency
algorithm, which can duplicate or drop an anchor. Tolerances below are set from a full
measurement over the 2,638 corpus pages.
"""

import gzip
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from detector.sources.decode import decode
from features.page import parse_html

# Measured (2,638 pages, template content excluded): metas differ on 0 pages; script srcs on
# 4 pages (0.15%: 1 src each on 3 pages, 14 on one malformed page); links on 90 pages
# (3.4%), almost always by 1-6 anchors on pages with 50-800 links (misnested <a>), and by
# more than max(2, 5% of the page's links) on 20 pages (0.76%). Limits leave headroom
# for parser upgrades while a real regression (links or scripts missed on ordinary
# pages) fails.
SCRIPT_PAGE_TOLERANCE = 0.005
LINK_PAGE_TOLERANCE = 0.05
LINK_PAGE_LARGE_TOLERANCE = 0.01


def _outside_template(el) -> bool:
    return all(parent.name != "template" for parent in el.parents)


def _bs4_view(soup: BeautifulSoup, page) -> tuple[Counter, dict[str, str], Counter]:
    """Script srcs, metas and links as BeautifulSoup sees them, ``<template>`` content left out."""
    scripts = Counter(
        s.get("src") for s in soup.find_all("script") if s.get("src") and _outside_template(s)
    )
    metas: dict[str, str] = {}
    for m in soup.find_all("meta"):
        key = m.get("name") or m.get("property") or m.get("http-equiv") or m.get("itemprop")
        if key and _outside_template(m):
            metas.setdefault(key.strip().lower(), (m.get("content") or "").strip())
    links = Counter(
        page.absolute(a["href"]) for a in soup.find_all("a", href=True) if _outside_template(a)
    )
    return scripts, metas, links


def _fast_view(page) -> tuple[Counter, dict[str, str], Counter]:
    scripts = Counter(s.get("src") for s in page.scripts if s.get("src"))
    return scripts, page.meta, Counter(lk.href for lk in page.links)


def _large(ref: Counter, got: Counter) -> bool:
    off = sum(((ref - got) + (got - ref)).values())
    return off > max(2, 0.05 * sum(ref.values()))


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
def test_fast_path_matches_beautifulsoup(shared_dir):
    files = sorted((shared_dir / "corpus" / "pages").glob("*.html.gz"))
    assert len(files) > 1000
    diff: Counter = Counter()
    examples: dict[str, list[str]] = {"scripts": [], "metas": [], "links": [], "links_large": []}
    for f in files:
        text, _ = decode(gzip.decompress(f.read_bytes()))
        page = parse_html(text)
        ref = _bs4_view(BeautifulSoup(text, "lxml"), page)
        got = _fast_view(page)
        for what, a, b in zip(("scripts", "metas", "links"), ref, got, strict=True):
            if a != b:
                diff[what] += 1
                examples[what].append(f.name)
        if _large(ref[2], got[2]):
            diff["links_large"] += 1
            examples["links_large"].append(f.name)
    n = len(files)
    report = ", ".join(f"{k}: {diff[k]} of {n} pages" for k in examples)
    print(f"\ndifferential bs4(lxml) vs Lexbor: {report}")
    assert diff["metas"] == 0, f"metas differ: {examples['metas'][:10]}"
    assert diff["scripts"] <= SCRIPT_PAGE_TOLERANCE * n, f"{report}; {examples['scripts'][:10]}"
    assert diff["links"] <= LINK_PAGE_TOLERANCE * n, report
    assert diff["links_large"] <= LINK_PAGE_LARGE_TOLERANCE * n, f"{report}; {examples['links_large'][:10]}"
