"""The ``farmscan`` command: exit codes, JSONL contract, stdout/stderr split, help."""

import json
import subprocess
import sys

import pytest
from conftest import FIXTURES, html_page

from detector.cli import EXIT_ERROR, EXIT_FLAGGED, EXIT_OK, build_parser, command_modules, main

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
    (rec,) = records(out)
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


def test_stdin_with_url_in_a_subprocess():
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
