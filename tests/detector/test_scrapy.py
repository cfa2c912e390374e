"""A real Scrapy crawl of a local HTTP server: items annotated or dropped, stats counted."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

pytest.importorskip("scrapy")

from detector import Options, score  # noqa: E402

CRAWL = Path(__file__).resolve().parents[1] / "fixtures" / "crawl"
REPO = Path(__file__).resolve().parents[2]

SCRIPT = r'''
import json, sys
from scrapy.crawler import CrawlerProcess
from tests.helpers.site_spider import Site

base, out, threshold = sys.argv[1], sys.argv[2], float(sys.argv[3])
PIPE = {"detector.integrations.scrapy.FarmscanPipeline": 300}
MW = {"detector.integrations.scrapy.FarmscanDownloaderMiddleware": 950}


def spider(name, **settings):
    feed = {f"{out}/{name}.jsonl": {"format": "jsonlines"}}
    return type(name, (Site,), {"name": name, "custom_settings": {"FEEDS": feed, **settings}})


runs = {
    "annotate": spider("annotate", ITEM_PIPELINES=PIPE, FARMSCAN_THRESHOLD=threshold,
                       FARMSCAN_FIELDS=["label", "probability", "reasons", "error"]),
    "drop": spider("drop", ITEM_PIPELINES=PIPE, FARMSCAN_THRESHOLD=threshold, FARMSCAN_ACTION="drop",
                   FARMSCAN_DROP_LOG_LEVEL="WARNING"),
    "drop_quiet": spider("drop_quiet", ITEM_PIPELINES=PIPE, FARMSCAN_THRESHOLD=threshold, FARMSCAN_ACTION="drop"),
    "disabled": spider("disabled", ITEM_PIPELINES=PIPE, FARMSCAN_ENABLED=False),
    "middleware": spider("middleware", DOWNLOADER_MIDDLEWARES=MW, FARMSCAN_THRESHOLD=threshold),
}
process = CrawlerProcess({"LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False})
crawlers = {}
for name, cls in runs.items():
    crawlers[name] = process.create_crawler(cls)
    process.crawl(crawlers[name], base=base)
process.start()
stats = {n: {k: v for k, v in c.stats.get_stats().items() if isinstance(v, (int, float, str))}
         for n, c in crawlers.items()}
json.dump(stats, open(f"{out}/stats.json", "w"))
'''


@pytest.fixture(scope="module")
def server(serve, tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "farm.html").write_bytes((CRAWL / "farm.html").read_bytes())
    (root / "original.html").write_bytes((CRAWL / "original.html").read_bytes())
    (root / "blank.html").write_text("   \n")
    (root / "index.html").write_text(
        '<html><body><a href="farm.html">a</a> <a href="original.html">b</a> <a href="blank.html">c</a></body></html>'
    )
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    with serve(handler) as url:
        yield url


@pytest.fixture(scope="module")
def crawl(server, tmp_path_factory):
    """Run the four crawls in one Scrapy process; return (items by run, stats, stderr, expected)."""
    out = tmp_path_factory.mktemp("crawl")
    farm = score((CRAWL / "farm.html").read_bytes(), url=f"{server}/farm.html")
    orig = score((CRAWL / "original.html").read_bytes(), url=f"{server}/original.html")
    # The fixture farm page must look more farm-like than the article, whatever the model.
    assert farm.probability > orig.probability
    threshold = (farm.probability + orig.probability) / 2
    # reasons depend on the threshold: the expected verdicts at the crawl's threshold
    farm = score((CRAWL / "farm.html").read_bytes(), url=f"{server}/farm.html", options=Options(threshold=threshold))
    orig = score((CRAWL / "original.html").read_bytes(), url=f"{server}/original.html", options=Options(threshold=threshold))
    script = out / "run.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, str(script), server, str(out), repr(threshold)],
        capture_output=True, text=True, timeout=180, env=env, cwd=out,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    items = {}
    for name in ("annotate", "drop", "drop_quiet", "disabled", "middleware"):
        path = out / f"{name}.jsonl"
        rows = [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []
        items[name] = {r["url"].rsplit("/", 1)[1]: r for r in rows}
    stats = json.loads((out / "stats.json").read_text())
    return items, stats, proc.stderr, {"farm.html": farm, "original.html": orig}


def test_annotate_adds_the_verdict_to_every_item(crawl):
    items, stats, _, expected = crawl
    got = items["annotate"]
    assert set(got) == {"farm.html", "original.html", "blank.html"}
    assert got["farm.html"]["farmscan"]["label"] == "farm"
    assert got["original.html"]["farmscan"]["label"] == "original"
    for page in ("farm.html", "original.html"):
        assert got[page]["farmscan"]["probability"] == round(expected[page].probability, 4)
        assert got[page]["farmscan"]["reasons"] == expected[page].reasons
        assert got[page]["farmscan"]["error"] is None
    assert got["blank.html"]["farmscan"]["label"] is None
    assert got["blank.html"]["farmscan"]["error"] is None  # an empty page is not a page, as a one-byte one
    s = stats["annotate"]
    assert s["farmscan/scored"] == 2
    assert s["farmscan/flagged"] == 1
    assert s["farmscan/not_page"] == 1 and "farmscan/errors" not in s
    # compact: one reason counter per flagged page, its top reason
    assert {k: v for k, v in s.items() if k.startswith("farmscan/reason/")} == {
        f"farmscan/reason/{expected['farm.html'].reasons[0]}": 1}
    assert "farmscan/dropped" not in s


def test_drop_removes_flagged_items_with_the_reason(crawl):
    items, stats, stderr, expected = crawl
    assert set(items["drop"]) == {"original.html", "blank.html"}
    s = stats["drop"]
    assert s["farmscan/dropped"] == 1
    assert s["item_dropped_count"] == 1
    assert s["farmscan/flagged"] == 1
    assert "farmscan: farm page (p=" in stderr
    assert "/farm.html" in stderr
    # The drop line names the URL and reasons, never the item's body (its HTML).
    drop_lines = [ln for ln in stderr.splitlines() if "farmscan: farm page (p=" in ln]
    assert drop_lines and all("reasons:" in ln for ln in drop_lines)
    assert "<html" not in stderr.lower() and "'html':" not in stderr
    # FARMSCAN_DROP_LOG_LEVEL: the default (DEBUG) is below the crawl's WARNING log level
    assert set(items["drop_quiet"]) == {"original.html", "blank.html"}
    assert stderr.count("farmscan: farm page (p=") == 1


def test_disabled_pipeline_is_not_configured(crawl):
    items, stats, _, _ = crawl
    assert set(items["disabled"]) == {"farm.html", "original.html", "blank.html"}
    assert all("farmscan" not in r for r in items["disabled"].values())
    assert not any(k.startswith("farmscan/") for k in stats["disabled"])


def test_downloader_middleware_puts_the_verdict_in_meta(crawl):
    items, stats, _, expected = crawl
    got = items["middleware"]
    assert got["farm.html"]["from_middleware"]["label"] == "farm"
    assert got["original.html"]["from_middleware"]["probability"] == round(expected["original.html"].probability, 4)
    # The middleware sees every HTML response: the two pages are judged, index.html (three
    # link words) and blank.html (empty) are not pages.
    assert stats["middleware"]["farmscan/scored"] == 2
    assert stats["middleware"]["farmscan/not_page"] == 2
    assert "farmscan/errors" not in stats["middleware"]
