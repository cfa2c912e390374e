"""The honest evaluation's arithmetic: site weighting, team pages apart, the lockbox, nesting."""

from __future__ import annotations

import json

import numpy as np
import pytest

from detector.errors import InputError
from detector.learn import honest as hz
from detector.learn.dataset import Sample, url_withheld, withhold_urls


def _s(i: int, label: int, site: str, *, origin: str = "real", confidence: str = "clear", kind: str = "",
       features: dict[str, float] | None = None, sid: str = "") -> Sample:
    return Sample(id=sid or f"p{i}", label=label, kind=kind or ("mfa-ads" if label else "news-article"), site=site,
                  origin=origin, confidence=confidence, features=features or {"x": float(i)})


def test_site_weighted_recall_counts_each_farm_site_once():
    # Site A: 8 pages, all caught; sites B and C: one page each, missed.
    samples = [_s(i, 1, "a.example") for i in range(8)] + [_s(8, 1, "b.example"), _s(9, 1, "c.example")]
    flagged = np.array([True] * 8 + [False, False])
    f = hz.figures("t", samples, flagged, {})
    assert f.page_recall == pytest.approx(0.8)
    assert f.site_recall == pytest.approx(1 / 3)
    assert f.top_site == "a.example" and f.site_recall_wo_top == 0.0
    assert f.farm_sites == 3


def test_team_pages_borderline_and_injected_are_reported_apart():
    samples = [
        _s(0, 0, "o.example"), _s(1, 0, "p.example"),
        _s(2, 1, "seed:x", origin="seed"), _s(3, 1, "example:y", origin="example"),
        _s(4, 1, "f.example", confidence="borderline"),
        _s(5, 1, "h.example", kind=hz.INJECTED_KIND),
        _s(6, 1, "sim.example", origin="synthetic"),
        _s(7, 0, "w.example", confidence="hard"),
    ]
    flagged = np.array([True, False, True, False, True, True, True, False])
    f = hz.figures("t", samples, flagged, {})
    assert (f.originals, f.flagged_originals, f.fpr) == (3, 1, pytest.approx(1 / 3))
    assert (f.hard, f.hard_flagged) == (1, 0)
    assert f.clear_farms == 0 and f.page_recall is None  # team, borderline, injected, simulated: not clear farms
    assert f.team_farms_caught == "1/2" and f.borderline_caught == 1 and f.injected_caught == 1


def test_outside_the_easy_collection():
    samples = [_s(0, 1, "park1.example", sid="w1"), _s(1, 1, "park2.example", sid="w2"), _s(2, 1, "farm.example")]
    f = hz.figures("t", samples, np.array([True, True, False]), {"w1": hz.EASY_COLLECTION, "w2": hz.EASY_COLLECTION})
    assert f.site_recall == pytest.approx(2 / 3)
    assert f.outside_sites == 1 and f.outside_site_recall == 0.0


def test_lockbox_is_drawn_from_the_new_collections_operators_and_never_team_pages():
    from types import SimpleNamespace as E

    ops = {"a1.example": "op:a", "a2.example": "op:a"}
    ex = [E(dataset=hz.LOCKBOX_COLLECTION, site=f"f{i}.example", label="farm") for i in range(5)]
    ex += [E(dataset=hz.LOCKBOX_COLLECTION, site=s, label="farm") for s in ("a1.example", "a2.example")]
    ex += [E(dataset=hz.LOCKBOX_COLLECTION, site=f"g{i}.example", label="original") for i in range(9)]
    ex += [E(dataset="other", site=f"o{i}.example", label="original") for i in range(50)]
    box = hz.draw_lockbox(ex, ops)
    assert box == hz.draw_lockbox(list(reversed(ex)), ops)  # a fixed hash, not the order
    assert not any(s.startswith("o") for s in box)  # only the new collection
    farm_ops = {ops.get(s, s) for s in box if not s.startswith("g")}
    assert len(farm_ops) == 2 and len([s for s in box if s.startswith("g")]) == 3  # a third of each, rounded up
    assert ("a1.example" in box) == ("a2.example" in box)  # an operator's sites together
    boxed = sorted(hz.LOCKBOX_SITES)
    samples = [_s(0, 0, boxed[0]), _s(1, 1, boxed[0], origin="synthetic"), _s(2, 1, boxed[1], origin="seed"),
               _s(3, 1, boxed[1], origin="synthetic")]  # simulated from a team page: stays out of the lockbox
    assert hz.lockbox_mask(samples).tolist() == [True, True, False, False]


