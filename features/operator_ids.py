"""Operator identity (``ids.*``): the account IDs a page carries for its owner, and its date.

Not a page signal: this module defines no ``extract`` (so :func:`features.extract_all` does
not run it and the page model never trains on it). :func:`extract_ids` returns strings, kept
as *site facts* by :mod:`detector.sites.facts`: sites that share one of them are tied into an
operator network there. Kinds (the names in :data:`FEATURES`):

- ``ids.adsense``: AdSense publisher ``ca-pub-<digits>`` (script src, inline script, ``<ins data-ad-client>``);
- ``ids.analytics``: Google Analytics ``UA-<n>-<n>`` / ``G-<id>`` and Tag Manager ``GTM-<id>``;
- ``ids.amazon``: Amazon associate tags (``tag=<name>-2x`` on links to an Amazon store);
- ``ids.affiliate``: affiliate network accounts and ad zones: ClickBank hop links
  (``<affiliate>.<vendor>.hop.clickbank.net`` or ``?affiliate=``), A8 (``a8mat=``), zone ids
  of Adsterra / ExoClick / JuicyAds / PopAds / HilltopAds-style networks (``idzone=``,
  ``adzone=``, ``data-zoneid``), each prefixed with the network's host;
- ``ids.contact``: ``mailto:`` addresses and ``tel:`` numbers (digits only, 8-15 of them), JSON-LD
  ``telephone`` / ``email``;
- ``ids.published``: the page's publication time, ISO text (``article:published_time``,
  JSON-LD ``datePublished``, WordPress REST ``date``, a ``/YYYY/MM/DD/`` URL path or a
  ``YYYY-MM-DD[-HHMM]`` date in the URL's path), for cadence.

Caps (hostile input): at most :data:`MAX_SCRIPTS` scripts (each already cut to 2,000 characters
by :class:`~features.page.Page`), :data:`MAX_LINKS` links, :data:`MAX_PER_KIND` IDs per kind,
IDs of at most 64 characters; every regex is linear (no nested quantifiers).
"""

from __future__ import annotations

import re

from features.page import Page

FEATURES = ("ids.adsense", "ids.analytics", "ids.amazon", "ids.affiliate", "ids.contact", "ids.published")
MAX_SCRIPTS = 200
MAX_LINKS = 2_000
MAX_PER_KIND = 8

_ADSENSE = re.compile(r"\bca-pub-(\d{10,20})\b")
_ANALYTICS = re.compile(r"\b(UA-\d{4,10}-\d{1,4}|G-[A-Z0-9]{8,12}|GTM-[A-Z0-9]{4,9})\b")
_AMAZON_HOST = re.compile(r"^https?://(?:www\.)?(?:amazon\.[a-z.]{2,6}|amzn\.to)/", re.I)
_AMAZON_TAG = re.compile(r"[?&]tag=([A-Za-z0-9_.-]{2,40}-2[0-9])\b")
_CLICKBANK = re.compile(r"^https?://([a-z0-9]{2,20})\.([a-z0-9]{2,20})\.hop\.clickbank\.net", re.I)
_AFFILIATE_PARAM = re.compile(r"[?&](?:affiliate|aff_id|affid|a8mat)=([A-Za-z0-9_+-]{3,40})")
_ZONE = re.compile(r"(?:idzone|adzone|zoneid|zone_id|data-zoneid)[\"']?\s*[=:]\s*[\"']?(\d{3,10})", re.I)
_AD_NETWORKS = ("exoclick", "magsrv", "juicyads", "adsterra", "popads", "hilltopads", "a-ads", "propellerads",
                "clickadu", "trafficjunky", "ero-advertising", "a8.net", "clickbank")
_HOST = re.compile(r"^(?:https?:)?//([^/?#:]{1,100})", re.I)
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,40}@[A-Za-z0-9.-]{1,60}\.[A-Za-z]{2,12}$")
_JSONLD_CONTACT = re.compile(r"\"(telephone|email)\"\s*:\s*\"([^\"]{3,60})\"")
_JSONLD_DATE = re.compile(r"\"datePublished\"\s*:\s*\"(\d{4}-\d\d-\d\d[^\"]{0,20})\"")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/([0-2]\d|3[01])/")
# A date in a file or slug name (``ai-article-2026-08-17-1708.html``, ``2024-05-02-my-post``),
# with the hour and minute when four digits follow: generated posts name themselves by time.
_SLUG_DATE = re.compile(r"(?<![\d])((?:19|20)\d\d)-(0[1-9]|1[0-2])-([0-2]\d|3[01])(?:[-_T]([01]\d|2[0-3])[:-]?([0-5]\d))?(?!\d)")
_ISO = re.compile(r"^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?)?")
# Placeholders themes and tutorials ship (never an operator's account).
_PLACEHOLDER = re.compile(r"x{4,}|0{6,}|1234567|example\.|placeholder|^your-?(?:tag|id|name)", re.I)


