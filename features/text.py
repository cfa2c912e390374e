"""Content features of the main text (``text.*``).

The content-analysis features of Ntoulas et al. (WWW 2006, "Detecting spam web
pages through content analysis"): word counts, word length, compressibility,
visible and anchor fractions, stop-word share, title length and title reuse;
the Gopher repetition filters (Rae et al. 2021): duplicate lines, top word
2-gram and duplicated 5-gram character shares; stock padding phrases of spun or
machine-written text; keyword stuffing and style-hidden text; script shares.

All work is bounded (characters, words, lines, elements), so a huge page costs
no more than a large one. Plain-text pages get the text features; the markup
ones (anchor fraction, meta keywords, hidden text) are 0.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from features.base import Features, clip, safe_div
from features.page import Page, tokenize

FEATURES = (
    "text.anchor_fraction",
    "text.cjk_share",
    "text.compress_ratio",
    "text.dup_5gram_share",
    "text.dup_line_fraction",
    "text.hidden_text",
    "text.keyword_runs",
    "text.keyword_stuffing",
    "text.mean_word_len",
    "text.meta_keywords",
    "text.meta_keywords_sat",
    "text.non_ascii_share",
    "text.padding_phrases",
    "text.padding_phrases_sat",
    "text.stopword_fraction",
    "text.title_in_body",
    "text.title_words",
    "text.title_words_sat",
    "text.top_2gram_share",
    "text.visible_fraction",
    "text.words",
    "text.words_log",
)

MAX_CHARS = 50_000  # characters of main text compressed / scanned for script shares
MAX_WORDS = 20_000  # words used for word-level statistics
MAX_LINES = 5_000  # visible lines used for duplicate lines and keyword runs
MAX_PHRASE_CHARS = 200_000
MAX_STYLED = 2_000  # elements with a style attribute inspected for hidden text
HIDDEN_TEXT_CHARS = 5_000
# Words in a usual title (the median of the corpus originals' titles): what a page without a title reads as.
TITLE_WORDS_USUAL = 10

_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_APOS_RE = re.compile(r"[’‘`´]")
_KW_SPLIT_RE = re.compile(r"\s*[,，、;]\s*")

# Inline styles that hide text from readers but not from crawlers: white text, a
# (near-)zero font size, text pushed off-screen. ``display:none`` and
# ``visibility:hidden`` are left out: scripts toggle them on menus and dialogs of
# ordinary pages (they fired on ~30% of originals and ~22% of farms in the corpus).
_HIDE_RE = re.compile(
    r"font-size:\s*(?:0(?:\.0*)?(?:[a-z%]+)?|0?\.[0-2]\d*(?:em|rem)|[01](?:\.\d+)?(?:px|pt))\s*(?:;|!|$)"
    r"|(?<![-\w])color:\s*(?:#fff(?:fff)?|white|rgb\(\s*255\s*,\s*255\s*,\s*255\s*\))\s*(?:;|!|$)"
    r"|text-indent:\s*-\d{3,}",
    re.I,
)
_HIDE_SELECTOR = ", ".join(
    f'[style*="{k}" i]' for k in ("font-size", "color", "text-indent")
)
_DARK_BG_RE = re.compile(r"background(?:-color)?:\s*(?!#fff|white|transparent|none)[#\w]", re.I)

KEYS = (
    "text.words", "text.words_log", "text.mean_word_len", "text.compress_ratio",
    "text.visible_fraction", "text.anchor_fraction", "text.stopword_fraction",
    "text.title_words", "text.title_words_sat", "text.title_in_body",
    "text.dup_line_fraction", "text.top_2gram_share", "text.dup_5gram_share",
    "text.padding_phrases", "text.padding_phrases_sat",
    "text.meta_keywords", "text.meta_keywords_sat", "text.keyword_runs", "text.keyword_stuffing",
    "text.hidden_text", "text.cjk_share", "text.non_ascii_share",
)


# ---- data ---------------------------------------------------------------------------


def _data_lines(name: str) -> list[list[str]]:
    text = resources.files("features").joinpath("data", name).read_text(encoding="utf-8")
    return [ln.split("\t", 1) for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """Stop words by language code (small lists: the most frequent function words)."""
    return {lang: frozenset(words.split()) for lang, words in _data_lines("stopwords.tsv")}


@lru_cache(maxsize=1)
def _phrase_re() -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){trie_regex(set(_phrases()))}(?!\w)")


@lru_cache(maxsize=1)
def _phrases() -> list[str]:
    return sorted({p.strip().lower() for _lang, p in _data_lines("phrases.tsv")})


@lru_cache(maxsize=1)
def _phrase_matcher() -> Any:
    """Aho-Corasick automaton of the phrases (overlapping matches), or None without the library."""
    try:
        import ahocorasick_rs as acr
    except ImportError:  # pragma: no cover - the dependency is declared
        return None
    return acr.AhoCorasick(_phrases(), matchkind=acr.MATCHKIND_STANDARD)


def trie_regex(phrases: set[str]) -> str:
    """One regex alternation for ``phrases`` factored as a character trie (longest first)."""
    trie: dict = {}
    for p in phrases:
        node = trie
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        ends = "" in node
        alts = [re.escape(ch) + walk(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and not ends else "(?:" + "|".join(alts) + ")"
        return body + ("?" if ends else "")

    return walk(trie)


# ---- pieces -------------------------------------------------------------------------


def lower_words(words: list[str]) -> list[str]:
    """The first ``MAX_WORDS`` words, lower-cased (one C-level pass)."""
    sample = words[:MAX_WORDS]
    return " ".join(sample).lower().split(" ") if sample else []


def stopword_fraction(words: list[str]) -> tuple[float, str]:
    """Best share of stop words over the known languages, and that language.

    ``words`` are lower-cased (see :func:`lower_words`); likewise for the n-gram shares.
    """
    if not words:
        return 0.0, ""
    counts = Counter(words[:MAX_WORDS])
    total = min(len(words), MAX_WORDS)
    best, best_lang = 0.0, ""
    present = counts.keys()
    for lang, stops in stopwords().items():
        n = sum(counts[w] for w in present & stops)
        share = n / total
        if share > best:
            best, best_lang = share, lang
    return best, best_lang


def compress_ratio(text: str) -> float:
    """zlib-compressed size over raw size of (the start of) ``text``; 0 for empty text."""
    raw = text[:MAX_CHARS].encode("utf-8")
    if not raw:
        return 0.0
    return clip(len(zlib.compress(raw, 6)) / len(raw))


def dup_line_fraction(lines: list[str]) -> float:
    """Share of lines that repeat an earlier line (Gopher ``dup_line_frac``)."""
    lines = lines[:MAX_LINES]
    if not lines:
        return 0.0
    seen: set[str] = set()
    dup = 0
    for ln in lines:
        if ln in seen:
            dup += 1
        else:
            seen.add(ln)
    return dup / len(lines)


def _word_ids(words: list[str]) -> np.ndarray:
    """Integer ids of ``words`` (equal words, equal ids), as an int64 array."""
    vocab = dict.fromkeys(words)
    for i, w in enumerate(vocab):
        vocab[w] = i
    return np.fromiter(map(vocab.__getitem__, words), dtype=np.int64, count=len(words))


# Odd 64-bit multipliers mixing word ids into an n-gram key (wrapping arithmetic).
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)


def _gram_keys(ids: np.ndarray, n: int) -> np.ndarray:
    """One uint64 key per word n-gram (collisions are astronomically unlikely)."""
    m = len(ids) - n + 1
    u = ids.astype(np.uint64)
    key = u[:m] * _MIX[0]
    for k in range(1, n):
        key = (key ^ (key >> np.uint64(29))) + u[k : k + m] * _MIX[k]
    return key


def top_ngram_share(words: list[str], n: int = 2, ids: np.ndarray | None = None) -> tuple[float, str]:
    """Share of word characters covered by the most frequent word n-gram.

    Ties go to the n-gram seen first (as ``Counter.most_common``); ``ids`` as in
    :func:`dup_ngram_share`.
    """
    words = words[:MAX_WORDS]
    total = len("".join(words))
    if len(words) < n or not total:
        return 0.0, ""
    keys = _gram_keys(_word_ids(words) if ids is None else ids[: len(words)], n)
    _uniq, first, counts = np.unique(keys, return_index=True, return_counts=True)
    count = int(counts.max())
    if count < 2:
        return 0.0, ""
    at = int(first[counts == count].min())
    gram = words[at : at + n]
    return clip(count * sum(len(w) for w in gram) / total), " ".join(gram)


def dup_ngram_share(words: list[str], n: int = 5, ids: np.ndarray | None = None) -> float:
    """Share of word characters inside word n-grams that occur more than once.

    ``ids`` (optional): :func:`_word_ids` of ``words``, when the caller has them already.
    """
    words = words[:MAX_WORDS]
    total = len("".join(words))
    if len(words) < n or not total:
        return 0.0
    keys = _gram_keys(_word_ids(words) if ids is None else ids[: len(words)], n)
    _uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    dup = counts[inverse] > 1
    if not dup.any():
        return 0.0
    covered = np.zeros(len(words), dtype=bool)
    for k in range(n):
        covered[k : k + len(dup)] |= dup
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    return int(lengths[covered].sum()) / total


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def padding_phrases(text: str) -> Counter[str]:
    """Stock padding phrases found in ``text`` (lower-cased, apostrophes normalised).

    Whole-word matches, scanning left to right and taking the longest phrase at each
    start (what ``_phrase_re`` finds), computed from Aho-Corasick's overlapping matches.
    """
    norm = _APOS_RE.sub("'", text[:MAX_PHRASE_CHARS].lower())
    ac = _phrase_matcher()
    if ac is None:
        return Counter(m.group(0) for m in _phrase_re().finditer(norm))
    phrases = _phrases()
    found: Counter[str] = Counter()
    # (start, -end): at each start the longest candidate comes first.
    cands = sorted((a, -b, i) for i, a, b in ac.find_matches_as_indexes(norm, overlapping=True))
    pos = 0
    for a, neg_b, i in cands:
        b = -neg_b
        if a < pos:
            continue
        if (a and _is_word_char(norm[a - 1])) or (b < len(norm) and _is_word_char(norm[b])):
            continue
        found[phrases[i]] += 1
        pos = b
    return found


def keyword_runs(lines: list[str]) -> list[str]:
    """Lines holding a run of >= 15 short comma-separated terms (keyword lists)."""
    out = []
    for ln in lines[:MAX_LINES]:
        # 14 separators need at least 28 characters: most lines skip the four counts.
        if len(ln) < 28 or ln.count(",") + ln.count("，") + ln.count("、") + ln.count(";") < 14:
            continue
        parts = [p for p in _KW_SPLIT_RE.split(ln) if p]
        short = [p for p in parts if len(p) <= 40 and len(p.split()) <= 4]
        if len(short) >= 15 and len(short) >= 0.8 * len(parts):
            out.append(ln)
    return out


def meta_keywords(page: Page) -> list[str]:
    raw = page.meta.get("keywords", "") or page.meta.get("news_keywords", "")
    return [k for k in (p.strip() for p in _KW_SPLIT_RE.split(raw[:5000])) if k]


def hidden_text(page: Page) -> tuple[int, list[str]]:
    """Words inside elements hidden by their inline style (white text, tiny font, off-screen)."""
    tree = page.tree
    if tree is None or tree.document is None:
        return 0, []
    total = 0
    how: Counter[str] = Counter()
    counted: list[str] = []
    for node in tree.document.query_selector_all(_HIDE_SELECTOR).values()[:MAX_STYLED]:
        tag = node.tag.lower()
        if tag in ("script", "style", "noscript", "template", "iframe", "img", "svg"):
            continue
        style = (node.getattr("style") or "").lower()
        m = _HIDE_RE.search(style)
        if not m:
            continue
        if m.group(0).startswith("color") and _DARK_BG_RE.search(style):
            continue  # white text on a coloured background is visible
        text = " ".join(page.node_text(node)[:HIDDEN_TEXT_CHARS].split())
        if not text or any(text in c for c in counted[-50:]):
            continue  # empty, or nested inside an element already counted
        n = len(tokenize(text))
        if n < 3:
            continue
        counted.append(text)
        total += n
        how[re.sub(r"\s+", "", m.group(0)).rstrip(";")] += n
    # Legacy markup: <font color="#FFFFFF"> (or near-white) outside any coloured background.
    backgrounds: dict[object, bool] = {}  # ancestor -> sets a background (read once per page)
    for node in tree.document.query_selector_all("font[color]").values()[:MAX_STYLED]:
        colour = (node.getattr("color") or "").strip().lower()
        if not _near_white(colour) or _on_coloured_background(node, seen=backgrounds):
            continue
        text = " ".join(page.node_text(node)[:HIDDEN_TEXT_CHARS].split())
        if not text or any(text in c for c in counted[-50:]):
            continue
        n = len(tokenize(text))
        if n < 3:
            continue
        counted.append(text)
        total += n
        how[f"<font color={colour}>"] += n
    return total, [f"{k}: {v} words" for k, v in how.most_common(3)]


def _near_white(colour: str) -> bool:
    """``#fff``, ``#ffffe1``, ``white``: every channel at 0xE0 or above."""
    if colour in ("white", "snow", "ivory", "ghostwhite", "whitesmoke"):
        return True
    c = colour.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    if len(c) != 6:
        return False
    try:
        return all(int(c[i : i + 2], 16) >= 0xE0 for i in (0, 2, 4))
    except ValueError:
        return False


