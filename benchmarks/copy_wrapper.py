"""A second, independent copy wrapper: scraped copies of an article, written without the simulator.

``detector/learn/simulate/`` (training) and ``benchmarks/copy_recall.py`` make copies with their
own markup and ad code; this module was written apart from both, so a measurement with it
does not reward the index for knowing one wrapper's habits. What differs:

- markup: three skins of its own (a table layout of an old portal, a CSS-grid magazine with
  ad units between the paragraphs, a bare blog with a tag cloud), and paragraph joins;
- ad networks: only Adsterra, Media.net, MGID, Ezoic, A-ADS, Infolinks, HilltopAds, AdCash,
  each written as that network's own embed code (loader URL paths, ids and slot divs as the
  networks document them), never the example URLs of ``features/data/ad_networks.tsv``;
- truncation: 30-40% of the paragraphs followed by a "read more" line in the page's language;
- reordering: neighbouring paragraphs swapped in pairs, the last moved to the top, and pairs
  joined into one paragraph.

Transforms (:data:`TRANSFORMS`); every copy is a file without a URL and without a canonical
link (a scraper drops them), its own publication date (if any) after the original's:

- ``ad-interleave``: the whole text, an ad unit after every one or two paragraphs;
- ``excerpt``: the first 30-40% of the paragraphs, a "read more" line, ad units around;
- ``reorder``: reordered and joined paragraphs, a closing line of hashtags cut from the title;
- ``sentence-drop``: every fourth sentence dropped, pop-under network loaders;
- ``time-kept``: the whole text with a ``<time datetime>`` kept from the original's markup
  (dated before the original's own publication date), in an ad grid;
- ``clean``: the whole text in a plain blog skin: no farm evidence at all.
"""

from __future__ import annotations

import html
import random
import re
from datetime import datetime, timedelta, timezone

TRANSFORMS = ("ad-interleave", "excerpt", "reorder", "sentence-drop", "time-kept", "clean")
READ_MORE = {
    "en": ("Read more »", "Continue reading →", "Read the full story"),
    "de": ("Weiterlesen »",), "fr": ("Lire la suite »",), "es": ("Leer más »",), "pt": ("Leia mais »",),
    "it": ("Continua a leggere »",), "nl": ("Lees verder »",),
}
_SENT = re.compile(r"(?<=[.!?])\s+")


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _hex(rng: random.Random, n: int = 32) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def ad_unit(rng: random.Random, pop: bool = False) -> str:
    """One ad unit in a network's own embed style (pop-under loaders when ``pop``)."""
    if pop:
        kind = rng.choice(("hilltop", "adcash", "adsterra-pop"))
    else:
        kind = rng.choice(("adsterra", "medianet", "mgid", "ezoic", "a-ads", "infolinks"))
    n = rng.randrange(10**5, 10**7)
    if kind == "adsterra":
        key = _hex(rng)
        return (f"<div class='banner-{rng.choice((300, 728, 160))}'><script type='text/javascript'>atOptions = "
                f"{{'key' : '{key}', 'format' : 'iframe', 'height' : 250, 'width' : 300, 'params' : {{}}}};</script>"
                f"<script type='text/javascript' src='//www.profitabledisplaycontent.com/{key}/invoke.js'></script></div>")
    if kind == "adsterra-pop":
        return f"<script type='text/javascript' src='//pl{n}.effectivegatecpm.com/{_hex(rng, 2)}/{_hex(rng, 2)}/{_hex(rng, 2)}/{_hex(rng)}.js'></script>"
    if kind == "medianet":
        return (f"<div id='{n}' class='mnet-slot'><script type='text/javascript'>try {{ window._mNHandle.queue.push(function () "
                f"{{ window._mNDetails.loadTag('{n}', '300x250', '{n}'); }}); }} catch (error) {{}}</script></div>"
                f"<script src='https://contextual.media.net/dmedianet.js?cid=8CU{_hex(rng, 6).upper()}' async></script>")
    if kind == "mgid":
        return (f"<div data-type='_mgwidget' data-widget-id='{n}'></div><script>(function(w,q){{w[q]=w[q]||[];"
                f"w[q].push(['_mgc.load'])}})(window,'_mgq');</script>"
                f"<script src='https://jsc.mgid.com/site/{n}.js' async></script>")
    if kind == "ezoic":
        slot = rng.randrange(101, 140)
        return (f"<div id='ezoic-pub-ad-placeholder-{slot}'></div><script src='//www.ezojs.com/ezoic/sa.min.js' async></script>"
                f"<script>window.ezstandalone = window.ezstandalone || {{}}; ezstandalone.cmd = ezstandalone.cmd || [];"
                f" ezstandalone.cmd.push(function() {{ ezstandalone.showAds({slot}); }});</script>")
    if kind == "a-ads":
        return f"<iframe data-aa='{n}' src='//ad.a-ads.com/{n}?size=300x250' style='width:300px; height:250px; border:0px;'></iframe>"
    if kind == "infolinks":
        return (f"<script type='text/javascript'>var infolinks_pid = {n}; var infolinks_wsid = 0;</script>"
                f"<script type='text/javascript' src='//resources.infolinks.com/js/infolinks_main.js'></script>")
    if kind == "hilltop":
        return f"<script src='//hilltopads.net/{_hex(rng, 8)}/{n}.js' data-cfasync='false' async></script>"
    return f"<script type='text/javascript' src='//acscdn.com/script/aclib.js'></script><script>aclib.runPop({{zoneId: '{n}'}});</script>"


