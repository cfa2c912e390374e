"""Sketches of a page's text: word-shingle hashes, one-permutation MinHash, bottom-k samples.

Everything here is numpy code with a hash specification of our own (fixed constants), so an
index written today is read identically by any later numpy, on any machine.

Why our own numpy code and not rensa or datasketch (measured on 1,000 corpus pages, median
685 shingles, 2-vCPU VM shared with other jobs; ``benchmarks/index_bench.py`` repeats it):

==================================================  ============
MinHash of a page's shingle hashes (128 values)      ms / page
==================================================  ============
datasketch ``MinHash(num_perm=128)``, sha1 default   ~90 (str shingles)
datasketch with pre-hashed shingles                  ~7.4
numpy, 128 universal-hash permutations               ~1.4
rensa ``RMinHash`` batch from pre-hashed shingles    ~0.035
numpy one-permutation hashing (this module)          ~0.036
==================================================  ============

One-permutation hashing (Li, Owen & Zhang 2012) with rotation densification (Shrivastava &
Li 2014) is as fast as rensa's batched Rust path and needs no dependency; rensa's digests
depend on the library's own seeding, which may change between versions and would silently
invalidate an index on disk. Word hashing (the real cost, ~0.5 ms per page) is vectorised
over a UTF-32 view of the words.
"""

from __future__ import annotations

import numpy as np

U64 = np.uint64
MASK32 = U64(0xFFFFFFFF)
EMPTY = np.iinfo(np.uint64).max
WORD_CHARS = 16  # characters of a word that enter its hash
# Words of a text that enter its shingles: the longest corpus page has ~55,000 main-text words;
# a hostile page of millions of words is sketched on its first MAX_SKETCH_WORDS.
MAX_SKETCH_WORDS = 200_000
HASH_CHUNK = 65_536  # words hashed at a time (bounds the UTF-32 working set)
# Fixed odd multipliers: the hash specification (never change without bumping FORMAT).
_RNG = np.random.Generator(np.random.PCG64(20261121))
_CHAR_MUL = _RNG.integers(1, 2**63, WORD_CHARS, dtype=np.uint64) | U64(1)
_POS_MUL = _RNG.integers(1, 2**63, 8, dtype=np.uint64) | U64(1)
_BAND_MUL = _RNG.integers(1, 2**63, 8, dtype=np.uint64) | U64(1)


