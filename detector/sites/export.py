"""Blocklists from site verdicts, each line with its reasons.

* ``ublacklist``: uBlacklist ruleset, one match pattern ``*://*.site/*`` per site (the site
  and every subdomain) followed by a trailing ``#`` comment with the reasons.
* ``ubo``: uBlock Origin / Adblock Plus network filters ``||site^``, reasons on a ``!``
  comment line above each.
* ``hosts``: ``0.0.0.0 site`` and ``0.0.0.0 www.site`` (hosts files cannot match
  subdomains), reasons in a ``#`` comment.
* ``csv``: ``site,probability,kind,pages,pages_flagged,reasons`` (RFC 4180 quoting).

Only ``farm`` sites with a domain are written, and only those on at least ``min_pages``
scored pages and at ``min_probability`` or above: a "too few pages" site is never exported.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from detector.errors import UsageError
from detector.sites.grouping import is_domain
from detector.sites.verdict import SiteVerdict

FORMATS = ("ublacklist", "ubo", "hosts", "csv")
_HOST_OK = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
_COMMENT_UNSAFE = re.compile(r"[\r\n]+")


def selected(verdicts: Iterable[SiteVerdict], *, min_pages: int = 1, min_probability: float = 0.0) -> list[SiteVerdict]:
    """Farm sites with a plain ASCII domain, enough scored pages and probability, most likely first."""
    out = []
    for v in verdicts:
        if v.label != "farm" or v.probability is None or not is_domain(v.site):
            continue
        if v.pages - v.errors < min_pages or v.probability < min_probability:
            continue
        if not _HOST_OK.match(v.site):
            continue  # an IP address or an internationalised name the list syntaxes spell otherwise
        out.append(v)
    return sorted(out, key=lambda v: (-(v.probability or 0.0), v.site))


# Evidence that says a signal did not fire ("x = 0", "(e.g. x = 0)", "absent: ...", a site's
# "... features lean toward farm on N of M pages; none fired"): never a reason.
_UNFIRED = re.compile(r"(?:^absent:|=\s*0(?:\.0*)?\)?\s*$|; none fired$)")


def fired_evidence(evidence: Iterable[str]) -> str | None:
    """The first evidence string that shows a signal fired, or ``None``."""
    return next((e for e in evidence if e and not _UNFIRED.search(e)), None)


def reasons(v: SiteVerdict, n: int = 3) -> str:
    """Up to ``n`` of the site's farm-side signals, each quoted by fired evidence only (a signal
    with none is left out); the flagged-page count when none has any."""
    quoted = [fired_evidence(s.evidence) for s in v.signals if s.score > 0]
    parts = list(dict.fromkeys(q for q in quoted if q))[:n]
    if not parts:
        parts = [f"{v.pages_flagged} of {v.pages - v.errors} pages flagged"]
    return _COMMENT_UNSAFE.sub(" ", "; ".join(parts))


def summary(v: SiteVerdict) -> str:
    return (f"p={v.probability:.2f} kind={v.kind} pages={v.pages - v.errors} flagged={v.pages_flagged}: "
            f"{reasons(v)}")


def export(verdicts: Iterable[SiteVerdict], fmt: str, *, min_pages: int = 1, min_probability: float = 0.0,
           title: str = "farmscan content farms") -> str:
    """The list in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    sites = selected(verdicts, min_pages=min_pages, min_probability=min_probability)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(["site", "probability", "kind", "pages", "pages_flagged", "reasons"])
        for v in sites:
            w.writerow([v.site, f"{v.probability:.4f}", v.kind or "", v.pages - v.errors, v.pages_flagged, reasons(v)])
        return buf.getvalue()
    lines: list[str] = []
    if fmt == "ublacklist":
        lines += ["---", f"name: {title}", "---"]
        lines += [f"*://*.{v.site}/* # {summary(v)}" for v in sites]
    elif fmt == "ubo":
        lines += [f"! Title: {title}", f"! {len(sites)} sites; each rule's reasons are on the comment line above it"]
        for v in sites:
            lines += [f"! {v.site} {summary(v)}", f"||{v.site}^"]
    else:
        lines += [f"# {title}: {len(sites)} sites"]
        for v in sites:
            lines += [f"0.0.0.0 {v.site} # {summary(v)}", f"0.0.0.0 www.{v.site}"]
    return "\n".join(lines) + "\n"
