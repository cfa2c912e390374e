"""Scrapy integration: an item pipeline (and a downloader middleware) that scores pages.

Enable the pipeline in ``settings.py``::

    ITEM_PIPELINES = {"detector.integrations.scrapy_pipeline.FarmscanPipeline": 300}
    FARMSCAN_ACTION = "drop"          # or "annotate" (default)

Settings (all optional):

* ``FARMSCAN_ENABLED`` (bool, default True): ``False`` disables it (``NotConfigured``).
* ``FARMSCAN_MODEL``: model file; default the model shipped with farmscan.
* ``FARMSCAN_THRESHOLD`` (float): flag at or above this probability; default the model's.
* ``FARMSCAN_ACTION``: ``annotate`` adds the verdict to every item; ``drop`` also raises
  ``DropItem`` (with the reasons) for flagged items.
* ``FARMSCAN_FIELDS``: verdict fields to add, any of ``label probability flagged reasons
  signals threshold model error`` (default ``label probability reasons``).
* ``FARMSCAN_ITEM_KEY`` (default ``farmscan``): the item field that receives the fields as
  a dict. Declare it on ``scrapy.Item`` classes. ``""`` writes the fields flat, prefixed
  ``farmscan_`` (``farmscan_label``...).
* ``FARMSCAN_HTML_FIELD`` (default ``html``) and ``FARMSCAN_URL_FIELD`` (default ``url``):
  where an item holds the page (``str`` or ``bytes``) and its URL.
* ``FARMSCAN_MAX_BYTES``: cap on a page's bytes (default 10 MB).

Stats: ``farmscan/scored``, ``farmscan/flagged``, ``farmscan/errors``, ``farmscan/no_html``
(items without the HTML field, passed through), ``farmscan/dropped`` and
``farmscan/reason/<signal>`` for each reason of a flagged page.

The model is loaded once per process (in ``from_crawler``), not per item.
"""

from __future__ import annotations

from typing import Any

from detector.api import score_page
from detector.errors import FarmscanError
from detector.loaders import load
from detector.model import Model, load_model
from detector.options import Options
from detector.verdict import Verdict

ACTIONS = ("annotate", "drop")
FIELDS = ("label", "probability", "flagged", "reasons", "signals", "threshold", "model", "error")
DEFAULT_FIELDS = ("label", "probability", "reasons")


def _not_configured(msg: str) -> Exception:
    from scrapy.exceptions import NotConfigured

    return NotConfigured(msg)


def verdict_fields(v: Verdict, fields: tuple[str, ...]) -> dict[str, Any]:
    """The chosen fields of a verdict, as plain JSON-able values."""
    d = v.to_dict()
    d["flagged"] = v.flagged
    d["reasons"] = v.reasons
    return {f: d[f] for f in fields}


class _Scorer:
    """Settings to :class:`Options`, the model loaded once, and the stats counters."""

    def __init__(self, options: Options, stats: Any = None) -> None:
        self.options = options
        self.stats = stats
        try:
            self.model: Model = load_model(options.model, options.model_sha256)
        except FarmscanError as exc:
            raise _not_configured(f"farmscan: {exc.one_line()}") from None

    @staticmethod
    def options_from(settings: Any) -> Options:
        if not settings.getbool("FARMSCAN_ENABLED", True):
            raise _not_configured("FARMSCAN_ENABLED is False")
        threshold = settings.get("FARMSCAN_THRESHOLD")
        if threshold not in (None, ""):
            threshold = float(threshold)
            if not 0.0 <= threshold <= 1.0:
                raise ValueError(f"FARMSCAN_THRESHOLD must be in [0, 1], got {threshold}")
        else:
            threshold = None
        return Options(
            model=settings.get("FARMSCAN_MODEL") or None,
            threshold=threshold,
            max_bytes=settings.getint("FARMSCAN_MAX_BYTES", 10 * 1024 * 1024),
        )

    def inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"farmscan/{key}")

    def score(self, body: str | bytes, url: str | None, name: str) -> Verdict:
        """A verdict for one page; failures become a verdict with ``error`` (counted)."""
        try:
            docs = list(load(body, url=url, options=self.options))
            if len(docs) != 1 or docs[0].page is None:
                raise FarmscanError(f"expected one page, got {len(docs)}")
            v = score_page(docs[0].page, input=name, options=self.options, model=self.model)
        except FarmscanError as exc:
            self.inc("errors")
            return Verdict.failed(name, url, exc.one_line(), self.model.id)
        except Exception as exc:  # noqa: BLE001 - a crawl never stops on one page
            self.inc("errors")
            return Verdict.failed(name, url, f"internal: {exc.__class__.__name__}: {exc}"[:300], self.model.id)
        self.inc("scored")
        if v.flagged:
            self.inc("flagged")
            for r in v.reasons:
                self.inc(f"reason/{r}")
        return v


