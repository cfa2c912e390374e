"""A real Scrapy crawl of a local site, without and with the farmscan pipeline: the time ratio.

Serves ``--pages`` corpus pages (``../shared/corpus`` or ``$FARMSCAN_SHARED``, copied to a
temporary directory, never into the repository) from a ``127.0.0.1`` HTTP server whose every
response waits ``--latency`` seconds (a remote site is not instant; 0 for none), with an
index page linking them all. Crawls it twice in fresh Python processes, once with only the
spider and once with ``FarmscanPipeline`` annotating every item, and prints each crawl's wall
time and CPU seconds (its process and children), the items scored and the ratio. The
issue's target: within 1.5x. On a machine whose cores are shared the ratio mostly measures
the CPU the crawl could get: compare the CPU seconds (scoring's cost) with the crawl's
wall time without the pipeline (what an idle core could hide it in).

    python benchmarks/scrapy_crawl.py --pages 300 --latency 0.2
    python benchmarks/scrapy_crawl.py --pages 300 --latency 0.2 --processes 2
"""

from __future__ import annotations

import argparse
import csv
import gzip
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SPIDER = r'''
import json, resource, sys, time
from scrapy.crawler import CrawlerProcess
from tests.helpers.site_spider import Site


def main():  # guarded: FARMSCAN_PROCESSES spawns workers, which import this script again
    base, out, with_pipeline, processes = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])

    settings = {"LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False,
                "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DOWNLOAD_DELAY": 0,
                "FEEDS": {out: {"format": "jsonlines", "fields": ["url", "farmscan"]}}}
    if with_pipeline:
        settings["ITEM_PIPELINES"] = {"detector.integrations.scrapy.FarmscanPipeline": 300}
        settings["FARMSCAN_FIELDS"] = ["label", "probability"]
        settings["FARMSCAN_PROCESSES"] = processes
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(Site)
    process.crawl(crawler, base=base)
    t0 = time.perf_counter()
    process.start()
    stats = crawler.stats.get_stats()
    ru = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    print(json.dumps({"cpu": sum(r.ru_utime + r.ru_stime for r in ru), "seconds": time.perf_counter() - t0, "items": stats.get("item_scraped_count", 0),
                      "scored": stats.get("farmscan/scored", 0), "flagged": stats.get("farmscan/flagged", 0),
                      "not_page": stats.get("farmscan/not_page", 0), "errors": stats.get("farmscan/errors", 0)}))


if __name__ == "__main__":
    main()
'''


def build_site(shared: Path, n: int, root: Path) -> None:
    with open(shared / "corpus" / "labels.tsv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if ".html" in r["file"]][:n]
    links = []
    for i, r in enumerate(rows):
        data = (shared / "corpus" / r["file"]).read_bytes()
        if r["file"].endswith(".gz"):
            data = gzip.decompress(data)
        (root / f"p{i:04d}.html").write_bytes(data)
        links.append(f'<a href="p{i:04d}.html">page {i}</a>')
    (root / "index.html").write_text("<html><body>" + "\n".join(links) + "</body></html>")


class Handler(http.server.SimpleHTTPRequestHandler):
    latency = 0.0

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.latency:
            time.sleep(self.latency)
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


def crawl(base: str, out: Path, with_pipeline: bool, script: Path, processes: int = 0) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, str(script), base, str(out), "1" if with_pipeline else "0", str(processes)],
                          capture_output=True, text=True, env=env, timeout=1800)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--latency", type=float, default=0.2, help="seconds the server waits before each response (default 0.2)")
    ap.add_argument("--processes", type=int, default=0, help="FARMSCAN_PROCESSES for the pipeline run (default 0: one thread)")
    ap.add_argument("--rounds", type=int, default=1, help="crawl pairs to run (alternating; medians printed)")
    args = ap.parse_args()
    shared = Path(os.environ.get("FARMSCAN_SHARED", ROOT.parent / "shared"))
    if not (shared / "corpus" / "labels.tsv").exists():
        print(f"no corpus under {shared}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="farmscan-crawl-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        build_site(shared, args.pages, site)
        script = Path(tmp) / "spider.py"
        script.write_text(SPIDER)
        handler = type("H", (Handler,), {"latency": args.latency})
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        plain, piped = [], []
        try:
            for i in range(args.rounds):
                plain.append(crawl(base, Path(tmp) / f"plain{i}.jsonl", False, script))
                piped.append(crawl(base, Path(tmp) / f"piped{i}.jsonl", True, script, args.processes))
        finally:
            httpd.shutdown()
    t0 = sorted(r["seconds"] for r in plain)[len(plain) // 2]
    t1 = sorted(r["seconds"] for r in piped)[len(piped) // 2]
    print(f"site: {args.pages} pages on 127.0.0.1, {args.latency:.2f} s per response, load average {os.getloadavg()[0]:.1f}")
    print(f"without pipeline: {t0:.1f} s, {plain[-1]['items']} items, {plain[-1]['cpu']:.1f} CPU s")
    print(f"with pipeline (FARMSCAN_PROCESSES={args.processes}): {t1:.1f} s, {piped[-1]['items']} items, {piped[-1]['cpu']:.1f} CPU s, "
          f"{piped[-1]['scored']} scored, "
          f"{piped[-1]['flagged']} flagged, {piped[-1]['not_page']} not pages, {piped[-1]['errors']} errors")
    print(f"ratio_with_to_without={t1 / t0:.2f} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
