"""A cheap pre-scan that takes the quadratic shapes out of markup before Lexbor parses it.

Lexbor (resiliparse 2.0) is linear in the size of ordinary markup, but two shapes make the
parse itself (not the extractors) super-linear, and a budget checked between extractors
cannot stop it. Measured with ``benchmarks/parse_guard.py``:

* **attributes per element**: every new attribute is compared with all earlier ones of the
  element, so one ``<div a0=v a1=v ...>`` with 40,000 attributes took 3.3 s of CPU (and 1M
  never finished). :func:`defuse` keeps the first :data:`MAX_ATTRS` attributes of a start tag
  and drops the rest (the HTML rule that the first of duplicate attributes wins is kept).
* **unclosed formatting elements** (``a b big code em font i nobr s small strike strong tt u``):
  the parser keeps a list of them and re-creates ("reconstructs") every one that is no longer
  open before each new piece of content, so ``<div><b class=cN></div>`` repeated N times
  builds N²/2 elements (1,000 repetitions, 25 KB: 502,503 elements). :func:`defuse` counts
  formatting start tags not yet closed by a matching end tag and, once
  :data:`MAX_OPEN_FORMATTING` are open, renames further formatting start tags to ``<span``
  (same attributes and text, no reconstruction). Real pages keep at most a few open
  (see the benchmark's corpus column).

The scan is a few regular expressions over the text (C speed), no tree. Pure: nothing from
``detector``.
"""

from __future__ import annotations

import bisect
import re

MAX_ATTRS = 128
MAX_OPEN_FORMATTING = 24

# <a> and <nobr> are left out: a new one closes the open one, so at most one of each is open.
_FORMATTING = ("b", "big", "code", "em", "font", "i", "s", "small", "strike", "strong", "tt", "u")
# A formatting element's start or end tag (the name must end at whitespace, "/" or ">").
_FORMATTING_TAG = re.compile(r"<(/?)(" + "|".join(_FORMATTING) + r")(?=[\t\n\f\r />]|$)", re.I)

# Where a start tag with more than MAX_ATTRS attributes can be: a run of 2 * MAX_ATTRS
# characters without ">" after "<name", or after a ">" inside a quoted value (the rest of its
# tag then follows that ">"). Two C-speed scans; a run is looked at further only when it
# holds MAX_ATTRS separators (long URLs, SVG paths and inline data do not).
_AFTER_TAG_OPEN = re.compile(rf"<[A-Za-z][^>]{{{2 * MAX_ATTRS},}}")
_AFTER_GT = re.compile(rf">[^>]{{{2 * MAX_ATTRS},}}")
# One attribute of a tag, as the HTML tokenizer splits them: separators, a name (which may
# start with "="), optionally "= value" (quoted, unterminated quotes run to the end; unquoted).
_ATTR = re.compile(
    r"""[\t\n\f\r /]*[^\t\n\f\r />][^\t\n\f\r />=]*"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"[^"]*(?:"|\Z)|'[^']*(?:'|\Z)|[^\t\n\f\r >]*))?"""
)
_TAG_NAME = re.compile(r"<[A-Za-z][^\t\n\f\r />]*")
# MAX_ATTRS separator runs, each followed by other characters: runs alternate strictly, so the
# match stops at the MAX_ATTRS-th (or fails) in one pass, without backtracking.
_MANY_SEPARATORS = re.compile(rf"[^\t\n\f\r />]*(?:[\t\n\f\r /]+[^\t\n\f\r />]+){{{MAX_ATTRS}}}")
# The rest of a tag after its last kept attribute, up to (not including) its ">".
_TAG_REST = re.compile(r"""(?:[^>="']+|=[\t\n\f\r ]*"[^"]*(?:"|\Z)|=[\t\n\f\r ]*'[^']*(?:'|\Z)|[="'])*""")
# Where the tokenizer reads text, not tags: script, style, textarea, title, comments.
_RAW_EDGE = re.compile(r"<(script|style|textarea|title)|</(script|style|textarea|title)|<!--|-->", re.I)


def defuse(html: str) -> tuple[str, bool]:
    """``html`` with attributes past the cap dropped and excess formatting tags renamed.

    Returns ``(html, dropped)``: ``dropped`` says attributes were removed (content lost).
    Renaming a formatting tag to ``span`` keeps every word and link, so it is not reported.
    """
    html, dropped = _cap_attributes(html)
    html, _renamed = _cap_formatting(html)
    return html, dropped


