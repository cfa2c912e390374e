"""farmscan score --jobs N: the same records, in the same order, as one process."""

from __future__ import annotations

import json
from pathlib import Path

from detector.cli import main

ROOT = Path(__file__).resolve().parents[2]
INPUTS = [str(ROOT / "examples"), str(ROOT / "tests" / "fixtures" / "bio"), str(ROOT / "tests" / "fixtures" / "copy"),
          str(ROOT / "tests" / "fixtures" / "hashtags"), str(ROOT / "tests" / "fixtures" / "hostile")]


def _records(capsys, *argv: str) -> tuple[int, list[dict]]:
    code = main(["score", "-q", "--format", "jsonl", *argv])
    return code, [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]


def test_jobs_2_gives_the_records_of_jobs_1(capsys, tmp_path):
    missing = str(tmp_path / "missing.html")
    code1, one = _records(capsys, "--jobs", "1", *INPUTS, missing)
    code2, two = _records(capsys, "--jobs", "2", *INPUTS, missing)
    assert len(one) > 20
    assert two == one  # same records, same order, the failed input recorded the same way
    assert code1 == code2 == 3
    assert any(r["error"] for r in one) and any(r["label"] == "farm" for r in one)


def test_jobs_2_resumes_an_output_file(capsys, tmp_path):
    out = tmp_path / "v.jsonl"
    _, want = _records(capsys, "--jobs", "1", *INPUTS)
    first = INPUTS[:2]
    main(["score", "-q", "--jobs", "2", "--output", str(out), *first])
    main(["score", "-q", "--jobs", "2", "--output", str(out), "--resume", *INPUTS])
    got = [json.loads(ln) for ln in out.read_text().splitlines()]
    assert got == want
