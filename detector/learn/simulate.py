"""Farm simulator: real originals turned into farm pages by the recipes farms use.

Real farm pages are few; the simulator multiplies them by rewriting *real* originals
(their title and main text, read through :mod:`detector.sources.load`) the way farms do:

- farm recipes: ``wp-mirror`` (WordPress scraper mirror between ad-script grids),
  ``spun-bio`` (spun text, invented author bio, views, "Top Articles" blocks),
  ``rss-autoblog`` (full or truncated copy with an "appeared first on" footer),
  ``mfa-slideshow`` (thin slices between native-ad widgets), ``seo-spam``;
- hard negatives, label ``original``: ``original-with-ads``, ``social-hashtags``,
  ``genuine-bio``, ``credited-wire``, ``plain-text-original``, ``thin-original`` (a brief or a
  stub: title and one or two short paragraphs; thin is not farm).

Every choice comes from ``random.Random(seed)`` (Faker seeded per page), so the same
original, recipe and seed give the same bytes. Each recipe randomly leaves out some of
its tells, so no single signal defines a recipe. Each :class:`SimPage` declares the
feature names that should fire (``expected``) and those the recipe must not add
(``absent``). Simulated pages hold real text: they are made at training time and never
written into the repo.
"""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from detector.errors import InputError
from detector.learn.labelled import Example, load_page
from detector.sources.load import pages_from_bytes
from features.domains import registrable_domain
from features.page import Page, tokenize

FARM_RECIPES = ("wp-mirror", "spun-bio", "rss-autoblog", "llm-autoblog", "mfa-slideshow", "seo-spam")
NEGATIVE_RECIPES = ("original-with-ads", "social-hashtags", "genuine-bio", "credited-wire", "plain-text-original",
                    "thin-original", "explainer-original")
RECIPES = FARM_RECIPES + NEGATIVE_RECIPES
KINDS = {
    "wp-mirror": "scraped-mirror", "spun-bio": "spun-fake-bio", "rss-autoblog": "autoblog", "llm-autoblog": "autoblog",
    "mfa-slideshow": "mfa-ads", "seo-spam": "seo-spam", "credited-wire": "wire-copy",
}
MIN_WORDS = 40
MAX_PARAGRAPHS = 60

# Faker locales per page language; pages in other languages draw from all of them.
LOCALES = {
    "en": ("en_US", "en_GB", "en_AU", "en_CA"), "de": ("de_DE", "de_AT", "de_CH"),
    "fr": ("fr_FR", "fr_CA"), "es": ("es_ES", "es_MX"), "pt": ("pt_BR", "pt_PT"),
    "it": ("it_IT",), "ru": ("ru_RU",), "zh": ("zh_CN", "zh_TW"), "ja": ("ja_JP",),
    "pl": ("pl_PL",), "nl": ("nl_NL",), "ko": ("ko_KR",), "cs": ("cs_CZ",), "tr": ("tr_TR",),
    "sv": ("sv_SE",), "da": ("da_DK",), "no": ("no_NO",), "fi": ("fi_FI",), "hu": ("hu_HU",),
    "uk": ("uk_UA",), "id": ("id_ID",), "hi": ("hi_IN",), "ar": ("ar_AA",), "fa": ("fa_IR",),
}
ALL_LOCALES = tuple(loc for locs in LOCALES.values() for loc in locs)

