"""Loopback test sites for ``farmscan probe``: one HTTP server on 127.0.0.1 that routes on the
``Host`` header, so several named sites (``wpfarm.test``, ``doorway.test`` ...) share it; the
probe reaches them through ``resolve={name: "127.0.0.1"}``. Every request is counted per host
(with the most requests one host had in flight at once), so tests can assert the budgets.

Sites (all text written for these tests):

* ``wpfarm.test``: a WordPress mirror: its REST API (``/wp-json/wp/v2/posts``) serves posts
  wrapped in ad-network scripts, ending in a hashtag line made of the title's words;
* ``doorway.test``: a sitemap index with two sitemaps of one page per city, the same body
  with the city swapped;
* ``autoblog.test``: an RSS feed of 30 posts published within one day under one byline,
  on unrelated subjects;
* ``genuine.test``: a personal blog (a named author, a sitemap, posts weeks apart); its
  robots.txt forbids ``/private/``, which the home page links to;
* ``parked.test``: a domain-for-sale page;
* ``moved.test``: the home page redirects to ``newhome.example`` (another registrable domain);
* ``slow.test``: every response takes ``SLOW_SECONDS`` (for the time budget);
* ``polite.test``: its robots.txt asks for ``Crawl-delay: 30``.

A dead site is a port nobody listens on: :func:`dead_port`.
"""

from __future__ import annotations

import http.server
import json
import random
import socket
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

HOSTS = ("wpfarm.test", "doorway.test", "autoblog.test", "genuine.test", "parked.test", "moved.test", "slow.test",
         "polite.test")
SLOW_SECONDS = 0.4

# ---- page text ---------------------------------------------------------------------------

