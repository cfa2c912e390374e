"""How many real pages the abstain rules (``detector.abstain``) would refuse to judge.

Reads ``../shared`` (or ``FARMSCAN_SHARED``): every corpus page, the seeds and the bundled
examples; prints how many abstain and why, by label. Not a timing benchmark: a measurement
that the rules leave real pages alone.

    python benchmarks/abstain_corpus.py
"""

from __future__ import annotations

import csv
import gzip
import os
import sys
from collections import Counter
from pathlib import Path

from detector.abstain import not_a_page
from detector.options import Options
from detector.sources.load import load

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    shared = Path(os.environ.get("FARMSCAN_SHARED", ROOT.parent / "shared"))
    corpus = shared / "corpus"
    if not (corpus / "labels.tsv").exists():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    options = Options()
    counts: Counter[str] = Counter()
    abstained: Counter[tuple[str, str]] = Counter()
    examples: list[str] = []
    items: list[tuple[str, str, Path]] = []
    with open(corpus / "labels.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            items.append((row["id"], row["label"], corpus / row["file"]))
    items += [(p.name, "seed", p) for p in sorted((shared / "seeds").glob("*.txt"))]
    items += [(p.name, "example", p) for p in sorted((ROOT / "examples").iterdir())]
    for pid, label, path in items:
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        for doc in load(data, options=options):
            if doc.page is None:
                continue
            counts[label] += 1
            why = not_a_page(doc.page)
            if why:
                abstained[(label, why.split(":")[1].split("(")[0].strip())] += 1
                examples.append(f"{label}\t{pid}\t{why}")
    total = sum(counts.values())
    print(f"pages: {total} ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))})")
    print(f"abstained: {sum(abstained.values())} of {total}")
    for (label, why), n in sorted(abstained.items()):
        print(f"  {label:<8} {n:>4}  {why}")
    for line in examples[:40]:
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
