"""Copy evidence (``copy.*``): signs that a page's text or images come from another site.

- ``copy.canonical_elsewhere``: ``<link rel=canonical>`` / ``og:url`` on another registrable domain.
- ``copy.attribution``: lines naming another source ("Source:", "Quelle:", "Originally published on").
- ``copy.wire_credit``: credited agency copy ("BERLIN (dpa) -", "Fonte: Agência Brasil"). Licensed
  wire copy is not farm by itself; the model weighs it against the other signals.
- ``copy.hotlinked_images``: images served from another publisher's domain (not a CDN).
- ``copy.read_original_link``: "read the original" links to another site.

Plain-text pages have no markup: the link and image features are 0, the line features work.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter

from features.base import Features, clip, safe_div
from features.domains import domain_of_host, host_of, registrable_domain
from features.page import Page

FEATURES = (
    "copy.attribution",
    "copy.attribution_sat",
    "copy.canonical_elsewhere",
    "copy.hotlinked_images",
    "copy.hotlinked_images_sat",
    "copy.read_original_link",
    "copy.wire_credit",
)

MAX_LINES = 4_000
MAX_IMAGES = 500
MAX_LINKS = 5_000
EVIDENCE_CHARS = 120

# Generic image hosts and CDNs: an image served from these says nothing about copying.
CDN_DOMAINS = frozenset(
    """
    wp.com wordpress.com cloudfront.net akamaized.net akamaihd.net akamai.net edgesuite.net
    edgekey.net googleusercontent.com googleapis.com gstatic.com ggpht.com google.com
    gravatar.com fbcdn.net facebook.com twimg.com twitter.com imgix.net cloudinary.com
    blogger.com blogspot.com bp.blogspot.com ytimg.com youtube.com vimeocdn.com
    amazonaws.com media-amazon.com ssl-images-amazon.com images-amazon.com
    fastly.net fastly.com azureedge.net windows.net cloudflare.com cdnjs.com jsdelivr.net
    unpkg.com shopify.com shopifycdn.com squarespace.com squarespace-cdn.com wixstatic.com
    imgur.com flickr.com staticflickr.com pinimg.com tumblr.com medium.com substackcdn.com
    githubusercontent.com github.com gitlab.com sndcdn.com scdn.co bootstrapcdn.com
    typekit.net doubleclick.net googlesyndication.com googletagmanager.com
    google-analytics.com scorecardresearch.com quantserve.com addthis.com sharethis.com
    feedburner.com photobucket.com tinypic.com imageshack.us postimg.cc ibb.co
    unsplash.com pexels.com pixabay.com istockphoto.com shutterstock.com gettyimages.com
    wikimedia.org wikipedia.org b-cdn.net bunnycdn.com kxcdn.com cdn77.org stackpathcdn.com
    hubspot.net hubspot.com hsforms.com mailchimp.com list-manage.com ampproject.org
    sinaimg.cn qpic.cn gtimg.com alicdn.com bdimg.com bdstatic.com hdslb.com
    yimg.com yahoo.com msn.com bing.com s-msft.com licdn.com pinterest.com
    disquscdn.com disqus.com tiktokcdn.com cdninstagram.com instagram.com
    creativecommons.org statcounter.com sitemeter.com printfriendly.com paypal.com
    paypalobjects.com outbrain.com taboola.com yandex.ru yandex.net mail.ru getclicky.com
    addtoany.com linkwithin.com livefyre.com blogblog.com effectivemeasure.net technorati.com
    digg.com delicious.com stumbleupon.com reddit.com redditstatic.com linkedin.com
    w3.org feedblitz.com histats.com clustrmaps.com revolvermaps.com flagcounter.com
    """.split()
)
# Labels of a registrable domain that mark an asset host whatever the brand ("kinja-img.com").
_ASSET_LABEL_RE = re.compile(r"cdn|img|image|static|media|assets|photo|pics|files|content|upload", re.I)

WIRE_AGENCIES: tuple[tuple[str, str], ...] = (
    ("AP", r"AP|Associated Press"),
    ("AFP", r"AFP|Agence France-Presse"),
    ("Reuters", r"Reuters"),
    ("dpa", r"dpa|DPA"),
    ("EFE", r"EFE"),
    ("ANSA", r"ANSA"),
    ("Agência Brasil", r"Ag[êe]ncia Brasil|ABr"),
    ("Sputnik", r"Sputnik|RIA Novosti"),
    ("Xinhua", r"Xinhua"),
    ("PA", r"PA|PA Media|Press Association"),
    ("Kyodo", r"Kyodo"),
    ("Yonhap", r"Yonhap"),
    ("Bloomberg", r"Bloomberg"),
    ("APA", r"APA"),
    ("SDA", r"SDA|Keystone-SDA"),
    ("KNA", r"KNA"),
    ("epd", r"epd"),
    ("ANP", r"ANP"),
    ("Belga", r"Belga"),
    ("TASS", r"TASS|ТАСС"),
    ("Interfax", r"Interfax|Интерфакс"),
    ("PTI", r"PTI"),
    ("IANS", r"IANS"),
    ("ANI", r"ANI"),
    ("AAP", r"AAP"),
    ("Canadian Press", r"CP|The Canadian Press"),
    ("UPI", r"UPI"),
    ("Lusa", r"Lusa"),
    ("Europa Press", r"Europa Press"),
    ("Anadolu", r"AA|Anadolu(?: Agency)?"),
    ("Bernama", r"Bernama"),
    ("Antara", r"Antara"),
    ("PAP", r"PAP"),
    ("NTB", r"NTB"),
    ("TT", r"TT"),
    ("Ritzau", r"Ritzau"),
    # press-release wires ("SAN JOSE, Calif.--(BUSINESS WIRE)--"): the release is posted everywhere on purpose
    ("Business Wire", r"Business Wire|BUSINESS WIRE"),
    ("PR Newswire", r"PR Newswire|PRNewswire"),
    ("GlobeNewswire", r"GlobeNewswire|GLOBE NEWSWIRE"),
    ("Marketwire", r"Marketwired?|MARKETWIRED?"),
)


def _agency_alt(prefix: str) -> str:
    """The agencies as one alternation, each in a named group ``<prefix><index>``."""
    return "|".join(f"(?P<{prefix}{i}>{pat})" for i, (_n, pat) in enumerate(WIRE_AGENCIES))


# "(dpa)", "(Reuters)", "(Some News / Sputnik - 29th April, 2020)"
_AGENCY_PAREN = r"\((?:[^()\n]{0,40}?[/,]\s*)?(?:%s)(?:\s*[/,-][^()\n]{0,40})?\)"
# "BERLIN (dpa) -", "Berlin (dpa) -", "WASHINGTON, June 3 (Reuters) -", "MOSCOW (... / Sputnik - ...) It ..."
# A dateline is a head (the place and date) up to the line's first "(", then the agency in
# parentheses and what follows. None of the head's characters is "(", so the head always ends
# at the first "(": the two parts are matched apart (head as a whole, the rest from that "("),
# which finds what one pattern over both would, without retrying the rest for every way the
# head can be split (one pattern took ~0.1 s on a line of spaces and commas before a "(").
_DATELINE_HEAD_A = re.compile(r"[A-ZÀ-Þ][A-ZÀ-Þ.'’ /-]{1,40}(?:,\s*[^()\n]{1,40})?\s*")
_DATELINE_REST_A = re.compile(_AGENCY_PAREN % _agency_alt("a") + r"\s*\S")
_DATELINE_HEAD_B = re.compile(r"[^\W\d_][\w.'’ /-]{1,40}?(?:,\s*[^()\n]{1,40})?\s*")
_DATELINE_REST_B = re.compile(_AGENCY_PAREN % _agency_alt("b") + r"\s*[-–—:]")
# The same language as one pattern (kept for reference and for the tests that compare the two).
_DATELINE_RE = re.compile(
    r"^(?:[A-ZÀ-Þ][A-ZÀ-Þ.'’ /-]{1,40}(?:,\s*[^()\n]{1,40})?\s*" + _AGENCY_PAREN % _agency_alt("a") + r"\s*\S"
    r"|[^\W\d_][\w.'’ /-]{1,40}?(?:,\s*[^()\n]{1,40})?\s*" + _AGENCY_PAREN % _agency_alt("b")
    + r"\s*[-–—:])"
)


def dateline(line: str) -> tuple[str, str] | None:
    """``(agency, dateline text)`` when ``line`` opens with a wire dateline, else ``None``.

    What ``_DATELINE_RE.match(line)`` finds, without its backtracking: the head is matched as a
    whole up to the first "(", the agency part from there (each pattern's repeats are bounded,
    so a line of the 200 characters the caller passes costs at most ~0.3 ms).
    """
    p = line.find("(")
    if p < 2:  # a head is at least two characters
        return None
    q = line.find(")", p)
    if q < 0 or line.find("(", p + 1, q) >= 0:
        return None  # the agency's parentheses hold no other parenthesis and are closed
    for head, rest in ((_DATELINE_HEAD_A, _DATELINE_REST_A), (_DATELINE_HEAD_B, _DATELINE_REST_B)):
        m = rest.match(line, p)
        if m is not None and head.fullmatch(line, 0, p):
            return _agency(m), line[: m.end()]
    return None


# Credit lines: "Fonte: Agência Brasil", "© Reuters", "The Associated Press contributed to this report".
_CREDIT_RE = re.compile(
    r"(?:^|[-–—|]\s*)(?i:source|sources|quelle|fonte|fuente|источник|mit material (?:von|der))\s*:?\s*"
    rf"(?i:the\s+)?(?:{_agency_alt('c')})\b"
    rf"|(?:©|\([cC]\)|(?i:copyright))\s*(?:\d{{4}}\s*)?(?i:the\s+)?(?:{_agency_alt('d')})\b"
    r"(?!\s*(?i:photo|images?|/))"
    rf"|\b(?:{_agency_alt('e')})\s+(?i:contributed to this (?:report|story))"
    r"|^(?i:reporting by\b.{0,200}\bediting by)\b",
)

# Attribution of the text to another source, at the start of a (short) line.
_ATTRIBUTION_RE = re.compile(
    r"^(?:source|sources|quelle|quellen|fonte|fontes|fuente|fuentes|источник|bron|kaynak|źródło)\s*:\s*\S"
    r"|^(?:来源|出典|出处|출처)\s*[:：]\s*\S"
    r"|^via\s*:?\s+\S.{0,60}$"
    r"|\boriginally (?:published|posted|appeared) (?:at|on|in|by)\b"
    r"|\bthis (?:article|story|post) (?:originally|first) (?:appeared|was published)\b"
    r"|\bthis (?:article|story|post) was originally published\b"
    r"|\b(?:reprinted|republished) (?:with|by) (?:kind )?permission\b"
    r"|\b(?:ursprünglich|zuerst) erschienen (?:auf|bei|in)\b"
    r"|\bpublié initialement (?:sur|par|dans)\b|\bpublicado originalmente (?:en|em|por)\b",
    re.I,
)
MAX_ATTRIBUTION_LINE = 240

_READ_ORIGINAL_RE = re.compile(
    r"\bread (?:the )?(?:full |complete |entire )?original\b|\boriginal (?:post|article|story|source)\b"
    r"|\bread (?:more|the full (?:article|story)|the rest) (?:at|on)\b|\bcontinue reading (?:at|on)\b"
    r"|\bsource link\b|\bview (?:the )?original\b|\bweiterlesen (?:auf|bei)\b|\blire la suite sur\b"
    r"|\bleer (?:más|el original) en\b|\bleia mais em\b|\bcontinua a leggere su\b",
    re.I,
)


def _agency(m: re.Match[str]) -> str:
    for name, value in m.groupdict().items():
        if value is not None:
            return WIRE_AGENCIES[int(name[1:])][0]
    return ""


def _lines(page: Page) -> list[str]:
    return page.lines[:MAX_LINES]


# Cheap literal triggers: the full patterns run only on lines holding one of them.
# A colon only matters after a source label at the start of a line (the first alternatives
# of _ATTRIBUTION_RE); every other alternative holds one of the literals.
_ATTRIBUTION_LABELS = (
    "source|sources|quelle|quellen|fonte|fontes|fuente|fuentes|источник|bron|kaynak|źródło|来源|出典|出处|출처"
)
_ATTRIBUTION_WORDS = "via|originally|first appeared|first was published|permission|erschienen|initialement|originalmente"
_ATTRIBUTION_TRIGGER_RE = re.compile(
    rf"^(?:{_ATTRIBUTION_LABELS})\s*[:：]|\bvia\b|{_ATTRIBUTION_WORDS.split('|', 1)[1]}", re.M
)
_ATTRIBUTION_LITERALS = tuple(_ATTRIBUTION_LABELS.split("|") + _ATTRIBUTION_WORDS.split("|"))
_CREDIT_LITERALS = (
    "source", "quelle", "fonte", "fuente", "источник", "mit material", "©", "(c)", "copyright",
    "contributed to th", "editing by",
)
_CREDIT_TRIGGER_RE = re.compile("|".join(re.escape(x) for x in _CREDIT_LITERALS))


def candidate_lines(
    lines: list[str], trigger: re.Pattern[str], literals: tuple[str, ...], low: str | None = None
) -> list[str]:
    """The lines matching ``trigger``, in order, each once.

    ``literals`` (lower case) must occur in every match of ``trigger``: they are found with
    ``str.find`` (C speed, no regex scan of the whole text), and ``trigger`` then runs on the
    few lines that hold one. ``low`` (optional) is ``"\\n".join(lines).lower()`` when the
    caller has it already.
    """
    if low is None:
        low = "\n".join(lines).lower()
    hits: set[int] = set()
    for lit in literals:
        pos = low.find(lit)
        while pos >= 0:
            hits.add(pos)
            nl = low.find("\n", pos)
            if nl < 0:
                break
            pos = low.find(lit, nl + 1)
    if not hits:
        return []
    lows = low.split("\n")  # lower() can change a line's length: count on the lowered lines
    starts = list(itertools.accumulate((len(ln) + 1 for ln in lows), initial=0))
    out = []
    for i in sorted({bisect.bisect_right(starts, pos) - 1 for pos in hits}):
        if i < len(lines) and trigger.search(lows[i]):
            out.append(lines[i])
    return out


def canonical_elsewhere(page: Page) -> list[str]:
    """Evidence for a canonical / ``og:url`` on another registrable domain than the page's."""
    if not page.site:
        return []
    out = []
    for label, url in (("canonical", page.canonical), ("og:url", page.meta.get("og:url", ""))):
        if not url or not url.startswith(("http://", "https://", "//")):
            continue
        dom = registrable_domain(url)
        if dom.startswith(".") or dom.replace(".", "").isdigit():
            continue  # a broken URL or an IP address
        if dom and dom != page.site and not any(e.endswith(f"-> {dom}") for e in out):
            out.append(f"{label} -> {dom}")
    return out


