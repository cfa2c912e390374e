"""A local (127.0.0.1) HTTP server of hostile responses, shared by the hostile-input tests and
``benchmarks/hostile_limits.py``: compressed bombs under their ``Content-Encoding``, and
``/slow``, whose headers trickle out one byte at a time."""

from __future__ import annotations

import http.server
import socketserver
import threading
import time


def start(bodies: dict[str, tuple[bytes, str]], trickle: float = 0.5) -> socketserver.ThreadingTCPServer:
    """Serve ``bodies`` (path -> (body, content-encoding)) and ``/slow``; ``server.base`` is its URL.

    ``/slow`` sends its header bytes one every ``trickle`` seconds. Call ``shutdown()`` when done."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path == "/slow":
                for b in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"a" * 200:
                    try:
                        self.wfile.write(bytes([b]))
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(trickle)
                return
            body, enc = bodies[self.path]
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", enc)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                pass

        def log_message(self, *args):
            pass

    srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.base = f"http://127.0.0.1:{srv.server_address[1]}"  # type: ignore[attr-defined]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv
