"""Registrable domains (eTLD+1) from the Public Suffix List bundled with ``publicsuffixlist``.

No network access: the list ships inside the package.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

_PSL: PublicSuffixList | None = None


def _psl() -> PublicSuffixList:
    global _PSL
    if _PSL is None:
        _PSL = PublicSuffixList()
    return _PSL


@lru_cache(maxsize=65536)
def domain_of_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if not host:
        return ""
    if host.replace(".", "").isdigit() or ":" in host:
        return host  # an IP address
    return _psl().privatesuffix(host) or host


def host_of(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


def registrable_domain(url: str) -> str:
    """``https://www.bbc.co.uk/news`` -> ``bbc.co.uk``; '' when the URL has no host."""
    if not url:
        return ""
    if "//" not in url:
        url = "//" + url
    host = host_of(url)
    return domain_of_host(host) if host else ""


def same_site(url_a: str, url_b: str) -> bool:
    a, b = registrable_domain(url_a), registrable_domain(url_b)
    return bool(a) and a == b
