"""The simulator's tables: recipes, locales, phrase lists, farm names, ad categories."""

from __future__ import annotations

from pathlib import Path

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

# Template strings farms ship in a few languages (theme.tsv: a row per string, a column per
# language); other languages get the English theme.
def _read_theme() -> dict[str, dict[str, str]]:
    lines = [ln for ln in (Path(__file__).parent / "theme.tsv").read_text("utf-8").splitlines()
             if ln and not ln.startswith("#")]
    head, *rows = (ln.split("\t") for ln in lines)
    return {lang: {row[0]: row[col] for row in rows} for col, lang in enumerate(head[1:], start=1)}


_T: dict[str, dict[str, str]] = _read_theme()

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
