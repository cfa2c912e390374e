"""Labelled-set loader: corpus rows joined with corrections, seeds and the team's examples."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from pathlib import Path

import pytest

from detector.errors import InputError
from detector.learn.labelled import DEFAULT_LABELLED, load_labelled, load_page, read_page_bytes

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "labelled"
HEADER = "id\tfile\tlabel\tkind\tconfidence\turl\tsite\tlanguage\tdataset\tsource\tsha256\tnotes\n"


def _corpus(tmp_path: Path) -> Path:
    """A two-page corpus (gzipped pages, labels.tsv) and a seeds folder beside it."""
    corpus = tmp_path / "corpus"
    (corpus / "pages").mkdir(parents=True)
    rows = []
    for n, name in enumerate(("original-en.html", "original-de.html")):
        pid = f"fx__{n}"
        (corpus / "pages" / f"{pid}.html.gz").write_bytes(gzip.compress((FIX / name).read_bytes()))
        url = f"https://www.site{n}.example.org/a/{n}"
        rows.append(f"{pid}\tpages/{pid}.html.gz\toriginal\tnews-article\tpresumed\t{url}\t"
                    f"site{n}.example.org\t{'en' if n == 0 else 'de'}\tfixture\tfixture\t-\t\n")
    (corpus / "labels.tsv").write_text(HEADER + "".join(rows), encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "s1.txt").write_text("A title (2026)\n\nSome spun text.\n", encoding="utf-8")
    (seeds / "labels.tsv").write_text("file\tlabel\tkind\tformat\twhat it shows\ns1.txt\tfarm\tspun-fake-bio\ttext\tx\n",
                                      encoding="utf-8")
    return corpus


def _labelled(tmp_path: Path, corrections: str) -> Path:
    lab = tmp_path / "labelled"
    lab.mkdir()
    (lab / "corrections.tsv").write_text("id\tnew_label\tnew_kind\treason\n" + corrections, encoding="utf-8")
    return lab


def test_corrections_are_joined(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    lab = _labelled(tmp_path, "fx__1\tfarm\tscraped-mirror\tuncredited copy of another paper's story\n")
    by_id = {e.id: e for e in load_labelled(corpus, lab)}
    fixed = by_id["fx__1"]
    assert (fixed.label, fixed.kind, fixed.corrected, fixed.confidence) == ("farm", "scraped-mirror", True, "clear")
    assert fixed.notes.startswith("uncredited copy")
    assert by_id["fx__0"].label == "original" and not by_id["fx__0"].corrected
    assert Counter(e.source for e in by_id.values()) == {"corpus": 2, "seed": 1}


def test_credited_copy_kept_original_becomes_hard(tmp_path: Path) -> None:
    lab = _labelled(tmp_path, "fx__0\toriginal\twire-copy\tcredited AP dateline\n")
    fixed = next(e for e in load_labelled(_corpus(tmp_path), lab) if e.id == "fx__0")
    assert (fixed.label, fixed.kind, fixed.confidence) == ("original", "wire-copy", "hard")


@pytest.mark.parametrize("line, message", [
    ("fx__9\tfarm\t\tnot in corpus\n", "not in the corpus"),
    ("fx__0\tspam\t\tbad label\n", "new_label"),
    ("fx__0\tfarm\t\t\n", "reason"),
    ("fx__0\tfarm\t\tone\nfx__0\tfarm\t\ttwo\n", "duplicate"),
])
def test_bad_corrections_are_refused(tmp_path: Path, line: str, message: str) -> None:
    corpus = _corpus(tmp_path)
    with pytest.raises(InputError, match=message):
        load_labelled(corpus, _labelled(tmp_path, line))


def test_missing_corpus_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="FARMSCAN_CORPUS"):
        load_labelled(tmp_path / "nowhere")
    monkeypatch.setenv("FARMSCAN_CORPUS", str(tmp_path / "also-nowhere"))
    with pytest.raises(InputError, match="also-nowhere"):
        load_labelled()


def test_env_selects_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FARMSCAN_CORPUS", str(_corpus(tmp_path)))
    ids = {e.id for e in load_labelled(labelled_dir=_labelled(tmp_path, ""))}
    assert {"fx__0", "fx__1", "seed__s1"} <= ids


def test_pages_are_read_and_parsed(tmp_path: Path) -> None:
    ex = next(e for e in load_labelled(_corpus(tmp_path), _labelled(tmp_path, "")) if e.id == "fx__0")
    assert read_page_bytes(ex) == (FIX / "original-en.html").read_bytes()
    page = load_page(ex)
    assert page.title.startswith("Volunteers restore") and page.url == ex.url


def test_repo_examples_load_and_parse(tmp_path: Path) -> None:
    examples = load_labelled(_corpus(tmp_path), DEFAULT_LABELLED, sources=["example"])
    assert Counter(e.label for e in examples)["farm"] >= 5
    assert Counter(e.label for e in examples)["original"] >= 4
    kinds = {e.kind for e in examples}
    assert {"scraped-mirror", "spun-fake-bio", "autoblog", "mfa-ads", "seo-spam", "wire-copy"} <= kinds
    for e in examples:
        assert e.source == "example" and e.site
        assert load_page(e).words, e.id


def test_repo_corrections_and_reviews_are_well_formed() -> None:
    for name, cols in (("corrections.tsv", ("id", "new_label", "new_kind", "reason")),
                       ("reviewed.tsv", ("id", "decision", "check", "reason"))):
        with (DEFAULT_LABELLED / name).open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        assert rows and all(all(r[c] for c in cols) for r in rows), name
        assert len({r["id"] for r in rows}) == len(rows), name


def test_shared_corpus_joins_the_repo_corrections(shared_dir: Path) -> None:
    examples = load_labelled(shared_dir / "corpus")
    sources = Counter(e.source for e in examples)
    assert sources["corpus"] > 2500 and sources["seed"] == 2 and sources["example"] >= 9
    corrected = [e for e in examples if e.corrected]
    with (DEFAULT_LABELLED / "corrections.tsv").open(encoding="utf-8") as fh:
        assert len(corrected) == sum(1 for _ in fh) - 1
    assert all(e.confidence == "hard" for e in corrected if e.kind == "wire-copy")
    assert all(e.path.is_file() for e in examples)
    reviewed_ids = {r.split("\t", 1)[0] for r in (DEFAULT_LABELLED / "reviewed.tsv").read_text().splitlines()[1:]}
    assert reviewed_ids <= {e.id for e in examples}
    seeds = [e for e in examples if e.source == "seed"]
    assert all(e.label == "farm" for e in seeds)
    assert any(load_page(e).kind == "wp-json" for e in seeds)


def test_operators_group_sites_of_one_owner(tmp_path):
    from detector.learn.labelled import REPO, load_operators, operator_of

    ops = load_operators(REPO / "labelled")
    network = {s for s, o in ops.items() if o == "github:34g4os"}
    assert len(network) == 7
    assert operator_of("angelnum.info", ops) == operator_of("yourbizminer.info", ops)
    assert operator_of("unlisted.example", ops) == "unlisted.example"
    (tmp_path / "operators.tsv").write_text("site\toperator\treason\na.example\tx\t\n")
    with pytest.raises(InputError):
        load_operators(tmp_path)