# Template strings farms ship in a few languages; other languages get the English theme.
_T: dict[str, dict[str, str]] = {
    "en": dict(top="Top Articles", latest="Latest Posts", rec="Recommended Articles",
               views="Views", rating="Rating", votes="votes", author="Author information",
               article="Article information", birthday="Birthday", address="Address",
               phone="Phone", job="Job", hobby="Hobby", intro="Introduction",
               ad="ADVERTISEMENT", next="Next", prev="Previous", more="Read more",
               related="Related searches", source="Source link", tags="Tags",
               appeared="The post {t} appeared first on {s}.",
               first="This post first appeared on {s}.", continue_="Continue reading"),
    "de": dict(top="Top-Artikel", latest="Neueste Beiträge", rec="Empfohlene Artikel",
               views="Aufrufe", rating="Bewertung", votes="Stimmen", author="Autoreninformationen",
               article="Artikelinformationen", birthday="Geburtstag", address="Adresse",
               phone="Telefon", job="Beruf", hobby="Hobbys", intro="Vorstellung",
               ad="ANZEIGE", next="Weiter", prev="Zurück", more="Weiterlesen",
               related="Ähnliche Suchanfragen", source="Quelllink", tags="Schlagwörter",
               appeared="Der Beitrag {t} erschien zuerst auf {s}.",
               first="This post first appeared on {s}.", continue_="Weiterlesen"),
    "fr": dict(top="Meilleurs articles", latest="Derniers articles", rec="Articles recommandés",
               views="Vues", rating="Note", votes="votes", author="Informations sur l'auteur",
               article="Informations sur l'article", birthday="Anniversaire", address="Adresse",
               phone="Téléphone", job="Métier", hobby="Loisirs", intro="Présentation",
               ad="PUBLICITÉ", next="Suivant", prev="Précédent", more="Lire la suite",
               related="Recherches associées", source="Lien source", tags="Étiquettes",
               appeared="L'article {t} est apparu en premier sur {s}.",
               first="This post first appeared on {s}.", continue_="Lire la suite"),
    "es": dict(top="Artículos principales", latest="Últimas entradas", rec="Artículos recomendados",
               views="Vistas", rating="Valoración", votes="votos", author="Información del autor",
               article="Información del artículo", birthday="Cumpleaños", address="Dirección",
               phone="Teléfono", job="Trabajo", hobby="Aficiones", intro="Presentación",
               ad="PUBLICIDAD", next="Siguiente", prev="Anterior", more="Leer más",
               related="Búsquedas relacionadas", source="Enlace de origen", tags="Etiquetas",
               appeared="La entrada {t} apareció primero en {s}.",
               first="This post first appeared on {s}.", continue_="Seguir leyendo"),
    "pt": dict(top="Principais artigos", latest="Últimos posts", rec="Artigos recomendados",
               views="Visualizações", rating="Avaliação", votes="votos", author="Informações do autor",
               article="Informações do artigo", birthday="Aniversário", address="Endereço",
               phone="Telefone", job="Profissão", hobby="Hobbies", intro="Apresentação",
               ad="PUBLICIDADE", next="Próximo", prev="Anterior", more="Leia mais",
               related="Pesquisas relacionadas", source="Link da fonte", tags="Tags",
               appeared="O post {t} apareceu primeiro em {s}.",
               first="This post first appeared on {s}.", continue_="Continuar lendo"),
    "it": dict(top="Top Articles", latest="Ultimi articoli", rec="Articoli consigliati",
               views="Visualizzazioni", rating="Valutazione", votes="voti", author="Informazioni sull'autore",
               article="Informazioni sull'articolo", birthday="Compleanno", address="Indirizzo",
               phone="Telefono", job="Lavoro", hobby="Hobby", intro="Presentazione",
               ad="PUBBLICITÀ", next="Avanti", prev="Indietro", more="Leggi tutto",
               related="Ricerche correlate", source="Link alla fonte", tags="Tag",
               appeared="L'articolo {t} è apparso per la prima volta su {s}.",
               first="This post first appeared on {s}.", continue_="Continua a leggere"),
}

