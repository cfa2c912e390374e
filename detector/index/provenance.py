"""Which of two pages with the same text is the likely original, and why.

:func:`facts` reads what a page says about its own origin (publication date, canonical link,
attribution lines, wire-agency credits); the index stores these for every page it holds.
:func:`decide` weighs the evidence for a matched pair:

=====================================================  ======
evidence                                               weight
=====================================================  ======
canonical link of one page points at the other's site  4
attribution line of one page names / links the other   3
farm evidence on one page only (it is the copy)       3
more kinds of farm evidence on one page than the other 1.5
earlier publication date (>= 1 day, or >= 1 h w/ time) 2
reliable-news list (one listed, the other not)         1.5
content-farm list (one listed, the other not)          1.5
one text is an excerpt (< 50%) of the other            1
=====================================================  ======

Dates count only when both are the pages' own publication dates (JSON-LD ``datePublished``,
article meta tags, WordPress post date): a ``<time>`` element in the body may be a date
the copy kept from the original's markup, or any other date. Farm evidence
(:mod:`detector.index.farm_signs`: ad grids, title-word hashtags, farm-theme template, a farm
verdict) marks the likely copy. When evidence points both ways with comparable weight (the
weaker side at least half the stronger, and no canonical link or attribution line on one
side only: a page's own declaration still decides), or there is none, it is ``undecided``
and says what was seen on each side.

A copy that credits its source (canonical, attribution line or wire credit) is *credited*:
it is still reported as a copy, but ``index.copy_credited`` tells the model it is declared
syndication or wire copy rather than a scrape.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path

from features.copy import MAX_LINES, wire_credits
from features.domains import domain_of_host, host_of, registrable_domain
from features.page import Page

WIRES = {
    "Associated Press": r"associated press|\(ap\)|\bap photo\b",
    "Reuters": r"\breuters\b",
    "AFP": r"\bafp\b|agence france[- ]presse",
    "dpa": r"\bdpa\b|deutsche presse-agentur",
    "PA Media": r"\bpa media\b|press association",
    "UPI": r"\bupi\b|united press international",
    "EFE": r"\bagencia efe\b|\(efe\)",
    "ANSA": r"\bansa\b",
    "Xinhua": r"\bxinhua\b",
    "Kyodo": r"\bkyodo\b",
    "Bloomberg": r"\bbloomberg news\b",
    "Canadian Press": r"\bthe canadian press\b",
    # press-release wires: the same release is posted on every finance portal, on purpose
    "Business Wire": r"\bbusiness ?wire\b",
    "PR Newswire": r"\bpr ?newswire\b",
    "GlobeNewswire": r"\bglobe ?newswire\b",
    "Marketwire": r"\bmarket ?wired?\b",
}
# features.copy names an agency by its short credit; the index stores these names.
_WIRE_ALIAS = {"AP": "Associated Press", "PA": "PA Media"}
# An agency's (or press-release wire's) own sites: a copy crediting the agency, matched to
# a page on the agency's site, is credited copy.
WIRE_SITES = {
    "Associated Press": ("apnews.com", "ap.org"),
    "Reuters": ("reuters.com",),
    "AFP": ("afp.com",),
    "dpa": ("dpa.com", "dpa-international.com"),
    "EFE": ("efe.com",),
    "ANSA": ("ansa.it",),
    "Xinhua": ("xinhuanet.com", "news.cn"),
    "Kyodo": ("kyodonews.net",),
    "Bloomberg": ("bloomberg.com",),
    "UPI": ("upi.com",),
    "Yonhap": ("yna.co.kr", "yonhapnews.co.kr"),
    "Agência Brasil": ("ebc.com.br",),
    "Sputnik": ("sputniknews.com", "ria.ru"),
    "TASS": ("tass.ru", "tass.com"),
    "PTI": ("ptinews.com",),
    "IANS": ("ians.in",),
    "ANI": ("aninews.in",),
    "Europa Press": ("europapress.es",),
    "Anadolu": ("aa.com.tr",),
    "Business Wire": ("businesswire.com",),
    "PR Newswire": ("prnewswire.com",),
    "GlobeNewswire": ("globenewswire.com",),
    "Marketwire": ("marketwire.com", "marketwired.com"),
}
_WIRE_RE = {name: re.compile(p, re.I) for name, p in WIRES.items()}
_ATTRIBUTION_RE = re.compile(
    r"\b(?:source|sources|quelle|fuente|fonte|credit|courtesy of|via|read more (?:at|on)|"
    r"read the (?:full|original) (?:article|story)|originally (?:published|appeared|posted)|"
    r"first (?:published|appeared)|appeared first on|republished|reprinted|re-?posted from|"
    r"syndicated|(?:used|published|reproduced) with permission|this (?:article|story|post) "
    r"(?:was|is) (?:originally|first|from)|copyright|©)\b|©",
    re.I,
)
_TRIGGERS = (
    "source", "quelle", "fuente", "fonte", "credit", "courtesy", "via ", "read ", "original",
    "first ", "republish", "reprint", "posted from", "syndicat", "permission", "this article",
    "this story", "this post", "copyright", "\u00a9",
)
_DOMAIN_IN_TEXT = re.compile(r"\b((?:[a-z0-9-]+\.)+[a-z]{2,12})\b", re.I)
_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "publishdate", "pubdate",
    "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
)
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_MAX_ATTRIBUTION_LINE = 300


@dataclass
class Facts:
    """What a page says about its own origin (stored per page in the index)."""

    site: str = ""
    published: str = ""  # ISO 8601 (UTC when a time is known), '' when unknown
    has_time: bool = False
    canonical_site: str = ""
    credit_sites: list[str] = field(default_factory=list)
    credit_words: list[str] = field(default_factory=list)
    wires: list[str] = field(default_factory=list)
    date_source: str = ""  # where ``published`` was read: "wordpress", "meta <name>", "json-ld"
    farm: list[str] = field(default_factory=list)  # farm marks (detector.index.farm_signs)

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, s: str) -> Facts:
        if not s:
            return cls()
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in json.loads(s).items() if k in known})


# ---- reading a page ---------------------------------------------------------------------


def parse_date(value: str) -> tuple[datetime, bool] | None:
    """A date string (ISO 8601 and its common variants) -> (UTC datetime, has a time of day)."""
    v = value.strip()
    if not v:
        return None
    v = v.replace("Z", "+00:00").replace(" ", "T", 1) if len(v) > 10 else v
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        m = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", v)
        if not m:
            return None
        try:
            dt = datetime(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return dt.replace(tzinfo=timezone.utc), False
    has_time = "T" in v
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc), has_time


def _date_candidates(page: Page, body_time: bool) -> list[tuple[str, str]]:
    """(date string, where it was read) in order of trust."""
    candidates: list[tuple[str, str]] = []
    wp = page.meta_extra.get("wp_date")
    if wp:
        candidates.append((str(wp), "wordpress"))
    candidates += [(page.meta[k], f"meta {k}") for k in _DATE_META if page.meta.get(k)]
    for s in page.scripts:
        if s.get("type").lower() == "application/ld+json" and "datePublished" in s.text:
            m = _LD_DATE.search(s.text)
            if m:
                candidates.append((m.group(1), "json-ld"))
    if body_time and page.tree is not None and page.tree.document is not None:
        for node in page.tree.document.query_selector_all("time[datetime]").values()[:3]:
            candidates.append((node.getattr("datetime") or "", "time element"))
    return candidates


def _first_date(candidates: list[tuple[str, str]]) -> tuple[datetime, bool, str] | None:
    for c, where in candidates:
        d = parse_date(c)
        if d and 1990 <= d[0].year <= 2100:
            return d[0], d[1], where
    return None


def published_date(page: Page) -> tuple[datetime, bool] | None:
    """Publication date from WordPress data, meta tags, JSON-LD or the first ``<time datetime>``."""
    d = _first_date(_date_candidates(page, body_time=True))
    return (d[0], d[1]) if d else None


def own_publication_date(page: Page) -> tuple[datetime, bool, str] | None:
    """The page's own publication date and where it was read (WordPress, meta, JSON-LD; never ``<time>``).

    Only these count for copy direction: a ``<time>`` in the body may be kept from the
    original's markup by a copy, or date anything else (a comment, a related story).
    """
    return _first_date(_date_candidates(page, body_time=False))


def _attribution_lines(page: Page) -> list[str]:
    """Short lines with an attribution phrase (found with ``str.find`` first: regex is slow)."""
    text = "\n".join(page.lines) if page.tree is not None else page.text
    low = text.lower()
    starts: set[int] = set()
    for trig in _TRIGGERS:
        pos = low.find(trig)
        hits = 0
        while pos >= 0 and hits < 20:
            starts.add(low.rfind("\n", 0, pos) + 1)
            pos = low.find(trig, pos + len(trig))
            hits += 1
    out = []
    for start in sorted(starts)[:60]:
        end = text.find("\n", start)
        line = text[start : end if end >= 0 else len(text)].strip()
        if len(line) <= _MAX_ATTRIBUTION_LINE and _ATTRIBUTION_RE.search(line):
            out.append(line)
    return out


def facts(page: Page, farm: list[str] | None = None) -> Facts:
    """Read the origin evidence a page carries about itself (``farm``: its farm marks, if known)."""
    f = Facts(site=page.site, farm=list(farm or []))
    d = own_publication_date(page)
    if d:
        f.published, f.has_time, f.date_source = d[0].isoformat(), d[1], d[2]
    canon = page.canonical or page.meta.get("og:url", "")
    if canon.startswith(("http://", "https://")):
        f.canonical_site = registrable_domain(canon)
    lines = _attribution_lines(page)
    sites: set[str] = set()
    words: set[str] = set()
    link_by_text = {ln.text.lower(): ln.href for ln in page.links if ln.text}
    for line in lines:
        low = line.lower()
        for dom in _DOMAIN_IN_TEXT.findall(low):
            rd = domain_of_host(dom)
            if rd:
                sites.add(rd)
        words.update(w for w in re.findall(r"[a-z0-9]{4,}", low))
        for text, href in link_by_text.items():
            if text and text in low and href.startswith(("http://", "https://")):
                rd = registrable_domain(href)
                if rd:
                    sites.add(rd)
    sites.discard(f.site)
    f.credit_sites = sorted(sites)[:30]
    f.credit_words = sorted(words)[:200]
    head = page.main_text[:1000] + "\n" + "\n".join(lines)
    wires = {name for name, rx in _WIRE_RE.items() if rx.search(head)}
    # datelines and credit lines anywhere in the page ("BERLIN (dpa) -", "Fonte: Agência Brasil")
    for what in wire_credits(page.lines[:MAX_LINES], page.site):
        name = what.split(" dateline:", 1)[0].split(" credit:", 1)[0]
        wires.add(_WIRE_ALIAS.get(name, name))
    f.wires = sorted(wires)
    return f


# ---- lists ------------------------------------------------------------------------------


def _read_list(path: Path | None, name: str) -> frozenset[str]:
    if path is not None:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files("detector").joinpath("data", name).read_text(encoding="utf-8")
    return frozenset(ln.strip().lower() for ln in text.splitlines() if ln.strip() and not ln.startswith("#"))


@lru_cache(maxsize=4)
def reliable_domains(path: str | None = None) -> frozenset[str]:
    """Reliable-news domains (packaged list, or one domain a line at ``path``)."""
    return _read_list(Path(path) if path else None, "reliable_news_domains.txt")


@lru_cache(maxsize=4)
def farm_domains(path: str | None = None) -> frozenset[str]:
    """Content-farm / scraper domains (packaged list, or one domain a line at ``path``)."""
    return _read_list(Path(path) if path else None, "farm_domains.txt")


def listed(site_or_url: str, domains: frozenset[str]) -> bool:
    """Whether a host (or any parent domain of it) is on ``domains``."""
    host = host_of(site_or_url) if "/" in site_or_url else site_or_url.lower()
    parts = host.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts) - 1))


# ---- deciding ---------------------------------------------------------------------------


@dataclass
class Decision:
    """Outcome for a (this page, matched page) pair."""

    other_original: bool  # the matched page is the likely original
    this_original: bool  # this page is the likely original
    credited: bool  # this page credits the matched page (or a shared wire agency)
    why: str
    score: float = 0.0  # summed evidence weight; > 0 favours the matched page
    seen: dict[str, list[str]] = field(default_factory=dict)  # "this" / "match": evidence on each page

    @property
    def direction(self) -> str:
        """``"copy"`` (this page is the likely copy), ``"original"``, ``"wire copy"`` or ``"undecided"``."""
        if self.other_original:
            return "copy"
        if self.this_original:
            return "original"
        return "wire copy" if self.why.startswith("both credit") else "undecided"


CONFLICT = 0.5  # the weaker side's weight at least this share of the stronger: undecided


def _credits(a: Facts, b: Facts) -> str:
    """Why ``a`` credits ``b`` ('' when it does not)."""
    if b.site and a.canonical_site == b.site and a.site != b.site:
        return f"canonical link points to {b.site}"
    if b.site and b.site in a.credit_sites:
        return f"attribution line names {b.site}"
    label = b.site.split(".", 1)[0] if b.site else ""
    if len(label) >= 4 and label in a.credit_words:
        return f"attribution line names {label}"
    for wire in a.wires:
        if b.site and any(b.site == d or b.site.endswith("." + d) for d in WIRE_SITES.get(wire, ())):
            return f"attribution credits {wire}, whose site {b.site} it matches"
    return ""


def _seen(f: Facts, credit: str, lists: list[str]) -> list[str]:
    """What a page shows about its origin, for the ``why`` of a decision."""
    out = []
    if f.published:
        out.append(f"published {f.published[:10]} ({f.date_source or 'own date'})")
    else:
        out.append("no publication date of its own")
    if credit:
        out.append(credit)
    if f.wires:
        out.append("credits " + ", ".join(f.wires))
    out += lists
    out += [f"farm evidence: {m}" for m in f.farm]
    return out


def decide(
    this: Facts,
    other: Facts,
    *,
    this_share: float = 1.0,
    other_share: float = 1.0,
    reliable: frozenset[str] | None = None,
    farms: frozenset[str] | None = None,
) -> Decision:
    """Weigh the evidence on which of two matched pages is the original.

    ``this_share`` is the part of this page's text found in the other (containment), and
    ``other_share`` the reverse: an excerpt (its share high, the other's low) is the copy.
    """
    from detector.index.farm_signs import kinds

    reliable = reliable_domains() if reliable is None else reliable
    farms = farm_domains() if farms is None else farms
    votes: list[tuple[float, str]] = []  # > 0: other is the original
    credit_other = _credits(this, other)
    credit_this = _credits(other, this)
    weight_of = {"canonical": 4.0, "attribution": 3.0}
    if credit_other:
        votes.append((weight_of[credit_other.split()[0]], f"this page's {credit_other}"))
    if credit_this:
        votes.append((-weight_of[credit_this.split()[0]], f"the match's {credit_this}"))
    shared_wires = sorted(set(this.wires) & set(other.wires))
    ka, kb = kinds(this.farm), kinds(other.farm)
    if ka and not kb:
        votes.append((3.0, f"this page carries farm evidence ({', '.join(sorted(ka))}), the match none"))
    elif kb and not ka:
        votes.append((-3.0, f"the match carries farm evidence ({', '.join(sorted(kb))}), this page none"))
    elif len(ka) != len(kb):
        more = len(ka) > len(kb)
        votes.append((1.5 if more else -1.5, f"{'this page' if more else 'the match'} carries more kinds of farm evidence "
                       f"({len(ka) if more else len(kb)} vs {len(kb) if more else len(ka)})"))
    elif ka:
        votes.append((0.0, f"both carry farm evidence (this page: {', '.join(sorted(ka))}; the match: {', '.join(sorted(kb))})"))
    farm_vote = any(abs(w) > 0 and "farm evidence" in r for w, r in votes)
    da = parse_date(this.published) if this.published else None
    db = parse_date(other.published) if other.published else None
    if da and db:  # both are the pages' own publication dates (facts() reads no <time>)
        gap = (da[0] - db[0]).total_seconds()
        need = 3600 if (this.has_time and other.has_time) else 86400
        if abs(gap) >= need:
            sign = 1.0 if gap > 0 else -1.0
            votes.append((2.0 * sign, f"published {db[0].date()} vs this page {da[0].date()}"))
    on_list: dict[str, list[str]] = {"this": [], "match": []}
    for lst, name, w in ((reliable, "reliable-news list", 1.5), (farms, "content-farm list", -1.5)):
        a = bool(this.site) and listed(this.site, lst)
        b = bool(other.site) and listed(other.site, lst)
        if a:
            on_list["this"].append(f"on the {name}")
        if b:
            on_list["match"].append(f"on the {name}")
        if a != b:
            sign = 1.0 if b else -1.0
            site = other.site if b else this.site
            votes.append((w * sign, f"{site} is on the {name}"))
    if this_share >= 0.8 and other_share < 0.5:
        votes.append((1.0, "this page is an excerpt of the match"))
    elif other_share >= 0.8 and this_share < 0.5:
        votes.append((-1.0, "the match is an excerpt of this page"))
    seen = {"this": _seen(this, credit_other, on_list["this"]), "match": _seen(other, credit_this, on_list["match"])}
    total = sum(w for w, _ in votes)
    pro = sum(w for w, _ in votes if w > 0)
    con = -sum(w for w, _ in votes if w < 0)
    credited = bool(credit_other) or bool(shared_wires)
    reasons = [r for _, r in sorted(votes, key=lambda v: -abs(v[0]))]
    sides = f" [this page: {'; '.join(seen['this'])} | match: {'; '.join(seen['match'])}]"
    if shared_wires and not credit_other and not credit_this and not farm_vote:
        wire = ", ".join(shared_wires)
        why = f"both credit {wire} (wire copy)" + "".join(f"; {r}" for r in reasons)
        return Decision(False, False, True, why, total, seen)
    if shared_wires and farm_vote:  # a farm page copying a wire story from a newspaper: still the copy
        reasons.append(f"both credit {', '.join(shared_wires)}")
    # A page's own declaration (canonical link, attribution line) outweighs inferred evidence
    # against it; otherwise evidence both ways of comparable weight is a conflict.
    declared = bool(credit_other) != bool(credit_this)
    if pro and con and not declared and min(pro, con) >= CONFLICT * max(pro, con):
        why = "undecided: conflicting evidence: " + "; ".join(reasons) + sides
        return Decision(False, False, credited, why, total, seen)
    if total > 0:
        return Decision(True, False, credited, "match is the original: " + "; ".join(reasons), total, seen)
    if total < 0:
        return Decision(False, True, credited, "this page is the original: " + "; ".join(reasons), total, seen)
    why = "; ".join(reasons) if reasons else "no date, canonical, attribution, farm or list evidence either way"
    return Decision(False, False, credited, "undecided: " + why + sides, total, seen)