def _on_coloured_background(node: object, depth: int = 8, seen: dict[object, bool] | None = None) -> bool:
    """True when an ancestor (up to ``depth``) sets a non-white background colour.

    ``seen`` remembers each ancestor's answer for one page: fonts that share ancestors (a
    table of thousands of ``<font>`` under one element with a megabyte ``style``) read each
    ancestor's attributes once, not once per font.
    """
    cur = getattr(node, "parent", None)
    for _ in range(depth):
        if cur is None or not hasattr(cur, "getattr"):
            return False
        known = seen.get(cur) if seen is not None else None
        if known is None:
            known = _sets_background(cur)
            if seen is not None:
                seen[cur] = known
        if known:
            return True
        cur = cur.parent
    return False


def _sets_background(node: Any) -> bool:
    """Whether ``node`` itself sets a non-white background (``bgcolor`` or inline style)."""
    bg = (node.getattr("bgcolor") or "").strip().lower()
    if bg and not _near_white(bg):
        return True
    style = (node.getattr("style") or "").lower()
    return "background" in style and _DARK_BG_RE.search(style) is not None


def script_shares(text: str) -> tuple[float, float]:
    """(CJK share, non-ASCII share) of the non-space characters of ``text``."""
    sample = "".join(text[:MAX_CHARS].split())
    if not sample:
        return 0.0, 0.0
    cjk = len(_CJK_RE.findall(sample))
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    return cjk / len(sample), non_ascii / len(sample)


