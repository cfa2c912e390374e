"""The scripts under benchmarks/ still run against the code (tiny sizes; no timing asserted).

They measure speed and memory against peers and are run by hand, so nothing else notices when
a change in the package breaks one (two had: a renamed method, a changed signature). Each runs
here in a subprocess at a size that takes seconds, and must print its summary line.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# script, arguments, a line fragment its output must hold, needs ../shared, needs modules
CASES = [
    ("jobs_scaling.py", ["--limit", "8"], "records_equal=True", True, ()),
    ("index_bench.py", ["--pages", "600", "--engines", "farmscan,farmscan-disk"], "farmscan-disk ", False, ()),
    ("scrapy_crawl.py", ["--pages", "8", "--latency", "0", "--processes", "1"], "ratio_with_to_without=", True, ("scrapy",)),
    ("sites_rollup.py", ["--pages", "60", "--sites", "6", "--score-pages", "6"], "ratio roll-up / page scorer", True, ()),
    ("memory.py", ["--pages", "20", "--limit", "20", "--every", "10"], "end: RSS", True, ()),
    ("dask_scaling.py", ["--limit", "8", "--workers", "1"], "speed-up", True, ("distributed",)),
    ("throughput.py", ["--limit", "8"], "ratio_vs_trafilatura=", True, ("trafilatura",)),
]


@pytest.mark.parametrize(("script", "args", "expect", "shared", "modules"), CASES, ids=[c[0] for c in CASES])
def test_benchmark_runs(script, args, expect, shared, modules, shared_path):
    for name in modules:
        if importlib.util.find_spec(name) is None:
            pytest.skip(f"{script} needs {name} (pip install '.[bench]')")
    if shared and not (shared_path / "corpus" / "labels.tsv").is_file():
        pytest.skip(f"{script} reads the corpus: shared data not found at {shared_path}")
    env = {**os.environ, "FARMSCAN_SHARED": str(shared_path)}
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert expect in proc.stdout, proc.stdout[-3000:]
