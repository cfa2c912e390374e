"""Model-file helpers shared by the tree and ensemble tests (behind the ``resealed`` and ``samples`` fixtures)."""

from __future__ import annotations

import hashlib
import json

import pytest

from detector.errors import ModelError
from detector.learn.samples import SampleSpec, build_samples
from detector.model.envelope import _canonical
from detector.model.load import loads_model


def samples(sources: str, synthetic: int, corpus: str | None = None) -> list:
    return build_samples(SampleSpec(corpus=corpus, synthetic=synthetic, seed=5, sources=tuple(sources.split(","))))


def resealed(model, edit) -> str:
    """The model file after ``edit(payload)``, with a checksum that matches again (any model kind)."""
    payload = json.loads(json.dumps(model.payload()))
    edit(payload)
    return json.dumps({"checksum": "sha256:" + hashlib.sha256(_canonical(payload).encode()).hexdigest(), "model": payload})


def _future(payload: dict) -> None:
    payload["format_version"] = 99


def refusals(model, cases) -> None:
    """Each ``(edit, match)`` in ``cases`` makes a file that is refused with a ``ModelError`` matching
    ``match``, although resealed; the first edit without resealing fails the checksum; a future
    format version is refused too."""
    doc = json.loads(model.dumps())
    cases[0][0](doc["model"])
    with pytest.raises(ModelError, match="checksum"):
        loads_model(json.dumps(doc))
    for edit, match in [(_future, "format version 99"), *cases]:
        with pytest.raises(ModelError, match=match):
            loads_model(resealed(model, edit))
