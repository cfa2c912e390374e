"""Bytes to text: gzip (capped), BOM, HTTP charset, ``<meta charset>``, then detection."""

from __future__ import annotations

import codecs
import re
import zlib

from detector.errors import BudgetError, InputError

GZIP_MAGIC = b"\x1f\x8b"

# Labels browsers know that Python's codec registry does not.
_LABELS = {
    "x-user-defined": "cp1252",
    "windows-31j": "cp932",
    "x-sjis": "cp932",
    "gb_2312-80": "gb18030",
    "x-gbk": "gb18030",
    "unicode": "utf-16",
}
# WHATWG: encodings browsers replace by a superset, keyed by Python's canonical codec name.
_SUPERSETS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
    "tis-620": "cp874",
    "iso8859-11": "cp874",
}
_NOT_PAGE_ENCODINGS = {
    "utf-7", "undefined", "idna", "punycode", "unicode-escape", "raw-unicode-escape",
}
# Encodings detection may choose from: the ones web pages actually use (no DOS or Mac code
# pages, which charset-normalizer otherwise picks for Latin pages with a few high bytes).
WEB_ENCODINGS = (
    "utf_8", "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "cp1258", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_8", "koi8_r", "koi8_u",
    "gb18030", "big5", "cp932", "euc_jp", "iso2022_jp", "euc_kr", "cp874",
)
_MULTIBYTE = {"gb18030", "big5hkscs", "big5", "cp932", "shift_jis", "euc_jp", "iso2022_jp", "euc_kr", "cp949"}
_TIE = 0.01  # coherence margin under which windows-1252 wins a tie
_WINDOWS_OF_ISO = {"iso8859-2": "cp1250", "iso8859-7": "cp1253", "iso8859-8": "cp1255"}
# A multi-byte (CJK) guess needs this many high bytes; fewer is a Latin page with a few
# accented letters, where a CJK guess would turn them into rare ideographs.
_MIN_CJK_HIGH_BYTES = 16
# ``<meta charset>`` is looked for this far into the page: browsers honour a late one (by
# re-parsing), and real pages put it after kilobytes of inline script or style.
_META_SCAN = 65536

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
# _META_CHARSET in parts, for meta_charset(): searched as one pattern, every "<meta" scans to
# the next ">" and back (many "<meta " without ">" in 64 KB: ~2 s a page).
_META_OPEN = re.compile(rb"<meta", re.I)
_CHARSET_WORD = re.compile(rb"charset", re.I)
_CHARSET_VALUE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# A gzip stream may be many concatenated members (a .warc.gz holds one per record). Reading
# a member costs a new decompressor, so the count is capped: 160,000 tiny members took 100 s
# before members were read in place (no copy of the rest per member), 0.27 s now; past the
# cap the output is cut and marked truncated.
MAX_GZIP_MEMBERS = 100_000
_GZIP_CHUNK = 16384