def _p(text: str) -> str:
    return f"<p>{_e(text)}</p>"


def _sentences_dropped(p: str, every: int) -> str:
    parts = _SENT.split(p)
    if len(parts) < 3:
        return p
    return " ".join(s for i, s in enumerate(parts) if (i + 1) % every)


def _reordered(paras: list[str]) -> list[str]:
    ps = list(paras)
    for i in range(0, len(ps) - 1, 2):
        ps[i], ps[i + 1] = ps[i + 1], ps[i]
    ps = ps[-1:] + ps[:-1]
    joined = []
    for i in range(0, len(ps), 2):  # two paragraphs become one (a scraper's paragraph join)
        joined.append(" ".join(ps[i : i + 2]))
    return joined


def _title_hashtags(title: str, rng: random.Random) -> str:
    words = [w for w in re.findall(r"\w+", title) if len(w) > 3 and not w.isdigit()]
    rng.shuffle(words)
    return " ".join("#" + w.lower() for w in words[:6])


def _skin(kind: str, title: str, head: str, body: str, side: str, rng: random.Random) -> str:
    if kind == "table":
        menu = "".join(f"<a href='/cat/{i}'>{_e(w)}</a> | " for i, w in enumerate(("Home", "World", "Money", "Life", "Tech", "Sport")))
        return (f"<html><head>{head}</head><body bgcolor='#ffffff'><table width='100%' class='layout'><tr><td colspan='2' class='masthead'>{menu}</td></tr>"
                f"<tr><td class='content' valign='top'><h2 class='headline'>{_e(title)}</h2>{body}</td>"
                f"<td class='rail' width='300' valign='top'>{side}</td></tr><tr><td colspan='2' class='foot'>All rights reserved.</td></tr></table></body></html>")
    if kind == "grid":
        return (f"<!DOCTYPE html><html lang='en'><head>{head}</head><body><div class='tdi-wrap'><div class='tdi-header'><span class='logo'>Hot News Today</span></div>"
                f"<section class='tdi-grid'><div class='tdi-col-main'><h1 class='entry-title'>{_e(title)}</h1><div class='entry-body'>{body}</div></div>"
                f"<div class='tdi-col-side'>{side}</div></section></div></body></html>")
    tags = "".join(f"<a class='tag' href='/tag/{i}'>tag{i}</a> " for i in range(rng.randint(5, 12)))
    return (f"<!DOCTYPE html><html><head>{head}</head><body><div id='wrap'><div id='content'><h1>{_e(title)}</h1>"
            f"<div class='post-body'>{body}</div></div><div id='sidebar'><div class='tagcloud'>{tags}</div>{side}</div></div></body></html>")


def make_copy(
    transform: str,
    title: str,
    paras: list[str],
    rng: random.Random,
    *,
    language: str = "en",
    original_date: datetime | None = None,
) -> bytes:
    """The bytes of one copy of an article (``title``, ``paras``) made with ``transform``."""
    if transform not in TRANSFORMS:
        raise ValueError(transform)
    ps = list(paras)
    tail = ""
    pop = False
    units = 0
    time_tag = ""
    skin = "grid"
    if transform == "excerpt":
        keep = max(1, round(len(ps) * rng.uniform(0.30, 0.40)))
        ps = ps[:keep]
        more = rng.choice(READ_MORE.get(language, READ_MORE["en"]))
        tail = f"<p class='more'><a href='?full=1' rel='nofollow'>{_e(more)}</a></p>"
        skin, units = rng.choice(("table", "grid")), 7
    elif transform == "reorder":
        ps = _reordered(ps)
        tail = f"<p class='tags'>{_e(_title_hashtags(title, rng))}</p>"
        skin = "blog"
    elif transform == "sentence-drop":
        ps = [_sentences_dropped(p, 4) for p in ps]
        skin, pop, units = "table", True, 6
    elif transform == "time-kept":
        when = (original_date or datetime(2024, 5, 1, tzinfo=timezone.utc)) - timedelta(days=rng.randint(30, 400))
        time_tag = f"<p class='byline'>Originally dated <time datetime='{when.strftime('%Y-%m-%dT%H:%M:%S+00:00')}'>{when.strftime('%B %d, %Y')}</time></p>"
        skin, units = "grid", 8
    elif transform == "ad-interleave":
        skin, units = rng.choice(("grid", "table")), 0  # units go between the paragraphs
    else:  # clean
        skin = "blog"
    if transform == "ad-interleave":
        step = rng.choice((1, 2))
        parts = []
        for i, p in enumerate(ps):
            parts.append(_p(p))
            if i % step == step - 1:
                parts.append(f"<div class='in-article'>{ad_unit(rng)}</div>")
        body = "".join(parts)
    else:
        body = "".join(_p(p) for p in ps)
    body = time_tag + body + tail
    side = "".join(f"<div class='rail-ad'>{ad_unit(rng, pop=pop)}</div>" for _ in range(units))
    if transform == "excerpt":
        side += f"<div class='rail-ad'>{ad_unit(rng)}</div>"
    head = f"<meta charset='utf-8'><title>{_e(title)}</title>"
    if original_date is not None and rng.random() < 0.5:  # the scraper's own date: after the original's
        own = original_date + timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 23))
        head += f"<meta property='article:published_time' content='{own.strftime('%Y-%m-%dT%H:%M:%SZ')}'>"
    return _skin(skin, title, head, body, side, rng).encode("utf-8")
