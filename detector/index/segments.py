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

ROW_ARRAYS = ("bottom", "blen", "nsh", "site_h", "tsig", "has_t")  # one row per page
ARRAYS = (*ROW_ARRAYS, "keys", "ids", "tkeys", "tids")


_NO_KEYS = np.zeros(0, dtype=np.uint32)


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
        # Band tables: sorted arrays for most pages plus dicts for the last few added
        # (a dict entry costs ~100 bytes, an array entry 8).
        self.tables = {False: _Table(), True: _Table()}

    @property
    def n(self) -> int:
        return len(self.rows)

    def add(self, sk: Sketch, site_h: int) -> int:
        gid = self.first_id + len(self.rows)
        self.rows.append(Sketch(_NO_KEYS, sk.bottom, sk.nsh, sk.tsig, _NO_KEYS))  # keys: in the tables
        self.site_h.append(site_h)
        self.tables[False].add(sk.text_keys, gid)
        self.tables[True].add(sk.tmpl_keys, gid)
        return gid

    def lookup(self, keys: np.ndarray, template: bool, cap: int) -> np.ndarray:
        return self.tables[template].lookup(keys, cap)

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
        keys, ids = self.tables[False].arrays()
        tkeys, tids = self.tables[True].arrays()
        return {
            "bottom": bottom, "blen": blen,
            "nsh": np.asarray([sk.nsh for sk in self.rows], dtype=np.uint32),
            "site_h": np.asarray(self.site_h, dtype=np.uint32),
            "tsig": tsig, "has_t": has_t, "keys": keys, "ids": ids, "tkeys": tkeys, "tids": tids,
        }


class _Table:
    """A band table that grows: a dict for recent pages, merged into sorted arrays in batches."""

    TAIL = 4096  # pages

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.uint32)
        self.ids = np.zeros(0, dtype=np.uint32)
        self.tail: dict[int, list[int]] = {}
        self.tail_pages = 0

    def add(self, keys: np.ndarray, gid: int) -> None:
        for k in keys.tolist():
            self.tail.setdefault(k, []).append(gid)
        self.tail_pages += 1
        if self.tail_pages >= self.TAIL:
            self.keys, self.ids = self.arrays()
            self.tail, self.tail_pages = {}, 0

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """All entries as (keys, ids) sorted by key (ids ascending within a key)."""
        tk = np.fromiter((k for k, v in self.tail.items() for _ in v), dtype=np.uint32)
        ti = np.fromiter((g for v in self.tail.values() for g in v), dtype=np.uint32)
        keys = np.concatenate([self.keys, tk])
        ids = np.concatenate([self.ids, ti])
        order = np.argsort(keys, kind="stable")
        return keys[order], ids[order]

    def lookup(self, keys: np.ndarray, cap: int) -> np.ndarray:
        parts = []
        if len(self.keys):
            lo = np.searchsorted(self.keys, keys, side="left")
            hi = np.minimum(np.searchsorted(self.keys, keys, side="right"), lo + cap)
            parts += [self.ids[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        for k in keys.tolist():
            hit = self.tail.get(k)
            if hit:
                parts.append(np.asarray(hit[:cap], dtype=np.uint32))
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


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


def merge_segments(segs: list[DiskSegment], path: Path, chunk: int = 1 << 22) -> int:
    """Write consecutive segments as one segment directory, in bounded memory; returns its pages.

    Row arrays are copied segment by segment, ``chunk`` values at a time. Band tables are
    merged one slice of the (uniform, hashed) key space at a time: about ``chunk`` entries
    are in memory at once, whatever the index size. Ids stay ascending within a key because
    the segments are consecutive. Reads and writes are plain file I/O (not the memory maps),
    so the merged index does not pile up in this process's resident memory. Written under a
    temporary name, then renamed.
    """
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True)
    n = sum(s.n for s in segs)
    for name in ROW_ARRAYS:
        first = segs[0].a[name]
        with _Writer(tmp / f"{name}.npy", first.dtype, (n, *first.shape[1:])) as out:
            for seg in segs:
                per_row = max(1, int(np.prod(seg.a[name].shape[1:])))
                step = max(1, chunk // per_row)
                for i in range(0, seg.n, step):
                    out.write(_read(seg, name, i, min(seg.n, i + step)))
    for kname, iname in (("keys", "ids"), ("tkeys", "tids")):
        total = sum(len(seg.a[kname]) for seg in segs)
        edges = [int(e) for e in np.linspace(0, 2**32, max(1, -(-total // chunk)) + 1)]
        with _Writer(tmp / f"{kname}.npy", np.uint32, (total,)) as kout, _Writer(tmp / f"{iname}.npy", np.uint32, (total,)) as iout:
            for lo, hi in zip(edges[:-1], edges[1:], strict=True):
                ks, ids = [], []
                for seg in segs:
                    k = seg.a[kname]
                    a = int(np.searchsorted(k, np.uint32(lo)))
                    b = len(k) if hi >= 2**32 else int(np.searchsorted(k, np.uint32(hi)))
                    ks.append(_read(seg, kname, a, b))
                    ids.append(_read(seg, iname, a, b))
                kk, ii = np.concatenate(ks), np.concatenate(ids)
                order = np.argsort(kk, kind="stable")
                kout.write(kk[order])
                iout.write(ii[order])
    os.rename(tmp, path)
    return n


def _read(seg: DiskSegment, name: str, start: int, stop: int) -> np.ndarray:
    """Rows ``start:stop`` of a saved array, read from its file (not through the mapping)."""
    m = seg.a[name]
    per_row = int(np.prod(m.shape[1:]))
    count = max(0, stop - start) * per_row
    out = np.fromfile(seg.path / f"{name}.npy", dtype=m.dtype, count=count, offset=m.offset + start * per_row * m.itemsize)
    return out.reshape(-1, *m.shape[1:])


class _Writer:
    """A ``.npy`` file of known dtype and shape, written sequentially, fsynced on close."""

    def __init__(self, path: Path, dtype: np.dtype, shape: tuple[int, ...]) -> None:
        self.fh = open(path, "wb")  # noqa: SIM115 - closed in __exit__
        self.want = int(np.prod(shape))
        self.done = 0
        np.lib.format.write_array_header_1_0(
            self.fh, {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False, "shape": shape}
        )

    def write(self, a: np.ndarray) -> None:
        np.ascontiguousarray(a).tofile(self.fh)
        self.done += a.size

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None and self.done != self.want:
                raise RuntimeError(f"{self.fh.name}: wrote {self.done} of {self.want} values")
            self.fh.flush()
            os.fsync(self.fh.fileno())
        finally:
            self.fh.close()
