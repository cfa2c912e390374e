"""The ``farmscan`` command: exit codes, JSONL contract, stdout/stderr split, help."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from detector.cli import EXIT_ERROR, EXIT_FLAGGED, EXIT_OK, build_parser, command_modules, main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SITE = FIXTURES / "cli" / "site"
LOADERS = FIXTURES / "loaders"
KEYS = {"input", "url", "label", "probability", "model", "signals", "error"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_nothing_flagged_exits_0(capsys):
    code, out, err = run(capsys, "score", "--format", "jsonl", "--threshold", "1.0", str(SITE))
    assert code == EXIT_OK
    recs = records(out)
    assert len(recs) == 4 and all(r["label"] == "original" for r in recs)


def test_flagged_exits_1_and_jsonl_contract(capsys):
    inputs = [str(LOADERS / "plain.txt"), str(SITE), str(LOADERS / "wp_posts.json")]
    code, out, err = run(capsys, "score", "--format", "jsonl", "--threshold", "0.0", *inputs)
    assert code == EXIT_FLAGGED
    lines = out.splitlines()
    recs = records(out)
    assert len(lines) == 1 + 4 + 3
    assert [r["input"] for r in recs] == [
        inputs[0],
        *(str(SITE / p) for p in ("index.html", "sub/about", "sub/archive.html.gz", "sub/events.htm")),
        *(f"{inputs[2]}#{i}" for i in range(3)),
    ]
    for r in recs:
        assert KEYS <= set(r)
        assert r["label"] == "farm" and r["error"] is None
        assert isinstance(r["signals"], list)
        for s in r["signals"]:
            assert set(s) == {"name", "score", "evidence"}
    assert "farmscan: done:" in err  # the summary goes to stderr; stdout held only records


def test_missing_file_in_a_batch_exits_2_and_others_are_scored(capsys, tmp_path):
    missing = str(tmp_path / "nope.html")
    code, out, err = run(
        capsys, "score", "--format", "jsonl", "--threshold", "1.0", str(LOADERS / "plain.txt"), missing, str(LOADERS / "ru_windows1251.html")
    )
    assert code == EXIT_ERROR
    recs = records(out)
    assert [r["input"] for r in recs] == [str(LOADERS / "plain.txt"), missing, str(LOADERS / "ru_windows1251.html")]
    assert recs[0]["error"] is None and recs[2]["error"] is None
    assert recs[1]["label"] is None
    assert recs[1]["error"].startswith("input: no such file or directory") and "\n" not in recs[1]["error"]


@pytest.mark.parametrize(
    "argv",
    [
        ["score", "--no-such-flag", "x.html"],
        ["score", "--threshold", "2", str(SITE)],
        ["score"],
        [],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == EXIT_ERROR
    assert out == ""
    assert err.strip()


def test_threshold_message_is_one_line(capsys):
    code, out, err = run(capsys, "score", "--threshold", "2", str(SITE))
    assert err.strip() == "farmscan: usage: --threshold must be between 0 and 1"


def test_table_format(capsys):
    code, out, err = run(capsys, "score", "--format", "table", "--threshold", "0.0", str(SITE / "index.html"))
    assert code == EXIT_FLAGGED
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["LABEL", "PROB", "INPUT"]
    assert lines[1].startswith("farm") and lines[1].endswith(str(SITE / "index.html"))


def test_quiet_writes_nothing_to_stderr(capsys):
    code, out, err = run(capsys, "score", "-q", "--format", "jsonl", str(SITE / "index.html"))
    assert err == "" and len(out.splitlines()) == 1


def test_progress_goes_to_stderr_only(capsys):
    code, out, err = run(capsys, "score", "--progress", "--format", "jsonl", str(SITE))
    assert len(out.splitlines()) == 4
    assert all(line.startswith("{") for line in out.splitlines())
    assert "pages/s" in err


def test_explain_prints_features(capsys):
    code, out, err = run(capsys, "explain", str(SITE / "index.html"))
    assert code in (EXIT_OK, EXIT_FLAGGED)
    assert out.startswith(f"== {SITE / 'index.html'}")
    assert "verdict:" in out and "feature" in out
    # one row per feature after the header
    rows = out.split("evidence\n", 1)[1].splitlines()
    assert len(rows) >= 3


def test_explain_json(capsys):
    code, out, err = run(capsys, "explain", "--format", "json", str(SITE / "index.html"))
    (rec,) = json.loads(out)  # one array, as score --format json
    assert rec["features"] and isinstance(rec["evidence"], dict)


def test_every_subcommand_has_help(capsys):
    mods = command_modules()
    assert {"score", "explain"} <= set(mods)
    parser = build_parser()
    helps = {a.dest: a.help for a in parser._subparsers._group_actions[0]._choices_actions}
    for name, mod in mods.items():
        assert isinstance(mod.HELP, str) and mod.HELP.strip(), name
        assert helps[name] == mod.HELP
        code, out, err = run(capsys, name, "--help")
        assert code == EXIT_OK, name
        assert out.startswith(f"usage: farmscan {name}")


def test_top_level_help_lists_commands(capsys):
    code, out, err = run(capsys, "--help")
    assert code == EXIT_OK
    for name in command_modules():
        assert name in out


def test_stdin_with_url_in_a_subprocess(html_page):
    html = html_page("Piped page", "<p>Read from standard input.</p><a href='/next'>next</a>")
    proc = subprocess.run(
        [sys.executable, "-m", "detector", "score", "-", "--url", "https://pipe.example.com/a/", "--format", "jsonl"],
        input=html.encode(),
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == EXIT_OK, proc.stderr.decode()
    (rec,) = records(proc.stdout.decode())
    assert rec["input"] == "-"
    assert rec["url"] == "https://pipe.example.com/a/"
    assert rec["error"] is None
    assert b"farmscan: done" in proc.stderr


def test_stdin_given_twice_is_a_usage_error(capsys):
    code, out, err = run(capsys, "score", "-", "-")
    assert code == EXIT_ERROR and "once" in err


# ---- --input-file LIST --------------------------------------------------------------------

URLS = FIXTURES / "urls"
SHED_URL = "https://news.example.com/2026/sheds"


def _url_features(rec: dict) -> dict:
    return {k: v for k, v in rec["features"].items() if k.startswith("url.")}


def test_input_file_with_and_without_urls(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(URLS)  # relative paths in the list are read from the current directory
    missing = tmp_path / "missing.html"
    lst = tmp_path / "list.tsv"
    lst.write_text(
        "# saved pages, PATH<TAB>URL\n"
        f"canonical.html\t{SHED_URL}\n"
        "canonical.html\n"
        "\n"
        f"{URLS / 'og_url.html'}\n"
        "no_address.html\tnot-a-url\n"
        "a.html\tb\tc\n"
        f"{missing}\n"
        f"{SITE / 'sub'}\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "score", "--format", "jsonl", "--explain", "--threshold", "1.0", "--input-file", str(lst))
    assert code == EXIT_ERROR  # some lines failed; every other input was scored
    recs = records(out)
    assert [r["input"] for r in recs] == [
        "canonical.html", "canonical.html", str(URLS / "og_url.html"), f"{lst}:6", f"{lst}:7", str(missing),
        *(str(SITE / "sub" / p) for p in ("about", "archive.html.gz", "events.htm")),
    ]
    given, recovered, og = recs[0], recs[1], recs[2]
    assert (given["url"], given["url_source"]) == (SHED_URL, "given")
    assert (recovered["url"], recovered["url_source"]) == ("https://7730215-cheap-tips.xyz/?p=4411", "canonical")
    assert _url_features(recovered)["url.digits_run"] == 1.0 and _url_features(given)["url.digits_run"] == 0.0
    assert (og["url_source"], og["error"]) == ("og:url", None)
    assert "not an absolute http(s) URL" in recs[3]["error"] and recs[3]["label"] is None
    assert "3 tab-separated fields" in recs[4]["error"]
    assert "no such file" in recs[5]["error"]
    assert all(r["error"] is None for r in recs[6:])


def test_input_file_from_stdin_beside_arguments(capsys, tmp_path, monkeypatch):
    raw = f"{URLS / 'canonical.html'}\t{SHED_URL}\r\n# done\r\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    code, out, err = run(capsys, "score", "--format", "jsonl", "--threshold", "1.0", str(URLS / "base_href.html"), "--input-file", "-")
    assert code == EXIT_OK, err
    recs = records(out)
    assert [(r["input"], r["url"], r["url_source"]) for r in recs] == [
        (str(URLS / "base_href.html"), "http://a.b.c.pages-4417.club/", "base"),
        (str(URLS / "canonical.html"), SHED_URL, "given"),
    ]


def test_input_file_resume_skips_what_is_done(capsys, tmp_path):
    lst = tmp_path / "list.txt"
    out_file = tmp_path / "out.jsonl"
    lst.write_text(f"{URLS / 'canonical.html'}\t{SHED_URL}\n", encoding="utf-8")
    assert run(capsys, "score", "-q", "--threshold", "1.0", "--input-file", str(lst), "-o", str(out_file))[0] == EXIT_OK
    with lst.open("a", encoding="utf-8") as fh:
        fh.write(f"{URLS / 'og_url.html'}\n")
    assert run(capsys, "score", "-q", "--threshold", "1.0", "--input-file", str(lst), "-o", str(out_file), "--resume")[0] == EXIT_OK
    assert [r["input"] for r in records(out_file.read_text(encoding="utf-8"))] == [
        str(URLS / "canonical.html"), str(URLS / "og_url.html"),
    ]


@pytest.mark.parametrize(
    ("argv", "msg"),
    [
        (["--input-file", "LIST", "--url", SHED_URL], "--url names one page"),
        (["--input-file", "-", "-"], "once"),
        ([], "nothing to score"),
        (["--input-file", "NOPE"], "cannot read input list"),
    ],
)
def test_input_file_usage_errors(capsys, tmp_path, argv, msg):
    argv = [str(tmp_path / "missing-list.txt") if a in ("LIST", "NOPE") else a for a in argv]
    code, out, err = run(capsys, "score", "--format", "jsonl", *argv)
    assert code == EXIT_ERROR and msg in err and out == ""
