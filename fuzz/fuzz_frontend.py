#!/usr/bin/env python3
"""Atheris fuzz harness for the parser front end: bytes -> sniff -> decode -> Page -> features -> model.

Run by hand (see ``fuzz/README.md``)::

    python fuzz/fuzz_frontend.py fuzz/corpus fuzz/seeds -runs=1000000 -max_len=8192 -timeout=20

Every input must give pages and verdict-ready features or a typed
:class:`~detector.errors.FarmscanError`; any other exception, a hang past ``-timeout``
seconds, or memory past ``-rss_limit_mb`` is a crash (libFuzzer writes ``crash-*`` /
``timeout-*`` files with the input).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["detector", "features"]):
    from detector.api import score_page
    from detector.errors import FarmscanError
    from detector.model.load import load_model
    from detector.options import Options
    from detector.sources.document import FORMATS
    from detector.sources.load import load

_MODEL = load_model(None)
_FORMATS = (None, *[f for f in FORMATS if f != "warc"])
_URLS = (None, "https://example.org/2024/05/a-post/", "http://[::1]:8080/x?y=1#z", "not a url")


def test_one_input(data: bytes) -> None:
    """One fuzz case: the first byte picks input format, URL and source type."""
    if not data:
        return
    ctl, body = data[0], data[1:]
    options = Options(input_format=_FORMATS[ctl % len(_FORMATS)], max_bytes=1 << 20)
    url = _URLS[(ctl >> 2) % len(_URLS)]
    source: bytes | str = body
    if ctl & 0x40:
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
