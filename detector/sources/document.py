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
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|script|link|table|span|a|h[1-6]|article|section|header|nav|br|img|ul|center|font|frameset|style)[\s>/]",
    re.I | re.S,
)
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
    if _HTML_START.match(head) or _HTML_ANYWHERE.search(data[:65536]):
        return "html"
    return "text"


def is_url(s: str) -> bool:
    return bool(_URL_RE.match(s.strip())) and "\n" not in s


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
