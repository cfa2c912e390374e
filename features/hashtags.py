"""Hashtags in visible text, and tags made of the title's own words (``hashtags.*``).

Scraper mirrors close a copied story with a line of hashtags cut from the
title (``#tidal #barrier #record``) and tag the post with the same title words.
Counted: ``#word`` hashtags (any Unicode letters, ``#中文``) and Weibo-style
``#话题#``; not URL fragments, CSS colours (``#fff``), issue numbers (``#12``)
or ``C#``. Hashtags inside social embeds (a quoted tweet) count towards the
totals but not towards the closing-line and title-word patterns.
"""

from __future__ import annotations

import re

from features.base import Features, clip, safe_div
from features.page import Page

FEATURES = (
    "hashtags.cjk",
    "hashtags.closing_line",
    "hashtags.count",
    "hashtags.count_sat",
    "hashtags.density",
    "hashtags.tags_from_title",
    "hashtags.title_word_share",
)

MAX_TEXT = 400_000  # characters of visible text scanned
TAIL_LINES = 40  # last lines of the page text searched for a closing hashtag line
MAIN_TAIL_LINES = 12  # last lines of the main text searched likewise
MIN_TAGS = 3  # below this many hashtags (or tags), the share features are 0
# Characters of the title a CJK hashtag is looked for in (titles are ~10-200 characters; a
# hostile title of megabytes searched once per hashtag was (hashtags) x (title length)).
MAX_TITLE_SCAN = 2_000
MAX_TAG_CHARS = 60  # a #word hashtag has at most this many characters (the pattern's bound)

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
# A hashtag starts the text or follows a space, an opening bracket or quote, or punctuation
# (the '#' comes first in the pattern so the regex engine can skip to it).
_BEFORE = "\\s(\\[{\"'“‘«„,;:!?。，、：；！？（【「『"
_HASHTAG = re.compile(
    rf"[#＃](?<![^{_BEFORE}][#＃])(\w{{1,60}})(?![\w#＃]|[/.-]\w|@)",
    re.UNICODE,
)
_WEIBO = re.compile(f"[#＃]([^\\s#＃]*[{_CJK}][^\\s#＃]{{0,29}})[#＃]")
_HEX = re.compile(r"(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})", re.I)
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|er|e|º|ª)?", re.I)
_WORD = re.compile(r"\w+", re.UNICODE)
_EMBED_SELECTOR = (
    "blockquote.twitter-tweet, blockquote.twitter-video, blockquote.instagram-media, "
    "blockquote.tiktok-embed, .twitter-tweet, .fb-post, .embedded-tweet"
)


def extract(page: Page) -> Features:
    """``hashtags.*`` features of one page."""
    f = Features()
    text = page.text[:MAX_TEXT]
    tags = find_hashtags(text)
    embedded = _embed_hashtags(page)
    n = len(tags)
    words = len(page.all_words) if text else 0

    shown = list(dict.fromkeys("#" + t for t in tags))
    f.set("hashtags.count", n, *([f"{n} hashtags: {_short(' '.join(shown[:8]), 90)}"] if n else []))
    f.set("hashtags.count_sat", clip(n / 10))
    density = safe_div(100.0 * n, words)
    f.set("hashtags.density", min(density, 10.0), *([f"{density:.1f} per 100 words"] if n else []))

    # Patterns of the page itself: leave out hashtags quoted from social embeds.
    own = _without(tags, embedded)
    _closing_line(f, page, embedded)
    _title_word_share(f, page.title, own)
    _tags_from_title(f, page.title, page.tags)

    cjk = [t for t in dict.fromkeys(tags) if _CJK_RE.search(t)]
    f.set("hashtags.cjk", 1.0 if cjk else 0.0, *([" ".join("#" + t for t in cjk[:6])] if cjk else []))
    return f


def find_hashtags(text: str) -> list[str]:
    """Hashtag words (without ``#``) in order of appearance, Weibo-style ones included."""
    out = []
    for m in _HASHTAG.finditer(text):
        word = m.group(1)
        if _is_noise(word):
            continue
        out.append(word)
    if "#" in text or "＃" in text:
        for m in _WEIBO.finditer(text):
            out.append(m.group(1))
    return out


def _is_noise(word: str) -> bool:
    """Colours, numbers, ordinals: ``#fff``, ``#a1b2c3``, ``#12``, ``#1st``."""
    if _ORDINAL.fullmatch(word) or word.startswith("_"):
        return True
    if not _HEX.fullmatch(word):
        return False
    # #a1b2c3, #fff, #ffffff; letter-only words such as #decade or #facade stay hashtags.
    return any(c.isdigit() for c in word) or len(word) <= 4 or len(set(word.lower())) <= 2