# Stock padding of spun / machine-written text (the simulator's own list).
_PADDING = {
    "en": ("Personally, I think", "In my opinion,", "It's worth noting that", "What makes this particularly interesting is that",
           "If you take a step back and think about it,", "It is important to note that", "From my perspective,",
           "In today's fast-paced world,", "This raises a deeper question:", "One thing that immediately stands out is that",
           "At the end of the day,", "Needless to say,", "Let's delve into why", "In the ever-evolving landscape of news,"),
    "de": ("Meiner Meinung nach", "Es ist erwähnenswert, dass", "Persönlich denke ich, dass",
           "Es ist wichtig zu beachten, dass", "In der heutigen schnelllebigen Welt"),
    "fr": ("À mon avis,", "Il convient de noter que", "Personnellement, je pense que", "Il est important de noter que"),
    "es": ("En mi opinión,", "Cabe destacar que", "Personalmente, creo que", "Es importante tener en cuenta que"),
    "pt": ("Na minha opinião,", "Vale a pena notar que", "Pessoalmente, acho que", "É importante notar que"),
    "it": ("Secondo me,", "Vale la pena notare che", "Personalmente, penso che", "È importante notare che"),
}
_SYNONYMS = {
    "en": {"said": "stated", "big": "large", "important": "crucial", "show": "demonstrate", "help": "assist",
           "buy": "purchase", "start": "commence", "end": "conclude", "use": "utilise", "people": "individuals",
           "many": "numerous", "get": "obtain", "new": "novel", "also": "additionally", "but": "however",
           "about": "regarding", "because": "since", "fast": "rapid", "quickly": "rapidly", "city": "metropolis"},
    "de": {"sagte": "erklärte", "groß": "riesig", "wichtig": "bedeutend", "neue": "frische", "auch": "ebenfalls",
           "aber": "jedoch", "viele": "zahlreiche", "schnell": "rasch", "Menschen": "Personen"},
    "fr": {"dit": "déclaré", "grand": "vaste", "important": "essentiel", "nouveau": "inédit", "aussi": "également",
           "mais": "cependant", "beaucoup": "énormément", "rapidement": "vite"},
    "es": {"dijo": "afirmó", "grande": "enorme", "importante": "fundamental", "nuevo": "novedoso",
           "también": "asimismo", "pero": "sin embargo", "muchos": "numerosos", "rápido": "veloz"},
}
_HEADINGS = {
    "en": ("Introduction", "Key Takeaways", "Why It Matters", "The Bigger Picture", "Final Thoughts", "Conclusion", "FAQs"),
    "de": ("Einleitung", "Das Wichtigste in Kürze", "Fazit"),
    "fr": ("Introduction", "À retenir", "Conclusion"),
    "es": ("Introducción", "Puntos clave", "Conclusión"),
}
_SPAM_MODS = {
    "en": ("best {k}", "{k} near me", "cheap {k}", "{k} online", "{k} {y}", "how to {k}", "{k} reviews", "free {k}", "top {k}"),
    "de": ("beste {k}", "{k} günstig", "{k} online", "{k} {y}", "{k} kaufen", "{k} test"),
    "fr": ("meilleur {k}", "{k} pas cher", "{k} en ligne", "{k} {y}", "avis {k}"),
    "es": ("mejor {k}", "{k} barato", "{k} online", "{k} {y}", "comprar {k}"),
}
# Stock outline of generated guides ({k} = the topic); per language, in page order.
_OUTLINE = {
    "en": (("Introduction", "Introduction to {k}"), ("What is {k}?", "What Are {k}?"),
           ("Key Features of {k}", "Key Benefits", "Key Concepts"), ("Why {k} Matters",),
           ("Best Practices for {k}", "How to Get Started", "Getting Started with {k}"),
           ("Common Challenges and Solutions", "Common Mistakes to Avoid"),
           ("Real-World Use Cases", "Practical Applications of {k}"), ("Frequently Asked Questions", "FAQs"),
           ("Conclusion", "Final Thoughts", "Wrapping Up")),
    "de": (("Einleitung", "Einführung in {k}"), ("Was ist {k}?",), ("Vorteile", "Die wichtigsten Vorteile"),
           ("Häufig gestellte Fragen",), ("Fazit",)),
    "fr": (("Introduction",), ("Qu'est-ce que {k} ?",), ("Avantages",), ("Questions fréquentes", "FAQ"),
           ("Conclusion", "En conclusion")),
    "es": (("Introducción",), ("¿Qué es {k}?",), ("Ventajas",), ("Preguntas frecuentes",), ("Conclusión",)),
}
_FAQ_QUESTIONS = {
    "en": ("What is {k}?", "How does {k} work?", "Why is {k} important?", "Is {k} worth it?",
           "How can I get started with {k}?", "What are the benefits of {k}?"),
    "de": ("Was ist {k}?", "Wie funktioniert {k}?", "Warum ist {k} wichtig?", "Lohnt sich {k}?"),
    "fr": ("Qu'est-ce que {k} ?", "Comment fonctionne {k} ?", "Pourquoi {k} est-il important ?", "{k} en vaut-il la peine ?"),
    "es": ("¿Qué es {k}?", "¿Cómo funciona {k}?", "¿Por qué es importante {k}?", "¿Vale la pena {k}?"),
}
_GUIDE_TITLES = ("Mastering {k}: A Complete Guide", "Understanding {k}", "{k}: Everything You Need to Know",
                 "Unlocking the Power of {k}", "The Ultimate Guide to {k}", "{k} Simplified", "Exploring {k}")
