"""Scrapy integration: an item pipeline and a downloader middleware that score pages.

Enable one of them in ``settings.py`` (not both: pages would be scored and counted twice)::

    # the item pipeline: scores the HTML an item holds, annotates or drops the item
    ITEM_PIPELINES = {"detector.integrations.scrapy.FarmscanPipeline": 300}
    FARMSCAN_ACTION = "drop"              # or "annotate" (default)
    FARMSCAN_DROP_LOG_LEVEL = "INFO"      # how dropped farm items are logged (default DEBUG)

    # or the downloader middleware: scores every HTML response, verdict in response.meta["farmscan"]
    DOWNLOADER_MIDDLEWARES = {"detector.integrations.scrapy.FarmscanDownloaderMiddleware": 950}

Scoring never blocks the reactor: it runs in a thread pool of its own
(``FARMSCAN_THREADS``, default 1) and the pipeline's ``process_item`` / the middleware's
``process_response`` are coroutines awaiting it, so the crawl keeps downloading meanwhile.

Settings (all optional):

* ``FARMSCAN_ENABLED`` (bool, default True): ``False`` disables it (``NotConfigured``).
* ``FARMSCAN_MODEL``: model file; default the model shipped with farmscan.
* ``FARMSCAN_THRESHOLD`` (float): flag at or above this probability; default the model's.
* ``FARMSCAN_ACTION``: ``annotate`` adds the verdict to every item; ``drop`` also raises
  ``DropItem`` (with the reasons) for flagged items.
* ``FARMSCAN_DROP_LOG_LEVEL`` (default ``DEBUG``): the log level of a dropped item's line.
* ``FARMSCAN_THREADS`` (default 1): threads scoring pages (Python holds the GIL while
  scoring, so more threads add little; one keeps the reactor free).
* ``FARMSCAN_PROCESSES`` (default 0): score in this many worker processes instead (spawned
  once per crawl, the model loaded once in each), so scoring uses other cores than the
  crawl's; worth it when scoring, not downloading, is what the crawl waits for. The workers
  are spawned: a script that starts its crawl itself must do so under
  ``if __name__ == "__main__":`` (``scrapy crawl`` needs nothing).
* ``FARMSCAN_FIELDS``: verdict fields to add, any of ``label probability flagged reasons
  signals threshold model error abstain`` (default ``label probability reasons``).
* ``FARMSCAN_ITEM_KEY`` (default ``farmscan``): the item field that receives the fields as
  a dict. Declare it on ``scrapy.Item`` classes. ``""`` writes the fields flat, prefixed
  ``farmscan_`` (``farmscan_label``...).
* ``FARMSCAN_HTML_FIELD`` (default ``html``) and ``FARMSCAN_URL_FIELD`` (default ``url``):
  where an item holds the page (``str`` or ``bytes``) and its URL.
* ``FARMSCAN_MAX_BYTES``: cap on a page's bytes (default 10 MB).

Stats (compact): ``farmscan/scored`` (pages judged), ``farmscan/flagged``,
``farmscan/reason/<top reason>`` (one per flagged page: the reason that carried it furthest
over the threshold), ``farmscan/not_page`` (abstained), ``farmscan/errors``,
``farmscan/no_html`` (items without the HTML field, passed through), ``farmscan/dropped``.

The model is loaded once per process (in ``from_crawler``), not per item.
"""

from __future__ import annotations

from typing import Any

from detector.api import safe_load, score_documents
from detector.errors import FarmscanError, InputError
from detector.model.load import Model, load_model
from detector.options import DEFAULT_OPTIONS, Options
from detector.sources.document import Document
from detector.verdict import Verdict

