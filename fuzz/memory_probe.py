#!/usr/bin/env python3
"""Does farmscan's memory grow over many inputs? The fuzz harness's per-input work without atheris.

Runs the same path as ``fuzz_frontend.test_one_input`` (shapes included) on inputs made by
randomly mutating the seeds (a fixed seed, no coverage feedback, no libFuzzer), and prints the
process's RSS every ``--every`` inputs. Flat RSS here while a libFuzzer run grows means the
growth is the fuzzer's (its corpus, coverage and comparison tables), not farmscan's.

Usage: ``python fuzz/memory_probe.py [--runs 50000] [--every 5000] [--seed 1]``
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapes import shaped_url  # noqa: E402
from shapes_streams import shaped  # noqa: E402 - shapes.shaped plus the stream shapes

from detector.api import score_page  # noqa: E402
from detector.errors import FarmscanError  # noqa: E402
from detector.model.load import load_model  # noqa: E402
from detector.options import Options  # noqa: E402
from detector.sources.document import FORMATS  # noqa: E402
from detector.sources.load import load

_FORMATS = (None, *FORMATS)
_URLS = (None, "https://example.org/2024/05/a-post/", "http://[::1]:8080/x?y=1#z", "not a url")
_TOKENS = [b"<div", b"</div>", b"<b>", b"<a href=\"", b"=\"", b"\">", b"<table>", b"<td>", b"<!--", b"<script>",
           b"\x1f\x8b\x08\x00", b"WARC/1.0\r\n", b"Content-Length: ", b"\r\n\r\n", b"{\"content\": {\"rendered\": \""]


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024


def mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(4)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            del b[pos : pos + rng.randint(1, 16)]
        elif op == 1:
            b[pos:pos] = rng.choice(_TOKENS)
        elif op == 2 and b:
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        else:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(b[:65536])


def one(data: bytes, model) -> None:
    if len(data) < 3:
        return
    ctl, shape, count, body = data[0], data[1], data[2], data[3:]
    body = shaped(shape, count, body)
    options = Options(input_format=_FORMATS[ctl % len(_FORMATS)], max_bytes=1 << 20)
    source: bytes | str = body.decode("utf-8", "replace") if ctl & 0x80 else body
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        return
    try:
        for doc in load(source, url=shaped_url(shape, count) or _URLS[(ctl >> 3) % len(_URLS)], options=options):
            if doc.page is not None:
                score_page(doc.page, input=doc.input, options=options, model=model).to_dict()
    except FarmscanError:
        pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50_000)
    ap.add_argument("--every", type=int, default=5_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    seeds = [p.read_bytes() for p in sorted((Path(__file__).resolve().parent / "seeds").iterdir())]
    pool = list(seeds)
    model = load_model(None)
    print(f"start: RSS {rss_mb():.0f} MB", flush=True)
    for i in range(1, args.runs + 1):
        data = mutate(rng, rng.choice(pool))
        one(data, model)
        if rng.random() < 0.01 and len(pool) < 2000:
            pool.append(data)  # a bounded pool, like a fuzzer's corpus but capped
        if i % args.every == 0:
            print(f"{i:>8} inputs: RSS {rss_mb():.0f} MB", flush=True)


if __name__ == "__main__":
    main()
