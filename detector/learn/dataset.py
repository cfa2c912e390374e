"""Training samples: labelled pages and simulated farms, featurised (plus index features).

A :class:`Sample` is one page as the model sees it: its feature dict and evidence, its label
and the group (``site``) cross-validation splits on. :func:`build_samples` featurises the
labelled real pages and ``n`` simulated pages; with ``index=True`` it also builds an in-memory
:class:`detector.index.Index` over the real pages and adds the ``index.*`` features that
``Index.query(page).features`` returns, exactly as ``score_page(..., index=...)`` does:

* a real page is added and queried under its labelled ``site``, so it never matches itself
  (nor another page of its own site: the index skips same-site matches);
* a simulated farm (and a credited wire copy) is queried under its own simulated URL, so a
  copy of a real original finds that original; but only for a fixed share of them
  (:data:`ORIGINAL_INDEXED_SHARE`, chosen per page by a hash of its id): for the others the
  original's site is left out of the look-up, as when a farm copies a site the user's index
  does not hold. Measured: when every simulated copy finds its original, the model leans on
  ``index.copy_found`` (real farm pages rarely have their original in the corpus) and its
  recall on real farms drops (``tools/compare_models.py``);
* a simulated hard negative that stands for its original (the same article with a few ads,
  social hashtags, a genuine bio, as plain text) is queried under its original's site: it
  *is* that page, differently dressed, and must not match itself.

:mod:`detector.learn.sample_cache` stores the result so that experiments do not re-featurise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from detector.errors import InputError
from detector.options import Options
from detector.sources.load import load
from features import extract_all
from features.base import Features
from features.page import Page

# Simulated negatives that are a copy of someone else's article (and say so): queried under
# their own URL like the farms. The other negative recipes stand for their original itself.
COPY_NEGATIVES = ("credited-wire",)
# Share of simulated copies whose original is in the training index (see the module docstring).
ORIGINAL_INDEXED_SHARE = 0.5


@dataclass
class Sample:
    """One labelled page, featurised."""

    id: str
    label: int  # 1 farm, 0 original
    kind: str
    site: str
    origin: str  # "real", "seed", "example" or "synthetic"
    confidence: str
    features: dict[str, float]
    evidence: dict[str, list[str]] = field(default_factory=dict)
    url: str = ""
    recipe: str = ""
    origin_id: str = ""  # simulated pages: the real original they were made from


@dataclass
class Probe:
    """What the index needs of one page (computed while the page is parsed, kept small)."""

    sketch: Any
    url: str
    site: str
    facts: Any
    n_words: int


def index_probe(page: Page, url: str, site: str, features: Features | None = None) -> Probe:
    """The page's index sketch and origin facts (farm evidence included), under the given identity (as ``Index.query``)."""
    from detector.index.core import Params, sketch_page
    from detector.index.farm_signs import farm_signs, page_features
    from detector.index.provenance import facts

    feats = features if features is not None else page_features(page)
    f = facts(page, farm_signs(feats.values, feats.evidence))
    f.site = site
    sketch, n_words = sketch_page(page, Params())
    return Probe(sketch, url, site, f, n_words)


def featurise_bytes(
    data: bytes, url: str | None, options: Options, identity: Callable[[Page], tuple[str, str]] | None = None
) -> tuple[dict[str, float], dict[str, list[str]], Probe | None]:
    """Features and evidence of the first page in ``data``; with ``identity``, its index probe."""
    docs = list(load(data, url=url or None, options=options))
    if not docs or docs[0].page is None:
        raise InputError("no page")
    page = docs[0].page
    f = extract_all(page)
    probe = index_probe(page, *identity(page), features=f) if identity is not None else None
    return f.values, f.evidence, probe


Say = Callable[[str], None]


def _quiet(_msg: str) -> None:
    pass


def real_samples(
    examples: Iterable[Any], read: Callable[[Any], bytes], *, say: Say = _quiet,
    probes: list[Probe | None] | None = None, urls: bool = True,
) -> list[Sample]:
    """Featurise labelled real pages (corpus, seeds, team examples); unreadable ones are skipped.

    With ``probes`` (a list), each kept sample's index probe is appended to it. With
    ``urls=False`` each page is read without its labelled URL, as ``farmscan score FILE`` reads
    a file (only what the page itself says of its address is used).
    """
    out: list[Sample] = []
    options = Options()
    exs = list(examples)
    for i, ex in enumerate(exs):
        site = ex.site or ex.id
        given = (ex.url or None) if urls else None
        ident = (lambda page, given=given, site=site: (given or page.url or "", site)) if probes is not None else None
        try:
            values, evidence, probe = featurise_bytes(read(ex), given, options, ident)
        except Exception as exc:  # noqa: BLE001 - report and skip a broken page
            say(f"skipped {ex.id}: {exc}")
            continue
        out.append(
            Sample(
                id=ex.id,
                label=1 if ex.label == "farm" else 0,
                kind=ex.kind,
                site=site,
                origin={"corpus": "real"}.get(ex.source, ex.source),
                confidence=ex.confidence,
                features=values,
                evidence=evidence,
                url=(ex.url or "") if urls else "",
            )
        )
        if probes is not None:
            probes.append(probe)
        if (i + 1) % 250 == 0:
            say(f"featurised {i + 1}/{len(exs)} real pages")
    return out


