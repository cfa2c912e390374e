"""Site verdicts from many pages: group by site, roll up, judge, export lists and reports.

>>> from detector import score_sites
>>> for sv in score_sites(["crawl.warc.gz", "pages/"]):   # doctest: +SKIP
...     print(sv.site, sv.label, sv.probability, sv.kind)

Pages stream through once: each updates its site's running aggregate
(:mod:`detector.sites.aggregate`) and is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from detector.api import safe_load, score_page
from detector.errors import FarmscanError
from detector.model.load import load_model
from detector.options import DEFAULT_OPTIONS, Options
from detector.sites.aggregate import Rollup, SiteAggregate
from detector.sites.facts import PageFacts, facts_from_record, facts_from_verdict
from detector.sites.grouping import is_domain, site_of
from detector.sites.model import SiteModel, load_site_model
from detector.sites.network import Network, networks
from detector.sites.verdict import SiteVerdict, judge, with_network
from detector.verdict import Verdict

__all__ = [
    "Network", "networks", "PageFacts", "Rollup", "SiteAggregate", "SiteModel", "SiteVerdict", "facts_from_record",
    "facts_from_verdict", "is_domain", "judge", "load_site_model", "page_facts", "roll_up", "score_sites", "site_of",
]


def page_facts(
    sources: Iterable[Any], *, options: Options | None = None, index: Any = None, url: str | None = None,
    loader: Any = None,
) -> Iterator[PageFacts]:
    """Facts of every page of ``sources``: each source is scored (once) unless it already is a
    :class:`Verdict` or a ``farmscan score`` JSON record (a ``dict`` with ``input``)."""
    options = (options or DEFAULT_OPTIONS).with_(explain=True)
    model = load_model(options.model, options.model_sha256)
    for i, source in enumerate(sources):
        if isinstance(source, Verdict):
            yield facts_from_verdict(source)
            continue
        if isinstance(source, dict) and "input" in source and ("probability" in source or "error" in source):
            yield facts_from_record(source)
            continue
        name = str(source) if isinstance(source, str | Path) and len(str(source)) < 300 else f"<input {i}>"
        for doc in safe_load(source, name=name, url=url, options=options, loader=loader):
            if doc.error is not None or doc.page is None:
                msg = doc.error.one_line() if isinstance(doc.error, FarmscanError) else "input: unreadable"
                yield facts_from_verdict(Verdict.failed(doc.input, doc.url, msg, model.id))
                continue
            try:
                v = score_page(doc.page, input=doc.input, options=options, index=index, model=model)
            except FarmscanError as exc:
                v = Verdict.failed(doc.input, doc.url, exc.one_line(), model.id)
            except Exception as exc:  # noqa: BLE001 - a batch never stops on one page
                v = Verdict.failed(doc.input, doc.url, f"internal: {exc.__class__.__name__}: {exc}"[:300], model.id)
            yield facts_from_verdict(v, doc.page if v.error is None else None)


def roll_up(facts: Iterable[PageFacts]) -> Rollup:
    rollup = Rollup()
    for f in facts:
        rollup.add(f)
    return rollup


def judge_all(rollup: Rollup, *, site_model: SiteModel | None = None, min_pages: int | None = None,
              threshold: float | None = None, keep_pages: bool = True) -> list[SiteVerdict]:
    """Verdicts of every site, most farm-like first (too-few-pages sites last)."""
    model = site_model or load_site_model()
    judged = {site: judge(agg, model, min_pages=min_pages, threshold=threshold, keep_pages=keep_pages)
              for site, agg in rollup.sites.items()}
    first = {site: sv.label for site, sv in judged.items()}  # first-pass labels: no cascade
    out = []
    nets = networks(rollup)
    for site, sv in judged.items():
        net = nets.get(site)
        out.append(with_network(sv, net.members, net.ties, first, rollup.sites[site]) if net else sv)
    return sorted(out, key=lambda v: (v.probability is None, -(v.probability or 0.0), v.site))


def score_sites(
    sources: Iterable[Any], *, options: Options | None = None, index: Any = None,
    site_model: SiteModel | str | None = None, min_pages: int | None = None,
) -> list[SiteVerdict]:
    """One :class:`SiteVerdict` per site (registrable domain; platform subdomains apart).

    ``sources`` are anything :func:`detector.score` reads (a WARC path yields each record),
    :class:`Verdict` objects, or ``farmscan score`` JSON records.
    """
    model = site_model if isinstance(site_model, SiteModel) else load_site_model(site_model)
    return judge_all(roll_up(page_facts(sources, options=options, index=index)), site_model=model,
                     min_pages=min_pages)
