"""Hostile input, round three (issue 29, classes 1-9): work bounded by counts, not by clocks.

Each check counts the work a hostile shape causes (characters scanned, table look-ups, bytes
allocated) or compares a rewritten matcher with the pattern it replaces on seeded inputs.
"""

from __future__ import annotations

import random
import tracemalloc

import numpy as np

from detector.index import sketch
from detector.sources.decode import _META_CHARSET, meta_charset
from features import ads
from features._parse_guard import _cap_attributes
from features.copy import _DATELINE_RE, _agency, dateline
from features.mfa import _PAGED_URL, paged_url


class _CountingStr(str):
    """A str that adds up the characters its find/rfind/count calls scan."""

    scanned = 0

    def _add(self, start: int, end: int | None) -> None:
        type(self).scanned += (len(self) if end is None else end) - start

    def rfind(self, sub, start=0, end=None):  # type: ignore[override]
        self._add(start, end)
        return str.rfind(self, sub, start, end if end is not None else len(self))

    def count(self, sub, start=0, end=None):  # type: ignore[override]
        self._add(start, end)
        return str.count(self, sub, start, end if end is not None else len(self))


def test_class1_prescan_scans_each_character_a_bounded_number_of_times():
    html = '<a title="' + (">" + "x" * 256) * 4000
    _CountingStr.scanned = 0
    _cap_attributes(_CountingStr(html))
    assert _CountingStr.scanned <= 4 * len(html), _CountingStr.scanned  # quadratic before: ~2,000x


def test_class1_attributes_after_a_quoted_gt_are_capped():
    html = '<div a=">" ' + " ".join(f"a{i}=v" for i in range(2000)) + ">x</div>"
    out, dropped = _cap_attributes(html)
    assert dropped and len(out) < len(html) // 4


def test_class2_dateline_matches_the_single_pattern():
    rng = random.Random(2)
    head = ["A", "B", "É", "a", " ", ",", "/", "-", ".", "'", "1", "\t", "(", ")"]
    inner = ["dpa", "Reuters", "AP", "AFP", " ", "/", ",", "-", "x", "(", ")", "2020"]
    tail = [" - ", "-", ":", " ", "x", "—", ""]
    matched = 0
    for _ in range(20000):
        s = ("".join(rng.choice(head) for _ in range(rng.randint(0, 12))) + "("
             + "".join(rng.choice(inner) for _ in range(rng.randint(0, 6))) + rng.choice([")", ""])
             + "".join(rng.choice(tail) for _ in range(rng.randint(0, 3))))
        m = _DATELINE_RE.match(s)
        assert dateline(s) == ((_agency(m), m.group(0)) if m else None), s
        matched += m is not None
    assert matched > 50
    assert dateline("A" + " " * 40 + "," + " " * 40 + "(" + " ," * 50) is None


def test_class3_host_lookup_reads_only_the_last_labels(monkeypatch):
    idx = ads._index()

    class Counting(dict):
        gets = 0

        def get(self, key, default=None):
            Counting.gets += 1
            return super().get(key, default)

    counting = Counting(idx.by_domain)
    monkeypatch.setattr(ads, "_index", lambda: type(idx)(counting, idx.by_name, idx.code_markers, idx.class_prefixes,
                                                          idx.attr_markers, idx.max_dots, idx.max_len))
    ads._network_for_tail.cache_clear()
    host = "a." * 100_000 + "magsrv.com"
    assert ads.network_for_host(host).name == "ExoClick"
    assert Counting.gets <= idx.max_dots + 2  # one per label before: 100,001
    ads._network_for_tail.cache_clear()


def test_class7_paged_url_matches_the_pattern_and_is_linear():
    rng = random.Random(6)
    slug, steps = ["a", "b", "-", "1", "K", "_", "/"], ["/2", "/3/", "/page-4", "/slide-9", "/1", "/100"]
    for _ in range(20000):
        s = "".join(rng.choice(slug) for _ in range(rng.randint(0, 14))) + rng.choice(steps) + rng.choice(["", "?x", "#y", "/", "x"])
        assert paged_url(s) == bool(_PAGED_URL.search(s)), s
    assert paged_url("a-" * 500_000) is False


def test_class8_word_hashing_memory_is_chunked_and_words_capped():
    words = ["ab"] * 1_000_000
    tracemalloc.start()
    h = sketch.word_hashes(words)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(h) == len(words) and peak < 120 * 2**20, peak  # ~330 MB at once before
    assert np.array_equal(h[:10], sketch.word_hashes(words[:10]))
    assert len(sketch.shingle_hashes([f"w{i}" for i in range(300_000)], 4)) == sketch.MAX_SKETCH_WORDS - 3


def test_class9_meta_charset_matches_the_pattern():
    rng = random.Random(7)
    parts = [b"<meta", b"<META ", b" ", b">", b"charset", b"=", b'"', b"'", b"utf-8", b"x", b"<", b"charset=utf-8", b"charsetcharset="]
    for _ in range(20000):
        s = b"".join(rng.choice(parts) for _ in range(rng.randint(0, 14)))
        m = _META_CHARSET.search(s)
        assert meta_charset(s) == (m.group(1).decode() if m else None), s
