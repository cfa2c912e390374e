"""Stream and decoding shapes (issue 29, classes 10-13): :func:`shaped` is :func:`shapes.shaped`
plus four shapes of its own, picked by shape bytes 16-19 (left as they are by ``shapes``).

16: a WARC response whose gzip ``Content-Encoding`` inflates to up to 16 MB of zeros (a bomb
    the decoder must cut at ``max_bytes``); 17: the body under ``deflate``, ``br`` or a stack
    (``gzip, gzip``) in a WARC record, the encoding named by the size byte; 18: a WordPress list
    of one post and up to ~400,000 other items (within a 1 MB cap); 19: a WARC of up to 256 small records.
"""

from __future__ import annotations

import gzip
import json
import zlib

from shapes import MAX_SHAPED
from shapes import shaped as _base_shaped

FIRST = 16  # the first shape byte these shapes take


def _warc(records: list[tuple[list[tuple[str, str]], bytes]]) -> bytes:
    out = bytearray()
    for i, (headers, body) in enumerate(records):
        http = "HTTP/1.1 200 OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
        block = http.encode() + body
        out += (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{i}>\r\n"
            f"WARC-Target-URI: http://example.org/{i}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
        ).encode() + block + b"\r\n\r\n"
    return bytes(out)


def _encoded(body: bytes, which: int) -> tuple[str, bytes]:
    which %= 4
    if which == 0:
        return "deflate", zlib.compress(body)
    if which == 1:
        c = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate, as IIS sends
        return "deflate", c.compress(body) + c.flush()
    if which == 2:
        try:
            import brotli
        except ImportError:
            return "gzip", gzip.compress(body)
        return "br", brotli.compress(body, quality=1)
    return "gzip, gzip", gzip.compress(gzip.compress(body))


def shaped(shape: int, count_byte: int, body: bytes) -> bytes:
    """``body`` grown into a hostile shape: this module's (16-19) or ``shapes``' (the others)."""
    if not FIRST <= shape < FIRST + 4:
        return _base_shaped(shape, count_byte, body)
    kind = shape - FIRST
    html = [("Content-Type", "text/html")]
    if kind == 0:
        c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        zeros = b"\0" * 65536
        bomb = b"".join(c.compress(zeros) for _ in range(1 + count_byte)) + c.compress(body) + c.flush()
        out = _warc([([*html, ("Content-Encoding", "gzip")], bomb)])
    elif kind == 1:
        name, data = _encoded(body, count_byte)
        out = _warc([([*html, ("Content-Encoding", name)], data), (html, body)])
    elif kind == 2:
        post = {"title": {"rendered": "t"}, "content": {"rendered": body.decode("utf-8", "replace")}}
        items = ",".join(["0"] * (1 + count_byte * 1600))
        out = ("[" + json.dumps(post) + "," + items + "]").encode()
    else:
        out = _warc([(html, body[:512])] * (1 + count_byte))
    return out[:MAX_SHAPED]
