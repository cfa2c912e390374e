"""Sources to pages: loads any accepted input and builds :class:`Page` objects.

Accepted: HTML (bytes or str), gzipped files, WordPress REST posts (one or a list),
plain extracted text, WARC files, URLs, files, directories, ``-`` (stdin) and a
``bs4.BeautifulSoup`` a crawler already holds. ``Options.input_format`` overrides sniffing.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from detector.errors import InputError
from detector.options import DEFAULT_OPTIONS, Options
from detector.sources.decode import GZIP_MAGIC, check_size, decode, gunzip, sniff_bom
from detector.sources.document import FORMATS, Document, clean_str, display_name, is_url, sniff
from detector.sources.files import not_regular, open_regular, read_file
from detector.sources.wp_json import pages_from_wp_json

if TYPE_CHECKING:
    from detector.sources.warc import WarcStats
from features.page import Page, from_text, parse_html

PAGE_EXTENSIONS = (
    ".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".json", ".txt", ".text",
    ".warc", ".arc",
)


# ---- building pages -------------------------------------------------------------------


def pages_from_bytes(
    data: bytes,
    *,
    url: str | None = None,
    name: str = "<bytes>",
    options: Options = DEFAULT_OPTIONS,
    http_charset: str | None = None,
    truncated: bool = False,
    warc_stats: WarcStats | None = None,
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
        from detector.sources.warc import pages_from_warc

        yield from pages_from_warc(data, name=name, options=options, stats=warc_stats)
        return
    if not data.strip():
        # As a one-byte file does: not a page, no label (an error would count it as a failure).
        yield Document(name, not_a_page_page("not a page: empty input", url))
        return
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
        yield Document(name, not_a_page_page("not a page: empty input", url))
        return
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


def page_from_soup(soup: Any, url: str | None = None) -> Page:
    """A page from a ``bs4.BeautifulSoup`` a crawler already holds (re-parsed once with Lexbor)."""
    return parse_html(str(soup), url=url)


# Content-Types a fetched page may be served as (sniffing then reads the bytes); any other
# (application/pdf, image/*, text/css...) is not a page and gets no label.
_PAGE_MEDIA = {"", "text/html", "application/xhtml+xml", "text/plain", "application/json", "text/xml",
               "application/xml", "application/octet-stream", "application/gzip", "application/x-gzip",
               "application/warc", "application/rss+xml", "application/atom+xml"}
ABSTAIN_KEY = "farmscan:abstain"  # Page.meta_extra key: why a loader already knows this is not a page


def page_media_type(media: str) -> bool:
    return media in _PAGE_MEDIA or media.endswith("+json")


def not_a_page_page(why: str, url: str | None = None) -> Page:
    """An empty page that :func:`detector.abstain.not_a_page` answers with ``why``."""
    return from_text("", url, meta_extra={ABSTAIN_KEY: why})


# ---- files, directories, URLs, stdin ---------------------------------------------------


def expand_inputs(inputs: Iterable[str], skipped: list[tuple[str, str]] | None = None) -> Iterator[str]:
    """Paths, URLs and ``-`` with directories expanded recursively (sorted, page-like files).

    Files a directory walk leaves out are appended to ``skipped`` as ``(path, why)`` when a
    list is given (hidden files, other extensions, content that is not HTML/JSON/WARC). A path
    the walk cannot read is yielded as it is (reading it reports why); :func:`walk_inputs`
    says why at once.
    """
    for item, _why in walk_inputs(inputs, skipped):
        yield item


def walk_inputs(inputs: Iterable[str], skipped: list[tuple[str, str]] | None = None) -> Iterator[tuple[str, str | None]]:
    """:func:`expand_inputs` as ``(path, why)``: ``why`` is ``None`` for an input to read, else
    why the walk could not read it (a name too long, a folder without search or read permission,
    a folder gone mid-walk). A walk failure is one error for that path; the walk goes on."""
    for item in inputs:
        if item == "-" or is_url(item):
            yield item, None
            continue
        p = Path(item)
        try:
            is_dir = stat.S_ISDIR(os.stat(p).st_mode)
        except (OSError, ValueError):
            is_dir = False  # missing, a loop, a name too long, no permission: reported when read
        if not is_dir:
            yield item, None
            continue
        failed: list[OSError] = []
        for root, dirs, files in os.walk(p, onerror=failed.append):
            while failed:
                yield from _walk_failure(failed.pop(0))
            dirs.sort()
            for f in sorted(files):
                fp = Path(root) / f
                if f.startswith("."):
                    why = "hidden file"
                else:
                    try:
                        mode = fp.stat().st_mode
                    except OSError:
                        yield str(fp), None  # a dangling link or a file gone: reported when read
                        continue
                    # Non-regular files are yielded without being opened: reading one
                    # gives a record saying it was skipped.
                    why = None if not_regular(mode) else skip_reason(fp)
                if why is None:
                    yield str(fp), None
                elif skipped is not None:
                    skipped.append((str(fp), why))
        while failed:
            yield from _walk_failure(failed.pop(0))


def _walk_failure(exc: OSError) -> Iterator[tuple[str, str]]:
    where = str(exc.filename) if exc.filename is not None else "?"
    yield where, f"cannot list directory {display_name(where)}: {exc.strerror or exc}"


_OTHER_EXTENSIONS = {"tsv", "csv", "md", "py", "png", "jpg", "jpeg", "gif", "css", "js", "pdf", "zip", "parquet"}


def skip_reason(p: Path) -> str | None:
    """Why a directory walk leaves file ``p`` out, or ``None`` for a page-like file."""
    name = p.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if name.endswith(PAGE_EXTENSIONS):
        return None
    if "." in name and not name.endswith(tuple(f".{e}" for e in ("htm", "html"))):
        ext = name.rsplit(".", 1)[1]
        if ext in _OTHER_EXTENSIONS:
            return f"not a page file (.{ext})"
    try:
        with open_regular(p) as fh:
            head = fh.read(2048)
    except InputError as exc:
        return str(exc)
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    if head[:2] == GZIP_MAGIC:
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 2048)
        except zlib.error:
            return "unreadable gzip"
    if sniff(head) in ("html", "wp-json", "warc"):
        return None
    return "content is not HTML, JSON or WARC (name it .txt to score it as text)"


def load(
    item: str | bytes | Path | Any,
    *,
    url: str | None = None,
    options: Options = DEFAULT_OPTIONS,
    stdin: Any = None,
    warc_stats: WarcStats | None = None,
) -> Iterator[Document]:
    """Documents for one source. Errors are raised (the caller records them per input).

    ``warc_stats`` collects what WARC inputs held (records scored and skipped, by reason).
    """
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
            from detector.sources.warc import pages_from_warc_path

            # Streamed record by record: archives are often far larger than max_bytes.
            yield from pages_from_warc_path(item, options=options, stats=warc_stats, name=display_name(str(item)))
            return
        data = read_file(item, options)
        yield from pages_from_bytes(data, url=url, name=display_name(str(item)), options=options, warc_stats=warc_stats)
        return
    if isinstance(item, str):
        if item == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(options.max_bytes + 1)
            yield from pages_from_bytes(data, url=url, name="-", options=options, warc_stats=warc_stats)
            return
        if is_url(item):
            if not options.fetch:
                raise InputError(
                    "a str is page content, and this one is a URL: fetch it with score_url(url) or "
                    "Options(fetch=True); pass a pathlib.Path to read a file"
                )
            from detector.sources.fetch import fetch

            resp = fetch(item, options)
            media = (resp.content_type or "").split(";")[0].strip().lower()
            if not page_media_type(media):
                yield Document(item, not_a_page_page(f"not a page: served as {media}", resp.url))
                return
            yield from pages_from_bytes(
                resp.body,
                url=resp.url,
                name=item,
                options=options,
                http_charset=resp.charset,
                truncated=resp.truncated,
                warc_stats=warc_stats,
            )
            return
        # Any other str is page content (HTML, WordPress JSON or text); files are Paths.
        yield from pages_from_str(clean_str(item), url=url, options=options)
        return
    raise InputError(f"cannot read a {type(item).__name__} as a page")


def load_path_or_url(
    item: str, *, url: str | None, options: Options, stdin: Any = None, warc_stats: WarcStats | None = None
) -> Iterator[Document]:
    """CLI inputs: a path, a URL or ``-``."""
    if item == "-" or is_url(item):
        yield from load(item, url=url, options=options.with_(fetch=True) if item != "-" else options, stdin=stdin,
                        warc_stats=warc_stats)
        return
    p = Path(item)
    try:
        os.stat(p)
    except FileNotFoundError:
        raise InputError(f"no such file or directory: {display_name(item)}") from None
    except (OSError, ValueError) as exc:  # a name too long, no search permission, a symlink loop
        raise InputError(f"cannot read {display_name(item)}: {getattr(exc, 'strerror', None) or exc}") from None
    yield from load(p, url=url, options=options, warc_stats=warc_stats)
