"""Readers of the blocklist formats, written from each format's documentation (not from our writer).

* uBlacklist ruleset: iorate/ublacklist ``docs/ruleset-spec.md`` -- optional YAML frontmatter
  between ``---`` lines; ``#`` comment lines and trailing `` # comment``; a rule is a
  WebExtensions match pattern ``<scheme>://<host><path>`` (MDN "Match patterns": scheme ``*``
  means http or https; host ``*``, ``*.`` + name (the name and every subdomain) or a name,
  with no other ``*``; path starts with ``/`` and ``*`` matches anything).
* Adblock Plus / uBlock Origin network filters (ABP "How to write filters"): ``!`` comments,
  an optional ``[Adblock Plus x.y]`` header; ``||`` anchors at the start of a domain name
  (any subdomain), ``^`` is a separator (anything but a letter, digit, ``_ - . %``) or the end.
* hosts(5): ``IP_address canonical_hostname [aliases...]`` separated by blanks, ``#`` to the
  end of the line is a comment; host names per RFC 952/1123 (letters, digits, hyphens).
* CSV: RFC 4180 (header line, quoted fields, CRLF).
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re
from urllib.parse import urlsplit

_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")


class GrammarError(ValueError):
    pass


# ---- uBlacklist -------------------------------------------------------------------------
def parse_ublacklist(text: str) -> list[tuple[str, str, str]]:
    """Match patterns ``(scheme, host, path)`` of a uBlacklist ruleset; raises on a bad rule."""
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise GrammarError("unterminated frontmatter")
        lines = lines[end + 1 :]
    rules = []
    for ln in lines:
        rule = ln.split(" #", 1)[0].strip() if not ln.lstrip().startswith("#") else ""
        if not rule:
            continue
        m = re.fullmatch(r"(\*|https?|wss?|ftp|file|data):\/\/([^/]*)(\/.*)", rule)
        if not m:
            raise GrammarError(f"not a match pattern: {rule!r}")
        scheme, host, path = m.groups()
        if host != "*":
            name = host[2:] if host.startswith("*.") else host
            if "*" in name or not HOSTNAME.match(name):
                raise GrammarError(f"bad host in match pattern: {host!r}")
        rules.append((scheme, host, path))
    return rules


def ublacklist_blocks(rules: list[tuple[str, str, str]], url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    for scheme, h, path in rules:
        if scheme == "*" and parts.scheme not in ("http", "https"):
            continue
        if scheme != "*" and scheme != parts.scheme:
            continue
        if h == "*":
            host_ok = True
        elif h.startswith("*."):
            host_ok = host == h[2:] or host.endswith("." + h[2:])
        else:
            host_ok = host == h
        path_re = ".*".join(re.escape(p) for p in path.split("*"))
        if host_ok and re.fullmatch(path_re, parts.path or "/"):
            return True
    return False


# ---- Adblock Plus / uBlock Origin network filters ---------------------------------------
_SEPARATOR = r"(?:[^\w.%-]|$)"


def parse_abp(text: str) -> list[re.Pattern[str]]:
    """Network filters of an ABP/uBO list as regular expressions (documented translation)."""
    out = []
    for i, ln in enumerate(text.splitlines()):
        ln = ln.strip()
        if not ln or ln.startswith("!") or (i == 0 and ln.startswith("[") and ln.endswith("]")):
            continue
        if "##" in ln or "#@#" in ln or ln.startswith("@@") or "$" in ln:
            raise GrammarError(f"not a plain blocking network filter: {ln!r}")
        body = ln
        anchored = body.startswith("||")
        if anchored:
            body = body[2:]
        regex = ""
        for ch in body:
            regex += {"*": ".*", "^": _SEPARATOR}.get(ch, re.escape(ch))
        if anchored:
            regex = r"^[\w-]+:\/+(?!\/)(?:[^\/]+\.)?" + regex
        out.append(re.compile(regex, re.IGNORECASE))
    return out


def abp_blocks(filters: list[re.Pattern[str]], url: str) -> bool:
    return any(f.search(url) for f in filters)


# ---- hosts ------------------------------------------------------------------------------
def parse_hosts(text: str) -> list[tuple[str, str]]:
    """``(address, hostname)`` pairs of a hosts file; raises on a malformed entry."""
    out = []
    for ln in text.splitlines():
        entry = ln.split("#", 1)[0].strip()
        if not entry:
            continue
        fields = entry.split()
        if len(fields) < 2:
            raise GrammarError(f"hosts entry without a name: {ln!r}")
        try:
            ipaddress.ip_address(fields[0])
        except ValueError:
            raise GrammarError(f"bad address: {fields[0]!r}") from None
        for name in fields[1:]:
            if not HOSTNAME.match(name):
                raise GrammarError(f"bad host name: {name!r}")
            out.append((fields[0], name.lower()))
    return out


# ---- CSV ----------------------------------------------------------------------------------
def parse_csv(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if not rows:
        raise GrammarError("empty CSV")
    header = rows[0]
    for r in rows[1:]:
        if len(r) != len(header):
            raise GrammarError(f"row of {len(r)} fields under a header of {len(header)}")
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]
