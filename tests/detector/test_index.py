"""The copy/template index: matches under copy transforms, persistence, read-only sharing, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from detector import score
from detector.cli import main
from detector.index import Index
from detector.index import sketch as sk

REPO = Path(__file__).resolve().parents[2]
ORIG_URL = "https://harbour-gazette.com/news/bridge-repairs"


@pytest.fixture()
def original(page, paragraphs):
    return page(ORIG_URL, paragraphs(11), date="2024-03-01T09:00:00Z", layout="magazine")


@pytest.fixture()
def idx(page, paragraphs, original):
    i = Index()
    i.add(original)
    for seed in range(20, 26):  # unrelated articles on other sites
        i.add(page(f"https://other{seed}.org/story", paragraphs(seed), layout="plain"))
    return i


def _urls(res):
    return [m["url"] for m in res.copy_of]


def test_exact_copy_found_and_original_named(page, paragraphs, idx):
    copy = page("https://copy-mill.xyz/bridge", paragraphs(11), date="2024-05-01T09:00:00Z")
    res = idx.query(copy)
    assert _urls(res) == [ORIG_URL]
    m = res.copy_of[0]
    assert m["similarity"] > 0.95 and m["original_likely"] is True
    assert "published 2024-03-01" in m["why"]
    assert res.features.values["index.copied_from_elsewhere_likely"] == 1.0
    assert res.features.values["index.copy_found"] == 1.0


def test_truncated_excerpt_found(page, paragraphs, idx):
    excerpt = page("https://snippets.example.net/b", paragraphs(11)[:2])  # 2 of 8 paragraphs
    res = idx.query(excerpt)
    assert _urls(res) == [ORIG_URL]
    assert res.copy_of[0]["containment"] > 0.8  # the excerpt is inside the original
    assert res.copy_of[0]["original_likely"] is True
    assert "excerpt" in res.copy_of[0]["why"]


def test_copy_embedded_in_ad_page_found(page, paragraphs, idx):
    wrapped = page("https://ad-heavy.site/p/1", paragraphs(11), layout="adfarm", before="<p>" + " ".join(paragraphs(90, 1, 80)) + "</p>")
    res = idx.query(wrapped)
    assert ORIG_URL in _urls(res)


def test_shuffled_paragraphs_found(page, paragraphs, idx):
    ps = paragraphs(11)
    shuffled = [ps[i] for i in (5, 2, 7, 0, 3, 6, 1, 4)]
    assert ORIG_URL in _urls(idx.query(page("https://shuffle.example.org/x", shuffled)))


def test_lightly_spun_copy_found(page, paragraphs, spin, idx):
    assert ORIG_URL in _urls(idx.query(page("https://spinner.example.info/x", spin(paragraphs(11), 0.12))))


def test_unrelated_page_no_match(page, paragraphs, idx):
    res = idx.query(page("https://elsewhere.example.com/n", paragraphs(77)))
    assert res.copy_of == []
    assert res.features.values["index.copy_found"] == 0.0
    assert res.features.values["index.copy_similarity"] == 0.0


def test_heavily_rewritten_text_no_match(page, paragraphs, spin, idx):
    assert idx.query(page("https://rewrite.example.com/n", spin(paragraphs(11), 0.7))).copy_of == []


def test_same_page_and_same_site_not_reported(page, paragraphs, idx, original):
    assert idx.query(original).copy_of == []
    same_site = page("https://harbour-gazette.com/amp/bridge-repairs", paragraphs(11))
    assert idx.query(same_site).copy_of == []


def test_template_shared_by_other_sites(page, paragraphs, idx):
    for n in range(3):  # different articles, same layout, three other sites
        idx.add(page(f"https://theme-user{n}.com/a", paragraphs(40 + n), layout="magazine"))
    probe = page("https://new-blog.com/post", paragraphs(60), layout="magazine")
    res = idx.query(probe)
    assert res.copy_of == []
    assert res.template_sites == 4  # the original's site + three theme users
    assert res.features.values["index.template_sites_sat"] == pytest.approx(0.4)
    plain = idx.query(page("https://new-blog.com/p2", paragraphs(61), layout="adfarm"))
    assert plain.template_sites == 0


def test_sketch_overlap_estimates_containment():
    rng = np.random.default_rng(0)
    big = np.unique(rng.integers(0, 2**63, 3000, dtype=np.uint64))
    part = rng.choice(big, 600, replace=False)
    a, b = sk.bottom_k(part, 128), sk.bottom_k(big, 128)
    c_part, c_big, _jac, inter = sk.overlap(a, len(part), b, len(big), 128)
    assert c_part == 1.0 and inter >= 6
    assert 0.1 < c_big < 0.35


def test_persistence_round_trip_and_incremental_add(page, paragraphs, tmp_path, original):
    path = tmp_path / "news.idx"
    idx = Index()
    idx.add(original)
    idx.save(path)
    with pytest.raises(Exception, match="another process"):
        Index.open(path, mode="a")  # one writer at a time
    idx.close()
    with Index.open(path, mode="a") as more:
        more.add(page("https://second-source.com/story", paragraphs(50), date="2023-01-01"))
    ro = Index.open(path)
    assert len(ro) == 2 and ro.stats()["segments"] == 2
    assert _urls(ro.query(page("https://copycat.xyz/1", paragraphs(11)))) == [ORIG_URL]
    assert _urls(ro.query(page("https://copycat.xyz/2", paragraphs(50)))) == ["https://second-source.com/story"]
    with pytest.raises(Exception, match="read-only"):
        ro.add(original)
    rw = Index.open(path, mode="a")
    rw.compact()
    rw.close()
    again = Index.open(path)
    assert again.stats()["segments"] == 1
    assert _urls(again.query(page("https://copycat.xyz/2", paragraphs(50)))) == ["https://second-source.com/story"]


def test_read_only_open_from_second_process(tmp_path, original):
    path = tmp_path / "shared.idx"
    idx = Index.open(path, mode="a")
    idx.add(original)
    idx.close()
    path.chmod(0o555)  # readers need no write access
    try:
        code = (
            "import sys, json\n"
            f"sys.path.insert(0, {str(REPO)!r})\n"
            "from detector.index import Index\n"
            "from tests.helpers.index_builders import page, paragraphs\n"
            f"idx = Index.open({str(path)!r})\n"
            "res = idx.query(page('https://copycat.xyz/p', paragraphs(11)))\n"
            "print(json.dumps([m['url'] for m in res.copy_of]))\n"
        )
        procs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO) for _ in range(2)]
    finally:
        path.chmod(0o755)
    for p in procs:
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout) == [ORIG_URL]


def test_score_with_index_reports_copy(page, paragraphs, idx):
    undated = score(page("https://copy-mill.xyz/bridge", paragraphs(11)), index=idx)
    assert [m["url"] for m in undated.copy_of] == [ORIG_URL]
    assert undated.copy_of[0]["original_likely"] is False  # no evidence either way
    assert undated.copy_of[0]["why"].startswith("undecided")
    dated = score(page("https://copy-mill.xyz/bridge", paragraphs(11), date="2024-06-01"), index=idx)
    assert dated.to_dict()["copy_of"][0]["original_likely"] is True


def test_cli_index_build_then_score_with_index(page, paragraphs, tmp_path, capsys):
    orig_dir, sus_dir = tmp_path / "orig", tmp_path / "sus"
    orig_dir.mkdir()
    sus_dir.mkdir()
    # Indexed pages of one layout, the copy on another: a copy, no shared template.
    o = page(ORIG_URL, paragraphs(11), canonical=ORIG_URL, date="2024-03-01T09:00:00Z", layout="magazine")
    (orig_dir / "a.html").write_text(o.html)
    (orig_dir / "b.html").write_text(page("https://x.org/u", paragraphs(30), canonical="https://x.org/u", layout="magazine").html)
    c = page("https://mirror.example.xyz/bridge", paragraphs(11), canonical="https://mirror.example.xyz/bridge", layout="adfarm")
    (sus_dir / "c.html").write_text(c.html)
    out = tmp_path / "news.idx"
    assert main(["index", "build", "-q", "--out", str(out), str(orig_dir)]) == 0
    assert main(["index", "build", "-q", "--out", str(out), str(orig_dir)]) == 2  # exists
    capsys.readouterr()
    assert main(["index", "stats", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["pages"] == 2
    main(["score", "-q", "--index", str(out), "--format", "jsonl", str(sus_dir)])
    rec = json.loads(capsys.readouterr().out.strip().splitlines()[0])
    assert rec["copy_of"][0]["url"] == ORIG_URL
    assert rec["copy_of"][0]["site"] == "harbour-gazette.com"
    assert rec["template_sites"] == 0
    main(["explain", "--index", str(out), str(sus_dir)])
    text = capsys.readouterr().out
    assert "copy of:" in text and ORIG_URL in text and "index.copy_found" in text


def test_in_memory_band_tables_merge_batches(page, paragraphs, monkeypatch, original):
    from detector.index import segments

    monkeypatch.setattr(segments._Table, "TAIL", 3)  # merge into sorted arrays every 3 pages
    idx = Index()
    idx.add(original)
    for seed in range(30, 37):
        idx.add(page(f"https://filler{seed}.org/s", paragraphs(seed)))
    assert len(idx._mem.tables[False].keys) > 0  # some pages are in the merged arrays
    assert _urls(idx.query(page("https://copycat.xyz/1", paragraphs(11)))) == [ORIG_URL]
    assert _urls(idx.query(page("https://copycat.xyz/2", paragraphs(36)))) == ["https://filler36.org/s"]


def test_line_shingles_are_the_union_of_each_lines_own(paragraphs):
    lines = [p.split() for p in paragraphs(5, n=4, words=12)] + [["Share"], ["Read", "more"]]
    words = [w for ln in lines for w in ln]
    whole = set(sk.shingle_hashes(words, 4, [len(ln) for ln in lines]).tolist())
    parts = [set(sk.shingle_hashes(ln, 4).tolist()) for ln in lines]
    assert whole == set().union(*parts)
    assert len(whole) == 4 * 9 + 2  # 9 windows per 12-word line, one shingle per short line
    # without line lengths the words are one run (windows across the breaks)
    assert len(set(sk.shingle_hashes(words, 4).tolist())) == len(words) - 3


def test_excerpt_without_the_short_lines_between_paragraphs_found(page, paragraphs):
    ps = paragraphs(12, n=30, words=9)  # short paragraphs, each followed by a short line
    short = ["Advertisement", "Photo: staff", "Read more", "Share this", "Related"]
    body = [x for i, p in enumerate(ps) for x in (p, short[i % len(short)])]
    idx = Index()
    idx.add(page(ORIG_URL, body, date="2024-03-01T09:00:00Z"))
    for seed in range(20, 26):
        idx.add(page(f"https://other{seed}.org/story", paragraphs(seed), layout="plain"))
    # a scraper's excerpt: a heading, then the first five paragraphs without the short lines
    excerpt = page("https://snippets.example.net/e", ["Bridge repairs begin", *ps[:5]])
    res = idx.query(excerpt)
    assert _urls(res) == [ORIG_URL]
    assert res.copy_of[0]["containment"] >= 0.8  # windows across the dropped lines would give ~0.6


def test_index_of_another_format_is_refused(tmp_path, original):
    import sqlite3

    path = tmp_path / "old.idx"
    with Index.open(path, mode="a") as idx:
        idx.add(original)
    db = sqlite3.connect(path / "pages.sqlite")
    with db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'format'")
    db.close()
    with pytest.raises(Exception, match="format 1"):
        Index.open(path)


def test_index_on_disk_writes_a_segment_every_flush_every_pages(page, paragraphs, tmp_path, original):
    path = tmp_path / "stream.idx"
    idx = Index.open(path, mode="a", flush_every=3)
    idx.add(original)
    for seed in range(40, 46):
        idx.add(page(f"https://filler{seed}.org/s", paragraphs(seed)))
    assert len(idx.segments) == 2 and idx._mem.n == 1  # 7 pages: two segments of 3 written
    ro = Index.open(path)  # a reader sees the written segments while the writer goes on
    assert len(ro) == 6
    assert _urls(ro.query(page("https://copycat.xyz/1", paragraphs(11)))) == [ORIG_URL]
    idx.close()
    assert len(Index.open(path)) == 7


def test_compact_merges_band_tables_slice_by_slice(page, paragraphs, tmp_path, original):
    from detector.index.segments import ARRAYS, DiskSegment, merge_segments

    path = tmp_path / "many.idx"
    with Index.open(path, mode="a", flush_every=2) as idx:
        idx.add(original)
        for seed in range(50, 59):
            idx.add(page(f"https://filler{seed}.org/s", paragraphs(seed), layout="magazine"))
    segs = Index.open(path).segments
    assert len(segs) == 5
    n = merge_segments(segs, tmp_path / "merged", chunk=64)  # many key slices
    merged = DiskSegment(tmp_path / "merged", 0)
    assert n == merged.n == 10
    for kname, iname in (("keys", "ids"), ("tkeys", "tids")):
        keys = np.concatenate([s.a[kname] for s in segs])
        ids = np.concatenate([s.a[iname] for s in segs])
        order = np.argsort(keys, kind="stable")
        assert len(keys) > 64
        assert np.array_equal(merged.a[kname], keys[order]) and np.array_equal(merged.a[iname], ids[order])
    for name in set(ARRAYS) - {"keys", "ids", "tkeys", "tids"}:
        assert np.array_equal(merged.a[name], np.concatenate([s.a[name] for s in segs]))
    rw = Index.open(path, mode="a")
    rw.compact()
    rw.close()
    again = Index.open(path)
    assert again.stats()["segments"] == 1 and len(again) == 10
    assert _urls(again.query(page("https://copycat.xyz/9", paragraphs(58)))) == ["https://filler58.org/s"]
    assert again.query(page("https://new-blog.com/post", paragraphs(60), layout="magazine")).template_sites == 10  # all 10 sites


def test_cli_index_build_writes_a_segment_per_batch(page, paragraphs, tmp_path):
    src = tmp_path / "pages"
    src.mkdir()
    for seed in range(5):
        url = f"https://site{seed}.org/a"
        (src / f"{seed}.html").write_text(page(url, paragraphs(100 + seed), canonical=url).html)
    out = tmp_path / "b.idx"
    assert main(["index", "build", "-q", "--batch", "2", "--out", str(out), str(src)]) == 0
    stats = Index.open(out).stats()
    assert stats["pages"] == 5 and stats["segments"] == 3
    out2 = tmp_path / "c.idx"
    assert main(["index", "build", "-q", "--batch", "2", "--compact", "--out", str(out2), str(src)]) == 0
    assert Index.open(out2).stats()["segments"] == 1
    res = Index.open(out2).query(page("https://copy.example.xyz/a", paragraphs(103)))
    assert [m["url"] for m in res.copy_of] == ["https://site3.org/a"]
