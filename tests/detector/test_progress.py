"""Progress on stderr: a bar with total and ETA on a terminal, plain lines otherwise, nothing with -q."""

from __future__ import annotations

import io
from pathlib import Path

from detector.cli import main
from detector.commands._progress import Progress
from detector.verdict import Verdict

ROOT = Path(__file__).resolve().parents[2]


def _v(label: str | None, error: str | None = None, abstain: str | None = None) -> Verdict:
    return Verdict(input="x", url=None, label=label, probability=None, model="m", error=error, abstain=abstain)


def test_bar_shows_total_and_counts():
    out = io.StringIO()
    p = Progress(enabled=True, stream=out, total=4, bar=True)
    for v in (_v("farm"), _v("original"), _v(None, abstain="not a page: x"), _v(None, error="input: y")):
        p.update(v)
        p.input_done()
    p.close()
    text = out.getvalue()
    assert "/4" in text and "input" in text  # n/total and the unit; tqdm adds the ETA
    assert p.line().startswith("4 pages") and "1 flagged (50.0%), 1 not a page, 1 error" in p.line()


def test_plain_lines_when_not_a_terminal():
    out = io.StringIO()
    p = Progress(enabled=True, stream=out, every=0.0, total=2)
    p.update(_v("farm"))
    assert out.getvalue().startswith("farmscan: 1 page, ") and "\r" not in out.getvalue()


def test_quiet_prints_nothing_on_stderr(capsys):
    assert main(["score", "-q", "--format", "jsonl", str(ROOT / "examples" / "original-article.html")]) == 0
    assert capsys.readouterr().err == ""
