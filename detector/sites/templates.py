"""Slot templates: titles (or URL slugs) that are one pattern with a few words swapped.

A doorway site stamps one page per town, service or keyword: "Sell My House Fast {City} {ST}",
"{Service} in Tulsa, OK", ``/plumber-in-{city}-tx``. Its titles share a fixed part and differ in
one slot of one to :data:`MAX_SLOT` words (a two-word town and its state change together).

The site aggregate keeps a bottom-k sample of its distinct titles (the :data:`SAMPLE` smallest
stable hashes; the URL slugs of pages without such a title in a second one), so the families
found do not depend on the order the pages arrive in, and memory per site is bounded. :func:`best_family` finds, in such a sample,
the largest group of titles that differ only in one slot:

* the fixed part has at least :data:`MIN_FIXED` words (after the `` | Site Name`` part is
  taken off the title), so "How to {...}" or "Notes on {...}" series are not templates;
* the slot holds at least :data:`MIN_FILLERS` distinct fillers that are not only numbers
  ("Part 2", "Week 3" are a series, not doorways).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SAMPLE = 48  # distinct titles (and slugs) sampled per site
MAX_WORDS = 16  # words of a title (tokens of a slug) read
MAX_SLOT = 3  # words a slot may span
MIN_FIXED = 3  # words outside the slot
MIN_FILLERS = 3  # distinct fillers before a template is a family
MAX_URL = 2048  # characters of a URL read for its slug
_URL_TOKEN = re.compile(r"[a-z0-9]+")
_SEP = "\x00"
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday part vol no".split())


@dataclass(frozen=True)
class Family:
    size: int  # distinct titles (slugs) that fill the template
    sampled: int  # distinct titles (slugs) in the sample it was found in
    template: str  # the fixed words with the slot shown as {...}
    fillers: tuple[str, ...]  # the slot's words, a few of them
    source: str  # "titles" or "URLs"


def title_key(words: list[str]) -> str | None:
    """The sample key of a title's words (None when too short to hold a template)."""
    return " ".join(words[:MAX_WORDS]) if len(words) > MIN_FIXED else None


def slug_key(url: str) -> str | None:
    """The sample key of a URL's last path segment, with the path before it (its folder)."""
    path = url[:MAX_URL].split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0].split("#", 1)[0].rstrip("/")
    last = path.rsplit("/", 1)[-1].lower()
    tokens = _URL_TOKEN.findall(last)[:MAX_WORDS]
    if len(tokens) <= MIN_FIXED:
        return None
    head = path[: -len(last)] if last else path
    return head[:200] + _SEP + " ".join(tokens)


def best_family(keys: list[str], source: str) -> Family | None:
    """The largest slot family among sampled keys (title keys, or slug keys when ``source`` is "URLs")."""
    groups: dict[tuple[str, tuple[str, ...], tuple[str, ...]], set[tuple[str, ...]]] = {}
    for key in keys:
        head, _, text = key.rpartition(_SEP) if source == "URLs" else ("", "", key)
        words = tuple(text.split())
        n = len(words)
        for span in range(1, MAX_SLOT + 1):
            if n - span < MIN_FIXED:
                break
            for i in range(n - span + 1):
                # Only the words that are not numbers or dates tell fillers apart: a numbered or
                # dated series ("part 2", "may 5") is not a doorway.
                filler = tuple(w for w in words[i:i + span] if not (w.isdigit() or w in _DATE_WORDS))
                if filler:
                    groups.setdefault((head, words[:i], words[i + span:]), set()).add(filler)
    # More fillers first; then the longer fixed part (the narrowest slot); then by text.
    ranked = [(-len(f), -(len(k[1]) + len(k[2])), " ".join((*k[1], "{...}", *k[2])), k)
              for k, f in groups.items() if len(f) >= MIN_FILLERS]
    if not ranked:
        return None
    size, _fixed, text, best_key = min(ranked)
    head, pre, post = best_key
    template = "/" + head + "-".join((*pre, "{...}", *post)) if source == "URLs" else text
    fillers = tuple(sorted(" ".join(f) for f in groups[best_key]))[:8]
    return Family(-size, len(keys), template, fillers, source)
