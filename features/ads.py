"""Ad-network signal: which ad networks a page runs, how many slots, and how heavy.

Content farms and scraper mirrors live on ad revenue: their pages carry grids of
slots from adult, pop-under and push networks (ExoClick, JuicyAds, PopAds...), the
same loader pasted once per slot, and more slots than paragraphs. Newspapers run
ads too (AdSense, Google Ad Manager, Taboola, Outbrain), so the features measure
the *kind* and *density* of the ad load, not its mere presence.

Attribution is by host suffix against ``features/data/ad_networks.tsv`` (script,
iframe and image URLs, ``<ins>`` slots, inline loader code). Third-party URLs the
table does not know are checked once per process-built braveblock engine:
EasyList hits count as unnamed ad elements, EasyPrivacy-only hits as trackers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from features.base import Features, clip, safe_div
from features.domains import domain_of_host
from features.page import Page

CATEGORIES = ("display", "native", "pop", "push", "adult", "affiliate")
HEAVY_CATEGORIES = frozenset({"adult", "pop", "push"})

FEATURES = (
    "ads.elements", "ads.elements_sat",
    "ads.named_elements", "ads.named_elements_sat",
    "ads.networks", "ads.networks_sat",
    "ads.slots", "ads.slots_sat",
    "ads.per_1000_words", "ads.per_1000_words_sat",
    "ads.adult_pop_share", "ads.heavy_networks",
    "ads.repeated_grid", "ads.native_widgets",
    "ads.easylist_elements", "ads.easylist_elements_sat",
    "ads.trackers", "ads.trackers_sat",
    "ads.affiliate_links", "ads.affiliate_links_sat", "ads.affiliate_link_share",
)

_MIN_WORDS = 150  # density denominator floor: a 20-word stub with one banner is not "dense"
_MAX_CHECKED_URLS = 60  # braveblock look-ups per page (deduplicated URLs)
_IMAGES_PER_HOST = 2  # image URLs checked per third-party host
_FALLBACK_SOURCE = "https://unknown.invalid/"
_JS_TYPE = re.compile(r"javascript|ecmascript|jscript|module|babel", re.IGNORECASE)

_HOST_RE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//(?:[^/?#@\s]*@)?([^/?#:\s]+)")
_CODE_HOST_RE = re.compile(r"//([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+)")
_AFF_PARAM_RE = re.compile(
    r"[?&](?:aff|affid|aff_id|affiliate|affiliate_id|affiliateid|aff_sub|awinaffid|clickref)=[^&#\s]",
    re.IGNORECASE,
)
_LINK_HOST_RE = re.compile(r"\n(?:https?:)?//([^/?#\s:@]+)(?=[/?#:\s]|$)")
_AMAZON_TAG_RE = re.compile(
    r"\nhttps?://(?:[\w-]+\.)*amazon\.(?:com|ca|de|fr|it|es|nl|se|pl|in|sg|ae|cn|co\.uk|co\.jp|com\.au|com\.br|com\.mx)"
    r"/[^\n]*?[?&]tag=([\w.-]+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Network:
    """One named ad network of the table."""

    name: str
    category: str
    domains: tuple[str, ...]
    markers: tuple[str, ...]
    example_url: str


@lru_cache(maxsize=1)
def networks() -> list[Network]:
    """Every network of ``features/data/ad_networks.tsv`` (read once)."""
    text = files("features").joinpath("data/ad_networks.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines()[1:]:
        if not line.strip():
            continue
        name, category, domains, markers, example = (line.split("\t") + [""] * 5)[:5]
        out.append(Network(
            name.strip(), category.strip(),
            tuple(d.strip().lower() for d in domains.split(",") if d.strip()),
            tuple(m.strip() for m in markers.split(",") if m.strip()),
            example.strip(),
        ))
    return out


@dataclass(frozen=True)
class _Index:
    by_domain: dict[str, Network]
    by_name: dict[str, Network]
    code_markers: dict[str, Network]
    class_prefixes: tuple[tuple[str, Network], ...]  # ".eas6a97888e" -> ExoClick
    attr_markers: tuple[tuple[str, Network], ...]  # "[data-zoneid]": only when the network is seen
    max_dots: int = 0  # the most dots of any table domain
    max_len: int = 0  # the longest table domain


@lru_cache(maxsize=1)
def _index() -> _Index:
    by_domain: dict[str, Network] = {}
    code: dict[str, Network] = {}
    classes, attrs = [], []
    for net in networks():
        for d in net.domains:
            by_domain.setdefault(d, net)
        for m in net.markers:
            if m.startswith(".") and len(m) > 1:
                classes.append((m[1:], net))
            elif m.startswith("[") and m.endswith("]"):
                attrs.append((m[1:-1].lower(), net))
            else:
                code.setdefault(m, net)
    by_name = {net.name: net for net in networks()}
    return _Index(by_domain, by_name, code, tuple(classes), tuple(attrs),
                  max((d.count(".") for d in by_domain), default=0), max(map(len, by_domain), default=0))


def _trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, factored by common prefixes."""
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here, longer ones continue: greedy optional tail
            return f"(?:{body})?" if len(branches) == 1 else body + "?"
        return body

    return build(trie)