def _cap_attributes(html: str) -> tuple[str, bool]:
    """``html`` with the attributes of a start tag past :data:`MAX_ATTRS` dropped (one pass).

    Linear in ``len(html)``: the quote state before each ``>`` is kept while scanning forward
    (no look back to the tag's ``<`` per ``>``), and each tag's attributes are read once (a
    candidate start inside a tag already read is part of that tag's attributes, not a tag).
    """
    starts: set[int] = set()
    for m in _AFTER_TAG_OPEN.finditer(html):
        if _MANY_SEPARATORS.match(html, m.start(), m.end()):
            starts.add(m.start())
    # The nearest "<" before each ">" and the quotes between them, kept while scanning forward.
    scanned, lt, dq, sq = 0, -1, 0, 0
    for m in _AFTER_GT.finditer(html):
        gt = m.start()
        k = html.rfind("<", scanned, gt)
        if k >= 0:
            lt, dq, sq = k, html.count('"', k, gt), html.count("'", k, gt)
        elif lt >= 0:
            dq, sq = dq + html.count('"', scanned, gt), sq + html.count("'", scanned, gt)
        scanned = gt
        # Only a ">" inside a quoted value (an odd number of quotes since the "<") can be
        # followed by more of the same tag.
        if lt >= 0 and (dq % 2 or sq % 2) and _MANY_SEPARATORS.match(html, gt + 1, m.end()):
            starts.add(lt)
    cuts: list[tuple[int, int]] = []
    raw: list[tuple[int, int]] | None = None
    read_to = 0  # end of the last tag whose attributes were read
    for start in sorted(starts):
        if start < read_to:
            continue  # inside a tag already read: attribute text, not a tag
        name = _TAG_NAME.match(html, start)
        if name is None:
            continue
        if raw is None:
            raw = _raw_text_spans(html)
        i = bisect.bisect_right(raw, (start, len(html))) - 1
        if i >= 0 and raw[i][0] <= start < raw[i][1]:
            continue  # inside a script, style, textarea, title or comment: text, not a tag
        pos, count = name.end(), 0
        while count < MAX_ATTRS:
            a = _ATTR.match(html, pos)
            if a is None or a.end() == pos:
                break
            pos, count = a.end(), count + 1
        end = _TAG_REST.match(html, pos).end()  # type: ignore[union-attr]
        read_to = max(end, start + 1)
        if count < MAX_ATTRS or not html[pos:end].strip("\t\n\f\r /"):
            continue
        cuts.append((pos, end))
    if not cuts:
        return html, False
    parts, prev = [], 0
    for pos, end in cuts:
        parts.append(html[prev:pos])
        prev = end
    parts.append(html[prev:])
    return "".join(parts), True


def _raw_text_spans(html: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every script, style, textarea, title and comment, in order."""
    spans: list[tuple[int, int]] = []
    open_at, closer = -1, ""
    for m in _RAW_EDGE.finditer(html):
        edge = m.group().lower()
        if open_at < 0:
            if edge == "<!--":
                open_at, closer = m.start(), "-->"
            elif not edge.startswith(("</", "-->")):
                open_at, closer = m.start(), "</" + edge[1:]
        elif edge == closer:
            spans.append((open_at, m.end()))
            open_at = -1
    if open_at >= 0:
        spans.append((open_at, len(html)))
    return spans


def _cap_formatting(html: str) -> tuple[str, bool]:
    open_by_name: dict[str, int] = {}
    total = 0
    cut: list[int] = []  # offsets of formatting start tags to rename
    for m in _FORMATTING_TAG.finditer(html):
        name = m.group(2).lower()
        if m.group(1):  # end tag: closes one open element of that name, if any
            if open_by_name.get(name):
                open_by_name[name] -= 1
                total -= 1
            continue
        if total >= MAX_OPEN_FORMATTING:
            cut.append(m.start())
            continue
        open_by_name[name] = open_by_name.get(name, 0) + 1
        total += 1
    if not cut:
        return html, False
    parts = []
    prev = 0
    for start in cut:
        end = start + 1 + len(_FORMATTING_TAG.match(html, start).group(2))  # type: ignore[union-attr]
        parts.append(html[prev:start])
        parts.append("<span")
        prev = end
    parts.append(html[prev:])
    return "".join(parts), True
