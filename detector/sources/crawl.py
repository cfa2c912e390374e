"""A small polite crawler for probing one site: robots.txt, sitemaps, feeds, the WordPress REST
API and home-page links, one request at a time, within request, time and byte budgets.

Every request goes through the guards of :mod:`detector.sources.fetch`: http(s) only, every
address the host resolves to checked (private addresses refused unless ``allow_private``), the
connection pinned to the checked address, one deadline over the whole exchange
(:class:`~detector.sources.fetch_guard.DeadlineTransport`) and the size cap applied inside
content decoding (:class:`~detector.sources.fetch_guard.BodyDecoder`). On top of them:

* **robots.txt** is read first and honoured (``urllib.robotparser``; ``Crawl-delay`` raises the
  delay, up to :data:`MAX_CRAWL_DELAY`); a missing robots.txt (4xx) allows everything, a 5xx
  one forbids everything (RFC 9309).
* **one request at a time per host**, at least ``delay`` seconds apart;
* **budgets**: at most ``max_requests`` requests, ``seconds`` of wall time and ``max_bytes``
  bytes (decoded) for the whole site; a request never starts once one is spent, and each
  request's size cap and deadline are clamped to what is left.
* **redirects** are followed within the site (same registrable domain) and checked hop by hop;
  a redirect to another site is not followed: it is reported (:attr:`Fetched.redirect_to`).

``resolve`` pins host names to addresses (as ``curl --resolve``): the address checks still
apply to a pinned address. The tests use it to serve several named sites from 127.0.0.1.
"""

from __future__ import annotations

import html
import ipaddress
import re
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from detector.errors import FetchError
from detector.options import DEFAULT_OPTIONS, Options
from detector.sites.grouping import site_of
from detector.sources.decode import charset_from_content_type
from detector.sources.fetch import _pinned, _resolve, address_allowed
from detector.sources.fetch_guard import ACCEPT_ENCODING, BodyDecoder, DeadlineTransport

MAX_CRAWL_DELAY = 10.0
ROBOTS_AGENT = "farmscan"
MAX_LOCS = 500  # URLs read from one sitemap or feed


class Unreachable(FetchError):
    """The host did not answer at all: its name does not resolve or the connection failed."""


class BudgetSpent(FetchError):
    """A request was not made: the site's request, time or byte budget is spent."""


@dataclass
class Fetched:
    url: str  # the URL the body came from (after same-site redirects)
    status: int
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None
    truncated: bool = False
    redirect_to: str | None = None  # a redirect to another site, not followed


@dataclass
class Budget:
    max_requests: int
    seconds: float
    max_bytes: int
    requests: int = 0
    bytes: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def end(self) -> float:
        return self.started + self.seconds

    def spent(self) -> str | None:
        """Which budget is spent (``None`` while every one has something left)."""
        if self.requests >= self.max_requests:
            return f"request budget spent ({self.max_requests} requests)"
        if time.monotonic() >= self.end:
            return f"time budget spent ({self.seconds:g} s)"
        if self.bytes >= self.max_bytes:
            return f"byte budget spent ({self.max_bytes} bytes)"
        return None


