"""``farmscan probe``: read a few pages of each site named by a URL or domain, judge each site."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from typing import TextIO

from detector.errors import FarmscanError, UsageError, exit_code
from detector.options import DEFAULT_OPTIONS, Options

NAME = "probe"
HELP = "fetch up to N pages of each site named by a URL or domain (politely) and judge each site"
DESCRIPTION = (
    "For each URL or domain: robots.txt (honoured), the home page, the WordPress REST API, "
    "sitemaps and feeds, then home-page links, one request at a time per host with a delay and "
    "within request, time and byte budgets. Each site is reported as dead, parked, redirects "
    "(to another registrable domain, named), failed, or with a site verdict. --input-file reads "
    "URLs, domains or blocklist lines (uBlacklist, uBlock Origin, hosts). Exit codes: 0 no site "
    "flagged, 1 some site flagged, 2 usage error or some probe failed, 3 both."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    o = DEFAULT_OPTIONS
    p.add_argument("targets", nargs="*", metavar="URL|DOMAIN", help="a site's URL or domain")
    p.add_argument("--input-file", metavar="PATH",
                   help="one URL, domain or blocklist rule a line (# and ! lines are comments)")
    p.add_argument("--format", choices=("table", "jsonl", "json"),
                   help="output format (default: table on a terminal, jsonl otherwise)")
    p.add_argument("--export", metavar="FORMAT", help="print a blocklist of the farm sites (ublacklist, ubo, hosts, csv)")
    p.add_argument("--min-probability", type=float, default=0.0, help="export only sites at or above this probability")
    p.add_argument("--html", metavar="PATH", help="also write a self-contained HTML report to PATH")
    p.add_argument("--pages", action="store_true", help="with jsonl/json: include each site's kept pages and site features")
    p.add_argument("--max-pages", type=int, default=o.probe_pages,
                   help=f"pages read per site at most (default {o.probe_pages})")
    p.add_argument("--delay", type=float, default=o.probe_delay,
                   help=f"seconds between two requests to one host (default {o.probe_delay:g}; robots.txt's Crawl-delay can raise it)")
    p.add_argument("--time-budget", type=float, default=o.probe_seconds,
                   help=f"seconds per site at most (default {o.probe_seconds:g})")
    p.add_argument("--byte-budget", type=int, default=o.probe_bytes,
                   help=f"bytes read per site at most (default {o.probe_bytes // 2**20} MB)")
    p.add_argument("--timeout", type=float, default=o.timeout, help=f"seconds per request (default {o.timeout:g})")
    p.add_argument("--max-bytes", type=int, default=o.max_bytes,
                   help=f"cap on one response's bytes (default {o.max_bytes // 2**20} MB)")
    p.add_argument("--allow-private", action="store_true", help="allow fetching loopback/private addresses")
    p.add_argument("--resolve", action="append", default=[], metavar="HOST:ADDR",
                   help="connect to ADDR for HOST (as curl --resolve; address checks still apply); repeatable")
    p.add_argument("--model", help="page model file (default: the one shipped)")
    p.add_argument("--site-model", metavar="PATH", help="site model file (default: the one shipped)")
    p.add_argument("--quiet", "-q", action="store_true", help="no per-site lines or summary on stderr")


_UBLACKLIST = re.compile(r"^\*?:?//?\*?\.?([^/\s*]+)/")
_UBO = re.compile(r"^\|\|([^\^/\s$]+)")
_HOSTS = re.compile(r"^(?:0\.0\.0\.0|127\.0\.0\.1|::1?)\s+(\S+)")


def target_of(line: str) -> str | None:
    """The URL or domain of one input line: a URL, a domain, or a blocklist rule
    (``*://*.example.com/*``, ``||example.com^``, ``0.0.0.0 example.com``); ``None`` for
    comments, blank lines and list headers."""
    s = line.split(" # ", 1)[0].strip()
    if not s or s[0] in "#!" or s == "---" or re.match(r"^[a-z_]+:\s", s):
        return None
    for pattern in (_UBLACKLIST, _UBO, _HOSTS):
        m = pattern.match(s)
        if m:
            return m.group(1).lower()
    if s.startswith(("http://", "https://")):
        return s.split()[0]
    word = s.split()[0]
    return word.lower() if "." in word else None


def targets(args: argparse.Namespace) -> Iterator[str]:
    from detector.probe import start_urls
    from detector.sites.grouping import site_of

    seen: set[str] = set()
    lines: list[str] = list(args.targets)
    if args.input_file:
        try:
            with open(args.input_file, encoding="utf-8", errors="replace") as fh:
                lines += fh.read().splitlines()
        except OSError as exc:
            raise UsageError(f"cannot read --input-file {args.input_file}: {exc.strerror or exc}") from None
    for line in lines:
        t = target_of(line)
        if t is None:
            continue
        try:
            key = site_of(start_urls(t)[0])
        except UsageError:
            key = t  # probed anyway: its record says why it cannot be
        if key in seen:  # hosts lists name example.com and www.example.com: one site, one probe
            continue
        seen.add(key)
        yield t


def resolve_map(pairs: list[str]) -> dict[str, str]:
    import ipaddress

    out = {}
    for pair in pairs:
        host, sep, addr = pair.partition(":")
        try:
            ipaddress.ip_address(addr.strip("[]"))
        except ValueError:
            sep = ""
        if not sep or not host:
            raise UsageError(f"--resolve wants HOST:ADDR (an IP address), got {pair!r}")
        out[host.lower()] = addr.strip("[]")
    return out


def format_table(results: list, out: TextIO) -> None:
    print(f"{'OUTCOME':<9} {'LABEL':<8} {'PROB':>5} {'PAGES':>5} {'FLAG':>4}  SITE / KIND / WHY", file=out)
    for r in results:
        v = r.verdict
        prob = "  -  " if v.probability is None else f"{v.probability:5.2f}"
        head = f"{r.outcome:<9} {v.label or '-':<8} {prob} {v.pages - v.errors:>5} {v.pages_flagged:>4}  {r.site}"
        if v.kind:
            head += f"  [{v.kind}]"
        print(head, file=out)
        if r.outcome != "scored":
            print(f"{'':>37}{r.reason}", file=out)
            for ev in r.evidence[:3]:
                print(f"{'':>37}{ev}", file=out)
        elif v.note:
            print(f"{'':>37}{v.note}", file=out)
        for s in v.signals[:3]:
            ev = f": {s.evidence[0]}" if s.evidence else ""
            print(f"{'':>37}{s.name} +{s.score:.2f}{ev}", file=out)


def export_text(results: list, fmt: str, min_pages: int, min_probability: float) -> str:
    """The blocklist of the farm sites, then (not in csv) one comment line per site that was
    dead, parked, redirected or failed: what a list maintainer re-checks."""
    from detector.sites.export import export

    text = export([r.verdict for r in results if r.outcome == "scored"], fmt, min_pages=min_pages,
                  min_probability=min_probability)
    if fmt == "csv":
        return text
    mark = "!" if fmt == "ubo" else "#"
    extra = [f"{mark} {r.outcome}: {r.site}: {r.reason}" for r in results if r.outcome != "scored"]
    return text + ("\n".join(extra) + "\n" if extra else "")


def run(args: argparse.Namespace) -> int:
    from detector.probe import failed_result, probe_site
    from detector.sites.export import FORMATS
    from detector.sites.model import load_site_model

    if args.export and args.export not in FORMATS:
        raise UsageError(f"unknown export format {args.export!r} (choose from {', '.join(FORMATS)})")
    if args.export and args.format:
        raise UsageError("--export prints a list; drop --format")
    if not 0.0 <= args.min_probability <= 1.0:
        raise UsageError("--min-probability must be between 0 and 1")
    options = Options(model=args.model, timeout=args.timeout, max_bytes=args.max_bytes,
                      allow_private=args.allow_private, probe_pages=args.max_pages, probe_delay=args.delay,
                      probe_seconds=args.time_budget, probe_bytes=args.byte_budget)
    resolve = resolve_map(args.resolve)
    todo = list(targets(args))
    if not todo:
        raise UsageError("nothing to probe: give a URL or domain, or --input-file")
    model = load_site_model(args.site_model)
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    results = []
    out = sys.stdout
    for t in todo:
        try:
            r = probe_site(t, options=options, site_model=model, resolve=resolve)
        except FarmscanError as exc:  # a list line that is no URL or domain: one failed record
            r = failed_result(t, exc.one_line(), model)
        except Exception as exc:  # noqa: BLE001 - a batch never stops on one site
            r = failed_result(t, f"internal: {exc.__class__.__name__}: {exc}"[:300], model)
        results.append(r)
        if not args.quiet:
            what = r.verdict.label if r.outcome == "scored" else r.reason
            n = len(r.pages_read)
            print(f"farmscan: probed {r.site}: {r.outcome} ({what}; {n} page{'' if n == 1 else 's'}, "
                  f"{r.requests} request{'' if r.requests == 1 else 's'}, {r.bytes} bytes)", file=sys.stderr)
        if fmt == "jsonl" and not args.export:
            out.write(json.dumps(r.to_dict(pages=args.pages), ensure_ascii=False) + "\n")
            out.flush()
    if args.export:
        out.write(export_text(results, args.export, model.min_pages, args.min_probability))
    elif fmt == "table":
        format_table(results, out)
    elif fmt == "json":
        json.dump([r.to_dict(pages=args.pages) for r in results], out, ensure_ascii=False, indent=1)
        out.write("\n")
    out.flush()
    if args.html:
        from detector.model.load import load_model
        from detector.sites.report import write_report

        write_report(args.html, [r.verdict for r in results], pages=sum(len(r.pages_read) for r in results),
                     probes={r.site: r.probe_dict() for r in results}, page_model=load_model(options.model).id)
    flagged = sum(r.flagged for r in results)
    failed = sum(r.outcome == "failed" for r in results)
    if not args.quiet:
        counts = {o: sum(r.outcome == o for r in results) for o in ("scored", "dead", "parked", "redirects", "failed")}
        print(f"farmscan: done: {len(results)} sites, {flagged} flagged; "
              + ", ".join(f"{n} {o}" for o, n in counts.items()), file=sys.stderr)
    return exit_code(flagged, failed)
