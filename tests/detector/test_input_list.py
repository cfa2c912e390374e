"""Input lists (``--input-file``): one input per line, optionally ``PATH<TAB>URL``."""

import io
from pathlib import Path

import pytest

from detector.errors import InputError
from detector.sources.input_list import ListEntry, parse_line, read_list

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
URLS = FIXTURES / "urls"


@pytest.mark.parametrize("line", ["", "   ", "\r", "# a comment", "   # indented comment\t x"])
def test_blank_and_comment_lines_are_skipped(line):
    assert parse_line(line, "L:1") is None


def test_path_alone_and_path_with_url():
    assert parse_line("pages/a.html", "L:1") == ListEntry("L:1", item="pages/a.html")
    assert parse_line("pages/a.html\thttps://example.org/a?x=1\r", "L:2") == ListEntry(
        "L:2", item="pages/a.html", url="https://example.org/a?x=1"
    )
    assert parse_line("pages/a.html\t", "L:3") == ListEntry("L:3", item="pages/a.html")  # empty URL: none given


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("a.html\thttps://example.org/\textra", "3 tab-separated fields"),
        ("a.html\texample.org/a", "not an absolute http(s) URL"),
        ("a.html\t/relative/a", "not an absolute http(s) URL"),
        ("a.html\tftp://example.org/a", "not an absolute http(s) URL"),
        ("\thttps://example.org/a", "no input before the tab"),
        ("-", "cannot be listed"),
        ("https://example.org/a\thttps://example.org/b", "drop the second URL"),
        (f"{URLS}\thttps://example.org/", "a directory holds many pages"),
    ],
)
def test_unusable_lines_say_why(line, why):
    entry = parse_line(line, "L:9")
    assert entry is not None and entry.name == "L:9"
    assert entry.error is not None and why in entry.error


def test_read_list_streams_stdin_with_bom_and_crlf_and_leaves_it_open():
    raw = "\ufeffone.html\r\n\r\n# skip\r\ntwo.html\thttps://example.org/two\r\n".encode()
    stream = io.BytesIO(raw)
    entries = list(read_list("-", stdin=stream))
    assert entries == [
        ListEntry("<stdin>:1", item="one.html"),
        ListEntry("<stdin>:4", item="two.html", url="https://example.org/two"),
    ]
    assert not stream.closed


def test_missing_list_fails_when_opened():
    with pytest.raises(InputError, match="cannot read input list"):
        read_list(str(URLS / "no-such-list.txt"))
