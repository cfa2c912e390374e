"""Every command README.md shows, run (in-process) and checked against the output it shows.

The commands are read from README's fenced blocks, not copied here, so a command added to or
changed in README is run too. Placeholder inputs (``page.html``, ``pages/``, ``crawl.warc.gz``,
``https://site.example/story``...) are made real in a scratch directory from the team's
examples (a local 127.0.0.1 server stands in for URLs). Where README shows output (``$``
lines of console blocks), the output's shape is compared: table rows, JSON keys, labels,
signal names, reasons, exit codes. ``farmscan train``/``evaluate`` (minutes of fitting) are
only parsed, as are the shell set-up steps around the ``farmscan`` commands.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import http.server
import importlib
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from detector.cli import build_parser, main

REPO = Path(__file__).resolve().parents[1]
# README and the docs its commands moved to: every command shown in them is run.
DOCS = ("README.md", "docs/inputs.md", "docs/sites.md", "docs/model.md", "docs/development.md")
README = "\n".join((REPO / d).read_text(encoding="utf-8") for d in DOCS)
BLOCKS = [(m.group(1), m.group(2)) for m in re.finditer(r"^ *```(\w*)\n(.*?)^ *```", README, re.S | re.M)]
ONLY_PARSED = {"train", "evaluate"}  # minutes of fitting on the corpus: checked by argparse only
PAGE_NAMES = {"page.html": "original-article.html", "post.json": "mirror-post.json", "notes.txt": "spun-page.txt"}
DIRS = ("crawl-dump", "pages", "more-pages", "suspect-pages", "originals")


def _shell_commands(text: str) -> list[list[str]]:
    """Each ``farmscan ...`` command of a shell line, as argv (up to a pipe, redirect or ``;``)."""
    lex = shlex.shlex(text, posix=True, punctuation_chars=True)
    lex.whitespace_split = True
    lex.commenters = "#"
    tokens = list(lex)
    out, cur = [], None
    for tok in tokens:
        if tok in ("|", "||", "&&", ";", ">", ">>", "<", "&"):
            if cur is not None:
                out.append(cur)
            cur = None
        elif cur is None and tok == "farmscan":
            cur = []
        elif cur is not None:
            cur.append(tok)
    if cur is not None:
        out.append(cur)
    return out


def _console_items() -> list[tuple[str, list[str]]]:
    """``(command line, shown output lines)`` of every console block."""
    items = []
    for lang, body in BLOCKS:
        if lang != "console":
            continue
        cmd, shown = None, []
        for line in body.splitlines():
            if line.startswith("$ "):
                if cmd is not None:
                    items.append((cmd, shown))
                cmd, shown = line[2:], []
            elif cmd is not None:
                shown.append(line)
        if cmd is not None:
            items.append((cmd, shown))
    return items


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, serve, write_warc):
    """A scratch directory holding README's inputs, and a local server for its URLs."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(REPO / "examples", root / "examples")
    for name, src in PAGE_NAMES.items():
        shutil.copy(REPO / "examples" / src, root / name)
    for d in DIRS:
        shutil.copytree(REPO / "examples", root / d)
    # An input list (--input-file): a file with the URL it was saved from, and one without.
    (root / "saved.tsv").write_text("# saved pages\npage.html\thttps://site.example/story\npost.json\n", encoding="utf-8")
    write_warc(root / "crawl.warc.gz", [("https://site.example/story", (REPO / "examples" / "original-article.html").read_bytes(),
                                         "text/html; charset=utf-8")])
    shutil.copy(root / "crawl.warc.gz", root / "crawl-1.warc.gz")  # for README's crawl-*.warc.gz
    # "farmscan train --out my-model.json" is only parsed; the model it would write is the shipped one.
    shutil.copy(REPO / "detector" / "models" / "default.json", root / "my-model.json")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root / "examples"))
    handler.log_message = lambda *a, **k: None
    with serve(handler) as base:
        yield root, f"{base}/original-article.html"


