"""Operator networks, cadence and operator-ID site signals, and the two doors of the roll-up."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from detector.sites import judge_all, networks, roll_up, score_sites
from detector.sites.facts import PageFacts
from detector.sites.network import MAX_TIE_SITES, STOCK_IDS
from detector.sites.signals import site_signals

ROOT = Path(__file__).resolve().parents[2]


def facts(site, i, *, ids=None, layout=None, links=(), published=None, prob=0.2, title=None):
    return PageFacts(input=f"{site}/{i}", url=f"https://{site}/p{i}", site=site, probability=prob,
                     label="farm" if prob >= 0.5 else "original",
                     title=title or f"page {i} of {site} about topic {i}", byline="", layout=layout,
                     ids=ids or {}, linked_sites=list(links), published=published)


def rollup_of(pages):
    return roll_up(pages)


def test_shared_adsense_ties_two_sites_and_names_the_id():
    pages = [facts(s, i, ids={"ids.adsense": ["ca-pub-4412873309911457"]}) for s in ("a-cash.test", "b-cash.test")
             for i in range(4)]
    pages += [facts("blog.test", i) for i in range(4)]
    nets = networks(rollup_of(pages))
    assert nets["a-cash.test"].members == ["b-cash.test"]
    assert "adsense:ca-pub-4412873309911457" in nets["a-cash.test"].ties[0][1]
    assert "blog.test" not in nets


def test_stock_and_platform_ids_do_not_tie():
    many = MAX_TIE_SITES + 1
    # A theme's demo Analytics ID on many unrelated sites, a listed stock ID, an ID on one page of six.
    pages = [facts(f"site{k}.test", i, ids={"ids.analytics": ["G-THEMEDEMO1"]}) for k in range(many) for i in range(3)]
    pages += [facts(s, i, ids={"ids.adsense": [sorted(STOCK_IDS)[0].split(":", 1)[1]]}) for s in ("x.test", "y.test")
              for i in range(3)]
    pages += [facts("p.test", i, ids={"ids.amazon": ["widget-20"]} if i == 0 else {}) for i in range(6)]
    pages += [facts("q.test", i, ids={"ids.amazon": ["widget-20"]} if i == 0 else {}) for i in range(6)]
    assert networks(rollup_of(pages)) == {}


def test_layout_ties_only_a_sites_own_layout():
    own = [facts(s, i, layout=777) for s in ("d1.test", "d2.test") for i in range(5)]
    one_off = [facts("g1.test", i, layout=888 if i == 0 else 100 + i) for i in range(6)]
    one_off += [facts("g2.test", i, layout=888 if i == 0 else 200 + i) for i in range(6)]
    nets = networks(rollup_of(own + one_off))
    assert set(nets) == {"d1.test", "d2.test"}


def test_links_tie_site_wide_or_within_a_template_network():
    pages = [facts("mod-a.test", i, links=["mod-b.test"]) for i in range(6)]  # every page links the sister
    pages += [facts("mod-b.test", i) for i in range(6)]
    # News sites citing each other on a third of their pages stay apart.
    pages += [facts("news1.test", i, links=["news2.test"] if i % 3 == 0 else []) for i in range(9)]
    pages += [facts("news2.test", i) for i in range(9)]
    nets = networks(rollup_of(pages))
    assert set(nets) == {"mod-a.test", "mod-b.test"}


def test_network_pull_lists_sisters_and_moves_the_probability():
    farm = [facts(s, i, ids={"ids.amazon": ["doorwaynet-20"]}, prob=0.97) for s in ("f1.test", "f2.test") for i in range(4)]
    weak = [facts("f3.test", i, ids={"ids.amazon": ["doorwaynet-20"]}, prob=0.2) for i in range(4)]
    alone = [facts("f4.test", i, prob=0.2) for i in range(4)]
    out = {v.site: v for v in judge_all(rollup_of(farm + weak + alone))}
    assert out["f3.test"].network == ["f1.test", "f2.test"]
    net_sig = [s for s in out["f3.test"].signals if s.name == "site.network"]
    assert net_sig and net_sig[0].score > 0 and "f1.test" in net_sig[0].evidence[0]
    assert out["f3.test"].probability > out["f4.test"].probability
    d = out["f3.test"].to_dict()
    assert d["network"]["sites"] == ["f1.test", "f2.test"] and d["network"]["ties"][0]["evidence"]
    assert out["f4.test"].to_dict()["network"] is None


def test_explanations_on_both_sides_without_zero_evidence():
    v = judge_all(rollup_of([facts("plain.test", i) for i in range(5)]))[0]
    against = [s for s in v.signals if s.score < 0]
    assert against
    assert not any(e.endswith("= 0") for s in v.signals for e in s.evidence)


def test_cadence_fires_on_a_burst_and_is_silent_on_a_blog():
    burst = [facts("auto.test", i, published="2024-05-01T03:00:00") for i in range(8)]
    agg = rollup_of(burst).sites["auto.test"]
    values, evidence = site_signals(agg)
    assert values["site.busiest_day"] > 2 and "8 of 8 dated pages published on 2024-05-01" in evidence["site.busiest_day"][0]
    assert values["site.same_timestamp"] == 1.0
    blog = [facts("me.test", i, published=f"2023-{1 + i:02d}-14T10:{i:02d}:00") for i in range(8)]
    values, _ = site_signals(rollup_of(blog).sites["me.test"])
    assert "site.busiest_day" not in values and "site.same_timestamp" not in values


def _doorway(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_doorway", ROOT / "tests/fixtures/sites/make_doorway.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.write_doorway(tmp_path / "doorway")


def test_score_pipe_sites_equals_sites_dir(tmp_path):
    """README's doorway example: ``score | sites -`` and ``sites DIR`` give the same site verdicts."""
    door = _doorway(tmp_path)
    inputs = [str(door), str(ROOT / "examples")]
    cmd = [sys.executable, "-m", "detector"]
    direct = subprocess.run([*cmd, "sites", *inputs, "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    scored = subprocess.run([*cmd, "score", *inputs, "--format", "jsonl"], capture_output=True, text=True, cwd=ROOT)
    piped = subprocess.run([*cmd, "sites", "-", "--format", "json"], input=scored.stdout, capture_output=True,
                           text=True, cwd=ROOT)
    assert json.loads(direct.stdout) == json.loads(piped.stdout)
    site = next(s for s in json.loads(piped.stdout) if s["site"] == "fastfix-plumbing.example")
    assert site["label"] == "farm" and any(s["name"] == "site.same_body" for s in site["signals"])


def test_site_facts_on_the_record(tmp_path):
    from detector import score

    page = next(iter(sorted(_doorway(tmp_path).glob("*.html"))))
    sf = score(page).to_dict()["site_facts"]
    assert {"title", "byline", "body"} <= set(sf)
    assert json.loads(json.dumps(sf)) == sf


@pytest.mark.slow
def test_corpus_operators_tied_and_genuine_sites_apart(shared_dir):
    """Every multi-domain operator of labelled/operators.tsv is one network, and no genuine
    multi-page site is tied to a site of another operator (bbc.com and bbc.co.uk, one
    publisher's two domains, are one operator there)."""
    import csv

    from detector.learn.labelled import load_operators

    ops = load_operators(ROOT / "labelled")
    rows = list(csv.DictReader((shared_dir / "corpus/labels.tsv").open(encoding="utf-8"), delimiter="\t"))
    count = {}
    for r in rows:
        count[r["site"]] = count.get(r["site"], 0) + 1
    chosen = [r for r in rows if r["url"] and (count[r["site"]] >= 5 or (r["dataset"] == "scout5-github" and count[r["site"]] >= 2))]
    from detector import score

    verdicts = [score(shared_dir / "corpus" / r["file"], url=r["url"]) for r in chosen]
    label = {r["site"]: r["label"] for r in rows}
    out = {v.site: v for v in score_sites(verdicts)}
    by_op = {}
    for site, op in ops.items():
        by_op.setdefault(op, set()).add(site)
    for op, sites in by_op.items():
        for s in sites:
            assert set(out[s].network) == sites - {s}, (op, s, out[s].network)
    from detector.learn.labelled import operator_of

    crossed = {(s, m) for s, v in out.items() if label.get(s) == "original"
               for m in v.network if operator_of(m, ops) != operator_of(s, ops)}
    assert not crossed, crossed


def test_the_site_model_reads_cadence():
    """The shipped site model reads the cadence signals: the same ordinary-looking pages, one
    byline each, score higher when they were all posted on one day than spread over a year."""
    def site(published):
        return [PageFacts(input=f"x/{i}", url=f"https://auto.test/p{i}", site="auto.test", probability=0.2,
                          label="original", title=f"notes on subject {i} and more", byline="",
                          published=published(i)) for i in range(10)]

    burst = judge_all(roll_up(site(lambda i: f"2024-05-01T0{i % 10}:00:00")))[0]
    spread = judge_all(roll_up(site(lambda i: f"2023-{1 + i:02d}-14T10:00:00")))[0]
    assert "site.busiest_day" in {s.name for s in burst.signals if s.score > 0}
    assert burst.probability > spread.probability + 0.1


def test_a_site_of_flagged_mirror_pages_is_flagged_whatever_its_page_count():
    """Three, four or eight pages, each flagged at 0.97 with an adult ad grid and a closing line of
    hashtags: the site is a farm, and how many of its pages were read does not change the verdict
    (the page count is shown, not read by the site model)."""
    signals = [("ads.adult_pop_share", 2.5, "JuicyAds x8 (poweredby.jads.co) [adult]"),
               ("hashtags.closing_line", 0.8, "closing line: #tidal #barrier #record")]

    def site(n):
        pages = [PageFacts(input=f"m/{i}", url=f"https://mirror.test/?p={i}", site="mirror.test", probability=0.97,
                           label="farm", signals=list(signals), title=f"story number {i} of the wire", byline="admin")
                 for i in range(n)]
        return judge_all(roll_up(pages))[0]

    verdicts = [site(n) for n in (3, 4, 8)]
    assert all(v.label == "farm" for v in verdicts)
    assert len({round(v.probability, 9) for v in verdicts}) == 1
    assert "site.pages_log" not in {s.name for v in verdicts for s in v.signals}


def test_sites_under_the_models_minimum_take_their_pages_verdict(tmp_path):
    """With --min-pages below the site model's, a one-page site's verdict is its page's:
    the page's probability and threshold, its fired page signals as the reasons."""
    from detector import score

    page = ROOT / "examples" / "original-article.html"
    v = score(page)
    (sv,) = score_sites([v], min_pages=1)
    assert sv.label == v.label and sv.probability == pytest.approx(v.probability, abs=1e-4)
    assert sv.threshold == pytest.approx(v.threshold) and "the pages' verdicts" in sv.note
    fired = {s.name for s in v.signals if s.score > 0 and s.evidence}
    assert {s.name for s in sv.signals} <= fired
    (default,) = score_sites([v])
    assert default.label is None and "too few pages" in default.note


@pytest.mark.slow
def test_score_pipe_sites_equals_sites_dir_on_the_corpus_multi_page_sites(shared_dir, tmp_path):
    """The corpus's sites with 5+ pages (labels.tsv), read through both doors: the same verdicts."""
    import csv
    from collections import defaultdict

    by_site = defaultdict(list)
    with (shared_dir / "corpus" / "labels.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            by_site[row["site"]].append(str(shared_dir / "corpus" / row["file"]))
    files = [f for fs in by_site.values() if len(fs) >= 5 for f in fs]
    listing = tmp_path / "multi.txt"
    listing.write_text("\n".join(files) + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "detector"]
    direct = subprocess.run([*cmd, "sites", "--input-file", str(listing), "--format", "json", "-q"],
                            capture_output=True, text=True, cwd=ROOT)
    scored = subprocess.run([*cmd, "score", "--input-file", str(listing), "--format", "jsonl", "-q"],
                            capture_output=True, text=True, cwd=ROOT)
    piped = subprocess.run([*cmd, "sites", "-", "--format", "json", "-q"], input=scored.stdout,
                           capture_output=True, text=True, cwd=ROOT)
    a, b = json.loads(direct.stdout), json.loads(piped.stdout)
    assert len(files) > 500 and any(s["label"] == "farm" for s in a)
    assert a == b
