"""The cross-page index: near-duplicate text (with containment) and shared templates.

Text: each line of a page's main text becomes word 4-shingle hashes (a shingle never
crosses a line break; a line shorter than 4 words is one shingle), so a copy that keeps some
paragraphs, reorders them or drops the captions and bylines between them still holds every
shingle of the paragraphs it kept. Candidates come from LSH over a
128-bin one-permutation MinHash (64 bands of 2 rows: a pair with Jaccard 0.2 collides with
probability 0.93, 0.1 with 0.47, 0.01 with 0.006) plus 32 bands of a second signature over
the first ``lead`` shingles only, so that a short excerpt of an article's beginning (Jaccard
with the whole article far below 0.2) still collides with it. Candidates are verified with
containment estimated from bottom-k samples of the shingle hashes: a copy embedded in an
ad-heavy page (the article is most of *its* text... or the other way round), a truncated
excerpt, or a lightly spun copy keeps a high share of one text inside the other.

Templates: ``features.template.template_shingles`` (hashes of the non-content DOM skeleton)
go through the same machinery (32 bands of 4 rows); matches at estimated Jaccard >= 0.6 from
OTHER registrable sites are counted.

Measured (``benchmarks/copy_recall.py``, 300 real originals x 4 transforms mixed into the
2,943-page corpus): original found for 98.8% of copies (wrapped 99.7, truncated 96.3,
shuffled 99.7, spun 99.3) at 99.11% match precision (98.2% and truncated 95.0 before the index
shingled the title as a line). ``benchmarks/copy_naming.py`` (an independent wrapper, copies saved as files
without URLs): original named for 99.7% of 1,800 copies, 0 wrong pages, 0 self-matches.
``benchmarks/index_bench.py`` (synthetic
pages, CPU time, sketching included): 631 pages/s/core build at 100k and 697 at 1M (406 MB
peak RSS either way: one batch in memory), query 1.7 ms median on a compacted index at both
sizes (5 ms over 20 uncompacted segments at 1M), 1.8 KB/page on disk; a reader holds ~40 MB
private, the rest of its resident set is the shared index files.

Every page has an identity (``id``): its URL when it has one (given, WARC target, WordPress
``link``), otherwise the input it was indexed from as given (a file path, ``file#N`` for a
post of a WordPress list, ``file#<WARC-Record-ID>``); the index stores it with a digest of
the page's bytes, returns both ``id`` and ``url``/``site`` in every match, and never
matches a page to itself (same identity or same bytes). Direction (which page is the
original) is :func:`detector.index.provenance.decide` over both pages' origin facts, farm
evidence (:mod:`detector.index.farm_signs`, stored per page) included.

On disk an index is a directory: ``pages.sqlite`` (page table: id, url, site, digest, origin facts;
segment list; parameters) and one ``seg-<first id>/`` directory of memory-mapped ``.npy``
arrays per saved batch (``save``, ``close``, or every ``flush_every`` added pages; ``compact``
merges them in bounded memory). Readers open sqlite with ``mode=ro`` and see the segments that
existed when they opened; a writer adds a segment (written under a temporary name, renamed,
then committed in one sqlite transaction), so readers never see half a batch. One writer at
a time (``writer.lock``, ``flock``); POSIX only.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from detector.errors import FarmscanError, IndexFormatError, InputError
from detector.index import sketch as sk
from detector.index.farm_signs import farm_signs, page_features
from detector.index.provenance import Facts, decide, facts, farm_domains, reliable_domains
from detector.index.segments import DiskSegment, MemSegment, Sketch, merge_segments
from detector.sources.document import display_name
from features.base import Features
from features.domains import registrable_domain
from features.page import Page, tokenize

FORMAT = 3  # 2: text shingles stay inside lines; 3: pages carry identity, digest, farm evidence; title shingled
MIN_CONTAINMENT = 0.5  # share of the smaller text found in the other
# Estimated words of this text found in the other: 18 when one text is mostly inside the
# other (>= 0.8), 50 for a partial match, so a short page whose main text is half
# comment-form or cookie boilerplate does not match every long page with the same boilerplate.
MIN_SHARED = 18
MIN_SHARED_PARTIAL = 50
HIGH_CONTAINMENT = 0.8
# Shared bottom-k values behind a containment estimate. A short excerpt of a long article
# has few values under the article's sample cut-off (~ excerpt shingles x 128 / article
# shingles: 4-6 for 30 shingles of 700); when nearly all of them are shared (>= 0.8) four
# suffice, a partial match needs six.
MIN_SAMPLE = 6
MIN_SAMPLE_HIGH = 4
MIN_WORDS = 25  # pages with fewer main-text words are not matched (too little text)
TEMPLATE_JACCARD = 0.6
BUCKET_CAP = 300  # ids read per band key (a bucket of boilerplate can be huge)
MAX_VERIFY = 60
MAX_COPIES = 10
# The index.* signals a look-up adds to a page's features (the index's own FEATURES).
FEATURES = (
    "index.copy_found",
    "index.copy_similarity",
    "index.copy_sites",
    "index.copy_sites_sat",
    "index.copied_from_elsewhere_likely",
    "index.copy_credited",
    "index.original_of_copies",
    "index.template_sites",
    "index.template_sites_sat",
)
TEMPLATE_SAT = 10
FLUSH_EVERY = 50_000  # pages an on-disk index keeps in memory before writing a segment


@dataclass(frozen=True)
class Params:
    """Sketch parameters, fixed for an index when it is created."""

    shingle_k: int = 4
    num_perm: int = 128
    rows: int = 2
    lead: int = 150
    lead_bands: int = 32
    bottom_k: int = 128
    tmpl_rows: int = 4


@dataclass
class IndexResult:
    """What the index knows about one page (the contract with ``detector.api.score_page``)."""

    features: Features = field(default_factory=Features)
    copy_of: list[dict[str, Any]] = field(default_factory=list)
    template_sites: int = 0


def _site_hash(site: str) -> int:
    if not site:
        return 0
    h = sk.word_hashes([site[i : i + 16] for i in range(0, len(site), 16)])
    return int(np.bitwise_xor.reduce(h) >> np.uint64(32)) or 1


def sketch_words(
    words: list[str], params: Params, tmpl: list[int] | None = None, line_lengths: list[int] | None = None
) -> Sketch:
    """The :class:`Sketch` of a text's words (and optional template shingles).

    ``line_lengths`` (words per line) keeps shingles inside lines, as :func:`sketch_page`
    does for pages; without it the words are one run.
    """
    sh = sk.shingle_hashes(words, params.shingle_k, line_lengths)
    uniq = np.unique(sh)
    sig = sk.oph(uniq, params.num_perm)
    keys = [sk.band_keys(sig, params.rows)]
    if len(sh) > params.lead:
        lead_sig = sk.oph(np.unique(sh[: params.lead]), params.num_perm)
        keys.append(sk.band_keys(lead_sig[: params.lead_bands * params.rows], params.rows))
    text_keys = np.unique(np.concatenate(keys))
    tsig, tkeys = None, np.zeros(0, dtype=np.uint32)
    if tmpl:
        t = sk.mix64(np.asarray(tmpl, dtype=np.uint64))
        tsig = sk.oph(np.unique(t), params.num_perm)
        tkeys = sk.band_keys(tsig, params.tmpl_rows, salt=1)
    return Sketch(text_keys, sk.bottom_k(uniq, params.bottom_k), len(uniq), tsig, tkeys)


def page_lines(page: Page) -> list[list[str]]:
    """The words of each non-empty line of the page's main text (together: ``page.words``)."""
    return [t for t in (tokenize(ln) for ln in page.main_text.split("\n")) if t]


