"""A user's own ``features.py`` on sys.path: ``from detector import score`` says what is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(cwd: Path, code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(cwd), str(REPO)])}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_a_user_features_py_is_named_in_the_error(tmp_path):
    mine = tmp_path / "features.py"
    mine.write_text("WEIGHTS = {'mine': 1}\n")
    proc = _run(tmp_path, "from detector import score")
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: ") and str(mine) in last and "shadowed" in last


def test_a_user_features_package_is_named_too(tmp_path):
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "__init__.py").write_text("")
    proc = _run(tmp_path, "import detector")
    assert proc.returncode == 1 and "shadowed by" in proc.stderr and str(tmp_path / "features") in proc.stderr


def test_without_shadowing_it_imports_and_scores(tmp_path):
    (tmp_path / "my_features.py").write_text("X = 1\n")
    proc = _run(tmp_path, "import my_features; from detector import score; print(score('<p>' + 'word ' * 50 + '</p>').label)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() in ("farm", "original")
