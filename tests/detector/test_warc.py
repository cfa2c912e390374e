"""WARC input: HTML response records scored, everything else counted and skipped."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from detector import score
from detector.cli import main
from detector.options import Options
from detector.sources.load import load, pages_from_bytes
from detector.sources.warc import WarcStats, pages_from_warc, pages_from_warc_path

CRAWL = Path(__file__).resolve().parents[1] / "fixtures" / "crawl"
FARM = (CRAWL / "farm.html").read_bytes()
ORIGINAL = (CRAWL / "original.html").read_bytes()
LATIN1 = "<html><body><p>Le café de la gare ferme à midi, dit-on à Besançon.</p></body></html>".encode("latin-1")


def _records() -> list[tuple]:
    return [
        ("https://farm.example/hose-reels", FARM, "text/html; charset=utf-8"),
        ("https://img.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
        ("https://news.example/cycle-lanes", ORIGINAL, "text/html"),
        ("https://news.example/old", b"<html><body>Moved</body></html>", "text/html", "301 Moved Permanently"),
        ("https://fr.example/cafe", LATIN1, "text/html; charset=ISO-8859-1"),
        ("https://cdn.example/app.js", b"console.log('hi')", "application/javascript"),
    ]


@pytest.fixture
def crawl(write_warc, tmp_path: Path) -> tuple[Path, list[str]]:
    path = tmp_path / "crawl.warc.gz"
    ids = write_warc(path, _records())
    return path, ids


def test_html_responses_become_pages_named_by_record_id(crawl):
    path, ids = crawl
    stats = WarcStats()
    docs = list(pages_from_warc_path(path, stats=stats))
    assert [d.url for d in docs] == [
        "https://farm.example/hose-reels",
        "https://news.example/cycle-lanes",
        "https://fr.example/cafe",
    ]
    assert [d.input for d in docs] == [f"{path}#{ids[i]}" for i in (0, 2, 4)]
    assert [d.page.meta_extra["warc_record_id"] for d in docs] == [ids[0], ids[2], ids[4]]
    assert stats.html == 3
    assert stats.skipped_non_html == 2  # the PNG and the script
    assert stats.skipped_status == 1  # the redirect
    assert stats.responses == 6
    assert stats.skipped_other_type == 7  # warcinfo + one request per response
    assert stats.records == 13


def test_charset_comes_from_the_http_content_type(crawl):
    path, _ = crawl
    cafe = [d for d in pages_from_warc_path(path) if d.url == "https://fr.example/cafe"][0]
    assert "Le café de la gare ferme à midi" in cafe.page.text


def test_gzip_content_encoding_is_decoded(write_warc, tmp_path):
    path = tmp_path / "enc.warc"
    body = gzip.compress(ORIGINAL)
    write_warc(path, [("https://news.example/gz", body, "text/html; charset=utf-8")], gzip=False)
    # warcio writes the payload as given; declare the encoding the way servers do.
    extra = b"Content-Encoding: gzip\r\n"
    data = path.read_bytes().replace(b"Content-Type: text/html", extra + b"Content-Type: text/html", 1)
    # ... and keep the record's framing right: its Content-Length counts the added header.
    head, sep, rest = data.rpartition(b"WARC/1.")
    m = re.search(rb"Content-Length: (\d+)", rest)
    rest = rest[: m.start(1)] + str(int(m.group(1)) + len(extra)).encode() + rest[m.end(1) :]
    data = head + sep + rest
    docs = list(pages_from_warc(data, name="enc.warc"))
    assert len(docs) == 1
    assert "cycle lanes" in docs[0].page.title


def test_verdicts_match_scoring_the_same_html_directly(crawl):
    path, _ = crawl
    from detector.api import score_documents

    verdicts = list(score_documents(load(path)))
    assert len(verdicts) == 3
    direct = score(FARM, url="https://farm.example/hose-reels")
    assert verdicts[0].probability == direct.probability
    assert verdicts[0].url == "https://farm.example/hose-reels"
    assert verdicts[0].signals == direct.signals


def test_bytes_input_is_sniffed_as_warc(crawl):
    path, ids = crawl
    docs = list(pages_from_bytes(path.read_bytes(), name="mem.warc.gz"))
    assert [d.input for d in docs] == [f"mem.warc.gz#{ids[i]}" for i in (0, 2, 4)]


def test_record_over_the_size_cap_is_truncated_not_dropped(crawl):
    path, _ = crawl
    docs = list(pages_from_warc_path(path, options=Options(max_bytes=600)))
    assert len(docs) == 3
    assert all(d.page.truncated for d in docs[:2])
    assert len(docs[0].page.html) <= 600


def test_not_a_warc_is_an_input_error(tmp_path):
    from detector.errors import InputError

    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(gzip.compress(b"<html><body>not a warc</body></html>"))
    with pytest.raises(InputError):
        list(pages_from_warc_path(bad))


def test_cli_writes_one_line_per_html_record_and_counts_the_rest(crawl, tmp_path, capsys):
    path, ids = crawl
    out = tmp_path / "out.jsonl"
    code = main(["score", str(path), "--output", str(out)])
    assert code in (0, 1)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["url"] for r in rows] == [
        "https://farm.example/hose-reels",
        "https://news.example/cycle-lanes",
        "https://fr.example/cafe",
    ]
    assert [r["input"].rsplit("#", 1)[1] for r in rows] == [ids[0], ids[2], ids[4]]
    err = capsys.readouterr().err
    assert "3 HTML pages scored, 2 non-HTML responses skipped, 1 non-2xx skipped" in err

    # --resume keys on <file>#<record id>: a second run adds nothing.
    main(["score", str(path), "--output", str(out), "--resume"])
    assert len(out.read_text().splitlines()) == 3
    # Losing the last record and resuming scores just that one again.
    lines = out.read_text().splitlines(keepends=True)
    out.write_text("".join(lines[:2]))
    main(["score", str(path), "--output", str(out), "--resume"])
    again = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["input"] for r in again] == [r["input"] for r in rows]


def test_warc_target_uri_is_the_url_and_marked_as_such(write_warc, tmp_path):
    path = tmp_path / "targets.warc.gz"
    canon = b'<html><head><link rel="canonical" href="https://canonical.example/x"></head><body><p>Hello there.</p></body></html>'
    write_warc(path, [("https://fetched.example/x", canon, "text/html"), ("urn:example:page", canon, "text/html")])
    docs = list(pages_from_warc_path(path))
    assert [(d.url, d.url_source) for d in docs] == [("https://fetched.example/x", "warc"), (None, None)]
    # The record's target beats the canonical; a non-http target leaves the canonical to recover.
    assert [(d.page.address, d.page.url_source) for d in docs] == [
        ("https://fetched.example/x", "warc"), ("https://canonical.example/x", "canonical"),
    ]
    from detector.api import score_documents

    assert [(v.url, v.url_source) for v in score_documents(iter(docs))] == [
        ("https://fetched.example/x", "warc"), ("https://canonical.example/x", "canonical"),
    ]