ACTIONS = ("annotate", "drop")
FIELDS = ("label", "probability", "flagged", "reasons", "signals", "threshold", "model", "error", "abstain")
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

    def __init__(self, options: Options, stats: Any = None, threads: int = 1, processes: int = 0) -> None:
        self.options = options
        self.stats = stats
        self.threads = _Threads(max(threads, processes))
        self.processes = _Processes(processes, options) if processes > 0 else None
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
            max_bytes=settings.getint("FARMSCAN_MAX_BYTES", DEFAULT_OPTIONS.max_bytes),
        )

    def inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"farmscan/{key}")

    def verdict(self, body: str | bytes, url: str | None, name: str) -> Verdict:
        """A verdict for one page (runs in a scoring thread); failures become a verdict with ``error``."""
        if self.processes is not None:
            return self.processes.score(body, url, name)
        return _verdict(self.options, self.model, body, url, name)

    def count(self, v: Verdict) -> None:
        """The compact stats of one verdict (on the reactor thread)."""
        if v.error is not None:
            self.inc("errors")
        elif v.abstain is not None:
            self.inc("not_page")
        else:
            self.inc("scored")
            if v.flagged:
                self.inc("flagged")
                if v.reasons:
                    self.inc(f"reason/{v.reasons[0]}")

    def score(self, body: str | bytes, url: str | None, name: str) -> Verdict:
        """Score in the calling thread and count (for callers outside a reactor)."""
        v = self.verdict(body, url, name)
        self.count(v)
        return v

    async def score_off_reactor(self, body: str | bytes, url: str | None, name: str) -> Verdict:
        """Score in the scoring thread pool, awaited, so the reactor keeps running; then count."""
        v = await self.threads.run(self.verdict, body, url, name)
        self.count(v)
        return v


def _verdict(options: Options, model: Model, body: str | bytes, url: str | None, name: str) -> Verdict:
    """One page's verdict through the library's one error-to-verdict path (never raises)."""
    docs = list(safe_load(body, name=name, url=url, options=options))
    if len(docs) != 1:
        docs = [Document(name, error=InputError(f"expected one page, got {len(docs)}"))]
    return next(score_documents(docs, options=options, model=model))


_WORKER: dict[str, Any] = {}


def _worker_init(options: Options) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawl's to handle
    _WORKER.update(options=options, model=load_model(options.model, options.model_sha256))


def _worker_verdict(body: str | bytes, url: str | None, name: str) -> Verdict:
    return _verdict(_WORKER["options"], _WORKER["model"], body, url, name)


class _Processes:
    """``FARMSCAN_PROCESSES``: worker processes (spawned, the model loaded once in each) that
    score pages on other cores; each scoring thread hands one page at a time to them."""

    def __init__(self, n: int, options: Options) -> None:
        import threading

        self.n, self.options = n, options
        self.executor: Any = None
        self.lock = threading.Lock()

    def score(self, body: str | bytes, url: str | None, name: str) -> Verdict:
        with self.lock:
            if self.executor is None:
                import multiprocessing as mp
                from concurrent.futures import ProcessPoolExecutor

                from twisted.internet import reactor

                self.executor = ProcessPoolExecutor(self.n, mp_context=mp.get_context("spawn"),
                                                    initializer=_worker_init, initargs=(self.options,))
                reactor.callFromThread(reactor.addSystemEventTrigger, "during", "shutdown", self.close)
        return self.executor.submit(_worker_verdict, body, url, name).result()

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)


