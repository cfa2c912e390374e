"""The sample sets training and evaluation fit on, built (or read from a cache) from a spec.

:class:`SampleSpec` says which labelled pages and how many simulated ones; :func:`build_samples`
featurises them (reusing a :mod:`~detector.learn.sample_cache` file when its key matches);
:func:`training_samples` is what the shipped model is fitted on (a fixed share read without
their URL, the lockbox sites left out). Progress goes to a ``say`` callback, never to ``print``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from detector.learn import dataset
from detector.learn.dataset import URL_WITHHELD_SHARE, Sample, withhold_urls
from detector.learn.honest import lockbox_mask
from detector.learn.labelled import load_labelled, read_page_bytes, resolve_labelled_dir
from detector.learn.sample_cache import cache_key, load_cache, save_cache

Say = Callable[[str], None]


def _quiet(_msg: str) -> None:
    pass


@dataclass(frozen=True)
class SampleSpec:
    """Which pages a sample set holds: the corpus and ``labelled/`` directories (``None``: the
    defaults of :func:`~detector.learn.labelled.load_labelled`), the labelled sources, how many
    simulated pages from which seed, whether ``index.*`` features are added, and a cache file."""

    corpus: str | None = None
    labelled: str | None = None
    sources: tuple[str, ...] = ("corpus", "seed", "example")
    synthetic: int = 3000
    seed: int = 0
    index: bool = True
    cache: str | None = None


def build_samples(spec: SampleSpec, *, urls: bool = True, say: Say = _quiet) -> list[Sample]:
    """Featurised labelled + simulated samples (from ``spec.cache`` when its key matches).

    ``urls=False``: every page read without its URL (cached in ``<cache>.nourl``)."""
    examples = load_labelled(spec.corpus, spec.labelled, sources=spec.sources)
    cache = f"{spec.cache}.nourl" if spec.cache and not urls else spec.cache
    key = ""
    if cache:
        key = cache_key(examples, labelled_dir=resolve_labelled_dir(spec.labelled),
                        synthetic=spec.synthetic, seed=spec.seed, index=spec.index, urls=urls)
        samples = load_cache(cache, key)
        if samples is not None:
            say(f"{len(samples)} samples from cache {cache}")
            return samples
    # Simulated farms are made from real originals (corpus ones when the corpus is used).
    originals = [e for e in examples if e.label == "original" and (e.source == "corpus" or "corpus" not in spec.sources)]
    samples = dataset.build_samples(examples, read_page_bytes, synthetic=spec.synthetic, seed=spec.seed,
                                    originals=originals, index=spec.index, say=say, urls=urls)
    if cache:
        save_cache(cache, key, samples)
        say(f"wrote {len(samples)} samples to cache {cache}")
    return samples


def training_samples(
    spec: SampleSpec, *, url_withheld: float | None = None, with_lockbox: bool = False, say: Say = _quiet
) -> tuple[list[Sample], float]:
    """The samples the shipped model is fitted on, and the share read without their URL: that
    share (:func:`detector.learn.dataset.withhold_urls`, default ``URL_WITHHELD_SHARE``), the
    lockbox sites left out unless ``with_lockbox``."""
    share = URL_WITHHELD_SHARE if url_withheld is None else url_withheld
    samples = build_samples(spec, say=say)
    if share > 0:
        samples = withhold_urls(samples, build_samples(spec, urls=False, say=say), share)
    if not with_lockbox:
        box = lockbox_mask(samples)
        samples = [s for s, b in zip(samples, box, strict=True) if not b]
    return samples, share
