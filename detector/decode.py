"""Bytes to text: gzip (capped), BOM, HTTP charset, ``<meta charset>``, then detection."""

from __future__ import annotations

import codecs
import re
import zlib

from detector.errors import BudgetError, InputError

GZIP_MAGIC = b"\x1f\x8b"

# WHATWG: labels browsers treat as a superset encoding.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "x-user-defined": "cp1252",
    "utf8": "utf-8",
    "unicode": "utf-16",
}

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def gunzip(data: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """Decompress gzip ``data``, stopping at ``max_bytes`` of output.

    Returns ``(bytes, truncated)``. A decompression bomb is cut at the cap, never inflated whole.
    A corrupt stream raises :class:`InputError`; a stream cut short keeps what was read.
    """
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    pos = 0
    truncated = False
    try:
        while pos < len(data):
            chunk = data[pos : pos + 65536]
            pos += len(chunk)
            out += d.decompress(chunk, max_bytes + 1 - len(out))
            while d.unconsumed_tail and len(out) <= max_bytes:
                out += d.decompress(d.unconsumed_tail, max_bytes + 1 - len(out))
            if len(out) > max_bytes:
                truncated = True
                break
            if d.eof:
                # Concatenated gzip members: keep going with a fresh decompressor.
                rest = d.unused_data
                if rest[:2] == GZIP_MAGIC:
                    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    data = rest + data[pos:]
                    pos = 0
                    continue
                break
    except zlib.error as exc:
        if not out:
            raise InputError(f"corrupt gzip data ({exc})") from None
        truncated = True
    if len(out) > max_bytes:
        del out[max_bytes:]
    if not out and not data[10:]:
        raise InputError("empty gzip stream")
    return bytes(out), truncated


def normalise_encoding(label: str | None) -> str | None:
    """A Python codec name for a charset label, or ``None`` when Python does not know it."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    return m.group(1) if m else None


def sniff_bom(data: bytes) -> tuple[str | None, int]:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None, 0


def meta_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def decode(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns ``(text, encoding used)``.

    Order: BOM, HTTP charset, ``<meta charset>``, strict UTF-8, then detection by
    charset-normalizer. Never raises on bad bytes: undecodable ones are replaced.
    """
    enc, skip = sniff_bom(data)
    if enc:
        return data[skip:].decode(enc, "replace"), enc
    for label in (http_charset, meta_charset(data)):
        name = normalise_encoding(label)
        if name and name not in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            # A declared charset may lie; a page that is valid UTF-8 while declaring a
            # single-byte charset is almost always UTF-8.
            if name != "utf-8" and _is_utf8(data) and _has_high_bytes(data):
                return data.decode("utf-8"), "utf-8"
            return data.decode(name, "replace"), name
    if _is_utf8(data):
        return data.decode("utf-8"), "utf-8"
    return _detect(data)


def _has_high_bytes(data: bytes) -> bool:
    return any(b > 0x7F for b in data[:65536])


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Tolerate a multi-byte sequence cut at the very end (a truncated page).
        return exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"
    return True


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    sample = data[:65536]
    best = from_bytes(sample, steps=4, chunk_size=2048, threshold=0.3).best()
    name = normalise_encoding(best.encoding) if best is not None else None
    name = name or "cp1252"
    return data.decode(name, "replace"), name


def check_size(data: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """Cut ``data`` at ``max_bytes``; returns ``(bytes, truncated)``."""
    if max_bytes <= 0:
        raise BudgetError("max_bytes must be positive")
    if len(data) > max_bytes:
        return data[:max_bytes], True
    return data, False
