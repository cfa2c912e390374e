"""Site roll-up speed and memory: many page verdicts over many sites, against the page scorer.

Two measurements, each a ratio against ``score_page`` timed in the same process on real
corpus pages (``../shared/corpus``):

1. **Roll-up of verdicts** (``farmscan score --format jsonl | farmscan sites -``): ``--pages``
   JSONL verdict lines (default 1,000,000) over ``--sites`` sites (default 50,000), made up in
   chunks outside the timed region (URLs with slugs, probabilities, 0-6 real signal names
   with evidence), each parsed, turned into page facts and added to its site's aggregate;
   then every site judged. Peak RSS (``ru_maxrss``) and RSS growth are printed.
2. **Site facts of parsed pages** (``farmscan sites pages/``): the extra cost of reading the
   site facts (title, byline, layout, body signature, outbound links) from each already
   parsed page, as a share of scoring it.

    python benchmarks/sites_rollup.py [--pages 1000000] [--sites 50000] [--score-pages 300]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory import rss_mb, trimmed_rss_mb  # noqa: E402
from throughput import load_corpus  # noqa: E402

SIGNALS = ["ads.slots", "ads.networks", "hashtags.tags_from_title", "bio.byline_generic", "template.boilerplate",
           "text.padding_phrases", "copy.canonical_elsewhere", "seo.spam_terms", "mfa.paginated", "autoblog.faq_block",
           "url.digits_run", "text.visible_fraction"]
WORDS = ["best", "guide", "local", "news", "how", "to", "fix", "city", "review", "top", "cheap", "plumber", "2024",
         "storm", "council", "market", "team", "wins", "recipe", "health"]


def records(n: int, sites: int, seed: int, chunk: int = 10_000):
    """Chunks of JSONL verdict lines (generated outside the timed loop by the caller)."""
    rng = random.Random(seed)
    for start in range(0, n, chunk):
        lines = []
        for i in range(start, min(start + chunk, n)):
            s = rng.randrange(sites)
            p = rng.random() ** (3 if s % 10 else 0.3)  # a tenth of the sites lean farm
            slug = "-".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
            sigs = [{"name": name, "score": round(rng.random(), 4), "evidence": [f"{name} evidence {rng.randrange(99)}"]}
                    for name in rng.sample(SIGNALS, rng.randint(0, 6))]
            lines.append(json.dumps({
                "input": f"crawl-{s % 7}.warc.gz#<urn:uuid:{i:012d}>", "url": f"https://www.site{s}.example/{rng.choice(WORDS)}/{slug}",
                "label": "farm" if p >= 0.5 else "original", "probability": round(p, 4), "threshold": 0.5,
                "model": "m", "signals": sigs, "copy_of": [], "template_sites": None, "truncated": False, "error": None,
            }))
        yield lines


def page_rate(pages: list[tuple[str, str | None]], with_facts: bool) -> tuple[float, float]:
    """``(pages/s of scoring, pages/s of reading site facts)`` over ``pages``."""
    from detector.api import score_page
    from detector.model.load import load_model
    from detector.options import Options
    from detector.sites.facts import facts_from_verdict
    from features.page import parse_html

    model = load_model(None)
    opts = Options(explain=True)
    for html, url in pages[:5]:
        score_page(parse_html(html, url=url), model=model, options=opts)
    t_score = t_facts = 0.0
    for html, url in pages:
        page = parse_html(html, url=url)
        t0 = time.perf_counter()
        v = score_page(page, model=model, options=opts)
        t1 = time.perf_counter()
        if with_facts:
            facts_from_verdict(v, page)
        t_score += t1 - t0
        t_facts += time.perf_counter() - t1
    return len(pages) / t_score, (len(pages) / t_facts if t_facts else float("inf"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1_000_000)
    ap.add_argument("--sites", type=int, default=50_000)
    ap.add_argument("--score-pages", type=int, default=300, help="corpus pages timed through score_page")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from detector.sites import judge_all, load_site_model
    from detector.sites.aggregate import Rollup
    from detector.sites.facts import facts_from_record

    corpus = load_corpus(args.score_pages)
    score_rate, facts_rate = page_rate(corpus, with_facts=True)
    del corpus
    print(f"page scorer (score_page, explain): {score_rate:.1f} pages/s over {args.score_pages} corpus pages")
    print(f"site facts of parsed pages: {facts_rate:.1f} pages/s, adding {score_rate / facts_rate:.1%} to scoring")

    model = load_site_model()
    base = trimmed_rss_mb()
    rollup = Rollup()
    t = 0.0
    done = 0
    for lines in records(args.pages, args.sites, args.seed):
        t0 = time.perf_counter()
        for line in lines:
            rollup.add(facts_from_record(json.loads(line)))
        t += time.perf_counter() - t0
        done += len(lines)
        if done % 200_000 == 0:
            print(f"  {done} verdicts, {len(rollup)} sites, RSS {rss_mb():.0f} MB", flush=True)
    t0 = time.perf_counter()
    verdicts = judge_all(rollup, site_model=model, keep_pages=False)  # as `farmscan sites -` without --html
    t_judge = time.perf_counter() - t0
    rate = done / (t + t_judge)
    flagged = sum(v.label == "farm" for v in verdicts)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"roll-up: {done} verdicts over {len(rollup)} sites in {t:.1f} s + judging {t_judge:.1f} s: "
          f"{rate:.0f} pages/s; {flagged} sites flagged")
    print(f"memory: RSS {base:.0f} MB before, {rss_mb():.0f} MB after ({(rss_mb() - base) * 1e3 / len(rollup):.1f} kB a site); "
          f"peak RSS {peak:.0f} MB")
    print(f"ratio roll-up / page scorer: {rate / score_rate:.0f}x (target >= 1x)")
    return 0 if rate >= score_rate else 1


if __name__ == "__main__":
    raise SystemExit(main())