def host_of_url(url: str) -> str:
    """Lower-cased host of an absolute or protocol-relative URL ('' when none)."""
    m = _HOST_RE.match(url)
    return m.group(1).lower().rstrip(".") if m else ""


def network_for_host(host: str) -> Network | None:
    """The table's network for ``host`` by suffix: ``a.magsrv.com`` -> ExoClick.

    Only a suffix of at most as many labels and characters as the table's longest domain can
    be one, so the look-up reads the host's last labels once (from the right) whatever its
    length: a host of 400 KB of labels costs one scan, not one copy per label.
    """
    idx = _index()
    cut = len(host)
    for _ in range(idx.max_dots + 1):
        cut = host.rfind(".", 0, cut)
        if cut < 0:
            break
    tail = host[cut + 1:]
    while len(tail) > idx.max_len:
        dot = tail.find(".")
        if dot < 0:
            return None
        tail = tail[dot + 1:]
    return _network_for_tail(tail)


@lru_cache(maxsize=65536)
def _network_for_tail(host: str) -> Network | None:
    by_domain = _index().by_domain
    while host:
        net = by_domain.get(host)
        if net is not None:
            return net
        dot = host.find(".")
        if dot < 0:
            return None
        host = host[dot + 1:]
    return None


# ---- braveblock (built lazily, once per process) ------------------------------------
_ENGINES: tuple[Any, Any] | None = None


def _engines() -> tuple[Any, Any]:
    """(EasyList engine, EasyPrivacy engine); built on first need (~1 s), then reused."""
    global _ENGINES
    if _ENGINES is None:
        import braveblock

        _ENGINES = (
            braveblock.Adblocker(include_easylist=True, include_easyprivacy=False),
            braveblock.Adblocker(include_easylist=False, include_easyprivacy=True),
        )
    return _ENGINES


@lru_cache(maxsize=32768)
def _blocklist_verdict(url: str, source: str, request_type: str) -> str:
    """'ad' (EasyList), 'tracker' (EasyPrivacy only) or ''."""
    ads, privacy = _engines()
    if ads.check_network_urls(url, source, request_type):
        return "ad"
    if privacy.check_network_urls(url, source, request_type):
        return "tracker"
    return ""


# ---- inline-code markers ---------------------------------------------------------------
class _MarkerScanner:
    """Finds table markers in inline code: Aho-Corasick (Rust) when installed, else ``re``."""

    def __init__(self, markers: list[str]) -> None:
        self.markers = markers
        self._ac: Any = None
        self._re: re.Pattern[str] | None = None
        try:
            import ahocorasick_rs as acr

            self._ac = acr.AhoCorasick(markers, matchkind=acr.MATCHKIND_LEFTMOST_LONGEST,
                                       implementation=acr.Implementation.DFA)
        except ImportError:  # pragma: no cover - the dependency is declared
            self._re = re.compile(_trie_pattern(markers))

    def find(self, text: str) -> list[tuple[str, int]]:
        """``(marker, start)`` of every non-overlapping marker occurrence."""
        if self._ac is not None:
            return [(self.markers[i], a) for i, a, _ in self._ac.find_matches_as_indexes(text)]
        assert self._re is not None
        return [(m.group(), m.start()) for m in self._re.finditer(text)]


