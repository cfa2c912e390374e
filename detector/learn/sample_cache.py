"""A cache of featurised training samples, so experiments do not re-featurise every page.

The cache is one JSON-lines file: a header line ``{"cache": "farmscan-samples", "version",
"key", "n"}`` then one :class:`~detector.learn.dataset.Sample` per line (features and evidence).
It is reused only when its key matches the key of the run asking for it. The key hashes
everything the samples depend on:

* the source of ``features/`` (every file, ``features/data`` included), of the page loaders
  (``detector/sources/``) and of ``detector/learn/simulate/``;
  with index features, of ``detector/index/`` and ``detector/data``;
* the ``labelled/`` directory's files (reports, notes and the lockbox record excepted);
* every labelled example as loaded (id, label, kind, confidence, site, URL, source) and the
  bytes of its page file (corpus labels, corrections and the pages themselves);
* the number of simulated pages and the seed, and whether index features are on;
* the versions of the libraries that parse and simulate pages.

The evidence strings quote the pages: keep the cache outside the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from detector.learn.dataset import Sample

CACHE_FORMAT = "farmscan-samples"
CACHE_VERSION = 1
PKG = Path(__file__).resolve().parents[1]  # detector/
FEATURES = PKG.parent / "features"
_LIBS = ("resiliparse", "faker", "braveblock", "ahocorasick-rs", "publicsuffixlist", "charset-normalizer", "numpy")
_SKIP_DIRS = {"__pycache__", "evaluation"}
_SKIP_SUFFIXES = {".pyc", ".md", ".png"}
_SKIP_NAMES = {"lockbox.json"}  # the lockbox's look counter: a record of evaluations, not data


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and not (_SKIP_DIRS & set(p.relative_to(root).parts)) and p.suffix not in _SKIP_SUFFIXES
        and p.name not in _SKIP_NAMES
    )


def _hash_tree(h: Any, label: str, root: Path) -> None:
    for p in _files(root):
        rel = p.relative_to(root).as_posix() if root.is_dir() else p.name
        h.update(f"{label}:{rel}\0".encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())


def cache_key(
    examples: Iterable[Any],
    *,
    labelled_dir: Path | None,
    synthetic: int,
    seed: int,
    index: bool,
    urls: bool = True,
) -> str:
    """The key of a sample set: a hash of the code, labels, pages and settings it depends on."""
    h = hashlib.sha256(f"{CACHE_FORMAT}:{CACHE_VERSION}\0".encode())
    settings: dict[str, Any] = {"synthetic": synthetic if synthetic > 0 else 0, "seed": seed, "index": index}
    if not urls:  # the key of a sample set read with URLs is unchanged
        settings["urls"] = False
    h.update(json.dumps(settings).encode())
    _hash_tree(h, "features", FEATURES)
    for name in ("sources", "learn/simulate", "learn/dataset.py"):
        _hash_tree(h, name, PKG / name)
    if index:
        for name in ("index", "farm_signs.py", "data"):
            _hash_tree(h, name, PKG / name)
    if labelled_dir is not None:
        _hash_tree(h, "labelled", Path(labelled_dir))
    for lib in _LIBS:
        try:
            h.update(f"{lib}={metadata.version(lib)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib}=-\0".encode())
    for ex in sorted(examples, key=lambda e: e.id):
        row = [ex.id, ex.label, ex.kind, ex.confidence, ex.site, ex.url, ex.source, ex.language, ex.dataset]
        h.update(json.dumps(row, ensure_ascii=False).encode())
        try:
            h.update(hashlib.sha256(Path(ex.path).read_bytes()).digest())
        except OSError:
            h.update(b"<unreadable>")
    return "sha256:" + h.hexdigest()


def load_cache(path: str | Path, key: str | None) -> list[Sample] | None:
    """The samples cached at ``path`` under ``key``; ``None`` when absent, stale or unreadable.

    ``key=None`` reads the file whatever its key (experiments on a tree others are editing).
    """
    try:
        with open(path, encoding="utf-8") as fh:
            head = json.loads(fh.readline() or "null")
            if not isinstance(head, dict) or head.get("cache") != CACHE_FORMAT or head.get("version") != CACHE_VERSION:
                return None
            if key is not None and head.get("key") != key:
                return None
            samples = [Sample(**json.loads(line)) for line in fh if line.strip()]
    except (OSError, ValueError, TypeError):
        return None
    return samples if len(samples) == head.get("n") else None


def save_cache(path: str | Path, key: str, samples: list[Sample]) -> None:
    """Write ``samples`` under ``key`` (atomically: a reader never sees half a file)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"cache": CACHE_FORMAT, "version": CACHE_VERSION, "key": key, "n": len(samples)}) + "\n")
        for s in samples:
            fh.write(json.dumps(asdict(s), ensure_ascii=False, separators=(",", ":")) + "\n")
    os.replace(tmp, path)