class _Threads:
    """A Twisted thread pool of its own, started on first use and stopped with the reactor."""

    def __init__(self, n: int) -> None:
        self.n = max(1, n)
        self.pool: Any = None

    async def run(self, fn: Any, *args: Any) -> Any:
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import reactor
        from twisted.internet.threads import deferToThreadPool

        if self.pool is None:
            from twisted.python.threadpool import ThreadPool

            self.pool = ThreadPool(minthreads=1, maxthreads=self.n, name="farmscan")
            self.pool.start()
            reactor.addSystemEventTrigger("during", "shutdown", self.pool.stop)
        return await maybe_deferred_to_future(deferToThreadPool(reactor, self.pool, fn, *args))


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
        drop_log_level: str = "DEBUG",
        threads: int = 1,
        processes: int = 0,
    ) -> None:
        if action not in ACTIONS:
            raise ValueError(f"FARMSCAN_ACTION must be one of {ACTIONS}, got {action!r}")
        unknown = set(fields) - set(FIELDS)
        if unknown:
            raise ValueError(f"FARMSCAN_FIELDS: unknown field(s) {sorted(unknown)}; known: {FIELDS}")
        import logging

        level = str(drop_log_level).upper()
        if not isinstance(getattr(logging, level, None), int):
            raise ValueError(f"FARMSCAN_DROP_LOG_LEVEL must be a logging level name, got {drop_log_level!r}")
        self.scorer = _Scorer(options or Options(), stats, threads, processes)
        self.action, self.fields, self.item_key = action, tuple(fields), item_key
        self.html_field, self.url_field = html_field, url_field
        self.drop_log_level = level

    @classmethod
    def from_crawler(cls, crawler: Any) -> FarmscanPipeline:
        s = crawler.settings
        options = _Scorer.options_from(s)
        _drops_without_item(crawler)
        return cls(
            options,
            action=(s.get("FARMSCAN_ACTION") or "annotate").lower(),
            fields=tuple(s.getlist("FARMSCAN_FIELDS") or DEFAULT_FIELDS),
            item_key=s.get("FARMSCAN_ITEM_KEY", "farmscan"),
            html_field=s.get("FARMSCAN_HTML_FIELD", "html"),
            url_field=s.get("FARMSCAN_URL_FIELD", "url"),
            stats=crawler.stats,
            drop_log_level=s.get("FARMSCAN_DROP_LOG_LEVEL", "DEBUG"),
            threads=s.getint("FARMSCAN_THREADS", 1),
            processes=s.getint("FARMSCAN_PROCESSES", 0),
        )

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        from itemadapter import ItemAdapter

        adapter = ItemAdapter(item)
        body = adapter.get(self.html_field)
        if not isinstance(body, str | bytes) or not body:
            self.scorer.inc("no_html")
            return item
        url = adapter.get(self.url_field)
        url = url if isinstance(url, str) else None
        v = await self.scorer.score_off_reactor(body, url, url or "<item>")
        values = verdict_fields(v, self.fields)
        if self.item_key:
            adapter[self.item_key] = values
        else:
            for k, val in values.items():
                adapter[f"farmscan_{k}"] = val
        if self.action == "drop" and v.flagged:
            from scrapy.exceptions import DropItem

            self.scorer.inc("dropped")
            msg = (f"farmscan: farm page (p={v.probability:.2f} >= {v.threshold:.2f}) {url or ''}; "
                   f"reasons: {', '.join(v.reasons) or 'none'}")
            try:
                drop = DropItem(msg, log_level=self.drop_log_level)
            except TypeError:  # older Scrapy: DropItem takes no level (logged at WARNING)
                drop = DropItem(msg)
            drop.farmscan = True  # type: ignore[attr-defined]  # logged without the item (_drops_without_item)
            raise drop
        return item


def _drops_without_item(crawler: Any) -> None:
    """Have the crawl's log formatter log farmscan's drops as the URL and reasons only.

    Scrapy's ``LogFormatter.dropped`` appends the whole item to "Dropped:" (its HTML field
    included: hundreds of KB of log for a few drops); other pipelines' drops keep Scrapy's line.
    """
    fmt = getattr(crawler, "logformatter", None)
    if fmt is None or getattr(fmt, "_farmscan_wrapped", False):
        return
    original = fmt.dropped

    def dropped(item: Any, exception: BaseException, response: Any = None, spider: Any = None, *a: Any, **kw: Any) -> Any:
        entry = original(item, exception, response, spider, *a, **kw)
        if getattr(exception, "farmscan", False) and isinstance(entry, dict):
            entry = {**entry, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
        return entry

    fmt.dropped = dropped
    fmt._farmscan_wrapped = True


class FarmscanDownloaderMiddleware:
    """Downloader middleware: score HTML responses and put the verdict in ``response.meta``.

    ``response.meta["farmscan"]`` (the request's meta, so callbacks see it) holds the
    ``FARMSCAN_FIELDS`` of the verdict; scoring runs off the reactor thread, as the
    pipeline's does. Enable it *or* the pipeline, not both, or pages are scored and counted
    twice::

        DOWNLOADER_MIDDLEWARES = {"detector.integrations.scrapy.FarmscanDownloaderMiddleware": 950}
    """

    def __init__(self, options: Options | None = None, *, fields: tuple[str, ...] = DEFAULT_FIELDS, stats: Any = None,
                 threads: int = 1, processes: int = 0) -> None:
        self.scorer = _Scorer(options or Options(), stats, threads, processes)
        self.fields = tuple(fields)

    @classmethod
    def from_crawler(cls, crawler: Any) -> FarmscanDownloaderMiddleware:
        s = crawler.settings
        return cls(_Scorer.options_from(s), fields=tuple(s.getlist("FARMSCAN_FIELDS") or DEFAULT_FIELDS), stats=crawler.stats,
                   threads=s.getint("FARMSCAN_THREADS", 1), processes=s.getint("FARMSCAN_PROCESSES", 0))

    async def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if "html" not in ctype or not response.body:
            return response
        body = response.body if not hasattr(response, "text") else response.text
        v = await self.scorer.score_off_reactor(body, response.url, response.url)
        request.meta["farmscan"] = verdict_fields(v, self.fields)
        return response