@lru_cache(maxsize=1)
def _scanner() -> _MarkerScanner | None:
    markers = sorted(_index().code_markers)
    return _MarkerScanner(markers) if markers else None


def _inline_networks(codes: list[str]) -> list[set[str]]:
    """For each inline script, the names of the networks its code names (marker or host)."""
    out: list[set[str]] = [set() for _ in codes]
    if not codes:
        return out
    idx, scanner = _index(), _scanner()
    # One pass over all inline code joined; map hits back to their script by offset.
    joined = "\n".join(codes)
    starts, pos = [], 0
    for code in codes:
        starts.append(pos)
        pos += len(code) + 1
    if scanner is not None:
        for marker, at in scanner.find(joined):
            if at and (joined[at - 1].isalnum() or joined[at - 1] in "_$"):
                continue  # mid-identifier: "formatOptions" is not Adsterra's "atOptions"
            out[bisect_right(starts, at) - 1].add(idx.code_markers[marker].name)
    if "//" in joined:
        for m in _CODE_HOST_RE.finditer(joined):
            net = network_for_host(m.group(1).lower())
            if net is not None and net.category != "affiliate":
                out[bisect_right(starts, m.start()) - 1].add(net.name)
    return out


# ---- extraction -----------------------------------------------------------------------
class _Tally:
    """Per-network counts of ad elements by kind, and the hosts they came from."""

    def __init__(self) -> None:
        self.kinds: dict[str, Counter[str]] = {}
        self.hosts: dict[str, Counter[str]] = {}
        self.nets: dict[str, Network] = {}

    def add(self, net: Network, kind: str, host: str = "", n: int = 1) -> None:
        self.nets[net.name] = net
        self.kinds.setdefault(net.name, Counter())[kind] += n
        if host:
            self.hosts.setdefault(net.name, Counter())[host] += n

    def elements(self, name: str) -> int:
        return sum(self.kinds[name].values())

    def slots(self, name: str) -> int:
        """Placements: the most numerous kind (a slot is often script + ins + push call)."""
        return max(self.kinds[name].values())


def _zeros() -> Features:
    out = Features()
    for key in FEATURES:
        out.set(key, 0.0)
    return out


def _is_js(script_type: str) -> bool:
    """Executable script types only: JSON data blocks and HTML templates are not ad code."""
    return not script_type.strip() or bool(_JS_TYPE.search(script_type))


def _absolute_or_none(src: str) -> str:
    """An absolute URL for ``src``, or '' for relative ones (those are first-party anyway)."""
    src = src.strip()
    if src.startswith("//"):
        return "https:" + src
    return src if src[:4].lower() == "http" else ""


