"""The labelled data set: the shared corpus joined with the repo's corrections and examples.

Three sources, one list of :class:`Example`:

- ``corpus``: ``<corpus>/labels.tsv`` and ``<corpus>/pages/*.html.gz`` (real pages, read-only,
  never copied into the repo). ``<corpus>`` is an argument, else ``$FARMSCAN_CORPUS``, else
  ``../shared/corpus`` from the current directory, else the one beside a source checkout.
- ``seed``: ``<corpus>/../seeds/`` with its own ``labels.tsv`` (the founding farm pages).
- ``example``: ``labelled/examples/`` pages the team wrote itself, listed in its ``labels.tsv``.

``labelled/`` is an argument, else ``$FARMSCAN_LABELLED``, else ``./labelled`` in the current
directory, else the one of a source checkout (:func:`resolve_labelled_dir`). An installed package
(``pip install .``) holds neither, so from a fresh clone the commands run from the repo root.

``labelled/operators.tsv`` (``site``, ``operator``, ``reason``) names the sites that share one owner
(one repository owner, one network): every split keeps an operator's sites together
(:func:`operator_of`); a site not listed is its own operator.

``labelled/corrections.tsv`` (``id``, ``new_label``, ``new_kind``, ``reason``, optional
``new_confidence``) overrides corpus labels; a corrected row keeps its reason in ``notes`` and
``corrected=True``.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from detector.errors import InputError
from detector.sources.decode import GZIP_MAGIC, gunzip
from features.domains import registrable_domain
from features.page import Page

REPO = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_LABELLED = REPO / "labelled"
LABELS = ("farm", "original")
SOURCES = ("corpus", "seed", "example")
HARD_KINDS = ("wire-copy", "syndicated-licensed")
CONFIDENCES = ("", "clear", "borderline", "hard")
MAX_PAGE_BYTES = 64 * 1024 * 1024
_CORPUS_COLUMNS = ("id", "file", "label", "kind", "confidence", "url", "site", "language", "dataset")


@dataclass(frozen=True)
class Example:
    """One labelled page: where its bytes are and what it is."""

    id: str
    path: Path
    label: str  # "farm" | "original"
    kind: str
    confidence: str  # clear | borderline | hard | presumed
    site: str  # registrable domain: group splits on this
    language: str
    url: str
    dataset: str
    source: str  # "corpus" | "example" | "seed"
    notes: str = ""
    corrected: bool = False

    @property
    def is_farm(self) -> bool:
        return self.label == "farm"


@dataclass(frozen=True)
class Correction:
    id: str
    new_label: str
    new_kind: str
    reason: str
    new_confidence: str = ""  # "" = derived (see _corrected_confidence)


def resolve_corpus_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The corpus directory: ``path``, else ``$FARMSCAN_CORPUS``, else ``../shared/corpus`` from
    the current directory, else ``<checkout>/../shared/corpus`` (the first holding ``labels.tsv``).

    Raises :class:`InputError` naming every place looked at when none holds a corpus.
    """
    if path is not None:
        return Path(path)
    env = os.environ.get("FARMSCAN_CORPUS")
    if env:
        return Path(env)
    tried = [Path.cwd().parent / "shared" / "corpus", DEFAULT_CORPUS]
    for cand in tried:
        if (cand / "labels.tsv").is_file():
            return cand
    raise InputError(
        "labelled corpus not found (looked in " + ", ".join(str(t) for t in dict.fromkeys(tried))
        + "): pass --corpus DIR or set FARMSCAN_CORPUS to the folder holding labels.tsv and pages/"
    )


