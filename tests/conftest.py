"""Shared pytest fixtures: the read-only data folder beside the repo, tiny page builders, a local
server, a WARC writer. Helper code lives in ``tests/helpers`` and reaches tests only as fixtures."""

import os
from pathlib import Path

import pytest

from tests.helpers import pages

SHARED = Path(os.environ.get("FARMSCAN_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_path() -> Path:
    """Where the shared data folder is expected (it may be absent: callers decide to skip)."""
    return SHARED


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus" / "labels.tsv").is_file():
        pytest.skip(f"shared data not found at {SHARED} (set FARMSCAN_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def serve():
    """``with serve(handler) as base_url:`` serves ``handler`` on 127.0.0.1 (a free port) in a thread."""
    return pages.serve


@pytest.fixture(scope="session")
def html_page():
    """``html_page(title, body, head="")``: a small well-formed HTML page."""
    return pages.html_page


@pytest.fixture(scope="session")
def fixture_page():
    """``fixture_page(folder, name, url=None)``: ``tests/fixtures/<folder>/<name>`` parsed (``.txt`` as text)."""
    return pages.fixture_page


@pytest.fixture(scope="session")
def wp_post():
    """``wp_post(n=1, **over)``: a WordPress REST post shaped like ``/wp-json/wp/v2/posts/N``."""
    return pages.wp_post


@pytest.fixture(scope="session")
def write_warc():
    """``write_warc(path, records, ...)``: a WARC file written with warcio."""
    from tests.helpers.warc_builder import write_warc as build  # warcio only where a test asks

    return build
