"""Does the index name the page a copy was copied from, never itself, and get the direction right?

Copies of real originals from ``../shared/corpus`` are made with the independent wrapper of
``benchmarks/copy_wrapper.py`` (not the project's simulator), saved as files without URLs in
a temporary directory, and indexed together with every corpus page (corpus pages as files,
with their labelled URL when there is one, as a crawl would index them). Then:

- every copy is scored with ``score(Path, index=idx)``, as a user scores a saved file;
  *named*: its original is in ``copy_of`` under the original's identity (URL, else path);
  *wrong*: ``copy_of`` entries that are neither the original, another copy of it, nor a page
  the original itself matches (a real same-text partner in the corpus);
  *self*: an entry that is the copy itself;
  *direction*: for copies carrying farm evidence (``detector.index.farm_signs`` on the copy's own
  features), the original's entry says the copy is the copy (``direction == "copy"``);
- every corpus page is queried from its file without a URL (identity = path, the case where
  only the bytes tell it is the indexed page): *self-matches on indexed pages*.

Usage: ``python benchmarks/copy_naming.py [--originals 300] [--seed 11] [--shared ../shared]``
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from copy_wrapper import TRANSFORMS, make_copy  # noqa: E402

from detector import score  # noqa: E402
from detector.index import Index  # noqa: E402
from detector.index.farm_signs import signs_of_page  # noqa: E402
from detector.index.provenance import own_publication_date  # noqa: E402
from detector.sources.load import load  # noqa: E402
from features.page import Page  # noqa: E402


def paragraphs(page: Page) -> list[str]:
    return [" ".join(p.split()) for p in page.main_text.split("\n") if len(p.split()) >= 6]


def first_page(path: Path, url: str | None) -> Page | None:
    try:
        for doc in load(path, url=url):
            return doc.page
    except Exception:  # noqa: BLE001 - an unreadable corpus file is skipped
        return None
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--originals", type=int, default=300)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--dump", help="write one JSON line per copy (transform, file, original, copy_of ids, farm evidence, the original's entry)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    corpus_dir = Path(args.shared) / "corpus"
    rows = list(csv.DictReader(open(corpus_dir / "labels.tsv", encoding="utf-8"), delimiter="\t"))
    t0 = time.time()
    corpus: list[tuple[dict[str, str], str, Page]] = []  # (row, identity, page)
    for r in rows:
        path = str(corpus_dir / r["file"])
        page = first_page(Path(path), r["url"] or None)
        if page is not None:
            corpus.append((r, r["url"] or path, page))
    print(f"corpus: {len(corpus)} pages loaded in {time.time() - t0:.0f} s")
    eligible = [(r, ident, p) for r, ident, p in corpus
                if r["label"] == "original" and len(p.words) >= 120 and len(paragraphs(p)) >= 5]
    sample = rng.sample(eligible, min(args.originals, len(eligible)))
    tmp = Path(tempfile.mkdtemp(prefix="farmscan-copies-"))
    copies: list[tuple[str, str, Path]] = []  # (transform, original identity, file)
    for r, ident, p in sample:
        d = own_publication_date(p)
        for kind in TRANSFORMS:
            data = make_copy(kind, p.title or paragraphs(p)[0][:60], paragraphs(p), rng,
                             language=r.get("language") or "en", original_date=d[0] if d else None)
            f = tmp / f"copy-{len(copies):05d}-{kind}.html"
            f.write_bytes(data)
            copies.append((kind, ident, f))
    idx = Index()
    items: list[tuple[str, object]] = [("corpus", (ident, p)) for _, ident, p in corpus] + [("copy", f) for _, _, f in copies]
    rng.shuffle(items)
    t1 = time.time()
    for what, item in items:
        if what == "corpus":
            ident, p = item  # type: ignore[misc]
            idx.add_page(p, id=ident)
        else:
            idx.add(item)  # a file without a URL: its identity is the path as given
    print(f"index: {len(idx)} pages ({len(copies)} copies in {tmp}) in {time.time() - t1:.0f} s")
    # Corpus pages queried from their files without a URL: self-matches and real same-text partners.
    t2 = time.time()
    partners: dict[str, set[str]] = defaultdict(set)
    self_corpus = same_url = 0
    url_count = Counter(r["url"] for r, _, _ in corpus if r["url"])
    for r, ident, _p in corpus:
        path = str(corpus_dir / r["file"])
        page = first_page(Path(path), None)
        if page is None:
            continue
        res = idx.query(page, id=path)
        ids = [m["id"] for m in res.copy_of]
        # Two corpus files of one URL (two snapshots) share an identity: not the page itself.
        shared_url = url_count[r["url"]] > 1 if r["url"] else False
        self_corpus += sum(i in (ident, path) for i in ids if not shared_url)
        same_url += sum(i == ident for i in ids if shared_url)
        partners[ident].update(ids)
    print(f"corpus pages queried from their files (no URL): {len(corpus)}, self-matches: {self_corpus}, "
          f"matches to another snapshot of the same URL: {same_url} ({time.time() - t2:.0f} s)")
    family: dict[str, set[str]] = defaultdict(set)
    for _kind, orig, f in copies:
        family[orig].add(str(f))
    stats: dict[str, Counter] = defaultdict(Counter)
    whys: Counter = Counter()
    t3 = time.time()
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None  # noqa: SIM115
    for kind, orig, f in copies:
        s = stats[kind]
        s["copies"] += 1
        v = score(f, index=idx)
        ids = [m["id"] for m in v.copy_of]
        s["named"] += orig in ids
        s["first"] += bool(ids) and ids[0] == orig
        s["self"] += ids.count(str(f))
        ok = {orig, *family[orig], *partners[orig]}
        s["wrong"] += sum(i not in ok and i != str(f) for i in ids)
        page = first_page(f, None)
        signs = signs_of_page(page) if page is not None else []
        farm = bool(signs)
        s["farm"] += farm
        entry = next((m for m in v.copy_of if m["id"] == orig), None)
        if dump is not None:
            dump.write(json.dumps({"transform": kind, "file": str(f), "original": orig, "copy_of": ids, "farm": signs,
                                   "entry": entry, "probability": v.probability}) + "\n")
        if farm and entry is not None:
            s["right"] += entry["direction"] == "copy"
            s["undecided"] += entry["direction"] == "undecided"
            s["reversed"] += entry["direction"] == "original"
            if entry["direction"] != "copy":
                whys[(kind, entry["why"].split(" [", 1)[0][:140])] += 1
        elif farm:
            s["unnamed_farm"] += 1
    print(f"copies scored in {time.time() - t3:.0f} s")
    print("\nnamed: the original in copy_of under its identity (URL, else path); first: it is the top entry;")
    print("wrong: entries that are not the original, a sibling copy or a real same-text partner of it; self: the copy itself;")
    print("direction right/undecided/reversed: over copies carrying farm evidence whose original was named\n")
    head = f"{'transform':<14} {'copies':>6} {'named':>7} {'first':>7} {'wrong':>5} {'self':>4} {'farm ev.':>8} {'dir. right':>10} {'undecided':>9} {'reversed':>8}"
    print(head)
    total: Counter = Counter()
    for kind in (*TRANSFORMS, "all"):
        s = total if kind == "all" else stats[kind]
        if kind != "all":
            total.update(s)
        n, farm_named = s["copies"], s["farm"] - s["unnamed_farm"]
        print(f"{kind:<14} {n:>6} {s['named'] / n:>7.1%} {s['first'] / n:>7.1%} {s['wrong']:>5} {s['self']:>4} "
              f"{s['farm']:>8} {s['right'] / max(s['farm'], 1):>10.1%} {s['undecided'] / max(farm_named, 1):>9.1%} {s['reversed'] / max(farm_named, 1):>8.1%}")
    print(f"\nself-matches on indexed corpus pages: {self_corpus}; on indexed copies: {total['self']}")
    if whys:
        print("\ncopies with farm evidence not called the copy (transform, why):")
        for (kind, why), c in whys.most_common(30):
            print(f"  {c:>3}  {kind}: {why}")


if __name__ == "__main__":
    main()
