"""Peak memory of one input that holds many records: a WARC of N response records and a
WordPress list of one post and M other items, each scored by ``farmscan score`` in a subprocess.

Prints, per input, the records written, the wall time, the child's peak RSS (VmHWM) and how
many records were already on the output when the first half of the input had been read (the
WARC's file offset, read from /proc while the child runs: records written as they are scored
show up long before the archive ends).

    python benchmarks/stream_memory.py --records 40000 --items 5000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = "".join(f"<p>Paragraph {i} of a plain page about gardening, soil and the seasons.</p>" for i in range(8))
_RUN = """
import atexit, os, sys
from detector.cli import main
def _peak():
    with open("/proc/self/status") as fh, open(os.environ["RSS_OUT"], "w") as out:
        out.write(next((l.split()[1] for l in fh if l.startswith("VmHWM")), "0"))
atexit.register(_peak)
sys.exit(main(sys.argv[1:]))
"""


def write_warc(path: Path, n: int) -> None:
    with path.open("wb") as fh:
        for i in range(n):
            page = (f"<!DOCTYPE html><html><head><title>Page {i}</title></head><body><article>"
                    f"<h1>Page {i}</h1>{TEXT}</article></body></html>").encode()
            block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
            fh.write((f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{i}>\r\n"
                      f"WARC-Target-URI: https://s{i % 500}.example.test/p{i}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
                      f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n").encode()
                     + block + b"\r\n\r\n")


def write_list(path: Path, m: int) -> None:
    post = {"title": {"rendered": "A post"}, "content": {"rendered": TEXT}, "link": "https://example.test/a"}
    path.write_text("[" + json.dumps(post) + "," + ",".join(["0"] * m) + "]")


def run(path: Path, out: Path) -> dict:
    rss_out = out.with_suffix(".rss")
    env = {**os.environ, "RSS_OUT": str(rss_out), "OMP_NUM_THREADS": "1"}
    size = path.stat().st_size
    start = time.monotonic()
    with out.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-c", _RUN, "score", "--format", "jsonl", "-q", str(path)],
                                cwd=ROOT, stdout=fh, stderr=subprocess.DEVNULL, env=env)
        at_half = None
        while proc.poll() is None:
            time.sleep(0.2)
            if at_half is None and _offset(proc.pid, path) >= size // 2:
                at_half = sum(1 for _ in out.open("rb"))
        code = proc.wait()
    return {"input": path.name, "bytes": size, "records": sum(1 for _ in out.open("rb")), "exit": code,
            "wall_s": round(time.monotonic() - start, 1), "peak_rss_mb": round(int(rss_out.read_text() or 0) / 1024),
            "records_out_at_half_read": at_half}


def _offset(pid: int, path: Path) -> int:
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            if os.readlink(fd) == str(path):
                return int(Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text().split("pos:")[1].split()[0])
    except (OSError, IndexError, ValueError):
        pass
    return -1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=40_000, help="response records in the WARC (0: skip)")
    ap.add_argument("--items", type=int, default=5_000_000, help="non-post items after the one post (0: skip)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        if args.records:
            write_warc(d / "many.warc", args.records)
            print(json.dumps(run(d / "many.warc", d / "warc.jsonl")), flush=True)
        if args.items:
            write_list(d / "list.json", args.items)
            print(json.dumps(run(d / "list.json", d / "list.jsonl")), flush=True)


if __name__ == "__main__":
    main()