class FarmscanPipeline:
    """Item pipeline: score the page an item holds; annotate the item or drop it."""

    def __init__(
        self,
        options: Options | None = None,
        *,
        action: str = "annotate",
        fields: tuple[str, ...] = DEFAULT_FIELDS,
        item_key: str = "farmscan",
        html_field: str = "html",
        url_field: str = "url",
        stats: Any = None,
    ) -> None:
        if action not in ACTIONS:
            raise ValueError(f"FARMSCAN_ACTION must be one of {ACTIONS}, got {action!r}")
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise ValueError(f"FARMSCAN_FIELDS: unknown field(s) {sorted(unknown)}; known: {FIELDS}")
        self.scorer = _Scorer(options or Options(), stats)
        self.action, self.fields, self.item_key = action, tuple(fields), item_key
        self.html_field, self.url_field = html_field, url_field

    @classmethod
    def from_crawler(cls, crawler: Any) -> FarmscanPipeline:
        s = crawler.settings
        options = _Scorer.options_from(s)
        return cls(
            options,
            action=(s.get("FARMSCAN_ACTION") or "annotate").lower(),
            fields=tuple(s.getlist("FARMSCAN_FIELDS") or DEFAULT_FIELDS),
            item_key=s.get("FARMSCAN_ITEM_KEY", "farmscan"),
            html_field=s.get("FARMSCAN_HTML_FIELD", "html"),
            url_field=s.get("FARMSCAN_URL_FIELD", "url"),
            stats=crawler.stats,
        )

    def process_item(self, item: Any, spider: Any = None) -> Any:
        from itemadapter import ItemAdapter

        adapter = ItemAdapter(item)
        body = adapter.get(self.html_field)
        if not isinstance(body, str | bytes) or not body:
            self.scorer.inc("no_html")
            return item
        url = adapter.get(self.url_field)
        url = url if isinstance(url, str) else None
        v = self.scorer.score(body, url, url or "<item>")
        values = verdict_fields(v, self.fields)
        if self.item_key:
            adapter[self.item_key] = values
        else:
            for k, val in values.items():
                adapter[f"farmscan_{k}"] = val
        if self.action == "drop" and v.flagged:
            from scrapy.exceptions import DropItem

            self.scorer.inc("dropped")
            raise DropItem(
                f"farmscan: farm page (p={v.probability:.2f} >= {v.threshold:.2f}) {url or ''}; "
                f"reasons: {', '.join(v.reasons) or 'none'}"
            )
        return item


class FarmscanDownloaderMiddleware:
    """Downloader middleware: score HTML responses and put the verdict in ``response.meta``.

    ``response.meta["farmscan"]`` (the request's meta, so callbacks see it) holds the
    ``FARMSCAN_FIELDS`` of the verdict. Enable it *or* the pipeline, not both, or pages are
    scored and counted twice::

        DOWNLOADER_MIDDLEWARES = {"detector.integrations.scrapy_pipeline.FarmscanDownloaderMiddleware": 950}
    """

    def __init__(self, options: Options | None = None, *, fields: tuple[str, ...] = DEFAULT_FIELDS, stats: Any = None) -> None:
        self.scorer = _Scorer(options or Options(), stats)
        self.fields = tuple(fields)

    @classmethod
    def from_crawler(cls, crawler: Any) -> FarmscanDownloaderMiddleware:
        s = crawler.settings
        return cls(_Scorer.options_from(s), fields=tuple(s.getlist("FARMSCAN_FIELDS") or DEFAULT_FIELDS), stats=crawler.stats)

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if "html" not in ctype or not response.body:
            return response
        v = self.scorer.score(response.body if not hasattr(response, "text") else response.text, response.url, response.url)
        request.meta["farmscan"] = verdict_fields(v, self.fields)
        return response
