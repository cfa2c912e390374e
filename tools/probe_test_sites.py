"""Start the loopback test sites of the probe tests and run ``farmscan probe`` on them.

The sites (``tests/helpers/probe_sites.py``) are served by one HTTP server on 127.0.0.1 that
routes on the ``Host`` header; the probe reaches them with ``--resolve NAME:127.0.0.1`` and
``--allow-private``. Nothing leaves the machine. The output quoted in docs/probe.md is what
this prints:

    python tools/probe_test_sites.py                      # the table
    python tools/probe_test_sites.py --export ublacklist  # a re-checked list
    python tools/probe_test_sites.py --format jsonl --only wpfarm.test

Any other argument is passed to ``farmscan probe``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers.probe_sites import dead_port, probe_sites, resolve_map  # noqa: E402

SITES = ("wpfarm.test", "doorway.test", "autoblog.test", "genuine.test", "parked.test", "moved.test", "dead.test")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", choices=SITES, help="probe only these sites (repeatable)")
    args, rest = ap.parse_known_args()
    if not any(a in rest for a in ("--format", "--export")):
        rest = ["--format", "table", *rest]
    with probe_sites() as (port, counts):
        urls = [f"http://{h}:{dead_port() if h == 'dead.test' else port}/" for h in (args.only or SITES)]
        resolve = [a for h in resolve_map() for a in ("--resolve", f"{h}:127.0.0.1")]
        cmd = ["farmscan", "probe", *urls, "--allow-private", "--delay", "0", "--resolve", "HOST:127.0.0.1 ...", *rest]
        print("$ " + " ".join(cmd), flush=True)
        proc = subprocess.run([sys.executable, "-m", "detector", "probe", *urls, "--allow-private", "--delay", "0",
                               *resolve, *rest], cwd=ROOT, text=True, capture_output=True)
        sys.stdout.write(proc.stdout)
        sys.stdout.write(proc.stderr)
        print(f"exit code {proc.returncode}; requests the test server received: "
              + ", ".join(f"{h} {n}" for h, n in sorted(counts.requests.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