def test_the_shipped_lockbox_is_the_draw_on_the_corpus(shared_dir):
    from detector.learn.labelled import load_corpus, load_operators

    ex = load_corpus(shared_dir / "corpus")
    assert hz.draw_lockbox(ex, load_operators(hz.Path(__file__).resolve().parents[2] / "labelled")) == hz.LOCKBOX_SITES


def test_splits_keep_an_operators_sites_together():
    from detector.learn.train import group_of, site_folds

    assert group_of("angelnum.info") == group_of("yourbizminer.info") != group_of("angelnum.example")
    sites = ["angelnum.info", "yourbizminer.info", "basement-bar.net"] + [f"s{i}.example" for i in range(40)]
    samples = [_s(i, int(i < 3 or i % 4 == 0), site) for i, site in enumerate(sites)]
    for _, test in site_folds(samples, seed=0, folds=5):
        held = {samples[i].site for i in test}
        assert len(held & set(sites[:3])) in (0, 3)


class _Model:
    id = "m-1"
    threshold = 0.5

    def predict(self, values):
        return (0.9 if values["x"] > 0 else 0.1), {}


def test_opening_the_lockbox_is_counted(tmp_path):
    boxed = sorted(hz.LOCKBOX_SITES)[:2]
    with_url = [_s(0, 1, boxed[0], features={"x": 1.0}), _s(1, 0, boxed[1], features={"x": -1.0}),
                _s(2, 0, "free.example") if not hz.in_lockbox("free.example") else _s(2, 0, "free2.example")]
    views = hz.Views(with_url, [Sample(**{**vars(s), "features": {"x": -1.0}}) for s in with_url], {})
    first = hz.open_lockbox(views, _Model(), tmp_path, "cmd")
    assert first["look"] == 1
    assert first["url"]["page_recall"] == 1.0 and first["url"]["originals"] == 1
    assert first["nourl"]["page_recall"] == 0.0
    hz.open_lockbox(views, _Model(), tmp_path, "cmd")
    rec = json.loads((tmp_path / hz.LOCKBOX_FILE).read_text())
    assert rec["looks"] == 2 and rec["by_model"] == {"m-1": 2}
    assert "looked at 2 time(s)" in hz.lockbox_lines(rec, "m-1")[0]
    assert hz.read_lockbox(tmp_path / "absent")["looks"] == 0


def test_url_withheld_on_a_fixed_share_of_training_pages():
    with_url = [_s(i, i % 2, f"s{i}.example", features={"url.x": 1.0}) for i in range(400)]
    bare = [_s(i, i % 2, f"s{i}.example", features={"text.x": 1.0}) for i in range(400)]
    mixed = withhold_urls(with_url, bare)
    withheld = ["url.x" not in s.features for s in mixed]
    assert 0.4 < np.mean(withheld) < 0.6
    assert withheld == [url_withheld(s.id) for s in with_url]
    assert [s.id for s in mixed] == [s.id for s in with_url]


def test_nested_threshold_is_picked_on_training_pages_only():
    rng = np.random.default_rng(0)
    samples = []
    for i in range(300):
        label = int(i % 5 == 0)
        samples.append(_s(i, label, f"s{i}.example", features={"x": float(rng.normal(2.0 * label, 1.0))}))
    scorer = hz.fit_scorer(samples, estimator="lr", folds=3)
    scorer2 = hz.fit_scorer(samples[:150], estimator="lr", folds=3)
    assert 0.05 <= scorer.threshold <= 0.95 and scorer.threshold != scorer2.threshold
    p = scorer.probs(samples)
    assert p.shape == (300,) and np.all((p >= 0) & (p <= 1))


