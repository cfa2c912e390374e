"""The library entry points: :func:`score` for one page, :func:`score_many` for a batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from detector.abstain import not_a_page
from detector.budget import extract_within
from detector.errors import FarmscanError, InputError
from detector.loaders import Document, load
from detector.model import Model, load_model
from detector.options import DEFAULT_OPTIONS, Options
from detector.signals import evidence_for, reasons_for, select_signals
from detector.verdict import Verdict
from features.page import Page


def _model_for(options: Options) -> Model:
    return load_model(options.model)


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
    :mod:`detector.budget`); the verdict is then ``truncated`` with a ``note``. An input that
    is not a page (:mod:`detector.abstain`) gets ``label=None`` and ``abstain`` says why.
    """
    model = model or _model_for(options)
    threshold = options.threshold if options.threshold is not None else model.threshold
    why = not_a_page(page)
    if why is not None:
        v = Verdict.not_a_page(input, page.url or None, why, model.id)
        v.threshold, v.truncated = threshold, page.truncated
        return v
    budgeted = extract_within(page, options.max_cpu_seconds)
    feats = budgeted.features
    copy_of: list[dict[str, Any]] = []
    template_sites = None
    if index is not None:
        found = index.query(page)
        feats.update(found.features)
        copy_of, template_sites = found.copy_of, found.template_sites
    e = model.explain(feats.values)
    flagged = e.probability >= threshold
    return Verdict(
        input=input,
        url=page.url or page.canonical or None,
        label="farm" if flagged else "original",
        probability=e.probability,
        model=model.id,
        signals=select_signals(e.contributions, feats.values, feats.evidence),
        threshold=threshold,
        truncated=page.truncated or bool(budgeted.skipped),
        features=dict(feats.values) if options.explain else None,
        evidence={k: list(v) for k, v in feats.evidence.items()} if options.explain else None,
        copy_of=copy_of,
        template_sites=template_sites,
        extra={"note": budgeted.note} if budgeted.note else {},
        base=e.base,
        log_odds=e.log_odds,
        contributions=dict(e.contributions),
        reasons=reasons_for(e.base, e.contributions, threshold, flagged),
    )


_evidence_for = evidence_for  # the old private name


def score(
    source: Any,
    *,
    url: str | None = None,
    options: Options | None = None,
    index: Any = None,
) -> Verdict:
    """Score one page.

    ``source`` is page content (``bytes``, or a ``str`` of HTML / WordPress JSON / text), a
    file (:class:`pathlib.Path`), a parsed WordPress post (``dict``), a ``bs4.BeautifulSoup``,
    or a :class:`features.Page`. A ``str`` is always content, never a file name; a URL is
    fetched only by :func:`score_url` or with ``Options(fetch=True)`` (a URL ``str`` without
    it raises :class:`~detector.errors.InputError` saying so).
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
    v = score_page(doc.page, input=doc.input, options=options, index=index)
    if v.abstain and isinstance(source, str) and _names_a_file(source):
        v.abstain += "; a str is page content: pass pathlib.Path(...) to score the file it names"
    return v


def _names_a_file(s: str) -> bool:
    if "\n" in s or len(s) > 4096:
        return False
    try:
        return Path(s.strip()).is_file()
    except (OSError, ValueError):
        return False


def score_url(
    url: str,
    *,
    options: Options | None = None,
    index: Any = None,
) -> Verdict:
    """Fetch ``url`` (http or https, within ``options``' timeout, size and address limits) and score it."""
    from detector.loaders import is_url

    if not isinstance(url, str) or not is_url(url):
        raise InputError(f"score_url() takes an http(s) URL, got {url!r:.80}")
    options = (options or DEFAULT_OPTIONS).with_(fetch=True)
    return score(url, options=options, index=index)


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
        name = str(source) if isinstance(source, Path) else source if isinstance(source, str) and len(source) < 300 else f"<input {i}>"
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
