"""Probe a site from one URL or domain: read a few of its pages politely, then judge the site.

>>> from detector import probe_site
>>> r = probe_site("example.com")                     # doctest: +SKIP
>>> r.outcome, r.verdict.label, r.verdict.probability, [p["url"] for p in r.pages_read]

Order of requests (each through :class:`detector.sources.crawl.Crawler`: robots.txt honoured,
one request at a time with a delay, request/time/byte budgets, fetch's address and size guards):

1. ``/robots.txt`` (no answer at all: the domain is ``dead``);
2. the home page (a redirect to another registrable domain: ``redirects``, the domain named;
   a parking or for-sale page: ``parked``, :mod:`detector.sites.parked`);
3. the WordPress REST API (``/wp-json/wp/v2/posts``, when the home page is a WordPress one):
   one request gives up to N rendered posts with their dates, authors and categories;
4. the sitemaps robots.txt names (else ``/sitemap.xml``), a sitemap index's first children;
5. the RSS/Atom feeds the home page announces;
6. then pages from those lists (newest first, alternating between lists) and the home
   page's own links, until N pages are read or a budget is spent.

The pages go through the site roll-up (:func:`detector.sites.page_facts`, ``roll_up``,
``judge_all``) like any other pages: every site signal applies to them. (This module sits
beside :mod:`detector.api`, not inside ``detector/sites/``: it uses that package's public
functions, which a module of the package itself may not import.)
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from detector.errors import FarmscanError, FetchError, UsageError
from detector.options import DEFAULT_OPTIONS, Options
from detector.sites import judge_all, page_facts, roll_up
from detector.sites.grouping import site_of
from detector.sites.model import SiteModel, load_site_model
from detector.sites.parked import parked_evidence
from detector.sites.verdict import SiteVerdict
from detector.sources.crawl import (
    Budget,
    BudgetSpent,
    Crawler,
    Entry,
    Fetched,
    Unreachable,
    article_links,
    feed_links,
    parse_feed,
    parse_sitemap,
    wp_api_root,
)
from detector.sources.document import Document
from detector.sources.load import pages_from_bytes
from detector.sources.wp_json import is_wp_post, page_from_wp_post

OUTCOMES = ("scored", "dead", "parked", "redirects", "failed")
# Requests beyond the pages themselves: robots.txt, the home page, the WordPress API, a
# sitemap and two of its children, two feeds.
DISCOVERY_REQUESTS = 8
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


@dataclass
class ProbeResult:
    """What probing one input found. ``verdict`` is always a :class:`SiteVerdict` (label
    ``None`` and a ``note`` for every outcome but ``scored``)."""

    input: str
    site: str
    outcome: str
    verdict: SiteVerdict
    reason: str | None = None
    redirects_to: str | None = None
    redirect_url: str | None = None
    evidence: list[str] = field(default_factory=list)
    pages_read: list[dict[str, Any]] = field(default_factory=list)
    found: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0
    delay: float = 0.0
    stopped_by: str | None = None

    @property
    def flagged(self) -> bool:
        return self.outcome == "scored" and self.verdict.label == "farm"

    def probe_dict(self) -> dict[str, Any]:
        return {
            "input": self.input, "outcome": self.outcome, "reason": self.reason,
            "redirects_to": self.redirects_to, "redirect_url": self.redirect_url, "evidence": self.evidence,
            "pages_read": self.pages_read, "found": self.found, "requests": self.requests, "bytes": self.bytes,
            "seconds": round(self.seconds, 2), "delay": self.delay, "stopped_by": self.stopped_by,
        }

    def to_dict(self, *, pages: bool = False) -> dict[str, Any]:
        """The site JSON record (:meth:`SiteVerdict.to_dict`) plus the probe's own fields."""
        return {**self.verdict.to_dict(pages=pages), **self.probe_dict()}


