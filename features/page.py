"""The parsed page every extractor reads.

A :class:`Page` is built once per input (by ``detector.sources.load``) and parsed
once, with Lexbor through resiliparse. Everything an extractor needs is a
lazily computed attribute, so a signal that is never asked for costs nothing.

Pure: no I/O, no model, nothing from ``detector``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

from features._guards import cap_tags, too_deep
from features._parse_guard import defuse
from features.domains import registrable_domain

_WORD_RE = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
# What urljoin normalises and a plain concatenation would not: dot segments, backslashes,
# an empty query or fragment, and the tabs and newlines it strips.
_NEEDS_URLJOIN = re.compile(r"/\.|\\|\?#|[?#]$|[\t\r\n]")
# A scheme urljoin never joins against an http(s) base.
_OTHER_SCHEME_RE = re.compile(r"(?!https?:)[a-zA-Z][a-zA-Z0-9+.-]*:", re.I)
# Where :attr:`Page.address` came from: the caller, a loader reading the input's own URL
# (a WordPress post's ``link``, a WARC record's target URI), or the page's markup.
URL_SOURCES = ("given", "wp-link", "warc", "canonical", "og:url", "base")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Every element the markup attributes read, fetched with one selector query.
_MARKUP_SELECTORS = {"meta": "meta", "script": "script", "iframe": "iframe", "ins": "ins",
                     "img": "img", "a": "a[href]", "link": "link[rel]", "base": "base[href]"}
_MARKUP_TAGS = tuple(_MARKUP_SELECTORS)
# Element texts a page may read, in all (Page.node_text): this many times its HTML's length,
# plus a constant; never reached by a page whose elements do not nest pathologically.
TEXT_ALLOWANCE = 4
TEXT_ALLOWANCE_BASE = 200_000
# A page whose main-content extraction keeps nothing although it shows this many words has an
# article the extractor could not find (frames of tables, script-built layouts): its main text is
# then all its visible text, not none (parked pages show ~120 words; 33 corpus originals of
# 200-11,000 words had an empty main text and read as empty pages).
MAIN_FALLBACK_WORDS = 200
_MARKUP_SELECTOR = ", ".join(_MARKUP_SELECTORS.values())


@dataclass(frozen=True)
class Element:
    """One element of interest: its tag, attributes and (short) text."""

    tag: str
    attrs: dict[str, str]
    text: str = ""

    def get(self, name: str, default: str = "") -> str:
        return self.attrs.get(name, default)


@dataclass(frozen=True)
class Link:
    href: str  # absolute when the page URL is known
    text: str
    rel: str = ""


@dataclass
class Page:
    """One web page, parsed once.

    Build it with :func:`parse_html` or :func:`from_text`; source adapters (WordPress
    JSON, WARC records, a BeautifulSoup a crawler holds) fill ``meta_extra``.
    """

    url: str | None
    kind: str  # "html", "text" or "wp-json"
    html: str | None = None
    raw_text: str | None = None
    given_title: str | None = None
    given_tags: tuple[str, ...] = ()
    given_author: str | None = None
    meta_extra: dict[str, Any] = field(default_factory=dict)
    truncated: bool = False
    # Set by a loader that took ``url`` from the input itself ("wp-link", "warc");
    # ``None`` when the caller gave it.
    url_from: str | None = None

    # ---- parsing -----------------------------------------------------------------
    def for_this_thread(self) -> Page:
        """This page, or an unparsed copy of it when it was parsed in another thread.

        The parsed tree (Lexbor, through resiliparse) belongs to the thread that parsed it:
        touching it from another thread panics. A copy parses again in the calling thread
        and gives the same features. Two threads must not use one page at the same time.
        """
        owner = self.__dict__.get("_parsed_in")
        if owner is None or owner == threading.get_ident():
            return self
        return replace(self, meta_extra=dict(self.meta_extra))

    @cached_property
    def tree(self) -> HTMLTree | None:
        if self.html is None:
            return None
        html, cut = cap_tags(self.html)
        html, defused = defuse(html)
        if cut or defused:
            # Scored on the markup read before the tag cap, or with the attributes and
            # formatting tags past the parser's limits dropped (features/_parse_guard.py).
            self.truncated = True
        self._parsed_in = threading.get_ident()
        try:
            return HTMLTree.parse(html)
        except UnicodeEncodeError:
            # Lone surrogates (from JSON "\\ud800" escapes or a str given by the caller)
            # cannot be UTF-8 encoded for Lexbor: replace them ("?") and parse again.
            self.html = html.encode("utf-8", "replace").decode("utf-8")
            return HTMLTree.parse(self.html)

    def node_text(self, node: Any) -> str:
        """The text of ``node``, a node of this page's tree, charged to the page's text allowance.

        Elements that nest (unclosed ``<a>`` inside tables, hidden ``<div>`` in hidden ``<div>``)
        each hold the rest of the page, so reading the text of every one of them grows with the
        square of the page (11,700 nested anchors of a 370 KB page: 7 s). Read side by side,
        texts add up to about the page's length; past ``TEXT_ALLOWANCE`` times it (plus a
        constant) the page returns ``''`` and is marked ``truncated``.
        """
        spent = self.__dict__.get("_text_spent", 0)
        if spent > TEXT_ALLOWANCE * len(self.html or "") + TEXT_ALLOWANCE_BASE:
            self.truncated = True
            return ""
        text = node.text or ""
        self._text_spent = spent + len(text)
        return text

    def _all(self, selector: str) -> list:
        tree = self.tree
        if tree is None or tree.document is None:
            return []
        # .values() on the collection is far cheaper than iterating it node by node.
        return list(tree.document.query_selector_all(selector).values())

    @cached_property
    def _markup(self) -> dict[str, list]:
        """The nodes of every tag the markup attributes read, by tag, in document order.

        One selector query for all of them: seven separate queries cost ~3x the time.
        """
        out: dict[str, list] = {tag: [] for tag in _MARKUP_TAGS}
        for node in self._all(_MARKUP_SELECTOR):
            bucket = out.get(node.tag.lower())
            if bucket is not None:
                bucket.append(node)
        return out

    def _elements(self, tag: str, with_text: bool = False) -> list[Element]:
        out = []
        for node in self._markup[tag]:
            attrs = {k.lower(): (node.getattr(k) or "") for k in node.attribute_names}
            text = node.text[:2000] if with_text else ""
            out.append(Element(node.tag.lower(), attrs, text))
        return out

    # ---- identity ----------------------------------------------------------------
    @cached_property
    def site(self) -> str:
        """Registrable domain of the page URL ('' when unknown)."""
        return registrable_domain(self.url) if self.url else ""

    @cached_property
    def _join_base(self) -> tuple[str, str] | None:
        """``(scheme://netloc, URL without fragment)`` of an http(s) page URL, for cheap joins."""
        url = self.url or ""
        if not url.startswith(("http://", "https://")):
            return None
        scheme, _, rest = url.partition("://")
        netloc = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        if not netloc or "\\" in url:
            return None
        return f"{scheme}://{netloc}", url.split("#", 1)[0]

    def absolute(self, href: str) -> str:
        href = href.strip()
        if not href:
            return ""
        if self.url and not href.startswith(("http://", "https://")):
            # Fast paths for root-relative and fragment links (urljoin costs ~5 us a call
            # and link-heavy pages have hundreds); anything with dot segments goes to urljoin.
            base = self._join_base
            if base is not None and not _NEEDS_URLJOIN.search(href):
                if href[0] == "/":
                    return base[0] + href if href[1:2] != "/" else base[0].split(":", 1)[0] + ":" + href
                if href[0] == "#":
                    return base[1] + href
                if _OTHER_SCHEME_RE.match(href):
                    return href  # javascript:, mailto:, data:... (urljoin returns them as they are)
            try:
                return urljoin(self.url, href)
            except ValueError:
                return href
        if href.startswith("//"):
            return "https:" + href
        return href

    # ---- text --------------------------------------------------------------------
    @cached_property
    def title(self) -> str:
        if self.given_title is not None:
            return self.given_title.strip()
        tree = self.tree
        if tree is not None:
            t = tree.title or ""
            if not t:
                og = self.meta.get("og:title", "")
                t = og
            return " ".join(t.split())
        if self.raw_text:
            for line in self.raw_text.splitlines():
                if line.strip():
                    return line.strip()[:300]
        return ""

    @cached_property
    def text(self) -> str:
        """All visible text (for plain text input, the text itself)."""
        if self.tree is None:
            return self.raw_text or ""
        return extract_plain_text(self.tree, main_content=False, alt_texts=False)

    @cached_property
    def main_text(self) -> str:
        """Main content text (boilerplate removed); the whole text for plain text."""
        if self.tree is None:
            return self.raw_text or ""
        if too_deep(self.tree, self.html or ""):
            # Main-content extraction is quadratic in nesting depth: hostile pages get all text.
            return self.text
        main = extract_plain_text(self.tree, main_content=True, alt_texts=False)
        # Short pages (and WordPress content fragments) have no boilerplate to strip;
        # the main-content heuristics can then throw away everything.
        if len(main) < 0.2 * len(self.text) and self.kind == "wp-json":
            return self.text
        if not main.strip() and len(self.all_words) >= MAIN_FALLBACK_WORDS:
            return self.text
        return main

    @cached_property
    def lines(self) -> list[str]:
        return [ln.strip() for ln in self.text.splitlines() if ln.strip()]

    @cached_property
    def words(self) -> list[str]:
        """Words of the main text. CJK runs count one word per character."""
        return tokenize(self.main_text)

    @cached_property
    def all_words(self) -> list[str]:
        return tokenize(self.text)

    # ---- markup ------------------------------------------------------------------
    @cached_property
    def meta(self) -> dict[str, str]:
        """``<meta name|property|http-equiv=... content=...>``, lower-cased keys; first wins."""
        out: dict[str, str] = {}
        for el in self._elements("meta"):
            key = el.get("name") or el.get("property") or el.get("http-equiv") or el.get("itemprop")
            if key:
                out.setdefault(key.strip().lower(), el.get("content").strip())
        return out

    @cached_property
    def scripts(self) -> list[Element]:
        """Every ``<script>``; inline ones carry (the start of) their code as text."""
        return self._elements("script", with_text=True)

    @cached_property
    def script_srcs(self) -> list[str]:
        return [self.absolute(s.get("src")) for s in self.scripts if s.get("src")]

    @cached_property
    def iframes(self) -> list[Element]:
        return self._elements("iframe")

    @cached_property
    def ins(self) -> list[Element]:
        return self._elements("ins")

    @cached_property
    def images(self) -> list[Element]:
        return self._elements("img")

    @cached_property
    def links(self) -> list[Link]:
        out = []
        for node in self._markup["a"]:
            href = node.getattr("href") or ""
            out.append(Link(self.absolute(href), " ".join(self.node_text(node).split())[:300],
                            (node.getattr("rel") or "").lower()))
        return out

    @cached_property
    def link_rels(self) -> dict[str, str]:
        """``<link rel=... href=...>`` by rel (first wins), hrefs made absolute."""
        out: dict[str, str] = {}
        for el in self._elements("link"):
            for rel in el.get("rel").lower().split():
                out.setdefault(rel, self.absolute(el.get("href")))
        return out

    @cached_property
    def canonical(self) -> str:
        return self.link_rels.get("canonical", "") or self.meta_extra.get("canonical", "")

    @cached_property
    def _address(self) -> tuple[str, str | None]:
        if self.url:
            return self.url, self.url_from or "given"
        if self.tree is None:
            return "", None
        # Facts the markup pass already collected: no further walk of the tree.
        base = self._markup["base"]
        for source, href in (
            ("canonical", self._canonical_href()),
            ("og:url", self.meta.get("og:url", "")),
            ("base", (base[0].getattr("href") or "") if base else ""),
        ):
            url = absolute_http_url(href)
            if url:
                return url, source
        return "", None

    def _canonical_href(self) -> str:
        """The first ``<link rel=canonical>`` href as written (what :attr:`canonical` reads,
        without building every ``<link>`` element when nothing else asked for them)."""
        if "link_rels" in self.__dict__:
            return self.canonical
        for node in self._markup["link"]:
            if "canonical" in (node.getattr("rel") or "").lower().split():
                return node.getattr("href") or ""
        return self.meta_extra.get("canonical", "")

    @property
    def address(self) -> str:
        """The page URL, else one the page states for itself ('' when neither).

        Recovered, in this order, from ``<link rel=canonical>``, ``<meta property=og:url>``
        and ``<base href>``, only when absolute http(s). Which one it is: :attr:`url_source`.
        Only the address features and the verdict read it; the other extractors keep
        :attr:`url` (a canonical must not be compared with itself).
        """
        return self._address[0]

    @property
    def url_source(self) -> str | None:
        """Where :attr:`address` came from: one of :data:`URL_SOURCES`, ``None`` without one."""
        return self._address[1]

    @cached_property
    def tags(self) -> list[str]:
        """Post tags: given (WordPress), ``article:tag`` metas, ``rel=tag`` links."""
        if self.given_tags:
            return list(self.given_tags)
        out = [el.get("content") for el in self._elements("meta") if el.get("property") == "article:tag"]
        out += [ln.text for ln in self.links if "tag" in ln.rel.split()]
        return [t for t in out if t]

    @cached_property
    def body_html_length(self) -> int:
        return len(self.html) if self.html else len(self.raw_text or "")


def absolute_http_url(href: str) -> str:
    """``href`` when it is an absolute http(s) URL with a host (``//host/...`` as https), else ''."""
    href = (href or "").strip()
    if href.startswith("//"):
        href = "https:" + href
    if not href[:8].lower().startswith(("http://", "https://")) or len(href) > 4096:
        return ""
    if any(ch.isspace() for ch in href):
        return ""
    try:
        host = urlsplit(href).hostname
    except ValueError:
        return ""
    return href if host and not host.startswith(".") else ""


def tokenize(text: str) -> list[str]:
    words = _WORD_RE.findall(text)
    if not _CJK_RE.search(text):
        return words
    out: list[str] = []
    for w in words:
        if _CJK_RE.search(w):
            out.extend(ch for ch in w if not ch.isspace())
        else:
            out.append(w)
    return out


def parse_html(html: str, url: str | None = None, **kw: Any) -> Page:
    """A page from decoded HTML (parsing happens on first use, once)."""
    return Page(url=url, kind=kw.pop("kind", "html"), html=html, **kw)


def from_text(text: str, url: str | None = None, **kw: Any) -> Page:
    """A page from plain extracted text: every text-level signal still works."""
    return Page(url=url, kind="text", raw_text=text, **kw)
