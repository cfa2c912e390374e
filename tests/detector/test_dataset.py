"""Training samples carry the index features score_page adds at scoring time."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.api import score_page
from detector.index import Index
from detector.learn.dataset import ORIGINAL_INDEXED_SHARE, build_samples, original_indexed
from detector.learn.labelled import load_labelled, load_page, read_page_bytes
from detector.model.load import load_model
from detector.options import Options

SYNTHETIC = 60  # enough for every recipe to appear a few times (13 recipes)


@pytest.fixture(scope="module")
def examples() -> list:
    return load_labelled(sources=("example",))


@pytest.fixture(scope="module")
def samples(examples) -> list:
    originals = [e for e in examples if e.label == "original"]
    return build_samples(examples, read_page_bytes, synthetic=SYNTHETIC, seed=11, originals=originals, index=True)


def test_real_pages_get_the_features_an_index_gives_at_scoring_time(examples, samples):
    with_url = [e for e in examples if e.url]
    idx = Index()
    pages = {e.id: load_page(e) for e in with_url}
    for e in with_url:
        idx.add(pages[e.id])
    by_id = {s.id: s for s in samples}
    model = load_model(None)
    for e in with_url:
        v = score_page(pages[e.id], index=idx, options=Options(explain=True), model=model)
        want = {k: x for k, x in v.features.items() if k.startswith("index.")}
        got = {k: x for k, x in by_id[e.id].features.items() if k.startswith("index.")}
        assert want and got == want, e.id


def test_real_pages_never_match_themselves(samples):
    for s in samples:
        if s.origin != "synthetic":
            assert s.features["index.copy_found"] in (0.0, 1.0)
            assert not any(ev.startswith(f"{s.site} (") for ev in s.evidence.get("index.copy_found", []))


def test_simulated_copies_find_their_original_when_it_is_indexed(samples):
    real_site = {s.id: s.site for s in samples if s.origin != "synthetic"}
    copies = [s for s in samples if s.origin == "synthetic" and s.label == 1]
    indexed, hidden = 0, 0
    for s in copies:
        names_origin = any(ev.startswith(real_site[s.origin_id] + " (") for ev in s.evidence.get("index.copy_found", []))
        if original_indexed(s.id):
            indexed += 1
            if s.recipe == "wp-mirror":  # a full copy between ad grids: always found
                assert names_origin and s.features["index.copy_similarity"] > 0.8, s.id
        else:
            hidden += 1
            assert not names_origin  # the original's site is left out of this copy's look-up
    assert hidden >= 3 and indexed >= 3
    assert any(s.recipe == "wp-mirror" and original_indexed(s.id) for s in copies)


def test_share_of_copies_with_their_original_indexed():
    ids = [f"sim-{i:05d}-wp-mirror" for i in range(4000)]
    share = sum(original_indexed(i) for i in ids) / len(ids)
    assert abs(share - ORIGINAL_INDEXED_SHARE) < 0.03
    assert all(original_indexed(i) == original_indexed(i) for i in ids[:50])


def test_without_index_features_scoring_still_works(tmp_path: Path, samples):
    from detector.cli import main

    out = tmp_path / "m.json"
    assert main(["train", "--sources", "example", "--synthetic", str(SYNTHETIC), "--seed", "11", "-q",
                 "--estimator", "hgb", "--out", str(out)]) == 0
    model = load_model(out)
    assert any(n.startswith("index.") for n in model.feature_names)
    page = load_page(next(e for e in load_labelled(sources=("example",)) if e.kind == "scraped-mirror"))
    v = score_page(page, model=model)  # no index: index.* features absent, read as 0
    assert v.label in ("farm", "original") and 0.0 <= v.probability <= 1.0
    s = next(x for x in samples if x.kind == "scraped-mirror")
    zeroed = {k: (0.0 if k.startswith("index.") else x) for k, x in s.features.items()}
    dropped = {k: x for k, x in s.features.items() if not k.startswith("index.")}
    assert model.predict(zeroed)[0] == model.predict(dropped)[0]
