"""Copy recall and precision of the index on simulated copies of real corpus originals.

Reads ``../shared/corpus``; for a fixed-seed sample of originals (>= 120 main-text words) it
writes copies with four transforms, each on its own invented site:

- ``wrapped``: the article inside an ad-heavy page (nav, ad slots, sidebar, footer);
- ``truncated``: the first 25-60% of the paragraphs (an excerpt);
- ``shuffled``: paragraphs in random order;
- ``spun``: ~15% of the longer words replaced by other corpus words.

Copies and every corpus page are mixed (in random order) into one in-memory index; each copy
is then queried. A copy counts as *found* when its original is in ``copy_of``; a reported
match is *correct* when it is the original or another copy of the same original. The
original is *named* when it is reported with ``original_likely``. Corpus pages are queried
too: matches between two real corpus pages on different sites are listed (real same-text
pairs, e.g. wire stories).

Usage: ``python benchmarks/copy_recall.py [--originals 300] [--seed 7] [--shared ../shared]``
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from detector.index import Index  # noqa: E402
from detector.sources.load import pages_from_bytes  # noqa: E402
from features.page import Page, parse_html  # noqa: E402

TRANSFORMS = ("wrapped", "truncated", "shuffled", "spun")


def load_corpus(shared: Path) -> list[tuple[dict[str, str], Page]]:
    rows = list(csv.DictReader(open(shared / "corpus" / "labels.tsv", encoding="utf-8"), delimiter="\t"))
    out = []
    for r in rows:
        data = gzip.decompress((shared / "corpus" / r["file"]).read_bytes())
        # Pages saved without a URL get one on their labelled site, so matches name them.
        r["url"] = r["url"] or f"https://{r['site']}/corpus-page/{r['id']}"
        for doc in pages_from_bytes(data, url=r["url"], name=r["id"]):
            if doc.page is not None:
                out.append((r, doc.page))
            break
    return out


def paragraphs(page: Page) -> list[str]:
    return [p.strip() for p in page.main_text.split("\n") if len(p.split()) >= 3]


def _filler(rng: random.Random, vocab: list[str], n: int) -> str:
    return " ".join(rng.choice(vocab) for _ in range(n)).capitalize()


def copy_page(kind: str, orig: Page, paras: list[str], rng: random.Random, vocab: list[str], n: int) -> Page:
    """A copy of ``orig``'s paragraphs made with transform ``kind``, on an invented site."""
    site = f"{rng.choice(['daily', 'top', 'best', 'news', 'viral', 'trend'])}{rng.choice(['buzz', 'hub', 'feed', 'post', 'wire'])}{n}.{rng.choice(['xyz', 'site', 'online', 'info', 'club'])}"
    url = f"https://{site}/{'-'.join(orig.title.lower().split()[:6]) or 'post'}-{n}"
    ps = list(paras)
    if kind == "truncated":
        ps = ps[: max(1, int(len(ps) * rng.uniform(0.25, 0.6)))]
    elif kind == "shuffled":
        rng.shuffle(ps)
    elif kind == "spun":
        ps = [" ".join(rng.choice(vocab) if len(w) > 3 and rng.random() < 0.15 else w for w in p.split()) for p in ps]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in ps)
    date = ""
    r = rng.random()
    if r < 0.3:
        date = f'<meta property="article:published_time" content="2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T08:00:00Z">'
    head = f"<head><title>{html.escape(orig.title)}</title>{date}</head>"
    if kind == "wrapped":
        nav = "".join(f'<li><a href="/c/{i}">{rng.choice(vocab)}</a></li>' for i in range(25))
        ads = "".join(
            f'<div class="ad-slot"><ins class="adsbygoogle" data-ad-slot="{i}"></ins>'
            f'<iframe src="https://ads.example-network.com/f?{i}"></iframe></div>' for i in range(6)
        )
        side = "".join(f'<li><a href="/p/{i}">{_filler(rng, vocab, 7)}</a></li>' for i in range(12))
        page = (
            f"<html>{head}<body><header><ul>{nav}</ul></header>{ads[:200]}<main><article><h1>{html.escape(orig.title)}</h1>"
            f"{ads}{body}{ads[:300]}</article></main><aside><h3>Trending</h3><ul>{side}</ul></aside>"
            f"<footer><p>{_filler(rng, vocab, 12)}</p></footer></body></html>"
        )
    else:
        page = f"<html>{head}<body><div class='site'><h1>{html.escape(orig.title)}</h1><div class='entry'>{body}</div></div></body></html>"
    return parse_html(page, url=url)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--originals", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    t0 = time.time()
    corpus = load_corpus(Path(args.shared))
    print(f"corpus: {len(corpus)} pages loaded in {time.time() - t0:.0f} s")
    vocab = sorted({w for _, p in corpus[:400] for w in p.words if w.isalpha() and len(w) > 3})
    eligible = [(r, p) for r, p in corpus if r["label"] == "original" and len(p.words) >= 120 and len(paragraphs(p)) >= 3]
    sample = rng.sample(eligible, min(args.originals, len(eligible)))
    copies: list[tuple[str, str, Page]] = []  # (transform, original url, page)
    for r, p in sample:
        paras = paragraphs(p)
        for kind in TRANSFORMS:
            copies.append((kind, r["url"], copy_page(kind, p, paras, rng, vocab, len(copies))))
    family = {c.url: o for _, o, c in copies}
    family.update({r["url"]: r["url"] for r, _ in sample})
    idx = Index()
    items: list[Page] = [p for _, p in corpus] + [c for _, _, c in copies]
    rng.shuffle(items)
    t1 = time.time()
    for p in items:
        idx.add(p)
    build = time.time() - t1
    print(f"index: {len(idx)} pages in {build:.1f} s ({len(idx) / build:.0f} pages/s incl. parsing main text)")
    # Real same-text pairs among corpus pages (other sites).
    corpus_urls = {r["url"]: r for r, _ in corpus}
    pairs = set()
    real_pairs: set[frozenset[str]] = set()
    tmpl: Counter = Counter()
    tmpl_examples: dict[int, str] = {}
    for r, p in corpus:
        res = idx.query(p)
        tmpl[min(res.template_sites, 10)] += 1
        if res.template_sites:
            tmpl_examples.setdefault(min(res.template_sites, 10), f"{r['id']}: {res.features.evidence.get('index.template_sites', [])[:3]}")
        for m in res.copy_of:
            if m["url"] in corpus_urls:
                pairs.add(tuple(sorted((r["id"], corpus_urls[m["url"]]["id"]))) + (m["similarity"],))
                real_pairs.add(frozenset((r["url"], m["url"])))
    stats: dict[str, Counter] = defaultdict(Counter)
    why_named: Counter = Counter()
    t2 = time.time()
    for kind, orig_url, c in copies:
        res = idx.query(c)
        s = stats[kind]
        s["copies"] += 1
        urls = [m["url"] for m in res.copy_of]
        s["found"] += orig_url in urls
        named = [m for m in res.copy_of if m["original_likely"]]
        s["named"] += bool(named)
        for m in res.copy_of:
            s["reported"] += 1
            s["correct"] += family.get(m["url"]) == orig_url or frozenset((m["url"], orig_url)) in real_pairs
        for m in named:
            s["named_right"] += m["url"] == orig_url
            if m["url"] == orig_url:
                why_named[m["why"].split(":", 1)[1].split(";")[0].strip()] += 1
        s["flagged_copy"] += res.features.values["index.copied_from_elsewhere_likely"] > 0
    qtime = (time.time() - t2) / max(len(copies), 1)
    total: Counter = Counter()
    print("found: original in copy_of; precision: reported matches that are the original, a sibling copy or a real same-text partner of the original;")
    print("named: some match marked original_likely; right: that match is the true original; flag: copied_from_elsewhere_likely")
    print(f"\n{'transform':<10} {'copies':>6} {'found':>7} {'precision':>9} {'named':>7} {'right':>7} {'flag':>7}")
    for kind in (*TRANSFORMS, "all"):
        s = total if kind == "all" else stats[kind]
        if kind != "all":
            total.update(s)
        print(
            f"{kind:<10} {s['copies']:>6} {s['found'] / s['copies']:>7.1%} {s['correct'] / max(s['reported'], 1):>9.2%} "
            f"{s['named'] / s['copies']:>7.1%} {s['named_right'] / max(s['named'], 1):>7.1%} {s['flagged_copy'] / s['copies']:>7.1%}"
        )
    print(f"\nquery: {qtime * 1000:.1f} ms/page (incl. sketching); evidence that named the original: {dict(why_named.most_common(6))}")
    # Originals queried: does the index wrongly call them copies of their own copies?
    flagged_why: Counter = Counter()
    for _r, p in sample:
        ev = idx.query(p).features.evidence.get("index.copied_from_elsewhere_likely", [])
        if ev:
            flagged_why[ev[0].split(": ", 1)[-1].split(" [", 1)[0][:120]] += 1
    print(f"originals of the sample flagged 'copied from elsewhere': {sum(flagged_why.values())}/{len(sample)}")
    for why, c in flagged_why.most_common(10):
        print(f"  {c:>3}  {why}")
    print(f"\nreal same-text pairs between corpus pages on different sites: {len(pairs)}")
    for a, b, sim in sorted(pairs, key=lambda t: -t[2])[:40]:
        print(f"  {sim:.2f}  {a}  {b}")
    print("\ncorpus pages by template_sites (other sites sharing the layout, 10 = 10+):")
    print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(tmpl.items())))
    for k, ex in sorted(tmpl_examples.items()):
        print(f"  e.g. {k}: {ex}")


if __name__ == "__main__":
    main()
