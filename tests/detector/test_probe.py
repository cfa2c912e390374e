"""``probe_site`` and ``farmscan probe`` against the loopback test sites (tests/helpers/probe_sites.py):
every outcome, and no request outside the budgets (counted by the test server)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from detector import probe_site
from detector.options import Options
from detector.probe import DISCOVERY_REQUESTS, start_urls
from detector.sites.parked import parked_evidence
from detector.sources.crawl import parse_feed, parse_sitemap
from features import parse_html
from tests.helpers.probe_sites import HOSTS, dead_port, probe_sites, resolve_map

OPTS = Options(allow_private=True, probe_delay=0.0, timeout=5.0)


@pytest.fixture(scope="module")
def sites():
    with probe_sites() as (port, counts):
        yield port, counts


@pytest.fixture(scope="module")
def probed(sites):
    """Every test site probed once from its home URL, with the default budgets."""
    port, counts = sites
    out = {h: probe_site(f"http://{h}:{port}/", options=OPTS, resolve=resolve_map()) for h in HOSTS if h not in ("slow.test", "polite.test")}
    return out, dict(counts.requests), {h: list(p) for h, p in counts.paths.items()}, dict(counts.max_in_flight)


def test_wordpress_rest_farm_is_flagged_from_its_home_url(probed):
    r = probed[0]["wpfarm.test"]
    assert r.outcome == "scored" and r.verdict.label == "farm" and r.flagged
    assert r.found["wp-json"] == 12
    assert {p["found_in"] for p in r.pages_read} == {"wp-json"}
    assert len(r.pages_read) == 12 and all(p["label"] == "farm" for p in r.pages_read)
    # The posts came from one API request, not one request a post.
    assert sum(path.startswith("/wp-json/wp/v2/posts") for path in probed[2]["wpfarm.test"]) == 1


def test_sitemap_doorway_site_is_flagged_from_its_home_url(probed):
    r = probed[0]["doorway.test"]
    assert r.outcome == "scored" and r.verdict.label == "farm"
    assert r.found["sitemap"] == 16  # a sitemap index read through both of its sitemaps
    assert sum(p["found_in"] == "sitemap" for p in r.pages_read) >= 10
    assert any(s.name == "site.same_body" for s in r.verdict.signals)


def test_feed_autoblog_is_flagged_from_its_home_url(probed):
    r = probed[0]["autoblog.test"]
    assert r.outcome == "scored" and r.verdict.label == "farm"
    assert r.found["feed"] == 30
    assert len(r.pages_read) == OPTS.probe_pages - 1  # the page budget (the home page is one of them)


def test_genuine_site_is_left_alone(probed):
    r = probed[0]["genuine.test"]
    assert r.outcome == "scored" and r.verdict.label == "original" and not r.flagged
    assert len(r.pages_read) == 8


def test_parked_page_is_reported_parked(probed):
    r = probed[0]["parked.test"]
    assert r.outcome == "parked" and r.verdict.label is None and not r.flagged
    assert any("for sale" in e for e in r.evidence) and any("dan.com" in e for e in r.evidence)
    assert r.pages_read == []


def test_redirect_to_another_domain_is_named_and_not_followed(probed):
    r = probed[0]["moved.test"]
    assert r.outcome == "redirects" and r.redirects_to == "newhome.example"
    assert r.redirect_url.startswith("http://newhome.example:")
    assert "newhome.example" not in probed[1]  # never requested


def test_dead_port_is_reported_dead():
    r = probe_site(f"http://dead.test:{dead_port()}/", options=OPTS, resolve=resolve_map())
    assert r.outcome == "dead" and "refused" in r.reason.lower() and r.requests == 1


def test_requests_stay_within_the_budgets_one_at_a_time(probed):
    results, server_counts, paths, in_flight = probed
    for host, r in results.items():
        assert server_counts.get(host, 0) == r.requests, host  # the crawler counts every request it makes
        assert r.requests <= OPTS.probe_pages + DISCOVERY_REQUESTS, host
        assert r.bytes <= OPTS.probe_bytes
        assert in_flight.get(host, 0) <= 1, host
        assert paths[host][0] == "/robots.txt", host  # robots.txt first, always
    assert not any(p.startswith("/private/") for p in paths["genuine.test"])  # robots.txt forbids it
    assert not any(p.startswith("/wp-admin/") for p in paths["wpfarm.test"])


def test_page_budget(sites):
    port, counts = sites
    before = counts.requests["doorway.test"]
    r = probe_site(f"http://doorway.test:{port}/", options=OPTS.with_(probe_pages=5), resolve=resolve_map())
    assert len(r.pages_read) == 4  # five pages: the home page and four from the sitemap
    assert counts.requests["doorway.test"] - before == r.requests <= 5 + DISCOVERY_REQUESTS


def test_byte_budget(sites):
    port, counts = sites
    before = counts.requests["autoblog.test"]
    r = probe_site(f"http://autoblog.test:{port}/", options=OPTS.with_(probe_bytes=12_000), resolve=resolve_map())
    assert r.bytes <= 12_000 and r.stopped_by and "byte budget" in r.stopped_by
    assert counts.requests["autoblog.test"] - before == r.requests < 12


def test_time_budget(sites):
    port, counts = sites
    r = probe_site(f"http://slow.test:{port}/", options=OPTS.with_(probe_seconds=1.0), resolve=resolve_map())
    # Each response of slow.test takes 0.4 s: within 1 s the probe cannot make more than three requests.
    # The crawler counts every request it starts; the last one, cut off by the deadline, may end before
    # the server has read it (seen on a loaded CI machine), so the server may count one fewer, never more.
    assert r.requests <= 3
    assert r.requests - 1 <= counts.requests["slow.test"] <= r.requests
    assert r.outcome in ("scored", "failed") and len(r.pages_read) <= 1


def test_crawl_delay_is_honoured_within_the_time_budget(sites):
    port, counts = sites
    r = probe_site(f"http://polite.test:{port}/", options=OPTS.with_(probe_seconds=3.0), resolve=resolve_map())
    # robots.txt asks for 30 s between requests (capped at 10 s): the home page would come after
    # the 3 s budget, so it is never requested.
    assert r.delay == 10.0
    assert counts.paths["polite.test"] == ["/robots.txt"] and r.requests == 1
    assert r.outcome == "failed" and "time budget" in r.reason


def test_private_addresses_refused_by_default(sites):
    port, counts = sites
    before = sum(counts.requests.values())
    r = probe_site(f"http://genuine.test:{port}/", options=OPTS.with_(allow_private=False), resolve=resolve_map())
    assert r.outcome == "failed" and "non-public address" in r.reason
    assert sum(counts.requests.values()) == before


def test_a_page_url_is_judged_as_a_page(sites):
    port, _ = sites
    r = probe_site(f"http://genuine.test:{port}/posts/rebuilding-the-garden-shed/", options=OPTS, resolve=resolve_map())
    assert r.outcome == "scored" and r.pages_read[0]["found_in"] == "start"
    assert len({p["url"] for p in r.pages_read}) == len(r.pages_read) == 8  # the blog's 8 posts, each once


def test_embedded_author_and_terms_reach_the_page():
    from detector.probe import _embedded_author, _embedded_terms
    from detector.sources.wp_json import page_from_wp_post
    from tests.helpers.probe_sites import wp_posts

    post = wp_posts("http://wpfarm.test:1")[0]
    _embedded_author(post)
    page = page_from_wp_post(post, post["link"])
    assert page.given_author == "admin" and _embedded_terms(post) == ["News", "Council"]


def test_start_urls():
    assert start_urls("example.com") == ["https://example.com/", "http://example.com/"]
    assert start_urls("http://example.com") == ["http://example.com/"]
    assert start_urls("https://example.com/a/b") == ["https://example.com/a/b"]
    for bad in ("", "ftp://example.com/", "a b.com"):
        with pytest.raises(Exception, match="usage|URL"):
            start_urls(bad)


def test_sitemap_and_feed_parsing():
    pages, kids = parse_sitemap("<sitemapindex><sitemap><loc>/a.xml</loc></sitemap></sitemapindex>", "http://x.test/")
    assert pages == [] and kids == ["http://x.test/a.xml"]
    pages, kids = parse_sitemap("<urlset><url><loc>http://x.test/p &amp; q</loc><lastmod>2024-01-02</lastmod></url></urlset>",
                                "http://x.test/")
    assert [(p.url, p.date) for p in pages] == [("http://x.test/p & q", "2024-01-02")] and kids == []
    atom = ("<feed><entry><title>T</title><link rel='alternate' href='/e1'/><published>2024-05-01T10:00:00Z</published>"
            "<author><name>Jo</name></author></entry></feed>")
    e = parse_feed(atom, "http://x.test/")[0]
    assert (e.url, e.date, e.author, e.title) == ("http://x.test/e1", "2024-05-01T10:00:00Z", "Jo", "T")


def test_hostile_lists_are_read_in_one_pass():
    """Unclosed tags by the million: the readers find blocks by string search and bound every
    repetition (a pattern with an unbounded lazy body took quadratic time on such input)."""
    from detector.sources.crawl import feed_links

    assert parse_feed("<item><link>" * 300_000, "http://x.test/") == []
    assert parse_sitemap("<urlset>" + "<url><loc>" * 300_000, "http://x.test/") == ([], [])
    assert feed_links("<head>" + "<link rel=alternate " * 100_000, "http://x.test/") == []
    ok = parse_feed("<rss><item><title>A</title><link>/a</link></item>" + "<item>" * 100_000, "http://x.test/")
    assert [e.url for e in ok] == ["http://x.test/a"]


def test_parked_needs_a_short_page():
    long_page = parse_html("<html><body><p>" + "We moved our shop and the old domain is for sale now. " * 60 + "</p></body></html>")
    assert parked_evidence(long_page) == []
    short = parse_html("<html><head><title>x</title></head><body><p>Welcome to my page about my cats.</p></body></html>")
    assert parked_evidence(short) == []


def _cli(port, *args):
    res = [a for h in resolve_map() for a in ("--resolve", f"{h}:127.0.0.1")]
    return subprocess.run([sys.executable, "-m", "detector", "probe", "--allow-private", "--delay", "0", *res, *args],
                          capture_output=True, text=True, timeout=300)


def test_cli_rechecks_a_list(sites, tmp_path):
    port, _ = sites
    lst = tmp_path / "list.txt"
    lst.write_text(f"! a list of sites to re-check\nhttp://wpfarm.test:{port}/\nftp://old.test/\n# comment\nhttp://doorway.test:{port}/\n"
                   f"http://genuine.test:{port}/\nhttp://www.genuine.test:{port}/about\nhttp://parked.test:{port}/\n"
                   f"http://dead.test:{dead_port()}/\n", encoding="utf-8")
    r = _cli(port, "--input-file", str(lst), "--export", "ublacklist", "-q")
    assert r.returncode == 3, r.stderr  # some site flagged, and one line could not be probed
    assert r.stderr == ""
    lines = r.stdout.splitlines()
    assert lines[:3] == ["---", "name: farmscan content farms", "---"]
    rules = [ln.split(" # ")[0] for ln in lines[3:] if ln.startswith("*://")]
    assert sorted(rules) == ["*://*.doorway.test/*", "*://*.wpfarm.test/*"]
    assert any(ln.startswith("# parked: parked.test") for ln in lines)
    assert any(ln.startswith("# dead: dead.test") for ln in lines)
    assert any(ln.startswith("# failed: ftp://old.test/: usage: not an http(s) URL") for ln in lines)
    assert not any("genuine.test" in ln for ln in lines)


def test_list_lines_in_blocklist_syntaxes():
    from detector.commands.probe import target_of

    assert target_of("*://*.example.com/* # p=0.9") == "example.com"
    assert target_of("||example.org^") == "example.org"
    assert target_of("0.0.0.0 www.example.net # why") == "www.example.net"
    assert target_of("https://example.com/a") == "https://example.com/a"
    assert target_of("Example.COM") == "example.com"
    for skipped in ("", "# x", "! Title: list", "---", "name: farms", "localhost"):
        assert target_of(skipped) is None


def test_cli_json_carries_the_site_contract_and_the_probe(sites):
    port, _ = sites
    r = _cli(port, f"http://wpfarm.test:{port}/", f"http://moved.test:{port}/", "--format", "json", "-q")
    assert r.returncode == 1, r.stderr
    recs = {d["site"]: d for d in json.loads(r.stdout)}
    farm, moved = recs["wpfarm.test"], recs["moved.test"]
    for key in ("site", "label", "probability", "threshold", "pages", "pages_flagged", "kind", "signals", "model",
                "outcome", "pages_read", "requests", "bytes"):
        assert key in farm and key in moved
    assert farm["outcome"] == "scored" and farm["label"] == "farm"
    assert moved["outcome"] == "redirects" and moved["redirects_to"] == "newhome.example" and moved["label"] is None


def test_cli_genuine_only_exits_0_and_writes_the_report(sites, tmp_path):
    port, _ = sites
    report = tmp_path / "r.html"
    r = _cli(port, f"http://genuine.test:{port}/", "--format", "table", "--html", str(report))
    assert r.returncode == 0, r.stderr
    assert "genuine.test" in r.stdout and "original" in r.stdout
    assert "farmscan: done: 1 sites, 0 flagged" in r.stderr
    assert "genuine.test" in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    ((), "nothing to probe"),
    (("x.test", "--resolve", "x.test"), "--resolve wants HOST:ADDR"),
    (("x.test", "--max-pages", "0"), "probe_pages"),
    (("x.test", "--export", "nope"), "unknown export format"),
])
def test_cli_usage_errors_are_one_line(args, message):
    r = subprocess.run([sys.executable, "-m", "detector", "probe", *args], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_docs_show_the_output_the_test_sites_give():
    """docs/probe.md quotes `python tools/probe_test_sites.py`: its site lines must still be what it prints."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, str(root / "tools" / "probe_test_sites.py")], capture_output=True,
                          text=True, timeout=300, cwd=root)
    assert proc.returncode == 0, proc.stderr

    import re

    row = re.compile(r"^(?:scored|dead|parked|redirects|failed) +(?:farm|original|-) ")

    def site_lines(text):
        return [ln.rstrip() for ln in text.splitlines() if row.match(ln)]

    shown = site_lines((root / "docs" / "probe.md").read_text(encoding="utf-8"))
    assert len(shown) == 7 and shown == site_lines(proc.stdout)