def mix64(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over the 64-bit output."""
    with np.errstate(over="ignore"):
        h = h ^ (h >> U64(30))
        h = h * U64(0xBF58476D1CE4E5B9)
        h = h ^ (h >> U64(27))
        h = h * U64(0x94D049BB133111EB)
        return h ^ (h >> U64(31))


def word_hashes(words: list[str]) -> np.ndarray:
    """64-bit hashes of lower-cased words (first 16 characters of each).

    Hashed :data:`HASH_CHUNK` words at a time: the UTF-32 codes of a chunk take ~34 MB
    however many words there are (all at once, 3.2 million words took 1.9 GB).
    """
    if not words:
        return np.zeros(0, dtype=np.uint64)
    if len(words) > HASH_CHUNK:
        return np.concatenate([word_hashes(words[i : i + HASH_CHUNK]) for i in range(0, len(words), HASH_CHUNK)])
    arr = np.array("\x00".join(words).lower().split("\x00"), dtype=f"<U{WORD_CHARS}")
    codes = arr.view(np.uint32).reshape(len(words), WORD_CHARS).astype(np.uint64)
    with np.errstate(over="ignore"):
        h = (codes * _CHAR_MUL).sum(axis=1, dtype=np.uint64)
    return mix64(h)


def shingle_hashes(words: list[str], k: int = 4, line_lengths: list[int] | None = None) -> np.ndarray:
    """Hashes of the word k-shingles, in text order (a text shorter than k is one shingle).

    With ``line_lengths`` (words per line, summing to ``len(words)``) no shingle crosses a
    line break and a line shorter than ``k`` words is one shingle: the set is then the union
    of each line's own shingles, so a copy that keeps some paragraphs, reorders them or
    drops short lines between them (captions, bylines) shares every shingle of the lines it
    kept. Only the first :data:`MAX_SKETCH_WORDS` words count.
    """
    if len(words) > MAX_SKETCH_WORDS:
        words = words[:MAX_SKETCH_WORDS]
        if line_lengths is not None:
            kept, left = [], MAX_SKETCH_WORDS
            for n in line_lengths:
                if left <= 0:
                    break
                kept.append(min(n, left))
                left -= kept[-1]
            line_lengths = kept
    w = word_hashes(words)
    if len(w) == 0:
        return w
    if line_lengths is None or len(line_lengths) <= 1:
        return _windows(w, k)
    lengths = np.asarray(line_lengths, dtype=np.intp)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    line_of = np.repeat(np.arange(len(lengths)), lengths)
    pos = np.zeros(0, dtype=np.intp)
    full = np.zeros(0, dtype=np.uint64)
    if len(w) >= k:
        full = _windows(w, k)
        pos = np.flatnonzero(line_of[: len(full)] == line_of[k - 1 :])
        full = full[pos]
    short = np.flatnonzero((lengths > 0) & (lengths < k))
    if len(short):  # each short line padded with zero hashes to one k-window
        cols = np.arange(k)
        take = starts[short, None] + cols
        m = cols[None, :] < lengths[short, None]
        padded = np.where(m, w[np.minimum(take, len(w) - 1)], U64(0))
        with np.errstate(over="ignore"):
            sh = mix64((padded * _POS_MUL[:k]).sum(axis=1, dtype=np.uint64))
        pos = np.concatenate([pos, starts[short]])
        full = np.concatenate([full, sh])
    return full[np.argsort(pos, kind="stable")]


def _windows(w: np.ndarray, k: int) -> np.ndarray:
    """Hashes of every k-window of word hashes ``w`` (zero-padded when shorter than k)."""
    if len(w) < k:
        w = np.concatenate([w, np.zeros(k - len(w), dtype=np.uint64)])
    n = len(w) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h += w[j : j + n] * _POS_MUL[j]
    return mix64(h)


def oph(hashes: np.ndarray, num_bins: int = 128) -> np.ndarray:
    """One-permutation MinHash of a hash set (``uint32[num_bins]``), densified by rotation.

    Bin ``i`` holds the smallest value of the hashes whose top bits are ``i``; an empty bin
    takes the value of the next non-empty bin to its right (circularly) plus a per-distance
    offset, so equal sets give equal signatures and P(bin equal) tracks Jaccard similarity.
    An empty set gives all-``0xFFFFFFFF``.
    """
    if len(hashes) == 0:
        return np.full(num_bins, 0xFFFFFFFF, dtype=np.uint32)
    shift = U64(64 - int(num_bins).bit_length() + 1)
    bins = (hashes >> shift).astype(np.intp)
    vals = (hashes >> U64(8)) & MASK32  # independent of the bin bits for num_bins <= 2**24
    out = np.full(num_bins, EMPTY, dtype=np.uint64)
    np.minimum.at(out, bins, vals)
    empty = out == EMPTY
    if empty.any():
        idx = np.arange(num_bins)
        full_idx = np.where(~empty, idx, 2 * num_bins)
        # nearest non-empty bin at or to the right, circularly
        doubled = np.concatenate([full_idx, np.where(~empty, idx + num_bins, 2 * num_bins)])
        nxt = np.minimum.accumulate(doubled[::-1])[::-1][:num_bins]
        dist = (nxt - idx).astype(np.uint64)
        donor = out[nxt % num_bins]
        with np.errstate(over="ignore"):
            filled = (donor + dist * U64(0x9E3779B1)) & MASK32
        out = np.where(empty, filled, out)
    return out.astype(np.uint32)


def bottom_k(hashes: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` smallest distinct values of the top 32 bits of ``hashes``, sorted (uint32)."""
    top = (hashes >> U64(32)).astype(np.uint32)
    if len(top) > 2 * k:
        top = np.partition(top, 2 * k - 1)[: 2 * k]  # room for (rare) equal top halves
    return np.unique(top)[:k].copy()  # not a view: the index keeps it


def band_keys(sig: np.ndarray, rows: int, salt: int = 0) -> np.ndarray:
    """One uint32 LSH key per band of ``rows`` consecutive signature values."""
    bands = len(sig) // rows
    m = sig[: bands * rows].astype(np.uint64).reshape(bands, rows)
    with np.errstate(over="ignore"):
        h = (m * _BAND_MUL[:rows]).sum(axis=1, dtype=np.uint64)
        h += (np.arange(bands, dtype=np.uint64) + U64(salt) * U64(1 << 20)) * U64(0xD6E8FEB86659FD93)
    return (mix64(h) >> U64(32)).astype(np.uint32)


def overlap(a: np.ndarray, na: int, b: np.ndarray, nb: int, k: int) -> tuple[float, float, float, int]:
    """Containments ``|A&B|/|A|`` and ``|A&B|/|B|``, Jaccard and shared sample values.

    ``a``/``b`` are sorted bottom-k samples of sets of sizes ``na``/``nb``. Only values below
    both samples' cut-offs are known for both sets; the estimates use those, and the count
    of shared values tells how much support they have.
    """
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0, 0.0, 0
    cut = min(int(a[-1]) if len(a) >= k else 2**32, int(b[-1]) if len(b) >= k else 2**32)
    a2 = a[a <= cut]
    b2 = b[b <= cut]
    if len(a2) == 0 or len(b2) == 0:
        return 0.0, 0.0, 0.0, 0
    inter = len(np.intersect1d(a2, b2, assume_unique=True))
    union = len(a2) + len(b2) - inter
    return inter / len(a2), inter / len(b2), inter / union if union else 0.0, inter
