"""Made-for-advertising pages (``mfa.*``): slideshow pagination and arbitrage headlines.

Arbitrage sites buy clicks and resell the impressions: a listicle is spread over numbered
pages or slides (each one a fresh set of ad impressions) under a curiosity-gap headline
written in Every Word Capitalised style. Measured:

- ``mfa.paginated``: a page or slide number from 2 up at the end of an article URL (``/story-slug/3/``,
  ``?slide=2``; ``page=1`` is any first page) or a slideshow pager line ("Next Slide", "Page 2 of 9",
  "Slide 1 of 20"; not "Page 1 of 3", the first part of an ordinary multi-page story, nor a bare
  "Next page", which archives and comment threads have);
- ``mfa.clickbait_title``: a curiosity-gap or listicle headline ("... Then The Star Confirmed
  The Real Cause", "Items We Never Knew We Wanted", "17 Things Only ...");
- ``mfa.start_case_title``: an English headline that capitalises its small words too ("Is The",
  "Of A", "To Know About"); style guides lower-case them, headline mills do not.

Checked on the corpus and left out: stand-alone "ADVERTISEMENT" breaks between paragraphs
(newspapers show as many: a games site carries 110 in 132 paragraphs), recommendation-widget
headings and clickbait among sidebar links (as frequent on originals as on farms).
Plain-text pages get every feature (the URL one when a URL is given).
"""

from __future__ import annotations

import re

from features.base import Features
from features.page import Page

MAX_LINES = 5_000
MAX_PAGER_CHARS = 40
MIN_SMALL_WORDS = 2  # a start-case verdict needs this many small words after the first word

FEATURES = ("mfa.paginated", "mfa.clickbait_title", "mfa.start_case_title")

_STRIP = " \t-–—:|•·*[](){}<>«»"
# Slideshow and click-through pagers. A bare "next page" / "next »" is left out: archives, search
# results, comment threads and multi-page news stories all have one (corpus: 9 originals, no farm).
_PAGER_LINE = re.compile(
    r"(?:next slide|continue reading on (?:the )?next page|click next"
    r"|(?:page|slide) (?P<no>\d{1,3}) of (?P<of>\d{1,3}))$",
    re.I,
)
# The first page of a story in a few parts ("Page 1 of 3") is an ordinary article; a slideshow's
# first page announces many ("Slide 1 of 20", "Page 1 of 9").
MIN_FIRST_PAGE_OF = 4
# A page number from 2 to 99: the first page of anything is "page=1", so it says nothing.
_PAGE_NO = r"(?:[2-9]|[1-9]\d)"
_PAGED_URL = re.compile(rf"[a-z0-9]-[a-z0-9-]{{6,}}/(?:{_PAGE_NO}|page-?{_PAGE_NO}|slide-?{_PAGE_NO})/?(?:$|[?#])"
                        rf"|[?&](?:page|pg|slide)={_PAGE_NO}(?:$|&)", re.I)
# _PAGED_URL in parts, for paged_url(): searched as one pattern it retries the slug's run
# from every "x-" in it (a path of "a-a-a-..." without "/" was quadratic).
_PAGE_STEP = re.compile(rf"/(?:{_PAGE_NO}|page-?{_PAGE_NO}|slide-?{_PAGE_NO})/?(?:$|[?#])", re.I)
_SLUG_RUN = re.compile(r"[a-z0-9-]+", re.I)
_SLUG_HYPHEN = re.compile(r"[a-z0-9]-", re.I)
_PAGE_PARAM = re.compile(rf"[?&](?:page|pg|slide)={_PAGE_NO}(?:$|&)", re.I)
_CLICKBAIT = re.compile(
    r"\byou won'?t believe\b|\bwill (?:blow your mind|shock you|make you|leave you|change your)\b"
    r"|\bwhat happen(?:ed|s) next\b|\bthe real (?:reason|cause)\b|\bno one (?:is talking|knows|expected)\b"
    r"|\bjaw[- ]?dropping\b|\bmind[- ]?blowing\b|\bnever knew\b|\bdidn'?t know\b|\bgone wrong\b"
    r"|\b(?:look|looks) like now\b|\bwait (?:until|till) you see\b|\bunrecognizable\b|\bcan'?t stop\b"
    r"|\bthings (?:you|only|we)\b|\bbefore it'?s too late\b|\bthis is (?:why|what)\b"
    r"|\b(?:then|until|before) (?:the |she |he |they )?(?:\w+ ){0,2}(?:confirmed|revealed|discovered|noticed|realized)\b"
    r"|^\d{1,3} (?:\w+ ){0,3}(?:things|ways|reasons|signs|facts|secrets|photos|pictures|celebrities|foods|habits"
    r"|mistakes|items|products|times|people|stars|moments|tricks|hacks)\b"
    r"|\bdu wirst nicht glauben\b|\bno creerás\b|\bvous ne croirez pas\b|\bnon crederai\b",
    re.I,
)
# One of these is in every title _CLICKBAIT matches (besides the listicle start "17 ..."):
# a cheap test before the (slow) regex.
_CLICKBAIT_ANCHORS = (
    "believe", "blow your mind", "shock you", "make you", "leave you", "change your", "happened next",
    "happens next", "real reason", "real cause", "no one", "jaw", "mind", "never knew", "know", "gone wrong",
    "like now", "wait until", "wait till", "unrecognizable", "stop", "things", "too late", "this is",
    "confirmed", "revealed", "discovered", "noticed", "realized", "glauben", "creerás", "croirez", "crederai",
)
# English small words that headline style guides (AP, Chicago) keep lower-case inside a title.
SMALL_WORDS = frozenset("a an the to of in on for and at by with from is are as or but into over than that".split())
_TITLE_PARTS = re.compile(r"\s+[-–—|:·•»]\s+|\s*[|]\s*")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def headline(title: str) -> str:
    """The headline part of a ``<title>``: the longest piece between site-name separators."""
    parts = [p for p in _TITLE_PARTS.split(title) if p.strip()]
    return max(parts, key=len) if parts else ""