# ---- the signal ---------------------------------------------------------------------


def extract(page: Page) -> Features:
    """Every ``text.*`` feature of ``page`` (all keys always present)."""
    f = Features()
    words = page.words
    n_words = len(words)
    main = page.main_text
    sample = words[:MAX_WORDS]

    f.set("text.words", n_words)
    f.set("text.words_log", clip(math.log1p(n_words) / 10))
    f.set("text.mean_word_len", safe_div(len("".join(sample)), len(sample)))
    ratio = compress_ratio(main)
    f.set("text.compress_ratio", ratio,
          f"main text ({n_words} words) compresses to {ratio:.0%} of its size" if main else "")

    if page.tree is None:
        f.set("text.visible_fraction", 1.0)
        f.set("text.anchor_fraction", 0.0)
    else:
        visible = clip(safe_div(len(page.text), len(page.html or "")))
        f.set("text.visible_fraction", visible,
              f"visible text is {visible:.1%} of {len(page.html or ''):,} characters of HTML" if page.html else "")
        anchor_words = len(tokenize(" ".join(ln.text for ln in page.links[:5000])))
        f.set("text.anchor_fraction", clip(safe_div(anchor_words, len(page.all_words))))

    lowered = lower_words(words)
    share, lang = stopword_fraction(lowered)
    f.set("text.stopword_fraction", share, f"{lang}: {share:.0%} stop words" if lang else "")

    title_words = tokenize(page.title)
    if title_words:
        f.set("text.title_words", min(len(title_words), 100))
        f.set("text.title_words_sat", clip(len(title_words) / 20), f"title of {len(title_words)} words")
        tset = {w.lower() for w in title_words if len(w) > 1 or _CJK_RE.match(w)}
        body = set(lowered)
        f.set("text.title_in_body", safe_div(len(tset & body), len(tset)))
    else:
        # No title (stripped by whoever saved the page, or never written): read as an ordinary
        # one, not as the short end of the scale, where a few-word parked-page title sits.
        f.set("text.title_words", TITLE_WORDS_USUAL)
        f.set("text.title_words_sat", clip(TITLE_WORDS_USUAL / 20), "no title")
        f.set("text.title_in_body", 1.0)

    dup = dup_line_fraction(page.lines)
    f.set("text.dup_line_fraction", dup)
    ids = _word_ids(lowered)
    top, gram = top_ngram_share(lowered, 2, ids)
    f.set("text.top_2gram_share", top, f"'{gram}' covers {top:.0%}" if top >= 0.05 else "")
    d5 = dup_ngram_share(lowered, 5, ids)
    f.set("text.dup_5gram_share", d5, f"{d5:.0%} of words in repeated 5-grams" if d5 >= 0.2 else "")

    found = padding_phrases(main)
    n_found = sum(found.values())
    density = 1000 * n_found / max(n_words, 300)
    f.set(
        "text.padding_phrases",
        density,
        *(f"'{p}' x{c}" for p, c in found.most_common(12)),
    )
    f.set("text.padding_phrases_sat", clip(density / 5))

    kws = meta_keywords(page)
    f.set("text.meta_keywords", len(kws), f"{len(kws)} meta keywords" if len(kws) >= 15 else "")
    f.set("text.meta_keywords_sat", clip(len(kws) / 30))
    runs = keyword_runs(page.lines)
    f.set("text.keyword_runs", min(len(runs), 10), *(r[:120] for r in runs[:3]))
    f.set("text.keyword_stuffing", 1.0 if runs or len(kws) >= 30 else 0.0)

    hidden, how = hidden_text(page)
    f.set("text.hidden_text", clip(hidden / 200), *how)

    cjk, non_ascii = script_shares(main)
    f.set("text.cjk_share", cjk)
    f.set("text.non_ascii_share", non_ascii)
    return f
