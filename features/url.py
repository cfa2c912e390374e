"""URL and domain-name signals (``url.*``): how the page's own address looks.

Farms favour throwaway names: long digit strings (``0755xyz.com``), keyword chains joined by
hyphens (``best-cheap-flights-deals.com``), very long registrable labels, and top-level domains
that abuse reports rank high. These are lexical properties of the address, not a list of sites.
Read from :attr:`Page.address`: the page URL, or when none was given the one the page states
for itself (canonical link, ``og:url``, ``<base href>``). All zero when neither is known (there
is deliberately no "URL known" feature: whether a caller passed a URL says nothing about the page), so each feature's 0 is also what an
ordinary address gives: a page without a URL reads as one with an ordinary name.
"""

from __future__ import annotations

import re

from features.base import Features
from features.domains import domain_of_host, host_of
from features.page import Page

# TLDs that public abuse statistics (e.g. Spamhaus' "most abused TLDs", SURBL, Interisle's
# phishing/spam landscape reports) rank high year after year. A weak prior, not a verdict.
# National namespaces (.cn, .ru, .su) are left out although they rank high on counts of bad
# domains: they are large, and most of their names are the country's own sites, so on one page
# the TLD tells the country, not the farm (the corpus: 69 originals on them, one farm page; with
# .cn counted, Chinese news sites were flagged when their collection was left out of training).
ABUSED_TLDS = frozenset(
    "xyz top club online site icu buzz loan win bid vip work click link live shop store fun space "
    "website tk ml ga cf gq pw cc ws info biz me rest bar cyou sbs monster quest".split()
)
_DIGITS = re.compile(r"\d")
_VOWELS = set("aeiouy")
# Consonants in a row that ordinary names reach (2-3 in most of the corpus's hosts); only the
# excess counts, so a name without letters (digits) or no address at all reads as ordinary,
# not as the far end of the scale (0 consonants used to sit there, rarer than 5).
CONSONANT_RUN_USUAL = 3

FEATURES = (
    "url.digit_share",
    "url.digits_run",
    "url.hyphens",
    "url.label_length_sat",
    "url.abused_tld",
    "url.subdomain_depth",
    "url.consonant_run",
    "url.ip_host",
    "url.query_page",
)


def extract(page: Page) -> Features:
    out = Features({name: 0.0 for name in FEATURES})
    url = page.address
    host = host_of(url) if url else ""
    if not host:
        return out
    if host.replace(".", "").isdigit() or ":" in host:
        out.set("url.ip_host", 1.0, f"host is an IP address: {host}")
        return out
    reg = domain_of_host(host)
    label = reg.split(".", 1)[0]
    tld = reg.rsplit(".", 1)[-1]
    digits = len(_DIGITS.findall(label))
    if label:
        share = digits / len(label)
        out.set("url.digit_share", share, *([f"domain {reg}: {digits} of {len(label)} characters are digits"] if share >= 0.5 else []))
        run = max((len(m) for m in re.findall(r"\d+", label)), default=0)
        out.set("url.digits_run", min(run / 6.0, 1.0), *([f"domain {reg}: {run} digits in a row"] if run >= 3 else []))
        hy = label.count("-")
        out.set("url.hyphens", min(hy / 3.0, 1.0), *([f"domain {reg}: {hy + 1} hyphen-joined words"] if hy >= 2 else []))
        out.set("url.label_length_sat", min(max(len(label) - 8, 0) / 16.0, 1.0),
                f"domain {reg}: {len(label)}-character name")
        cons = _longest_consonant_run(label)
        out.set("url.consonant_run", min(max(cons - CONSONANT_RUN_USUAL, 0) / 3.0, 1.0),
                *([f"domain {reg}: {cons} consonants in a row"] if cons > CONSONANT_RUN_USUAL else []))
    if tld in ABUSED_TLDS:
        out.set("url.abused_tld", 1.0, f"top-level domain .{tld} is among the most abused")
    sub = host[: -len(reg)].rstrip(".") if host.endswith(reg) else ""
    parts = [p for p in sub.split(".") if p and p != "www"]
    out.set("url.subdomain_depth", min(len(parts) / 3.0, 1.0), *([f"subdomain {sub}"] if parts else []))
    path = url.split(host, 1)[-1]
    if re.search(r"[?&](p|page_id|id)=\d+", path):
        out.set("url.query_page", 1.0, f"post addressed by id: {path[:60]}")
    return out


def _longest_consonant_run(label: str) -> int:
    best = cur = 0
    for ch in label:
        if ch.isalpha() and ch not in _VOWELS:
            cur += 1
            best = max(best, cur)
        else:
            cur = 0
    return best