# Filler openers of generated prose (the over-used words of autoblog.LLM_VOCAB among them).
_LLM_OPENERS = ("In today's rapidly evolving landscape, {k} plays a pivotal role.",
                "Moreover, understanding {k} is crucial for anyone who wants to stay ahead.",
                "This comprehensive overview will delve into the key aspects of {k}.",
                "By leveraging {k}, readers can unlock actionable insights and streamline their decisions.",
                "Ultimately, {k} offers a seamless and transformative experience.",
                "Furthermore, it is important to navigate the intricacies of {k} with a holistic approach.")
_PLATFORM_HOSTS = ("github.io", "blogspot.com", "netlify.app", "wordpress.com", "medium.com", "pages.dev")
# Subheadings an editor gives an explainer (hard negatives for the outline signals).
_EXPLAINER_HEADS = {
    "en": ("What happened?", "What is {k}?", "Why it matters", "What happens next?", "Background",
           "What they said", "The bigger picture", "Key takeaways"),
    "de": ("Was ist passiert?", "Was ist {k}?", "Wie geht es weiter?", "Hintergrund"),
    "fr": ("Que s'est-il passé ?", "Qu'est-ce que {k} ?", "Et maintenant ?", "Contexte"),
    "es": ("¿Qué pasó?", "¿Qué es {k}?", "¿Qué viene ahora?", "Contexto"),
}
_FARM_TLDS = ("xyz", "top", "online", "site", "info", "club", "news", "live", "today", "com", "net", "blog", "pro")
_WORD_PARTS = ("news", "daily", "trend", "buzz", "hub", "world", "viral", "info", "media", "post", "feed",
               "times", "insider", "report", "zone", "now", "star", "express", "wire", "pulse", "global")
_PAPER = ("Herald", "Gazette", "Courier", "Tribune", "Chronicle", "Observer", "Ledger", "Journal", "Post", "Times")
_AGENCIES = {
    "en": (("AP", "The Associated Press", "https://apnews.com/article/{slug}-{hex}"),
           ("Reuters", "Reuters", "https://www.reuters.com/world/{slug}-{date}/"),
           ("AFP", "Agence France-Presse", "https://www.afp.com/en/news/{n}")),
    "de": (("dpa", "dpa", "https://www.dpa.com/de/{slug}"),
           ("AFP", "Agence France-Presse", "https://www.afp.com/de/{n}")),
    "fr": (("AFP", "Agence France-Presse", "https://www.afp.com/fr/{n}"),),
    "es": (("EFE", "EFE", "https://efe.com/mundo/{date}/{slug}/"),
           ("Europa Press", "Europa Press", "https://www.europapress.es/nacional/{slug}.html")),
    "it": (("ANSA", "ANSA", "https://www.ansa.it/sito/notizie/{slug}.html"),),
    "pt": (("Lusa", "Lusa", "https://www.lusa.pt/article/{n}"),
           ("Agência Brasil", "Agência Brasil", "https://agenciabrasil.ebc.com.br/geral/noticia/{date}/{slug}")),
    "ja": (("共同", "Kyodo News", "https://www.kyodo.co.jp/news/{n}"),),
    "zh": (("新华社", "Xinhua News Agency", "https://www.news.cn/world/{date}/{hex}/c.html"),),
    "ru": (("ТАСС", "ТАСС", "https://tass.ru/obschestvo/{n}"),),
}
_PLAIN_ADDRESS_LOCALES = frozenset({"en_US", "en_GB", "de_DE", "de_CH", "fr_FR"})
_NATIVE = ("Taboola", "Outbrain", "MGID", "RevContent")
_ORDINARY = ("Google AdSense", "Google Ad Manager")


# ---- the result -------------------------------------------------------------------------


@dataclass(frozen=True)
class SimPage:
    """One simulated page and what it should look like to the extractors."""

    data: bytes
    fmt: str  # "html" | "wp-json" | "text"
    recipe: str
    label: str  # "farm" | "original"
    kind: str
    url: str
    language: str
    origin_id: str
    origin_site: str  # group on this: the same real text must not cross a split
    seed: int
    expected: tuple[str, ...] = ()  # features that should be > 0
    absent: tuple[str, ...] = ()  # features the recipe must not raise above the original's value

    @property
    def id(self) -> str:
        return f"sim__{self.recipe}__{self.origin_id}__{self.seed}"

    @property
    def site(self) -> str:
        return registrable_domain(self.url) if self.url else ""

    def page(self) -> Page:
        """The simulated page parsed as farmscan reads any input."""
        for doc in pages_from_bytes(self.data, url=self.url or None, name=self.id):
            if doc.page is not None:
                return doc.page
        raise InputError(f"{self.id}: simulated page did not parse")