def start_case(title: str) -> tuple[bool, list[str]]:
    """Whether every small word after the first word of the headline is capitalised."""
    words = _LATIN_WORD.findall(headline(title))
    small = [w for w in words[1:] if w.lower() in SMALL_WORDS]
    if len(small) < MIN_SMALL_WORDS or any(not w[0].isupper() for w in small):
        return False, []
    if sum(1 for w in words if w.isupper() and len(w) > 1) > len(words) / 2:
        return False, []  # ALL CAPS titles say nothing about headline style
    return True, small


def clickbait(title: str) -> re.Match[str] | None:
    """The curiosity-gap or listicle phrase of ``title`` (``None`` when it has none)."""
    low = title.lower()
    if any(a in low for a in _CLICKBAIT_ANCHORS):
        m = _CLICKBAIT.search(title)
        if m:
            return m
    head = headline(title)
    return _CLICKBAIT.search(head) if head[:1].isdigit() else None  # "17 Things ..." after a site name


def pager_line(lines: list[str]) -> str:
    """The first short line reading as a pager ("Next Slide", "Page 2 of 9"); '' when none."""
    for ln in lines[:MAX_LINES]:
        if len(ln) <= MAX_PAGER_CHARS:
            low = ln.lower()
            if "next" in low or " of " in low:
                m = _PAGER_LINE.match(low.strip(_STRIP))
                if m and not (m["of"] and low.lstrip(_STRIP).startswith("page") and int(m["no"]) < 2
                              and int(m["of"]) < MIN_FIRST_PAGE_OF):
                    return ln
    return ""


def paged_url(path: str) -> bool:
    """Whether ``_PAGED_URL.search(path)`` matches, in one linear pass.

    A slug ("a-b-c-d", a run of letters, digits and hyphens holding "x-" followed by 6 or
    more of them) ending right before a page step ("/2", "/page-3/", "/slide4?x"), or a page
    query parameter. Runs end at the "/" of a step, so each is read once.
    """
    if _PAGE_PARAM.search(path):
        return True
    ends = {}
    for run in _SLUG_RUN.finditer(path):
        ends[run.end()] = run
    for step in _PAGE_STEP.finditer(path):
        run = ends.get(step.start())
        if run is not None:
            h = _SLUG_HYPHEN.search(path, run.start(), run.end())
            if h is not None and run.end() - h.end() >= 6:
                return True
    return False


def extract(page: Page) -> Features:
    """Every ``mfa.*`` feature of ``page`` (all keys always present)."""
    f = Features({name: 0.0 for name in FEATURES})
    url = page.url or ""
    path = url.split("://", 1)[-1].partition("/")[2] if url else ""
    m = paged_url(path) if path else False
    pager = "" if m else pager_line(page.lines)
    if m or pager:
        f.set("mfa.paginated", 1.0, f"page number in URL: .../{path[-50:]}" if m else f"pager line: '{pager}'")

    title = page.title[:300]
    m = clickbait(title)
    if m:
        f.set("mfa.clickbait_title", 1.0, f"title: {title[:120]} ('{m.group(0)}')")
    capitalised, small = start_case(title)
    if capitalised:
        f.set("mfa.start_case_title", 1.0, f"title: {title[:120]} (small words capitalised: {', '.join(small[:5])})")
    return f
