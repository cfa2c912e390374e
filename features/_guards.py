"""Limits that keep hostile markup from making the parser or the text extractor hang.

Measured on resiliparse 2.0 / Lexbor (see ``tests/detector/test_hostile.py``):

* every ``query_selector_all(...).values()`` costs ~7 us per matched element, so a page of
  500,000 ``<a>`` tags spends seconds in each selector. :func:`cap_tags` cuts the markup after
  :data:`MAX_TAGS` ``<`` characters (real pages have at most ~20,000);
* ``extract_plain_text(main_content=True)`` is quadratic in nesting depth (8,000 nested
  ``<div>`` take 1.4 s, 100,000 would take minutes). :func:`too_deep` says when a tree is
  deeper than :data:`MAX_DEPTH`, and the page then uses all visible text as its main text.

Pure: no I/O, nothing from ``detector``.
"""

from __future__ import annotations

from typing import Any

MAX_TAGS = 50_000
MAX_DEPTH = 1_500
_DEEP_SELECTOR = " > ".join(["*"] * MAX_DEPTH)


def cap_tags(html: str, max_tags: int = MAX_TAGS) -> tuple[str, bool]:
    """``html`` cut before its ``max_tags``-th ``<``; returns ``(html, truncated)``."""
    if html.count("<") <= max_tags:
        return html, False
    pos = -1
    for _ in range(max_tags):
        pos = html.find("<", pos + 1)
    return html[:pos], True


def too_deep(tree: Any, html: str) -> bool:
    """Whether the parsed ``tree`` nests elements more than :data:`MAX_DEPTH` deep.

    A tree can only be that deep with at least that many tags, so most pages skip the check.
    """
    if tree is None or tree.document is None or html.count("<") < MAX_DEPTH:
        return False
    return tree.document.query_selector(_DEEP_SELECTOR) is not None
