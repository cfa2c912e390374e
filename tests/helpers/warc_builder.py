"""Write small WARC files for tests with warcio's writer (an implementation independent of the reader)."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def write_warc(
    path: Path,
    records: Iterable[tuple[str, bytes, str] | tuple[str, bytes, str, str]],
    *,
    gzip: bool = True,
    with_requests: bool = True,
) -> list[str]:
    """Write ``(url, body, content_type[, status])`` as response records; returns their record ids.

    A ``request`` record precedes each response (as crawlers write them) when ``with_requests``.
    """
    ids: list[str] = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        info = writer.create_warcinfo_record(path.name, {"software": "farmscan-tests"})
        writer.write_record(info)
        for rec in records:
            url, body, ctype = rec[0], rec[1], rec[2]
            status = rec[3] if len(rec) > 3 else "200 OK"
            if with_requests:
                req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.test")], is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
            headers = StatusAndHeaders(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers)
            ids.append(record.rec_headers.get_header("WARC-Record-ID"))
            writer.write_record(record)
    return ids
