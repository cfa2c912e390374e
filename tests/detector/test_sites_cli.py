"""``farmscan sites`` on real inputs: seeds + bundled examples, a WARC of corpus pages, and
``farmscan score`` JSONL piped in; one row per site, lists that parse, "too few pages"."""

import csv
import io
import json
import re
from pathlib import Path

import pytest

from detector.cli import EXIT_FLAGGED, main
from detector.sites.grouping import site_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
KEYS = {"site", "label", "probability", "pages", "pages_flagged", "kind", "signals", "examples"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows(out):
    return [json.loads(line) for line in out.splitlines()]


def test_seeds_and_examples_one_row_per_site(capsys, shared_dir):
    seeds = shared_dir / "seeds"
    code, out, err = run(capsys, "sites", "--format", "jsonl", "--min-pages", "1", str(seeds), str(EXAMPLES))
    recs = rows(out)
    assert code == EXIT_FLAGGED
    sites = [r["site"] for r in recs]
    assert len(sites) == len(set(sites)) == 5  # 5 pages, each its own site
    for r in recs:
        assert KEYS <= set(r) and r["pages"] == 1
        for s in r["signals"]:
            assert set(s) == {"name", "score", "evidence"} and s["evidence"]
    by = {r["site"]: r for r in recs}
    mirror = by["8657085.xyz"]  # the seed mirror's WordPress post links to its own site
    assert mirror["label"] == "farm" and mirror["kind"] == "scraped-mirror"
    spun = next(r for s, r in by.items() if s.endswith("000_8d58c35ee6b0d508.txt"))
    assert spun["label"] == "farm" and spun["kind"] == "spun-ai"
    assert by["riverside-gazette.example"]["label"] == "original"
    assert "5 sites" in err


def test_page_verdicts_name_the_kind_too(shared_dir):
    from detector import score

    seeds = shared_dir / "seeds"
    assert score(seeds / "003_ae8346d7868e5d9d.txt").to_dict()["kind"] == "scraped-mirror"
    assert score(seeds / "000_8d58c35ee6b0d508.txt").to_dict()["kind"] == "spun-ai"
    assert score(EXAMPLES / "original-article.html").to_dict()["kind"] is None


def test_too_few_pages_gives_no_verdict_and_no_export(list_grammars, capsys, shared_dir):
    code, out, _ = run(capsys, "sites", "--format", "jsonl", "--min-pages", "2", str(shared_dir / "seeds"))
    recs = rows(out)
    assert recs and all(r["label"] is None and r["probability"] is None for r in recs)
    assert all(r["note"].startswith("too few pages") for r in recs)
    code, out, _ = run(capsys, "sites", "--export", "ubo", "--min-pages", "2", str(shared_dir / "seeds"))
    assert list_grammars.parse_abp(out) == []


def corpus_pages(shared_dir, sites, per_site):
    """Corpus pages with URLs from the given sites (at most ``per_site`` each)."""
    want = dict.fromkeys(sites, 0)
    out = []
    with (shared_dir / "corpus" / "labels.tsv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r["site"] in want and r["url"] and want[r["site"]] < per_site:
                want[r["site"]] += 1
                out.append(r)
    return out


@pytest.fixture(scope="module")
def crawl(write_warc, shared_dir, tmp_path_factory):
    """A WARC of real corpus pages from a farm site and a few news sites (written with warcio)."""
    pytest.importorskip("warcio")
    import gzip


    # The farm site whole (its cadence shows over its 12 pages), five pages of each news site.
    picked = corpus_pages(shared_dir, ["angelnum.info"], 12) + corpus_pages(shared_dir, ["reuters.com", "bbc.co.uk", "wired.com"], 5)
    records = [(r["url"], gzip.decompress((shared_dir / "corpus" / r["file"]).read_bytes()), "text/html; charset=utf-8")
               for r in picked]
    path = tmp_path_factory.mktemp("crawl") / "crawl.warc.gz"
    write_warc(path, records)
    return path, picked


def test_warc_crawl_rolls_up_per_site_and_exports_parse(list_grammars, capsys, crawl):
    path, picked = crawl
    code, out, err = run(capsys, "sites", "--format", "jsonl", "--pages", str(path))
    recs = rows(out)
    expected = {site_of(r["url"]) for r in picked}
    assert {r["site"] for r in recs} == expected and len(recs) == len(expected)
    by = {r["site"]: r for r in recs}
    for site in expected:
        assert by[site]["pages"] == sum(1 for r in picked if site_of(r["url"]) == site)
    farm = by["angelnum.info"]
    assert farm["label"] == "farm" and farm["kind"]
    assert by["reuters.com"]["label"] == "original"
    assert farm["examples"] and all(e.startswith("http") for e in farm["examples"])
    assert farm["page_rows"] and farm["histogram"] and sum(farm["histogram"]) == farm["pages"]

    flagged = [r["site"] for r in recs if r["label"] == "farm"]
    for fmt in ("ublacklist", "ubo", "hosts", "csv"):
        code, text, _ = run(capsys, "sites", "--export", fmt, str(path))
        if fmt == "ublacklist":
            rules = list_grammars.parse_ublacklist(text)
            assert all(list_grammars.ublacklist_blocks(rules, f"https://{s}/x") for s in flagged)
            assert not list_grammars.ublacklist_blocks(rules, "https://reuters.com/x")
        elif fmt == "ubo":
            filters = list_grammars.parse_abp(text)
            assert all(list_grammars.abp_blocks(filters, f"https://www.{s}/x") for s in flagged)
            assert not list_grammars.abp_blocks(filters, "https://www.reuters.com/")
        elif fmt == "hosts":
            assert {n for _, n in list_grammars.parse_hosts(text)} >= set(flagged)
        else:
            assert [r["site"] for r in list_grammars.parse_csv(text)] == sorted(flagged, key=lambda s: -by[s]["probability"])


def test_score_jsonl_piped_in_gives_the_same_sites(capsys, monkeypatch, crawl):
    path, _ = crawl
    _, scored, _ = run(capsys, "score", "--format", "jsonl", str(path))
    direct = {r["site"]: r for r in rows(run(capsys, "sites", "--format", "jsonl", str(path))[1])}
    monkeypatch.setattr("sys.stdin", io.StringIO(scored))
    code, out, _ = run(capsys, "sites", "--format", "jsonl", "-")
    piped = {r["site"]: r for r in rows(out)}
    assert set(piped) == set(direct)
    for site, r in piped.items():
        assert (r["pages"], r["pages_flagged"]) == (direct[site]["pages"], direct[site]["pages_flagged"])
    # From verdicts alone the probability distribution and page signals are the same.
    assert piped["angelnum.info"]["label"] == "farm"


def test_table_output_and_html_report_file(capsys, crawl, tmp_path):
    path, _ = crawl
    report = tmp_path / "report.html"
    code, out, _ = run(capsys, "sites", "--format", "table", "--html", str(report), str(path))
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["LABEL", "PROB", "PAGES", "FLAG"]
    assert sum(1 for ln in lines if not ln.startswith(" ")) == 1 + 4  # header + one row per site
    html = report.read_text(encoding="utf-8")
    assert html.count('<details class="site"') == 4 and "http-equiv" in html
    # One script (the table's sorting and filtering), the only one its Content-Security-Policy allows (by hash).
    assert html.count("<script") == 1 and re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'\"", html)


def test_bad_stdin_lines_are_failed_pages_and_usage_errors_exit_2(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("not json\n"))
    code, out, _ = run(capsys, "sites", "--format", "jsonl", "--min-pages", "1", "-")
    assert code == 2 and rows(out)[0]["errors"] == 1
    assert run(capsys, "sites", "--min-pages", "0", "x")[0] == 2
    assert run(capsys, "sites", "--export", "ubo", "--format", "jsonl", "x")[0] == 2


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"


@pytest.fixture(scope="module")
def doorway(tmp_path_factory) -> Path:
    """A doorway site as such sites are made: one page (written for this test) once per town
    (``tests/fixtures/sites/make_doorway.py``, which README's example runs too)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_doorway", FIXTURES / "make_doorway.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.write_doorway(tmp_path_factory.mktemp("doorway"))


def test_doorway_site_is_flagged_though_no_page_is(capsys, doorway):
    """Six pages made once per town: no page is flagged on its own; the site is, as a doorway,
    and says why."""
    code, out, _ = run(capsys, "sites", "--format", "jsonl", str(doorway))
    (rec,) = rows(out)
    assert rec["site"] == "fastfix-plumbing.example" and rec["pages"] == 6
    assert rec["pages_flagged"] == 0
    assert rec["label"] == "farm" and rec["kind"] == "seo-spam-doorway"
    names = [s["name"] for s in rec["signals"]]
    assert {"site.same_body", "site.doorway_titles"} <= set(names[:3])
    ev = next(s for s in rec["signals"] if s["name"] == "site.doorway_titles")["evidence"]
    assert any("shelbyville" in e.lower() for e in ev)


def test_library_score_sites_on_verdicts_and_sources(doorway):
    from detector import score, score_sites

    pages = sorted(doorway.glob("*.html"))
    from_sources = score_sites(pages)
    from_verdicts = score_sites([score(p) for p in pages])
    from_records = score_sites([score(p).to_dict() for p in pages])
    assert [v.site for v in from_sources] == [v.site for v in from_verdicts] == ["fastfix-plumbing.example"]
    assert from_sources[0].label == "farm"
    # Verdicts and their JSON records carry the site facts (site_facts): the same site verdict.
    for other in (from_verdicts, from_records):
        assert other[0].to_dict(pages=True) == from_sources[0].to_dict(pages=True)
    assert from_verdicts[0].features["site.same_body"] == 1.0


def test_tampered_site_model_is_refused(tmp_path, capsys, doorway):
    from detector.sites.model import load_site_model

    text = (Path(__file__).resolve().parents[2] / "detector" / "models" / "site.json").read_text()
    bad = tmp_path / "site.json"
    bad.write_text(text.replace('"threshold": 0.', '"threshold": 0.0', 1))
    code, _, err = run(capsys, "sites", "--site-model", str(bad), str(doorway))
    assert code == 2 and "checksum" in err
    assert load_site_model().threshold > 0


def test_index_copies_become_a_site_signal(page, paragraphs, tmp_path, capsys):
    """With --index, pages that copy indexed articles of other sites make the site's copy share."""

    orig_dir, mirror_dir = tmp_path / "orig", tmp_path / "mirror"
    orig_dir.mkdir()
    mirror_dir.mkdir()
    for i in range(4):
        url = f"https://paper-{i}.example/story-{i}"
        (orig_dir / f"{i}.html").write_text(page(url, paragraphs(40 + i), canonical=url, date="2024-03-01").html)
        copy = f"https://mirror-mill.example/copied-{i}"
        (mirror_dir / f"{i}.html").write_text(page(copy, paragraphs(40 + i), canonical=copy).html)
    idx = tmp_path / "orig.idx"
    assert main(["index", "build", "-q", "--out", str(idx), str(orig_dir)]) == 0
    capsys.readouterr()
    _, out, _ = run(capsys, "sites", "--index", str(idx), "--format", "jsonl", "--pages", str(mirror_dir))
    (rec,) = rows(out)
    assert rec["site"] == "mirror-mill.example"
    assert rec["features"]["site.copy_share"] == 1.0 and rec["features"]["site.uncredited_copy_share"] == 1.0
