"""Which site a page belongs to: its registrable domain, or its own subdomain on a platform.

The registrable domain comes from the Public Suffix List bundled with ``publicsuffixlist``
(private section included, so ``x.blogspot.com`` and ``x.github.io`` are sites of their
own). Hosting platforms that the list does not name are added in :data:`PLATFORMS`: on
them each user subdomain is a different publisher (``alice.wordpress.com`` is not
``bob.wordpress.com``).
"""

from __future__ import annotations

from functools import lru_cache

from detector.sources.document import display_name
from features.domains import domain_of_host, loose_host, normal_host

# Blog and site hosts whose user subdomains are separate sites, checked against the
# bundled list at import (a platform already in it needs no entry; these are not in it).
PLATFORMS = frozenset(
    {
        "wordpress.com",
        "tumblr.com",
        "medium.com",
        "substack.com",
        "weebly.com",
        "livejournal.com",
        "typepad.com",
        "over-blog.com",
        "jimdofree.com",
        "webnode.page",
        "site123.me",
        "tistory.com",
        "blog.jp",
        "ghost.io",
    }
)


@lru_cache(maxsize=262144)
def site_of_host(host: str) -> str:
    """``news.bbc.co.uk`` -> ``bbc.co.uk``; ``alice.wordpress.com`` -> itself; '' for no host."""
    host = normal_host(host)
    if not host:
        return ""
    for platform in PLATFORMS:
        if host.endswith("." + platform):
            user = host[: -len(platform) - 1].rsplit(".", 1)[-1]
            return f"{user}.{platform}"
    return domain_of_host(host)


def site_of(url: str | None) -> str:
    """The site of a page URL ('' when the URL has no host)."""
    host = loose_host(url)
    return site_of_host(host) if host else ""


def site_key(url: str | None, input: str) -> str:
    """The grouping key: the site of ``url``; a page without a URL is a site of its own,
    named ``?<input>`` (never exported: there is no domain to block)."""
    site = site_of(url)
    return site if site else f"?{display_name(input)}"


def is_domain(site: str) -> bool:
    """True for keys that name a real domain (exportable), False for ``?<input>`` keys."""
    return bool(site) and not site.startswith("?")
