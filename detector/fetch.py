"""HTTP(S) fetching with a real client: timeouts, size caps, redirect limit, address checks."""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from detector.decode import charset_from_content_type
from detector.errors import FetchError
from detector.options import DEFAULT_OPTIONS, Options


@dataclass
class Response:
    url: str
    status: int
    body: bytes
    content_type: str
    charset: str | None
    truncated: bool = False


def _check_address(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
    host = parts.hostname
    if not host:
        raise FetchError(f"URL has no host: {url}")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror}") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if (
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_multicast
            or ip.is_reserved
            or ip.is_unspecified
        ):
            raise FetchError(
                f"refused to fetch {host}: it resolves to a non-public address ({ip}); "
                "use --allow-private to permit it"
            )


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
            _check_address(current, options.allow_private)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(f"timed out after {options.timeout:g} s fetching {url}")
            try:
                with client.stream("GET", current, headers=headers, timeout=remaining) as resp:
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
                        url=str(resp.url),
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