@dataclass
class Source:
    """What a recipe takes from the original: title, paragraphs, origin."""

    id: str
    title: str
    paragraphs: list[str]
    url: str
    site: str
    language: str
    kind: str
    html: str | None  # the original markup (hard negatives keep it)


@dataclass
class _Built:
    body: str
    fmt: str
    url: str
    expected: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


# ---- reading the original ----------------------------------------------------------------


def source_of(original: Example | bytes | Page, language: str = "") -> Source:
    """Title and main-text paragraphs of a real page (raises :class:`InputError` if too thin)."""
    if isinstance(original, Example):
        page = load_page(original)
        ident, lang, kind = original.id, original.language, original.kind
    elif isinstance(original, Page):
        page, ident, lang, kind = original, "page", language, "news-article"
    else:
        page = next(d.page for d in pages_from_bytes(bytes(original), name="<original>") if d.page)
        ident, lang, kind = "bytes", language, "news-article"
    paras = [" ".join(ln.split()) for ln in page.main_text.splitlines()]
    paras = [p for p in paras if len(tokenize(p)) >= 4]
    if sum(len(tokenize(p)) for p in paras) < MIN_WORDS:
        raise InputError(f"{ident}: original too short to simulate from")
    title = page.title or paras[0][:120]
    if paras and paras[0].strip() == title.strip():
        paras = paras[1:] or paras
    url = page.url or ""
    return Source(ident, title, paras[:MAX_PARAGRAPHS], url, registrable_domain(url) if url else "",
                  lang or "", kind or "news-article", page.html if page.kind == "html" else None)


# ---- small helpers -----------------------------------------------------------------------


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _t(lang: str) -> dict[str, str]:
    return _T.get(lang, _T["en"])


@lru_cache(maxsize=64)
def _faker_for(locale: str):
    """A Faker for ``locale`` whose word lists do not depend on ``PYTHONHASHSEED``.

    Some Faker providers build their lists from sets (it_IT's ``cities``), so the same seed
    gave different pages in different processes. Sorting every all-string list or set
    attribute keeps uniform sampling uniform and makes the simulator reproducible.
    """
    from faker import Faker

    fake = Faker(locale)
    for provider in fake.get_providers():
        for name in dir(type(provider)):
            if name.startswith("_"):
                continue
            value = getattr(type(provider), name, None)
            if isinstance(value, set | frozenset | list) and value and all(isinstance(v, str) for v in value):
                setattr(provider, name, sorted(value) if isinstance(value, list) else tuple(sorted(value)))
    return fake


def _faker(lang: str, rng: random.Random):
    """A Faker of the page's language most of the time, any locale otherwise, seeded from ``rng``."""
    locs = LOCALES.get(lang)
    locale = rng.choice(locs) if locs and rng.random() < 0.8 else rng.choice(ALL_LOCALES)
    fake = _faker_for(locale)
    fake.seed_instance(rng.randrange(2**32))
    return fake


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?。！？])\s+|(?<=[。！？])", text)
    return [p.strip() for p in parts if p and p.strip()]


def _slug(text: str, n: int = 8) -> str:
    words = [w.lower() for w in re.findall(r"[^\W_]+", text)][:n]
    slug = "-".join(w for w in words if w.isascii())
    return slug or "post"


def _date(rng: random.Random) -> tuple[int, int, int, int, int]:
    return (rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59))


def _iso(d: tuple[int, int, int, int, int]) -> str:
    return f"{d[0]:04d}-{d[1]:02d}-{d[2]:02d}T{d[3]:02d}:{d[4]:02d}:{(d[3] * 7) % 60:02d}"


def _farm_host(rng: random.Random) -> str:
    style = rng.random()
    tld = rng.choice(_FARM_TLDS)
    if style < 0.2:
        return f"{rng.randrange(10**5, 10**8)}.{tld}"
    if style < 0.7:
        return f"{rng.choice(_WORD_PARTS)}{rng.choice(_WORD_PARTS)}.{tld}"
    return f"{rng.choice(_WORD_PARTS)}-{rng.choice(_WORD_PARTS)}{rng.randrange(1, 99)}.{tld}"


def _origin_url(src: Source, rng: random.Random) -> str:
    if src.url:
        return src.url
    return f"https://www.{rng.choice(_WORD_PARTS)}{rng.choice(_PAPER).lower()}.com/{_slug(src.title)}/"