def _argv(raw: list[str], url: str, shared: Path) -> list[str]:
    out = []
    for a in raw:
        a = a.replace("../shared", str(shared))
        if a in ("https://site.example/story", "URL"):
            a = url
        if "*" in a:
            out += sorted(glob.glob(a)) or [a]
        else:
            out.append(a)
    if url in out:
        out.append("--allow-private")  # the stand-in server listens on 127.0.0.1
    return out


def _run(argv: list[str], stdin: bytes | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def _needs_shared(argv: list[str], shared: Path) -> bool:
    return any(str(shared) in a for a in argv)


def _bash_lines() -> list[str]:
    return [ln for lang, body in BLOCKS if lang == "bash" for ln in body.replace("\\\n", " ").splitlines()]


def test_readme_has_commands():
    cmds = [c for line in _bash_lines() for c in _shell_commands(line)]
    assert len(cmds) >= 15 and len(_console_items()) >= 4


def test_every_farmscan_command_in_bash_blocks_runs(shared_path, workspace, monkeypatch):
    root, url = workspace
    monkeypatch.chdir(root)
    ran = parsed = 0
    piped_out: str | None = None
    for line, pos, raw in ((ln, i, c) for ln in _bash_lines() for i, c in enumerate(_shell_commands(ln))):
        argv = _argv(raw, url, shared_path)
        # "farmscan A | farmscan B": B reads what A printed.
        from_pipe = pos > 0 and "| farmscan" in line
        if not from_pipe:
            piped_out = None
        if not argv or (argv[0] in ONLY_PARSED):
            build_parser().parse_args(argv)  # the documented options exist
            parsed += 1
            continue
        if _needs_shared(argv, shared_path) and not (shared_path / "seeds").is_dir():
            continue
        if argv[:1] == ["index"] and argv[1:2] == ["build"] and (root / "news.idx").exists():
            shutil.rmtree(root / "news.idx")
        out_file = argv[argv.index("--output") + 1] if "--output" in argv else None
        if out_file and "--resume" not in argv and (root / out_file).exists():
            (root / out_file).unlink()
        if from_pipe and piped_out is not None:
            stdin = piped_out.encode()
        elif "--input-file" in argv and argv[argv.index("--input-file") + 1] == "-":
            stdin = b"page.html\nnotes.txt\n"  # the list a shell pipeline (find ...) would give
        else:
            stdin = (root / "examples" / "original-article.html").read_bytes() if "-" in argv else None
        code, out, err = _run(argv, stdin)
        piped_out = out
        assert "Traceback" not in err, (raw, err)
        if argv == ["--version"]:
            assert code == 0 and out.startswith("farmscan ")
        elif argv[0] == "index":
            assert code == 0, (raw, err)
        else:
            assert code in (0, 1), (raw, code, err)  # none failed (2, 3 would say so)
            if "--format" in argv and argv[argv.index("--format") + 1] == "jsonl":
                recs = [json.loads(x) for x in out.splitlines()]
                keys = ({"site", "label", "probability", "pages", "pages_flagged", "kind", "signals"} if argv[0] == "sites"
                        else {"input", "label", "probability", "signals", "reasons", "base", "log_odds"})
                assert recs and all(keys <= set(r) for r in recs)
        ran += 1
    assert ran >= 10 and parsed >= 3


def test_the_first_set_up_command_exits_0(workspace, monkeypatch):
    root, _ = workspace
    monkeypatch.chdir(root)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first = next(m.group(2) for m in re.finditer(r"^ *```(\w*)\n(.*?)^ *```", readme, re.S | re.M) if m.group(1) == "bash")
    (cmd,) = _shell_commands(first)
    assert _run(cmd)[0] == 0


def _filter(cmd: str, out: str) -> str:
    """Apply the pipe after the farmscan command (grep -v / python -c) to its output."""
    if "|" not in cmd:
        return out
    rest = cmd.split("|", 1)[1].strip()
    if rest.startswith("grep -v "):
        pattern = shlex.split(rest)[2]
        return "".join(ln for ln in out.splitlines(keepends=True) if not re.search(pattern, ln))
    proc = subprocess.run(rest, shell=True, input=out, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _shape_table(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if re.match(r"^(LABEL|farm|original|-|ERROR) ", ln)]


@pytest.mark.parametrize("cmd,shown", _console_items(), ids=lambda x: x[:60] if isinstance(x, str) else "")
def test_console_output_has_the_shape_shown(shared_path, cmd, shown, workspace, monkeypatch):
    root, url = workspace
    monkeypatch.chdir(REPO)
    (raw,) = _shell_commands(cmd.split("|")[0])
    argv = _argv(raw, url, shared_path)
    if _needs_shared(argv, shared_path) and not (shared_path / "seeds").is_dir():
        pytest.skip(f"shared data not found at {shared_path}")
    code, out, err = _run(argv)
    out = out.replace(str(shared_path), "../shared")
    stdout_shown = [ln for ln in shown if not ln.startswith("farmscan: ")]
    for ln in shown:
        if ln.startswith("farmscan: done: "):
            assert re.search(r"farmscan: done: " + re.escape(ln.split(", ")[0].split(": ")[-1]), err)
    if cmd.rstrip().endswith("echo $?"):
        assert [str(code)] == stdout_shown
        return
    got = _filter(cmd, out)
    if stdout_shown and stdout_shown[0].startswith("LABEL"):
        assert _shape_table(got) == _shape_table("\n".join(stdout_shown))
        return
    text = "\n".join(stdout_shown)
    if text.lstrip().startswith("["):
        want, have = json.loads(text), json.loads(got)
    else:
        want = [json.loads(x) for x in stdout_shown]
        have = [json.loads(x) for x in got.splitlines()]
    assert len(have) == len(want)
    for h, w in zip(have, want, strict=True):
        assert list(h) == list(w)  # same keys, same order
        for k in ("input", "label", "reasons", "model", "error"):
            assert h.get(k) == w.get(k), k
        names = [s[0] if isinstance(s, list) else s["name"] for s in h["signals"]]
        assert names == [s[0] if isinstance(s, list) else s["name"] for s in w["signals"]]


def test_python_blocks_run(workspace, monkeypatch, capsys):
    root, url = workspace
    monkeypatch.chdir(root)
    if not (root / "news.idx").exists():
        assert main(["index", "build", "--index", "news.idx", "originals/"]) == 0
    for lang, body in BLOCKS:
        if lang != "python":
            continue
        code = "\n".join(ln[2:] if ln.startswith("  ") and body.startswith("  ") else ln for ln in body.splitlines())
        names: dict = {"html": (root / "page.html").read_bytes(), "u": url}
        exec(compile(code, "README.md", "exec"), names)  # noqa: S102 - README's own code
        for key in ("ITEM_PIPELINES", "DOWNLOADER_MIDDLEWARES"):
            for path in names.get(key, {}):
                mod, _, cls = path.rpartition(".")
                assert hasattr(importlib.import_module(mod), cls), path
    out = capsys.readouterr().out
    assert "original" in out and "examples/mirror-post.json farm" in out and "no-such.html None input:" in out


def test_benchmark_commands_name_real_scripts_and_flags():
    for line in _bash_lines():
        words = shlex.split(line, comments=True)
        for i, w in enumerate(words):
            if w.startswith("benchmarks/") and w.endswith(".py"):
                src = (REPO / w).read_text(encoding="utf-8")
                for flag in (x for x in words[i + 1:] if x.startswith("--")):
                    assert f'"{flag}"' in src, (w, flag)


def test_readme_is_short_with_contents_and_no_diary():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 400
    assert "## Contents" in readme
    for path in [REPO / "README.md", REPO / "labelled" / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(sessions?|lockbox look [0-9]+)\b", text, re.I), path