def gunzip(data: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """Decompress gzip ``data``, stopping at ``max_bytes`` of output.

    Returns ``(bytes, truncated)``. A decompression bomb is cut at the cap, never inflated whole;
    concatenated members are read up to :data:`MAX_GZIP_MEMBERS`. A corrupt stream raises
    :class:`InputError`; a stream cut short keeps what was read.
    """
    view = memoryview(data)
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    pos = 0
    members = 1
    truncated = False
    try:
        while pos < len(data):
            chunk = view[pos : pos + _GZIP_CHUNK]
            out += d.decompress(chunk, max_bytes + 1 - len(out))
            while d.unconsumed_tail and len(out) <= max_bytes and not d.eof:
                out += d.decompress(d.unconsumed_tail, max_bytes + 1 - len(out))
            if len(out) > max_bytes:
                truncated = True
                break
            if d.eof:
                # Concatenated gzip members: the next starts right after this one ends.
                pos += len(chunk) - len(d.unused_data)
                if data[pos : pos + 2] == GZIP_MAGIC:
                    if members >= MAX_GZIP_MEMBERS:
                        truncated = True
                        break
                    members += 1
                    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    continue
                break
            pos += len(chunk)
    except zlib.error as exc:
        if not out:
            raise InputError(f"corrupt gzip data ({exc})") from None
        truncated = True
    if not d.eof and not truncated:
        truncated = bool(out)  # the stream ended early: keep what was read, say so
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
    label = _LABELS.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # Not a page encoding: bytes-to-bytes codecs (base64, zlib) and ones that raise on any
    # input (undefined, idna) or decode to lone surrogates (utf-7, unicode-escape).
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_ENCODINGS:
        return None
    return _SUPERSETS.get(info.name, info.name)


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
    """The charset a ``<meta>`` declares (``charset=`` or ``http-equiv`` content)."""
    head = data[:_META_SCAN]
    seen_to = 0  # the end (">") of the last "<meta" looked at
    for meta in _META_OPEN.finditer(head):
        if meta.start() < seen_to:
            # Before the same ">" as an earlier "<meta": its text is part of that one's, which
            # held no declaration, so neither does this.
            continue
        end = head.find(b">", meta.end())
        end = len(head) if end < 0 else end
        seen_to = end
        # As the pattern's greedy "[^>]+" backtracks: the last "charset=" before the ">" wins
        # (at least one character after "<meta").
        found = None
        for word in _CHARSET_WORD.finditer(head, meta.end() + 1, end):
            m = _CHARSET_VALUE.match(head, word.start(), end)
            if m is not None:
                found = m
        if found is not None:
            return found.group(1).decode("ascii", "replace")
    return None


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
            if name != "utf-8" and not data.isascii() and _is_utf8(data):
                return data.decode("utf-8", "replace"), "utf-8"
            return data.decode(name, "replace"), name
    if _is_utf8(data):
        # "replace": a page cut at the size cap may end inside a character.
        return data.decode("utf-8", "replace"), "utf-8"
    return _detect(data)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Tolerate a multi-byte sequence cut at the very end (a truncated page).
        return exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"
    return True


def _detect(data: bytes) -> tuple[str, str]:
    """Guess an undeclared, non-UTF-8 page's encoding; windows-1252 when unsure (as browsers)."""
    from charset_normalizer import from_bytes

    # Sample from just before the first non-ASCII byte: pages often open with kilobytes of
    # ASCII script and style, which tell detection nothing.
    first_high = next((i for i, b in enumerate(data) if b > 0x7F), 0)
    start = max(0, first_high - 1024)
    sample = data[start : start + 65536]
    matches = list(
        from_bytes(sample, steps=4, chunk_size=2048, threshold=0.3, cp_isolation=list(WEB_ENCODINGS))
    )
    best = matches[0] if matches else None
    # Latin pages with a few accents often tie between windows-1250/1257 and windows-1252;
    # on a tie take windows-1252, the browsers' fallback (so "crêpes" does not become
    # "crępes"). A clear margin (Czech, Polish text) keeps the Central European guess.
    for m in matches[1:]:
        if (
            m.encoding == "cp1252"
            and best is not None
            and m.chaos <= best.chaos
            and m.coherence >= best.coherence - _TIE
        ):
            best = m
    name = normalise_encoding(best.encoding) if best is not None else None
    if name in _MULTIBYTE and sum(b > 0x7F for b in sample) < _MIN_CJK_HIGH_BYTES:
        name = None
    elif name and name.startswith("iso8859") and re.search(rb"[\x80-\x9f]", sample):
        # Bytes 0x80-0x9f are controls in ISO-8859 but punctuation in the Windows code page
        # the page was really written in.
        name = _WINDOWS_OF_ISO.get(name, "cp1252")
    name = name or "cp1252"
    return data.decode(name, "replace"), name


def check_size(data: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """Cut ``data`` at ``max_bytes``; returns ``(bytes, truncated)``."""
    if max_bytes <= 0:
        raise BudgetError("max_bytes must be positive")
    if len(data) > max_bytes:
        return data[:max_bytes], True
    return data, False
