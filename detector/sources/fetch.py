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


@dataclass
class Response:
    url: str
    status: int
    body: bytes
    content_type: str
    charset: str | None
    truncated: bool = False


def address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``ip`` is a public unicast address (IPv4-mapped and 6to4-free forms unwrapped)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def _check_address(url: str, allow_private: bool) -> str | None:
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
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
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

    The body is capped at ``options.max_bytes`` after content decoding (a gzip bomb is cut),
    the whole exchange at ``options.timeout`` seconds. Credentials are never sent across hosts:
    no cookies are kept and each hop is a fresh request without auth headers.
    """
    deadline = time.monotonic() + options.timeout
    headers = {"User-Agent": options.user_agent, "Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.5"}
    current = url
    with httpx.Client(follow_redirects=False, timeout=options.timeout, trust_env=False) as client:
        for _hop in range(options.max_redirects + 1):
            client.cookies.clear()  # nothing a previous host set is sent to the next
            ip = _check_address(current, options.allow_private)
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
                    truncated = False
                    for chunk in resp.iter_bytes():
                        body += chunk
                        if len(body) > options.max_bytes:
                            del body[options.max_bytes :]
                            truncated = True
                            break
                        if time.monotonic() > deadline:
                            raise FetchError(f"timed out after {options.timeout:g} s fetching {url}")
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
