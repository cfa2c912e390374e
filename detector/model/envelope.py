"""The model file envelope shared by every model kind: canonical JSON, SHA-256 checksum, atomic write.

A model file is ``{"checksum": "sha256:...", "model": PAYLOAD}``; the checksum covers the
payload's canonical JSON (sorted keys, no spaces), so indentation and line layout are free.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any

from detector.errors import ModelError


def _canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def envelope(payload: dict[str, Any], lines: dict[str, list[str]] | None = None) -> str:
    """A model file's text: the payload and the SHA-256 checksum of its canonical JSON.

    ``lines`` writes the named payload fields, in the text only, as lists of the given
    already-serialised items, one per line (the checksum covers the real fields).
    """
    body = _canonical(payload)
    marks = {k: f"\u0000{k}\u0000" for k in lines or {}}
    text = json.dumps(
        {"checksum": "sha256:" + hashlib.sha256(body.encode()).hexdigest(), "model": payload | marks},
        indent=1,
        sort_keys=True,
        ensure_ascii=False,
    ) + "\n"
    for k, items in (lines or {}).items():
        text = one_per_line(text, marks[k], items)
    return text


def one_per_line(text: str, mark: str, items: list[str]) -> str:
    """``text`` with the JSON string ``mark`` replaced by a list of ``items``, one per line."""
    return text.replace(json.dumps(mark), "[\n" + ",\n".join(items) + "\n]", 1)


def write_atomic(path: str | Path, text: str) -> str:
    """Write a model file so readers never see it half-written; returns its checksum."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return json.loads(text)["checksum"]


def verified_payload(text: str, source: str = "<model>") -> dict[str, Any]:
    """The payload of a model file's text, after checking it is JSON and its checksum matches.

    NaN, Infinity and numbers that overflow a float are refused while parsing: a checksum
    proves the file is intact, not that its values are sane.
    """
    try:
        doc = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{source} is not a farmscan model file (not JSON: {exc})") from None
    except RecursionError:
        raise ModelError(f"{source} is not a farmscan model file (JSON nested too deeply)") from None
    except ValueError as exc:  # a non-finite number, or an integer of more than 4,300 digits
        raise ModelError(f"{source}: {str(exc).split(';')[0]}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("model"), dict):
        raise ModelError(f"{source} is not a farmscan model file (no 'model' object)")
    payload = doc["model"]
    want = "sha256:" + hashlib.sha256(_canonical(payload).encode()).hexdigest()
    if doc.get("checksum") != want:
        raise ModelError(f"{source} failed its checksum: the file was modified or corrupted; refusing to load it")
    return payload


def _no_constant(name: str) -> float:
    raise ValueError(f"model holds {name}, not a finite number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"model holds {text[:40]}, not a finite number")
    return value


def pin(sha256: str | None) -> str | None:
    """A pinned file digest (``--model-sha256``) as 64 lower-case hex digits, or ``None``."""
    if not sha256:
        return None
    digest = sha256.strip().lower().removeprefix("sha256:")
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ModelError(f"model SHA-256 {sha256!r} is not 64 hex digits")
    return digest


def check_pin(raw: bytes, digest: str | None, source: str) -> None:
    """Refuse a model file whose bytes are not the pinned ones.

    The checksum inside a model file only catches corruption: someone who can write the file
    can recompute it; a digest pinned by the user they cannot."""
    if digest and hashlib.sha256(raw).hexdigest() != digest:
        raise ModelError(f"{source} does not have the pinned SHA-256 {digest[:12]}...; refusing to load it")


def check_version(payload: dict[str, Any], version: int, source: str) -> None:
    """Refuse a payload of another format version than the one this farmscan reads."""
    if payload.get("format_version") != version:
        raise ModelError(
            f"{source} has format version {payload.get('format_version')!r}; this farmscan reads version {version}"
        )


def feature_names(payload: dict[str, Any], source: str) -> list[str]:
    """The payload's ``feature_names``, checked to be a list of strings."""
    names = payload.get("feature_names")
    if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
        raise ModelError(f"{source}: 'feature_names' must be a list of strings")
    return names


class Saved:
    """Mixin of the model kinds: the payload's common fields and ``save(path)``, which writes
    ``self.dumps()`` atomically and returns the checksum."""

    FORMAT: str
    FORMAT_VERSION: int
    id: str
    threshold: float
    calibration: dict[str, float]
    meta: dict[str, Any]

    def payload_with(self, **fields: Any) -> dict[str, Any]:
        """The payload: format, version, id, the kind's own ``fields``, threshold, calibration, meta."""
        return {"format": self.FORMAT, "format_version": self.FORMAT_VERSION, "id": self.id, **fields,
                "threshold": self.threshold, "calibration": self.calibration, "meta": self.meta}

    def dumps(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def save(self, path: str | Path) -> str:
        return write_atomic(path, self.dumps())


def common_fields(payload: dict[str, Any]) -> dict[str, Any]:
    """The fields every model kind reads the same way: threshold, id, calibration, meta.

    Raises ``KeyError``/``TypeError``/``ValueError`` on a malformed field (the caller names the file)."""
    cal = payload.get("calibration") or {"a": 1.0, "b": 0.0}
    return {
        "threshold": float(payload["threshold"]),
        "id": str(payload["id"]),
        "calibration": {"a": float(cal["a"]), "b": float(cal["b"])},
        "meta": payload.get("meta") if isinstance(payload.get("meta"), dict) else {},
    }
