"""Machine-written article structure (``autoblog.*``): the outline and tells of LLM autoblogs.

Automated blogs fill a fixed outline for every topic: an "Introduction", "What is X?",
"Key Benefits", "Best Practices", "Common Challenges", "Real-World Use Cases", an FAQ of
formulaic questions and a "Conclusion". One such heading is ordinary; several of these stock
sections on one page are the template. Also measured:

- ``autoblog.outline_sections`` (+ ``_sat``): distinct stock outline sections among headings;
- ``autoblog.intro_and_conclusion``: both an "Introduction" and a "Conclusion" heading;
- ``autoblog.faq_block``: an FAQ heading with at least three question headings;
- ``autoblog.guide_title``: a stock guide title ("Mastering X: A Complete Guide",
  "Unleashing the Power of ...", "Everything You Need to Know");
- ``autoblog.ai_disclosure``: the page says it was written or generated with AI
  ("Powered by AI", "This article was generated with ...", "drafted with AI assistance");
- ``autoblog.llm_vocab_sat``: density of words LLM text over-uses ("delve", "pivotal",
  "seamless", "leverage"...; the list follows published word-frequency studies of LLM text,
  e.g. Liang et al. 2024, Kobak et al. 2024).

Headings are read as the page's short visible lines (at most ``MAX_HEADING_WORDS`` words, no
sentence punctuation at the end): block elements are lines of ``page.text``, so this costs no
markup query and works the same on plain-text pages.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from features.base import Features, clip
from features.page import Page

MAX_TEXT = 100_000  # characters of main text read
FOOTER_CHARS = 3_000  # characters at the end of the visible text searched for a disclosure
MAX_LINES = 5_000
MAX_OUTLINE_HEADING = 90  # longer headings are sentences, not outline sections
MAX_HEADING_WORDS = 12
MAX_QUESTION_CHARS = 160
LLM_VOCAB_FLOOR = 300  # words: density denominator floor

FEATURES = (
    "autoblog.outline_sections", "autoblog.outline_sections_sat", "autoblog.intro_and_conclusion",
    "autoblog.faq_block", "autoblog.guide_title", "autoblog.ai_disclosure", "autoblog.llm_vocab_sat",
)

# Stock sections of generated articles (matched at the start of a heading line, after an
# optional "1." / "Step 2:" number); one heading counts for one section.
OUTLINE: dict[str, str] = {
    "introduction": r"introduction|intro\b|einleitung|einführung|introducción|introduzione|introdução",
    "what_is": r"what (?:is|are) (?!the (?:story|point|difference))|was (?:ist|sind) |qu'est-ce qu"
               r"|¿?qué (?:es|son) |cos'è |o que (?:é|são) ",
    "why_it_matters": r"why .{3,60} matters?\b|why (?:use|choose|it matters|is it important)",
    "benefits": r"(?:key |main |top |the )?(?:benefits|advantages)\b|pros and cons\b|vorteile\b|ventajas\b"
                r"|avantages\b|vantaggi\b|vantagens\b",
    "best_practices": r"best practices|tips (?:and tricks|for)\b|how to (?:get started|implement|choose)"
                      r"|getting started\b",
    "challenges": r"common (?:mistakes|challenges|problems|pitfalls|issues|misconceptions)"
                  r"|challenges and (?:solutions|limitations)|(?:limitations|troubleshooting)$",
    "use_cases": r"(?:real[- ]world |practical |common )?(?:use cases|applications)\b|real[- ]world examples",
    "key_points": r"key (?:concepts|considerations|features|components|principles|takeaways|insights)\b",
    "faq": r"frequently asked questions|faqs?\b|häufig gestellte fragen|häufige fragen|preguntas frecuentes"
           r"|questions fréquentes|foire aux questions|domande frequenti|perguntas frequentes",
    "conclusion": r"conclusions?\b|in conclusion|final (?:thoughts|words|verdict)\b|closing thoughts"
                  r"|wrapping up|the bottom line|next steps\b|fazit\b|conclusión|conclusione|conclusão"
                  r"|pour conclure|en conclusion",
}
_OUTLINE_RE = re.compile(
    r"(?:(?:step|part|chapter)?\s*\d{1,2}[.):]?\s+)?(?:"
    + "|".join(f"(?P<{name}>{rx})" for name, rx in OUTLINE.items()) + ")",
    re.I,
)
_GUIDE_TITLE = re.compile(
    r"\b(?:complete|ultimate|comprehensive|definitive|beginner'?s|step[- ]by[- ]step|in-depth) guide\b"
    r"|\ba (?:practical |quick )?guide to\b|\beverything you need to know\b|^(?:mastering|unleashing|unlocking"
    r"|unlock|demystifying|exploring|understanding|harnessing|navigating) |\bthe power of\b|\btips and tricks\b"
    r"|\bbest practices\b|\bsimplified\b",
    re.I,
)
# One of these is in every title _GUIDE_TITLE matches: a cheap test before the (slow) regex.
_GUIDE_ANCHORS = ("guide", "everything you need", "mastering", "unleashing", "unlock", "demystifying",
                  "exploring", "understanding", "harnessing", "navigating", "the power of", "tips and tricks",
                  "best practices", "simplified")
_AI_DISCLOSURE = re.compile(
    r"\bpowered by (?:ai|artificial intelligence|chatgpt|gpt-?\d*|openai|gemini|claude)\b"
    r"|\b(?:this|the|our) (?:article|post|content|text|summary|page|story|review|blog post)s? (?:(?:was|is|were|are|has been|have been) )?"
    r"(?:\w+ ){0,2}(?:written|generated|created|drafted|produced|composed|assisted|enhanced|edited)"
    r" (?:\w+ ){0,2}(?:by|with|using) (?:the (?:help|assistance) of |assistance from )?(?:an? )?"
    r"(?:ai\b|artificial intelligence|chatgpt|gpt|openai|llm\b|large language model|generative ai)"
    r"|\bwith ai assistance\b|\bai[- ]assisted (?:content|article|writing|post)\b|\bai content policy\b"
    r"|\b(?:ai-generated|generated by ai) (?:content|article|text|summary|image, based on)"
    r"|\bmit (?:hilfe )?(?:von )?(?:ki|künstlicher intelligenz) (?:erstellt|generiert|geschrieben)"
    r"|\b(?:generado|creado|redactado) (?:con|por|mediante) (?:la )?(?:ia|inteligencia artificial)\b"
    r"|\b(?:généré|rédigé|créé) (?:avec|par) (?:l'aide de )?(?:l'ia|une ia|l'intelligence artificielle)",
    re.I,
)
# Words whose whole-word presence lets the disclosure pattern run nearby (it is too slow to run
# over every page's whole text).
_AI_ANCHORS = ("powered by", "ai", "ki", "ia", "l'ia", "artificial intelligence", "chatgpt", "gpt", "openai",
               "llm", "language model", "künstlicher intelligenz", "inteligencia artificial",
               "intelligence artificielle", "ai-generated", "ai-assisted")
WINDOW = 200  # characters either side of an anchor searched by the full pattern
MAX_ANCHORS = 30

# Words LLM-written English over-uses relative to human text (per published word-frequency
# studies of LLM output); a high density is a weak tell on its own, a strong one with the outline.
LLM_VOCAB = frozenset(
    """delve delves delving crucial comprehensive seamless seamlessly robust leverage leveraging leverages
    streamline streamlined empower empowering enhance enhancing foster fostering landscape realm pivotal
    paramount intricate intricacies meticulous meticulously showcasing showcase underscore underscores
    underscoring commendable noteworthy notably furthermore moreover additionally ultimately unlock unleash
    elevate navigate navigating bustling vibrant tapestry multifaceted holistic transformative cutting-edge
    innovative scalability actionable insights optimize optimizing""".split()
)
_VOCAB_LIST = sorted(LLM_VOCAB)


def heading_lines(lines: list[str]) -> list[str]:
    """Short lines that read as headings, and question lines (FAQ entries), bullets stripped."""
    out = []
    for ln in lines[:MAX_LINES]:
        if len(ln) > MAX_QUESTION_CHARS:
            continue
        ln = ln.strip().lstrip("•·*-–# ")
        if not ln or ln[-1] in ".,;!:":
            continue
        if ln[-1] in "?？" or (len(ln) <= MAX_OUTLINE_HEADING and ln.count(" ") < MAX_HEADING_WORDS):
            out.append(ln)
    return out


def outline_sections(heads: list[str]) -> dict[str, str]:
    """Stock section name -> the first heading that opened it (outline-length headings only)."""
    found: dict[str, str] = {}
    match = _OUTLINE_RE.match
    for h in heads:
        if len(h) > MAX_OUTLINE_HEADING:
            continue
        m = match(h)
        if m is not None and m.lastgroup not in found:
            found[m.lastgroup] = h
    return found


def faq_block(heads: list[str], sections: dict[str, str]) -> tuple[bool, str]:
    """An FAQ heading and at least three question headings on the page."""
    faq = sections.get("faq", "")
    if not faq or len(faq) > 60:
        return False, ""
    questions = [h for h in heads if h[-1] in "?？" and h.count(" ") >= 2]
    if len(questions) < 3:
        return False, ""
    return True, f"'{faq}' + {len(questions)} question headings, e.g. '{questions[0][:70]}'"


@lru_cache(maxsize=1)
def _matchers() -> tuple[Any, Any]:
    """Aho-Corasick automata: AI-disclosure anchors, and the LLM vocabulary."""
    import ahocorasick_rs as acr

    def build(words: list[str]) -> Any:
        return acr.AhoCorasick(words, matchkind=acr.MATCHKIND_LEFTMOST_LONGEST,
                               implementation=acr.Implementation.DFA)

    return build(list(_AI_ANCHORS)), build(_VOCAB_LIST)


def _whole_word(low: str, a: int, b: int) -> bool:
    return not ((a and low[a - 1].isalnum()) or (b < len(low) and low[b].isalnum()))


def ai_disclosure(text: str, low: str | None = None) -> re.Match[str] | None:
    """Where ``text`` says it was written or generated with AI (``None`` when it does not).

    The full pattern runs only in windows around whole-word anchor hits ("ai", "chatgpt",
    "powered by"...): one automaton pass instead of a slow regex scan of the whole text.
    ``low`` is ``text.lower()`` when the caller has it. A phrase that does not name the page
    itself ("powered by AI", "AI-generated content") counts only as a label of its own (a short
    sentence, as in a footer or a badge), not inside a sentence of a story about AI.
    """
    low = text.lower() if low is None else low
    anchors, _ = _matchers()
    searched_until = -1
    tries = 0
    for _i, a, b in anchors.find_matches_as_indexes(low):
        if a < searched_until or not _whole_word(low, a, b):
            continue
        start = max(0, a - WINDOW, searched_until)
        m = _AI_DISCLOSURE.search(text, start, b + WINDOW)
        while m is not None and not _names_itself(text, m):
            m = _AI_DISCLOSURE.search(text, m.end(), b + WINDOW)
        if m is not None:
            return m
        searched_until = b
        tries += 1
        if tries >= MAX_ANCHORS:
            break
    return None


_SELF_REFERENCE = re.compile(r"(?:this|the|our|dieser|diese|dieses) |mit |generado|creado|redactado|généré|rédigé|créé",
                             re.I)
_SENTENCE_END = re.compile(r"[.!?。！？\n|]")
LABEL_MAX_WORDS = 8  # a disclosure label ("Powered by AI.") is a short sentence of its own


def _names_itself(text: str, m: re.Match[str]) -> bool:
    """Whether the match is a disclosure: it names the page itself, or stands as a short label."""
    if _SELF_REFERENCE.match(m.group(0)):
        return True
    left = text.rfind("\n", max(0, m.start() - 300), m.start())
    for ch in ".!?。！？|":
        left = max(left, text.rfind(ch, max(0, m.start() - 300), m.start()))
    right = _SENTENCE_END.search(text, m.end(), m.end() + 300)
    sentence = text[left + 1:right.start() if right else m.end() + 300]
    return len(sentence.split()) <= LABEL_MAX_WORDS


def llm_vocab_density(low: str, n_words: int) -> tuple[float, list[str]]:
    """Words of :data:`LLM_VOCAB` per 1,000 words of ``low`` (lower-cased main text), and the top ones."""
    if not n_words:
        return 0.0, []
    _, vocab = _matchers()
    words = _VOCAB_LIST
    counts: dict[str, int] = {}
    for i, a, b in vocab.find_matches_as_indexes(low):
        if _whole_word(low, a, b):
            counts[words[i]] = counts.get(words[i], 0) + 1
    if not counts:
        return 0.0, []
    top = sorted(counts, key=lambda w: -counts[w])[:6]
    return 1000.0 * sum(counts.values()) / max(n_words, LLM_VOCAB_FLOOR), [f"{w} x{counts[w]}" for w in top]


def extract(page: Page) -> Features:
    """Every ``autoblog.*`` feature of ``page`` (all keys always present)."""
    f = Features({name: 0.0 for name in FEATURES})
    main = page.main_text[:MAX_TEXT]
    heads = heading_lines(main.splitlines())
    sections = outline_sections(heads)
    if sections:
        ev = [f"{name.replace('_', ' ')}: '{h[:60]}'" for name, h in sections.items()]
        f.set("autoblog.outline_sections", len(sections), *ev)
        f.set("autoblog.outline_sections_sat", clip((len(sections) - 1) / 4), *ev)
    if "introduction" in sections and "conclusion" in sections:
        f.set("autoblog.intro_and_conclusion", 1.0,
              f"'{sections['introduction'][:40]}' ... '{sections['conclusion'][:40]}'")
    has_faq, why = faq_block(heads, sections)
    if has_faq:
        f.set("autoblog.faq_block", 1.0, why)

    title = page.title[:300]
    low_title = title.lower()
    m = _GUIDE_TITLE.search(title) if any(a in low_title for a in _GUIDE_ANCHORS) else None
    if m:
        f.set("autoblog.guide_title", 1.0, f"title: {title[:120]} ('{m.group(0).strip()}')")

    # Disclosures sit in the article (main text) or the footer (the end of the visible text).
    low_main = main.lower()
    m = ai_disclosure(main, low_main)
    where = main
    if m is None and page.text is not page.raw_text:
        where = page.text[-FOOTER_CHARS:]
        m = ai_disclosure(where)
    if m:
        f.set("autoblog.ai_disclosure", 1.0, _context(where, m.start(), m.end()))

    density, top = llm_vocab_density(low_main, len(page.words))
    if top:
        f.set("autoblog.llm_vocab_sat", clip(density / 20),
              f"{density:.1f} per 1,000 words: {', '.join(top)}")
    return f


def _context(text: str, start: int, end: int, pad: int = 30) -> str:
    """The matched phrase with a little context, on one line."""
    a = max(0, start - pad)
    snippet = " ".join(text[a:end + pad].split())
    return ("..." if a else "") + snippet + "..."
