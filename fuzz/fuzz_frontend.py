#!/usr/bin/env python3
"""Atheris fuzz harness for the parser front end: bytes -> sniff -> decode -> Page -> features -> model.

Run by hand (see ``fuzz/README.md``)::

    python fuzz/fuzz_frontend.py fuzz/corpus fuzz/seeds -dict=fuzz/html.dict \\
        -runs=1000000 -max_len=65536 -timeout=20

Every input must give pages and verdict-ready features or a typed
:class:`~detector.errors.FarmscanError`; any other exception, a hang past ``-timeout``
seconds, or memory past ``-rss_limit_mb`` is a crash (libFuzzer writes ``crash-*`` /
``timeout-*`` files with the input).

Structure-aware: the second byte of an input picks a *shape* that grows the rest of the
input into the large hostile forms a crawler meets (see :func:`shaped`): a snippet repeated
thousands of times (misnested formatting, deep nesting), one tag with thousands of
attributes, many gzip members, a WARC record whose ``Content-Length`` is wrong, deeply
nested JSON and huge numbers. Small mutated inputs so become pages of up to ~2 MB, and
``-max_len`` can stay small enough for libFuzzer to mutate quickly. ``fuzz/html.dict``
gives libFuzzer the tokens of these formats to splice in.
"""

from __future__ import annotations

import gzip
import sys

import atheris

with atheris.instrument_imports(include=["detector", "features"]):
    from detector.api import score_page
    from detector.errors import FarmscanError
    from detector.loaders import FORMATS, load
    from detector.model import load_model
    from detector.options import Options

_MODEL = load_model(None)
_FORMATS = (None, *FORMATS)
_URLS = (None, "https://example.org/2024/05/a-post/", "http://[::1]:8080/x?y=1#z", "not a url")
_FORMATTING = (b"b", b"i", b"u", b"em", b"strong", b"font", b"a", b"nobr", b"s", b"small", b"code", b"tt")
MAX_SHAPED = 2 << 20  # bytes a shape may grow an input to


def shaped(shape: int, count_byte: int, body: bytes) -> bytes:
    """``body`` grown into one of the hostile shapes; ``shape`` 0 or 16-255 leave it as is.

    Shapes are one input in ~16 so that most runs stay fast (a shaped page costs ~10-300 ms).
    """
    n = 1 + count_byte * 32  # 1 .. 8,161 repetitions
    if shape >= 16:
        return body
    shape %= 8
    snippet = body[:64] or b"<b><div>"
    if shape == 1:  # a snippet repeated: misnesting, deep nesting, many tags
        out = snippet * n
    elif shape == 2:  # one start tag with many attributes (names and values from the body)
        attr = snippet.replace(b">", b"").strip() or b"a=v"
        out = b"<html><body><div " + b" ".join(attr + b"%d" % i for i in range(n)) + b">x</div>" + body[64:]
    elif shape == 3:  # formatting elements left open across blocks, each with its own attributes
        tags = [_FORMATTING[(b or 0) % len(_FORMATTING)] for b in snippet]
        out = b"<html><body>" + b"".join(
            b"<div><%s class=c%d>%s</div>" % (tags[i % len(tags)], i, snippet[i % len(snippet) : i % len(snippet) + 2])
            for i in range(n)
        )
    elif shape == 4:  # many gzip members
        member = gzip.compress(snippet, 1)
        out = member * min(n, MAX_SHAPED // max(len(member), 1))
    elif shape == 5:  # a WARC response record whose Content-Length is off by the body's first byte
        payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
        delta = (body[0] - 128) if body else 0
        rec = (
            b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
            b"WARC-Target-URI: http://example.org/\r\nContent-Length: %d\r\n\r\n" % max(0, len(payload) + delta)
        )
        out = (rec + payload + b"\r\n\r\n") * (1 + count_byte % 4)
    elif shape == 6:  # deeply nested JSON around the body
        out = b'{"content": {"rendered": ' + b"[" * n + body + b"]" * (n // 2)
    elif shape == 7:  # a huge number where JSON expects one
        out = b'{"content": {"rendered": "x"}, "id": ' + b"9" * n + body + b"}"
    else:
        out = body
    return out[:MAX_SHAPED]


def test_one_input(data: bytes) -> None:
    """One fuzz case: byte 0 picks format, URL and str/bytes; byte 1 the shape; byte 2 its size."""
    if len(data) < 3:
        return
    ctl, shape, count, body = data[0], data[1], data[2], data[3:]
    body = shaped(shape, count, body)
    options = Options(input_format=_FORMATS[ctl % len(_FORMATS)], max_bytes=1 << 20)
    url = _URLS[(ctl >> 3) % len(_URLS)]
    source: bytes | str = body
    if ctl & 0x80:
        source = body.decode("utf-8", "replace")
        if source.startswith(("http://", "https://")):
            return  # a URL: the fetcher is tested against local servers, not fuzzed
    try:
        for doc in load(source, url=url, options=options):
            if doc.page is None:
                assert isinstance(doc.error, FarmscanError), doc.error
                continue
            verdict = score_page(doc.page, input=doc.input, options=options, model=_MODEL)
            assert verdict.label in ("farm", "original"), verdict
            assert 0.0 <= verdict.probability <= 1.0, verdict.probability
            verdict.to_dict()
    except FarmscanError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
