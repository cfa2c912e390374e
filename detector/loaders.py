"""Sources to pages: one module that sniffs what an input is and builds :class:`Page` objects.

Accepted: HTML (bytes or str), gzipped files, WordPress REST posts (one or a list),
plain extracted text, WARC files, URLs, files, directories, ``-`` (stdin) and a
``bs4.BeautifulSoup`` a crawler already holds. ``Options.input_format`` overrides sniffing.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

from detector.decode import GZIP_MAGIC, check_size, decode, gunzip, sniff_bom
from detector.errors import FarmscanError, InputError
from detector.options import DEFAULT_OPTIONS, Options
from features.page import Page, from_text, parse_html

FORMATS = ("html", "text", "wp-json", "warc")
PAGE_EXTENSIONS = (
    ".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".json", ".txt", ".text",
    ".warc", ".arc",
)
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


# ---- sniffing -------------------------------------------------------------------------


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


# ---- building pages -------------------------------------------------------------------


def pages_from_bytes(
    data: bytes,
    *,
    url: str | None = None,
    name: str = "<bytes>",
    options: Options = DEFAULT_OPTIONS,
    http_charset: str | None = None,
    truncated: bool = False,
) -> Iterator[Document]:
    """Every page in ``data`` (one, or several for a WordPress list or a WARC file).

    ``truncated`` says ``data`` was already cut (a fetched body at the size cap).
    """
    if data[:2] == GZIP_MAGIC:
        data, cut = gunzip(data, options.max_bytes)
    else:
        data, cut = check_size(data, options.max_bytes)
    truncated = truncated or cut
    fmt = options.input_format or sniff(data)
    if fmt not in FORMATS:
        raise InputError(f"unknown input format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if fmt == "warc":
        from detector.warc import pages_from_warc

        yield from pages_from_warc(data, name=name, options=options)
        return
    if not data.strip():
        raise InputError("empty input")
    text, _enc = decode(data, http_charset)
    if not options.input_format and sniff_bom(data)[0] not in (None, "utf-8"):
        fmt = None  # UTF-16/32 bytes cannot be sniffed: sniff the decoded text instead
    yield from pages_from_str(text, url=url, name=name, options=options, fmt=fmt, truncated=truncated)


def pages_from_str(
    text: str,
    *,
    url: str | None = None,
    name: str = "<str>",
    options: Options = DEFAULT_OPTIONS,
    fmt: str | None = None,
    truncated: bool = False,
) -> Iterator[Document]:
    if len(text) > options.max_bytes:
        text, truncated = text[: options.max_bytes], True
    if fmt is None:
        fmt = options.input_format or sniff(text[:65536].encode("utf-8", "replace"))
    if not text.strip():
        raise InputError("empty input")
    if fmt == "wp-json":
        try:
            obj = json.loads(text)
        except RecursionError:
            raise InputError("JSON nested too deeply to read") from None
        except json.JSONDecodeError as exc:
            if options.input_format == "wp-json":
                raise InputError(f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
            # Not JSON after all (a text that starts with a bracket): read it as text.
            yield Document(name, _mark(from_text(text, url=url), truncated))
            return
        except ValueError as exc:  # e.g. an integer of more digits than Python converts
            raise InputError(f"JSON value out of range ({str(exc).split(';')[0]})") from None
        yield from pages_from_wp_json(obj, name=name, url=url)
        return
    if fmt == "html":
        yield Document(name, _mark(parse_html(text, url=url), truncated))
        return
    if fmt == "text":
        yield Document(name, _mark(from_text(text, url=url), truncated))
        return
    raise InputError(f"input format {fmt!r} needs bytes")


def _mark(page: Page, truncated: bool) -> Page:
    page.truncated = truncated
    return page


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


def _rendered(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return clean_str(value) if isinstance(value, str) else ""


def is_wp_post(obj: Any) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("content"), dict) and "rendered" in obj["content"]


def page_from_wp_post(post: dict[str, Any], url: str | None = None) -> Page:
    """A WordPress REST API post (``/wp-json/wp/v2/posts/N``) as a page.

    Uses ``title.rendered``, ``content.rendered``, ``link``, tags from ``class_list``
    (``tag-...``), ``author_info`` and ``featured_image_urls``.
    """
    title = unescape(_rendered(post.get("title")))
    content = _rendered(post.get("content"))
    link = post.get("link") if isinstance(post.get("link"), str) else None
    tags: list[str] = []
    for cls in post.get("class_list") or []:
        if isinstance(cls, str) and cls.startswith("tag-"):
            tags.append(clean_str(cls[4:]))
    author = None
    info = post.get("author_info")
    if isinstance(info, dict):
        author = info.get("display_name") or info.get("name")
    images = []
    fi = post.get("featured_image_urls")
    if isinstance(fi, dict):
        for v in fi.values():
            if isinstance(v, list) and v and isinstance(v[0], str):
                images.append(v[0])
            elif isinstance(v, str):
                images.append(v)
    html = f"<html><head><title>{_escape(title)}</title></head><body><article>{content}</article></body></html>"
    return Page(
        url=url or link,
        kind="wp-json",
        html=html,
        given_title=title,
        given_tags=tuple(tags),
        given_author=clean_str(author) if isinstance(author, str) else None,
        meta_extra={
            "wp_featured_images": images,
            "wp_date": post.get("date_gmt") or post.get("date"),
            "wp_excerpt": unescape(_rendered(post.get("excerpt"))),
        },
    )


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pages_from_wp_json(obj: Any, *, name: str = "<json>", url: str | None = None) -> Iterator[Document]:
    if is_wp_post(obj):
        yield Document(name, page_from_wp_post(obj, url))
        return
    if isinstance(obj, list):
        posts = [p for p in obj if is_wp_post(p)]
        if not posts:
            raise InputError("JSON list holds no WordPress posts (no content.rendered)")
        for i, post in enumerate(obj):
            sub = f"{name}#{i}"
            if is_wp_post(post):
                yield Document(sub, page_from_wp_post(post, None))
            else:
                yield Document(sub, error=InputError(f"item {i} is not a WordPress post"))
        return
    raise InputError("JSON is not a WordPress REST post (no content.rendered)")


def page_from_soup(soup: Any, url: str | None = None) -> Page:
    """A page from a ``bs4.BeautifulSoup`` a crawler already holds (re-parsed once with Lexbor)."""
    return parse_html(str(soup), url=url)


# ---- files, directories, URLs, stdin ---------------------------------------------------


_FILE_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory"),
)


def not_regular(mode: int) -> str | None:
    """What a non-regular file is (``"a FIFO (named pipe)"``...), ``None`` for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")


