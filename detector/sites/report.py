"""A self-contained HTML report of site verdicts: no scripts, styles or images from elsewhere.

The top of the page names the site model (and the page model when given) and the date, then
the histogram of every page probability and one sortable, filterable table of the sites
(most farm-like first: a site with too few pages for a verdict ranks by its most farm-like
page, so a flagged page of a one-page site is not buried below every original site). Each
row links the site itself and its section below: a ``<details>`` element that expands to its
signals with evidence, its network (sites sharing an operator, when the verdict has one), what
a probe found, its kept pages with each page's evidence on demand, and a histogram of its page
probabilities. Everything the pages said is escaped; the one inline script (sorting and
filtering) is allowed by its hash in the Content-Security-Policy, nothing else runs.
"""

from __future__ import annotations

import base64
import hashlib
import html
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from detector.sites.aggregate import BINS
from detector.sites.grouping import is_domain
from detector.sites.verdict import SiteVerdict

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em auto;max-width:70em;color:#222}
h1{font-size:1.4em}table{border-collapse:collapse;width:100%}
td,th{padding:2px 6px;text-align:left;vertical-align:top;border-bottom:1px solid #eee}
details.site{border:1px solid #ccc;border-radius:4px;margin:4px 0;padding:4px 8px}
details.site>summary{cursor:pointer;font-family:ui-monospace,monospace}
.farm{color:#a00;font-weight:bold}.original{color:#060}.null{color:#777}
.ev{color:#555;font-size:.9em}.bar{fill:#4a7ab5}.bar.hi{fill:#c0392b}
svg text{font-size:10px;fill:#444}
table#site-table th{cursor:pointer;user-select:none;background:#f4f4f4}
table#site-table th[aria-sort=ascending]::after{content:" \\25B2"}
table#site-table th[aria-sort=descending]::after{content:" \\25BC"}
tr.flagged-page td:nth-child(2){color:#a00}#controls{margin:.5em 0}#controls input{width:20em}
.dead,.parked,.redirects,.failed{color:#975a00}a.ext{text-decoration:none}
"""


def histogram_svg(counts: Sequence[int], *, width: int = 420, height: int = 110, threshold: float | None = None,
                  label: str = "page probabilities") -> str:
    """An inline SVG bar chart of ``counts`` over [0, 1] in ``len(counts)`` bins."""
    n = len(counts) or 1
    top = max(counts) if counts and max(counts) > 0 else 1
    bw = (width - 30) / n
    bars = []
    for i, c in enumerate(counts):
        h = (height - 25) * c / top
        x = 25 + i * bw
        hi = threshold is not None and (i + 1) / n > threshold
        bars.append(
            f'<rect class="bar{" hi" if hi else ""}" x="{x:.1f}" y="{height - 15 - h:.1f}" width="{bw - 1:.1f}" '
            f'height="{h:.1f}"><title>{i / n:.2f}-{(i + 1) / n:.2f}: {c} pages</title></rect>'
        )
    axis = "".join(f'<text x="{25 + k * (width - 30) / 4:.0f}" y="{height - 2}" text-anchor="{"end" if k == 4 else "middle"}">'
                   f"{k / 4:.2f}</text>" for k in range(5))
    return (f'<svg class="hist" role="img" aria-label="histogram of {html.escape(label)}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}"><text x="0" y="10">{top}</text>'
            + "".join(bars) + axis + "</svg>")


_SCRIPT = """
(function(){
var table=document.getElementById('site-table');if(!table)return;
var body=table.tBodies[0],heads=table.tHead.rows[0].cells;
var filter=document.getElementById('filter'),show=document.getElementById('show');
function key(row,k,num){var v=row.getAttribute('data-'+k)||'';return num?(v===''?-1:parseFloat(v)):v.toLowerCase();}
Array.prototype.forEach.call(heads,function(th){th.addEventListener('click',function(){
 var k=th.getAttribute('data-key'),num=th.hasAttribute('data-num');
 var dir=th.getAttribute('aria-sort')==='descending'?'ascending':'descending';
 Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});th.setAttribute('aria-sort',dir);
 var rows=Array.prototype.slice.call(body.rows);
 rows.sort(function(a,b){var x=key(a,k,num),y=key(b,k,num);var c=x<y?-1:x>y?1:0;return dir==='ascending'?c:-c;});
 rows.forEach(function(r){body.appendChild(r);});});});
function apply(){var q=filter.value.toLowerCase(),s=show.value,n=0;
 Array.prototype.forEach.call(body.rows,function(r){
  var ok=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&(s==='all'||r.getAttribute('data-show').split(' ').indexOf(s)>=0);
  r.hidden=!ok;n+=ok;});
 document.getElementById('shown').textContent=n+' shown';}
filter.addEventListener('input',apply);show.addEventListener('change',apply);apply();
function openHash(){var d=document.getElementById(location.hash.slice(1));if(d&&d.tagName==='DETAILS')d.open=true;}
window.addEventListener('hashchange',openHash);openHash();
})();
"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
_SHOW = ("all", "farm", "original", "flagged-page", "too-few", "dead", "parked", "redirects", "failed")


def _page_max(v: SiteVerdict) -> float | None:
    probs = [p.get("probability") for p in v.page_rows if isinstance(p.get("probability"), int | float)]
    return max(probs) if probs else None


def rank(v: SiteVerdict) -> float:
    """How farm-like a site reads: its probability, or (too few pages) its most farm-like page."""
    if v.probability is not None:
        return v.probability
    top = _page_max(v)
    return -1.0 if top is None else top


def _link(url: str, text: str | None = None) -> str:
    e = html.escape
    if not url.startswith(("http://", "https://")):
        return e(text or url)
    return f'<a class="ext" href="{e(url)}" rel="noopener noreferrer nofollow">{e(text or url)}</a>'


def _network(v: SiteVerdict) -> tuple[list[str], list[str]]:
    """``(other sites, evidence)`` of the site's operator network, whatever shape it has."""
    net = getattr(v, "network", None)
    if not net:
        return [], []
    if isinstance(net, Mapping):
        sites = net.get("sites") or net.get("members") or net.get("others") or []
        ev = net.get("evidence") or net.get("shared") or net.get("ids") or []
    elif isinstance(net, list | tuple):
        sites, ev = net, []
    elif hasattr(net, "sites"):
        sites, ev = getattr(net, "sites", []) or [], getattr(net, "evidence", []) or []
    else:
        return [str(net)], []

    def name(x: Any) -> str:
        if isinstance(x, Mapping):
            return str(x.get("site") or x.get("name") or x)
        return str(getattr(x, "site", x))

    sites = [name(s) for s in (sites if isinstance(sites, list | tuple) else [sites]) if name(s) != v.site]
    ev = [str(x) for x in (ev if isinstance(ev, list | tuple) else [ev])]
    return sites, ev


def _label(v: SiteVerdict, probe: Mapping[str, Any] | None) -> tuple[str, str]:
    """``(css class, text)`` of the site's label column."""
    outcome = (probe or {}).get("outcome")
    if outcome and outcome != "scored":
        return outcome, outcome
    if v.label:
        return v.label, v.label
    if v.pages_flagged:
        return "farm", "flagged page"
    return "null", "too few pages"


def _show(v: SiteVerdict, probe: Mapping[str, Any] | None) -> str:
    outcome = (probe or {}).get("outcome")
    if outcome and outcome != "scored":
        return outcome
    if v.label:
        return v.label
    return "too-few flagged-page" if v.pages_flagged else "too-few"


def _row(v: SiteVerdict, i: int, probe: Mapping[str, Any] | None) -> str:
    e = html.escape
    cls, text = _label(v, probe)
    score = rank(v)
    prob = "-" if v.probability is None else f"{v.probability:.2f}"
    if v.probability is None and score >= 0:
        prob = f"({score:.2f})"
    others, _ev = _network(v)
    reasons = "; ".join(dict.fromkeys(s.evidence[0] if s.evidence else s.name for s in v.signals[:3]))
    if probe and probe.get("outcome") not in (None, "scored"):
        reasons = str(probe.get("reason") or "")
    site = _link(f"https://{v.site}/", v.site) if is_domain(v.site) else e(v.site)
    row_cls = ' class="flagged-page"' if v.label is None and v.pages_flagged else ""
    return (
        f'<tr{row_cls} data-site="{e(v.site)}" data-label="{e(text)}" data-prob="{score:.4f}" '
        f'data-pages="{v.pages - v.errors}" data-flagged="{v.pages_flagged}" data-kind="{e(v.kind or "")}" '
        f'data-network="{len(others)}" data-reasons="{e(reasons[:200])}" data-show="all {e(_show(v, probe))}">'
        f'<td>{site} <a href="#site-{i}" title="details">&#9656;</a></td><td class="{cls}">{e(text)}</td>'
        f"<td>{prob}</td><td>{v.pages - v.errors}</td><td>{v.pages_flagged}</td><td>{e(v.kind or '')}</td>"
        f"<td>{e(', '.join(others[:5]) + (' ...' if len(others) > 5 else ''))}</td><td class='ev'>{e(reasons)}</td></tr>"
    )


def _prob(p: Any) -> str:
    return f"{p:.2f}" if isinstance(p, int | float) else "-"


def _page_rows(rows: Sequence[Mapping[str, Any]]) -> str:
    e = html.escape
    out = []
    for p in rows:
        prob = p.get("probability")
        pr = "error" if p.get("error") or prob is None else f"{prob:.2f}"
        where = str(p.get("url") or p.get("input"))
        sigs = p.get("signals", [])
        if p.get("error"):
            ev = e(p["error"])
        elif sigs:
            items = "".join(f"<li>{e(s.get('name', ''))} +{float(s.get('score') or 0):.2f}: {e(str(s.get('evidence') or ''))}</li>"
                            for s in sigs)
            ev = f"<details class='page-ev'><summary>{e(', '.join(s.get('name', '') for s in sigs[:4]))}</summary><ul>{items}</ul></details>"
        else:
            ev = ""
        out.append(f"<tr><td>{e(pr)}</td><td>{_link(where)}</td><td class='ev'>{ev}</td></tr>")
    return "".join(out)


def _site_html(v: SiteVerdict, i: int, probe: Mapping[str, Any] | None = None) -> str:
    e = html.escape
    cls, text = _label(v, probe)
    prob = "-" if v.probability is None else f"{v.probability:.2f}"
    summary = (f'<span class="{cls}">{e(text)}</span> {prob} &middot; {e(v.site)} &middot; '
               f"{v.pages - v.errors} pages, {v.pages_flagged} flagged" + (f" &middot; {e(v.kind)}" if v.kind else ""))
    parts = [f'<details class="site" id="site-{i}" data-site="{e(v.site)}"><summary>{summary}</summary>']
    if is_domain(v.site):
        parts.append(f"<p>site: {_link(f'https://{v.site}/')} &middot; model {e(v.model)}</p>")
    if v.note:
        parts.append(f"<p class='null'>{e(v.note)}</p>")
    if probe:
        bits = [f"outcome <b class='{e(str(probe.get('outcome')))}'>{e(str(probe.get('outcome')))}</b>"]
        if probe.get("redirects_to"):
            bits.append(f"redirects to {_link(str(probe.get('redirect_url') or ''), str(probe['redirects_to']))}")
        bits.append(f"{probe.get('requests', 0)} requests, {probe.get('bytes', 0)} bytes, {probe.get('seconds', 0)} s")
        if probe.get("stopped_by"):
            bits.append(f"stopped: {e(str(probe['stopped_by']))}")
        parts.append(f"<p class='probe'>probe: {' &middot; '.join(bits)}</p>")
        if probe.get("evidence"):
            parts.append("<ul class='ev'>" + "".join(f"<li>{e(str(x))}</li>" for x in probe["evidence"]) + "</ul>")
        read = probe.get("pages_read") or []
        if read:
            rows = "".join(f"<tr><td>{e(str(p.get('found_in')))}</td><td>{_prob(p.get('probability'))}</td>"
                           f"<td>{_link(str(p.get('url')))}</td></tr>" for p in read)
            parts.append(f"<details class='read'><summary>{len(read)} pages read</summary><table class='read'>"
                         f"<tr><th>found in</th><th>prob</th><th>page</th></tr>{rows}</table></details>")
    others, net_ev = _network(v)
    if others:
        parts.append(f"<h3>Network</h3><p class='network'>{', '.join(_link(f'https://{s}/', s) if is_domain(s) else e(s) for s in others)}</p>"
                     + ("<ul class='ev'>" + "".join(f"<li>{e(x)}</li>" for x in net_ev[:5]) + "</ul>" if net_ev else ""))
    if v.kind_signals:
        parts.append(f"<p>kind decided by: {e(', '.join(v.kind_signals))}</p>")
    if v.signals:
        rows = "".join(
            f"<tr><td>{e(s.name)}</td><td>+{s.score:.2f}</td><td class='ev'>{e(' | '.join(s.evidence[:3]))}</td></tr>"
            for s in v.signals
        )
        parts.append(f"<h3>Evidence (log-odds, base {v.base_value:.2f})</h3><table class='signals'>"
                     f"<tr><th>signal</th><th>contribution</th><th>evidence</th></tr>{rows}</table>")
    if v.pages:
        parts.append(histogram_svg(v.histogram, width=300, height=80, threshold=None, label=f"{v.site} pages"))
    if v.page_rows:
        parts.append(f"<h3>Pages (the {len(v.page_rows)} most farm-like kept)</h3><table class='pages'>"
                     f"<tr><th>prob</th><th>page</th><th>signals (click for evidence)</th></tr>{_page_rows(v.page_rows)}</table>")
    parts.append("</details>")
    return "".join(parts)


def render(verdicts: Sequence[SiteVerdict], *, pages: int, title: str = "farmscan site report",
           probes: Mapping[str, Mapping[str, Any]] | None = None, page_model: str | None = None,
           generated: str | None = None) -> str:
    """The report. ``probes`` maps a site to what ``farmscan probe`` found (its outcome,
    the pages read); ``generated`` is the date shown (default: now, UTC)."""
    probes = probes or {}
    ordered = sorted(verdicts, key=lambda v: (-rank(v), v.site))
    total = [0] * BINS
    for v in ordered:
        for i, c in enumerate(v.histogram[:BINS]):
            total[i] += c
    flagged = sum(v.label == "farm" for v in ordered)
    loose = sum(v.label is None and v.pages_flagged > 0 for v in ordered)
    thr = ordered[0].threshold if ordered else None
    models = sorted({v.model for v in ordered if v.model})
    when = generated or time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    e = html.escape
    rows = "".join(_row(v, i, probes.get(v.site)) for i, v in enumerate(ordered))
    body = "".join(_site_html(v, i, probes.get(v.site)) for i, v in enumerate(ordered))
    options = "".join(f"<option value='{s}'>{s.replace('-', ' ')}</option>" for s in _SHOW)
    heads = "".join(f"<th data-key='{k}'{' data-num' if num else ''}{' aria-sort=descending' if k == 'prob' else ''}>{t}</th>"
                    for k, t, num in (("site", "site", False), ("label", "label", False), ("prob", "probability", True),
                                      ("pages", "pages", True), ("flagged", "flagged pages", True),
                                      ("kind", "kind", False), ("network", "network", True), ("reasons", "reasons", False)))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src 'sha256-{_SCRIPT_HASH}'\">"
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{e(title)}</h1>"
        f"<p id='meta'>site model {e(', '.join(models) or '-')}"
        + (f" (site threshold {thr:.2f})" if thr is not None else "")
        + (f" &middot; page model {e(page_model)}" if page_model else "")
        + f" &middot; generated {e(when)}</p>"
        f"<p id='totals'>{len(ordered)} sites, {pages} pages, {flagged} sites flagged"
        + (f", {loose} sites with too few pages for a verdict but a flagged page" if loose else "") + "</p>"
        "<h2>Page probabilities</h2>" + histogram_svg(total, label="all page probabilities")
        + "<h2>Sites, most farm-like first</h2>"
        f"<div id='controls'><input id='filter' type='search' placeholder='filter: site, kind, network, reason'> "
        f"<select id='show'>{options}</select> <span id='shown'></span></div>"
        f"<table id='site-table'><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"
        f"<h2>Each site</h2><div id='sites'>{body}</div><script>{_SCRIPT}</script></body></html>\n"
    )


def write_report(path: str | Path, verdicts: Sequence[SiteVerdict], *, pages: int,
                 probes: Mapping[str, Mapping[str, Any]] | None = None, page_model: str | None = None) -> None:
    Path(path).write_text(render(verdicts, pages=pages, probes=probes, page_model=page_model), encoding="utf-8")
