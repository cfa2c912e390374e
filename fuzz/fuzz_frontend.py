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

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapes import shaped_url  # noqa: E402
from shapes_streams import shaped  # noqa: E402 - shapes.shaped plus the stream shapes

with atheris.instrument_imports(include=["detector", "features"]):
    from detector.api import score_page
    from detector.errors import FarmscanError
    from detector.model.load import load_model
    from detector.options import Options
    from detector.sources.document import FORMATS
    from detector.sources.load import load

_MODEL = load_model(None)
_FORMATS = (None, *FORMATS)
_URLS = (None, "https://example.org/2024/05/a-post/", "http://[::1]:8080/x?y=1#z", "not a url")
def test_one_input(data: bytes) -> None:
    """One fuzz case: byte 0 picks format, URL and str/bytes; byte 1 the shape; byte 2 its size."""
    if len(data) < 3:
        return
    ctl, shape, count, body = data[0], data[1], data[2], data[3:]
    body = shaped(shape, count, body)
    options = Options(input_format=_FORMATS[ctl % len(_FORMATS)], max_bytes=1 << 20)
    url = shaped_url(shape, count) or _URLS[(ctl >> 3) % len(_URLS)]
    source: bytes | str = body
    if ctl & 0x80:
        source = body.decode("utf-8", "replace")  # a str is content; one that is a URL is refused (typed)
    try:
        for doc in load(source, url=url, options=options):
            if doc.page is None:
                assert isinstance(doc.error, FarmscanError), doc.error
                continue
            verdict = score_page(doc.page, input=doc.input, options=options, model=_MODEL)
            if verdict.label is None:  # abstained: not a page, with its reason
                assert verdict.abstain and verdict.probability is None, verdict
            else:
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