def attribution_lines(lines: list[str], low: str | None = None) -> list[str]:
    """Short lines attributing the text to another source (``low`` as in :func:`candidate_lines`)."""
    out: list[str] = []
    for ln in candidate_lines(lines, _ATTRIBUTION_TRIGGER_RE, _ATTRIBUTION_LITERALS, low):
        if len(ln) <= MAX_ATTRIBUTION_LINE and _ATTRIBUTION_RE.search(ln) and ln not in out:
            out.append(ln)
    return out


def wire_credits(lines: list[str], site: str = "", low: str | None = None) -> Counter[str]:
    """Agencies credited in datelines or credit lines -> how they were credited.

    An agency's own site crediting itself ("© Bloomberg L.P." on bloomberg.com) is not
    wire copy and is skipped.
    """
    found: Counter[str] = Counter()
    own = site.split(".", 1)[0]

    def add(name: str, what: str) -> None:
        if own and name.lower().replace(" ", "") .startswith(own[:6]):
            return
        found[what] += 1

    for ln in lines:
        if "(" in ln[:120]:
            d = dateline(ln[:200])
            if d:
                add(d[0], f"{d[0]} dateline: {d[1][:60].strip()}")
    for ln in candidate_lines(lines, _CREDIT_TRIGGER_RE, _CREDIT_LITERALS, low):
        if len(ln) <= MAX_ATTRIBUTION_LINE:
            m = _CREDIT_RE.search(ln)
            if m:
                name = _agency(m) or "Reuters"  # only "Reporting by ... Editing by" has no group
                add(name, f"{name} credit: {ln[:60]}")
    return found


