"""The evaluation report's arithmetic: what catching every clear farm would cost."""

from __future__ import annotations

import dataclasses

import numpy as np

from detector.learn import evaluate as ev
from detector.learn.dataset import Sample


def _sample(i: int, label: int, confidence: str = "clear", origin: str = "real") -> Sample:
    return Sample(id=f"p{i}", label=label, kind="news-article" if label == 0 else "mfa-ads", site=f"s{i}.example",
                  origin=origin, confidence=confidence, features={"text.words": 100.0})


def _set(orig_probs: list[float], farm_probs: list[tuple[float, str]], synthetic: list[tuple[int, float]] = ()):
    samples = [_sample(i, 0) for i in range(len(orig_probs))]
    probs = list(orig_probs)
    for j, (p, conf) in enumerate(farm_probs):
        samples.append(_sample(100 + j, 1, conf))
        probs.append(p)
    for k, (label, p) in enumerate(synthetic):
        samples.append(_sample(200 + k, label, origin="synthetic"))
        probs.append(p)
    return samples, np.array(probs)


def test_reach_is_the_false_positive_rate_of_catching_the_lowest_clear_farm():
    orig = [i / 100 for i in range(100)]  # 0.00 .. 0.99
    samples, probs = _set(orig, [(0.995, "clear"), (0.955, "clear"), (0.205, "clear"), (0.01, "borderline")],
                          synthetic=[(0, 0.999), (1, 0.0)])  # simulated pages never count
    r = ev.reach(samples, probs, fpr=0.01)
    assert r["clear"] == 3 and r["lowest"] == 0.205
    assert r["originals_at_lowest"] == 0.79  # originals 0.21 .. 0.99 score at or above it
    assert r["clear_within"] == 1  # only 0.995 clears the cut that flags 1% of originals (0.99)
    assert "p=0.205" in ev.reach_sentence(r) and "79.0%" in ev.reach_sentence(r)
    assert ev.reach(*_set(orig, [(0.5, "borderline")])) == {}  # no clear farm: nothing to report


def test_missed_farms_carry_the_share_of_originals_above_them():
    samples, probs = _set([0.1, 0.2, 0.3, 0.9], [(0.25, "clear"), (0.95, "clear")])
    contrib = [{"text.words": -0.5} for _ in samples]
    wrong = ev.misclassified(samples, probs, 0.5, contrib)
    by_id = {w["id"]: w for w in wrong}
    assert set(by_id) == {"p3", "p100"}  # the original at 0.9 and the farm at 0.25
    assert by_id["p100"]["originals_above"] == 0.5  # 0.3 and 0.9 of four originals
    assert by_id["p3"]["originals_above"] is None
    text = ev.report_markdown([], wrong, 0.5, "m", "cmd", "", "curves.png", ev.reach(samples, probs))
    assert "| 50.0% |" in text and "Flagging every one of the 2 clear real farm pages" in text


def test_only_the_teams_examples_keep_their_evidence_in_the_report():
    # Evidence quotes the page; corpus pages and seeds are not the project's text.
    samples, probs = _set([0.9], [(0.2, "clear")])
    example = dataclasses.replace(samples[-1], id="example__x", origin="example")
    samples = [*samples, example]
    probs = np.append(probs, 0.2)
    for s in samples:
        s.evidence = {"text.words": ["a sentence quoted from the page"]}
    wrong = {w["id"]: w for w in ev.misclassified(samples, probs, 0.5, [{"text.words": -0.5}] * len(samples))}
    assert wrong["example__x"]["top_signals"] == ["text.words -0.50 [a sentence quoted from the page]"]
    assert all(w["top_signals"] == ["text.words -0.50"] for i, w in wrong.items() if i != "example__x")
    assert len(wrong) == 3