def test_labelled_dir_is_found_from_the_working_directory(tmp_path, monkeypatch):
    from detector.learn import labelled

    monkeypatch.delenv("FARMSCAN_LABELLED", raising=False)
    monkeypatch.delenv("FARMSCAN_CORPUS", raising=False)
    monkeypatch.setattr(labelled, "DEFAULT_LABELLED", tmp_path / "nowhere")
    monkeypatch.setattr(labelled, "DEFAULT_CORPUS", tmp_path / "nowhere")
    root = tmp_path / "clone"
    (root / "labelled").mkdir(parents=True)
    (root / "labelled" / "corrections.tsv").write_text("id\tnew_label\tnew_kind\treason\n")
    monkeypatch.chdir(root)
    assert labelled.resolve_labelled_dir() == root / "labelled"
    with pytest.raises(InputError, match="FARMSCAN_CORPUS"):
        labelled.resolve_corpus_dir()
    corpus = tmp_path / "shared" / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "labels.tsv").write_text("id\n")
    assert labelled.resolve_corpus_dir() == corpus
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match="--labelled"):
        labelled.resolve_labelled_dir()
    monkeypatch.setenv("FARMSCAN_LABELLED", str(root / "labelled"))
    assert labelled.resolve_labelled_dir() == root / "labelled"


@pytest.mark.slow
def test_evaluate_prints_the_honest_figures(shared_dir, tmp_path, monkeypatch, capsys):
    import shutil

    from detector.cli import main
    from detector.learn.labelled import DEFAULT_LABELLED

    lab = tmp_path / "labelled"
    shutil.copytree(DEFAULT_LABELLED, lab, ignore=shutil.ignore_patterns("evaluation", hz.LOCKBOX_FILE))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    out = tmp_path / "report"
    rc = main(["evaluate", "--corpus", str(shared_dir / "corpus"), "--labelled", str(lab), "--synthetic", "0",
               "--sources", "example,seed", "--folds", "2", "--inner-folds", "2", "--no-loco", "--open-lockbox",
               "--report-dir", str(out), "-q"])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "site-weighted" in printed and "Lockbox looked at 1 time(s)" in printed
    data = json.loads((out / "honest.json").read_text())
    assert set(data["nested"]) == {"with URL", "without URL"} and data["lockbox_looks"] == 1
    assert len(data["nested"]["with URL"]["thresholds"]) == 2
    assert "## Honest figures" in (out / "report.md").read_text()
    assert json.loads((lab / hz.LOCKBOX_FILE).read_text())["looks"] == 1


def test_breakdown_rows_per_language_and_operator_recall():
    samples = [_s(0, 0, "a.example"), _s(1, 0, "b.example"), _s(2, 0, "c.example"), _s(3, 1, "angelnum.info"),
               _s(4, 1, "yourbizminer.info"), _s(5, 1, "solo.example"), _s(6, 0, "sim.example", origin="synthetic")]
    lang = {"p0": "ja", "p1": "ja", "p2": "en", "p3": "en", "p4": "en", "p5": "en", "p6": "ja"}
    flags = {"with URL": np.array([True, False, False, True, False, False, True]),
             "without URL": np.array([False, False, False, True, True, False, True])}
    rows = hz.breakdown(samples, flags, lambda s: lang[s.id], min_originals=2)
    assert rows == [["ja", "2", "1 (50.0%)", "0 (0.0%)", "0", "-", "-"]]  # en has one original; simulated apart
    # the network's two sites are one operator: half its pages flagged is caught; the lone site is not
    assert hz.operator_recall(samples, flags["with URL"]) == {"farm_operators": 2, "operators_caught": 1}
    assert hz.operator_recall(samples, flags["without URL"]) == {"farm_operators": 2, "operators_caught": 1}
