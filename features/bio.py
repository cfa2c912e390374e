"""Fake author bios, invented engagement figures and generic bylines (``bio.*``).

Spun content farms close their pages with an "author information" block no
newsroom would publish: labelled personal fields (``Birthday:``, ``Address:``,
``Phone:``, ``Hobby:``) with invented values, a self-introduction chaining
adjectives, and made-up engagement figures (``Views: 5805``, ``Rating: 4.3 / 5
(54 voted)``). Real pages also carry contact boxes and view counters, so the
strong features only fire inside a *bio block*: several labelled fields close
together, at least one of them personal (birthday, job, hobby, introduction).

Works on plain text (``page.text`` / ``page.lines``) and, for HTML, also reads
author metas, ``given_author``, ``rel=author`` / ``itemprop=author`` and
``.author`` / ``.byline`` elements.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from features.base import Features, clip
from features.page import Page

FEATURES = (
    "bio.adjective_chain",
    "bio.byline_generic",
    "bio.byline_missing",
    "bio.engagement",
    "bio.fields",
    "bio.fields_sat",
    "bio.has_address",
    "bio.has_birthday",
    "bio.has_phone",
    "bio.hobby_list",
    "bio.honorific_job",
)

MAX_LINES = 30_000  # lines scanned for labelled fields and engagement figures
MAX_LINE = 400  # characters of one line looked at
BLOCK_GAP = 3  # a labelled line at most this many lines after the previous one joins its block
BYLINE_SCAN = 120  # lines at the start and the end searched for "By ..." bylines

# Canonical field -> label variants (English, German, Spanish, French, Italian, Portuguese).
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "nombre", "nombre completo", "nom", "nom complet", "nome",
             "nome completo", "vollständiger name"),
    "birthday": ("birthday", "born", "date of birth", "birth date", "birthdate", "dob", "d.o.b.",
                 "geburtstag", "geburtsdatum", "geboren", "cumpleaños", "fecha de nacimiento",
                 "nacimiento", "anniversaire", "date de naissance", "né le", "née le",
                 "compleanno", "data di nascita", "aniversário", "data de nascimento"),
    "address": ("address", "home address", "street address", "adresse", "anschrift",
                "wohnadresse", "dirección", "direccion", "domicilio", "indirizzo", "endereço",
                "morada"),
    "location": ("location", "hometown", "lives in", "residence", "wohnort", "ubicación",
                 "residencia", "localisation", "résidence", "residenza"),
    "phone": ("phone", "phone number", "telephone", "tel", "mobile", "cell", "cell phone",
              "telefon", "telefonnummer", "handy", "teléfono", "telefono", "móvil", "celular",
              "téléphone", "portable", "telefone"),
    "email": ("email", "e-mail", "correo", "correo electrónico", "courriel"),
    "job": ("job", "occupation", "profession", "beruf", "tätigkeit", "trabajo", "ocupación",
            "profesión", "empleo", "métier", "emploi", "lavoro", "professione", "occupazione",
            "profissão", "trabalho"),
    "hobby": ("hobby", "hobbies", "hobbys", "pasatiempo", "pasatiempos", "aficiones", "loisirs",
              "passe-temps", "passatempi", "passatempo"),
    "intro": ("introduction", "self-introduction", "about me", "vorstellung", "über mich",
              "introducción", "sobre mí", "présentation", "à propos de moi", "presentazione",
              "apresentação", "sobre mim"),
}
FIELD_NAMES = {"name": "Name", "birthday": "Birthday", "address": "Address", "location": "Location",
               "phone": "Phone", "email": "Email", "job": "Job", "hobby": "Hobby",
               "intro": "Introduction"}
PERSONAL = frozenset({"birthday", "job", "hobby", "intro"})
CONTACT = frozenset({"address", "phone", "email"})
_LABEL_FIELD = {v: k for k, vs in FIELD_LABELS.items() for v in vs}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_BULLET = r"[-•*·▪►–]?\s*"
_LABEL_LINE = re.compile(
    rf"^{_BULLET}({_alternation(_LABEL_FIELD)})\s*[:：]\s*(.*)$", re.I)
_AUTHOR_LINE = re.compile(
    r"^(?:author|autor|auteur|autore|written by|posted by|by|von|por|par|di)\s*[:：]?\s+(.{2,80})$",
    re.I)

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    "|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januar|februar|märz|mai|juni|juli|oktober|dezember"
    "|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre"
    "|diciembre|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre"
    "|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro"
    "|março|maio|junho|julho|setembro|outubro|dezembro"
)
_DATE = re.compile(
    r"\b(?:1[89]|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}\b"
    r"|\b\d{1,2}[-/.]\d{1,2}[-/.](?:1[89]|20)?\d\d\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?:{_MONTHS})\.?(?:,?\s+(?:de\s+)?\d{{4}})?\b"
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
    r"|\b(?:18|19|20)\d\d\b",
    re.I,
)
_STREET_TYPES = (
    "street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|square|sq"
    "|terrace|way|center|centre|parkway|pkwy|highway|hwy|circle|cir|trail|trl|plaza|ridge|route"
    "|row|loop|crossing|xing|heights|hts|hill|hills|park|pike|point|pt|port|stravenue|summit"
    "|throughway|turnpike|valley|view|villages?|vista|walk|well|wells|junction|jct|key|keys"
    "|knoll|landing|meadows?|mill|mills|motorway|oval|pass|path|ramp|ranch|rapids|rest|run"
    "|shoals?|shores?|skyway|springs?|spur|station|stream|track|trace|tunnel|underpass|union"
    "|isle|island|gardens?|glen|green|grove|harbor|haven|estates?|expressway|extension|falls"
    "|ferry|fields?|flats?|ford|forest|forge|fork|fort|freeway|gateway|bypass|camp|canyon|cape"
    "|causeway|cliffs?|club|common|corners?|course|courts|cove|creek|crescent|crest|dale|dam"
    "|divide|alley|annex|arcade|bay|beach|bend|bluffs?|bottom|branch|bridge|brook|burg|mall"
    "|manor|mission|mount|mountain|neck|orchard|overpass|prairie|radial|ville|vale"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,6}}[a-z]?\s+(?:[^\W\d_][\w.'-]*\s+){{1,4}}(?:{_STREET_TYPES})\b\.?"
    r"|\b[^\W\d_]+(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer)\s*\d{1,4}"
    r"|\b(?:calle|avenida|av\.|avda\.|paseo|plaza|carrera|rue|avenue|boulevard|chemin|via|viale"
    r"|piazza|corso|rua|travessa)\s+(?:[\w.'-]+\s+){0,4}\d{1,5}\b"
    r"|\b\d{1,5},?\s+(?:rue|avenue|boulevard|chemin|allée|impasse|via|viale|piazza)\b"
    r"|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"  # US state + ZIP
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b"  # UK postcode
    r"|\b\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+",  # DE/FR/ES/IT postal code + town
    re.I | re.UNICODE,
)
_US_STATE_ZIP = re.compile(r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b")  # case-sensitive check
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d\s().\-/]{5,}\d(?![\w.])")
_ITEM_SPLIT = re.compile(r"\s*[,;，、]\s*|\s+(?:and|und|y|et|e)\s+")
_WRITING_JOB = re.compile(
    r"writ|author|journal|edit|report|column|blog|correspond|content|copy|news|media|publish|critic"
    r"|press|schreib|redakt|autor|periodis|escrit|redact|journalist|giornal|scritt|rédact|écriv",
    re.I,
)
_STRONG_HONORIFIC = re.compile(
    r"^(?:msgr|mgr|rev|hon|sen|dr|prof|col|sgt|capt|cpt|gen|lt|maj|cmdr|adm|fr|rep|gov|pres|amb"
    r"|rabbi|bishop|pastor|cardinal|mons|sir|dame|lord|lady|sgto|dra|pbro|mme|pfr|pfarrer)\.?\s+"
    r"[^\W\d_]",
    re.I,
)
_ADJ = r"[^\W\d_][\w'-]{1,20}"
_ADJ_CHAIN = re.compile(
    rf"\b(?:i\s+am|i'm|i’m)\s+an?\s+((?:{_ADJ}\s*,\s*){{3,}}(?:and\s+)?{_ADJ})\s+"
    r"(?:person|individual|woman|man|girl|guy|lady|human)\b"
    rf"|\bich\s+bin\s+eine?\s+((?:{_ADJ}\s*,\s*){{3,}}(?:und\s+)?{_ADJ})\s+(?:person|mensch|frau|mann)\b"
    rf"|\bsoy\s+una?\s+persona\s+((?:{_ADJ}\s*,\s*){{3,}}(?:y\s+)?{_ADJ})\b"
    rf"|\bje\s+suis\s+une?\s+personne\s+((?:{_ADJ}\s*,\s*){{3,}}(?:et\s+)?{_ADJ})\b",
    re.I,
)

_ADJ_ANCHORS = ("i am a", "i'm a", "i’m a", "ich bin ein", "soy una", "soy un ", "je suis un")

# Engagement figures: (name, pattern); each counts once.
_ENGAGEMENT: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("views", re.compile(
        rf"^{_BULLET}(?:views|page views|total views|visits|aufrufe|visitas|vues|visualizaciones|lecturas"
        r"|visualizzazioni)\s*[:：]\s*\d[\d.,\s]*$", re.I)),
    ("rating", re.compile(
        r"\b\d(?:[.,]\d{1,2})?\s*/\s*(?:5|10)\s*\(\s*\d[\d.,]*\s*"
        r"(?:voted|votes?|ratings?|stimmen|votos|voix|voti)\s*\)", re.I)),
    ("helpful_share", re.compile(
        r"\b\d{1,3}\s*%\s*(?:of\s+)?(?:readers|people|users|visitors|der\s+leser|de\s+los\s+lectores"
        r"|des\s+lecteurs)\s+(?:found|fanden|encontraron|ont\s+trouvé)\s+(?:this|diese|esta|cette)",
        re.I)),
    ("helpful_count", re.compile(
        r"\b\d[\d.,]*\s+(?:people|readers|users|visitors)\s+found\s+this\s+(?:page\s+|article\s+|post\s+)?"
        r"(?:helpful|useful)", re.I)),
    ("reviews", re.compile(rf"^{_BULLET}(?:reviews|bewertungen|reseñas|avis)\s*[:：]\s*\S", re.I)),
)
_LAST_UPDATED = re.compile(
    rf"^{_BULLET}(?:last\s+updated|updated|zuletzt\s+aktualisiert|última\s+actualización|dernière\s+mise\s+à\s+jour)"
    r"\s*[:：]\s*$", re.I)

_GENERIC_BYLINES = frozenset({
    "admin", "administrator", "webmaster", "site admin", "wpadmin", "root", "staff",
    "staff writer", "staff writers", "staff report", "staff reporter", "staff reports", "editor",
    "editors", "the editors", "editorial staff", "editorial team", "editorial", "team", "the team",
    "guest", "guest author", "guest writer", "guest post", "guest contributor", "author", "user",
    "contributor", "anonymous", "news desk", "newsdesk", "web desk", "desk", "unknown", "redaktion",
    "redacción", "redaccion", "redação", "rédaction", "redazione", "newsroom", "nachrichten",
    "online-redaktion", "online redaktion",
})
_GENERIC_SUFFIX = re.compile(r"\b(?:staff|team|editors|admin|desk)$", re.I)
_AGENCIES = frozenset({
    "reuters", "ap", "afp", "dpa", "ansa", "efe", "bloomberg", "apa", "sda", "kna", "epd",
    "xinhua", "tass", "ria", "bbc", "cnn", "upi", "pa", "ips", "anp", "belga", "kyodo", "yonhap",
    "aap", "cp", "ians", "pti", "ani", "sid", "afx",
})
_FIRST_NAME = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ]{2,13}$")
_AUTHOR_SELECTORS = (
    ("rel=author", "[rel~=author], [itemprop~=author]"),
    ("byline markup", ".author, .byline, .author-name, .byline-name, .post-author, .entry-author, "
                      ".article-author"),
)
# Words that a single-word "author" often is, and that are no first name.
_NOT_FIRST_NAMES = frozenset({
    "news", "newsroom", "nachrichten", "noticias", "diario", "ediciones", "redaccion", "redação",
    "redacao", "page", "post", "posts", "copy", "tweet", "share", "you", "door", "science",
    "entertainment", "illustration", "internacional", "international", "sports", "sport", "business",
    "politics", "opinion", "photo", "photos", "video", "videos", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "metric", "wet", "home", "about", "more", "read",
    "written", "posted", "published", "updated", "author", "autor", "auteur", "autore", "von",
    "por", "par", "brazil", "comments", "comment", "follow", "contact", "email",
})
_PREFIX_ONLY = re.compile(
    r"^(?:by|von|por|par|di|door|written by|posted by|author|autor|auteur|autore|verfasst von"
    r"|publicado por|escrito por)\s*[:：]?$", re.I)
_AUTHOR_METAS = ("author", "article:author", "dc.creator", "dcterms.creator", "sailthru.author",
                 "parsely-author", "byl", "twitter:creator", "book:author")
_PARTICLES = frozenset({"van", "von", "de", "del", "della", "da", "di", "du", "la", "le", "der",
                        "den", "ten", "y", "and", "und", "et", "e", "bin", "al", "el"})
_BYLINE_TRIM = re.compile(r"\s+(?:at|on|am|el|le|il|um|\|)\s+.*$|\s*[|,·•—–]\s*.*$|\s+-\s+.*$", re.I)


@dataclass(frozen=True)
class _Hit:
    index: int  # line number in page.lines
    field: str
    label: str  # as written
    value: str


def extract(page: Page) -> Features:
    """``bio.*`` features of one page."""
    f = Features()
    lines = page.lines[:MAX_LINES]
    hits = _label_hits(lines)
    block = _best_block(hits)
    fields = {h.field: h for h in block}
    is_bio = _is_bio_block(fields.keys())

    n = len(fields)
    ev = [f"bio block: {', '.join(FIELD_NAMES[k] for k in fields)} ({n} fields)"] if n >= 3 else []
    f.set("bio.fields", n, *ev)
    f.set("bio.fields_sat", clip(n / 5))

    authors = _author_candidates(page, lines)
    _personal_data(f, fields if is_bio else {})
    _honorific_job(f, authors, fields if is_bio else {})
    chain = _adjective_chain(page.text[-200_000:])
    if chain:
        f.set("bio.adjective_chain", 1.0, f"self-introduction: {_short(chain, 90)}")
    else:
        f.set("bio.adjective_chain", 0.0)
    _engagement(f, lines)
    _bylines(f, page, authors)
    return f


# ---- labelled fields ---------------------------------------------------------------------


def _label_hits(lines: list[str]) -> list[_Hit]:
    hits = []
    for i, raw in enumerate(lines):
        head = raw[:40]
        if ":" not in head and "：" not in head:
            continue
        m = _LABEL_LINE.match(raw[:MAX_LINE])
        if not m:
            continue
        label, value = m.group(1), m.group(2).strip()
        if not value and i + 1 < len(lines):
            nxt = lines[i + 1]
            if len(nxt) <= 200 and not _LABEL_LINE.match(nxt[:MAX_LINE]) and ":" not in nxt[:25]:
                value = nxt.strip()
        if not value:
            continue
        hits.append(_Hit(i, _LABEL_FIELD[label.lower()], label, value[:MAX_LINE]))
    return hits


def _best_block(hits: list[_Hit]) -> list[_Hit]:
    """The run of nearby labelled lines with the most distinct fields, one of them personal.

    A run of contact fields only (address, phone, email) is a contact box, not a bio.
    Returns the first hit of each field.
    """
    best: list[_Hit] = []
    cur: list[_Hit] = []
    for h in hits:
        if cur and h.index - cur[-1].index > BLOCK_GAP:
            best = _better(best, cur)
            cur = []
        cur.append(h)
    best = _better(best, cur)
    seen: set[str] = set()
    out = []
    for h in best:
        if h.field not in seen:
            seen.add(h.field)
            out.append(h)
    return out


def _is_bio_block(fields) -> bool:
    """Personal fields (birthday, job, hobby, introduction) together with contact fields.

    A contact box (address, phone, email) has no personal field; a profile or an
    infobox (name, born, occupation) has no contact field; a fake author bio has both.
    """
    personal = len(PERSONAL & set(fields))
    contact = len(CONTACT & set(fields))
    return personal >= 1 and contact >= 1 and personal + contact >= 3


def _better(a: list[_Hit], b: list[_Hit]) -> list[_Hit]:
    fields = {h.field for h in b}
    if not PERSONAL & fields:
        return a
    return b if len(fields) > len({h.field for h in a}) else a


def _personal_data(f: Features, fields: dict[str, _Hit]) -> None:
    """Birthday, address, phone and hobby list, only inside a bio block."""
    h = fields.get("birthday")
    if h and _DATE.search(h.value):
        f.set("bio.has_birthday", 1.0, _field_ev(h))
    else:
        f.set("bio.has_birthday", 0.0)
    addr = next((x for x in (fields.get("address"), fields.get("location")) if x and _is_address(x.value)),
                None)
    if addr:
        f.set("bio.has_address", 1.0, _field_ev(addr))
    else:
        f.set("bio.has_address", 0.0)
    h = fields.get("phone")
    if h and _is_phone(h.value):
        f.set("bio.has_phone", 1.0, _field_ev(h))
    else:
        f.set("bio.has_phone", 0.0)
    h = fields.get("hobby")
    items = [x for x in _ITEM_SPLIT.split(h.value) if 0 < len(x) <= 40] if h else []
    if h and len(items) >= 3:
        f.set("bio.hobby_list", 1.0, f"{h.label}: {len(items)} items ({_short(', '.join(items[:4]), 60)})")
    else:
        f.set("bio.hobby_list", 0.0)


def _is_address(value: str) -> bool:
    for m in _ADDRESS.finditer(value):
        text = m.group(0)
        # The US-state and UK-postcode alternatives must be upper case as written.
        if re.fullmatch(r"[A-Za-z]{2}\s+\d{5}(?:-\d{4})?", text):
            if _US_STATE_ZIP.fullmatch(text):
                return True
        elif re.fullmatch(r"[A-Za-z]{1,2}\d[A-Za-z\d]?\s+\d[A-Za-z]{2}", text):
            if text == text.upper():
                return True
        else:
            return True
    return False


def _is_phone(value: str) -> bool:
    for m in _PHONE.finditer(value):
        digits = sum(c.isdigit() for c in m.group(0))
        if 7 <= digits <= 15 and not _DATE.fullmatch(m.group(0).strip()):
            return True
    return False


def _field_ev(h: _Hit) -> str:
    return f"{h.label}: {_short(h.value, 70)}"


def _honorific_job(f: Features, authors: list[tuple[str, str]], fields: dict[str, _Hit]) -> None:
    """An honorific or clerical/military title on the author, whose Job is not writing."""
    job = fields.get("job")
    if job and not _WRITING_JOB.search(job.value):
        names = [fields["name"].value] if "name" in fields else []
        names += [name for _src, name in authors]
        for name in names:
            if _STRONG_HONORIFIC.match(name):
                f.set("bio.honorific_job", 1.0, f'"{_short(name, 40)}" with Job: {_short(job.value, 40)}')
                return
    f.set("bio.honorific_job", 0.0)


def _adjective_chain(text: str) -> str:
    """The adjectives of an "I am a <adj>, <adj>, <adj>, <adj> person" self-introduction."""
    low = text.lower()
    for anchor in _ADJ_ANCHORS:
        start = low.find(anchor)
        for _ in range(20):
            if start < 0:
                break
            m = _ADJ_CHAIN.match(low, start, start + 400)
            if m:
                return next(g for g in m.groups() if g)
            start = low.find(anchor, start + 1)
    return ""


# ---- engagement ------------------------------------------------------------------------


def _engagement(f: Features, lines: list[str]) -> None:
    found: dict[str, str] = {}
    for i, line in enumerate(lines):
        if len(line) > MAX_LINE or not _maybe_engagement(line):
            continue
        for name, rx in _ENGAGEMENT:
            if name not in found and rx.search(line):
                found[name] = _short(line.lstrip("-•*·▪►– "), 70)
                break
        else:
            if "last_updated" not in found and _LAST_UPDATED.match(line):
                nxt = lines[i + 1] if i + 1 < len(lines) else ""
                if not any(c.isdigit() for c in nxt[:40]) or _ENGAGEMENT[0][1].match(nxt):
                    found["last_updated"] = f"{line} (empty)"
    f.set("bio.engagement", clip(len(found) / 3), *found.values())


def _maybe_engagement(line: str) -> bool:
    """Cheap test before the regexes: a label colon, a rating slash or a "found this"."""
    return ("：" in line or ":" in line or "/" in line or "found" in line or "fanden" in line
            or "encontraron" in line or "trouvé" in line)


# ---- bylines ---------------------------------------------------------------------------


def _author_candidates(page: Page, lines: list[str]) -> list[tuple[str, str]]:
    """``(source, author)`` pairs from metas, markup and byline lines."""
    out: list[tuple[str, str]] = []
    if page.given_author:
        out.append(("author", page.given_author))
    meta = page.meta
    for key in _AUTHOR_METAS:
        v = meta.get(key, "")
        if v and "://" not in v and not v.startswith("@"):
            out.append((f"meta {key}", v))
    tree = page.tree
    if tree is not None and tree.document is not None:
        for src, selector in _AUTHOR_SELECTORS:
            # .values() is far cheaper than iterating or indexing the collection.
            for node in tree.document.query_selector_all(selector).values()[:20]:
                text = node.getattr("content") or page.node_text(node)[:300]
                first = next((ln.strip() for ln in text.splitlines()
                              if ln.strip() and not _PREFIX_ONLY.match(ln.strip())), "")
                if first:
                    out.append((src, first))
    n = len(lines)
    idx = list(range(min(BYLINE_SCAN, n))) + list(range(max(BYLINE_SCAN, n - BYLINE_SCAN), n))
    for i in idx:
        line = lines[i]
        if len(line) > 90:
            continue
        m = _AUTHOR_LINE.match(line)
        if m and _looks_like_name(m.group(1)):
            out.append(("text", m.group(1)))
    cleaned = []
    for src, name in out:
        name = _clean_author(name)
        if name:
            cleaned.append((src, name))
    return cleaned


def _looks_like_name(s: str) -> bool:
    """Capitalised words (particles allowed), as a byline line has."""
    words = _clean_author(s).split()
    return bool(words) and all(w[:1].isupper() or w.lower() in _PARTICLES for w in words)


def _clean_author(name: str) -> str:
    name = " ".join(name.split())
    name = re.sub(r"^(?:by|von|por|par|di|written by|posted by|author)\s*[:：]?\s+", "", name, flags=re.I)
    name = _BYLINE_TRIM.sub("", name).strip(" .:")
    if not name or len(name.split()) > 6 or sum(c.isdigit() for c in name) > 2:
        return ""
    return name


def _bylines(f: Features, page: Page, cands: list[tuple[str, str]]) -> None:
    generic: list[str] = []
    first_names: list[str] = []
    for src, name in cands:
        low = name.lower()
        if low in _GENERIC_BYLINES or _GENERIC_SUFFIX.search(low):
            generic.append(f'byline "{name}" ({src})')
        elif src not in ("text", "byline markup") and _is_first_name_only(name, page.site):
            first_names.append(f'byline "{name}" (first name only, {src})')
    # A role ("admin", "Staff Writer") is 1; a first name alone, which many personal
    # blogs use, is 0.5.
    value = 1.0 if generic else 0.5 if first_names else 0.0
    f.set("bio.byline_generic", value, *list(dict.fromkeys(generic + first_names))[:3])
    if cands:
        f.set("bio.byline_missing", 0.0)
    else:
        f.set("bio.byline_missing", 1.0, "no author in metas, markup or byline lines")


def _is_first_name_only(name: str, site: str) -> bool:
    low = name.lower()
    if not _FIRST_NAME.match(name) or low in _AGENCIES or low in _NOT_FIRST_NAMES:
        return False
    brand = _fold(site.split(".")[0].replace("-", "")) if site else ""
    return _fold(low) not in brand


def _fold(s: str) -> str:
    """Lower case without accents (``Habertürk`` -> ``haberturk``)."""
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(c))


def _short(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
