"""Hostile input, round three (issue 29), classes 10-16 and 18: decoding capped inside the
decoder on every path, streams that stream, input walks that never end a run.

Each class runs through a real ``farmscan`` subprocess (the CLI from this checkout), asserting
one record per input, no traceback, the documented exit code, and the child's peak RSS under
MAX_RSS_MB. Streaming is asserted by observation, not timing: the first record is read while
the input is still open (a pipe kept open, a WARC file descriptor not yet at its end).
"""

from __future__ import annotations

import gzip
import http.server
import json
import os
import select
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import pytest

from tests.helpers.pages import html_page

ROOT = Path(__file__).resolve().parents[2]
MAX_RSS_MB = 600
TEXT = "".join(f"<p>Paragraph {i} of a plain page about gardening, soil and the seasons.</p>" for i in range(8))

_RUN_CLI = """
import atexit, os, sys
from detector.cli import main

def _peak():
    with open("/proc/self/status") as fh, open(os.environ["RSS_OUT"], "w") as out:
        out.write(next((l.split()[1] for l in fh if l.startswith("VmHWM")), "0"))

atexit.register(_peak)
sys.exit(main(sys.argv[1:]))
"""


def farmscan(*argv: str, timeout: float = 300) -> tuple[subprocess.CompletedProcess, float]:
    """Run the CLI; returns (process, the child's peak RSS in MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        proc = subprocess.run(
            [sys.executable, "-c", _RUN_CLI, *argv], capture_output=True, timeout=timeout, cwd=ROOT,
            env={**os.environ, "RSS_OUT": rss_file.name, "OMP_NUM_THREADS": "1"},
        )
        peak_kb = int(Path(rss_file.name).read_text() or 0)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")[-2000:]
    return proc, peak_kb / 1024


def records(proc: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]


def _warc_record(uri: str, http_headers: list[tuple[str, str]], body: bytes, rid: int) -> bytes:
    http = "HTTP/1.1 200 OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in http_headers) + "\r\n"
    block = http.encode() + body
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{rid:012d}>\r\n"
        f"WARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return head.encode() + block + b"\r\n\r\n"


def _gzip_zeros(n_mb: int) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * (1 << 20)
    return b"".join(c.compress(zeros) for _ in range(n_mb)) + c.flush()


# ---- 10: Content-Encoding bombs inside WARC records ----------------------------------------------


def test_warc_content_encoding_bomb_is_cut_inside_the_decoder(tmp_path):
    bomb = _gzip_zeros(1024)  # 1 GiB of zeros in ~1 MB of gzip
    page = html_page("A garden page", TEXT).encode()
    warc = tmp_path / "bomb.warc"
    warc.write_bytes(
        _warc_record("https://example.test/bomb", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], bomb, 1)
        + _warc_record("https://example.test/ok", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                       gzip.compress(page), 2)
    )
    proc, rss = farmscan("score", "--format", "jsonl", "-q", str(warc))
    recs = records(proc)
    assert len(recs) == 2, proc.stderr
    assert recs[0]["truncated"] is True and recs[0]["error"] is None
    assert recs[1]["error"] is None and recs[1]["label"] in ("farm", "original")
    assert rss < MAX_RSS_MB
    assert proc.returncode in (0, 1)


def test_warc_brotli_bomb_is_cut(tmp_path):
    brotli = pytest.importorskip("brotli")
    bomb = brotli.compress(b"\0" * (1 << 30), quality=1)  # 1 GiB of zeros in ~190 KB
    warc = tmp_path / "br.warc"
    warc.write_bytes(_warc_record("https://example.test/br", [("Content-Type", "text/html"), ("Content-Encoding", "br")], bomb, 1))
    proc, rss = farmscan("score", "--format", "jsonl", "-q", str(warc))
    recs = records(proc)
    assert len(recs) == 1 and recs[0]["truncated"] is True
    assert rss < MAX_RSS_MB


# ---- 11: a first record header over FastWARC's limit ---------------------------------------------


def test_warc_first_header_over_the_limit_is_one_record(tmp_path):
    warc = tmp_path / "longhead.warc"
    rec = _warc_record("https://example.test/a", [("Content-Type", "text/html")], html_page("A", TEXT).encode(), 1)
    warc.write_bytes(rec.replace(b"WARC-Date:", b"X-Padding: " + b"a" * 200_000 + b"\r\nWARC-Date:", 1))
    proc, _rss = farmscan("score", "--format", "jsonl", "-q", str(warc))
    recs = records(proc)
    assert len(recs) == 1, recs
    assert recs[0]["error"] and proc.returncode == 2


# ---- 12: many records in one WARC are written as they are scored ---------------------------------


def test_warc_records_are_written_before_the_archive_is_read(tmp_path):
    n = 3000
    warc = tmp_path / "many.warc"
    with warc.open("wb") as fh:
        for i in range(n):
            fh.write(_warc_record(f"https://s{i % 50}.example.test/p{i}", [("Content-Type", "text/html")],
                                  html_page(f"Page {i}", TEXT).encode(), i))
    size = warc.stat().st_size
    proc = subprocess.Popen([sys.executable, "-m", "detector", "score", "--format", "jsonl", "-q", str(warc)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    try:
        first = json.loads(proc.stdout.readline())
        # We read no more: once the pipe is full the child blocks on writing, with the archive
        # still open and far from its end (a batch collected whole would have read it all).
        assert first["input"].startswith(str(warc)) and first["error"] is None
        pos = None
        fd_dir = Path(f"/proc/{proc.pid}/fd")
        for fd in fd_dir.iterdir():
            try:
                if os.readlink(fd) == str(warc):
                    info = Path(f"/proc/{proc.pid}/fdinfo/{fd.name}").read_text()
                    pos = int(info.split("pos:")[1].split()[0])
            except OSError:
                continue
        assert pos is not None, "the WARC is no longer open after its first record"
        assert pos < size
    finally:
        proc.kill()
        proc.wait()


# ---- 13: a WordPress list of one post and millions of other items --------------------------------


def test_wordpress_list_of_a_million_non_posts_streams_in_flat_memory(tmp_path):
    post = {"title": {"rendered": "A post"}, "content": {"rendered": TEXT}, "link": "https://example.test/a"}
    path = tmp_path / "list.json"
    path.write_text("[" + json.dumps(post) + "," + ",".join(["0"] * 1_000_000) + "]")
    proc, rss = farmscan("score", "--format", "jsonl", "-q", str(path))
    recs = records(proc)
    assert [r["error"] is None for r in recs] == [True, False]
    assert recs[1]["input"] == f"{path}#1-1000000" and "1000000 items" in recs[1]["error"]
    assert rss < MAX_RSS_MB and proc.returncode in (2, 3)


# ---- 14: a gzip body of many empty members over HTTP ---------------------------------------------


def test_http_gzip_of_many_empty_members_then_the_page(serve):
    body = gzip.compress(b"") * 20_000 + gzip.compress(html_page("Served page", TEXT).encode())

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    with serve(Handler) as base:
        proc, rss = farmscan("score", "--format", "jsonl", "-q", "--allow-private", base + "/page.html", timeout=120)
    recs = records(proc)
    assert len(recs) == 1 and recs[0]["error"] is None, recs
    assert proc.returncode in (0, 1)


# ---- 15: input paths stat() cannot read ----------------------------------------------------------


def test_name_too_long_is_one_error_record_and_the_batch_goes_on(tmp_path):
    ok = tmp_path / "ok.html"
    ok.write_text(html_page("Fine", TEXT))
    long_name = str(tmp_path / ("x" * 300) / "page.html")
    after = tmp_path / "after.html"
    after.write_text(html_page("After", TEXT))
    proc, _rss = farmscan("score", "--format", "jsonl", "-q", str(ok), long_name, str(after))
    recs = records(proc)
    assert [r["input"] for r in recs] == [str(ok), long_name, str(after)]
    assert recs[0]["error"] is None and recs[2]["error"] is None
    assert "name too long" in recs[1]["error"].lower()
    assert proc.returncode in (2, 3)


def test_name_too_long_in_an_input_list(tmp_path):
    ok = tmp_path / "ok.html"
    ok.write_text(html_page("Fine", TEXT))
    lst = tmp_path / "list.txt"
    lst.write_text(f"{tmp_path / ('y' * 300)}\n{ok}\n")
    proc, _rss = farmscan("score", "--format", "jsonl", "-q", "--input-file", str(lst))
    recs = records(proc)
    assert len(recs) == 2 and recs[0]["error"] and recs[1]["error"] is None
    assert proc.returncode in (2, 3)


@pytest.mark.skipif(os.geteuid() == 0, reason="root searches any directory: EACCES cannot happen")
def test_unsearchable_directory_is_an_error_record(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "page.html").write_text(html_page("Hidden", TEXT))
    ok = tmp_path / "ok.html"
    ok.write_text(html_page("Fine", TEXT))
    locked.chmod(0)
    try:
        proc, _rss = farmscan("score", "--format", "jsonl", "-q", str(ok), str(locked / "page.html"))
    finally:
        locked.chmod(0o755)
    recs = records(proc)
    assert len(recs) == 2 and recs[0]["error"] is None and "permission" in recs[1]["error"].lower()


# ---- 16: file names that are not UTF-8 -----------------------------------------------------------


def _latin1_dir(tmp_path: Path) -> tuple[Path, str]:
    d = tmp_path / "pages"
    d.mkdir()
    raw = os.fsencode(str(d)) + b"/caf\xe9.html"
    with open(raw, "wb") as fh:
        fh.write(html_page("Latin-1 name", TEXT).encode())
    (d / "plain.html").write_text(html_page("Plain name", TEXT))
    return d, f"{d}/caf\\xe9.html"


def test_non_utf8_file_name_is_escaped_in_score_and_sites(tmp_path):
    d, shown = _latin1_dir(tmp_path)
    proc, _rss = farmscan("score", "--format", "jsonl", "-q", str(d))
    assert sorted(r["input"] for r in records(proc)) == sorted([shown, f"{d}/plain.html"])
    report = tmp_path / "report.html"
    proc, _rss = farmscan("sites", "--format", "jsonl", "-q", "--html", str(report), str(d))
    assert proc.returncode in (0, 1), proc.stderr
    sites = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]  # valid UTF-8
    assert f"?{shown}" in {s["site"] for s in sites}
    assert shown in report.read_text(encoding="utf-8").replace("&#x27;", "'")


def test_non_utf8_file_name_indexes_and_the_next_add_works(tmp_path):
    d, shown = _latin1_dir(tmp_path)
    idx = tmp_path / "idx"
    proc, _rss = farmscan("index", "build", "--index", str(idx), "-q", str(d))
    assert proc.returncode == 0, proc.stderr
    more = tmp_path / "more"
    more.mkdir()
    (more / "next.html").write_text(html_page("Next page", TEXT))
    proc, _rss = farmscan("index", "add", "--index", str(idx), "-q", str(more))
    assert proc.returncode == 0, proc.stderr
    proc, _rss = farmscan("index", "stats", "--index", str(idx))
    assert json.loads(proc.stdout)["pages"] == 3
    import sqlite3

    with sqlite3.connect(idx / "pages.sqlite") as db:
        assert shown in {row[0] for row in db.execute("SELECT ident FROM pages")}


def test_an_orphan_segment_left_by_a_failed_batch_does_not_stop_the_next_add(tmp_path):
    idx = tmp_path / "idx"
    first = tmp_path / "first"
    first.mkdir()
    (first / "a.html").write_text(html_page("First page", TEXT))
    proc, _rss = farmscan("index", "build", "--index", str(idx), "-q", str(first))
    assert proc.returncode == 0
    # What a batch that failed after writing its segment, before committing it, leaves behind.
    orphan = idx / "seg-0000000001"
    orphan.mkdir()
    (orphan / "keys.npy").write_bytes(b"partial")
    more = tmp_path / "more"
    more.mkdir()
    (more / "b.html").write_text(html_page("Second page", TEXT))
    proc, _rss = farmscan("index", "add", "--index", str(idx), "-q", str(more))
    assert proc.returncode == 0, proc.stderr
    proc, _rss = farmscan("index", "stats", "--index", str(idx))
    assert json.loads(proc.stdout)["pages"] == 2


# ---- 18: --input-file - scores each line as it arrives -------------------------------------------


def test_input_list_on_stdin_is_scored_line_by_line(tmp_path):
    pages = []
    for i in range(2):
        p = tmp_path / f"p{i}.html"
        p.write_text(html_page(f"Streamed {i}", TEXT))
        pages.append(p)
    proc = subprocess.Popen([sys.executable, "-m", "detector", "score", "--format", "jsonl", "-q", "--input-file", "-"],
                            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env={**os.environ, "OMP_NUM_THREADS": "1"})
    try:
        proc.stdin.write(f"{pages[0]}\n".encode())
        proc.stdin.flush()
        # The list stays open: the record must come back before the producer closes it.
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        assert ready, "no record while the input list is still open"
        first = json.loads(proc.stdout.readline())
        assert first["input"] == str(pages[0]) and first["error"] is None
        proc.stdin.write(f"{pages[1]}\n".encode())
        proc.stdin.close()
        second = json.loads(proc.stdout.readline())
        assert second["input"] == str(pages[1])
        assert proc.wait(timeout=120) in (0, 1)
    finally:
        proc.kill()
        proc.wait()


def test_many_records_with_several_jobs_come_back_whole_and_in_order(tmp_path):
    warc = tmp_path / "spooled.warc"
    with warc.open("wb") as fh:
        for i in range(300):  # past what a worker sends back whole: read back from its spool file
            fh.write(_warc_record(f"https://s{i % 7}.example.test/p{i}", [("Content-Type", "text/html")],
                                  html_page(f"Page {i}", TEXT).encode(), i))
    page = tmp_path / "one.html"
    page.write_text(html_page("One page", TEXT))
    one, _ = farmscan("score", "--format", "jsonl", "-q", "--jobs", "1", str(warc), str(page))
    two, _ = farmscan("score", "--format", "jsonl", "-q", "--jobs", "2", str(warc), str(page))
    assert len(records(one)) == 301
    assert records(two) == records(one)
    assert not list(Path(tempfile.gettempdir()).glob("farmscan-spool-*"))