def sketch_page(page: Page, params: Params) -> tuple[Sketch, int]:
    """A page's :class:`Sketch` (line-bounded text shingles, layout) and its main-text words.

    The title is one more line of the text (unless the main text starts with it): a scraper
    keeps the headline, and the original's main text often leaves it out, so without it a
    short excerpt's own headline counts against it (excerpts of 30-40% of the paragraphs
    not found: 19 of 614 corpus originals with it left out, 8 with it in).
    """
    lines = page_lines(page)
    title = tokenize(page.title or "")
    if title and (not lines or lines[0] != title):
        lines = [title, *lines]
    words = [w for ln in lines for w in ln]
    return sketch_words(words, params, _template_shingles(page), [len(ln) for ln in lines]), len(words)


def page_identity(page: Page) -> tuple[str, str]:
    """URL and registrable site of a page; a page saved without its URL uses its canonical link."""
    url = page.url or ""
    if not url and page.canonical.startswith(("http://", "https://")):
        url = page.canonical
    return url, page.site or (registrable_domain(url) if url else "")


def identity(page: Page, given: str = "") -> str:
    """A page's identity: its URL when it has one, else ``given`` (the input as indexed), else its digest."""
    if page.url:
        return page.url
    if given and not given.startswith("<"):
        return display_name(given)  # valid UTF-8, as every output names the input
    return "sha256:" + page_digest(page)[:16]


