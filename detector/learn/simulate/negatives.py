"""Hard negatives (label ``original``): originals with ads, social hashtags, genuine bios, credited wire copy, plain text, thin briefs, explainers."""

from __future__ import annotations

import html
import random
import re

from detector.learn.simulate.markup import (
    Source,
    _ad_slot,
    _Built,
    _date,
    _e,
    _iso,
    _nav,
    _networks,
    _origin_url,
    _page,
    _paras_html,
    _sentences,
    _slug,
    _t,
    _title_words,
    _topic,
    _wp_json,
)
from detector.learn.simulate.tables import (
    _AGENCIES,
    _EXPLAINER_HEADS,
    _FAQ_QUESTIONS,
    _LLM_OPENERS,
    _ORDINARY,
    _OUTLINE,
    _PAPER,
)
from features.domains import registrable_domain

# ---- hard negatives (label "original") ----------------------------------------------------


def _base_html(src: Source, rng: random.Random) -> str:
    if src.html:
        return src.html
    return _page(src.title, _paras_html(src.paragraphs), lang=src.language, rng=rng)


def _insert(doc: str, snippet: str, rng: random.Random) -> str:
    """``snippet`` after a random paragraph of ``doc`` (else before ``</body>``, else appended)."""
    ends = [m.end() for m in re.finditer(r"</p\s*>", doc, re.I)]
    if ends:
        pos = rng.choice(ends[: max(1, len(ends) * 2 // 3)])
        return doc[:pos] + snippet + doc[pos:]
    m = re.search(r"</body\s*>", doc, re.I)
    return doc[: m.start()] + snippet + doc[m.start():] if m else doc + snippet


# News sites of the 2000s put their sections into every <title> for search engines ("Story | Football
# News, Transfer News, Fixtures, Results, Match Reports"): a share of English originals with ads
# get such a suffix, so a keyword-list title alone (the seo-spam recipe's) is not read as a farm.
SEO_SUFFIX_SHARE = 0.2
_SECTIONS_EN = ("Sport", "Football", "Business", "Politics", "Weather", "Video", "Photos", "Results",
                "Fixtures", "Opinion", "Local", "Entertainment", "Travel", "Money", "Jobs", "Motors")
_TITLE_TAG = re.compile(r"(<title[^>]*>)(.*?)(</title\s*>)", re.I | re.S)


def _seo_suffixed_title(doc: str, src: Source, rng: random.Random) -> str:
    """``doc`` with a site-section keyword suffix on its ``<title>`` ('' when it has none)."""
    m = _TITLE_TAG.search(doc)
    if not m or not src.title:
        return ""
    sec = rng.sample(_SECTIONS_EN, k=rng.randint(5, 7))
    suffix = f"{sec[0]} News, {sec[1]} News, " + ", ".join(sec[2:])
    title = f"{src.title} | {suffix} | {src.site or 'Online'}"
    return doc[: m.start(2)] + _e(title) + doc[m.end(2):]


def _original_with_ads(src: Source, rng: random.Random, fake) -> _Built:
    doc = _base_html(src, rng)
    nets = _networks(names=_ORDINARY)
    for _ in range(rng.randint(1, 3)):
        label = f'<div class="ad-label">{_e(_t(src.language)["ad"].title())}</div>' if rng.random() < 0.5 else ""
        doc = _insert(doc, f'<div class="ad-slot">{label}{_ad_slot(rng.choice(nets), rng)}</div>', rng)
    url = _origin_url(src, rng)
    exp = ["ads.named_elements"]
    if src.language == "en" and rng.random() < SEO_SUFFIX_SHARE:
        suffixed = _seo_suffixed_title(doc, src, rng)
        if suffixed:
            doc = suffixed
            exp.append("template.keyword_title")
    return _Built(doc, "html", url, exp, ["ads.adult_pop_share", "ads.repeated_grid"])


def _social_hashtags(src: Source, rng: random.Random, fake) -> _Built:
    doc = _base_html(src, rng)
    words = _title_words(src.title, 6)
    tags = rng.sample(words, k=min(len(words), rng.randint(1, 2))) + [fake.word().capitalize()]
    handle = re.sub(r"\W", "", fake.user_name())[:15] or "newsdesk"
    d = _date(rng)
    text = f"{fake.sentence(nb_words=rng.randint(8, 16))} " + " ".join(f"#{w}" for w in tags)
    tweet = (f'<blockquote class="twitter-tweet"><p lang="{src.language or "en"}" dir="ltr">{_e(text)}</p>'
             f"&mdash; {_e(fake.name())} (@{handle}) "
             f'<a href="https://twitter.com/{handle}/status/{rng.randrange(10**17, 10**18)}">{d[0]}-{d[1]:02d}-{d[2]:02d}</a>'
             '</blockquote><script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>')
    return _Built(_insert(doc, tweet, rng), "html", _origin_url(src, rng), [], ["hashtags.closing_line"])


def _genuine_bio(src: Source, rng: random.Random, fake) -> _Built:
    doc = _base_html(src, rng)
    url = _origin_url(src, rng)
    site = registrable_domain(url) or "example.org"
    name = fake.name()
    beat = rng.choice(("politics", "the courts", "climate and energy", "health", "technology", "city hall",
                       "education", "business", "sport", "culture"))
    first, last = (name.split() + ["x"])[:2]
    mail = f"{_slug(first, 1)}.{_slug(last, 1)}@{site}"
    bits = [f"{name} is a {rng.choice(('reporter', 'correspondent', 'staff writer', 'senior editor'))} covering {beat}"
            f" for {site.split('.')[0].capitalize()}."]
    if rng.random() < 0.6:
        bits.append(f"Before joining in {rng.randint(2005, 2023)}, {first} worked at {fake.company()}.")
    if rng.random() < 0.6:
        bits.append(f"Contact: {mail}")
    box = (f'<div class="author-bio"><img src="https://{site}/staff/{_slug(name, 2)}.jpg" alt="{_e(name)}">'
           f'<p><strong><a href="https://{site}/authors/{_slug(name, 2)}/" rel="author">{_e(name)}</a></strong> '
           + " ".join(_e(b) for b in bits) + "</p></div>")
    m = re.search(r"</article\s*>", doc, re.I)
    doc = doc[: m.start()] + box + doc[m.start():] if m else _insert(doc, box, rng)
    return _Built(doc, "html", url, [], ["bio.has_phone", "bio.has_birthday", "bio.has_address", "bio.engagement"])


def _plain_text_original(src: Source, rng: random.Random, fake) -> _Built:
    """The original as a crawler's extracted text: title, optional byline/date, paragraphs.

    Plain text carries no markup, so markup features read 0 and visible-text features read as
    for any text input; without these the model would learn "plain text means farm" from the
    text-format farm recipes.
    """
    lines = [src.title, ""]
    if rng.random() < 0.5:
        lines += [f"By {fake.name()}", ""]
    if rng.random() < 0.4:
        lines += [_iso(_date(rng))[:10], ""]
    paras = list(src.paragraphs)
    if rng.random() < 0.3 and len(paras) > 6:
        paras = paras[: rng.randint(4, len(paras))]
    lines += [p for para in paras for p in (para, "")]
    url = _origin_url(src, rng) if rng.random() < 0.5 else ""
    return _Built("\n".join(lines).strip() + "\n", "text", url, [],
                  ["bio.has_phone", "bio.has_birthday", "bio.has_address", "bio.engagement", "template.boilerplate"])


_P_RE = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.I | re.S)
_TAG_RE = re.compile(r"<[^>]+>")


def _keep_paragraphs(html: str, k: int, after: str = "") -> str | None:
    """``html`` with only its first ``k`` text paragraphs (of 60+ characters) left in place,
    and ``after`` (markup) where the next one was."""
    spans = [m.span() for m in _P_RE.finditer(html) if len(_TAG_RE.sub("", m.group(1)).strip()) >= 60]
    if len(spans) <= k + 1:
        return None
    out, pos = [], 0
    for i, (start, end) in enumerate(spans[k:]):
        out.append(html[pos:start] + (after if i == 0 else ""))
        pos = end
    out.append(html[pos:])
    return "".join(out)


def _thin_original(src: Source, rng: random.Random, fake) -> _Built:
    """A brief or stub of the same site: the title and one or two paragraphs.

    Mostly the original page itself with its article cut to its first paragraphs (the site's
    whole template stays), sometimes a bare page or plain text. Short originals (news briefs,
    stubs, notices) are common in crawls and rare in the labelled corpus; without them the
    model learns "short means farm".
    """
    k = rng.randint(1, 2)
    url = _origin_url(src, rng)
    absent = ["bio.has_phone", "bio.has_birthday", "bio.has_address", "bio.engagement"]
    d = _date(rng)
    stamp = f'<p class="updated"><time datetime="{_iso(d)}">{d[0]}-{d[1]:02d}-{d[2]:02d} {d[3]:02d}:{d[4]:02d}</time></p>'
    kept = _keep_paragraphs(src.html, k, stamp) if src.html and rng.random() < 0.75 else None
    if kept is not None:
        return _Built(kept, "html", url, [], absent)
    paras = [p for p in src.paragraphs if p.strip()][:k]
    if rng.random() < 0.5:
        paras = [" ".join(_sentences(p)[:1]) or p for p in paras]
    if rng.random() < 0.3:
        return _Built(src.title + "\n\n" + "\n\n".join(paras) + "\n", "text", url, [], absent)
    nav = _nav(src.language, rng) if rng.random() < 0.6 else []
    return _Built(_page(src.title, _paras_html(paras), lang=src.language, rng=rng, nav=nav), "html", url, [],
                  absent + ["ads.named_elements"])


def _own_paragraphs(doc: str, src: Source) -> list[re.Match[str]]:
    """The ``<p>`` tags of ``doc`` that open one of the article's own paragraphs (its main text,
    not the page's chrome)."""
    openings = {p[:24] for p in src.paragraphs if len(p) >= 24}
    return [m for m in re.finditer(r"<p(?:\s[^>]*)?>", doc, re.I)
            if html.unescape(re.sub(r"<[^>]*>", "", doc[m.end():m.end() + 400])).lstrip()[:24] in openings]


# Share of English explainers given LLM filler sentences (as many as the llm-autoblog farms that
# carry them: a third).
LLM_POLISHED_SHARE = 0.35


def _explainer_original(src: Source, rng: random.Random, fake) -> _Built:
    """The original with an editor's explainer subheadings ("What is X?", "Why it matters").

    Newsrooms break long pieces with such headings too; with the ``llm-autoblog`` farms this
    keeps the model from reading any question heading as a generated outline. Some (English)
    are written as company blogs and guides written with an LLM's help are: filler sentences in
    the over-used words of generated prose and, for half of them, the stock outline (Introduction,
    Key Benefits, ..., Conclusion) and an FAQ block, on the original's own site without ad slots
    or post lists. Generated style alone does not make a farm; the farm is in what it is for.
    """
    lang = src.language if src.language in _EXPLAINER_HEADS else "en"
    k = _topic(src.title, rng)
    heads = rng.sample(_EXPLAINER_HEADS[lang], k=rng.randint(2, 4))
    doc = _base_html(src, rng)
    exp: list[str] = []
    polished = lang == "en" and src.language == "en" and rng.random() < LLM_POLISHED_SHARE
    own = _own_paragraphs(doc, src) if polished else []
    if own and rng.random() < 0.5:
        outline = _OUTLINE["en"]
        middle = rng.sample(outline[1:-2], k=rng.randint(2, 4))
        heads = [rng.choice(o) for o in (outline[0], *middle, outline[-1])]
        sents = [x for p in src.paragraphs for x in _sentences(p)] or list(src.paragraphs)
        qs = rng.sample(_FAQ_QUESTIONS["en"], k=3)
        faq = "<h2>Frequently Asked Questions</h2>" + "".join(
            f"<h3>{_e(q.format(k=k))}</h3><p>{_e(rng.choice(sents))}</p>" for q in qs)
        end = doc.lower().find("</p", own[-1].end())
        at = doc.find(">", end) + 1 if end >= 0 else own[-1].start()
        doc = doc[:at] + faq + doc[at:]
        # (the FAQ block is not declared: on a few pages main-content extraction leaves it out)
        exp.append("autoblog.outline_sections")
        # The outline's headings go before the article's own paragraphs, in order.
        starts = sorted(rng.sample([m.start() for m in own], k=min(len(heads), len(own))))
        for pos, h in reversed(list(zip(starts, heads, strict=False))):
            doc = doc[:pos] + f"<h2>{_e(h.format(k=k))}</h2>" + doc[pos:]
        heads = []
    if polished:
        # Each filler sentence opens one of the article's own paragraphs.
        starts = [m.end() for m in _own_paragraphs(doc, src)]
        fill = rng.sample(_LLM_OPENERS, k=min(len(starts), rng.randint(1, 3)))
        for pos, o in sorted(zip(rng.sample(starts, k=len(fill)), fill, strict=True), reverse=True):
            doc = doc[:pos] + _e(o.format(k=k)) + " " + doc[pos:]
        if fill:
            exp.append("autoblog.llm_vocab_sat")
    ends = [m.end() for m in re.finditer(r"</p\s*>", doc, re.I)]
    if heads and len(ends) >= 3:
        picks = sorted(rng.sample(ends[1:-1] or ends, k=min(len(heads), len(ends[1:-1] or ends))), reverse=True)
        for pos, h in zip(picks, heads, strict=False):
            doc = doc[:pos] + f"<h2>{_e(h.format(k=k))}</h2>" + doc[pos:]
    elif heads:
        doc = _insert(doc, "".join(f"<h2>{_e(h.format(k=k))}</h2>" for h in heads), rng)
    return _Built(doc, "html", _origin_url(src, rng), exp, ["ads.repeated_grid", "autoblog.ai_disclosure"])


def _credited_wire(src: Source, rng: random.Random, fake) -> _Built:
    lang = src.language if src.language in _AGENCIES else "en"
    short, full, pattern = rng.choice(_AGENCIES[lang])
    d = _date(rng)
    city = fake.city().upper() if lang in ("en", "it") else fake.city()
    paras = list(src.paragraphs)
    if lang in ("zh", "ja"):
        paras[0] = f"{short}{city}电 " + paras[0] if lang == "zh" else f"【{city}{short}】" + paras[0]
    else:
        paras[0] = f"{city} ({short}) — {paras[0]}"
    canonical = ""
    exp = ["copy.wire_credit"]
    if rng.random() < 0.5:
        canonical = pattern.format(slug=_slug(src.title), hex=f"{rng.getrandbits(64):016x}", date=f"{d[0]}-{d[1]:02d}-{d[2]:02d}",
                                   n=rng.randrange(10**6, 10**8))
        exp.append("copy.canonical_elsewhere")
    byline = f'<p class="byline">{_e(fake.name())}, {_e(full)}</p>' if rng.random() < 0.7 else ""
    credits = [f"Source: {full}", f"© {d[0]} {full}. All rights reserved.", f"Copyright {d[0]} {full}"]
    # A bare "(AP)" credit only where the dateline itself is sure to read as one.
    plain = lang == src.language and lang not in ("zh", "ja")
    credit = rng.choice([*credits, f"({short})"] if plain else credits)
    body = byline + _paras_html(paras) + f'<p class="credit">{_e(credit)}</p>'
    if rng.random() < 0.4:
        body = _insert(body, f'<div class="ad-slot">{_ad_slot(_networks(names=_ORDINARY)[0], rng)}</div>', rng)
    paper = f"{fake.city().replace(' ', '')}{rng.choice(_PAPER)}"
    host = f"www.{_slug(paper, 1)}.{rng.choice(('com', 'net', 'co.uk', 'de', 'fr', 'es', 'com.br', 'it'))}"
    url = f"https://{host}/{rng.choice(('news', 'world', 'nation'))}/{_slug(src.title)}-{rng.randrange(10**5, 10**7)}"
    page = _page(src.title, body, lang=src.language, canonical=canonical, site_name=paper, nav=_nav(lang, rng), rng=rng)
    if rng.random() < 0.15:
        return _Built(_wp_json(src.title, body, url, _title_words(src.title, 3), rng), "wp-json", url,
                      ["copy.wire_credit"])
    return _Built(page, "html", url, exp)
