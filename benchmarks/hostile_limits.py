"""Issue 16's hostile inputs through the real CLI: records, exit code, wall/CPU time and peak RSS.

Each case runs ``farmscan score`` in a subprocess (peak RSS is the child's ``VmHWM`` after exec,
so the parent's memory is not counted): parser shapes from files (100,000 attributes, 4,000
open formatting elements across blocks, 160,000 gzip members) and, from a server on
127.0.0.1, decompression bombs (256 MB of zeros as ``br``, ``gzip, gzip`` and ``deflate``,
``--max-bytes 1000000``) and headers trickled one byte every 0.5 s (``--timeout 3``).

Usage: ``python benchmarks/hostile_limits.py`` (Linux: reads /proc for VmHWM).
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # fuzz/hostile_server.py, shared with the tests
from fuzz import hostile_server  # noqa: E402

ZEROS = 256 * 1024 * 1024
_RUN_CLI = """
import atexit, os, sys
from detector.cli import main

def _peak():
    with open("/proc/self/status") as fh, open(os.environ["RSS_OUT"], "w") as out:
        out.write(next((l.split()[1] for l in fh if l.startswith("VmHWM")), "0"))

atexit.register(_peak)
sys.exit(main(sys.argv[1:]))
"""


def farmscan(*argv: str) -> str:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        proc = subprocess.run([sys.executable, "-c", _RUN_CLI, *argv], capture_output=True, timeout=600,
                              cwd=ROOT, env={**os.environ, "RSS_OUT": rss.name})
        wall = time.monotonic() - start
        peak = int(Path(rss.name).read_text() or 0) / 1024
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    recs = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]
    what = ", ".join((r["error"] or f"{r['label']} truncated={r['truncated']}")[:70] for r in recs)
    return f"exit {proc.returncode}, {len(recs)} record(s), wall {wall:.1f} s, CPU {cpu:.2f} s, peak RSS {peak:.0f} MB: {what}"


def main() -> None:
    import brotli

    tmp = Path(tempfile.mkdtemp(prefix="farmscan-hostile-"))
    files = {
        "100,000 attributes": ("attrs.html", ("<html><body><div " + " ".join(f"a{i}=v" for i in range(100_000)) + ">x</div>").encode()),
        "4,000 open formatting elements": ("fmt.html", ("<html><body>" + "".join(f"<div><b class=c{i}></div>" for i in range(4000)) + "x").encode()),
        "160,000 gzip members": ("members.html.gz", gzip.compress(b"<p>x</p>", 1) * 160_000),
    }
    for label, (name, data) in files.items():
        (tmp / name).write_bytes(data)
        print(f"{label:32s} {farmscan('score', str(tmp / name), '--format', 'jsonl', '-q')}", flush=True)

    zeros = b"<html><body><p>" + bytes(ZEROS)
    g1 = gzip.compress(zeros, 1)
    bodies = {"/br": (brotli.compress(zeros, quality=1), "br"), "/gzip,gzip": (gzip.compress(g1, 9), "gzip, gzip"),
              "/deflate": (zlib.compress(zeros, 1), "deflate")}
    del zeros, g1

    srv = hostile_server.start(bodies, trickle=0.5)
    base = srv.base
    for path, (body, _enc) in bodies.items():
        label = f"bomb {path[1:]} ({len(body):,} B)"
        print(f"{label:32s} {farmscan('score', base + path, '--allow-private', '--timeout', '3', '--max-bytes', '1000000', '--format', 'jsonl', '-q')}", flush=True)
    print(f"{'headers 1 byte / 0.5 s':32s} {farmscan('score', base + '/slow', '--allow-private', '--timeout', '3', '--format', 'jsonl', '-q')}", flush=True)
    srv.shutdown()


if __name__ == "__main__":
    main()