def test_the_mirror_seed_served_by_a_wordpress_api_is_a_flagged_page(shared_dir, serve):
    """The founding mirror page (../shared/seeds, read at run time), served as the only post of a
    loopback WordPress API: probed from the home URL, its page is flagged; one page is too few
    for a site verdict, and the report ranks such a site by that page."""
    from http.server import BaseHTTPRequestHandler

    from detector.sites.report import render

    seed = json.loads((shared_dir / "seeds" / "003_ae8346d7868e5d9d.txt").read_text(encoding="utf-8"))

    class WordPress(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path.startswith("/wp-json/wp/v2/posts"):
                body, ctype = json.dumps([{**seed, "link": f"{base}/?p={seed['id']}"}]).encode(), "application/json"
            elif self.path == "/":
                body, ctype = (f"<html><head><title>mirror</title><link rel='https://api.w.org/' href='{base}/wp-json/'>"
                               "</head><body><p>Latest posts from around the world, every hour.</p></body></html>").encode(), "text/html"
            else:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serve(WordPress) as base:
        r = probe_site(base + "/", options=OPTS)
    assert r.outcome == "scored" and r.found["wp-json"] == 1
    assert [(p["found_in"], p["label"]) for p in r.pages_read] == [("wp-json", "farm")]
    assert r.verdict.label is None and r.verdict.pages_flagged == 1 and "too few pages" in r.verdict.note
    html = render([r.verdict], pages=1, probes={r.site: r.probe_dict()})
    assert "flagged page" in html