def resolve_labelled_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The ``labelled/`` directory: ``path``, else ``$FARMSCAN_LABELLED``, else ``./labelled`` in
    the current directory, else the source checkout's (when the package runs from one).

    Raises :class:`InputError` when the directory named or found does not exist.
    """
    explicit = path if path is not None else os.environ.get("FARMSCAN_LABELLED") or None
    if explicit is not None:
        lab = Path(explicit)
        if not lab.is_dir():
            raise InputError(f"labelled directory not found: {lab}")
        return lab
    tried = [Path.cwd() / "labelled", DEFAULT_LABELLED]
    for cand in tried:
        if (cand / "corrections.tsv").is_file() or (cand / "examples").is_dir():
            return cand
    raise InputError(
        "labelled/ directory not found (looked in " + ", ".join(str(t) for t in dict.fromkeys(tried))
        + "): run from the repository root, pass --labelled DIR or set FARMSCAN_LABELLED"
    )


def _read_tsv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return [
                {k: (v or "") for k, v in row.items() if k is not None}
                for row in csv.DictReader(fh, delimiter="\t")
            ]
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


def load_corrections(labelled_dir: Path) -> dict[str, Correction]:
    """``corrections.tsv`` by id; a bad label or duplicate id is an :class:`InputError`."""
    path = labelled_dir / "corrections.tsv"
    if not path.is_file():
        return {}
    out: dict[str, Correction] = {}
    for n, row in enumerate(_read_tsv(path), start=2):
        c = Correction(row.get("id", "").strip(), row.get("new_label", "").strip(),
                       row.get("new_kind", "").strip(), row.get("reason", "").strip(),
                       row.get("new_confidence", "").strip())
        if not c.id or c.new_label not in LABELS or not c.reason:
            raise InputError(f"{path}:{n}: needs id, new_label in {LABELS} and a reason")
        if c.new_confidence not in CONFIDENCES:
            raise InputError(f"{path}:{n}: new_confidence must be empty or one of {CONFIDENCES[1:]}")
        if c.id in out:
            raise InputError(f"{path}:{n}: duplicate correction for {c.id}")
        out[c.id] = c
    return out


def load_operators(labelled_dir: Path) -> dict[str, str]:
    """``operators.tsv``: site -> operator; a row without a reason or a site listed twice is an
    :class:`InputError`."""
    path = labelled_dir / "operators.tsv"
    if not path.is_file():
        return {}
    out: dict[str, str] = {}
    for n, row in enumerate(_read_tsv(path), start=2):
        site, op, reason = (row.get(k, "").strip() for k in ("site", "operator", "reason"))
        if not site or not op or not reason:
            raise InputError(f"{path}:{n}: needs site, operator and a reason")
        if site in out:
            raise InputError(f"{path}:{n}: site {site} listed twice")
        out[site] = op
    return out


def operator_of(site: str, operators: dict[str, str]) -> str:
    """The group a split keeps together: the site's operator, else the site itself."""
    return operators.get(site, site)


def load_corpus(corpus: Path, corrections: dict[str, Correction] | None = None) -> list[Example]:
    """Rows of ``<corpus>/labels.tsv`` with corrections applied."""
    labels = corpus / "labels.tsv"
    if not labels.is_file():
        raise InputError(
            f"labelled corpus not found: {labels} is missing "
            "(pass corpus_dir or set FARMSCAN_CORPUS to the folder holding labels.tsv and pages/)"
        )
    rows = _read_tsv(labels)
    if rows and (missing := [c for c in _CORPUS_COLUMNS if c not in rows[0]]):
        raise InputError(f"{labels}: missing columns {', '.join(missing)}")
    corrections = corrections or {}
    out = []
    for row in rows:
        ex = Example(
            id=row["id"], path=corpus / row["file"], label=row["label"], kind=row["kind"],
            confidence=row["confidence"], site=row["site"] or registrable_domain(row["url"]),
            language=row["language"], url=row["url"], dataset=row["dataset"], source="corpus",
            notes=row.get("notes", ""),
        )
        c = corrections.get(ex.id)
        if c is not None:
            ex = _corrected(ex, c)
        out.append(ex)
    unknown = set(corrections) - {e.id for e in out}
    if unknown:
        raise InputError(f"corrections for ids not in the corpus: {', '.join(sorted(unknown))}")
    return out


def _corrected(ex: Example, c: Correction) -> Example:
    return replace(
        ex, label=c.new_label, kind=c.new_kind or ex.kind, notes=c.reason, corrected=True,
        # Corrections are made only after reading the page: they are no longer "presumed".
        # A credited copy kept as original is "hard" (an original that looks like a copy).
        confidence=_corrected_confidence(ex.confidence, c),
    )


