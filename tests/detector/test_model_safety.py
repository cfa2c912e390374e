"""Model files never run code: plain JSON with a checksum; anything else is refused."""

from __future__ import annotations

import ast
import hashlib
import json
import pickle
from pathlib import Path

import pytest

import detector
from detector.cli import main
from detector.errors import ModelError
from detector.model.envelope import _canonical
from detector.model.linear import LinearModel
from detector.model.load import load_model, loads_model

ROOT = Path(detector.__file__).resolve().parent


def _model() -> LinearModel:
    return LinearModel(
        feature_names=["ads.networks_sat", "bio.fields_sat"],
        mean=[0.1, 0.2],
        scale=[1.0, 0.5],
        coef=[1.5, -0.25],
        intercept=-2.0,
        threshold=0.5,
        id="test-linear",
    )


@pytest.fixture()
def saved(tmp_path: Path) -> Path:
    p = tmp_path / "model.json"
    _model().save(p)
    return p


def test_round_trip(saved: Path):
    m = load_model(saved)
    assert m.id == "test-linear" and m.coef == [1.5, -0.25]


def test_flipped_coefficient_refused(saved: Path):
    doc = json.loads(saved.read_text())
    doc["model"]["coef"][0] = -1.5
    saved.write_text(json.dumps(doc))
    with pytest.raises(ModelError, match="checksum"):
        loads_model(saved.read_text(), str(saved))


def test_wrong_format_version_refused():
    """A correctly checksummed file of a future format version is still refused."""
    body = _model().payload() | {"format_version": 99}
    doc = {"checksum": "sha256:" + hashlib.sha256(_canonical(body).encode()).hexdigest(), "model": body}
    with pytest.raises(ModelError, match="format version 99"):
        loads_model(json.dumps(doc))


def test_non_json_refused(tmp_path: Path):
    p = tmp_path / "m.json"
    p.write_text("coef = [1, 2]\n")
    with pytest.raises(ModelError, match="not JSON"):
        load_model(p)


def test_pickle_refused_and_never_unpickled(tmp_path: Path):
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (Path.touch, (marker,))

    p = tmp_path / "model.pkl"
    p.write_bytes(pickle.dumps(Evil()))
    with pytest.raises(ModelError, match="not a farmscan model file"):
        load_model(p)
    assert not marker.exists()


def test_cli_maps_model_error_to_one_line_exit_2(tmp_path: Path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"checksum": "sha256:0", "model": {}}')
    page = tmp_path / "p.html"
    page.write_text("<html><body><p>hello</p></body></html>")
    assert main(["score", str(page), "--model", str(bad), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("farmscan: model:")


def test_no_code_loading_on_model_paths():
    """The model package (every load path) never imports pickle/joblib/skops loaders."""
    banned = {"pickle", "joblib", "skops", "dill", "cloudpickle", "marshal"}
    for py in (ROOT / "model").glob("*.py"):
        for node in ast.walk(ast.parse(py.read_text())):
            if isinstance(node, ast.Import):
                assert not {a.name.split(".")[0] for a in node.names} & banned, py.name
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] not in banned, py.name
    # Anywhere in the package: no pickle.load(s), joblib.load, skops load, np.load(allow_pickle=True).
    for py in ROOT.rglob("*.py"):
        src = py.read_text()
        for needle in ("pickle.load", "joblib.load", "skops.io.load", "sio.load(", "allow_pickle=True"):
            assert needle not in src, f"{py.relative_to(ROOT)} uses {needle}"
