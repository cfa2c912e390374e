"""The featurised-sample cache: a hit gives the same samples, a changed key re-featurises."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

from detector.learn import sample_cache
from detector.learn.labelled import DEFAULT_LABELLED, load_labelled
from detector.learn.sample_cache import cache_key, load_cache
from detector.learn.samples import SampleSpec, build_samples


def _args(cache: Path | None, labelled: Path = DEFAULT_LABELLED, seed: int = 3) -> SampleSpec:
    return SampleSpec(labelled=str(labelled), synthetic=8, seed=seed, sources=("example",),
                      cache=str(cache) if cache else None)


@pytest.fixture(scope="module")
def fresh() -> list:
    return build_samples(_args(None))


def test_cache_hit_gives_identical_samples(fresh, tmp_path: Path):
    cache = tmp_path / "samples.jsonl"
    written = build_samples(_args(cache))
    assert cache.is_file()
    head = json.loads(cache.read_text().splitlines()[0])
    assert head["cache"] == "farmscan-samples" and head["n"] == len(fresh)
    again = build_samples(_args(cache))
    assert [asdict(s) for s in written] == [asdict(s) for s in fresh]
    assert [asdict(s) for s in again] == [asdict(s) for s in fresh]
    assert any(s.origin == "synthetic" for s in again) and any(s.origin == "example" for s in again)


FEATURE = "text.stopword_fraction"
MARK = 123456.0


def _tamper(cache: Path) -> None:
    """Change one cached feature value, keeping the key: only a cache read can return it."""
    lines = cache.read_text().splitlines()
    row = json.loads(lines[1])
    assert FEATURE in row["features"]
    row["features"][FEATURE] = MARK
    lines[1] = json.dumps(row)
    cache.write_text("\n".join(lines) + "\n")


def test_cache_is_read_when_key_matches_and_refeaturised_when_not(fresh, tmp_path: Path):
    cache = tmp_path / "samples.jsonl"
    build_samples(_args(cache))
    _tamper(cache)
    assert build_samples(_args(cache))[0].features[FEATURE] == MARK  # read from the cache

    # Same code and pages, a changed labelled/ directory: another key, featurised again.
    lab = tmp_path / "labelled"
    shutil.copytree(DEFAULT_LABELLED, lab, ignore=shutil.ignore_patterns("evaluation"))
    (lab / "extra.tsv").write_text("id\tnote\n")
    redone = build_samples(_args(cache, labelled=lab))
    assert redone[0].features[FEATURE] == fresh[0].features[FEATURE] != MARK
    assert json.loads(cache.read_text().splitlines()[0])["key"] == cache_key(
        load_labelled(sources=("example",)), labelled_dir=lab, synthetic=8, seed=3, index=True)

    # Another seed: another key too (and other simulated pages).
    _tamper(cache)
    other = build_samples(_args(cache, labelled=lab, seed=4))
    assert other[0].features[FEATURE] != MARK
    assert [s.url for s in other if s.origin == "synthetic"] != [s.url for s in fresh if s.origin == "synthetic"]


def test_key_follows_feature_source_and_settings(tmp_path: Path, monkeypatch):
    examples = load_labelled(sources=("example",))
    feats = tmp_path / "features"
    shutil.copytree(sample_cache.FEATURES, feats, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(sample_cache, "FEATURES", feats)

    def key(**kw) -> str:
        base = {"labelled_dir": DEFAULT_LABELLED, "synthetic": 8, "seed": 3, "index": True}
        return cache_key(examples, **(base | kw))

    k0 = key()
    assert key() == k0
    assert key(seed=4) != k0 and key(synthetic=9) != k0 and key(index=False) != k0
    data = next(p for p in sorted((feats / "data").iterdir()) if p.is_file())
    data.write_bytes(data.read_bytes() + b"\n")
    k1 = key()
    assert k1 != k0
    (feats / "base.py").write_text((feats / "base.py").read_text() + "\n# changed\n")
    assert key() != k1


def test_stale_or_broken_cache_is_ignored(tmp_path: Path):
    p = tmp_path / "c.jsonl"
    assert load_cache(p, "k") is None  # absent
    p.write_text("not json\n")
    assert load_cache(p, "k") is None
    p.write_text(json.dumps({"cache": "farmscan-samples", "version": 1, "key": "k", "n": 2}) + "\n")
    assert load_cache(p, "k") is None  # truncated: fewer samples than the header says