def _title_words(title: str, k: int) -> list[str]:
    words, seen = [], set()
    for w in tokenize(title):
        if (len(w) >= 4 or not w.isascii()) and not w.isdigit() and w.lower() not in seen:
            seen.add(w.lower())
            words.append(w)
    return words[:k]


def _spin(text: str, lang: str, rng: random.Random, rate: float) -> str:
    """Light spinning: synonym swaps and a sentence shuffle on the real text."""
    syn = _SYNONYMS.get(lang, {})
    if syn:
        def swap(m: re.Match[str]) -> str:
            w = m.group(0)
            rep = syn.get(w) or syn.get(w.lower())
            if rep and rng.random() < rate:
                return rep.capitalize() if w[0].isupper() else rep
            return w
        text = re.sub(r"\w+", swap, text)
    sents = _sentences(text)
    if len(sents) > 2 and rng.random() < rate:
        i = rng.randrange(len(sents) - 1)
        sents[i], sents[i + 1] = sents[i + 1], sents[i]
    return " ".join(sents) if sents else text


def _pad(sentence: str, lang: str, rng: random.Random) -> str:
    phrase = rng.choice(_PADDING.get(lang) or _PADDING["en"])
    if not sentence:
        return phrase
    head = sentence[0].lower() + sentence[1:] if sentence[:1].isupper() and sentence[1:2].islower() else sentence
    return f"{phrase} {head}"


def _page(title: str, body: str, *, lang: str, head: str = "", canonical: str = "", site_name: str = "",
          nav: Sequence[str] = (), footer: str = "", rng: random.Random | None = None) -> str:
    """A whole HTML page; theme classes vary with ``rng``."""
    r = rng or random.Random(0)
    theme = r.choice(("wp", "news", "plain", "magazine"))
    cls = {"wp": ("site-header", "entry-content", "site-footer"),
           "news": ("masthead", "article-body", "footer"),
           "plain": ("top", "content", "bottom"),
           "magazine": ("header-wrap", "post-body", "footer-wrap")}[theme]
    links = "".join(f'<li><a href="/{_slug(n)}/">{_e(n)}</a></li>' for n in nav)
    canon = f'<link rel="canonical" href="{_e(canonical)}">' if canonical else ""
    return (
        f'<!DOCTYPE html><html lang="{lang or "en"}"><head><meta charset="utf-8">'
        f"<title>{_e(title)}</title>{canon}{head}</head><body>"
        f'<header class="{cls[0]}"><div class="brand">{_e(site_name)}</div><nav><ul>{links}</ul></nav></header>'
        f'<main><article><h1>{_e(title)}</h1><div class="{cls[1]}">{body}</div></article></main>'
        f'<footer class="{cls[2]}">{footer}</footer></body></html>'
    )


def _paras_html(paras: Sequence[str]) -> str:
    return "".join(f"<p>{_e(p)}</p>" for p in paras)


def _nav(lang: str, rng: random.Random) -> list[str]:
    base = {"de": ["Politik", "Wirtschaft", "Sport", "Kultur"], "fr": ["Politique", "Économie", "Sport", "Culture"],
            "es": ["Política", "Economía", "Deportes", "Cultura"]}.get(lang, ["News", "World", "Business", "Sport", "Culture"])
    return rng.sample(base, k=rng.randint(2, len(base)))


# ---- ad markup from the curated table ------------------------------------------------------


def _networks(category: str | None = None, names: Sequence[str] = ()) -> list:
    from features.ads import networks

    nets = networks()
    if names:
        return [n for n in nets if n.name in names]
    return [n for n in nets if category is None or n.category == category]


def _ad_slot(net, rng: random.Random) -> str:
    """One ad slot of ``net``: its loader script, its slot element, its inline call."""
    src = net.example_url or f"https://{net.domains[0]}/js/ads.js"
    typ = ' type="application/javascript"' if rng.random() < 0.5 else ""
    parts = [f'<script async{typ} src="{_e(src)}"></script>']
    cls = next((m[1:] for m in net.markers if m.startswith(".")), "")
    attr = next((m[1:-1] for m in net.markers if m.startswith("[") and m.endswith("]")), "")
    code = [m for m in net.markers if not m.startswith((".", "["))]
    attrs = []
    if cls:
        attrs.append(f'class="{_e(cls)}{rng.choice("0123456789") if rng.random() < 0.5 else ""}"')
    if attr:
        attrs.append(f'{_e(attr)}="{rng.randrange(10**6, 10**7)}"')
    if attrs:
        parts.append(f"<ins {' '.join(attrs)}></ins>")
    if code:
        marker = rng.choice(code)
        ident = marker.strip(".")
        if re.fullmatch(r"[A-Za-z_$][\w$]*", ident):
            parts.append(f"<script>(window.{ident} = window.{ident} || []).push({{zone: {rng.randrange(10**5, 10**7)}}});</script>")
        else:
            parts.append(f"<script>var slot = '{_e(marker)}-{rng.randrange(100, 999)}';</script>")
    return " ".join(parts)


