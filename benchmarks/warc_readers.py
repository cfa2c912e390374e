"""FastWARC vs warcio: read every HTML response payload of a gzipped WARC of the corpus.

Builds ``/tmp/farmscan-corpus.warc.gz`` (once) from ``../shared/corpus/pages`` with warcio's
writer, then times, in one process on one core, iterating the file and reading each response's
HTTP headers and payload (content decoding on) with each library. Median of ``--repeat`` runs.

    python benchmarks/warc_readers.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import time
from io import BytesIO
from pathlib import Path

SHARED = Path(os.environ.get("FARMSCAN_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
WARC = Path("/tmp/farmscan-corpus.warc.gz")


def build(path: Path) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    n = 0
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for f in sorted((SHARED / "corpus" / "pages").glob("*.html.gz")):
            body = gzip.decompress(f.read_bytes())
            url = f"http://corpus.test/{f.name[:-8]}"
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "corpus.test")], is_http_request=True)
            w.write_record(w.create_warc_record(url, "request", http_headers=req))
            h = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=BytesIO(body), http_headers=h))
            n += 1
    return n


def read_fastwarc(path: Path) -> tuple[int, int]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    n = size = 0
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh, record_types=WarcRecordType.response, parse_http=False, fsspec_args=False):
            rec.parse_http(auto_decode="all")
            _ = rec.http_headers.get("Content-Type")
            size += len(rec.reader.read())
            n += 1
    return n, size


def read_warcio(path: Path) -> tuple[int, int]:
    from warcio.archiveiterator import ArchiveIterator

    n = size = 0
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response":
                continue
            _ = rec.http_headers.get_header("Content-Type")
            size += len(rec.content_stream().read())
            n += 1
    return n, size


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    if not WARC.exists():
        print(f"built {WARC} with {build(WARC)} responses")
    print(f"{WARC}: {WARC.stat().st_size / 1e6:.1f} MB gzipped")
    print(f"{'reader':<10} {'records':>8} {'MB out':>8} {'s (median)':>11} {'records/s':>10}")
    for name, fn in (("fastwarc", read_fastwarc), ("warcio", read_warcio)):
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            n, size = fn(WARC)
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        print(f"{name:<10} {n:>8} {size / 1e6:>8.1f} {med:>11.3f} {n / med:>10.0f}")


if __name__ == "__main__":
    main()
