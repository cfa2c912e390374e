"""A self-contained HTML report of site verdicts: no scripts, styles or images from elsewhere.

Sites are listed most farm-like first, each a ``<details>`` element that expands to its
signals with evidence, its kept pages and a histogram of its page probabilities; the top of
the page has the histogram of every page probability. Everything the pages said is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from detector.sites.aggregate import BINS
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


def _site_html(v: SiteVerdict, i: int) -> str:
    e = html.escape
    label = v.label or "null"
    prob = "-" if v.probability is None else f"{v.probability:.2f}"
    summary = (f'<span class="{label}">{label}</span> {prob} &middot; {e(v.site)} &middot; '
               f"{v.pages - v.errors} pages, {v.pages_flagged} flagged" + (f" &middot; {e(v.kind)}" if v.kind else ""))
    parts = [f'<details class="site" id="site-{i}" data-site="{e(v.site)}"><summary>{summary}</summary>']
    if v.note:
        parts.append(f"<p class='null'>{e(v.note)}</p>")
    if v.kind_signals:
        parts.append(f"<p>kind decided by: {e(', '.join(v.kind_signals))}</p>")
    if v.signals:
        rows = "".join(
            f"<tr><td>{e(s.name)}</td><td>+{s.score:.2f}</td><td class='ev'>{e(' | '.join(s.evidence[:3]))}</td></tr>"
            for s in v.signals
        )
        parts.append(f"<h3>Evidence (log-odds, base {v.base_value:.2f})</h3><table class='signals'>"
                     f"<tr><th>signal</th><th>contribution</th><th>evidence</th></tr>{rows}</table>")
    parts.append(histogram_svg(v.histogram, width=300, height=80, threshold=None, label=f"{v.site} pages"))
    rows = []
    for p in v.page_rows:
        sig = ", ".join(s["name"] for s in p.get("signals", [])[:4])
        prob = p.get("probability")
        pr = "error" if p.get("error") or prob is None else f"{prob:.2f}"
        where = p.get("url") or p.get("input")
        rows.append(f"<tr><td>{e(pr)}</td><td>{e(str(where))}</td><td class='ev'>{e(p.get('error') or sig)}</td></tr>")
    parts.append(f"<h3>Pages (the {len(v.page_rows)} most farm-like kept)</h3><table class='pages'>"
                 f"<tr><th>prob</th><th>page</th><th>signals</th></tr>{''.join(rows)}</table></details>")
    return "".join(parts)


def render(verdicts: Sequence[SiteVerdict], *, pages: int, title: str = "farmscan site report") -> str:
    ordered = sorted(verdicts, key=lambda v: (v.probability is None, -(v.probability or 0.0), v.site))
    total = [0] * BINS
    for v in ordered:
        for i, c in enumerate(v.histogram[:BINS]):
            total[i] += c
    flagged = sum(v.label == "farm" for v in ordered)
    thr = ordered[0].threshold if ordered else None
    body = "".join(_site_html(v, i) for i, v in enumerate(ordered))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p id='totals'>{len(ordered)} sites, {pages} pages, {flagged} sites flagged"
        + (f" (site threshold {thr:.2f})" if thr is not None else "") + "</p>"
        "<h2>Page probabilities</h2>" + histogram_svg(total, label="all page probabilities")
        + f"<h2>Sites, most farm-like first</h2><div id='sites'>{body}</div></body></html>\n"
    )


def write_report(path: str | Path, verdicts: Sequence[SiteVerdict], *, pages: int) -> None:
    Path(path).write_text(render(verdicts, pages=pages), encoding="utf-8")