_PHOTO_RE = re.compile(r"\.(?:jpe?g|png|webp|avif)$", re.I)


def _small(size: str) -> bool:
    size = size.strip().lower().removesuffix("px")
    return size.isdigit() and int(size) <= 50


def _image_urls(page: Page) -> list[str]:
    """Photo URLs (jpg/png/webp/avif, not declared tiny) of ``<img>`` and WordPress featured images."""
    urls = []
    for el in page.images[:MAX_IMAGES]:
        src = el.get("src")
        if not src or src.startswith("data:"):
            src = el.get("data-src") or el.get("data-lazy-src") or el.get("data-original")
        if not src or src.startswith("data:"):
            continue
        if _small(el.get("width")) or _small(el.get("height")):
            continue  # tracking pixel, icon or badge
        url = page.absolute(src)
        if _PHOTO_RE.search(url.split("?", 1)[0]):
            urls.append(url)
    for u in page.meta_extra.get("wp_featured_images") or []:
        if isinstance(u, str) and u:
            urls.append(u)
    return urls


def same_brand(a: str, b: str) -> bool:
    """Two registrable domains of one publisher by name ("bbc.co.uk" / "bbci.co.uk", "nytimes.com" / "nyt.com")."""
    la, lb = a.split(".", 1)[0], b.split(".", 1)[0]
    if len(la) < 3 or len(lb) < 3:
        return la == lb
    return la.startswith(lb) or lb.startswith(la)


