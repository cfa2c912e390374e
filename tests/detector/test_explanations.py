"""Signed explanations: base value + every feature's contribution = the model's log-odds."""

from __future__ import annotations

import csv
import gzip
import math
from pathlib import Path

import pytest

from detector import Options, score
from detector.model.calibration import logit
from detector.model.load import load_model

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").iterdir())


def _corpus_pages(shared: Path, n: int = 40) -> list[tuple[str, bytes]]:
    with open(shared / "corpus" / "labels.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    farms = [r for r in rows if r["label"] == "farm"]
    originals = [r for r in rows if r["label"] == "original"]
    picked = farms[:: max(1, len(farms) // (n // 2))][: n // 2] + originals[:: max(1, len(originals) // (n // 2))][: n // 2]
    out = []
    for r in picked:
        data = (shared / "corpus" / r["file"]).read_bytes()
        out.append((r["id"], gzip.decompress(data) if r["file"].endswith(".gz") else data))
    return out


def _check(v) -> None:
    assert v.error is None and v.abstain is None, (v.input, v.error, v.abstain)
    total = v.base + sum(v.contributions.values())
    assert total == pytest.approx(v.log_odds, abs=1e-6)
    assert logit(v.probability) == pytest.approx(v.log_odds, abs=1e-6) or v.probability in (0.0, 1.0)
    assert math.isclose(1 / (1 + math.exp(-total)), v.probability, abs_tol=1e-9)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_contributions_sum_to_the_log_odds_on_the_examples(path):
    _check(score(path))


def test_contributions_sum_to_the_log_odds_on_real_pages(shared_dir):
    pages = _corpus_pages(shared_dir) + [(p.name, p.read_bytes()) for p in sorted((shared_dir / "seeds").glob("*.txt"))]
    sides = set()
    for _pid, data in pages:
        v = score(data)
        if v.abstain:
            continue
        _check(v)
        sides |= {c > 0 for c in v.contributions.values()}
    assert sides == {True, False}


def test_an_original_shows_what_pushed_it_toward_original():
    v = score(ROOT / "examples" / "original-article.html")
    assert v.label == "original" and v.reasons == []
    scores = [s.score for s in v.signals]
    assert any(x < 0 for x in scores) and any(x > 0 for x in scores)  # both sides shown
    assert scores == sorted(scores, reverse=True)  # toward farm first, most negative last
    assert sum(x < 0 for x in v.contributions.values()) > 5


def test_reasons_are_the_fewest_farm_side_features_that_carry_a_flagged_page_over():
    v = score(ROOT / "examples" / "mirror-post.json")
    assert v.label == "farm" and v.reasons
    pos = sorted((c for c in v.contributions.values() if c > 0), reverse=True)
    neg = sum(c for c in v.contributions.values() if c < 0)
    k = len(v.reasons)
    assert [v.contributions[r] for r in v.reasons] == pos[:k]
    cut = logit(v.threshold)
    assert v.base + neg + sum(pos[:k]) >= cut > v.base + neg + sum(pos[: k - 1])


def test_explain_and_evaluate_use_the_same_contributions():
    # farmscan evaluate explains a page with model.predict(features)[1]; explain prints
    # the verdict's contributions: the same numbers for the same features.
    model = load_model()
    for path in EXAMPLES:
        v = score(path, options=Options(explain=True))
        assert model.predict(v.features)[1] == pytest.approx(v.contributions, abs=1e-12)


def test_explain_prints_every_contribution_including_negatives(capsys):
    from detector.cli import main

    path = ROOT / "examples" / "original-article.html"
    assert main(["explain", str(path)]) == 0
    out = capsys.readouterr().out
    v = score(path, options=Options(explain=True))
    rows = {ln.split()[0]: float(ln.split()[2]) for ln in out.splitlines()
            if ln.startswith("   ") and "." in ln.split()[0] and len(ln.split()) >= 3}
    assert set(v.contributions) <= set(rows)
    assert any(c < 0 for c in rows.values())
    for name, c in v.contributions.items():
        assert rows[name] == pytest.approx(c, abs=5e-4)
    assert f"log-odds {v.log_odds:+.3f} = base {v.base:+.3f}" in out
