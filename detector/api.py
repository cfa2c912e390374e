"""The library entry points: :func:`score` for one page, :func:`score_many` for a batch."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from detector.abstain import not_a_page
from detector.budget import INDEX_STEP, clock_start, extract_within, spent, start_clock
from detector.errors import FarmscanError, InputError, InternalError
from detector.kinds import decide_kind
from detector.model.load import Model, load_model
from detector.options import DEFAULT_OPTIONS, Options
from detector.signals import reasons_for, select_signals
from detector.sources.document import Document
from detector.sources.load import load
from detector.verdict import Verdict
from features.page import Page

# A page address longer than this is not scored (an error record): a recovered canonical is
# held to the same length (features.page.absolute_http_url), browsers and servers refuse far
# shorter ones, and every extractor reading the URL is then bounded by it.
MAX_URL_CHARS = 4096


class IndexMatches(Protocol):
    """What an index look-up adds to a verdict: ``index.*`` features, copies, template sites."""

    features: Any  # features.Features
    copy_of: list[dict[str, Any]]
    template_sites: int | None


class IndexLike(Protocol):
    """Anything :func:`score` can consult for copies and shared templates (:class:`detector.index.Index`)."""

    def query(self, page: Page) -> IndexMatches: ...


def _model_for(options: Options) -> Model:
    return load_model(options.model, options.model_sha256)


def score_page(
    page: Page,
    *,
    input: str = "<page>",
    options: Options = DEFAULT_OPTIONS,
    index: IndexLike | None = None,
    model: Model | None = None,
) -> Verdict:
    """Score an already-built :class:`Page`: features, (index look-up), model, verdict.

    Extractors stop once ``options.max_cpu_seconds`` of CPU are spent (see
    :mod:`detector.budget`); the verdict is then ``truncated`` with a ``note``. An input that
    is not a page (:mod:`detector.abstain`) gets ``label=None`` and ``abstain`` says why.
    """
    model = model or _model_for(options)
    page = page.for_this_thread()  # a page parsed in another thread is parsed again here
    start = clock_start(page)  # the budget counts from the page's first byte read (detector.budget)
    if page.url and len(page.url) > MAX_URL_CHARS:
        raise InputError(f"page URL of {len(page.url):,} characters (at most {MAX_URL_CHARS:,})")
    threshold = options.threshold if options.threshold is not None else model.threshold
    why = not_a_page(page)
    if why is not None:
        v = Verdict.not_a_page(input, page.address or None, why, model.id, url_source=page.url_source)
        v.threshold, v.truncated = threshold, page.truncated
        return v
    budgeted = extract_within(page, options.max_cpu_seconds, start=start)
    feats = budgeted.features
    copy_of: list[dict[str, Any]] = []
    template_sites = None
    if index is not None and (budgeted.skipped or spent(start, options.max_cpu_seconds)):
        budgeted.skipped_steps.append(INDEX_STEP)  # its sketch reads every main-text word
    elif index is not None:
        # The page's own verdict (before any index feature) is farm evidence for copy direction.
        own_prob, _ = model.predict(feats.values)
        found = index.query(page, id=input, features=feats, farm_probability=own_prob)
        feats.update(found.features)
        copy_of, template_sites = found.copy_of, found.template_sites
    e = model.explain(feats.values)
    flagged = e.probability >= threshold
    extra: dict[str, Any] = {"kind": decide_kind({n: c for n, c in e.contributions.items() if c > 0}, {})[0]
                             if flagged else None}
    if budgeted.note:
        extra["note"] = budgeted.note
    from detector.sites.facts import (  # the site roll-up's facts ride on the record
        compact_site_facts,
        site_key,
    )

    extra["site_facts"] = compact_site_facts(page, site_key(page.address or None, input), feats.values.get("ads.slots"))
    return Verdict(
        input=input,
        url=page.address or None,
        url_source=page.url_source,
        label="farm" if flagged else "original",
        probability=e.probability,
        model=model.id,
        signals=select_signals(e.contributions, feats.values, feats.evidence),
        threshold=threshold,
        truncated=page.truncated or bool(budgeted.skipped) or bool(budgeted.skipped_steps),
        features=dict(feats.values) if options.explain else None,
        evidence={k: list(v) for k, v in feats.evidence.items()} if options.explain else None,
        copy_of=copy_of,
        template_sites=template_sites,
        extra=extra,
        base=e.base,
        log_odds=e.log_odds,
        contributions=dict(e.contributions),
        reasons=reasons_for(e.base, e.contributions, threshold, flagged),
    )


def score(
    source: Any,
    *,
    url: str | None = None,
    options: Options | None = None,
    index: IndexLike | None = None,
) -> Verdict:
    """Score one page.

    ``source`` is page content (``bytes``, or a ``str`` of HTML / WordPress JSON / text), a
    file (:class:`pathlib.Path`), a parsed WordPress post (``dict``), a ``bs4.BeautifulSoup``,
    or a :class:`features.Page`. A ``str`` is content, never a file name: a ``str`` that
    looks like a path (:func:`looks_like_path`) raises :class:`~detector.errors.InputError`
    saying to pass a :class:`pathlib.Path`, instead of being scored as text. A URL is
    fetched only by :func:`score_url` or with ``Options(fetch=True)`` (a URL ``str`` without
    it raises :class:`~detector.errors.InputError` saying so).
    Raises :class:`~detector.errors.FarmscanError` subclasses (``InputError``,
    ``FetchError``, ``ModelError``) for inputs that cannot be scored.
    """
    options = options or DEFAULT_OPTIONS
    if isinstance(source, str) and looks_like_path(source):
        raise InputError(f"{source.strip()!r:.120} looks like a file name, and a str is page content: "
                         "pass pathlib.Path(...) to score the file (or bytes of the page)")
    started = time.thread_time()
    docs = list(load(source, url=url, options=options))
    if len(docs) == 1 and docs[0].page is not None:
        start_clock(docs[0].page, started)
    if len(docs) != 1:
        raise InputError(f"source holds {len(docs)} pages; use score_many() for several")
    doc = docs[0]
    if doc.error is not None:
        raise doc.error
    assert doc.page is not None
    return score_page(doc.page, input=doc.input, options=options, index=index)


# What a file name ends in, for a str that looks like one (page files, archives, lists).
PATH_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".json", ".txt", ".text",
                 ".warc", ".arc", ".gz", ".jsonl", ".tsv", ".csv")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def looks_like_path(s: str) -> bool:
    """Whether a ``str`` given as a page is a file name instead: one line of at most 4096
    characters, no ``<`` or ``{`` (markup, JSON), and either it names an existing file or
    directory, or it has no spaces and starts with ``/``, ``./``, ``../``, ``~`` or a drive
    (``C:\\``), or it has no spaces and ends in a page suffix (``.html``, ``.warc.gz``, ...).
    Page text (several lines, or words with spaces) never does."""
    t = s.strip()
    if not t or "\n" in t or len(t) > 4096 or "<" in t or "{" in t:
        return False
    try:
        if Path(t).expanduser().exists():
            return True
    except (OSError, ValueError):
        pass
    if any(c.isspace() for c in t):
        return False
    return t.startswith(("/", "./", "../", "~")) or bool(_DRIVE.match(t)) or t.lower().endswith(PATH_SUFFIXES)


def score_url(
    url: str,
    *,
    options: Options | None = None,
    index: IndexLike | None = None,
) -> Verdict:
    """Fetch ``url`` (http or https, within ``options``' timeout, size and address limits) and score it."""
    from detector.sources.document import is_url

    if not isinstance(url, str) or not is_url(url):
        raise InputError(f"score_url() takes an http(s) URL, got {url!r:.80}")
    options = (options or DEFAULT_OPTIONS).with_(fetch=True)
    return score(url, options=options, index=index)


def as_error(exc: BaseException | None, *, stage: str = "internal") -> FarmscanError:
    """Any failure as a :class:`FarmscanError`: ours as they are, others named with ``stage``.

    The one place where an unexpected exception becomes a one-line error; every batch path
    (the library, the CLI, Dask, Scrapy) records failures through it.
    """
    if isinstance(exc, FarmscanError):
        return exc
    if exc is None:
        return InputError("unreadable")
    msg = f"{exc.__class__.__name__}: {exc}"[:300]
    return InputError(msg) if stage == "input" else InternalError(msg)


def score_documents(
    docs: Iterable[Document],
    *,
    options: Options = DEFAULT_OPTIONS,
    index: IndexLike | None = None,
    model: Model | None = None,
) -> Iterator[Verdict]:
    """Verdicts for loaded documents; an error becomes a failed verdict, never an exception."""
    model = model or _model_for(options)
    for doc in docs:
        try:
            if doc.error is not None or doc.page is None:
                raise as_error(doc.error, stage="input")
            yield score_page(doc.page, input=doc.input, options=options, index=index, model=model)
        except Exception as exc:  # noqa: BLE001 - a batch never stops on one page
            err = as_error(exc)
            yield Verdict.failed(doc.input, doc.url, err.one_line(), model.id, url_source=doc.url_source)
        except BaseException as exc:
            # A Rust panic in a native parser (pyo3's PanicException) is a BaseException; it
            # must not end a batch. KeyboardInterrupt and SystemExit still do.
            if type(exc).__name__ != "PanicException":
                raise
            yield Verdict.failed(doc.input, doc.url, InternalError(f"native parser panic: {exc}"[:300]).one_line(),
                                 model.id, url_source=doc.url_source)


def score_many(
    sources: Iterable[Any],
    *,
    options: Options | None = None,
    index: IndexLike | None = None,
    url: str | None = None,
) -> Iterator[Verdict]:
    """One verdict per page, in input order; failed inputs yield a verdict with ``error`` set.

    Each item is a source as :func:`score` takes it, a file or directory (a :class:`~pathlib.Path`,
    or a ``str`` that :func:`looks_like_path`: read as the CLI reads its arguments; a
    directory's page files are read recursively, a WARC file yields each record), or a
    ``(source, url)`` tuple giving that page's URL (``None`` or ``""``: none given; the page's own canonical, ``og:url`` or
    ``<base href>`` is then recovered). A pair's URL wins over ``url``, which applies to the
    plain sources. A source holding several pages (a WordPress list, a WARC file) yields one
    verdict each.
    """
    options = options or DEFAULT_OPTIONS
    for i, item in enumerate(sources):
        source, page_url = item, url
        if isinstance(item, tuple):
            if len(item) != 2 or not (item[1] is None or isinstance(item[1], str)):
                bad = InputError(f"a pair is (source, url) with url a str or None, got a {len(item)}-tuple"
                                 if len(item) != 2 else f"a pair's url must be a str or None, not {type(item[1]).__name__}")
                yield from score_documents([Document(f"<input {i}>", error=bad)], options=options, index=index)
                continue
            source, page_url = item[0], item[1] or None
        name = (str(source) if isinstance(source, Path) else source.strip() if isinstance(source, str) and len(source) < 300
                else f"<input {i}>")
        yield from score_documents(safe_load(source, name=str(name), url=page_url, options=options), options=options, index=index)


def load_source(source: Any, *, url: str | None = None, options: Options = DEFAULT_OPTIONS) -> Iterator[Document]:
    """Documents of one library batch item: paths (a :class:`~pathlib.Path`, or a ``str`` that
    :func:`looks_like_path`) as the CLI reads them (directories walked, WARC files record by
    record, a missing file an error), anything else as :func:`load` reads it."""
    from detector.sources.load import expand_inputs, load_path_or_url

    if isinstance(source, Path) or (isinstance(source, str) and looks_like_path(source)):
        text = str(source).strip() if isinstance(source, str) else str(source)
        path = Path(text).expanduser()
        if path.is_dir():
            for item in expand_inputs([str(path)]):
                yield from _named(load_path_or_url(item, url=url, options=options), item)
            return
        if not path.exists():
            raise InputError(f"no such file or directory: {text}")
        yield from load(path, url=url, options=options)
        return
    yield from load(source, url=url, options=options)


def _named(docs: Iterator[Document], name: str) -> Iterator[Document]:
    try:
        yield from docs
    except Exception as exc:  # noqa: BLE001 - one failed file of a directory, the walk goes on
        yield Document(name, error=as_error(exc, stage="input"))


def safe_load(source: Any, *, name: str, url: str | None, options: Options, loader: Any = None) -> Iterator[Document]:
    """Documents of one source; a load error becomes one failed document."""
    loader = loader or load_source
    try:
        docs = iter(loader(source, url=url, options=options))
        while True:
            # A page's budget starts before its bytes are read, decompressed, sniffed and
            # decoded (for a WARC, before its record is read): see detector.budget.
            started = time.thread_time()
            doc = next(docs, None)
            if doc is None:
                break
            start_clock(doc.page, started)
            if doc.input.startswith("<"):
                # "<json>#3" (the 4th post of a list) becomes "<name>#3".
                doc.input = name + doc.input[doc.input.find(">") + 1 :]
            yield doc
    except Exception as exc:  # noqa: BLE001 - one failed document, the batch goes on
        yield Document(name, error=as_error(exc, stage="input"))
