"""A batch killed with SIGKILL and resumed ends with every input exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

N_PAGES = 2000


def _write_pages(root: Path) -> list[str]:
    paths = []
    for i in range(N_PAGES):
        sub = root / f"d{i % 7}"
        sub.mkdir(exist_ok=True)
        p = sub / f"page{i:05d}.html"
        words = " ".join(f"word{(i * j) % 97}" for j in range(60))
        p.write_text(
            f"<html><head><title>Page {i} about topic {i % 13}</title></head>"
            f"<body><article><h1>Page {i}</h1><p>{words}</p><p>#tag{i % 5} #topic</p>"
            f"</article></body></html>"
        )
        paths.append(str(p))
    return paths


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def _run(args: list[str], **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "detector", "score", *args, "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        **kw,
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (Linux /proc; empty elsewhere)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigkill_then_resume_every_input_exactly_once(tmp_path: Path):
    pages = tmp_path / "pages"
    pages.mkdir()
    expected = set(_write_pages(pages))
    out = tmp_path / "out.jsonl"

    proc = _run([str(pages), "--output", str(out)])
    deadline = time.monotonic() + 120
    while len(_lines(out)) < 100 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    # Its worker processes (--jobs defaults to every core) die with it, not left blocked forever.
    gone_by = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < gone_by:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "worker processes outlived a SIGKILLed farmscan"
    done_before = len(_lines(out))
    assert 100 <= done_before < N_PAGES

    # A kill can land mid-write: leave a torn record of the next input at the end.
    with out.open("a", encoding="utf-8") as fh:
        fh.write('{"input": "' + sorted(expected)[0][:20])

    proc = _run([str(pages), "--output", str(out), "--resume"])
    _, err = proc.communicate(timeout=600)
    assert proc.returncode in (0, 1), err.decode()[-2000:]

    records = [json.loads(line) for line in _lines(out)]  # every line is whole JSON
    inputs = [r["input"] for r in records]
    assert len(inputs) == len(set(inputs)), "some input was recorded twice"
    assert set(inputs) == expected, "some input was lost"
    assert all(r["error"] is None and r["label"] in ("farm", "original") for r in records)


def test_resume_without_output_is_a_usage_error(tmp_path: Path):
    proc = _run([str(tmp_path), "--resume"])
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and b"--resume needs --output" in err
