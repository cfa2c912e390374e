"""Model-file helpers shared by the tree and ensemble tests (behind the ``resealed`` and ``samples`` fixtures)."""

from __future__ import annotations

import hashlib
import json

from detector.learn.samples import SampleSpec, build_samples
from detector.model.envelope import _canonical


def samples(sources: str, synthetic: int, corpus: str | None = None) -> list:
    return build_samples(SampleSpec(corpus=corpus, synthetic=synthetic, seed=5, sources=tuple(sources.split(","))))


def resealed(model, edit) -> str:
    """The model file after ``edit(payload)``, with a checksum that matches again (any model kind)."""
    payload = json.loads(json.dumps(model.payload()))
    edit(payload)
    return json.dumps({"checksum": "sha256:" + hashlib.sha256(_canonical(payload).encode()).hexdigest(), "model": payload})