def original_indexed(sim_id: str, share: float = ORIGINAL_INDEXED_SHARE) -> bool:
    """Whether a simulated copy's original is visible in the training index (a hash of its sample id)."""
    return int.from_bytes(hashlib.sha256(sim_id.encode()).digest()[:4], "big") < share * 2**32


def _sim_identity(sim: Any, sample_id: str) -> Callable[[Page], tuple[str, str]]:
    def ident(page: Page) -> tuple[str, str]:
        from detector.index.core import page_identity

        url, site = page_identity(page)
        if sim.label == "original" and sim.recipe not in COPY_NEGATIVES:
            site = sim.origin_site  # stands for the original itself
        elif not original_indexed(sample_id):
            site = sim.origin_site  # a copy of a site the index does not hold
        return url, site

    return ident


def synthetic_samples(
    examples: list[Any], n: int, seed: int, *, say: Say = _quiet, probes: list[Probe | None] | None = None,
    urls: bool = True,
) -> list[Sample]:
    """Featurise ``n`` simulated pages made from the real originals in ``examples`` (with
    ``urls=False``, without their simulated URLs)."""
    if n <= 0:
        return []
    from detector.learn.simulate import generate

    options = Options()
    out: list[Sample] = []
    for i, sim in enumerate(generate(examples, n, seed)):
        sample_id = f"sim-{i:05d}-{sim.recipe}"
        try:
            ident = _sim_identity(sim, sample_id) if probes is not None else None
            values, evidence, probe = featurise_bytes(sim.data, sim.url if urls else None, options, ident)
        except Exception as exc:  # noqa: BLE001
            say(f"skipped simulated page {i}: {exc}")
            continue
        out.append(
            Sample(
                id=sample_id,
                label=1 if sim.label == "farm" else 0,
                kind=sim.recipe,
                site=sim.origin_site,
                origin="synthetic",
                confidence="synthetic",
                features=values,
                evidence=evidence,
                url=(sim.url or "") if urls else "",
                recipe=sim.recipe,
                origin_id=sim.origin_id,
            )
        )
        if probes is not None:
            probes.append(probe)
        if (i + 1) % 500 == 0:
            say(f"featurised {i + 1}/{n} simulated pages")
    return out


def add_index_features(samples: list[Sample], probes: list[Probe | None], real: int) -> None:
    """Index the first ``real`` samples' pages in memory, then query it for every sample.

    Adds the ``index.*`` values and evidence of ``Index.query_sketch`` (what
    ``score_page(..., index=...)`` adds at scoring time) to each sample in place.
    """
    from detector.index import Index

    idx = Index()
    for p in probes[:real]:
        if p is not None:
            idx.add_sketch(p.sketch, p.url, p.site, p.facts.to_json())
    for s, p in zip(samples, probes, strict=True):
        if p is None:
            continue
        found = idx.query_sketch(p.sketch, p.url, p.site, p.facts, p.n_words).features
        s.features.update(found.values)
        for k, v in found.evidence.items():
            s.evidence.setdefault(k, []).extend(v)


def build_samples(
    examples: list[Any],
    read: Callable[[Any], bytes],
    *,
    synthetic: int,
    seed: int,
    originals: list[Any],
    index: bool = True,
    say: Say = _quiet,
    urls: bool = True,
) -> list[Sample]:
    """Real samples, then ``synthetic`` simulated ones (from ``originals``), with index features
    (``urls=False``: every page read without its URL)."""
    probes: list[Probe | None] | None = [] if index else None
    real = real_samples(examples, read, say=say, probes=probes, urls=urls)
    syn = synthetic_samples(originals, synthetic, seed, say=say, probes=probes, urls=urls)
    samples = real + syn
    if probes is not None:
        say(f"index features: {len(real)} real pages indexed, {len(samples)} queried")
        add_index_features(samples, probes, len(real))
    return samples


# Share of training pages read without their URL (chosen per page by a hash of its id), so the
# model is good both for a crawler that knows each page's URL and for files scored without one.
URL_WITHHELD_SHARE = 0.5


def url_withheld(sample_id: str, share: float = URL_WITHHELD_SHARE) -> bool:
    """Whether the training page ``sample_id`` is read without its URL (a hash of the id)."""
    return int.from_bytes(hashlib.sha256(f"no-url:{sample_id}".encode()).digest()[:4], "big") < share * 2**32


def withhold_urls(with_url: list[Sample], without_url: list[Sample], share: float = URL_WITHHELD_SHARE) -> list[Sample]:
    """The training set with the URL withheld on a fixed share of pages: each page from
    ``without_url`` when :func:`url_withheld` says so (and it was featurised both ways), else
    from ``with_url``. Order and ids are those of ``with_url``."""
    bare = {s.id: s for s in without_url}
    return [bare[s.id] if s.id in bare and url_withheld(s.id, share) else s for s in with_url]