def start_urls(target: str) -> list[str]:
    """``example.com`` -> its https and http home pages; a URL -> itself."""
    t = target.strip()
    if not t:
        raise UsageError("empty URL or domain")
    if "://" in t:
        parts = urlsplit(t)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"not an http(s) URL or a domain: {target!r}")
        return [t if parts.path else t + "/"]
    host = t.split("/", 1)[0]
    if not host or any(c in host for c in " \t@"):
        raise UsageError(f"not an http(s) URL or a domain: {target!r}")
    return [f"https://{host}/", f"http://{host}/"]


def _empty_verdict(site: str, note: str, model: SiteModel) -> SiteVerdict:
    return SiteVerdict(site=site, label=None, probability=None, pages=0, pages_flagged=0, errors=0, kind=None,
                       kind_signals=[], signals=[], examples=[], model=model.id, threshold=model.threshold, note=note)


class _Probe:
    def __init__(self, target: str, options: Options, model: SiteModel, resolve: dict[str, str] | None) -> None:
        self.target = target
        self.options = options
        self.model = model
        self.budget = Budget(options.probe_pages + DISCOVERY_REQUESTS, options.probe_seconds, options.probe_bytes)
        self.crawler = Crawler(self.budget, options=options, delay=options.probe_delay, resolve=resolve)
        self.docs: list[tuple[Document, str]] = []  # (document, where it was found)
        self.seen: set[str] = set()
        self.found: dict[str, int] = {}
        self.stopped_by: str | None = None

    def result(self, site: str, outcome: str, verdict: SiteVerdict | None = None, **kw: Any) -> ProbeResult:
        reason = kw.pop("reason", None)
        v = verdict or _empty_verdict(site, f"{outcome}: {reason}" if reason else outcome, self.model)
        return ProbeResult(input=self.target, site=site, outcome=outcome, verdict=v, reason=reason,
                           found=self.found, requests=self.budget.requests, bytes=self.budget.bytes,
                           seconds=time.monotonic() - self.budget.started, delay=self.crawler.delay,
                           stopped_by=self.stopped_by, **kw)

    # ---- requests that may fail without ending the probe ----------------------------------
    def _get(self, url: str) -> Fetched | None:
        if self.stopped_by:
            return None
        try:
            got = self.crawler.get(url)
        except BudgetSpent as exc:
            self.stopped_by = str(exc)
            return None
        except FetchError:
            return None
        return got if got.redirect_to is None and got.status < 400 else None

    def _text(self, got: Fetched) -> str:
        return got.body.decode(got.charset or "utf-8", "replace")

    def _add(self, doc: Document, source: str) -> None:
        key = (doc.page.url if doc.page is not None and doc.page.url else doc.input).rstrip("/")
        if key in self.seen:
            return
        self.seen.add(key)
        self.docs.append((doc, source))

    # ---- discovery ---------------------------------------------------------------------
    def wp_posts(self, root: str, home_html: str) -> None:
        api = wp_api_root(home_html, root)
        if api is None and "/wp-content/" not in home_html and "/wp-includes/" not in home_html:
            return
        api = api or urljoin(root, "/wp-json/")
        want = min(100, max(1, self.options.probe_pages - len(self.docs)))
        got = self._get(urljoin(api.rstrip("/") + "/", f"wp/v2/posts?per_page={want}&_embed=author,wp:term"))
        if got is None:
            return
        try:
            posts = json.loads(self._text(got))
        except (json.JSONDecodeError, RecursionError, ValueError):
            return
        if not isinstance(posts, list):
            return
        n = 0
        for i, post in enumerate(posts[:want]):
            if not is_wp_post(post):
                continue
            _embedded_author(post)
            link = post.get("link") if isinstance(post.get("link"), str) else None
            page = page_from_wp_post(post, link)
            terms = _embedded_terms(post)
            if terms:
                page.meta_extra["wp_terms"] = terms
            self._add(Document(link or f"{api}#post-{i}", page), "wp-json")
            n += 1
        self.found["wp-json"] = n

    def sitemaps(self, root: str) -> list[Entry]:
        urls = self.crawler.sitemaps_from_robots()[:2] or [urljoin(root, "/sitemap.xml")]
        entries: list[Entry] = []
        kids: list[str] = []
        for u in urls[:1]:
            got = self._get(u)
            if got is not None:
                pages, kids = parse_sitemap(self._text(got), got.url)
                entries += pages
        for u in kids[:2]:
            got = self._get(u)
            if got is not None:
                entries += parse_sitemap(self._text(got), got.url)[0]
        self.found["sitemap"] = len(entries)
        return sorted(entries, key=lambda e: e.date or "", reverse=True)

    def feeds(self, home_html: str, root: str) -> list[Entry]:
        entries: list[Entry] = []
        for u in feed_links(home_html, root)[:2]:
            got = self._get(u)
            if got is not None:
                entries += parse_feed(self._text(got), got.url)
        self.found["feed"] = len(entries)
        return entries

    def read_page(self, url: str, source: str, entry: Entry | None = None) -> None:
        got = self._get(url)
        if got is None:
            return
        ctype = got.content_type.split(";")[0].strip().lower()
        if ctype not in _HTML_TYPES:
            return
        try:
            docs = list(pages_from_bytes(got.body, url=got.url, name=got.url, options=self.options,
                                         http_charset=got.charset, truncated=got.truncated))
        except FarmscanError:
            return
        for doc in docs[:1]:
            if doc.page is not None and entry is not None:
                # What the list said of the page (a feed's date and author, a sitemap's lastmod).
                if entry.date:
                    doc.page.meta_extra.setdefault("listed_date", entry.date)
                if entry.author:
                    doc.page.meta_extra.setdefault("listed_author", entry.author)
            self._add(doc, source)

    # ---- the probe -----------------------------------------------------------------------
    def run(self) -> ProbeResult:
        starts = start_urls(self.target)
        site = site_of(starts[0])
        robots_error: str | None = None
        start = starts[0]
        for i, start in enumerate(starts):
            try:
                self.crawler.read_robots(start)
                robots_error = None
                break
            except Unreachable as exc:
                robots_error = str(exc)
                if i + 1 == len(starts):
                    return self.result(site, "dead", reason=robots_error)
            except BudgetSpent as exc:
                self.stopped_by = str(exc)
                return self.result(site, "failed", reason=str(exc))
            except FetchError as exc:
                return self.result(site, "failed", reason=str(exc))
        try:
            home = self.crawler.get(start)
        except Unreachable as exc:
            return self.result(site, "dead", reason=str(exc))
        except BudgetSpent as exc:
            self.stopped_by = str(exc)
            return self.result(site, "failed", reason=str(exc))
        except FetchError as exc:
            return self.result(site, "failed", reason=str(exc))
        if home.redirect_to is not None:
            other = site_of(home.redirect_to)
            return self.result(site, "redirects", reason=f"the home page redirects to {other}",
                               redirects_to=other, redirect_url=home.redirect_to)
        if home.status >= 400:
            return self.result(site, "failed", reason=f"HTTP {home.status} for {home.url}")
        try:
            home_docs = list(pages_from_bytes(home.body, url=home.url, name=home.url, options=self.options,
                                              http_charset=home.charset, truncated=home.truncated))
        except FarmscanError as exc:
            return self.result(site, "failed", reason=f"the home page is unreadable: {exc.one_line()}")
        home_doc = home_docs[0] if home_docs else None
        if home_doc is None or home_doc.page is None:
            return self.result(site, "failed", reason="the home page is unreadable")
        evidence = parked_evidence(home_doc.page)
        if evidence:
            return self.result(site, "parked", reason="a parking or for-sale page", evidence=evidence)
        root = home.url
        home_html = home_doc.page.html or ""
        # The site's home page is a listing (judged only when nothing else is read); a page
        # URL given as the start is an article like any other.
        self._add(home_doc, "home" if urlsplit(home.url).path in ("", "/") else "start")
        self.wp_posts(root, home_html)
        lists: list[tuple[str, list[Entry]]] = []
        if len(self.docs) < self.options.probe_pages:
            lists.append(("sitemap", self.sitemaps(root)))
            lists.append(("feed", self.feeds(home_html, root)))
        links = article_links([ln.href for ln in home_doc.page.links], site, root)
        self.found["links"] = len(links)
        lists.append(("link", [Entry(u) for u in links]))
        for source, entry in _alternate(lists):
            if len(self.docs) >= self.options.probe_pages or self.stopped_by:
                break
            if entry.url.rstrip("/") in self.seen or site_of(entry.url) != site or not self.crawler.allowed(entry.url):
                continue
            self.read_page(entry.url, source, entry)
        return self.judge(site)

    def judge(self, site: str) -> ProbeResult:
        # The home page is a listing, not an article: it is judged only when nothing else was read.
        docs = [(d, s) for d, s in self.docs if s != "home"] or self.docs
        sources = {doc.input: source for doc, source in docs}
        facts = list(page_facts([d for d, _ in docs], options=self.options,
                                loader=lambda src, url, options: iter([src])))
        verdicts = judge_all(roll_up(facts), site_model=self.model, keep_pages=True)
        mine = [v for v in verdicts if v.site == site] or sorted(verdicts, key=lambda v: -v.pages)
        read = [{"url": f.url or f.input, "found_in": sources.get(f.input, "?"),
                 "probability": None if f.probability is None else round(f.probability, 4), "label": f.label,
                 "error": f.error} for f in facts]
        if not mine:
            return self.result(site, "failed", reason="no page could be read", pages_read=read)
        return self.result(site, "scored", mine[0], pages_read=read)


