"""Inputs that are not pages get no label and a reason, counted apart; real pages are judged."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from detector import score, score_many
from detector.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def junk(tmp_path: Path) -> dict[str, Path]:
    rng = random.Random(17)
    files = {
        "random": bytes(rng.getrandbits(8) for _ in range(4000)),
        "letter": b"a\n",
        "csv": b"id,name,price,stock\n1,kettle,24.50,3\n2,toaster,31.00,0\n3,teapot,12.75,8\n4,mug,4.20,40\n",
        "tsv": b"id\tname\n1\tkettle\n2\ttoaster\n3\tteapot\n",
        "nul": b"\x00" * 300,
    }
    out = {}
    for name, data in files.items():
        p = tmp_path / f"{name}.txt"
        p.write_bytes(data)
        out[name] = p
    return out


@pytest.mark.parametrize("name,why", [("random", "binary content"), ("letter", "1 readable word"), ("csv", "tabular data"),
                                      ("tsv", "tabular data"), ("nul", "binary content")])
def test_junk_abstains_with_a_reason(junk, name, why):
    v = score(junk[name])
    assert v.label is None and v.probability is None and v.error is None
    assert v.abstain.startswith("not a page: ") and why in v.abstain
    d = v.to_dict()
    assert d["label"] is None and d["abstain"] == v.abstain
    json.dumps(d)


@pytest.mark.parametrize("path", sorted((ROOT / "examples").iterdir()), ids=lambda p: p.name)
def test_the_examples_are_judged(path):
    assert score(path).label in ("farm", "original")


def test_seeds_are_judged_and_flagged(shared_dir):
    for p in sorted((shared_dir / "seeds").glob("*.txt")):
        v = score(p)
        assert v.abstain is None and v.label == "farm", p.name


def test_a_path_str_is_refused_and_the_error_says_pass_a_path():
    from detector.errors import InputError

    with pytest.raises(InputError, match=r"pass pathlib\.Path"):
        score(str(ROOT / "examples" / "spun-page.txt"))


def test_cli_counts_abstains_apart_and_keeps_the_exit_code(junk, capsys):
    files = [str(p) for p in junk.values()]
    assert main(["score", "--format", "jsonl", "--jobs", "1", *files]) == 0  # nothing flagged, nothing failed
    cap = capsys.readouterr()
    recs = [json.loads(ln) for ln in cap.out.splitlines()]
    assert len(recs) == len(files) and all(r["label"] is None and r["abstain"] for r in recs)
    assert f"0 flagged (0.0%), {len(files)} not pages, 0 errors" in cap.err
    # with a farm among them: exit 1, as for the farm alone
    assert main(["score", "-q", "--format", "jsonl", "--jobs", "1", *files, str(ROOT / "examples" / "spun-page.txt")]) == 1


def test_score_many_yields_abstains_not_errors(junk):
    vs = list(score_many([junk["csv"], ROOT / "examples" / "original-article.html"]))
    assert [v.label for v in vs] == [None, "original"] and vs[0].abstain and vs[0].error is None