def _embed_hashtags(page: Page) -> list[str]:
    tree = page.tree
    if tree is None or tree.document is None or "#" not in page.text:
        return []
    out: list[str] = []
    for k, node in enumerate(tree.document.query_selector_all(_EMBED_SELECTOR)):
        if k >= 50:
            break
        out.extend(find_hashtags(page.node_text(node)[:5000]))
    return out


def _without(tags: list[str], drop: list[str]) -> list[str]:
    """``tags`` minus one occurrence of each item of ``drop``."""
    if not drop:
        return tags
    left = {}
    for t in drop:
        left[t] = left.get(t, 0) + 1
    out = []
    for t in tags:
        if left.get(t, 0) > 0:
            left[t] -= 1
        else:
            out.append(t)
    return out


def _closing_line(f: Features, page: Page, embedded: list[str]) -> None:
    """A line near the end made mostly of >= 3 hashtags (not quoted from an embed)."""
    candidates = page.lines[-TAIL_LINES:]
    if page.main_text is not page.text and page.main_text != page.text:
        main_lines = [ln.strip() for ln in page.main_text[-20_000:].splitlines() if ln.strip()]
        candidates = main_lines[-MAIN_TAIL_LINES:] + candidates
    skip = set(embedded)
    for line in reversed(candidates):
        if "#" not in line and "＃" not in line or len(line) > 600:
            continue
        tags = find_hashtags(line)
        if len(tags) < 3 or (skip and all(t in skip for t in tags)):
            continue
        tokens = line.split()
        tagged = sum(1 for tok in tokens if tok.startswith(("#", "＃")))
        if tagged >= 3 and tagged >= 0.6 * len(tokens):
            f.set("hashtags.closing_line", 1.0, f"closing line: {_short(line, 90)}")
            return
    f.set("hashtags.closing_line", 0.0)


def title_words(title: str) -> set[str]:
    """Lower-cased words of a title (CJK runs kept whole and split per character)."""
    out = set()
    for w in _WORD.findall(title.lower()):
        out.add(w)
        if _CJK_RE.search(w):
            out.update(ch for ch in w)
    return out


def _title_word_share(f: Features, title: str, tags: list[str]) -> None:
    distinct = list(dict.fromkeys(t.lower() for t in tags))
    if len(distinct) < MIN_TAGS or not title:
        f.set("hashtags.title_word_share", 0.0)
        return
    words = title_words(title)
    low_title = title[:MAX_TITLE_SCAN].lower()
    # A CJK hashtag is a title word when the title contains it (CJK titles have no spaces).
    # Each one is looked up in the set of the title's pieces of up to MAX_TAG_CHARS characters
    # (built once, bounded by MAX_TITLE_SCAN x MAX_TAG_CHARS), not searched for in the title.
    pieces: set[str] | None = None
    hits = []
    for t in distinct:
        if t in words:
            hits.append(t)
        elif len(t) <= len(low_title) and _CJK_RE.search(t):
            if len(t) > MAX_TAG_CHARS:
                found = t in low_title
            else:
                if pieces is None:
                    pieces = _pieces(low_title, {len(x) for x in distinct if len(x) <= MAX_TAG_CHARS})
                found = t in pieces
            if found:
                hits.append(t)
    share = len(hits) / len(distinct)
    ev = [f"{len(hits)}/{len(distinct)} hashtags are title words: {_short(', '.join(hits[:6]), 70)}"] if hits else []
    f.set("hashtags.title_word_share", share, *ev)


def _pieces(text: str, lengths: set[int]) -> set[str]:
    """Every substring of ``text`` of one of ``lengths`` characters."""
    return {text[i : i + n] for n in lengths for i in range(len(text) - n + 1)}


def _tags_from_title(f: Features, title: str, tags: list[str]) -> None:
    distinct = list(dict.fromkeys(" ".join(t.lower().split()) for t in tags if t.strip()))
    if len(distinct) < MIN_TAGS or not title:
        f.set("hashtags.tags_from_title", 0.0)
        return
    words = title_words(title)
    hits = [t for t in distinct if " " not in t and t in words]
    share = len(hits) / len(distinct)
    ev = [f"tags = title words: {_short(', '.join(hits[:6]), 70)} ({len(hits)}/{len(distinct)})"] if hits else []
    f.set("hashtags.tags_from_title", share, *ev)


def _short(s: str, n: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"
