"""How often each spam-vocabulary category fires on the corpus's pages, by label and language.

A page "fires" a category when a term of it is where ``features.seo`` reads spam terms: the
title, the first ``<h1>``, the main text without menu rows (the whole text of thin pages), or a
link block (``seo.spam_link_share`` set). Read-only over ``../shared/corpus``; prints a table.

    python tools/vocab_rates.py [--corpus DIR] [--categories gambling-sea,mod-apk,...]
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

from detector.learn.labelled import load_labelled, load_page
from features import seo


def fired(page) -> set[str]:
    cats = seo.spam_terms()
    in_main = len(page.words) >= seo.MIN_MAIN_WORDS
    text = seo.without_menu_rows(page.main_text[: seo.MAX_TEXT]) if in_main else page.text[: seo.MAX_TEXT]
    terms = set(seo.find_spam_terms(text)) | set(seo.find_spam_terms(page.title[:300]))
    terms |= set(seo.find_spam_terms(seo._main_heading(page)))
    if seo.extract(page).values["seo.spam_link_share"] > 0:
        texts = [ln.text for ln in page.links[: seo.MAX_LINKS] if ln.text]
        for t in seo._spam_link_texts(texts):
            terms |= set(seo.find_spam_terms(t))
    return {cats[t] for t in terms}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--categories", default="gambling-sea,mod-apk,adult-cam,payday,gambling,adult,loans,pharma")
    args = ap.parse_args()
    want = args.categories.split(",")
    n: Counter[tuple[str, str]] = Counter()
    hits: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for ex in load_labelled(args.corpus, sources=("corpus",)):
        try:
            page = load_page(ex)
        except Exception:  # noqa: BLE001 - a page that does not parse is not counted
            continue
        key = (ex.label, ex.language or "?")
        n[key] += 1
        n[(ex.label, "ALL")] += 1
        for c in fired(page):
            hits[key][c] += 1
            hits[(ex.label, "ALL")][c] += 1
    print("label\tlanguage\tpages\t" + "\t".join(want))
    for key in sorted(n, key=lambda k: (k[0], -n[k])):
        if n[key] < 10 and not any(hits[key][c] for c in want):
            continue
        cells = [f"{hits[key][c]} ({100 * hits[key][c] / n[key]:.1f}%)" for c in want]
        print(f"{key[0]}\t{key[1]}\t{n[key]}\t" + "\t".join(cells))


if __name__ == "__main__":
    main()
