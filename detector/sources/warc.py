"""WARC archives to pages: response records with HTML payloads, streamed with FastWARC.

Each HTML ``response`` (or ``resource``) record becomes one :class:`Document` named
``<file>#<WARC-Record-ID>`` whose page URL is ``WARC-Target-URI``; the record id is also
kept in ``page.meta_extra["warc_record_id"]``. Everything else is counted, not scored:
``request``/``metadata``/``warcinfo``/``revisit`` records, non-HTML responses (images,
scripts, PDFs...) and non-2xx responses (redirect stubs, error pages). Counts go to an
optional :class:`WarcStats` the caller passes (the CLI passes one per run and reports it).

FastWARC was chosen over warcio by measurement (``benchmarks/warc_readers.py``): it
reads a gzipped WARC of the corpus several times faster, and iterating files by path
streams them record by record (memory stays flat for archives of any size).
"""

from __future__ import annotations

import io
import os
import re
import time
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

from detector.errors import InputError
from detector.options import DEFAULT_OPTIONS, Options
from detector.sources.decode import decode
from detector.sources.document import Document
from features.page import absolute_http_url, parse_html

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xhtml", "text/xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.zst", ".warc.lz4")


@dataclass
class WarcStats:
    """What one or more WARC files held: records seen, scored and skipped (by reason)."""

    records: int = 0
    responses: int = 0
    html: int = 0
    skipped_non_html: int = 0
    skipped_status: int = 0
    skipped_other_type: int = 0
    errors: int = 0
    damaged: int = 0

    def add(self, other: WarcStats) -> None:
        for k, v in asdict(other).items():
            setattr(self, k, getattr(self, k) + v)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def line(self) -> str:
        return (
            f"warc: {self.records} records, {self.html} HTML pages scored, "
            f"{self.skipped_non_html} non-HTML responses skipped, "
            f"{self.skipped_status} non-2xx skipped, {self.skipped_other_type} other records "
            f"(request/metadata/warcinfo/revisit), {self.errors} unreadable, {self.damaged} damaged"
        )


def is_warc_path(path: str | Path) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES)


def pages_from_warc(
    data: bytes, *, name: str = "<warc>", options: Options = DEFAULT_OPTIONS, stats: WarcStats | None = None
) -> Iterator[Document]:
    """Documents for the HTML response records of a WARC held in memory (decompressed or not)."""
    yield from _iter_stream(io.BytesIO(data), name=name, options=options, stats=stats, raw=_RawBytes(data))


def pages_from_warc_path(
    path: str | Path, *, options: Options = DEFAULT_OPTIONS, stats: WarcStats | None = None, name: str | None = None
) -> Iterator[Document]:
    """Documents for a WARC file on disk, streamed record by record (``.warc``, ``.warc.gz``...)."""
    from detector.sources.files import open_regular

    p = Path(path)
    fh = open_regular(p)  # a FIFO or device is refused, never blocked on
    with fh:
        yield from _iter_stream(fh, name=name or str(p), options=options, stats=stats, raw=_RawFile(fh))


