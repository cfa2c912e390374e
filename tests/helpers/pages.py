"""Tiny page builders and a local HTTP server (behind the ``html_page``, ``wp_post`` and ``serve`` fixtures)."""

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def serve(handler: type[http.server.BaseHTTPRequestHandler] | object) -> Iterator[str]:
    """Serve ``handler`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # type: ignore[arg-type]
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def html_page(title: str, body: str, head: str = "") -> str:
    """A small well-formed HTML page."""
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def wp_post(n: int = 1, **over: object) -> dict:
    """A WordPress REST post shaped like ``/wp-json/wp/v2/posts/N``."""
    post: dict = {
        "id": n,
        "date_gmt": f"2024-03-0{n % 9 + 1}T10:00:00",
        "link": f"https://blog.example.org/2024/03/post-{n}/",
        "title": {"rendered": f"Garden notes &#8211; part {n}"},
        "content": {
            "rendered": f"<p>Tomatoes need sun and water. Part {n} of our notes on the garden.</p>"
            "<p>Mulch keeps the soil moist during the summer weeks.</p>"
        },
        "excerpt": {"rendered": "<p>Tomatoes need sun.</p>"},
        "class_list": [f"post-{n}", "type-post", "tag-gardening", "tag-tomatoes", "category-home"],
        "author_info": {"display_name": "Ann Gardener"},
        "featured_image_urls": {
            "full": [f"https://blog.example.org/img/{n}.jpg", 800, 600],
            "thumbnail": f"https://blog.example.org/img/{n}-150.jpg",
        },
    }
    post.update(over)
    return post


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_page(folder: str, name: str, url: str | None = None):
    """``tests/fixtures/<folder>/<name>`` as a ``Page``: plain text for ``.txt``, HTML otherwise."""
    from features import from_text, parse_html

    text = (FIXTURES / folder / name).read_text(encoding="utf-8")
    return from_text(text, url=url) if name.endswith(".txt") else parse_html(text, url=url)