def _remove_orphan(seg: Path) -> None:
    """Remove a segment directory no committed segment names (a failed save's leftover)."""
    if seg.is_dir():
        for f in seg.iterdir():
            f.unlink()
        seg.rmdir()


def _is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def page_digest(page: Page) -> str:
    """Digest of the page's content (its markup, or its text for a text page): same bytes, same digest.

    SHA-256 cut to 128 bits (32 hex digits), stored per page.
    """
    body = page.html if page.html is not None else (page.raw_text if page.raw_text is not None else page.text)
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _farm_of(page: Page, features: Features | None, farm_probability: float | None) -> list[str]:
    """Farm evidence of a page (from its features when given, else from the few extractors needed)."""
    if features is None:
        features = page_features(page)
    return farm_signs(features.values, features.evidence, farm_probability)


def _template_shingles(page: Page) -> list[int]:
    try:
        from features.template import template_shingles
    except ImportError:  # the layout fingerprint is optional
        return []
    try:
        return template_shingles(page)
    except Exception:  # noqa: BLE001 - a layout the fingerprint cannot read has no template
        return []


class Index:
    """Near-duplicate and template index over pages; in memory, or a directory on disk.

    >>> idx = Index()                      # in memory; idx.add(page) as a crawl streams
    >>> idx = Index.open("news.idx")       # read-only, shareable by many processes
    >>> idx = Index.open("news.idx", mode="a"); idx.add(page); idx.save()

    An index on disk writes a segment by itself every ``flush_every`` added pages, so adding
    a million pages holds at most that many in memory; an index in memory holds them all.
    """

    def __init__(
        self,
        params: Params | None = None,
        *,
        reliable_list: str | None = None,
        farm_list: str | None = None,
        flush_every: int = FLUSH_EVERY,
        options: Any = None,
    ) -> None:
        self.params = params or Params()
        self.flush_every = max(1, int(flush_every))
        self.path: Path | None = None
        self.mode = "a"
        self._db: sqlite3.Connection | None = None
        self.segments: list[Any] = []
        self._mem = MemSegment(0, self.params.bottom_k, self.params.num_perm)
        self._pending: list[tuple[Any, ...]] = []  # rows for sqlite
        self._mem_pages: dict[int, tuple[str, str, str, str, str]] = {}  # gid -> url, site, facts json, id, digest
        self.options = options  # detector.options.Options for loading sources in add()
        self.reliable = reliable_domains(reliable_list)
        self.farms = farm_domains(farm_list)

    # ---- persistence ------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, mode: str = "r", **kw: Any) -> Index:
        """Open an index directory: ``mode="r"`` read-only, ``"a"`` to add (created if absent).

        A damaged index (a truncated or foreign ``pages.sqlite``, a missing or truncated
        segment, unknown parameters) raises :class:`InputError`, never a library's own error.
        """
        try:
            return cls._open(path, mode, **kw)
        except (FarmscanError, ValueError) as exc:
            if isinstance(exc, FarmscanError) or str(exc) == "mode must be 'r' or 'a'":
                raise
            raise InputError(f"index {path} is damaged: {exc.__class__.__name__}: {exc}"[:300]) from None
        except (sqlite3.Error, OSError, KeyError, TypeError, EOFError, RecursionError) as exc:
            raise InputError(f"index {path} is damaged: {exc.__class__.__name__}: {exc}"[:300]) from None

    @classmethod
    def _open(cls, path: str | Path, mode: str = "r", **kw: Any) -> Index:
        path = Path(path)
        db_path = path / "pages.sqlite"
        if mode not in ("r", "a"):
            raise ValueError("mode must be 'r' or 'a'")
        if not db_path.is_file():
            if mode == "r":
                raise InputError(f"no index at {path} (build one with 'farmscan index build')")
            path.mkdir(parents=True, exist_ok=True)
            idx = cls(kw.pop("params", None), **kw)
            idx._attach(path, mode, create=True)
            return idx
        uri = f"file:{db_path}?mode=ro" if mode == "r" else f"file:{db_path}"
        db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        if int(meta.get("format", 0)) != FORMAT:
            db.close()
            raise IndexFormatError(
                f"index {path} has format {meta.get('format')}, this farmscan reads format {FORMAT} "
                "(pages now store their identity, a digest of their bytes and their farm evidence); "
                f"rebuild it: farmscan index build --index NEW_PATH INPUTS..."
            )
        idx = cls(Params(**json.loads(meta["params"])), **kw)
        idx._db = db
        idx._attach(path, mode, create=False)
        return idx

    def _attach(self, path: Path, mode: str, create: bool) -> None:
        self.path, self.mode = path, mode
        if mode == "a":  # one writer at a time; readers never lock
            self._lock = open(path / "writer.lock", "a")  # noqa: SIM115 - held while open
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                self._lock.close()
                raise InputError(f"index {path} is being written by another process") from None
        if create:
            self._db = sqlite3.connect(path / "pages.sqlite", check_same_thread=False)
            self._db.executescript(
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE segments (name TEXT PRIMARY KEY, first_id INTEGER, n INTEGER);"
                "CREATE TABLE pages (id INTEGER PRIMARY KEY, url TEXT, site TEXT, facts TEXT,"
                " nsh INTEGER, added REAL, ident TEXT, digest TEXT);"
                "CREATE INDEX pages_url ON pages(url);"
            )
            with self._db:
                self._db.execute("INSERT INTO meta VALUES ('format', ?)", (str(FORMAT),))
                self._db.execute("INSERT INTO meta VALUES ('params', ?)", (json.dumps(asdict(self.params)),))
        assert self._db is not None
        rows = self._db.execute("SELECT name, first_id FROM segments ORDER BY first_id").fetchall()
        self.segments = [DiskSegment(path / name, first) for name, first in rows]
        nxt = sum(s.n for s in self.segments)
        if self._mem.n:  # an in-memory index saved for the first time keeps its pages
            return
        self._mem = MemSegment(nxt, self.params.bottom_k, self.params.num_perm)

    def save(self, path: str | Path | None = None) -> None:
        """Write pages added since the last save as a new segment (creates the index if needed)."""
        if path is not None and self.path is None:
            p = Path(path)
            if (p / "pages.sqlite").exists():
                raise InputError(f"{p} already holds an index; open it with mode='a' to add")
            p.mkdir(parents=True, exist_ok=True)
            self._attach(p, "a", create=True)
        if self.path is None or self._db is None:
            raise InputError("an in-memory index needs a path to save to")
        if self.mode != "a":
            raise InputError("index opened read-only")
        if self._mem.n == 0:
            return
        first = self._mem.first_id
        name = f"seg-{first:010d}"
        _remove_orphan(self.path / name)  # left by a batch that failed before its commit
        DiskSegment.write(self.path / name, self._mem.arrays())
        try:
            with self._db:
                self._db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self._pending)
                self._db.execute("INSERT INTO segments VALUES (?, ?, ?)", (name, first, self._mem.n))
        except (sqlite3.Error, UnicodeError, ValueError) as exc:
            # Rolled back: the segment is not in the index, so its directory must go too (an
            # orphan made every later add fail on the same name).
            _remove_orphan(self.path / name)
            raise InputError(f"cannot save the index batch: {exc.__class__.__name__}: {exc}"[:300]) from None
        self.segments.append(DiskSegment(self.path / name, first))
        self._pending, self._mem_pages = [], {}
        self._mem = MemSegment(first + self._mem.n, self.params.bottom_k, self.params.num_perm)

    def compact(self) -> None:
        """Merge every saved segment into one (fewer binary searches per query).

        Streams the segments through memory-mapped files: memory stays bounded (tens of MB)
        at any index size; the disk needs room for a second copy while it runs.
        """
        self.save()
        if self.path is None or self._db is None or len(self.segments) < 2:
            return
        name = f"seg-{0:010d}-c{int(time.time())}"
        n = merge_segments(self.segments, self.path / name)
        old = [s.path for s in self.segments]
        with self._db:
            self._db.execute("DELETE FROM segments")
            self._db.execute("INSERT INTO segments VALUES (?, 0, ?)", (name, n))
        self.segments = [DiskSegment(self.path / name, 0)]
        for p in old:  # open readers keep their mappings; the files go when they close
            for f in p.iterdir():
                f.unlink()
            p.rmdir()

    def close(self) -> None:
        if self.mode == "a" and self.path is not None:
            self.save()
        if self._db is not None:
            self._db.close()
            self._db = None
        lock = getattr(self, "_lock", None)
        if lock is not None:
            lock.close()
            self._lock = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __len__(self) -> int:
        return sum(s.n for s in self.segments) + self._mem.n

    def __getstate__(self) -> dict[str, Any]:
        if self.path is None or self._mem.n:
            raise TypeError("only a saved index opened read-only can be pickled (it reopens by path)")
        return {"path": str(self.path)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(Index.open(state["path"]).__dict__)

    # ---- adding -----------------------------------------------------------------------
    def add(
        self,
        source: Any,
        *,
        url: str | None = None,
        id: str | None = None,  # noqa: A002 - the page's identity, as in every match
        first_seen: float | None = None,
        farm_probability: float | None = None,
    ) -> int:
        """Add one page; returns its index number. On disk, call :meth:`save` (or close) to persist.

        ``source`` is anything :func:`detector.score` accepts: ``bytes``, a ``str`` of HTML /
        WordPress JSON / text, a URL, a :class:`pathlib.Path`, a WordPress post (``dict``) or a
        :class:`~features.page.Page`. ``id`` names the page in matches when it has no URL
        (default: the input as given, e.g. the path; for content without a name,
        ``sha256:<digest>``). ``farm_probability`` (a verdict's probability) is stored as
        farm evidence when >= 0.5. A source holding several pages (a WordPress list, a WARC
        file) is refused here: use :meth:`add_many`.
        """
        docs = self._documents(source, url)
        if len(docs) != 1:
            raise InputError(f"source holds {len(docs)} pages; use add_many() for several")
        return self.add_page(docs[0][1], id=id or docs[0][0], first_seen=first_seen, farm_probability=farm_probability)

    def add_many(self, sources: Iterable[Any]) -> int:
        """Add every page of every source (a WordPress list or a WARC file adds each page); returns pages added."""
        n = 0
        for src in sources:
            for name, page in self._documents(src, None):
                self.add_page(page, id=name)
                n += 1
        return n

    def _documents(self, source: Any, url: str | None) -> list[tuple[str, Page]]:
        """(input name, page) of each page of a source; a page that cannot be loaded raises."""
        if isinstance(source, Page):
            return [(url or source.url or "", source)]
        from detector.options import DEFAULT_OPTIONS
        from detector.sources.load import load

        options = self.options or DEFAULT_OPTIONS
        out = []
        for doc in load(source, url=url, options=options):
            if doc.error is not None:
                raise doc.error
            assert doc.page is not None
            out.append((doc.input, doc.page))
        return out

    def add_page(
        self,
        page: Page,
        *,
        id: str = "",  # noqa: A002
        first_seen: float | None = None,
        farm_probability: float | None = None,
        features: Features | None = None,
    ) -> int:
        """Add a parsed page under identity ``id`` (its URL wins when it has one); returns its number.

        ``features``: the page's features when the caller already computed them (the farm
        evidence is read from them instead of running the ``ads``/``hashtags``/``template``
        extractors again).
        """
        if self.mode != "a":
            raise InputError("index opened read-only; open it with mode='a' to add")
        s, _n = sketch_page(page, self.params)
        url, site = page_identity(page)
        ident = identity(page, id)
        f = facts(page, _farm_of(page, features, farm_probability))
        f.site = site
        return self.add_sketch(s, url, site, f.to_json(), first_seen, ident=ident, digest=page_digest(page))

    def add_sketch(
        self, s: Sketch, url: str, site: str, facts_json: str, first_seen: float | None = None, *, ident: str = "", digest: str = ""
    ) -> int:
        """Add a page already sketched (:func:`sketch_page`; :func:`detector.index.provenance.facts` as
        JSON), e.g. by worker processes featurising in parallel; returns its number."""
        gid = self._mem.add(s, _site_hash(site))
        ident = ident or url
        self._mem_pages[gid] = (url, site, facts_json, ident, digest)
        self._pending.append((gid, url, site, facts_json, s.nsh, first_seen or time.time(), ident, digest))
        if self.path is not None and self._mem.n >= self.flush_every:
            self.save()
        return gid

    # ---- querying ---------------------------------------------------------------------
    def _segment_of(self, gid: int) -> Any:
        for s in (*self.segments, self._mem):
            if s.first_id <= gid < s.first_id + s.n:
                return s
        raise KeyError(gid)

    def _page_rows(self, gids: list[int]) -> dict[int, tuple[str, str, str, str, str]]:
        """gid -> (url, site, facts json, identity, digest)."""
        out = {g: self._mem_pages[g] for g in gids if g in self._mem_pages}
        rest = [g for g in gids if g not in out]
        if rest and self._db is not None:
            q = f"SELECT id, url, site, facts, ident, digest FROM pages WHERE id IN ({','.join('?' * len(rest))})"
            for gid, url, site, fj, ident, dg in self._db.execute(q, rest):
                out[gid] = (url, site, fj, ident or url, dg or "")
        return out

    def _candidates(self, keys: np.ndarray, template: bool) -> tuple[np.ndarray, np.ndarray]:
        parts = [s.lookup(keys, template, BUCKET_CAP) for s in (*self.segments, self._mem) if s.n]
        ids = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        if len(ids) == 0:
            return ids, ids
        return np.unique(ids, return_counts=True)

    def query(
        self,
        page: Page,
        *,
        id: str = "",  # noqa: A002 - the page's identity (its input name when it has no URL)
        features: Features | None = None,
        farm_probability: float | None = None,
    ) -> IndexResult:
        """Copies of ``page``'s text held by the index (other sites), and its template's reach.

        A held page with the same identity (``id``, or the page's URL) or the same bytes is
        the page itself and never a match. ``features`` / ``farm_probability``: what the
        caller already knows about the page (see :meth:`add_page`).
        """
        s, n_words = sketch_page(page, self.params)
        url, site = page_identity(page)
        f = facts(page, _farm_of(page, features, farm_probability))
        f.site = site
        try:
            return self.query_sketch(s, url, site, f, n_words, ident=identity(page, id), digest=page_digest(page))
        except (sqlite3.Error, OSError, ValueError, IndexError, KeyError) as exc:
            # Pages or segments damaged after the index was opened (a truncated file).
            raise InputError(f"index {self.path} is damaged: {exc.__class__.__name__}: {exc}"[:300]) from None

    def query_sketch(
        self, s: Sketch, url: str, site: str, this: Facts, n_words: int, *, ident: str = "", digest: str = ""
    ) -> IndexResult:
        res = IndexResult()
        f = res.features
        own = _site_hash(site)
        ident_is_url = _is_url(ident)
        matches = self._text_matches(s, own, n_words) if n_words >= MIN_WORDS else []
        rows = self._page_rows([g for g, *_ in matches])
        by_site: dict[str, dict[str, Any]] = {}
        for gid, c_this, c_other, jac in matches:
            m_url, m_site, fj, m_id, m_digest = rows.get(gid, ("", "", "", "", ""))
            if (url and m_url == url) or (site and m_site == site):
                continue
            if (ident and m_id == ident) or (digest and m_digest == digest and not (ident_is_url and _is_url(m_id))):
                # The page itself: same identity, or the same bytes under another name (a file
                # indexed by path, scored by URL). Same bytes at two URLs is a byte-for-byte mirror.
                continue
            d = decide(this, Facts.from_json(fj), this_share=c_this, other_share=c_other,
                       reliable=self.reliable, farms=self.farms)
            sim = round(max(c_this, c_other), 3)
            entry = {"id": m_id or m_url, "url": m_url, "site": m_site, "similarity": sim,
                     "original_likely": d.other_original, "direction": d.direction, "why": d.why,
                     "credited": d.credited, "this_original_likely": d.this_original,
                     "containment": round(c_this, 3), "jaccard": round(jac, 3), "evidence": d.seen,
                     "_score": d.score, "_facts": fj}
            key = m_site or entry["id"]
            if key not in by_site or sim > by_site[key]["similarity"]:
                by_site[key] = entry
        self._one_original(by_site)
        copies = sorted(by_site.values(), key=lambda e: (-e["original_likely"], -e["similarity"], e["id"]))
        for e in copies:
            e.pop("_score", None)
            e.pop("_facts", None)
        res.copy_of = copies[:MAX_COPIES]
        originals = [e for e in copies if e["original_likely"]]
        uncredited = [e for e in originals if not e["credited"]]
        f.set("index.copy_found", float(bool(copies)), *(f"{e['site'] or e['id']} ({e['similarity']:.2f})" for e in copies[:5]))
        f.set("index.copy_similarity", max((e["similarity"] for e in copies), default=0.0))
        f.set("index.copy_sites", float(len(copies)))
        f.set("index.copy_sites_sat", min(len(copies) / 5, 1.0))
        f.set("index.copied_from_elsewhere_likely", float(bool(uncredited)),
              *(f"{e['id']}: {e['why']}" for e in uncredited[:3]))
        credited = [e for e in copies if e["credited"]]
        f.set("index.copy_credited", float(bool(credited)), *(f"{e['site'] or e['id']}: {e['why']}" for e in credited[:3]))
        firsts = [e for e in copies if e["this_original_likely"]]
        f.set("index.original_of_copies", float(bool(firsts)), *(e["id"] for e in firsts[:3]))
        n_t, ev = self._template_sites(s, own)
        res.template_sites = n_t
        f.set("index.template_sites", float(n_t), *ev)
        f.set("index.template_sites_sat", min(n_t / TEMPLATE_SAT, 1.0))
        return res

    def _one_original(self, by_site: dict[str, dict[str, Any]]) -> None:
        """Among matches that each look older than this page, keep the one that beats the others.

        Several copies of one article all look like originals next to an excerpt of it; the
        pairwise decisions between them (same evidence, same weights) pick one.
        """
        cands = [e for e in by_site.values() if e["original_likely"]]
        if len(cands) < 2:
            return
        info = [Facts.from_json(e["_facts"]) for e in cands]
        wins = [0.0] * len(cands)
        for i in range(len(cands)):
            for j in range(i + 1, len(cands)):
                # Dates, canonical, attribution, farm evidence and lists only: next to an
                # excerpt, a copy padded with other text and the original both hold it whole.
                d = decide(info[i], info[j], reliable=self.reliable, farms=self.farms)
                if d.other_original:
                    wins[j] += 1
                elif d.this_original:
                    wins[i] += 1
        b = max(range(len(cands)), key=lambda i: (wins[i], cands[i]["_score"], cands[i]["jaccard"]))
        best = cands[b]
        for e in cands:
            if e is not best:
                # ``direction`` stays the pair's own decision (this page is a copy of that
                # page too); only the one likelier original keeps ``original_likely``.
                e["original_likely"] = False
                e["why"] = f"another copy ({best['site'] or best['id']} is likelier the original): " + e["why"].split(": ", 1)[-1]

    def _text_matches(self, s: Sketch, own: int, n_words: int) -> list[tuple[int, float, float, float]]:
        ids, counts = self._candidates(s.text_keys, template=False)
        if len(ids) == 0:
            return []
        order = np.argsort(-counts, kind="stable")[: MAX_VERIFY * 3]
        out = []
        k = self.params.bottom_k
        for gid in ids[order].tolist():
            seg = self._segment_of(gid)
            bottom, nsh, site_h, _t, _i = seg.row(gid)
            if own and site_h == own:
                continue
            c_this, c_other, jac, inter = sk.overlap(s.bottom, s.nsh, bottom, nsh, k)
            shared = c_this * n_words  # words of this text found in the other
            c_max = max(c_this, c_other)
            high = c_max >= HIGH_CONTAINMENT
            need, support = (MIN_SHARED, MIN_SAMPLE_HIGH) if high else (MIN_SHARED_PARTIAL, MIN_SAMPLE)
            if c_max >= MIN_CONTAINMENT and shared >= need and inter >= support:
                out.append((gid, c_this, c_other, jac))
            if len(out) >= MAX_VERIFY:
                break
        return out

    def _template_sites(self, s: Sketch, own: int) -> tuple[int, list[str]]:
        if s.tsig is None:
            return 0, []
        ids, _counts = self._candidates(s.tmpl_keys, template=True)
        if len(ids) == 0:
            return 0, []
        sites: dict[int, int] = {}
        for seg in (*self.segments, self._mem):
            if not seg.n:
                continue
            sel = ids[(ids >= seg.first_id) & (ids < seg.first_id + seg.n)]
            if len(sel) == 0:
                continue
            sigs, has = seg.tsigs(sel)
            jac = (sigs == s.tsig[None, :]).mean(axis=1)
            ok = has & (jac >= TEMPLATE_JACCARD)
            for gid, h in zip(sel[ok].tolist(), seg.site_hashes(sel[ok]).tolist(), strict=True):
                if h != own and h:
                    sites.setdefault(h, gid)
        if not sites:
            return 0, []
        rows = self._page_rows(list(sites.values())[:5])
        ev = [f"{rows[g][1] or rows[g][3]}" for g in list(sites.values())[:5] if g in rows]
        return len(sites), ev

    # ---- reporting --------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """Pages, sites, segments, parameters and bytes on disk."""
        n_sites = None
        if self._db is not None:
            n_sites = self._db.execute("SELECT COUNT(DISTINCT site) FROM pages").fetchone()[0]
        size = sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file()) if self.path else 0
        return {
            "pages": len(self), "sites": n_sites, "segments": len(self.segments),
            "unsaved": self._mem.n, "bytes_on_disk": size, "params": asdict(self.params),
            "path": str(self.path) if self.path else None,
        }
