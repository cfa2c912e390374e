"""When not to judge: inputs that are not web pages get no label.

Random bytes, a one-letter file or a CSV table used to come out ``original 0.06`` with no
word of why: the model has no opinion about them, the number only looked like one.
:func:`not_a_page` says why an input is not a page (``"not a page: ..."``) or returns
``None``; :func:`detector.api.score_page` then returns a verdict with ``label=None``,
``abstained=True`` and that reason, counted apart from farms, originals and errors.

The rules read the page facts once (:class:`features.page.Page`), no model:

* **binary content**: C0 control characters (other than tab/newline/carriage return) or
  U+FFFD replacement characters are more than ``MAX_BINARY_SHARE`` of the decoded input;
  text and HTML, in any script, have next to none.
* **too little readable text**: fewer than ``MIN_WORDS`` words of visible text (all of the
  page's text, not only its main content, plus an HTML page's title).
* **tabular data**: a plain-text input whose lines nearly all hold the same number (one or
  more) of the same delimiter (``,`` ``;`` tab ``|``): a CSV/TSV export, not an article.

Measured on ``../shared`` (``python benchmarks/abstain_corpus.py``): the counts it prints are
quoted in README.md.
"""

from __future__ import annotations

import re

from features.page import Page, tokenize

MIN_WORDS = 5
MAX_BINARY_SHARE = 0.02
_SAMPLE = 65536
_DELIMS = (",", ";", "\t", "|")
# C0 controls but tab, newline, vertical tab, form feed, carriage return; and U+FFFD.
_BINARY_RE = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def binary_share(text: str) -> float:
    """Share of control characters and U+FFFD in (the first 64 KB of) ``text``."""
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    return len(_BINARY_RE.findall(sample)) / len(sample)


def tabular_delimiter(text: str) -> str | None:
    """The delimiter when ``text`` reads as a table: 3+ lines, 90% of them with the same count of it."""
    lines = [ln for ln in text[:_SAMPLE].splitlines() if ln.strip()]
    if len(lines) < 3:
        return None
    for d in _DELIMS:
        counts = [ln.count(d) for ln in lines]
        first = counts[0]
        if first >= 1 and sum(c == first for c in counts) >= 0.9 * len(counts):
            # Prose with one comma a line is not a table: table cells are short.
            cells = [c for ln in lines for c in ln.split(d)]
            if sum(len(c.split()) for c in cells) / max(len(cells), 1) <= 6:
                return d
    return None


def not_a_page(page: Page) -> str | None:
    """``"not a page: <why>"`` for an input the model should not judge, else ``None``."""
    known = page.meta_extra.get("farmscan:abstain")  # a loader's reason (empty input, a PDF URL)
    if known:
        return str(known)
    raw = page.html if page.html is not None else (page.raw_text or "")
    share = binary_share(raw)
    if share > MAX_BINARY_SHARE:
        return f"not a page: binary content ({share:.0%} control or undecodable characters)"
    if page.kind == "text":
        d = tabular_delimiter(page.raw_text or "")
        if d is not None:
            name = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}[d]
            return f"not a page: tabular data ({name}-separated lines)"
    n = len(page.all_words)
    if page.kind != "text":  # an HTML title is readable text too (plain text's title is its first line)
        n += len(tokenize(page.title or ""))
    if n < MIN_WORDS:
        return f"not a page: {n} readable word{'s' if n != 1 else ''} (at least {MIN_WORDS} needed)"
    return None