def _corrected_confidence(old: str, c: Correction) -> str:
    if c.new_confidence:
        return c.new_confidence
    if c.new_label == "original" and c.new_kind in HARD_KINDS:
        return "hard"
    return "clear" if old == "presumed" else old


def load_seeds(seeds: Path) -> list[Example]:
    """The founding pages in ``seeds/`` (``file, label, kind, format, ...``); none if absent."""
    labels = seeds / "labels.tsv"
    if not labels.is_file():
        return []
    out = []
    for row in _read_tsv(labels):
        path = seeds / row["file"]
        url = _seed_url(path)
        out.append(Example(
            id=f"seed__{Path(row['file']).stem}", path=path, label=row["label"], kind=row["kind"],
            confidence="clear", site=registrable_domain(url) if url else f"seed:{row['file']}",
            language="en", url=url, dataset="seeds", source="seed",
            notes=row.get("what it shows", ""),
        ))
    return out


def _seed_url(path: Path) -> str:
    """The post's own ``link`` for a WordPress REST seed; '' for text seeds."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    link = obj.get("link") if isinstance(obj, dict) else None
    return link if isinstance(link, str) else ""


def load_examples(labelled_dir: Path) -> list[Example]:
    """The team's own example pages (``examples/labels.tsv``: file, label, kind, language, url, notes)."""
    ex_dir = labelled_dir / "examples"
    labels = ex_dir / "labels.tsv"
    if not labels.is_file():
        return []
    out = []
    for n, row in enumerate(_read_tsv(labels), start=2):
        path = ex_dir / row["file"]
        if row.get("label") not in LABELS or not path.is_file():
            raise InputError(f"{labels}:{n}: bad label or missing file {row.get('file')!r}")
        url = row.get("url", "")
        out.append(Example(
            id=f"example__{Path(row['file']).with_suffix('').as_posix().replace('/', '__')}",
            path=path, label=row["label"], kind=row["kind"], confidence="clear",
            site=registrable_domain(url) if url else f"example:{row['file']}",
            language=row.get("language", ""), url=url, dataset="examples", source="example",
            notes=row.get("notes", ""),
        ))
    return out


def load_labelled(
    corpus_dir: str | os.PathLike[str] | None = None,
    labelled_dir: str | os.PathLike[str] | None = None,
    *,
    sources: Iterable[str] = SOURCES,
) -> list[Example]:
    """Every labelled page: corpus (corrected), seeds and the team's examples.

    Raises :class:`InputError` when the corpus or the ``labelled/`` directory is missing (see
    :func:`resolve_corpus_dir`, :func:`resolve_labelled_dir`).
    """
    corpus = resolve_corpus_dir(corpus_dir) if {"corpus", "seed"} & set(sources) else Path()
    lab = resolve_labelled_dir(labelled_dir)
    wanted = set(sources)
    if unknown := wanted - set(SOURCES):
        raise InputError(f"unknown sources {sorted(unknown)} (expected {SOURCES})")
    out: list[Example] = []
    if "corpus" in wanted:
        out += load_corpus(corpus, load_corrections(lab))
    if "seed" in wanted:
        out += load_seeds(corpus.parent / "seeds")
    if "example" in wanted:
        out += load_examples(lab)
    return out


def read_page_bytes(example: Example, max_bytes: int = MAX_PAGE_BYTES) -> bytes:
    """The page's original bytes (gunzipped when stored compressed)."""
    try:
        data = example.path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {example.path}: {exc.strerror or exc}") from None
    if data[:2] == GZIP_MAGIC:
        data, _ = gunzip(data, max_bytes)
    return data


def load_page(example: Example) -> Page:
    """The example parsed as a :class:`Page` (first page of its file), with its URL."""
    from detector.sources.load import pages_from_bytes

    for doc in pages_from_bytes(read_page_bytes(example), url=example.url or None, name=example.id):
        if doc.page is not None:
            return doc.page
    raise InputError(f"{example.id}: no page in {example.path}")
