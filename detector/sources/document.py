"""What an input is: :class:`Document` (one loaded input: a name, its page or its error) and sniffing.

Every loader (bytes, files, WordPress JSON, WARC, fetched URLs) yields Documents; this module
knows no loader, so each of them can import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from detector.errors import FarmscanError
from features.page import Page

FORMATS = ("html", "text", "wp-json", "warc")
# A page starts, after whitespace, an XML declaration and comments, with one of these tags.
# The comments are skipped by a loop, not by the pattern: "(?:<!--.*?-->\s*)*<tag" backtracks
# exponentially over a run of comments followed by no tag (found by the fuzzer: 24 comments
# took 6.3 s, 28 over a minute, before any budget was checked).
_HTML_TAG = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|script|link|table|span|a|h[1-6]|article|section|header|nav|br|img|ul|center|font|frameset|style)[\s>/]",
    re.I,
)
_XML_DECL = re.compile(rb"<\?xml[^>]*>", re.I)
_SPACE = re.compile(rb"\s*")
_HTML_ANYWHERE = re.compile(rb"<(?:html|body|head|div|p|br|a\s+href|script)[\s>/]", re.I)
_URL_RE = re.compile(r"^https?://\S+$", re.I)


@dataclass
class Document:
    """One loaded input: a name for reports, the page, or the error that stopped it."""

    input: str
    page: Page | None = None
    error: FarmscanError | None = None

    @property
    def url(self) -> str | None:
        return self.page.url if self.page is not None else None

    @property
    def url_source(self) -> str | None:
        """Where :attr:`url` came from ("given", "wp-link", "warc"), without recovering one."""
        if self.page is None or not self.page.url:
            return None
        return self.page.url_from or "given"


def sniff(data: bytes) -> str:
    """Guess the format of (decompressed) bytes: ``warc``, ``wp-json``, ``html`` or ``text``."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"WARC/", b"warc/")):
        return "warc"
    if head[:1] in (b"{", b"["):
        return "wp-json"
    if _starts_like_html(head) or _HTML_ANYWHERE.search(data[:65536]):
        return "html"
    return "text"


def _starts_like_html(head: bytes) -> bool:
    """Whether ``head`` opens with an HTML tag after whitespace, an XML declaration and comments
    (linear in ``len(head)``: each comment is skipped with one ``find``)."""
    pos = _SPACE.match(head).end()
    decl = _XML_DECL.match(head, pos)
    if decl:
        pos = _SPACE.match(head, decl.end()).end()
    while head.startswith(b"<!--", pos):
        end = head.find(b"-->", pos + 4)
        if end < 0:
            return False
        pos = _SPACE.match(head, end + 3).end()
    return _HTML_TAG.match(head, pos) is not None


def is_url(s: str) -> bool:
    return bool(_URL_RE.match(s.strip())) and "\n" not in s


def display_name(name: str) -> str:
    """An input's name as every output writes it: valid UTF-8, whatever bytes the file name held.

    A file name that is not UTF-8 reaches Python with its bad bytes as lone surrogates
    (``os.fsdecode``); each such byte is written as ``\\xNN`` (``caf\\xe9.html`` for the
    Latin-1 file name ``café.html``). JSON lines, site keys, the HTML report and index ids
    all carry this same name; the file itself is still opened by its real bytes.
    """
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a surrogate that is not an escaped byte (from a caller's str)
            return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return name


def clean_str(s: str) -> str:
    """``s`` with lone surrogates replaced by U+FFFD.

    They come from JSON ``"\\ud800"`` escapes or a caller's ``str``, never from decoded bytes,
    and Lexbor and the extractors cannot UTF-8 encode them.
    """
    if s.isascii():
        return s
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return s