def _grid(slots: list[str], rng: random.Random) -> str:
    layout = rng.choice(("grid", "table", "flex", "plain"))
    if layout == "grid":
        cols = rng.choice(("300px 160px", "1fr 1fr", "repeat(3, 1fr)", "728px"))
        cells = "".join(f'<div style="height: {rng.choice((90, 250, 600))}px; background: #ccc;">{s}</div>' for s in slots)
        return f'<div style="display: grid; grid-template-columns: {cols}; gap: 2px;">{cells}</div>'
    if layout == "table":
        return "<table><tr>" + "".join(f"<td>{s}</td>" for s in slots) + "</tr></table>"
    if layout == "flex":
        return '<div style="display:flex;flex-wrap:wrap">' + "".join(f'<div class="ad-box">{s}</div>' for s in slots) + "</div>"
    return "".join(f"<div>{s}</div>" for s in slots)


def _native_widget(net, rng: random.Random, label: str) -> str:
    n = rng.randrange(1, 9)
    ad = f'<div class="ad-label">{_e(label)}</div>' if rng.random() < 0.8 else ""
    return f'<aside class="sponsored-{n}">{ad}{_ad_slot(net, rng)}</aside>'


# ---- WordPress REST -----------------------------------------------------------------------


def _wp_json(title: str, content: str, url: str, tags: Sequence[str], rng: random.Random,
             author: str | None = None) -> str:
    d = _date(rng)
    pid = rng.randrange(100, 99999)
    post = {
        "id": pid, "date": _iso(d), "date_gmt": _iso(d), "guid": {"rendered": f"{url.split('?')[0]}?p={pid}"},
        "modified": _iso(d), "modified_gmt": _iso(d), "slug": _slug(title), "status": "publish", "type": "post",
        "link": url, "title": {"rendered": _e(title)}, "content": {"rendered": content, "protected": False},
        "excerpt": {"rendered": "", "protected": False}, "author": rng.randrange(1, 9),
        "featured_media": rng.randrange(0, 99999), "categories": [rng.randrange(1, 40)],
        "tags": [rng.randrange(1, 5000) for _ in tags],
        "class_list": [f"post-{pid}", "type-post", "status-publish", "format-standard"]
        + [f"tag-{'-'.join(t.lower().split())}" for t in tags],
    }
    if author:
        post["author_info"] = {"display_name": author}
    return json.dumps(post, ensure_ascii=rng.random() < 0.5)


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


def _topic(title: str, rng: random.Random) -> str:
    """A guide topic from a headline: a run of one to three of its longer words."""
    words = _title_words(title, 6)
    if not words:
        return "this topic"
    n = rng.randint(1, min(3, len(words)))
    i = rng.randrange(len(words) - n + 1)
    return " ".join(w if w[:1].isupper() else w.capitalize() for w in words[i : i + n])


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
    style = rng.choices(("commas", "pipes", "mild", "none"), weights=(40, 35, 15, 10))[0]
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


def _original_with_ads(src: Source, rng: random.Random, fake) -> _Built:
    doc = _base_html(src, rng)
    nets = _networks(names=_ORDINARY)
    for _ in range(rng.randint(1, 3)):
        label = f'<div class="ad-label">{_e(_t(src.language)["ad"].title())}</div>' if rng.random() < 0.5 else ""
        doc = _insert(doc, f'<div class="ad-slot">{label}{_ad_slot(rng.choice(nets), rng)}</div>', rng)
    url = _origin_url(src, rng)
    return _Built(doc, "html", url, ["ads.named_elements"], ["ads.adult_pop_share", "ads.repeated_grid"])


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

