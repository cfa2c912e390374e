"""Index identity (which page was matched), no self-matches, direction from farm evidence, Index.add sources."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from detector import IndexFormatError, InputError, score
from detector.cli import main
from detector.index import Index
from detector.index.farm_signs import signs_of_page
from detector.index.provenance import Facts, decide, facts, own_publication_date
from features.page import parse_html

ORIG_URL = "https://harbour-gazette.com/news/bridge-repairs"
NONE: frozenset[str] = frozenset()


def _write(path: Path, html: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def _saved_articles(root: Path, page, paragraphs) -> list[Path]:
    """Article files saved without a URL or canonical link (as a user's folder of originals)."""
    out = [_write(root / "orig" / "bridge.html", page("", paragraphs(11), date="2024-03-01T09:00:00Z").html)]
    for seed in range(20, 24):
        out.append(_write(root / "orig" / f"other-{seed}.html", page("", paragraphs(seed)).html))
    return out


def test_files_without_urls_are_named_by_their_path(page, paragraphs, tmp_path, capsys):
    files = _saved_articles(tmp_path, page, paragraphs)
    out = tmp_path / "news.idx"
    assert main(["index", "build", "-q", "--index", str(out), str(tmp_path / "orig")]) == 0
    copy = _write(tmp_path / "sus" / "copy.html", page("", paragraphs(11), layout="adfarm").html)
    capsys.readouterr()
    main(["score", "-q", "--index", str(out), "--format", "jsonl", str(copy)])
    rec = json.loads(capsys.readouterr().out.strip().splitlines()[0])
    assert [m["id"] for m in rec["copy_of"]] == [str(files[0])]
    m = rec["copy_of"][0]
    assert m["url"] == "" and m["site"] == ""  # no URL known: the path names it
    assert m["direction"] == "copy" and m["original_likely"] is True


def test_indexed_pages_never_match_themselves(page, paragraphs, tmp_path):
    files = _saved_articles(tmp_path, page, paragraphs)
    dup = _write(tmp_path / "elsewhere" / "bridge-again.html", files[0].read_text())  # same bytes, other path
    with Index.open(tmp_path / "i.idx", mode="a") as idx:
        idx.add_many(files)
    ro = Index.open(tmp_path / "i.idx")
    for f in files:  # each indexed file, scored against its own index
        assert score(f, index=ro).copy_of == []
    assert score(dup, index=ro).copy_of == []  # the same bytes under another name
    # the same bytes with a URL, against the file indexed by path: still the page itself
    assert score(files[0].read_bytes(), url="https://harbour-gazette.com/x", index=ro).copy_of == []


def test_two_indexed_copies_on_two_sites_match_each_other(page, paragraphs):
    idx = Index()
    a = page("https://first-site.com/a", paragraphs(11), layout="magazine")
    b = page("https://second-site.org/b", paragraphs(11), layout="plain")
    idx.add(a)
    idx.add(b)
    assert [m["id"] for m in idx.query(a).copy_of] == ["https://second-site.org/b"]
    assert [m["id"] for m in idx.query(b).copy_of] == ["https://first-site.com/a"]
    # byte-identical pages at two URLs (a mirror) are two pages too
    idx.add(page("https://mirror-site.net/a", paragraphs(11), layout="magazine"))
    assert "https://mirror-site.net/a" in [m["id"] for m in idx.query(a).copy_of]


def test_copy_keeping_a_time_tag_is_still_the_copy(page, paragraphs):
    idx = Index()
    idx.add(page(ORIG_URL, paragraphs(11), date="2024-03-01T09:00:00Z"))
    for seed in range(20, 24):
        idx.add(page(f"https://other{seed}.org/s", paragraphs(seed)))
    kept = '<p>Filed <time datetime="2019-06-02T08:00:00+00:00">June 2, 2019</time></p>'
    copy = page("https://ad-mill.xyz/bridge", paragraphs(11), layout="adfarm", before=kept)
    assert own_publication_date(copy) is None  # a <time> in the body is not the page's own date
    assert signs_of_page(copy)  # the ad grid is farm evidence
    res = idx.query(copy)
    m = res.copy_of[0]
    assert m["id"] == ORIG_URL and m["direction"] == "copy" and m["original_likely"] is True
    assert "farm evidence" in m["why"] and "2019" not in m["why"]
    assert any("farm evidence: ad grid" in s for s in m["evidence"]["this"])
    # and the original, queried against an index holding the copy, is the original
    idx.add(copy)
    back = idx.query(page(ORIG_URL, paragraphs(11), date="2024-03-01T09:00:00Z")).copy_of
    assert [m["id"] for m in back] == ["https://ad-mill.xyz/bridge"]  # not itself
    assert back[0]["direction"] == "original" and back[0]["this_original_likely"] is True


def test_conflicting_or_missing_evidence_is_undecided_and_lists_both_sides():
    farm_but_earlier = Facts(site="mill.xyz", published="2024-01-01T00:00:00+00:00", date_source="meta article:published_time",
                             farm=["ad grid: x"])
    clean_later = Facts(site="paper.com", published="2024-02-01T00:00:00+00:00", date_source="json-ld")
    d = decide(farm_but_earlier, clean_later, reliable=NONE, farms=NONE)
    assert d.direction == "undecided" and "conflicting" in d.why
    assert "farm evidence: ad grid: x" in d.why and "published 2024-02-01 (json-ld)" in d.why
    none = decide(Facts(site="a.com"), Facts(site="b.com"), reliable=NONE, farms=NONE)
    assert none.direction == "undecided" and "no publication date of its own" in none.why
    assert decide(Facts(site="mill.xyz", farm=["hashtags from title"]), Facts(site="p.com"), reliable=NONE, farms=NONE).direction == "copy"


def test_only_own_publication_dates_are_read():
    body_time = parse_html('<html><body><article><p>x</p><time datetime="2019-01-01">x</time></article></body></html>')
    assert facts(body_time).published == ""
    ld = parse_html('<html><head><script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2023-11-05"}</script>'
                    '</head><body><time datetime="2019-01-01">x</time></body></html>')
    f = facts(ld)
    assert f.published.startswith("2023-11-05") and f.date_source == "json-ld"


def test_truncated_copy_with_a_read_more_line_is_found(page, paragraphs):
    ps = paragraphs(14, n=12, words=45)
    idx = Index()
    idx.add(page(ORIG_URL, ps, date="2024-03-01T09:00:00Z"))
    for seed in range(30, 40):
        idx.add(page(f"https://filler{seed}.org/s", paragraphs(seed, n=12, words=45)))
    for keep in (4, 5):  # 33% and 42% of the paragraphs, then "Read more"
        excerpt = page("", ps[:keep] + ["Read more »"], layout="adfarm")
        m = idx.query(excerpt, id=f"saved/excerpt-{keep}.html").copy_of
        assert [e["id"] for e in m] == [ORIG_URL]
        assert m[0]["direction"] == "copy"


def test_index_add_accepts_what_score_accepts(page, paragraphs, tmp_path):
    html = page("", paragraphs(11)).html
    idx = Index()
    f = _write(tmp_path / "saved.html", page("", paragraphs(12)).html)
    post = {"id": 7, "link": "https://wp-blog.example/p7", "title": {"rendered": "Bridge"},
            "content": {"rendered": "".join(f"<p>{p}</p>" for p in paragraphs(13))}}
    posts = _write(tmp_path / "posts.json", json.dumps([
        {"title": {"rendered": "A"}, "content": {"rendered": "".join(f"<p>{p}</p>" for p in paragraphs(14))}},
        {"title": {"rendered": "B"}, "content": {"rendered": "".join(f"<p>{p}</p>" for p in paragraphs(15))}},
    ]))
    idx.add(html.encode("utf-8"))  # bytes
    idx.add(page("", paragraphs(16)).html, id="notes/draft.html")  # str of HTML, named by the caller
    idx.add(f)  # Path
    idx.add(post)  # a WordPress post
    with pytest.raises(InputError, match="add_many"):
        idx.add(posts)  # a list of posts is several pages
    assert idx.add_many([posts]) == 2
    assert len(idx) == 6

    def named(ps, **kw):
        return [m["id"] for m in idx.query(page("https://copy-mill.xyz/q", ps, layout="adfarm", **kw)).copy_of]

    assert named(paragraphs(11))[0].startswith("sha256:")  # content without a name: its digest
    assert named(paragraphs(16)) == ["notes/draft.html"]
    assert named(paragraphs(12)) == [str(f)]
    assert named(paragraphs(13)) == ["https://wp-blog.example/p7"]
    assert named(paragraphs(14)) == [f"{posts}#0"] and named(paragraphs(15)) == [f"{posts}#1"]


def test_old_index_format_is_refused_with_a_typed_error(page, paragraphs, tmp_path):
    path = tmp_path / "old.idx"
    with Index.open(path, mode="a") as idx:
        idx.add(page(ORIG_URL, paragraphs(11)))
    db = sqlite3.connect(path / "pages.sqlite")
    with db:
        db.execute("UPDATE meta SET value = '2' WHERE key = 'format'")
    db.close()
    for mode in ("r", "a"):
        with pytest.raises(IndexFormatError, match="format 2.*rebuild"):
            Index.open(path, mode=mode)
    assert main(["index", "stats", "--index", str(path)]) == 2


def test_index_subcommands_share_the_index_flag(page, paragraphs, tmp_path, capsys):
    src = tmp_path / "pages"
    for seed in range(3):
        _write(src / f"{seed}.html", page("", paragraphs(100 + seed)).html)
    new, old = tmp_path / "new.idx", tmp_path / "old.idx"
    assert main(["index", "build", "-q", "--index", str(new), str(src)]) == 0
    assert main(["index", "add", "-q", "--index", str(new), str(src / "0.html")]) == 0
    capsys.readouterr()
    assert main(["index", "stats", "--index", str(new)]) == 0
    assert json.loads(capsys.readouterr().out)["pages"] == 4
    # the older spellings still work, with a deprecation note
    assert main(["index", "build", "-q", "--out", str(old), str(src)]) == 0
    assert "--out PATH is deprecated, use --index PATH" in capsys.readouterr().err
    assert main(["index", "stats", str(old)]) == 0
    cap = capsys.readouterr()
    assert json.loads(cap.out)["pages"] == 3 and "deprecated" in cap.err
    assert main(["index", "build", "-q", str(src)]) == 2  # no index path at all
    assert "needs --index PATH" in capsys.readouterr().err