class Crawler:
    """Requests to one site, in order, one at a time, within one :class:`Budget`."""

    def __init__(self, budget: Budget, *, options: Options = DEFAULT_OPTIONS, delay: float = 1.0,
                 resolve: Mapping[str, str] | None = None) -> None:
        self.budget = budget
        self.options = options
        self.delay = delay
        self.resolve = {k.lower(): v for k, v in (resolve or {}).items()}
        self.robots: RobotFileParser | None = None
        self._last: dict[str, float] = {}
        self.log: list[tuple[str, int | str]] = []  # (url, status or error) of every request

    # ---- one request -----------------------------------------------------------------
    def _address(self, host: str, port: int, deadline: float) -> str:
        pinned = self.resolve.get(host.lower())
        if pinned is not None:
            candidates = [pinned]
        else:
            try:
                candidates = [info[4][0].split("%")[0] for info in _resolve(host, port, deadline)]
            except (socket.gaierror, UnicodeError) as exc:
                raise Unreachable(f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}") from None
            except FetchError as exc:
                raise Unreachable(str(exc)) from None
        if not candidates:
            raise Unreachable(f"cannot resolve {host}: no addresses")
        for ip in candidates:
            if not self.options.allow_private and not address_allowed(ipaddress.ip_address(ip)):
                raise FetchError(f"refused to fetch {host}: it resolves to a non-public address ({ip}); "
                                 "use --allow-private to permit it")
        return candidates[0]

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = last + self.delay - time.monotonic()
            if pause > 0:
                if time.monotonic() + pause >= self.budget.end:
                    raise BudgetSpent(f"time budget spent ({self.budget.seconds:g} s)")
                time.sleep(pause)

    def get(self, url: str, *, check_robots: bool = True) -> Fetched:
        """GET ``url`` within the budgets; HTTP errors come back as a status, not an exception.

        Raises :class:`Unreachable` (no DNS answer, connection refused or timed out),
        :class:`BudgetSpent`, or :class:`FetchError` (refused address, bad URL, encoding).
        """
        current = url
        for _hop in range(self.options.max_redirects + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https"):
                raise FetchError(f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
            try:
                host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError as exc:
                raise FetchError(f"bad URL {current!r}: {exc}") from None
            if not host:
                raise FetchError(f"URL has no host: {current}")
            if check_robots and not self.allowed(current):
                raise FetchError(f"robots.txt forbids {current}")
            why = self.budget.spent()
            if why:
                raise BudgetSpent(why)
            self._wait(host)
            deadline = min(time.monotonic() + self.options.timeout, self.budget.end)
            ip = self._address(host, port, deadline)
            result = self._one(current, ip, deadline, host)
            if result.redirect_to is None:
                return result
            target = result.redirect_to
            if site_of(target) != site_of(current) or urlsplit(target).scheme not in ("http", "https"):
                return result  # another site: named, not followed
            current = target
        raise FetchError(f"more than {self.options.max_redirects} redirects fetching {url}")

    def _one(self, url: str, ip: str, deadline: float, host: str) -> Fetched:
        target, extra_headers, extensions = _pinned(url, ip)
        headers = {"User-Agent": self.options.user_agent, "Accept-Encoding": ACCEPT_ENCODING,
                   "Accept": "text/html,application/xhtml+xml,application/xml,application/json;q=0.9,*/*;q=0.5",
                   **extra_headers}
        cap = max(1, min(self.options.max_bytes, self.budget.max_bytes - self.budget.bytes))
        self.budget.requests += 1
        clean = _pinned(url, None)[0]
        try:
            with httpx.Client(transport=DeadlineTransport(deadline), follow_redirects=False,
                              timeout=max(0.01, deadline - time.monotonic()), trust_env=False) as client, \
                    client.stream("GET", target, headers=headers, extensions=extensions) as resp:
                if resp.is_redirect:
                    loc = resp.headers.get("location", "")
                    if not loc:
                        raise FetchError(f"redirect without Location from {clean}")
                    self.log.append((clean, resp.status_code))
                    return Fetched(clean, resp.status_code, redirect_to=urljoin(clean, loc))
                body = bytearray()
                decoder = BodyDecoder(resp.headers.get("content-encoding", ""), cap)
                for chunk in resp.iter_raw():
                    body += decoder.feed(chunk)
                    if decoder.done or time.monotonic() > deadline:
                        break
                else:
                    body += decoder.finish(deadline)
                truncated = decoder.done or len(body) > cap
                del body[cap:]
                self.budget.bytes += len(body)
                ctype = resp.headers.get("content-type", "")
                self.log.append((clean, resp.status_code))
                return Fetched(clean, resp.status_code, bytes(body), ctype, charset_from_content_type(ctype), truncated)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            self.log.append((clean, "unreachable"))
            raise Unreachable(f"cannot connect to {host}: {exc.__class__.__name__}: {exc}") from None
        except httpx.TimeoutException:
            self.log.append((clean, "timeout"))
            raise FetchError(f"timed out fetching {clean}") from None
        except httpx.HTTPError as exc:
            self.log.append((clean, "error"))
            raise FetchError(f"cannot fetch {clean}: {exc.__class__.__name__}: {exc}") from None
        finally:
            self._last[host] = time.monotonic()

    # ---- robots.txt --------------------------------------------------------------------
    def read_robots(self, root: str) -> Fetched | None:
        """Fetch and parse ``root``/robots.txt (the first request to a site). Returns the response
        (``None`` when it redirected away); raises :class:`Unreachable` when the host is dead."""
        rp = RobotFileParser()
        got = self.get(urljoin(root, "/robots.txt"), check_robots=False)
        if got.redirect_to is not None or 400 <= got.status < 500:
            rp.allow_all = True
        elif got.status >= 500:
            rp.disallow_all = True
        else:
            text = got.body.decode(got.charset or "utf-8", "replace")
            rp.parse(text.splitlines())
            delay = rp.crawl_delay(ROBOTS_AGENT)
            if delay:
                self.delay = max(self.delay, min(float(delay), MAX_CRAWL_DELAY))
        rp.modified()  # mark as read: can_fetch answers False for a parser never read
        self.robots = rp
        return got

    def allowed(self, url: str) -> bool:
        return self.robots is None or self.robots.can_fetch(ROBOTS_AGENT, url)

    def sitemaps_from_robots(self) -> list[str]:
        return list(self.robots.site_maps() or []) if self.robots is not None else []


# ---- what sitemaps, feeds and pages list -------------------------------------------------

# Sitemaps, feeds and head links are read with patterns whose every repetition is bounded and
# with blocks found by plain string search, so a hostile body (a million unclosed tags) costs
# time linear in its length, never quadratic; no XML parser sees it (no entities, no DTD).
_CDATA = re.compile(r"<!\[CDATA\[(.{0,8000}?)\]\]>", re.S)
_LOC = re.compile(r"<loc>\s*(.{0,4000}?)\s*</loc>", re.S | re.I)
_LASTMOD = re.compile(r"<lastmod>\s*([^<]{0,100})</lastmod>", re.I)
_TAG = {name: re.compile(rf"<{name}(?:\s[^<>]{{0,500}})?>(.{{0,4000}}?)</{name}>", re.S | re.I)
        for name in ("link", "pubDate", "published", "updated", "dc:date", "dc:creator", "author", "name", "title")}
_ATOM_LINK = re.compile(r"<link\b([^<>]{0,2000})>", re.I)
_ATTR = re.compile(r"""([a-zA-Z:-]{1,40})\s*=\s*("[^"]{0,2000}"|'[^']{0,2000}'|[^\s>]{1,2000})""")
MAX_BLOCK = 200_000  # characters of one <url>, <item> or <entry> block
FIELDS = 32_768  # characters of a block searched for its fields


def _blocks(text: str, names: tuple[str, ...], limit: int = MAX_LOCS) -> list[str]:
    """The bodies of ``<name ...>...</name>`` blocks, in order, by string search."""
    start = re.compile("<({})[\\s>]".format("|".join(re.escape(n) for n in names)), re.I)
    closes = {n: re.compile(f"</{re.escape(n)}>", re.I) for n in names}
    out: list[str] = []
    pos = 0
    while len(out) < limit:
        m = start.search(text, pos)
        if m is None:
            break
        close = closes[next(n for n in names if n.lower() == m.group(1).lower())].search(text, m.end())
        if close is None:
            break
        if close.start() - m.end() <= MAX_BLOCK:
            out.append(text[m.end():close.start()][:FIELDS])
        pos = close.end()
    return out


def _text(s: str) -> str:
    s = _CDATA.sub(lambda m: m.group(1), s)
    return html.unescape(re.sub(r"<[^>]+>", "", s)).strip()


def _attrs(tag: str) -> dict[str, str]:
    return {k.lower(): html.unescape(v.strip("\"'")) for k, v in _ATTR.findall(tag)}


@dataclass
class Entry:
    """A URL a sitemap or feed lists, with what it says of it."""

    url: str
    date: str | None = None
    author: str | None = None
    title: str | None = None


def parse_sitemap(text: str, base: str) -> tuple[list[Entry], list[str]]:
    """``(pages, child sitemaps)`` of a sitemap or sitemap index (read with patterns, never
    handed to an XML parser: no entities, no external references)."""
    if re.search(r"<sitemapindex[\s>]", text[:4096], re.I):
        kids = [urljoin(base, _text(m)) for block in _blocks(text, ("sitemap",)) for m in _LOC.findall(block)[:1]]
        return [], kids
    out = []
    for block in _blocks(text, ("url",)):
        loc = _LOC.search(block)
        if loc:
            mod = _LASTMOD.search(block)
            out.append(Entry(urljoin(base, _text(loc.group(1))), _text(mod.group(1)) if mod else None))
    return out, []


def parse_feed(text: str, base: str) -> list[Entry]:
    """Items of an RSS 2.0 or Atom feed: link, date, author, title."""
    out = []
    for body in _blocks(text, ("item", "entry")):
        link = None
        for m in _ATOM_LINK.finditer(body):
            a = _attrs(m.group(1))
            if a.get("href") and a.get("rel", "alternate") == "alternate":
                link = a["href"]
                break
        if link is None:
            m = _TAG["link"].search(body)
            link = _text(m.group(1)) if m else None
        if not link:
            continue
        date = author = title = None
        for name in ("pubDate", "published", "dc:date", "updated"):
            m = _TAG[name].search(body)
            if m:
                date = _text(m.group(1))
                break
        for name in ("dc:creator", "author"):
            m = _TAG[name].search(body)
            if m:
                inner = _TAG["name"].search(m.group(1))
                author = _text(inner.group(1) if inner else m.group(1)) or None
                break
        m = _TAG["title"].search(body)
        title = _text(m.group(1)) if m else None
        out.append(Entry(urljoin(base, link), date, author, title))
    return out


_HEAD_LINK = re.compile(r"<link\b([^<>]{0,2000})>", re.I)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


def feed_links(html_text: str, base: str) -> list[str]:
    """The feeds a page announces (``<link rel=alternate type=application/rss+xml href=...>``)."""
    out = []
    for m in _HEAD_LINK.finditer(html_text[:200_000]):
        a = _attrs(m.group(1))
        if "alternate" in a.get("rel", "").lower().split() and a.get("type", "").lower() in FEED_TYPES[:2] \
                and a.get("href"):
            out.append(urljoin(base, a["href"]))
    return list(dict.fromkeys(out))


def wp_api_root(html_text: str, base: str) -> str | None:
    """The WordPress REST API root a page announces (``<link rel="https://api.w.org/">``)."""
    for m in _HEAD_LINK.finditer(html_text[:200_000]):
        a = _attrs(m.group(1))
        if a.get("rel", "").strip() == "https://api.w.org/" and a.get("href"):
            return urljoin(base, a["href"])
    return None


_SKIP_PATH = re.compile(
    r"/(?:tag|tags|category|categories|author|page|feed|wp-admin|wp-login\.php|wp-json|login|register|cart|"
    r"search|cdn-cgi|xmlrpc\.php)(?:/|$)|\.(?:jpe?g|png|gif|webp|svg|ico|css|js|pdf|zip|xml|rss|mp[34]|woff2?)$",
    re.I,
)


def article_links(hrefs: list[str], site: str, home: str) -> list[str]:
    """Same-site http(s) links that may be articles: not the home page, archives, feeds or files."""
    out = []
    home_key = home.split("#")[0].rstrip("/")
    for href in hrefs:
        href = href.split("#", 1)[0]
        if not href.startswith(("http://", "https://")) or site_of(href) != site:
            continue
        path = urlsplit(href).path or "/"
        if href.rstrip("/") == home_key or path == "/" or _SKIP_PATH.search(path):
            continue
        out.append(href)
    return list(dict.fromkeys(out))