def open_regular(path: Path) -> Any:
    """``path`` opened for reading, refusing FIFOs, sockets and devices without blocking on them.

    Opened non-blocking (a FIFO without a writer would block ``open`` forever) and checked on the
    open descriptor, so the file cannot be swapped between the check and the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    kind = not_regular(os.fstat(fd).st_mode)
    if kind:
        os.close(fd)
        raise InputError(f"skipped {path}: {kind}, not a regular file (use - to read a pipe)")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_file(path: Path, options: Options) -> bytes:
    with open_regular(path) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            # Gzip may expand; read compressed files whole (capped) and cap again after.
            return fh.read(options.max_bytes + 1 if size > options.max_bytes else size + 1)
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


def expand_inputs(inputs: Iterable[str]) -> Iterator[str]:
    """Paths, URLs and ``-`` with directories expanded recursively (sorted, page-like files)."""
    for item in inputs:
        if item == "-" or is_url(item):
            yield item
            continue
        p = Path(item)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    if f.startswith("."):
                        continue
                    fp = Path(root) / f
                    try:
                        mode = fp.stat().st_mode
                    except OSError:
                        yield str(fp)  # a dangling link or a file gone: reported when read
                        continue
                    if not_regular(mode) or _looks_like_page_file(fp):
                        # Non-regular files are yielded without being opened: reading one
                        # gives a record saying it was skipped.
                        yield str(fp)
        else:
            yield item


def _looks_like_page_file(p: Path) -> bool:
    name = p.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if name.endswith(PAGE_EXTENSIONS):
        return True
    if "." in name and not name.endswith(tuple(f".{e}" for e in ("htm", "html"))):
        ext = name.rsplit(".", 1)[1]
        if ext in {"tsv", "csv", "md", "py", "png", "jpg", "jpeg", "gif", "css", "js", "pdf", "zip", "parquet"}:
            return False
    try:
        with open_regular(p) as fh:
            head = fh.read(2048)
    except (OSError, InputError):
        return False
    if head[:2] == GZIP_MAGIC:
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 2048)
        except zlib.error:
            return False
    return sniff(head) in ("html", "wp-json", "warc")


def load(
    item: str | bytes | Path | Any,
    *,
    url: str | None = None,
    options: Options = DEFAULT_OPTIONS,
    stdin: Any = None,
) -> Iterator[Document]:
    """Documents for one source. Errors are raised (the caller records them per input)."""
    if isinstance(item, Page):
        yield Document(url or item.url or "<page>", item)
        return
    if isinstance(item, bytes | bytearray | memoryview):
        yield from pages_from_bytes(bytes(item), url=url, options=options)
        return
    if isinstance(item, dict | list):
        yield from pages_from_wp_json(item, url=url)
        return
    if type(item).__name__ == "BeautifulSoup" or hasattr(item, "decode_contents"):
        yield Document(url or "<soup>", page_from_soup(item, url))
        return
    if isinstance(item, Path):
        if options.input_format in (None, "warc") and item.name.lower().endswith((".warc", ".warc.gz")):
            from detector.warc import pages_from_warc_path

            # Streamed record by record: archives are often far larger than max_bytes.
            yield from pages_from_warc_path(item, options=options)
            return
        data = read_file(item, options)
        yield from pages_from_bytes(data, url=url, name=str(item), options=options)
        return
    if isinstance(item, str):
        if item == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(options.max_bytes + 1)
            yield from pages_from_bytes(data, url=url, name="-", options=options)
            return
        if is_url(item):
            from detector.fetch import fetch

            resp = fetch(item, options)
            yield from pages_from_bytes(
                resp.body,
                url=resp.url,
                name=item,
                options=options,
                http_charset=resp.charset,
                truncated=resp.truncated,
            )
            return
        # Any other str is page content (HTML, WordPress JSON or text); files are Paths.
        yield from pages_from_str(clean_str(item), url=url, options=options)
        return
    raise InputError(f"cannot read a {type(item).__name__} as a page")


def load_path_or_url(item: str, *, url: str | None, options: Options, stdin: Any = None) -> Iterator[Document]:
    """CLI inputs: a path, a URL or ``-``."""
    if item == "-" or is_url(item):
        yield from load(item, url=url, options=options, stdin=stdin)
        return
    p = Path(item)
    if not p.exists():
        raise InputError(f"no such file or directory: {item}")
    yield from load(p, url=url, options=options)
