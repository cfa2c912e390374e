"""The two founding pages stay flagged by the shipped model, for the right reasons."""

from __future__ import annotations

from pathlib import Path

from detector import score


def _positive(v) -> dict[str, tuple[str, ...]]:
    return {s.name: s.evidence for s in v.signals if s.score > 0}


def test_spun_seed_is_flagged_with_its_template_and_bio_evidence(shared_dir: Path):
    v = score(shared_dir / "seeds" / "000_8d58c35ee6b0d508.txt")
    assert v.label == "farm" and v.probability >= v.threshold
    pos = _positive(v)
    assert pos.get("template.boilerplate"), pos  # 'Top Articles' / 'Latest Posts' blocks, quoted
    assert any(k.startswith("bio.") and ev for k, ev in pos.items()), pos


def test_mirror_seed_is_flagged_with_its_ad_network_and_hashtag_evidence(shared_dir: Path):
    v = score(shared_dir / "seeds" / "003_ae8346d7868e5d9d.txt")
    assert v.label == "farm" and v.probability >= v.threshold
    pos = _positive(v)
    assert any(k.startswith("ads.") and ev for k, ev in pos.items()), pos
    assert any(k.startswith("hashtags.") and ev for k, ev in pos.items()), pos
