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


def normal_host(host: str) -> str:
    """``WWW.Example.org.`` -> ``example.org``: lower case, no trailing dot, no ``www.``."""
    host = host.strip().lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=65536)
def domain_of_host(host: str) -> str:
    host = normal_host(host)
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


def loose_host(url: str | None) -> str:
    """The host of a URL, with or without its scheme (``example.org/a`` -> ``example.org``); '' for none."""
    if not url:
        return ""
    return host_of(url if "//" in url else "//" + url)


def registrable_domain(url: str) -> str:
    """``https://www.bbc.co.uk/news`` -> ``bbc.co.uk``; '' when the URL has no host."""
    host = loose_host(url)
    return domain_of_host(host) if host else ""


def same_site(url_a: str, url_b: str) -> bool:
    a, b = registrable_domain(url_a), registrable_domain(url_b)
    return bool(a) and a == b
