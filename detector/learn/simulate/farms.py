"""Farm recipes: WordPress mirror, spun page with an invented bio, RSS and LLM autoblogs, MFA slideshow, SEO spam."""

from __future__ import annotations

import random

from detector.learn.simulate.markup import (
    Source,
    _ad_slot,
    _Built,
    _date,
    _e,
    _farm_host,
    _grid,
    _iso,
    _native_widget,
    _nav,
    _networks,
    _origin_url,
    _pad,
    _page,
    _paras_html,
    _sentences,
    _slug,
    _spin,
    _t,
    _title_words,
    _topic,
    _wp_json,
)
from detector.learn.simulate.tables import (
    _FAQ_QUESTIONS,
    _GUIDE_TITLES,
    _HEADINGS,
    _LLM_OPENERS,
    _NATIVE,
    _ORDINARY,
    _OUTLINE,
    _PLAIN_ADDRESS_LOCALES,
    _PLATFORM_HOSTS,
    _SPAM_MODS,
    _T,
    _WORD_PARTS,
)
from features.domains import registrable_domain
from features.page import tokenize

# ---- farm recipes -------------------------------------------------------------------------


def _wp_mirror(src: Source, rng: random.Random, fake) -> _Built:
    exp: list[str] = ["ads.named_elements", "ads.slots"]
    cat = rng.choices(("adult", "pop", "push", "display", "native"), weights=(35, 30, 10, 15, 10))[0]
    top = rng.choice(_networks(cat) or _networks())
    others = rng.sample(_networks(), k=rng.randint(0, 2))
    n_top = rng.choice((2, 3, 4, 6, 8, 10, 12, 16))
    slots = [_ad_slot(top, rng) for _ in range(n_top)]
    if n_top >= 5:
        exp.append("ads.repeated_grid")
    extra = [_ad_slot(net, rng) for net in others for _ in range(rng.randint(1, 3))]
    if any(n.category in ("adult", "pop", "push") for n in [top, *others]):
        exp.append("ads.adult_pop_share")
    paras = list(src.paragraphs)
    if rng.random() < 0.3:
        paras = [_spin(p, src.language, rng, 0.2) for p in paras]
    cut = sorted(rng.sample(range(1, len(paras)), k=min(len(paras) - 1, rng.randint(0, 2)))) if len(paras) > 1 else []
    chunks, last = [], 0
    for c in [*cut, len(paras)]:
        chunks.append(paras[last:c])
        last = c
    half = max(1, len(slots) // 2)
    grids = [_grid(slots[:half], rng), _grid(slots[half:] + extra, rng) if slots[half:] or extra else ""]
    body = grids[0] if rng.random() < 0.8 else ""
    for i, ch in enumerate(chunks):
        body += _paras_html(ch)
        if i < len(chunks) - 1:
            body += _grid([_ad_slot(top, rng)], rng)
    body += grids[1]
    tags = _title_words(src.title, rng.randint(3, 8)) if rng.random() < 0.85 else []
    if rng.random() < 0.8:
        words = _title_words(src.title, rng.randint(3, 9))
        if len(words) >= 3:
            body += f"<p>{_e(' '.join('#' + w.replace('-', '') for w in words))}</p>"
            exp += ["hashtags.closing_line", "hashtags.title_word_share"]
    if len(tags) >= 3:
        exp.append("hashtags.tags_from_title")
    host = _farm_host(rng)
    url = rng.choice((f"https://{host}/?p={rng.randrange(100, 99999)}", f"https://{host}/{_slug(src.title)}/"))
    if rng.random() < 0.5:
        return _Built(_wp_json(src.title, body, url, tags, rng, fake.name() if rng.random() < 0.5 else None),
                      "wp-json", url, exp)
    tag_links = "".join(f'<a href="/tag/{_slug(t, 3)}/" rel="tag">{_e(t)}</a> ' for t in tags)
    footer = f'<div class="tags">{_e(_t(src.language)["tags"])}: {tag_links}</div>' if tags else ""
    if rng.random() < 0.5:
        footer += "<p>Proudly powered by WordPress</p>"
    page = _page(src.title, body, lang=src.language, site_name=host.split(".")[0], nav=_nav(src.language, rng),
                 footer=footer, rng=rng, head='<meta name="generator" content="WordPress 6.5">' if rng.random() < 0.6 else "")
    return _Built(page, "html", url, exp)


def _bio_block(fake, t: dict[str, str], rng: random.Random, exp: list[str]) -> list[tuple[str, str]]:
    name = f"{fake.prefix()} {fake.name()}".strip() if rng.random() < 0.7 and hasattr(fake, "prefix") else fake.name()
    adjs = [fake.word() for _ in range(rng.randint(3, 6))]
    hobbies = [fake.word() for _ in range(rng.randint(4, 9))]
    fields = [
        ("Name", name),
        (t["birthday"], fake.date_of_birth(minimum_age=20, maximum_age=80).isoformat()),
        (t["address"], ", ".join(fake.address().split("\n"))),
        (t["phone"], fake.phone_number()),
        (t["job"], fake.job()),
        (t["hobby"], ", ".join(hobbies)),
        (t["intro"], f"My name is {name}, I am a {', '.join(adjs)} person who loves {hobbies[0]}."),
    ]
    if rng.random() < 0.4:
        fields.insert(rng.randint(1, len(fields)), ("Email", fake.free_email()))
    keep = [fields[0]] + [f for f in fields[1:] if rng.random() < 0.75]
    if len(keep) < 4:
        keep = fields[: rng.randint(4, len(fields))]
    have = {k for k, _ in keep}
    # A fake bio mixes personal fields with contact fields; either kind alone is a profile
    # or a contact box, which real pages have too: then no personal-data signal is declared.
    personal = have & {t["birthday"], t["job"], t["hobby"], t["intro"]}
    contact = have & {t["address"], t["phone"], "Email"}
    if personal and contact and len(personal) + len(contact) >= 3:
        if t["phone"] in have:
            exp.append("bio.has_phone")
        if t["birthday"] in have:
            exp.append("bio.has_birthday")
        # Declared only for address formats with a house number in a standard position.
        if t["address"] in have and fake.locales[0] in _PLAIN_ADDRESS_LOCALES:
            exp.append("bio.has_address")
    return keep


def _spun_bio(src: Source, rng: random.Random, fake) -> _Built:
    lang, t = src.language, _t(src.language)
    exp: list[str] = []
    title = src.title
    if rng.random() < 0.8:
        y = rng.randint(2019, 2026)
        title = f"{title} {rng.choice(('({y})', '[{y}]', '[Updated {y}]', '(Updated {y})')).format(y=y)}"
        exp.append("template.bracket_year_title")
    paras = [_spin(p, lang, rng, rng.uniform(0.2, 0.6)) for p in src.paragraphs]
    padded = 0
    if rng.random() < 0.85:
        for i in range(len(paras)):
            if rng.random() < 0.5:
                paras[i] = _pad(paras[i], lang, rng)
                padded += 1
        if padded == 0 and paras:
            paras[0] = _pad(paras[0], lang, rng)
            padded = 1
        exp.append("text.padding_phrases")
    heads = _HEADINGS.get(lang, _HEADINGS["en"])
    blocks: list[tuple[str, list[str]]] = []
    # Farm themes often keep their English widget headings on pages in other languages.
    theme = _T["en"] if rng.random() < 0.5 else t
    for key in ("top", "latest", "rec"):
        if rng.random() < 0.6:
            blocks.append((theme[key], [fake.sentence(nb_words=rng.randint(5, 10)).rstrip(".") for _ in range(rng.randint(3, 6))]))
    if blocks and theme is _T["en"]:  # translated headings are ambiguous (e.g. "Recent Posts")
        exp.append("template.boilerplate")
    views = f"{t['views']}: {rng.randrange(1000, 999999):,}" if rng.random() < 0.7 else ""
    rating = (f"{t['rating']}: {rng.randint(35, 50) / 10}/5 ({rng.randrange(5, 3000)} {t['votes']})"
              if rng.random() < 0.6 else "")
    if rating:
        exp.append("bio.engagement")
    bio = _bio_block(fake, t, rng, exp) if rng.random() < 0.85 else []
    if rng.random() < 0.5:  # plain extracted text, as the seed page came
        lines = [title, ""]
        for p in paras:
            if rng.random() < 0.25:
                lines += [rng.choice(heads), ""]
            lines += [p, ""]
        for head, items in blocks:
            lines += [head, *items, ""]
        if bio:
            lines += [theme["author"] if rng.random() < 0.6 else "", *(f"{k}: {v}" for k, v in bio), ""]
        meta = [x for x in (views, rating) if x]
        lines[1:1] = meta
        return _Built("\n".join(lines).strip() + "\n", "text", "", exp)
    body = ""
    if views or rating:
        body += "".join(f'<div class="post-meta">{_e(x)}</div>' for x in (views, rating) if x)
    for p in paras:
        if rng.random() < 0.25:
            body += f"<h2>{_e(rng.choice(heads))}</h2>"
        body += f"<p>{_e(p)}</p>"
    side = "".join(f"<h3>{_e(h)}</h3><ul>" + "".join(f'<li><a href="/{_slug(i)}/">{_e(i)}</a></li>' for i in items) + "</ul>"
                   for h, items in blocks)
    if bio:
        body += (f'<div class="author-box"><h3>{_e(theme["author"])}</h3><ul>'
                 + "".join(f"<li>{_e(k)}: {_e(v)}</li>" for k, v in bio) + "</ul></div>")
    host = _farm_host(rng)
    url = f"https://{host}/{rng.choice(('article', 'blog', 'post', 'news'))}/{_slug(src.title)}"
    page = _page(title, body, lang=lang, site_name=host, nav=_nav(lang, rng), footer=side, rng=rng)
    return _Built(page, "html", url, exp)


def _rss_autoblog(src: Source, rng: random.Random, fake) -> _Built:
    lang, t = src.language, _t(src.language)
    exp: list[str] = []
    origin = _origin_url(src, rng)
    origin_name = src.site or registrable_domain(origin)
    paras = list(src.paragraphs)
    truncated = rng.random() < 0.5
    if truncated:
        paras = paras[: rng.randint(1, 3)]
    body = _paras_html(paras)
    if truncated:
        body += f'<p><a href="{_e(origin)}">{_e(rng.choice((t["more"], t["continue_"], "[…]")))}</a></p>'
    footer_kind = rng.choice(("appeared", "first", "originally", "source", "source-link", "none"))
    origin_a = f'<a href="{_e(origin)}">{_e(origin_name)}</a>'
    if footer_kind == "appeared":
        body += "<p>" + _e(t["appeared"]).format(t=f'<a href="{_e(origin)}">{_e(src.title)}</a>', s=origin_a) + "</p>"
        exp.append("template.boilerplate")
    elif footer_kind == "first":
        body += "<p>" + _e(_T["en"]["first"]).format(s=origin_a) + "</p>"
        exp += ["template.boilerplate", "copy.attribution"]
    elif footer_kind == "originally":
        body += f"<p>This article was originally published on {origin_a}.</p>"
        exp.append("copy.attribution")
    elif footer_kind == "source":
        word = {"de": "Quelle", "fr": "Source", "es": "Fuente", "pt": "Fonte", "it": "Fonte"}.get(lang, "Source")
        body += f"<p>{word}: {origin_a}</p>"
        exp.append("copy.attribution")
    elif footer_kind == "source-link":
        label = _T["en"]["source"] if rng.random() < 0.5 else t["source"]
        body += f'<p><a href="{_e(origin)}" rel="nofollow">{_e(label)}</a></p>'
        if label == "Source link":
            exp += ["template.boilerplate", "copy.read_original_link"]
    canonical = origin if rng.random() < 0.5 else ""
    if canonical:
        exp.append("copy.canonical_elsewhere")
    host = _farm_host(rng)
    d = _date(rng)
    url = f"https://{host}/{d[0]}/{d[1]:02d}/{d[2]:02d}/{_slug(src.title)}/"
    if rng.random() < 0.3:
        if canonical:
            exp.remove("copy.canonical_elsewhere")
        return _Built(_wp_json(src.title, body, url, _title_words(src.title, 3), rng), "wp-json", url, exp)
    related = ""
    if rng.random() < 0.5:
        related = "<h3>Related</h3><ul>" + "".join(
            f'<li><a href="/{_slug(s)}/">{_e(s)}</a></li>' for s in (fake.sentence(nb_words=6) for _ in range(4))) + "</ul>"
    page = _page(src.title, body, lang=lang, canonical=canonical, site_name=host, nav=_nav(lang, rng),
                 footer=related, rng=rng, head='<meta name="generator" content="WordPress 6.4">' if rng.random() < 0.7 else "")
    return _Built(page, "html", url, exp)


def _llm_autoblog(src: Source, rng: random.Random, fake) -> _Built:
    """A generated guide: the original's text poured into a stock outline, with ads and a post list.

    AI autoblogs fill the same outline for every topic (Introduction, What is X?, Key
    Features, Best Practices, Common Challenges, FAQ, Conclusion), often under a guide title,
    with over-used filler words, an ad slot between sections and long lists of other posts.
    """
    lang = src.language if src.language in _OUTLINE else "en"
    k = _topic(src.title, rng)
    exp = ["autoblog.outline_sections"]
    outline = _OUTLINE[lang]
    middle = list(outline[1:-1])
    chosen = sorted(rng.sample(range(len(middle)), k=rng.randint(min(2, len(middle)), len(middle))))
    sections = ([outline[0]] if rng.random() < 0.8 else []) + [middle[i] for i in chosen]
    if rng.random() < 0.85 or len(sections) < 2:
        sections.append(outline[-1])
    heads = [rng.choice(opts).format(k=k) for opts in sections]
    paras = list(src.paragraphs)
    per = max(1, len(paras) // len(heads))
    nets = _networks("display") if rng.random() < 0.3 else _networks(names=_ORDINARY)
    ads = rng.random() < 0.85
    openers = rng.randint(0, 3) if lang == "en" else 0
    body, toc = "", []
    faq_done = False
    for i, h in enumerate(heads):
        anchor = _slug(h, 6)
        toc.append(f'<li><a href="#{anchor}">{_e(h)}</a></li>')
        body += f'<h2 id="{anchor}">{_e(h)}</h2>'
        if openers and rng.random() < 0.6:
            body += f"<p>{_e(rng.choice(_LLM_OPENERS).format(k=k))}</p>"
            openers -= 1
        is_faq = h.lower().startswith(("frequently", "faq", "häufig", "questions", "preguntas"))
        if is_faq and lang in _FAQ_QUESTIONS:
            qs = rng.sample(_FAQ_QUESTIONS[lang], k=min(len(_FAQ_QUESTIONS[lang]), rng.randint(3, 5)))
            sents = [s for p in paras for s in _sentences(p)] or paras
            for q in qs:
                body += f"<h3>{_e(q.format(k=k))}</h3><p>{_e(rng.choice(sents))}</p>"
            faq_done = True
            continue
        chunk = paras[i * per : (i + 1) * per] or paras[-1:]
        if rng.random() < 0.3 and len(chunk) > 1:
            items = [(_sentences(p) or [p])[0][:120] for p in chunk[1:]]
            body += _paras_html(chunk[:1]) + "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in items) + "</ul>"
        else:
            body += _paras_html(chunk)
        if ads and i < len(heads) - 1 and rng.random() < 0.6:
            body += f'<div class="ad-container">{_ad_slot(rng.choice(nets), rng)}</div>'
            exp.append("ads.slots")
    if any(o.format(k=k) in body for o in _LLM_OPENERS):
        exp.append("autoblog.llm_vocab_sat")
    if faq_done:
        exp.append("autoblog.faq_block")
    if rng.random() < 0.4:
        body = f'<nav class="toc"><p>Table of Contents</p><ul>{"".join(toc)}</ul></nav>' + body
    if rng.random() < 0.15:
        body += "<p><em>" + _e(rng.choice(("This article was generated with the help of AI.",
                                            "Content powered by AI and reviewed by our team.",
                                            "This post was written with AI assistance."))) + "</em></p>"
        exp.append("autoblog.ai_disclosure")
    title = src.title
    if lang == "en" and rng.random() < 0.6:
        title = rng.choice(_GUIDE_TITLES).format(k=k)
        exp.append("autoblog.guide_title")
    posts = [rng.choice(_GUIDE_TITLES).format(k=" ".join(fake.words(nb=rng.randint(1, 3))).title())
             for _ in range(rng.randint(4, 16))]
    footer = "<h3>Recent Posts</h3><ul>" + "".join(f'<li><a href="/posts/{_slug(t)}/">{_e(t)}</a></li>' for t in posts) + "</ul>"
    if ads and rng.random() < 0.5:
        footer = f'<div class="ad-container">{_ad_slot(rng.choice(nets), rng)}</div>' + footer
    name = f"{rng.choice(_WORD_PARTS)}{rng.choice(('tech', 'guide', 'hub', 'insights', 'blog', 'daily'))}"
    host = f"{name}{rng.randrange(1, 99) if rng.random() < 0.3 else ''}.{rng.choice(_PLATFORM_HOSTS)}" \
        if rng.random() < 0.4 else _farm_host(rng)
    d = _date(rng)
    byline = rng.choice(("", "", "Admin", f"{name.capitalize()} Team", fake.name()))
    head = f'<meta name="author" content="{_e(byline)}">' if byline else ""
    if rng.random() < 0.5:
        head += f'<meta property="article:published_time" content="{_iso(d)}">'
    url = f"https://{host}/{rng.choice(('posts', 'blog', str(d[0])))}/{_slug(title)}/"
    page = _page(title, body, lang=lang, head=head, site_name=name, nav=_nav(lang, rng), footer=footer, rng=rng)
    return _Built(page, "html", url, exp, ["hashtags.closing_line", "bio.has_phone"])


def _mfa_slideshow(src: Source, rng: random.Random, fake) -> _Built:
    lang, t = src.language, _t(src.language)
    natives = rng.sample(_networks(names=_NATIVE), k=rng.choice((0, 1, 1, 2, 3)))
    if natives:
        exp = ["ads.native_widgets", "ads.slots", "ads.per_1000_words"]
    else:  # display-ad arbitrage instead of native widgets
        natives = rng.sample(_networks("display"), k=rng.randint(1, 3))
        exp = ["ads.slots", "ads.per_1000_words"]
    sents = [s for p in src.paragraphs for s in _sentences(p)]
    per = rng.randint(1, 2)
    slides = [" ".join(sents[i : i + per]) for i in range(0, len(sents), per)]
    n_pages = max(2, min(40, len(slides)))
    page_no = rng.randint(1, min(n_pages, 5))
    shown = slides[(page_no - 1) * 2 : (page_no - 1) * 2 + rng.randint(1, 3)] or slides[:1]
    body = f'<div class="slide-counter">{page_no} / {n_pages}</div>'
    for s in shown:
        if rng.random() < 0.6:
            body += f'<figure><img src="https://picsum.photos/seed/{rng.randrange(10**6)}/800/500" alt=""></figure>'
        body += f"<p>{_e(s)}</p>"
        for _ in range(rng.randint(1, 3)):
            body += _native_widget(rng.choice(natives), rng, rng.choice((t["ad"], t["ad"].title(), "Sponsored", "")))
    if rng.random() < 0.4:
        body += _ad_slot(_networks(names=_ORDINARY)[0], rng)
    pages = "".join(f'<a href="?page={i}">{i}</a> ' for i in range(1, min(n_pages, 8) + 1))
    nxt = f'<a class="next" href="?page={page_no + 1}">{_e(t["next"])} ›</a>'
    body += f'<nav class="pagination">{pages}{nxt}</nav>'
    host = _farm_host(rng)
    url = f"https://{host}/{rng.choice(('gallery', 'slideshow', 'story', 'lifestyle'))}/{_slug(src.title)}/?page={page_no}"
    title = src.title if rng.random() < 0.5 else f"{src.title} – {page_no}"
    return _Built(_page(title, body, lang=lang, site_name=host, nav=_nav(lang, rng), rng=rng), "html", url, exp)


def _keywords(src: Source, rng: random.Random) -> list[str]:
    words = _title_words(src.title, 6)
    counts: dict[str, int] = {}
    for p in src.paragraphs:
        for w in tokenize(p):
            if len(w) >= 5 and not w.isdigit():
                counts[w.lower()] = counts.get(w.lower(), 0) + 1
    words += [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]]
    mods = _SPAM_MODS.get(src.language, _SPAM_MODS["en"])
    year = str(rng.randint(2019, 2026))
    out: list[str] = []
    for w in words:
        out.append(w.lower())
        out += [m.format(k=w.lower(), y=year) for m in rng.sample(mods, k=min(len(mods), rng.randint(2, 5)))]
    seen: set[str] = set()
    return [k for k in out if not (k in seen or seen.add(k))]


def _seo_spam(src: Source, rng: random.Random, fake) -> _Built:
    lang, t = src.language, _t(src.language)
    exp: list[str] = []
    kws = _keywords(src, rng)
    head_kw = kws[0] if kws else src.title
    title = src.title
    # Keyword-list titles on under half: real SEO pages mostly keep a sentence title (1 of 16 in the corpus).
    style = rng.choices(("commas", "pipes", "mild", "none"), weights=(25, 20, 25, 30))[0]
    if style == "commas" and len(kws) >= 8:
        title = ", ".join(rng.sample(kws, k=min(len(kws), rng.randint(8, 12)))) + f", {head_kw}"
        exp.append("template.keyword_title")
    elif style == "pipes" and len(kws) >= 10:
        sep = rng.choice((" | ", " - ", " | ", " · "))
        title = sep.join([head_kw, *rng.sample(kws, k=min(len(kws), rng.randint(10, 14))), head_kw])
        exp.append("template.keyword_title")
    elif style == "mild" and kws:
        title = f"{src.title} - {' - '.join(rng.sample(kws, k=min(len(kws), 3)))}"
    head = ""
    n_meta = rng.choice((0, 20, 35, 50))
    if n_meta and kws:
        meta = [kws[i % len(kws)] for i in range(n_meta)]
        head += f'<meta name="keywords" content="{_e(", ".join(dict.fromkeys(meta)))}">'
        if len(dict.fromkeys(meta)) >= 15:
            exp.append("text.meta_keywords")
        if len(dict.fromkeys(meta)) >= 30:
            exp.append("text.keyword_stuffing")
    sents = [s for p in src.paragraphs for s in _sentences(p)]
    rng.shuffle(sents)
    salad = []
    for i in range(0, len(sents), rng.randint(2, 5)):
        chunk = sents[i : i + 5]
        if rng.random() < 0.5 and kws:
            chunk.insert(rng.randrange(len(chunk) + 1), f"{rng.choice(kws).capitalize()}.")
        salad.append(" ".join(chunk))
    body = _paras_html(salad[:30])
    if rng.random() < 0.6 and kws:
        style = rng.choice(("font-size:0px", "color:#ffffff", "text-indent:-9999px", "font-size: 1px"))
        body += f'<div style="{style}">{_e(" ".join(rng.choices(kws, k=rng.randint(30, 120))))}</div>'
        exp.append("text.hidden_text")
    footer = ""
    if rng.random() < 0.6 and len(kws) >= 16:
        footer = f"<h3>{_e(t['related'])}</h3><p>{_e(', '.join(kws[:rng.randint(16, min(40, len(kws)))]))}</p>"
        exp += ["template.boilerplate", "text.keyword_stuffing"]
    host = rng.choice((_farm_host(rng), "-".join(_slug(head_kw, 3).split("-")[:3]) + "." + rng.choice(("com", "net", "info", "org"))))
    url = f"http://{host}/{_slug(head_kw)}.html"
    page = _page(title, body, lang=lang, head=head, site_name=host, footer=footer, rng=rng,
                 nav=[rng.choice(kws) for _ in range(4)] if kws else ())
    return _Built(page, "html", url, sorted(set(exp)))
