"""Hostile shapes for the fuzz harness and the memory probe (no atheris needed to import).

The second byte of a fuzz input picks a *shape* that grows the rest of the input into the large
forms a crawler meets: a snippet repeated thousands of times (misnested formatting, deep
nesting), one tag with thousands of attributes, formatting elements left open across blocks,
many gzip members, a WARC record whose ``Content-Length`` is wrong, deeply nested JSON and huge
numbers.
"""

from __future__ import annotations

import gzip

_FORMATTING = (b"b", b"i", b"u", b"em", b"strong", b"font", b"a", b"nobr", b"s", b"small", b"code", b"tt")
MAX_SHAPED = 2 << 20  # bytes a shape may grow an input to


def shaped(shape: int, count_byte: int, body: bytes) -> bytes:
    """``body`` grown into one of the hostile shapes; ``shape`` 0 or 16-255 leave it as is.

    Shapes are one input in ~16 so that most runs stay fast (a shaped page costs ~10-300 ms).
    """
    n = 1 + count_byte * 32  # 1 .. 8,161 repetitions
    if shape >= 16:
        return body
    if shape >= 8:
        return round_three(shape - 8, n, body)[:MAX_SHAPED]
    snippet = body[:64] or b"<b><div>"
    if shape == 1:  # a snippet repeated: misnesting, deep nesting, many tags
        out = snippet * n
    elif shape == 2:  # one start tag with many attributes (names and values from the body)
        attr = snippet.replace(b">", b"").strip() or b"a=v"
        out = b"<html><body><div " + b" ".join(attr + b"%d" % i for i in range(n)) + b">x</div>" + body[64:]
    elif shape == 3:  # formatting elements left open across blocks, each with its own attributes
        tags = [_FORMATTING[(b or 0) % len(_FORMATTING)] for b in snippet]
        out = b"<html><body>" + b"".join(
            b"<div><%s class=c%d>%s</div>" % (tags[i % len(tags)], i, snippet[i % len(snippet) : i % len(snippet) + 2])
            for i in range(n)
        )
    elif shape == 4:  # many gzip members
        member = gzip.compress(snippet, 1)
        out = member * min(n, MAX_SHAPED // max(len(member), 1))
    elif shape == 5:  # a WARC response record whose Content-Length is off by the body's first byte
        payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
        delta = (body[0] - 128) if body else 0
        rec = (
            b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
            b"WARC-Target-URI: http://example.org/\r\nContent-Length: %d\r\n\r\n" % max(0, len(payload) + delta)
        )
        out = (rec + payload + b"\r\n\r\n") * (1 + count_byte % 4)
    elif shape == 6:  # deeply nested JSON around the body
        out = b'{"content": {"rendered": ' + b"[" * n + body + b"]" * (n // 2)
    elif shape == 7:  # a huge number where JSON expects one
        out = b'{"content": {"rendered": "x"}, "id": ' + b"9" * n + body + b"}"
    else:
        out = body
    return out[:MAX_SHAPED]


def round_three(kind: int, n: int, body: bytes = b"") -> bytes:
    """Issue 29's shapes (classes 1-9), ``n`` repetitions, ``body`` spliced in."""
    b = body[:32]
    if kind == 0:  # a quote opened in a tag, then ">" + 256 characters, n times
        return b'<html><body><a title="' + (b">" + b"x" * 256) * n + b
    if kind == 1:  # lines with "(" early and no ")" closing the agency name
        return b"<html><body>" + (b"<p>A" + b" " * 40 + b"," + b" " * 40 + b"(" + b" ," * 50 + b + b"</p>") * n
    if kind == 2:  # a script src host of many labels
        return b'<html><body><script src="https://' + b"a." * (n * 16) + b'magsrv.com/x.js"></script>' + b
    if kind == 3:  # many distinct subdomains of one affiliate network
        return b"<html><body>" + b"".join(b'<a href="https://s%d.awin1.com/x?aff=1">l</a>' % i for i in range(n)) + b
    if kind == 4:  # many distinct CJK hashtags and a long title
        tags = " ".join("#" + chr(0x4E00 + i % 20000) + chr(0x4E00 + i // 20000) for i in range(n))
        return ("<html><head><title>" + "标题" * n + "</title></head><body><p>" + tags + "</p>").encode() + b
    if kind == 5:  # near-white <font>s under an ancestor with a big style
        return (b'<html><body><div style="color:#000;' + b"x" * (n * 64) + b'">'
                + b"<font color=white>w w w</font>" * min(n, 2000) + b)
    if kind == 6:  # a long URL path of "a-a-a-..." (the harness passes it as the page URL)
        return b"<html><body><p>" + b + b"</p>"
    return b"<meta " * n + b + b"<html><body>x"  # kind 7: a run of <meta without ">"


def shaped_url(shape: int, count_byte: int) -> str | None:
    """The page URL for the long-URL-path shape (round three, class 7), else ``None``."""
    if shape == 8 + 6:
        return "https://example.org/" + "a-" * (1 + count_byte * 32)
    return None
