"""What a newcomer meets: every command ends in one line and the documented exit code (never a
traceback) on outputs that cannot be written, missing inputs and bad options; library inputs
without traps; evidence only where a signal fired; one contract across commands."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from detector import score, score_many, score_sites
from detector.cli import command_modules
from detector.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
EX = ROOT / "examples"
ORIGINAL, FARM = str(EX / "original-article.html"), str(EX / "spun-page.txt")
MISSING = "/no-such-dir-28/sub"


def farmscan(*args: str, stdout=subprocess.PIPE, stdin: bytes | None = None, cwd: Path = ROOT,
             timeout: float = 300) -> tuple[int, str, str]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "detector", *args], stdout=stdout, stderr=subprocess.PIPE,
                          input=stdin, cwd=cwd, env=env, timeout=timeout)
    out = proc.stdout.decode("utf-8", "replace") if isinstance(proc.stdout, bytes) else ""
    return proc.returncode, out, proc.stderr.decode("utf-8", "replace")


def one_line(err: str) -> str:
    assert "Traceback" not in err and "Exception ignored" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("farmscan"), err
    return lines[0]


# ---- 1. no traceback: each subcommand, unwritable outputs, missing inputs, bad options -----------

# (arguments, exit code, a word the one line says); {tmp} is a scratch folder.
CASES: dict[str, list[tuple[list[str], int, str]]] = {
    "score": [
        (["--output", f"{MISSING}/x.jsonl", ORIGINAL], 2, "does not exist"),
        (["--errors", f"{MISSING}/e.jsonl", ORIGINAL], 2, "does not exist"),
        (["--output", "/dev/full", ORIGINAL], 2, "No space left"),
        (["--output", "/dev/full", FARM], 3, "No space left"),  # a farm was flagged before the write failed
        (["--output", "{tmp}", ORIGINAL], 2, "is a directory"),
        (["--jobs", "0", ORIGINAL], 2, "--jobs"),
        (["--threshold", "7", ORIGINAL], 2, "--threshold"),
        (["--url", "https://a.example/", ORIGINAL, FARM], 2, "--url"),
        (["--bogus", ORIGINAL], 2, "unrecognized"),
        ([], 2, "nothing to score"),
    ],
    "sites": [
        (["--html", f"{MISSING}/r.html", str(EX)], 2, "does not exist"),
        (["--output", f"{MISSING}/f.jsonl", str(EX)], 2, "does not exist"),
        (["--output", "/dev/full", str(EX)], 3, "No space left"),  # mirror-post.json, first, is a farm
        (["--html", "/dev/full", str(EX)], 2, "No space left"),
        (["--jobs", "-2", str(EX)], 2, "--jobs"),
        (["--resume", str(EX)], 2, "--resume"),
        (["--min-pages", "0", str(EX)], 2, "--min-pages"),
    ],
    "index": [
        (["build", "--index", f"{MISSING}/idx", str(EX)], 2, "does not exist"),
        (["build", "--index", "{tmp}/idx", "--errors", f"{MISSING}/e", str(EX)], 2, "does not exist"),
        (["build", "--index", "{tmp}/idx", "--jobs", "0", str(EX)], 2, "--jobs"),
        (["add", "--index", f"{MISSING}/idx", str(EX)], 2, "does not exist"),
        (["stats", "--index", f"{MISSING}/idx"], 2, "index"),
        (["build", str(EX)], 2, "--index"),
        ([], 2, "action"),
    ],
    "explain": [
        (["--errors", f"{MISSING}/e.jsonl", ORIGINAL], 2, "does not exist"),
        (["--jobs", "0", ORIGINAL], 2, "--jobs"),
        (["--format", "yaml", ORIGINAL], 2, "invalid choice"),
        (["--url", "https://a.example/", ORIGINAL, FARM], 2, "--url"),
    ],
    "train": [
        (["--out", f"{MISSING}/m.json"], 2, "does not exist"),
        (["--synthetic", "x", "--out", "m.json"], 2, "invalid int"),
    ],
    "evaluate": [
        (["--report-dir", f"{MISSING}/r"], 2, "does not exist"),
        (["--folds", "x"], 2, "invalid int"),
    ],
}


def test_every_subcommand_has_cases():
    """Each command this module knows is driven below; any other (added later) gets the generic
    bad-option case of test_every_subcommand_refuses_a_bad_option_in_one_line."""
    assert set(CASES) <= set(command_modules())
    assert {"score", "sites", "index", "explain", "train", "evaluate"} <= set(CASES)


@pytest.mark.parametrize("cmd,args,code,word", [(c, a, k, w) for c, cases in CASES.items() for a, k, w in cases],
                         ids=lambda x: x if isinstance(x, str) else None)
def test_one_line_and_the_documented_exit_code(cmd, args, code, word, tmp_path):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    got, _out, err = farmscan(cmd, *argv, cwd=tmp_path)
    line = one_line(err)
    assert got == code, err
    assert word in line, line
    assert not Path("/no-such-dir-28").exists()  # no folder created that the user did not ask for


@pytest.mark.parametrize("cmd", sorted(command_modules()))
def test_every_subcommand_refuses_a_bad_option_in_one_line(cmd):
    code, _out, err = farmscan(cmd, "--no-such-option-28")
    assert code == 2
    assert "usage: " in one_line(err)  # the unknown option, or a required one missing first


@pytest.mark.parametrize("page,code", [(ORIGINAL, 2), (FARM, 3)])
def test_standard_output_on_a_full_disk(page, code):
    for cmd in (["score", "--format", "jsonl", "-q"], ["explain", "-q"]):
        with open("/dev/full", "wb") as full:
            got, _out, err = farmscan(*cmd, page, stdout=full)
        assert got == code, err
        assert "No space left" in one_line(err)
    with open("/dev/full", "wb") as full:
        got, _out, err = farmscan("sites", "-q", "--format", "json", str(EX), stdout=full)
    assert got == 2 and "No space left" in one_line(err)


def test_missing_inputs_are_named_records_not_tracebacks(tmp_path):
    code, out, err = farmscan("score", "--format", "jsonl", "--errors", str(tmp_path / "e.jsonl"),
                              ORIGINAL, "/no/such/page.html")
    assert code == 2 and "Traceback" not in err
    assert "farmscan: failed: /no/such/page.html: input: no such file" in err
    assert [json.loads(x)["input"] for x in (tmp_path / "e.jsonl").read_text().splitlines()] == ["/no/such/page.html"]
    assert "1 error," in err  # plural forms right
    for cmd in (["sites"], ["explain"], ["index", "build", "--index", str(tmp_path / "idx")]):
        code, out, err = farmscan(*cmd, "/no/such/page.html")
        assert code == 2 and "Traceback" not in err, err
        assert "failed: /no/such/page.html" in err


# ---- 2. library inputs without traps --------------------------------------------------------------

@pytest.mark.parametrize("s", ["/path/to/page.txt", ORIGINAL, "./page.html", "~/saved/story.htm", "crawl.warc.gz",
                               "C:\\pages\\a.html", "notes.txt"])
def test_a_str_that_looks_like_a_path_raises_and_says_pass_a_path(s):
    with pytest.raises(InputError, match=r"Path"):
        score(s)


@pytest.mark.parametrize("text", [
    "/r/python is where I read about this library, and it was a good read all week.",
    "See page.html for details, the rest of the story follows in the next paragraph.",
    "First line\n/second/line/looks/like/a/path",
    "<p>/a/b.html</p>",
])
def test_real_page_text_is_never_taken_for_a_path(text):
    v = score(text)
    assert v.error is None


def test_score_many_and_score_sites_read_paths_directories_and_warcs(tmp_path, write_warc):
    got = {v.input: v for v in score_many([EX, str(EX / "spun-page.txt"), str(tmp_path / "gone.html")])}
    assert {str(EX / n) for n in ("original-article.html", "mirror-post.json", "spun-page.txt")} <= set(got)
    assert got[str(tmp_path / "gone.html")].error.startswith("input: no such file")
    assert all(v.error is None for k, v in got.items() if "gone" not in k)
    warc = tmp_path / "crawl.warc.gz"
    page = (EX / "original-article.html").read_bytes()
    write_warc(warc, [(f"https://paper.example/story-{i}", page.replace(b"</title>", f" {i}</title>".encode()),
                       "text/html") for i in range(3)])
    for src in (str(warc), warc):
        (site,) = score_sites([src])
        assert site.site == "paper.example" and site.pages == 3 and site.errors == 0
    sites = {s.site for s in score_sites([EX])}
    assert "riverside-gazette.example" in sites and len(sites) >= 3


# ---- 3. evidence only where a signal fired ---------------------------------------------------------

def test_a_feature_at_zero_shows_no_evidence_and_absent_toward_original():
    from detector.options import Options

    for page in (ORIGINAL, FARM):
        v = score(Path(page), options=Options(explain=True))
        assert v.probability == score(Path(page)).probability  # evidence only: probabilities unchanged
        for s in v.signals:
            value = v.features.get(s.name, 0.0)
            assert not any(e.endswith(("= 0", "= 0)")) for e in s.evidence), (s.name, s.evidence)
            if value == 0.0:
                if s.score > 0:
                    assert s.evidence == (), s
                else:
                    assert len(s.evidence) == 1 and s.evidence[0].startswith("absent: "), s


def test_blocklist_reasons_quote_fired_evidence_only():
    from detector.sites.export import export
    from detector.sites.verdict import SiteVerdict
    from detector.verdict import Signal

    v = SiteVerdict(site="farm.example", label="farm", probability=0.9, pages=3, pages_flagged=3, errors=0,
                    kind="content-farm", kind_signals=[], note=None, examples=[], model="m", threshold=0.5,
                    signals=[Signal("copy.wire_credit", 0.5, ("copy.wire_credit on 1 of 1 pages (e.g. copy.wire_credit = 0)",)),
                             Signal("site.flagged_share", 0.4, ("3 of 3 pages flagged",)),
                             Signal("ads.trackers", 0.2, ("absent: trackers (ads)",))])
    text = export([v], "hosts")
    assert "3 of 3 pages flagged" in text and "= 0" not in text and "absent" not in text


# ---- 4. one contract -------------------------------------------------------------------------------

def test_json_is_one_array_for_every_command():
    for cmd in (["score"], ["explain"], ["sites"]):
        code, out, err = farmscan(*cmd, "--format", "json", "-q", ORIGINAL, FARM)
        assert code in (0, 1), err
        rows = json.loads(out)
        assert isinstance(rows, list) and rows


def test_input_file_and_jobs_everywhere(tmp_path):
    lst = tmp_path / "list.tsv"
    lst.write_text(f"{ORIGINAL}\thttps://riverside-gazette.example/story\n{FARM}\n")
    code, out, _ = farmscan("explain", "--format", "json", "-q", "--jobs", "-1", "--input-file", str(lst))
    assert [r["input"] for r in json.loads(out)] == [ORIGINAL, FARM]
    code, out, _ = farmscan("sites", "--format", "json", "-q", "--jobs", "2", "--input-file", str(lst))
    one = farmscan("sites", "--format", "json", "-q", "--jobs", "1", "--input-file", str(lst))[1]
    assert json.loads(out) == json.loads(one)  # the same verdicts on two processes as on one
    code, _out, err = farmscan("index", "build", "--index", str(tmp_path / "a"), "--jobs", "2", "--input-file", str(lst))
    assert code == 0 and "indexed 2 pages" in err
    code, _out, err = farmscan("index", "build", "--index", str(tmp_path / "b"), "--input-file", str(lst))
    assert code == 0 and "indexed 2 pages" in err
    q = [farmscan("score", "--format", "json", "-q", "--index", str(tmp_path / x), str(EX / "mirror-post.json"))[1]
         for x in "ab"]
    assert json.loads(q[0])[0]["copy_of"] == json.loads(q[1])[0]["copy_of"]
    code, out, _ = farmscan("score", "--format", "jsonl", "-q", "--jobs", "-1", ORIGINAL, FARM)
    assert code == 1 and len(out.splitlines()) == 2


def test_index_build_prints_no_progress_lines_when_stderr_is_not_a_terminal(tmp_path):
    code, _out, err = farmscan("index", "build", "--index", str(tmp_path / "i"), str(EX))
    assert code == 0 and err.strip().splitlines() == [err.strip()]  # the summary only
    assert err.startswith("farmscan: indexed 3 pages")


def test_sites_output_and_resume(tmp_path):
    out = tmp_path / "facts.jsonl"
    first = farmscan("sites", "--format", "json", "-q", "--output", str(out), ORIGINAL, FARM)
    assert len(out.read_text().splitlines()) == 2
    again = farmscan("sites", "--format", "json", "-q", "--output", str(out), "--resume", ORIGINAL, FARM,
                     str(EX / "mirror-post.json"))
    assert len(out.read_text().splitlines()) == 3  # only the new page scored and appended
    full = farmscan("sites", "--format", "json", "-q", ORIGINAL, FARM, str(EX / "mirror-post.json"))
    assert json.loads(again[1]) == json.loads(full[1]) and again[0] == full[0]
    assert first[0] in (0, 1)
    code, _o, err = farmscan("sites", "--output", str(out), ORIGINAL)
    assert code == 2 and "--resume" in one_line(err)


def test_empty_input_abstains_like_a_one_byte_file(tmp_path):
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "one.html").write_bytes(b"x")
    code, out, _ = farmscan("score", "--format", "jsonl", "-q", str(tmp_path / "empty.html"), str(tmp_path / "one.html"))
    recs = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [r["error"] for r in recs] == [None, None]
    assert recs[0]["abstain"] == "not a page: empty input" and recs[1]["abstain"].startswith("not a page")


def test_a_fetched_pdf_abstains_with_its_type_named(serve):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = (EX / "original-article.html").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    with serve(Handler) as base:
        code, out, err = farmscan("score", "--format", "jsonl", "-q", "--allow-private", f"{base}/paper.pdf")
    (rec,) = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and rec["label"] is None and rec["abstain"] == "not a page: served as application/pdf"


# ---- 6. training for users ----------------------------------------------------------------------------

def test_evaluate_quick_mode_and_eta_lines():
    from detector.cli import build_parser
    from detector.commands.evaluate import Eta

    args = build_parser().parse_args(["evaluate", "--quick"])
    assert args.quick and args.folds == 5  # --quick applies its folds in run() unless they were given
    said: list[str] = []
    eta = Eta(said.append, fits=4)
    for msg in ("featurised 10/10 real pages", "outer fold 1/4: threshold 0.5", "outer fold 2/4: threshold 0.5",
                "outer fold 3/4: threshold 0.5", "outer fold 4/4: threshold 0.5"):
        eta(msg)
    assert said[0] == "featurised 10/10 real pages"
    assert all("elapsed, about " in m and " left]" in m for m in said[1:4])
    assert said[4].endswith("elapsed]")
