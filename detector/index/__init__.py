"""Cross-page index: name the original of a scraped copy, count sites sharing a template.

``from detector.index import Index`` (also ``from detector import Index``). See
:mod:`detector.index.core` for the design and :mod:`detector.index.sketch` for why the
sketches are our own numpy code.
"""

from detector.index.core import Index, IndexResult, Params, sketch_page, sketch_words

__all__ = ["Index", "IndexResult", "Params", "sketch_page", "sketch_words"]
