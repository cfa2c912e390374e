"""Dask: scoring on a real LocalCluster of worker processes equals the single-process run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")
pq = pytest.importorskip("pyarrow.parquet")


from detector.cli import main  # noqa: E402
from detector.integrations.dask import partitions, score_files  # noqa: E402

CRAWL = Path(__file__).resolve().parents[1] / "fixtures" / "crawl"
TOPICS = ["Garden Hose Reels", "Air Fryers", "Office Chairs", "Hiking Boots", "Desk Lamps",
          "Electric Kettles", "Yoga Mats", "Phone Cases"]
PLACES = ["river road", "hill street", "harbour front", "station square", "canal path",
          "market lane", "north bridge", "school road"]


def farm_variant(i: int) -> bytes:
    html = (CRAWL / "farm.html").read_text()
    html = html.replace("Garden Hose Reels", TOPICS[i % len(TOPICS)]).replace("garden hose reel", TOPICS[i % len(TOPICS)].lower())
    return html.replace("</article>", "<p>Extra tip.</p>" * (i % 4) + "</article>").encode()


def original_variant(i: int) -> bytes:
    html = (CRAWL / "original.html").read_text().replace("river road", PLACES[i % len(PLACES)])
    return html.replace("nine to four", f"{5 + i % 5} to {i % 4}").encode()


@pytest.fixture(scope="module")
def inputs(write_warc, tmp_path_factory) -> list[str]:
    root = tmp_path_factory.mktemp("pages")
    pages = root / "pages"
    pages.mkdir()
    for i in range(12):
        (pages / f"farm-{i:02d}.html").write_bytes(farm_variant(i))
        (pages / f"news-{i:02d}.html").write_bytes(original_variant(i))
    recs = []
    for i in range(5):
        recs.append((f"https://shop{i}.example/best", farm_variant(i + 20), "text/html; charset=utf-8"))
        recs.append((f"https://news{i}.example/story", original_variant(i + 20), "text/html"))
    recs.append(("https://cdn.example/x.css", b"body{color:red}", "text/css"))
    write_warc(root / "crawl.warc.gz", recs)
    return [str(pages), str(root / "crawl.warc.gz")]


@pytest.fixture(scope="module")
def single(inputs, tmp_path_factory) -> dict[str, dict]:
    """The single-process CLI run of the same inputs, keyed by input."""
    out = tmp_path_factory.mktemp("single") / "out.jsonl"
    assert main(["score", *inputs, "--output", str(out), "--quiet"]) in (0, 1)
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(rows) == 34
    return {r["input"]: r for r in rows}


@pytest.fixture(scope="module")
def client():
    import dask
    from dask.distributed import Client, LocalCluster

    from detector.integrations.dask import WORKER_CONFIG

    with dask.config.set(WORKER_CONFIG):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_partitions_keep_warc_files_whole(inputs):
    parts = partitions(inputs, partition_size=5)
    # The WARC file is its own task, wherever it comes; page files fill tasks of five.
    assert sorted(len(p) for p in parts) == [1, 4, 5, 5, 5, 5]
    assert [inputs[1]] in parts
    assert sum(parts, []).count(inputs[1]) == 1


def test_parquet_partitions_equal_the_single_process_run(inputs, single, client, tmp_path):
    results = score_files(inputs, client=client, out_dir=tmp_path, out_format="parquet", partition_size=5)
    assert sum(r.pages for r in results) == 34
    files = sorted(tmp_path.glob("part-*.parquet"))
    assert [f.name for f in files] == [f"part-{i:05d}.parquet" for i in range(6)]
    rows = pq.read_table(tmp_path).to_pylist()
    assert len(rows) == 34
    for r in rows:
        s = single[r["input"]]
        assert (r["label"], r["probability"], r["url"]) == (s["label"], s["probability"], s["url"])
        assert r["reasons"] == s["reasons"]
        assert json.loads(r["copy_of"]) == s["copy_of"]
        assert r["error"] is None
    warc_rows = [r for r in rows if r["warc_record_id"]]
    assert len(warc_rows) == 10
    assert all(r["input"].endswith("#" + r["warc_record_id"]) for r in warc_rows)
    assert {r["flagged"] for r in rows} <= {True, False}
    # Two worker processes shared six tasks, and each loaded the model once.
    pids = {r.pid for r in results}
    assert len(pids) == 2
    for pid in pids:
        assert max(r.model_loads for r in results if r.pid == pid) == 1
    assert sum(r.warc.get("skipped_non_html", 0) for r in results) == 1


def test_cli_on_a_running_scheduler_writes_jsonl_and_resumes(inputs, single, client, tmp_path, capsys):
    out = tmp_path / "parts"
    args = ["score", *inputs, "--dask", client.scheduler.address, "--out-dir", str(out),
            "--out-format", "jsonl", "--partition-size", "8", "--progress"]
    assert main(args) == 1  # the crawl holds farm pages
    rows = [json.loads(x) for f in sorted(out.glob("part-*.jsonl")) for x in f.read_text().splitlines()]
    assert {r["input"]: (r["label"], r["probability"]) for r in rows} == {
        k: (v["label"], v["probability"]) for k, v in single.items()
    }
    err = capsys.readouterr().err
    assert "farmscan: done: 34 pages" in err
    assert "4 partitions written" in err
    assert "10 HTML pages scored, 1 non-HTML responses skipped" in err
    # Everything already done: the exit code still speaks for the whole output (farms in it).
    assert main([*args, "--resume"]) == 1
    assert "0 partitions written" in capsys.readouterr().err
    before = {f.name: f.read_bytes() for f in out.glob("part-*")}
    assert main(args) == 2  # without --resume: refused, nothing overwritten
    assert "already holds 4 partition file(s)" in capsys.readouterr().err
    assert {f.name: f.read_bytes() for f in out.glob("part-*")} == before


def test_cli_rejects_dask_without_out_dir(inputs, capsys):
    assert main(["score", inputs[0], "--dask", "local:1"]) == 2
    assert "--out-dir" in capsys.readouterr().err


def test_score_files_takes_out_format_and_fmt_still_works_with_a_warning(inputs, client, tmp_path):
    new = score_files(inputs, client=client, out_dir=tmp_path / "new", out_format="jsonl", partition_size=8)
    with pytest.warns(DeprecationWarning, match="out_format"):
        old = score_files(inputs, client=client, out_dir=tmp_path / "old", fmt="jsonl", partition_size=8)
    assert [r.path.rsplit("/", 1)[1] for r in new] == [r.path.rsplit("/", 1)[1] for r in old]
    assert all(r.path.endswith(".jsonl") for r in new)
    again = score_files(inputs, client=client, out_dir=tmp_path / "new", out_format="jsonl", partition_size=8,
                        resume=True)
    assert all(r.skipped for r in again)
    assert [(r.pages, r.flagged, r.errors) for r in again] == [(r.pages, r.flagged, r.errors) for r in new]