def image_host_domain(url: str) -> str:
    """Registrable domain of an image URL ('' when unknown)."""
    return domain_of_host(host_of(url)) if "//" in url else ""


def is_generic_host(dom: str) -> bool:
    """A CDN, image host, widget or counter (or a subdomain of one), or an asset-named domain."""
    if dom in CDN_DOMAINS or _ASSET_LABEL_RE.search(dom.split(".", 1)[0]):
        return True
    parts = dom.split(".")
    return any(".".join(parts[i:]) in CDN_DOMAINS for i in range(1, len(parts) - 1))


def hotlinked(page: Page) -> tuple[int, int, Counter[str]]:
    """(images considered, images from other publishers, those publishers' domains)."""
    urls = _image_urls(page)
    site = page.site
    other: Counter[str] = Counter()
    if not site:
        return len(urls), 0, other
    for u in urls:
        dom = image_host_domain(u)
        if not dom or dom == site or is_generic_host(dom) or same_brand(dom, site):
            continue
        other[dom] += 1
    return len(urls), sum(other.values()), other


def read_original_links(page: Page) -> list[str]:
    out = []
    site = page.site
    for ln in page.links[:MAX_LINKS]:
        if not ln.text or len(ln.text) > 80 or not _READ_ORIGINAL_RE.search(ln.text):
            continue
        dom = registrable_domain(ln.href) if ln.href.startswith(("http://", "https://")) else ""
        if dom and dom != site and not same_brand(dom, site):
            out.append(f"'{ln.text[:60]}' -> {dom}")
    return out


def extract(page: Page) -> Features:
    """Every ``copy.*`` feature of ``page`` (all keys always present)."""
    f = Features()
    canon = canonical_elsewhere(page)
    f.set("copy.canonical_elsewhere", 1.0 if canon else 0.0, *canon)

    lines = _lines(page)
    low = "\n".join(lines).lower()
    attrib = attribution_lines(lines, low)
    f.set("copy.attribution", len(attrib), *(a[:EVIDENCE_CHARS] for a in attrib[:5]))
    f.set("copy.attribution_sat", clip(len(attrib) / 3))

    wire = wire_credits(lines, page.site, low)
    f.set("copy.wire_credit", 1.0 if wire else 0.0, *(w for w, _c in wire.most_common(3)))

    total, n_hot, by_dom = hotlinked(page)
    f.set(
        "copy.hotlinked_images",
        clip(safe_div(n_hot, total)),
        *(f"images from {d} x{c}" for d, c in by_dom.most_common(3)),
    )
    f.set("copy.hotlinked_images_sat", clip(n_hot / 10))

    links = read_original_links(page)
    f.set("copy.read_original_link", 1.0 if links else 0.0, *links[:3])
    return f
