"""Is a home page a parked domain or a for-sale page? Words and parking services, no model.

A parked page is short (a parking lander shows a few sponsored links and a line or two) and
says what it is: "this domain is for sale", "buy this domain", "domain parking", or it loads
a parking service (Sedo, Bodis, ParkingCrew, Afternic, Dan.com, ...). Two cues are needed:
a sale or parking phrase, or a parking service, on a page of few words; a long page that
mentions a domain sale in one line (a registrar's blog post) is not parked.
"""

from __future__ import annotations

import re

from features.page import Page

MAX_WORDS = 400
_PHRASES = re.compile(
    r"\b(?:(?:this|the)\s+domain(?:\s+name)?\s+(?:is|may\s+be|might\s+be)\s+(?:for\s+sale|available|parked)"
    r"|buy\s+this\s+domain|domain\s+(?:is\s+)?for\s+sale|make\s+(?:an\s+)?offer\s+(?:on|for)\s+this\s+domain"
    r"|domain\s+parking|parked\s+(?:free|domain|by)|this\s+(?:web\s*)?page\s+is\s+parked"
    r"|inquire\s+about\s+this\s+domain|get\s+this\s+domain|(?:related|sponsored)\s+(?:searches|listings))\b",
    re.I,
)
_SERVICES = re.compile(
    r"\b(?:sedo(?:parking)?\.com|bodis\.com|parkingcrew\.net|afternic\.com|dan\.com|hugedomains\.com|"
    r"undeveloped\.com|above\.com|parklogic\.com|smartname\.com|domainmarket\.com|sav\.com|"
    r"parking\.godaddy|img\.sedoparking\.com|searchvity\.com|domainnamesales\.com)\b",
    re.I,
)


def parked_evidence(page: Page) -> list[str]:
    """What says ``page`` is a parked or for-sale page (empty when nothing does)."""
    words = len(page.all_words)
    if words > MAX_WORDS:
        return []
    text = " ".join([page.title or "", " ".join(page.all_words)])
    out = []
    phrase = _PHRASES.search(text)
    if phrase:
        out.append(f"says {phrase.group(0).lower()!r}")
    raw = page.html or ""
    service = _SERVICES.search(raw[:200_000]) or _SERVICES.search(" ".join(ln.href for ln in page.links))
    if service:
        out.append(f"uses the parking or domain-sale service {service.group(0).lower()}")
    if out:
        out.append(f"{words} words of text")
    return out if (phrase or service) else []