class _RawBytes:
    """Random access to a WARC's bytes, to check each record's framing."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.size = len(data)
        self.gzipped = data[:2] == b"\x1f\x8b"

    def read(self, offset: int, n: int) -> bytes:
        return self.data[offset : offset + n]

    def at(self, offset: int, n: int) -> bytes | None:
        """Uncompressed bytes at ``offset`` (``None`` for a gzipped WARC)."""
        return None if self.gzipped else self.read(offset, n)

    def member_damage(self, start: int, end: int, content_length: int) -> str | None:
        """For a ``.warc.gz`` record stored as the gzip member ``[start, end)``: whether the
        member's uncompressed size (its trailer's ISIZE) disagrees with the record's
        header plus ``Content-Length`` (a length too small leaves bytes after the block)."""
        if not self.gzipped or end <= start + 18 or self.read(start, 2) != b"\x1f\x8b":
            return None
        if end < self.size and self.read(end, 2) != b"\x1f\x8b":
            return None  # not one member per record: nothing to compare
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(self.read(start, min(65536, end - start)), 65536)
        except zlib.error:
            return None
        header_end = head.find(b"\r\n\r\n")
        if header_end < 0:
            return None
        isize = int.from_bytes(self.read(end - 4, 4), "little")
        if isize != (header_end + 4 + content_length + 4) & 0xFFFFFFFF:
            return "Content-Length too small: the record's gzip member holds more than its block"
        return None


class _RawFile(_RawBytes):
    def __init__(self, fh: BinaryIO) -> None:
        self.fd = fh.fileno()
        self.size = os.fstat(self.fd).st_size
        self.gzipped = os.pread(self.fd, 2, 0) == b"\x1f\x8b"

    def read(self, offset: int, n: int) -> bytes:
        return os.pread(self.fd, n, offset)


_NEXT_RECORD = re.compile(rb"\r\n\r\nWARC/1\.[01]\r\n")
_FREEZE_LIMIT = 64 * 1024 * 1024  # records larger than this are not checked for a swallowed next record


def damage(record: Any, raw: _RawBytes | None) -> str | None:
    """Why ``record``'s framing is wrong, or ``None``: a block shorter than its ``Content-Length``
    (a truncated file), a block that holds the next record's header (a length too large), or,
    in an uncompressed WARC, a block not followed by the blank line that ends a record (a
    length too small). Reads the block into memory (records up to 64 MB) and leaves it readable.
    """
    want = record.content_length
    if want <= _FREEZE_LIMIT:
        record.freeze()
        block = record.reader.read()
        record.reader.seek(0)
        if len(block) < want:
            return f"truncated: {len(block)} of {want} bytes (Content-Length)"
        if _NEXT_RECORD.search(block):
            return "Content-Length too large: the block runs into the next record"
    if raw is not None:
        head = raw.at(record.stream_pos, 65536)
        if head is not None:
            end = head.find(b"\r\n\r\n")
            if end >= 0:
                after = raw.at(record.stream_pos + end + 4 + want, 4)
                if after not in (b"\r\n\r\n", b"\r\n", b""):
                    return "Content-Length too small: the block is not followed by the end of the record"
    return None


def _iter_stream(
    stream: BinaryIO, *, name: str, options: Options, stats: WarcStats | None, raw: _RawBytes | None = None
) -> Iterator[Document]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    local = WarcStats()
    wanted = WarcRecordType.response | WarcRecordType.resource
    it = ArchiveIterator(
        stream,
        record_types=WarcRecordType.any_type,
        parse_http=False,
        quirks_mode=True,
        fsspec_args=False,
    )
    # In a .warc.gz a record's gzip member ends where the next record starts, so its check
    # (and its document) wait for the next record: (stream_pos, Content-Length, id, counts, doc).
    held: tuple[int, int, str, dict[str, int], Document | None] | None = None
    broken = False

    def release(end: int) -> Iterator[Document]:
        pos, length, rid, before, doc = held  # type: ignore[misc]
        why = raw.member_damage(pos, end, length) if raw is not None else None
        if why is not None:
            for key, value in before.items():  # counted as damaged, not as what it seemed
                setattr(local, key, value)
            local.damaged += 1
            doc = Document(f"{name}#{rid}", error=InputError(f"damaged WARC record at byte {pos}: {why}"))
        if doc is not None:
            yield doc

    try:
        for record in it:
            if held is not None:
                yield from release(record.stream_pos)
                held = None
            local.records += 1
            rid = record.record_id or f"@{record.stream_pos}"
            why = damage(record, raw)
            if why is not None:
                local.damaged += 1
                yield Document(f"{name}#{rid}", error=InputError(f"damaged WARC record at byte {record.stream_pos}: {why}"))
                continue
            before = local.as_dict()
            length = record.content_length  # parse_http() changes it to the payload's length
            doc = None
            if not record.record_type & wanted:
                local.skipped_other_type += 1
            else:
                try:
                    doc = _document(record, name, options, local)
                except (OSError, ValueError, zlib.error) as exc:
                    local.errors += 1
                    doc = Document(f"{name}#{rid}", error=InputError(f"unreadable WARC record: {exc}"))
            if raw is not None and raw.gzipped:
                held = (record.stream_pos, length, rid, before, doc)
            elif doc is not None:
                yield doc
        if held is not None:
            yield from release(raw.size if raw is not None else 0)
            held = None
    except OSError as exc:
        local.errors += 1
        broken = True
        yield Document(f"{name}#@end", error=InputError(f"WARC stream broken after {local.records} records: {exc}"))
    finally:
        if stats is not None:
            stats.add(local)
    if local.records == 0 and not broken:  # a broken first record already gave its one error
        raise InputError(f"{name}: no WARC records found")


def _document(record: Any, name: str, options: Options, stats: WarcStats) -> Document | None:
    """One record to a Document, or ``None`` when it is counted and skipped."""
    from fastwarc.warc import WarcRecordType

    uri = (record.headers.get("WARC-Target-URI") or "").strip().strip("<>") or None
    rid = record.record_id or f"@{record.stream_pos}"
    http_charset = None
    if record.record_type == WarcRecordType.response:
        stats.responses += 1
        if not record.is_http:
            stats.skipped_non_html += 1
            return None
        # Transfer-Encoding only: FastWARC would inflate a Content-Encoding whole before any
        # cap (1 GiB of zeros from 1.8 KB of brotli); it is undone below, capped inside the decoder.
        record.parse_http(auto_decode="transfer", quirks_mode=True)
        status = record.http_headers.status_code if record.http_headers is not None else None
        if status is not None and not 200 <= status < 300:
            stats.skipped_status += 1
            return None
        ctype = (record.http_headers.get("Content-Type") or "") if record.http_headers is not None else ""
        http_charset = _charset(ctype)
    else:  # resource record: the block is the document itself
        ctype = record.headers.get("Content-Type") or ""
    encoding = (record.http_headers.get("Content-Encoding") or "") if record.http_headers is not None else ""
    body = _payload(record.reader, encoding, options.max_bytes)
    truncated = len(body) > options.max_bytes
    if truncated:
        body = body[: options.max_bytes]
    if not _is_html(ctype, body):
        stats.skipped_non_html += 1
        return None
    stats.html += 1
    text, _enc = decode(body, http_charset)
    # Only an absolute http(s) target is the page's address (not urn:, dns:, file:...).
    uri = absolute_http_url(uri or "") or None
    page = parse_html(text, url=uri, url_from="warc" if uri else None, meta_extra={"warc_record_id": rid})
    page.truncated = truncated
    return Document(f"{name}#{rid}", page)


def _payload(reader: Any, content_encoding: str, max_bytes: int) -> bytes:
    """The record's payload with its ``Content-Encoding`` undone, at most ``max_bytes + 1`` bytes:
    the fetch path's decoder (:class:`~detector.sources.fetch_guard.BodyDecoder`), capped inside
    each stage and counting gzip members without recursion. An encoding it does not know is
    read as it is (as FastWARC did)."""
    from detector.errors import FetchError
    from detector.sources.fetch_guard import BodyDecoder

    names = [n.strip().lower() for n in content_encoding.split(",") if n.strip().lower() not in ("", "identity")]
    if not names:
        return reader.read(max_bytes + 1)
    try:
        decoder = BodyDecoder(content_encoding, max_bytes)
    except FetchError:
        return reader.read(max_bytes + 1)
    out = bytearray()
    try:
        while not decoder.done and len(out) <= max_bytes:
            chunk = reader.read(65536)
            if not chunk:
                out += decoder.finish(time.monotonic() + 60.0)
                break
            out += decoder.feed(chunk)
    except FetchError as exc:
        if not out:
            raise ValueError(str(exc).replace("content encoding", "Content-Encoding")) from None
    return bytes(out[: max_bytes + 1])


def _charset(content_type: str) -> str | None:
    from detector.sources.decode import charset_from_content_type

    return charset_from_content_type(content_type)


def _is_html(content_type: str, body: bytes) -> bool:
    """HTML by declared type; an undeclared or generic type is sniffed from the bytes."""
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype in HTML_TYPES:
        return True
    if ctype and ctype not in ("application/octet-stream", "text/plain", "unknown/unknown"):
        return False
    from detector.sources.document import sniff

    return bool(body.strip()) and sniff(body[:65536]) == "html"
