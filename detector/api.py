"""The library entry points: :func:`score` for one page, :func:`score_many` for a batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from detector.budget import extract_within
from detector.errors import FarmscanError, InputError
from detector.loaders import Document, load
from detector.model import Model, load_model
from detector.options import DEFAULT_OPTIONS, Options
from detector.verdict import Signal, Verdict
from features.page import Page

MAX_SIGNALS = 40  # every positive contributor in practice; bounded for pathological models


def _model_for(options: Options) -> Model:
    return load_model(options.model, options.model_sha256)


def score_page(
    page: Page,
    *,
    input: str = "<page>",
    options: Options = DEFAULT_OPTIONS,
    index: Any = None,
    model: Model | None = None,
) -> Verdict:
    """Score an already-built :class:`Page`: features, (index look-up), model, verdict.

    Extractors stop once ``options.max_cpu_seconds`` of CPU are spent (see
    :mod:`detector.budget`); the verdict is then ``truncated`` with a ``note``.
    """
    model = model or _model_for(options)
    page = page.for_this_thread()  # a page parsed in another thread is parsed again here
    budgeted = extract_within(page, options.max_cpu_seconds)
    feats = budgeted.features
    copy_of: list[dict[str, Any]] = []
    template_sites = None
    if index is not None:
        found = index.query(page)
        feats.update(found.features)
        copy_of, template_sites = found.copy_of, found.template_sites
    prob, contrib = model.predict(feats.values)
    threshold = options.threshold if options.threshold is not None else model.threshold
    signals = [
        Signal(name, c, tuple(_evidence_for(name, feats.evidence) or [f"{name} = {feats.values.get(name, 0.0):.3g}"]))
        for name, c in sorted(contrib.items(), key=lambda kv: (-kv[1], kv[0]))
        if c > 0
    ][:MAX_SIGNALS]
    return Verdict(
        input=input,
        url=page.url or page.canonical or None,
        label="farm" if prob >= threshold else "original",
        probability=prob,
        model=model.id,
        signals=signals,
        threshold=threshold,
        truncated=page.truncated or bool(budgeted.skipped),
        features=dict(feats.values) if options.explain else None,
        evidence={k: list(v) for k, v in feats.evidence.items()} if options.explain else None,
        copy_of=copy_of,
        template_sites=template_sites,
        extra={"note": budgeted.note} if budgeted.note else {},
    )


def _evidence_for(name: str, evidence: dict[str, list[str]]) -> list[str]:
    """The evidence of feature ``name``, else of its unsaturated base (``x_sat`` -> ``x``)."""
    base = name.rsplit("_sat", 1)[0] if name.endswith("_sat") else name
    for key in (name, base, name.split(".", 1)[0]):
        if evidence.get(key):
            return evidence[key][:8]
    return []


def score(
    source: Any,
    *,
    url: str | None = None,
    options: Options | None = None,
    index: Any = None,
) -> Verdict:
    """Score one page.

    ``source`` is page content (``bytes``, or a ``str`` of HTML / WordPress JSON / text),
    a URL (``str`` starting with ``http://`` or ``https://``), a :class:`pathlib.Path`,
    a parsed WordPress post (``dict``), a ``bs4.BeautifulSoup``, or a :class:`features.Page`.
    Raises :class:`~detector.errors.FarmscanError` subclasses (``InputError``,
    ``FetchError``, ``ModelError``) for inputs that cannot be scored.
    """
    options = options or DEFAULT_OPTIONS
    docs = list(load(source, url=url, options=options))
    if len(docs) != 1:
        raise InputError(f"source holds {len(docs)} pages; use score_many() for several")
    doc = docs[0]
    if doc.error is not None:
        raise doc.error
    assert doc.page is not None
    return score_page(doc.page, input=doc.input, options=options, index=index)


def score_documents(
    docs: Iterable[Document], *, options: Options = DEFAULT_OPTIONS, index: Any = None
) -> Iterator[Verdict]:
    """Verdicts for loaded documents; an error becomes a failed verdict, never an exception."""
    model = _model_for(options)
    for doc in docs:
        if doc.error is not None or doc.page is None:
            msg = doc.error.one_line() if isinstance(doc.error, FarmscanError) else "input: unreadable"
            yield Verdict.failed(doc.input, doc.url, msg, model.id)
            continue
        try:
            yield score_page(doc.page, input=doc.input, options=options, index=index, model=model)
        except FarmscanError as exc:
            yield Verdict.failed(doc.input, doc.url, exc.one_line(), model.id)
        except Exception as exc:  # noqa: BLE001 - a batch never stops on one page
            yield Verdict.failed(doc.input, doc.url, f"internal: {exc.__class__.__name__}: {exc}"[:300], model.id)
        except BaseException as exc:
            # A Rust panic in a native parser (pyo3's PanicException) is a BaseException; it
            # must not end a batch. KeyboardInterrupt and SystemExit still do.
            if type(exc).__name__ != "PanicException":
                raise
            yield Verdict.failed(doc.input, doc.url, f"internal: native parser panic: {exc}"[:300], model.id)


def score_many(
    sources: Iterable[Any],
    *,
    options: Options | None = None,
    index: Any = None,
    url: str | None = None,
) -> Iterator[Verdict]:
    """One verdict per page, in input order; failed inputs yield a verdict with ``error`` set.

    A source holding several pages (a WordPress list, a WARC file) yields one verdict each.
    """
    options = options or DEFAULT_OPTIONS
    for i, source in enumerate(sources):
        name = source if isinstance(source, str) and len(source) < 300 else f"<input {i}>"
        yield from score_documents(safe_load(source, name=str(name), url=url, options=options), options=options, index=index)


def safe_load(source: Any, *, name: str, url: str | None, options: Options, loader: Any = None) -> Iterator[Document]:
    """Documents of one source; a load error becomes one failed document."""
    loader = loader or load
    try:
        for doc in loader(source, url=url, options=options):
            if doc.input.startswith("<"):
                # "<json>#3" (the 4th post of a list) becomes "<name>#3".
                doc.input = name + doc.input[doc.input.find(">") + 1 :]
            yield doc
    except FarmscanError as exc:
        yield Document(name, error=exc)
    except Exception as exc:  # noqa: BLE001
        yield Document(name, error=InputError(f"{exc.__class__.__name__}: {exc}"[:300]))