def _alternate(lists: list[tuple[str, list[Entry]]]) -> list[tuple[str, Entry]]:
    """Entries taken in turn from each list (a site's sitemap, feed and links all get a say)."""
    out = []
    for i in range(max((len(entries) for _, entries in lists), default=0)):
        for source, entries in lists:
            if i < len(entries):
                out.append((source, entries[i]))
    return out


def _embedded_author(post: dict[str, Any]) -> None:
    """``_embed=author`` puts the author's name under ``_embedded``: copy it where
    :func:`page_from_wp_post` reads it."""
    if isinstance(post.get("author_info"), dict):
        return
    emb = post.get("_embedded")
    authors = emb.get("author") if isinstance(emb, dict) else None
    if isinstance(authors, list) and authors and isinstance(authors[0], dict) and isinstance(authors[0].get("name"), str):
        post["author_info"] = {"display_name": authors[0]["name"]}


def failed_result(target: str, reason: str, model: SiteModel) -> ProbeResult:
    """The record of an input that could not be probed at all (not a URL or domain, a bug)."""
    return ProbeResult(input=target, site=target, outcome="failed", reason=reason,
                       verdict=_empty_verdict(target, f"failed: {reason}", model))


def _embedded_terms(post: dict[str, Any]) -> list[str]:
    """Category and tag names ``_embed=wp:term`` put under ``_embedded``."""
    emb = post.get("_embedded")
    groups = emb.get("wp:term") if isinstance(emb, dict) else None
    out: list[str] = []
    for group in groups if isinstance(groups, list) else []:
        for term in group if isinstance(group, list) else []:
            if isinstance(term, dict) and isinstance(term.get("name"), str):
                out.append(term["name"][:80])
    return out[:50]


def probe_site(url: str, *, options: Options | None = None, site_model: SiteModel | str | None = None,
               resolve: dict[str, str] | None = None) -> ProbeResult:
    """Probe the site of ``url`` (a URL or a bare domain) and judge it from the pages read.

    Budgets and politeness come from ``options`` (``probe_pages``, ``probe_delay``,
    ``probe_seconds``, ``probe_bytes``, plus ``timeout``, ``max_bytes``, ``allow_private``,
    ``user_agent``). ``resolve`` pins host names to addresses (``{"host": "addr"}``, as
    ``curl --resolve``). Never raises for what a site does: the outcome says it
    (``dead``, ``parked``, ``redirects``, ``failed`` or ``scored``); a bad ``url`` raises
    :class:`~detector.errors.UsageError`.
    """
    options = options or DEFAULT_OPTIONS
    model = site_model if isinstance(site_model, SiteModel) else load_site_model(site_model)
    return _Probe(url, options, model, resolve).run()
