"""The fetcher against hostile addresses and a hostile local server (127.0.0.1 only)."""

from __future__ import annotations

import gzip
import time
from http.server import BaseHTTPRequestHandler

import pytest

from detector.errors import FetchError
from detector.options import Options
from detector.sources import fetch as fetch_mod
from detector.sources.fetch import address_allowed, fetch

PRIVATE = Options(allow_private=True, timeout=5.0)
SEEN: list[dict[str, str]] = []
BOMB = gzip.compress(b"<html><body>" + b"A" * (64 * 1024 * 1024), 9)


class Hostile(BaseHTTPRequestHandler):
    """Routes: /page, /big, /bomb, /slow, /loop, /to?u=URL (302), /echo."""

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, body: bytes, ctype: str = "text/html", extra: dict[str, str] | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        SEEN.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        path = self.path
        if path.startswith("/to?u="):
            self.send_response(302)
            self.send_header("Location", path[len("/to?u=") :])
            self.send_header("Set-Cookie", "session=secret")
            self.end_headers()
        elif path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif path == "/big":
            self._send(b"<html><body>" + b"x" * 3_000_000 + b"</body></html>")
        elif path == "/bomb":
            self._send(BOMB, extra={"Content-Encoding": "gzip"})
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"<p>drip</p>")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        else:
            self._send(b"<html><head><title>ok</title></head><body><p>hello</p></body></html>")


@pytest.fixture(scope="module")
def server(serve):
    with serve(Hostile) as url:
        yield url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://2130706433/",  # decimal 127.0.0.1
        "http://0x7f.0.0.1/",  # hex
        "http://0177.0.0.1/",  # octal
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
        "http://[::ffff:a9fe:a9fe]/",  # mapped 169.254.169.254 (cloud metadata)
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
    ],
)
def test_non_public_addresses_refused_before_connecting(url):
    with pytest.raises(FetchError, match="non-public address"):
        fetch(url, Options(timeout=2.0))


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/", "gopher://x/", "javascript:alert(1)"])
def test_only_http_and_https(url):
    with pytest.raises(FetchError, match="only http and https"):
        fetch(url, Options(timeout=2.0))


def test_address_policy():
    import ipaddress

    assert address_allowed(ipaddress.ip_address("93.184.215.14"))
    assert address_allowed(ipaddress.ip_address("2606:4700::1"))
    assert not address_allowed(ipaddress.ip_address("::ffff:10.0.0.1"))
    assert not address_allowed(ipaddress.ip_address("fe80::1"))
    assert not address_allowed(ipaddress.ip_address("fc00::1"))


def test_redirect_hop_to_private_address_refused(server, monkeypatch):
    """127.0.0.1 stands in for a public host; its redirect to 127.0.0.2 must be refused."""
    real = fetch_mod.address_allowed
    monkeypatch.setattr(fetch_mod, "address_allowed", lambda ip: str(ip) == "127.0.0.1" or real(ip))
    port = server.rsplit(":", 1)[1]
    assert fetch(server + "/page", Options(timeout=5.0)).status == 200
    with pytest.raises(FetchError, match="127.0.0.2"):
        fetch(f"{server}/to?u=http://127.0.0.2:{port}/page", Options(timeout=5.0))


def test_connects_to_the_checked_address(server, monkeypatch):
    """The request goes to the IP that was checked, with the real Host header (no rebinding)."""
    monkeypatch.setattr(fetch_mod, "address_allowed", lambda ip: str(ip) == "127.0.0.1")
    port = server.rsplit(":", 1)[1]
    SEEN.clear()
    resp = fetch(f"http://localhost:{port}/page", Options(timeout=5.0))
    assert resp.status == 200 and b"hello" in resp.body
    assert SEEN[-1]["host"] == f"localhost:{port}"
    assert resp.url == f"http://localhost:{port}/page"


def test_oversize_body_cut(server):
    resp = fetch(server + "/big", PRIVATE.with_(max_bytes=100_000))
    assert resp.truncated and len(resp.body) == 100_000


def test_gzip_bomb_body_capped(server):
    resp = fetch(server + "/bomb", PRIVATE.with_(max_bytes=1_000_000))
    assert resp.truncated and len(resp.body) == 1_000_000
    assert resp.body[:12] == b"<html><body>"


def test_slow_server_cut_at_total_timeout(server):
    start = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(server + "/slow", PRIVATE.with_(timeout=1.0))
    assert time.monotonic() - start < 5.0  # the server would drip for 10 s


def test_redirect_limit(server):
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(server + "/loop", PRIVATE.with_(max_redirects=3))


def test_no_credentials_or_cookies_across_hosts(server):
    """userinfo is never sent; cookies set by one hop are not sent to the next host."""
    port = server.rsplit(":", 1)[1]
    SEEN.clear()
    url = f"http://user:secret@127.0.0.1:{port}/to?u=http://localhost:{port}/page"
    resp = fetch(url, PRIVATE)
    assert resp.status == 200
    assert len(SEEN) == 2
    assert all("authorization" not in h and "cookie" not in h for h in SEEN)
    assert "secret" not in resp.url
