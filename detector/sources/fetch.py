"""HTTP(S) fetching with a real client: timeouts, size caps, redirect limit, address checks."""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from detector.errors import FetchError
from detector.options import DEFAULT_OPTIONS, Options
from detector.sources.decode import charset_from_content_type
from detector.sources.fetch_guard import ACCEPT_ENCODING, BodyDecoder, DeadlineTransport


@dataclass
class Response:
    url: str
    status: int
    body: bytes
    content_type: str
    charset: str | None
    truncated: bool = False


_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: IPv4-mapped (``::ffff:a.b.c.d``), 6to4
    (``2002:AABB:CCDD::``), Teredo (server and client), NAT64 (``64:ff9b::a.b.c.d``) and the
    deprecated IPv4-compatible form (``::a.b.c.d``)."""
    out = []
    if ip.ipv4_mapped is not None:
        out.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        out.append(ip.sixtofour)
    if ip.teredo is not None:
        out.extend(ip.teredo)
    if any(ip in net for net in _NAT64) or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        out.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return out


def address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``ip`` is a public unicast address; an IPv6 address that wraps an IPv4 one
    (IPv4-mapped, 6to4, Teredo, NAT64, IPv4-compatible) must wrap a public one too."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped  # the mapped form is the IPv4 address itself
        elif inner and not all(address_allowed(v4) for v4 in inner):
            return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def _resolve(host: str, port: int, deadline: float) -> list:
    """``getaddrinfo`` within the fetch's deadline (the resolver itself has no timeout)."""
    import concurrent.futures

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        future = pool.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
        return future.result(timeout=max(0.0, deadline - time.monotonic()))
    except concurrent.futures.TimeoutError:
        raise FetchError(f"timed out resolving {host}") from None
    finally:
        pool.shutdown(wait=False)


def _check_address(url: str, allow_private: bool, deadline: float | None = None) -> str | None:
    """Check one hop's URL; returns the checked IP to connect to (``None`` with allow_private).

    Every address the host resolves to must be public: loopback, private, link-local,
    multicast, reserved and shared addresses are refused, also when written as decimal, octal
    or hex numbers or IPv4-mapped IPv6 (the check runs on what the resolver returns).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
    try:
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"bad URL {url!r}: {exc}") from None
    if not host:
        raise FetchError(f"URL has no host: {url}")
    if allow_private:
        return None
    try:
        if deadline is None:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        else:
            infos = _resolve(host, port, deadline)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}") from None
    ips = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    for ip in ips:
        if not address_allowed(ip):
            raise FetchError(
                f"refused to fetch {host}: it resolves to a non-public address ({ip}); "
                "use --allow-private to permit it"
            )
    if not ips:
        raise FetchError(f"cannot resolve {host}: no addresses")
    return str(ips[0])


def _pinned(url: str, ip: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
    """``url`` rewritten to connect to the checked ``ip`` (no second DNS look-up, so no
    rebinding), with the ``Host`` header and TLS server name of the real host; userinfo dropped."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc_host = f"[{host}]" if ":" in host else host
    port = f":{parts.port}" if parts.port else ""
    clean = parts._replace(netloc=netloc_host + port).geturl()  # never send user:password
    if ip is None:
        return clean, {}, {}
    addr = f"[{ip}]" if ":" in ip else ip
    target = parts._replace(netloc=addr + port).geturl()
    return target, {"Host": netloc_host + port}, {"sni_hostname": host}


def fetch(url: str, options: Options = DEFAULT_OPTIONS) -> Response:
    """GET ``url``; follow at most ``options.max_redirects`` redirects, checking every hop.

    The body is capped at ``options.max_bytes`` inside content decoding (a gzip or brotli
    bomb is cut, never inflated whole: :mod:`detector.sources.fetch_guard`), the whole exchange, DNS,
    connect, headers and body, at ``options.timeout`` seconds, however slowly the server
    sends. Credentials are never sent across hosts: no cookies are kept and each hop is a
    fresh request without auth headers.
    """
    deadline = time.monotonic() + options.timeout
    headers = {
        "User-Agent": options.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.5",
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    current = url
    transport = DeadlineTransport(deadline)
    with httpx.Client(transport=transport, follow_redirects=False, timeout=options.timeout, trust_env=False) as client:
        for _hop in range(options.max_redirects + 1):
            client.cookies.clear()  # nothing a previous host set is sent to the next
            ip = _check_address(current, options.allow_private, deadline)
            target, extra_headers, extensions = _pinned(current, ip)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(f"timed out after {options.timeout:g} s fetching {url}")
            try:
                with client.stream(
                    "GET",
                    target,
                    headers={**headers, **extra_headers},
                    timeout=remaining,
                    extensions=extensions,
                ) as resp:
                    if resp.is_redirect:
                        loc = resp.headers.get("location", "")
                        if not loc:
                            raise FetchError(f"redirect without Location from {current}")
                        current = urljoin(current, loc)
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(f"HTTP {resp.status_code} for {current}")
                    body = bytearray()
                    decoder = BodyDecoder(resp.headers.get("content-encoding", ""), options.max_bytes)
                    for chunk in resp.iter_raw():
                        body += decoder.feed(chunk)
                        if decoder.done:
                            break
                        if time.monotonic() > deadline:
                            raise FetchError(f"timed out after {options.timeout:g} s fetching {url}")
                    else:
                        body += decoder.finish(deadline)
                    truncated = decoder.done or len(body) > options.max_bytes
                    del body[options.max_bytes :]
                    ctype = resp.headers.get("content-type", "")
                    return Response(
                        url=_pinned(current, None)[0],
                        status=resp.status_code,
                        body=bytes(body),
                        content_type=ctype,
                        charset=charset_from_content_type(ctype),
                        truncated=truncated,
                    )
            except httpx.TimeoutException:
                raise FetchError(f"timed out after {options.timeout:g} s fetching {url}") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch {current}: {exc.__class__.__name__}: {exc}") from None
        raise FetchError(f"more than {options.max_redirects} redirects fetching {url}")
