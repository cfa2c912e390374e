"""Index segments: the sketches of a batch of pages and their LSH band tables.

A :class:`MemSegment` grows as pages are added (band tables are dicts); saving turns it into
a :class:`DiskSegment`: a directory of ``.npy`` files opened memory-mapped, so many
processes share one copy in the page cache and a query touches only the rows it reads.
Band tables on disk are two parallel arrays, sorted by key: ``uint32`` band keys and the
``uint32`` global page ids (binary search per band key).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ARRAYS = ("bottom", "blen", "nsh", "site_h", "tsig", "has_t", "keys", "ids", "tkeys", "tids")


@dataclass
class Sketch:
    """Everything the index keeps about one page's text and layout."""

    text_keys: np.ndarray  # uint32 band keys (full-text and lead bands)
    bottom: np.ndarray  # uint32 bottom-k sample of shingle hashes, sorted
    nsh: int  # distinct shingles
    tsig: np.ndarray | None  # uint32 template signature, None without markup
    tmpl_keys: np.ndarray  # uint32 template band keys (empty without markup)


class MemSegment:
    """Pages added in this process, not yet saved."""

    def __init__(self, first_id: int, bottom_k: int, num_perm: int) -> None:
        self.first_id = first_id
        self.bottom_k, self.num_perm = bottom_k, num_perm
        self.rows: list[Sketch] = []
        self.site_h: list[int] = []
        self.buckets: dict[int, list[int]] = {}
        self.tbuckets: dict[int, list[int]] = {}

    @property
    def n(self) -> int:
        return len(self.rows)

    def add(self, sk: Sketch, site_h: int) -> int:
        gid = self.first_id + len(self.rows)
        self.rows.append(sk)
        self.site_h.append(site_h)
        for k in sk.text_keys.tolist():
            self.buckets.setdefault(k, []).append(gid)
        for k in sk.tmpl_keys.tolist():
            self.tbuckets.setdefault(k, []).append(gid)
        return gid

    def lookup(self, keys: np.ndarray, template: bool, cap: int) -> np.ndarray:
        table = self.tbuckets if template else self.buckets
        out: list[int] = []
        for k in keys.tolist():
            hit = table.get(k)
            if hit:
                out.extend(hit[:cap])
        return np.asarray(out, dtype=np.int64)

    def row(self, gid: int) -> tuple[np.ndarray, int, int, np.ndarray | None, int]:
        """(bottom sample, distinct shingles, site hash, template signature, local index)."""
        i = gid - self.first_id
        sk = self.rows[i]
        return sk.bottom, sk.nsh, self.site_h[i], sk.tsig, i

    def site_hashes(self, gids: np.ndarray) -> np.ndarray:
        return np.asarray(self.site_h, dtype=np.uint32)[gids - self.first_id]

    def tsigs(self, gids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sigs = np.zeros((len(gids), self.num_perm), dtype=np.uint32)
        has = np.zeros(len(gids), dtype=bool)
        for j, g in enumerate(gids.tolist()):
            t = self.rows[g - self.first_id].tsig
            if t is not None:
                sigs[j], has[j] = t, True
        return sigs, has

    def arrays(self) -> dict[str, np.ndarray]:
        """The segment as the arrays a :class:`DiskSegment` stores."""
        n, k = len(self.rows), self.bottom_k
        bottom = np.full((n, k), 0xFFFFFFFF, dtype=np.uint32)
        blen = np.zeros(n, dtype=np.uint16)
        tsig = np.zeros((n, self.num_perm), dtype=np.uint32)
        has_t = np.zeros(n, dtype=bool)
        for i, sk in enumerate(self.rows):
            bottom[i, : len(sk.bottom)] = sk.bottom
            blen[i] = len(sk.bottom)
            if sk.tsig is not None:
                tsig[i], has_t[i] = sk.tsig, True
        keys, ids = _table(self.buckets)
        tkeys, tids = _table(self.tbuckets)
        return {
            "bottom": bottom, "blen": blen,
            "nsh": np.asarray([sk.nsh for sk in self.rows], dtype=np.uint32),
            "site_h": np.asarray(self.site_h, dtype=np.uint32),
            "tsig": tsig, "has_t": has_t, "keys": keys, "ids": ids, "tkeys": tkeys, "tids": tids,
        }


def _table(buckets: dict[int, list[int]]) -> tuple[np.ndarray, np.ndarray]:
    keys = np.fromiter((k for k, v in buckets.items() for _ in v), dtype=np.uint32)
    ids = np.fromiter((g for v in buckets.values() for g in v), dtype=np.uint32)
    order = np.argsort(keys, kind="stable")
    return keys[order], ids[order]


class DiskSegment:
    """A saved segment, memory-mapped read-only."""

    def __init__(self, path: Path, first_id: int) -> None:
        self.path, self.first_id = Path(path), first_id
        self.a = {name: np.load(self.path / f"{name}.npy", mmap_mode="r") for name in ARRAYS}
        self.n = int(self.a["nsh"].shape[0])

    @staticmethod
    def write(path: Path, arrays: dict[str, np.ndarray]) -> None:
        """Write arrays to a fresh directory atomically (temporary name, then rename)."""
        tmp = path.with_name(path.name + f".tmp{os.getpid()}")
        tmp.mkdir(parents=True)
        for name in ARRAYS:
            with open(tmp / f"{name}.npy", "wb") as fh:
                np.save(fh, np.ascontiguousarray(arrays[name]))
                fh.flush()
                os.fsync(fh.fileno())
        os.rename(tmp, path)

    def lookup(self, keys: np.ndarray, template: bool, cap: int) -> np.ndarray:
        skeys = self.a["tkeys" if template else "keys"]
        sids = self.a["tids" if template else "ids"]
        if len(skeys) == 0:
            return np.zeros(0, dtype=np.int64)
        lo = np.searchsorted(skeys, keys, side="left")
        hi = np.minimum(np.searchsorted(skeys, keys, side="right"), lo + cap)
        parts = [sids[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)

    def row(self, gid: int) -> tuple[np.ndarray, int, int, np.ndarray | None, int]:
        i = gid - self.first_id
        bl = int(self.a["blen"][i])
        tsig = np.asarray(self.a["tsig"][i]) if self.a["has_t"][i] else None
        return np.asarray(self.a["bottom"][i, :bl]), int(self.a["nsh"][i]), int(self.a["site_h"][i]), tsig, i

    def site_hashes(self, gids: np.ndarray) -> np.ndarray:
        return np.asarray(self.a["site_h"][gids - self.first_id])

    def tsigs(self, gids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        local = gids - self.first_id
        return np.asarray(self.a["tsig"][local]), np.asarray(self.a["has_t"][local])

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: np.asarray(self.a[name]) for name in ARRAYS}


def merge_arrays(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """One segment's arrays from consecutive segments' arrays (ids are global already)."""
    out = {}
    for name in ("bottom", "blen", "nsh", "site_h", "tsig", "has_t"):
        out[name] = np.concatenate([p[name] for p in parts])
    for kname, iname in (("keys", "ids"), ("tkeys", "tids")):
        keys = np.concatenate([p[kname] for p in parts])
        ids = np.concatenate([p[iname] for p in parts])
        order = np.argsort(keys, kind="stable")
        out[kname], out[iname] = keys[order], ids[order]
    return out
