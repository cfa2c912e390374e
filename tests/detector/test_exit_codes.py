"""The CLI's exit codes keep their meaning (see detector/cli.py and README's exit-code table)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from detector.cli import main

ROOT = Path(__file__).resolve().parents[2]
FARM = str(ROOT / "examples" / "spun-page.txt")
ORIGINAL = str(ROOT / "examples" / "original-article.html")


def test_flagged_plus_failed_is_3(tmp_path, capsys):
    missing = str(tmp_path / "missing.html")
    assert main(["score", "-q", "--format", "jsonl", FARM, missing]) == 3
    assert main(["score", "-q", "--format", "jsonl", ORIGINAL, missing]) == 2
    assert main(["score", "-q", "--format", "jsonl", FARM]) == 1
    assert main(["score", "-q", "--format", "jsonl", ORIGINAL]) == 0
    capsys.readouterr()


def test_resume_with_nothing_left_reports_the_files_flags(tmp_path, capsys):
    out = str(tmp_path / "v.jsonl")
    assert main(["score", "-q", "--output", out, FARM, ORIGINAL]) == 1
    assert main(["score", "--output", out, "--resume", FARM, ORIGINAL]) == 1  # nothing left, the flag stays
    assert "already held 2 records" in capsys.readouterr().err
    assert len(Path(out).read_text().splitlines()) == 2


@pytest.mark.parametrize("argv,extra", [
    (["score", "--dask", "local:1", "--out-dir", "OUT", FARM], "dask"),
    (["train", "--out", "OUT/m.json", "--synthetic", "5"], "train"),
])
def test_a_missing_extra_is_one_line_and_exit_2(argv, extra, tmp_path, monkeypatch, capsys):
    for mod in ("dask", "distributed", "faker"):
        monkeypatch.setitem(sys.modules, mod, None)  # import fails as if not installed
    argv = [a.replace("OUT", str(tmp_path)) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"farmscan[{extra}]" in err and "Traceback" not in err


def test_version(capsys):
    for flag in ("--version", "-V"):
        assert main([flag]) == 0
        assert capsys.readouterr().out.startswith("farmscan ")


def test_options_that_do_nothing_are_not_offered(capsys):
    assert main(["index", "build", "--out", "x", "--threshold", "0.5", FARM]) == 2  # argparse: unknown option
    assert main(["score", "--out-format", "jsonl", FARM]) == 2  # only with --dask
    assert "only apply with --dask" in capsys.readouterr().err


def test_options_validate_when_built():
    from detector import Options, UsageError

    with pytest.raises(UsageError, match="threshold"):
        Options(threshold=2.0)
    with pytest.raises(UsageError, match="timeout"):
        Options().with_(timeout=-1)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "detector", *args]


def test_closed_pipe_exits_141_without_traceback():
    proc = subprocess.Popen(_cli("score", "-q", "--jobs", "1", "--format", "jsonl", *[FARM] * 300),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert json.loads(proc.stdout.readline())["label"] == "farm"
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141, err
    assert "Traceback" not in err and "Exception ignored" not in err


def _ignores_sigint(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return False
    ign = next(line for line in status.read_text().splitlines() if line.startswith("SigIgn:"))
    return bool(int(ign.split()[1], 16) & (1 << (signal.SIGINT - 1)))


def test_ctrl_c_exits_130_without_traceback():
    # Enough inputs that the run cannot end before the signal lands, even on a loaded machine;
    # SIGINT restored to its default in the child, whatever the test runner's disposition is.
    proc = subprocess.Popen(_cli("score", "-q", "--jobs", "2", "--format", "jsonl", *[FARM] * 4000),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    proc.stdout.readline()
    assert not _ignores_sigint(proc.pid), "the farmscan process ignores SIGINT"
    os.killpg(proc.pid, signal.SIGINT)  # the terminal sends SIGINT to the whole process group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    assert "Traceback" not in err.decode()
    assert "interrupted" in err.decode()