def _explainer_original(src: Source, rng: random.Random, fake) -> _Built:
    """The original with an editor's explainer subheadings ("What is X?", "Why it matters").

    Newsrooms break long pieces with such headings too; with the ``llm-autoblog`` farms this
    keeps the model from reading any question heading as a generated outline.
    """
    lang = src.language if src.language in _EXPLAINER_HEADS else "en"
    k = _topic(src.title, rng)
    heads = rng.sample(_EXPLAINER_HEADS[lang], k=rng.randint(2, 4))
    doc = _base_html(src, rng)
    ends = [m.end() for m in re.finditer(r"</p\s*>", doc, re.I)]
    if len(ends) >= 3:
        picks = sorted(rng.sample(ends[1:-1] or ends, k=min(len(heads), len(ends[1:-1] or ends))), reverse=True)
        for pos, h in zip(picks, heads, strict=False):
            doc = doc[:pos] + f"<h2>{_e(h.format(k=k))}</h2>" + doc[pos:]
    else:
        doc = _insert(doc, "".join(f"<h2>{_e(h.format(k=k))}</h2>" for h in heads), rng)
    return _Built(doc, "html", _origin_url(src, rng), [], ["ads.repeated_grid", "autoblog.ai_disclosure"])


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


_RECIPE_FNS: dict[str, Callable[[Source, random.Random, object], _Built]] = {
    "wp-mirror": _wp_mirror, "spun-bio": _spun_bio, "rss-autoblog": _rss_autoblog,
    "mfa-slideshow": _mfa_slideshow, "seo-spam": _seo_spam, "original-with-ads": _original_with_ads,
    "social-hashtags": _social_hashtags, "genuine-bio": _genuine_bio, "credited-wire": _credited_wire,
    "plain-text-original": _plain_text_original, "thin-original": _thin_original,
    "llm-autoblog": _llm_autoblog, "explainer-original": _explainer_original,
}


# ---- API ----------------------------------------------------------------------------------


def simulate(original: Example | bytes | Source, recipe: str, rng_seed: int, *, language: str = "") -> SimPage:
    """One simulated page from a real original; same inputs, same bytes."""
    fn = _RECIPE_FNS.get(recipe)
    if fn is None:
        raise InputError(f"unknown recipe {recipe!r} (expected one of {', '.join(RECIPES)})")
    src = original if isinstance(original, Source) else source_of(original, language)
    rng = random.Random(f"{recipe}:{rng_seed}")
    fake = _faker(src.language, rng)
    built = fn(src, rng, fake)
    label = "farm" if recipe in FARM_RECIPES else "original"
    kind = KINDS.get(recipe, src.kind if src.kind not in ("", "other") else "news-article")
    return SimPage(
        data=built.body.encode("utf-8"), fmt=built.fmt, recipe=recipe, label=label, kind=kind,
        url=built.url, language=src.language, origin_id=src.id, origin_site=src.site or src.id,
        seed=rng_seed, expected=tuple(dict.fromkeys(built.expected)), absent=tuple(built.absent),
    )


def generate(examples: Sequence[Example], n: int, seed: int, *,
             recipes: Sequence[str] = RECIPES) -> Iterator[SimPage]:
    """``n`` simulated pages, balanced over ``recipes``, from real originals of many languages.

    Originals are drawn language first (uniform over languages half of the time, so rare
    languages appear), then page. Originals too thin to rewrite are skipped.
    """
    originals = [e for e in examples if e.label == "original" and e.confidence in ("presumed", "clear")]
    if not originals:
        raise InputError("no original pages to simulate from")
    by_lang: dict[str, list[Example]] = {}
    for e in sorted(originals, key=lambda e: e.id):
        by_lang.setdefault(e.language or "", []).append(e)
    langs = sorted(by_lang)
    rng = random.Random(seed)
    cache: dict[str, Source | None] = {}
    made = 0
    while made < n:
        order = list(recipes)
        rng.shuffle(order)
        for recipe in order:
            if made >= n:
                return
            for _attempt in range(8):
                ex = rng.choice(by_lang[rng.choice(langs)]) if rng.random() < 0.5 else rng.choice(originals)
                page_seed = rng.randrange(2**31)
                if ex.id not in cache:
                    if len(cache) >= 256:  # bound memory: sources hold whole pages
                        cache.clear()
                    try:
                        cache[ex.id] = source_of(ex)
                    except InputError:
                        cache[ex.id] = None
                src = cache[ex.id]
                if src is None:
                    continue
                yield simulate(src, recipe, page_seed)
                made += 1
                break