def extract(page: Page) -> Features:
    """Ad-network features of ``page`` (all zero for plain-text pages)."""
    if page.tree is None:
        return _zeros()
    idx = _index()
    site = page.site
    tally = _Tally()
    pending: dict[str, str] = {}  # unattributed third-party URL -> request type
    occurrences: Counter[str] = Counter()
    images_checked: Counter[str] = Counter()

    def route(url: str, kind: str, request_type: str) -> Network | None:
        host = host_of_url(url)
        if not host:
            return None
        net = network_for_host(host)
        if net is not None:
            tally.add(net, kind, host)
            return net
        if site and domain_of_host(host) == site:
            return None
        occurrences[url] += 1
        if url in pending or len(pending) >= _MAX_CHECKED_URLS:
            return None
        if kind == "img":  # image CDNs: a couple of look-ups per host is enough
            images_checked[host] += 1
            if images_checked[host] > _IMAGES_PER_HOST:
                return None
        pending[url] = request_type
        return None

    # Scripts: loaders by src (counting repeats), inline code by marker or injected host.
    ad_src_repeats: Counter[str] = Counter()
    for src in page.script_srcs:
        if route(src, "script", "script") is not None:
            ad_src_repeats[src] += 1
    codes = [el.text for el in page.scripts
             if el.text and not el.attrs.get("src") and _is_js(el.attrs.get("type", ""))]
    for found in _inline_networks(codes):
        for name in found:
            tally.add(idx.by_name[name], "inline")

    for el in page.iframes:
        src = _absolute_or_none(el.attrs.get("src", ""))
        if src:
            route(src, "iframe", "sub_frame")
        else:
            _match_slot(el.attrs, idx, tally, "iframe", conditional=False)

    # <ins> slots: class prefixes always; attribute markers only for networks already seen.
    open_ins = [el.attrs for el in page.ins
                if not _match_slot(el.attrs, idx, tally, "ins", conditional=False)]
    for attrs in open_ins:
        _match_slot(attrs, idx, tally, "ins", conditional=True)

    for el in page.images:
        src = _absolute_or_none(el.attrs.get("src", ""))
        if src:
            route(src, "img", "image")

    # Whatever the table does not know: EasyList / EasyPrivacy, deduplicated.
    source = f"https://{site}/" if site else _FALLBACK_SOURCE
    blocked_ads: Counter[str] = Counter()
    trackers: Counter[str] = Counter()
    for url, rtype in pending.items():
        verdict = _blocklist_verdict(url, source, rtype)
        if verdict == "ad":
            blocked_ads[host_of_url(url)] += occurrences[url]
        elif verdict == "tracker":
            trackers[host_of_url(url)] += occurrences[url]

    return _features(page, tally, ad_src_repeats, blocked_ads, trackers)


def _match_slot(attrs: dict[str, str], idx: _Index, tally: _Tally, kind: str, *, conditional: bool) -> bool:
    """Attribute one slot element by class prefix or (conditionally) attribute marker."""
    if not conditional:
        classes = attrs.get("class", "").split()
        for prefix, net in idx.class_prefixes:
            if any(c.startswith(prefix) for c in classes):
                tally.add(net, kind)
                return True
        return False
    for attr, net in idx.attr_markers:
        if attr in attrs and net.name in tally.nets:
            tally.add(net, kind)
            return True
    return False


def _affiliate_links(page: Page) -> tuple[int, Counter[str]]:
    """Links that pay their referrer: affiliate redirectors, Amazon ``tag=``, ``?aff=`` ids."""
    hrefs = [link.href for link in page.links]
    if not hrefs:
        return 0, Counter()
    joined = "\n" + "\n".join(hrefs)  # a few regex passes instead of Python work per link
    hits: dict[int, str] = {}  # offset of the link's line -> evidence label
    nets: dict[str, Network | None] = {}
    # One pass over the links' hosts (a link's line offset is where its host match starts).
    for m in _LINK_HOST_RE.finditer(joined):
        host = m.group(1)
        net = nets[host] if host in nets else nets.setdefault(host, network_for_host(host.lower()))
        if net is not None and net.category == "affiliate":
            hits.setdefault(m.start(), net.name)
    if "amazon." in joined:
        for m in _AMAZON_TAG_RE.finditer(joined):
            hits.setdefault(m.start(), f"Amazon tag={m.group(1)}")
    low = joined.lower()
    params = _AFF_PARAM_RE.finditer(joined) if ("aff" in low or "clickref" in low) else ()
    line, end = -1, -1  # the current link's line: "\n" offset and end (matches come in order)
    for m in params:
        if m.start() >= end:  # a later link: its line starts after the previous one's end
            line = joined.rfind("\n", max(end, 0), m.start())
            end = joined.find("\n", line + 1)
            end = end if end >= 0 else len(joined)
        if line not in hits:
            href = joined[line + 1: end]
            hits[line] = domain_of_host(host_of_url(href)) or "link"
    # In link order, so that ties in the evidence do not depend on the hash seed.
    return len(hits), Counter(hits[k] for k in sorted(hits))