def _add(out: dict[str, list[str]], kind: str, value: str) -> None:
    value = value[:64]
    if not value or _PLACEHOLDER.search(value):
        return
    bucket = out.setdefault(kind, [])
    if value not in bucket and len(bucket) < MAX_PER_KIND:
        bucket.append(value)


def _network(src: str) -> str | None:
    m = _HOST.match(src)
    host = m.group(1).lower() if m else ""
    return next((n for n in _AD_NETWORKS if n in host), None)


def _digits(phone: str) -> str | None:
    d = "".join(c for c in phone[:40] if c.isdigit())
    return d if 8 <= len(d) <= 15 else None


def extract_ids(page: Page) -> dict[str, list[str]]:
    """``{kind: [id, ...]}`` of the IDs found (kinds without one left out), in page order."""
    out: dict[str, list[str]] = {}
    scripts = page.scripts[:MAX_SCRIPTS]
    for el in scripts:
        src = el.get("src")
        text = el.text
        for chunk in (src, text):
            if not chunk:
                continue
            for m in _ADSENSE.finditer(chunk):
                _add(out, "ids.adsense", "ca-pub-" + m.group(1))
            for m in _ANALYTICS.finditer(chunk):
                _add(out, "ids.analytics", m.group(1))
        net = _network(src) if src else None
        if net:
            for m in _ZONE.finditer(src + " " + " ".join(f"{k}={v}" for k, v in el.attrs.items())):
                _add(out, "ids.affiliate", f"{net}:zone:{m.group(1)}")
        if text and "ld+json" in el.get("type").lower():
            for m in _JSONLD_CONTACT.finditer(text):
                v = _digits(m.group(2)) if m.group(1) == "telephone" else m.group(2).lower()
                if v and (m.group(1) == "telephone" or _EMAIL.match(v)):
                    _add(out, "ids.contact", v)
            if "ids.published" not in out and (m := _JSONLD_DATE.search(text)):
                _add(out, "ids.published", m.group(1))
    for el in page.ins[:MAX_SCRIPTS]:
        client = el.get("data-ad-client")
        if (m := _ADSENSE.search(client)) is not None:
            _add(out, "ids.adsense", "ca-pub-" + m.group(1))
        zone = el.get("data-zoneid") or el.get("data-zone")
        if zone.isdigit() and 3 <= len(zone) <= 10:
            _add(out, "ids.affiliate", f"{(el.get('class') or 'ins').split()[0][:20]}:zone:{zone}")
    for link in page.links[:MAX_LINKS]:
        href = link.href
        if href.startswith("mailto:"):
            addr = href[7:].split("?", 1)[0].strip().lower()
            if _EMAIL.match(addr):
                _add(out, "ids.contact", addr)
        elif href.startswith("tel:"):
            if (d := _digits(href[4:])) is not None:
                _add(out, "ids.contact", d)
        elif _AMAZON_HOST.match(href):
            if (m := _AMAZON_TAG.search(href)) is not None:
                _add(out, "ids.amazon", m.group(1).lower())
        elif (m := _CLICKBANK.match(href)) is not None:
            _add(out, "ids.affiliate", f"clickbank:{m.group(1).lower()}")
        elif "?" in href and (net := _network(href)) is not None and (m := _AFFILIATE_PARAM.search(href)):
            _add(out, "ids.affiliate", f"{net}:{m.group(1)}")
    published = _published(page)
    if published and "ids.published" not in out:
        out["ids.published"] = [published]
    return out


def _published(page: Page) -> str | None:
    for value in (page.meta_extra.get("wp_date"), page.meta.get("article:published_time"),
                  page.meta.get("datepublished"), page.meta.get("date")):
        if isinstance(value, str) and (m := _ISO.match(value.strip())):
            return m.group(0).replace(" ", "T")
    if page.url:
        url = page.url[:500]
        if (m := _URL_DATE.search(url)) is not None:
            return "-".join(m.groups())
        path = url.split("://", 1)[-1].partition("/")[2].split("?", 1)[0]
        if (m := _SLUG_DATE.search(path)) is not None:
            day = "-".join(m.groups()[:3])
            return f"{day}T{m.group(4)}:{m.group(5)}" if m.group(4) else day
    return None