_NEWS = [
    "The city council voted on {n} new measures for the harbour district late on {day}.",
    "Officials said the plan would be reviewed again before the end of the quarter.",
    "Residents who spoke at the meeting asked for more buses and safer crossings near the schools.",
    "A spokesperson for the port authority declined to comment on the cost of the dredging work.",
    "Traders at the old market reported a busy weekend despite the heavy rain.",
    "The regional museum will reopen its east wing after two years of repairs to the roof.",
    "Analysts expect fuel prices to stay close to their current level for the next few weeks.",
    "Police closed the coastal road for several hours after a lorry lost part of its load.",
    "The football club confirmed that its new stadium will seat {n} thousand fans.",
    "Farmers in the valley said the late frost had damaged much of the early fruit.",
    "A new ferry route to the islands will start in the spring, the operator announced.",
    "The hospital board approved funding for a second emergency ward on {day}.",
]
_WP_TITLES = [
    "Council backs harbour plan after long debate", "Coastal road reopens after lorry spill",
    "Museum east wing to reopen this spring", "Late frost hits valley fruit growers",
    "New ferry route to the islands announced", "Hospital board funds second emergency ward",
    "Stadium plans move ahead for football club", "Fuel prices expected to hold steady",
    "Old market traders report busy weekend", "Port authority silent on dredging costs",
    "Residents call for safer school crossings", "Bus network review promised by council",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _ad_grid(i: int) -> str:
    return (
        '<div style="display:grid;grid-template-columns:300px 160px">'
        '<script async type="application/javascript" src="https://a.magsrv.com/ad-provider.js"></script>'
        f'<ins class="eas6a97888e2" data-zoneid="{7100000 + i}"></ins>'
        '<script>(AdProvider = window.AdProvider || []).push({"serve": {}});</script>'
        '<script async src="https://poweredby.jads.co/js/jads.js"></script>'
        f'<ins id="{1040000 + i}" data-width="300" data-height="250"></ins>'
        "<script>(adsbyjuicy = window.adsbyjuicy || []).push({'adzone':" + str(1040000 + i) + "});</script>"
        "</div>"
    )


def wp_posts(base: str, n: int = 12) -> list[dict]:
    rng = random.Random(7)
    posts = []
    for i in range(n):
        title = _WP_TITLES[i % len(_WP_TITLES)]
        paras = rng.sample(_NEWS, 6)
        body = "".join(f"<p>{p.format(n=rng.randint(3, 40), day=rng.choice(_DAYS))}</p>" for p in paras)
        tags = " ".join("#" + w.capitalize() for w in title.split() if len(w) > 2)
        content = _ad_grid(3 * i) + body + _ad_grid(3 * i + 1) + f"<p>{tags}</p>" + _ad_grid(3 * i + 2)
        pid = 5000 + i
        posts.append({
            "id": pid, "date": f"2026-06-{10 + i // 4:02d}T{8 + i % 4 * 3:02d}:15:00",
            "date_gmt": f"2026-06-{10 + i // 4:02d}T{8 + i % 4 * 3:02d}:15:00",
            "link": f"{base}/?p={pid}", "slug": title.lower().replace(" ", "-"),
            "title": {"rendered": title}, "content": {"rendered": content},
            "excerpt": {"rendered": f"<p>{paras[0].format(n=5, day='Monday')}</p>"},
            "categories": [1], "tags": [2, 3],
            "class_list": [f"post-{pid}", "type-post", "category-news"] + [f"tag-{w.lower()}" for w in title.split()[:3]],
            "_embedded": {"author": [{"id": 1, "name": "admin"}],
                          "wp:term": [[{"id": 1, "name": "News", "taxonomy": "category"}],
                                      [{"id": 2, "name": title.split()[0], "taxonomy": "post_tag"}]]},
        })
    return posts


CITIES = [("Springfield", "IL"), ("Riverton", "WY"), ("Fairview", "TN"), ("Greenville", "SC"), ("Franklin", "MA"),
          ("Clinton", "IA"), ("Madison", "WI"), ("Georgetown", "KY"), ("Salem", "OR"), ("Bristol", "CT"),
          ("Dover", "DE"), ("Auburn", "AL"), ("Oxford", "MS"), ("Milton", "FL"), ("Ashland", "OH"), ("Dayton", "NV")]


def doorway_page(city: str, st: str) -> str:
    body = (
        f"<p>Need emergency roof repair in {city}? Our licensed roofers serve every home and business in {city}, {st} "
        "and the nearby towns, day and night, with free estimates and same day service.</p>"
        f"<p>When a storm damages your roof in {city}, call us first. We fix leaks, missing shingles, flashing, "
        "gutters and skylights, and we work with every insurance company to make the claim simple for you.</p>"
        f"<p>Why choose our {city} roofing team? Fast response, fair prices, written warranties and friendly "
        "crews who clean up after the job. Thousands of happy customers trust us with their roofs.</p>"
        f"<p>Call (555) 010-2000 now for a free roof inspection in {city}, {st}. Top rated roof repair near you, "
        "open twenty four hours a day, seven days a week.</p>"
        "<ul><li>Roof leak repair</li><li>Shingle replacement</li><li>Storm damage</li><li>Gutter repair</li></ul>"
    )
    return page(f"Emergency Roof Repair in {city}, {st} | 24/7 Local Roofers", body)


_TOPICS = [
    "Best TV Stands for Small Living Rooms", "Angel Number 444 Meaning in Love", "Cute Baby Halloween Costumes",
    "How to Clean a Cast Iron Skillet", "Best Dog Beds for Large Breeds", "Angel Number 111 Meaning and Symbolism",
    "Best Air Fryers Under 100 Dollars", "How Long Does Cooked Rice Last", "Funny Captions for Beach Photos",
    "Best Gaming Chairs for Back Pain", "What Does It Mean to Dream About Snakes", "Best Hiking Boots for Women",
    "How to Unclog a Drain Without Chemicals", "Best Robot Vacuums for Pet Hair", "Zodiac Signs Most Likely to Cheat",
    "Best Coffee Makers for Home Use", "How to Grow Basil Indoors", "Best Wireless Earbuds for Running",
    "Birthday Wishes for a Best Friend", "Best Mattress Toppers for Side Sleepers", "How to Remove Rust from Tools",
    "Best Kids Tablets for Learning", "Angel Number 777 Twin Flame Meaning", "Best Blenders for Smoothies",
    "How to Fold a Fitted Sheet", "Best Standing Desks for Home Offices", "Good Morning Messages for Him",
    "Best Electric Toothbrushes", "How to Get Rid of Fruit Flies", "Best Camping Tents for Families",
]


def autoblog_page(i: int, base: str) -> str:
    topic = _TOPICS[i]
    stamp = f"2026-06-12T{i * 47 // 60:02d}:{i * 47 % 60:02d}:00+00:00"
    body = (
        f"<p>Are you looking for the {topic.lower()}? You have come to the right place. In this article, we will "
        "explore everything you need to know, so keep reading until the end.</p>"
        f"<p>When it comes to {topic.lower()}, there are many factors to consider. It is important to note that "
        "everyone is different, and what works for one person may not work for another.</p>"
        f'<p>Our top pick is available on <a href="https://www.amazon.com/dp/B0{i:07d}?tag=bestpicks0a-20">Amazon</a>, '
        f'and our budget pick is <a href="https://www.amazon.com/dp/B1{i:07d}?tag=bestpicks0a-20">here</a>.</p>'
        "<p>In conclusion, we hope this guide has helped you. If you found it useful, please share it with your "
        "friends and family, and do not forget to check out our other articles.</p>"
    )
    head = (f'<meta property="article:published_time" content="{stamp}"><meta name="author" content="Staff Writer">'
            f'<link rel="alternate" type="application/rss+xml" href="{base}/feed.xml">')
    return page(f"{topic} (2026) - Best Picks Daily", f'<p class="byline">By Staff Writer <time datetime="{stamp}">'
                f"June 12, 2026</time></p>{body}", head)


_GENUINE = [
    ("Rebuilding the garden shed", "The old shed had leaned a little further every winter, and this spring I finally took it apart. "
     "Most of the frame was sound, but the floor joists had rotted where the rain ran off the path. I kept the door, "
     "which my grandfather made, and bought new boards for everything else."),
    ("A week of sourdough mistakes", "My starter survived the holiday in the fridge, though it smelled like nail polish "
     "when I came back. Three feedings brought it round. The first loaf spread flat because I rushed the shaping; the "
     "second was better once I gave the dough a longer cold rest overnight."),
    ("Walking the old railway line", "The disused line north of the village is now a path most of the way to the river. "
     "We walked it on a grey Sunday and counted eleven bridges, two of them with their original iron railings. A "
     "farmer told us the last goods train ran when his father was a boy."),
    ("Notes from the bird survey", "Our group covered four squares this year. Swifts were late, and fewer than last "
     "year, but the pair of grey wagtails under the mill bridge raised two broods. I still cannot tell a willow "
     "warbler from a chiffchaff unless it sings."),
    ("Fixing a dripping tap, finally", "The kitchen tap had dripped for months. The washer was fine; the problem was a "
     "scored valve seat, which a cheap reseating tool smoothed in ten minutes. I wish I had read about it before "
     "buying two packs of washers I did not need."),
    ("What the allotment taught me in August", "The courgettes won, as they always do. The beans were a disappointment "
     "after the dry spell, and the slugs had most of the lettuce. Next year I will mulch earlier and plant less of "
     "everything, which is what I say every August."),
    ("A weekend of bookbinding", "I took a two day course at the library and came home with three small notebooks and "
     "sore thumbs. Sewing the signatures was easier than I expected; gluing the spine without smearing the cover "
     "was not. The third book is nearly straight."),
    ("Visiting the tide mill", "The tide mill on the estuary opens twice a month when the tide suits. The volunteers "
     "let us watch the wheel turn as the water left the pond, and explained how the miller had to work at night "
     "whenever the moon said so."),
]


def genuine_page(i: int) -> str:
    title, text = _GENUINE[i]
    months = ["January", "February", "March", "April", "May", "June", "July", "August"]
    stamp = f"2025-{i + 1:02d}-{3 + i * 2:02d}T18:00:00+00:00"
    body = (f'<p class="byline">By Margaret Ellison, <time datetime="{stamp}">{3 + i * 2} {months[i]} 2025</time></p>'
            f"<p>{text}</p><p>{_GENUINE[(i + 3) % 8][1]}</p>"
            "<p>Comments are open below; I read all of them, slowly.</p>")
    head = f'<meta name="author" content="Margaret Ellison"><meta property="article:published_time" content="{stamp}">'
    return page(f"{title} - Margaret's notebook", body, head)


PARKED = (
    "<!DOCTYPE html><html><head><title>parked.test is for sale</title></head><body>"
    "<h1>parked.test</h1><p>This domain is for sale! Make an offer on this domain today.</p>"
    '<p><a href="https://dan.com/buy-domain/parked.test">Buy this domain</a></p>'
    "<p>Related searches: cheap flights, car insurance, online degrees</p></body></html>"
)


def page(title: str, body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
            f"<body><header><a href='/'>Home</a></header><main><article><h1>{title}</h1>{body}</article></main>"
            "<footer><p>Contact us</p></footer></body></html>")


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


# ---- the server ---------------------------------------------------------------------------


@dataclass
class Counts:
    requests: Counter = field(default_factory=Counter)  # host -> requests
    paths: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    in_flight: Counter = field(default_factory=Counter)
    max_in_flight: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _routes(host: str, path: str, base: str) -> tuple[int, str, bytes, dict[str, str]]:
    """``(status, content type, body, extra headers)`` of ``path`` on the site ``host``."""
    html, xml = "text/html; charset=utf-8", "application/xml"
    url = urlsplit(path)
    p = url.path
    if host == "wpfarm.test":
        if p == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nDisallow: /wp-admin/\n", {}
        if p == "/wp-json/wp/v2/posts":
            n = int(parse_qs(url.query).get("per_page", ["10"])[0])
            return 200, "application/json", json.dumps(wp_posts(base)[:n]).encode(), {}
        if p == "/":
            links = "".join(f"<li><a href='/?p={5000 + i}'>{t}</a></li>" for i, t in enumerate(_WP_TITLES))
            head = (f"<link rel='https://api.w.org/' href='{base}/wp-json/'>"
                    f"<link rel='stylesheet' href='{base}/wp-content/themes/news/style.css'>")
            return 200, html, page("Harbour Daily News", f"<ul>{links}</ul>", head).encode(), {}
    elif host == "doorway.test":
        if p == "/robots.txt":
            return 200, "text/plain", f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap_index.xml\n".encode(), {}
        if p == "/sitemap_index.xml":
            kids = "".join(f"<sitemap><loc>{base}/sitemap-{k}.xml</loc></sitemap>" for k in (1, 2))
            return 200, xml, f'<?xml version="1.0"?><sitemapindex>{kids}</sitemapindex>'.encode(), {}
        if p in ("/sitemap-1.xml", "/sitemap-2.xml"):
            half = CITIES[:8] if p.endswith("1.xml") else CITIES[8:]
            urls = "".join(f"<url><loc>{base}/roof-repair-{slug(c)}-{st.lower()}/</loc><lastmod>2026-05-01</lastmod></url>"
                           for c, st in half)
            return 200, xml, f'<?xml version="1.0"?><urlset>{urls}</urlset>'.encode(), {}
        for c, st in CITIES:
            if p == f"/roof-repair-{slug(c)}-{st.lower()}/":
                return 200, html, doorway_page(c, st).encode(), {}
        if p == "/":
            links = "".join(f"<li><a href='/roof-repair-{slug(c)}-{st.lower()}/'>Roof repair {c}</a></li>"
                            for c, st in CITIES[:4])
            return 200, html, page("24/7 Local Roofers - Roof Repair Near You", f"<p>Roof repair in your city.</p>"
                                   f"<ul>{links}</ul>").encode(), {}
    elif host == "autoblog.test":
        if p == "/feed.xml":
            items = "".join(
                f"<item><title>{t}</title><link>{base}/{slug(t)}/</link>"
                f"<pubDate>Fri, 12 Jun 2026 {i * 47 // 60:02d}:{i * 47 % 60:02d}:00 +0000</pubDate>"
                "<dc:creator><![CDATA[Staff Writer]]></dc:creator></item>"
                for i, t in enumerate(_TOPICS))
            return 200, "application/rss+xml", (f'<?xml version="1.0"?><rss version="2.0" '
                                                f'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
                                                f"<title>Best Picks Daily</title>{items}</channel></rss>").encode(), {}
        for i, t in enumerate(_TOPICS):
            if p == f"/{slug(t)}/":
                return 200, html, autoblog_page(i, base).encode(), {}
        if p == "/":
            head = f'<link rel="alternate" type="application/rss+xml" title="Feed" href="{base}/feed.xml">'
            return 200, html, page("Best Picks Daily", "<p>Fresh picks every hour.</p>", head).encode(), {}
    elif host == "genuine.test":
        if p == "/robots.txt":
            return 200, "text/plain", f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap.xml\n".encode(), {}
        if p == "/sitemap.xml":
            urls = "".join(f"<url><loc>{base}/posts/{slug(t)}/</loc><lastmod>2025-{i + 1:02d}-0{1 + i % 8}</lastmod></url>"
                           for i, (t, _) in enumerate(_GENUINE))
            return 200, xml, f'<?xml version="1.0"?><urlset>{urls}</urlset>'.encode(), {}
        for i, (t, _) in enumerate(_GENUINE):
            if p == f"/posts/{slug(t)}/":
                return 200, html, genuine_page(i).encode(), {}
        if p == "/":
            links = "".join(f"<li><a href='/posts/{slug(t)}/'>{t}</a></li>" for t, _ in _GENUINE[:3])
            return 200, html, page("Margaret's notebook", f"<p>Notes on gardens, bread and walks.</p><ul>{links}</ul>"
                                   "<p><a href='/private/drafts/'>drafts</a></p>").encode(), {}
    elif host == "parked.test":
        if p == "/":
            return 200, html, PARKED.encode(), {}
    elif host == "moved.test":
        if p == "/":
            port = base.rsplit(":", 1)[-1]
            return 301, html, b"", {"Location": f"http://newhome.example:{port}/"}
    elif host == "slow.test":
        time.sleep(SLOW_SECONDS)
        if p == "/":
            links = "".join(f"<li><a href='/post-{i}/'>Post {i}</a></li>" for i in range(30))
            return 200, html, page("Slow site", f"<ul>{links}</ul>").encode(), {}
        if p.startswith("/post-"):
            return 200, html, page(f"Post {p}", "<p>" + "A slow page. " * 60 + "</p>").encode(), {}
    elif host == "polite.test":
        if p == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nCrawl-delay: 30\n", {}
        if p == "/":
            return 200, html, page("A polite site", "<p>Please wait between requests.</p>").encode(), {}
    return 404, html, b"<html><body>not found</body></html>", {}


@contextmanager
def probe_sites() -> Iterator[tuple[int, Counts]]:
    """Serve every test site on one 127.0.0.1 port; yields ``(port, counts)``."""
    counts = Counts()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            host = (self.headers.get("Host") or "").split(":")[0].lower()
            with counts.lock:
                counts.requests[host] += 1
                counts.paths[host].append(self.path)
                counts.in_flight[host] += 1
                counts.max_in_flight[host] = max(counts.max_in_flight[host], counts.in_flight[host])
            try:
                port = self.server.server_address[1]
                status, ctype, body, extra = _routes(host, self.path, f"http://{host}:{port}")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in extra.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)
            finally:
                with counts.lock:
                    counts.in_flight[host] -= 1

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], counts
    finally:
        httpd.shutdown()
        httpd.server_close()


def dead_port() -> int:
    """A 127.0.0.1 port that refuses connections (bound, then closed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def resolve_map() -> dict[str, str]:
    return {h: "127.0.0.1" for h in (*HOSTS, "dead.test")}