def _features(page: Page, tally: _Tally, src_repeats: Counter[str],
              blocked_ads: Counter[str], trackers: Counter[str]) -> Features:
    out = Features()
    names = sorted(tally.nets, key=lambda n: (-tally.slots(n), n))
    slots = {n: tally.slots(n) for n in names}

    def label(n: str) -> str:
        hosts = tally.hosts.get(n)
        where = f" ({hosts.most_common(1)[0][0]})" if hosts else ""
        return f"{n} x{slots[n]}{where}"

    named_elements = sum(tally.elements(n) for n in names)
    easylist = sum(blocked_ads.values())
    n_trackers = sum(trackers.values())
    total_slots = sum(slots.values()) + easylist
    words = len(page.words)

    out.set("ads.elements", named_elements + easylist,
            *(label(n) for n in names[:5]), *(f"EasyList: {h} x{c}" for h, c in blocked_ads.most_common(3)))
    out.set("ads.elements_sat", min((named_elements + easylist) / 20, 1.0))
    out.set("ads.named_elements", named_elements, *(label(n) for n in names[:8]))
    out.set("ads.named_elements_sat", min(named_elements / 20, 1.0))
    out.set("ads.networks", len(names),
            *(f"{n} ({tally.nets[n].category})" for n in names[:8]))
    out.set("ads.networks_sat", min(len(names) / 5, 1.0))
    out.set("ads.slots", total_slots, *(label(n) for n in names[:8]))
    out.set("ads.slots_sat", min(total_slots / 10, 1.0))

    density = 1000.0 * total_slots / max(words, _MIN_WORDS)
    out.set("ads.per_1000_words", density,
            f"{total_slots} ad slots for {words} words of main text" if total_slots else "")
    out.set("ads.per_1000_words_sat", min(density / 20, 1.0))

    heavy = [n for n in names if tally.nets[n].category in HEAVY_CATEGORIES]
    heavy_slots = sum(slots[n] for n in heavy)
    out.set("ads.adult_pop_share", safe_div(heavy_slots, sum(slots.values())),
            *(f"{label(n)} [{tally.nets[n].category}]" for n in heavy))
    out.set("ads.heavy_networks", min(len(heavy) / 2, 1.0),
            *(f"{n} ({tally.nets[n].category})" for n in heavy))

    # A grid: one network's slot elements (<ins>, <iframe>) or one ad loader URL pasted again
    # and again. Inline calls alone do not count: a newspaper pushes one GPT call per slot.
    slot_els = {n: max(tally.kinds[n]["ins"], tally.kinds[n]["iframe"]) for n in names}
    grid_net = max(slot_els, key=lambda n: slot_els[n], default="")
    grid_n = slot_els.get(grid_net, 0)
    top_src, top_src_n = src_repeats.most_common(1)[0] if src_repeats else ("", 0)
    top = max(grid_n, top_src_n)
    grid_ev = []
    if grid_n >= 4:
        grid_ev.append(f"{grid_net}: {grid_n} ad slots")
    if top_src_n >= 4:
        grid_ev.append(f"{_short(top_src)} loaded {top_src_n} times")
    out.set("ads.repeated_grid", clip((top - 2) / 4), *grid_ev)

    native = [n for n in names if tally.nets[n].category == "native"]
    out.set("ads.native_widgets", min(len(native) / 2, 1.0), *native)

    out.set("ads.easylist_elements", easylist,
            *(f"EasyList: {h} x{c}" for h, c in blocked_ads.most_common(5)))
    out.set("ads.easylist_elements_sat", min(easylist / 10, 1.0))
    out.set("ads.trackers", n_trackers,
            *(f"EasyPrivacy: {h} x{c}" for h, c in trackers.most_common(5)))
    out.set("ads.trackers_sat", min(n_trackers / 10, 1.0))

    n_aff, by = _affiliate_links(page)
    out.set("ads.affiliate_links", n_aff, *(f"{k} x{c}" for k, c in by.most_common(5)))
    out.set("ads.affiliate_links_sat", min(n_aff / 10, 1.0))
    out.set("ads.affiliate_link_share", safe_div(n_aff, max(len(page.links), 10)),
            f"{n_aff} of {len(page.links)} links are affiliate links" if n_aff else "")
    return out


def _short(url: str, limit: int = 60) -> str:
    url = url.split("://", 1)[-1]
    return url if len(url) <= limit else url[: limit - 3] + "..."
