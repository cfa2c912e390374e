"""What keeps one HTTP fetch inside its budget: an absolute deadline on every socket operation,
and content decoding with the size cap applied inside the decoder.

* :class:`DeadlineTransport` is httpx's transport whose sockets clamp every connect, read and
  write timeout to what is left of one deadline for the whole fetch. httpx's own timeouts are
  per operation, so a server trickling its headers one byte every 0.5 s held a 3 s
  ``--timeout`` for 60 s; with the clamp the fetch ends at the deadline.
* :class:`BodyDecoder` undoes ``Content-Encoding`` (``gzip``, ``deflate``, ``br`` when the
  ``brotli`` module is installed, and stacks of them such as ``gzip, gzip``) on the raw bytes,
  asking each decoder for at most the bytes still allowed. httpx's decoders inflate a whole
  network read at once (a 3 KB ``br`` body of 2 GB of zeros took 4.2 GB); here memory stays
  at the cap plus one read. Other encodings are refused.
"""

from __future__ import annotations

import time
import zlib
from typing import Any

import httpcore
import httpx

from detector.errors import FetchError
from detector.sources.decode import MAX_GZIP_MEMBERS

try:  # brotli >= 1.2 can stop at an output limit; older versions are not used
    import brotli

    _BROTLI = hasattr(brotli.Decompressor(), "can_accept_more_data")
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None
    _BROTLI = False

ACCEPT_ENCODING = "gzip, deflate" + (", br" if _BROTLI else "")


# ---- deadline on every socket operation ------------------------------------------------


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _left(self, timeout: float | None, exc: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise exc("the fetch's deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def __init__(self, deadline: float) -> None:
        self._deadline = deadline

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options: Any = None) -> httpcore.NetworkStream:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("the fetch's deadline passed")
        timeout = left if timeout is None else min(timeout, left)
        stream = super().connect_tcp(host, port, timeout, local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)


class DeadlineTransport(httpx.HTTPTransport):
    """An HTTP/1.1 transport whose every socket operation ends by ``deadline`` (``time.monotonic``)."""

    def __init__(self, deadline: float) -> None:
        super().__init__(retries=0)
        ssl_context = self._pool._ssl_context  # the context httpx built (certifi roots)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, max_connections=1, http1=True, http2=False,
            network_backend=_DeadlineBackend(deadline),
        )


# ---- content decoding with the cap inside the loop ------------------------------------------


class _Zlib:
    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._d = zlib.decompressobj(wbits)
        self._first = True
        self._members = 1
        self.exhausted = False

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._d.unconsumed_tail:  # input held back by the last call's output limit
            data = self._d.unconsumed_tail + data
        if self._first and self._wbits == zlib.MAX_WBITS and data:
            self._first = False
            if data[0] & 0x0F != 8:  # "deflate" sent as a raw stream (no zlib header), as IIS does
                self._d = zlib.decompressobj(-zlib.MAX_WBITS)
        out = bytearray(self._d.decompress(data, limit))
        while True:
            while self._d.unconsumed_tail and len(out) < limit and not self._d.eof:
                out += self._d.decompress(self._d.unconsumed_tail, limit - len(out))
            if not (self._d.eof and self._d.unused_data[:2] == b"\x1f\x8b" and self._wbits == 16 + zlib.MAX_WBITS):
                break
            if len(out) >= limit:
                break
            # Another gzip member: read in this loop, not by recursion (20,000 empty members
            # ended in RecursionError), and at most MAX_GZIP_MEMBERS of them (as files are read).
            if self._members >= MAX_GZIP_MEMBERS:
                self.exhausted = True  # the body is cut here and marked truncated, as a file's is
                break
            self._members += 1
            rest = self._d.unused_data
            self._d = zlib.decompressobj(self._wbits)
            out += self._d.decompress(rest, limit - len(out))
        return bytes(out)


class _Brotli:
    def __init__(self) -> None:
        self._d = brotli.Decompressor()
        self._pending = b""

    def feed(self, data: bytes, limit: int) -> bytes:
        out = bytearray()
        if data:
            self._pending += data
        while len(out) < limit:
            if self._d.can_accept_more_data():
                if not self._pending:
                    break
                chunk, self._pending = self._pending, b""
            else:
                chunk = b""
            got = self._d.process(chunk, output_buffer_limit=max(1, limit - len(out)))
            if not got and not chunk:
                break
            out += got
        return bytes(out)


def _decoder(name: str) -> Any:
    if name in ("gzip", "x-gzip"):
        return _Zlib(16 + zlib.MAX_WBITS)
    if name == "deflate":
        return _Zlib(zlib.MAX_WBITS)
    if name == "br" and _BROTLI:
        return _Brotli()
    raise FetchError(f"unsupported Content-Encoding {name!r}")


class BodyDecoder:
    """Decode a body's ``Content-Encoding`` stack incrementally, never past ``max_bytes + 1`` bytes.

    ``feed(raw)`` returns the newly decoded bytes and ``finish()`` what the decoders still
    hold. Every stage (``gzip, gzip`` has two) gets its own budget of ``max_bytes + 1``
    output bytes and is asked for no more than it has left; once a stage has spent it,
    ``done`` is set and the caller stops reading (the page is cut at the cap).
    """

    def __init__(self, content_encoding: str, max_bytes: int) -> None:
        names = [n.strip().lower() for n in content_encoding.split(",") if n.strip()]
        names = [n for n in names if n != "identity"]
        # Encodings are listed in the order they were applied: undo them from the last.
        self._stages = [_decoder(n) for n in reversed(names)]
        self._left = [max_bytes + 1] * (len(self._stages) + 1)
        self.done = False

    def feed(self, raw: bytes) -> bytes:
        data = raw
        try:
            for i, stage in enumerate(self._stages):
                data = stage.feed(data, self._left[i])
                self._left[i] -= len(data)
                if self._left[i] <= 0 or getattr(stage, "exhausted", False):
                    self.done = True
        except FetchError:
            raise
        except Exception as exc:  # noqa: BLE001 - zlib.error, brotli.error
            raise FetchError(f"corrupt content encoding ({exc.__class__.__name__}: {exc})") from None
        data = data[: self._left[-1]]
        self._left[-1] -= len(data)
        if self._left[-1] <= 0:
            self.done = True
        return data

    def finish(self, deadline: float) -> bytes:
        """What the stages still hold once the raw body has ended (stops at the cap or deadline)."""
        out = bytearray()
        while not self.done and time.monotonic() < deadline:
            got = self.feed(b"")
            if not got:
                break
            out += got
        return bytes(out)
