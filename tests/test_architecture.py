"""The import structure: one direction of dependency (docs/architecture.md).

Read from the source with ``ast`` (nothing is imported): every ``import`` of a ``detector`` or
``features`` module, at any depth (lazy imports inside functions count too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("detector", "features")
# The core: what score() runs. It must never reach the faces or the learning code.
OUTSIDE_CORE = ("detector.commands", "detector.cli", "detector.integrations", "detector.learn", "detector.__main__")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module a dotted import name lands in (``a.b.C`` -> ``a.b`` when ``C`` is not a module)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imports(mod: str, path: Path, modules: dict[str, Path]) -> set[str]:
    out: set[str] = set()
    is_pkg = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = mod if is_pkg else mod.rpartition(".")[0]
                for _ in range(node.level - 1):
                    pkg = pkg.rpartition(".")[0]
                base = f"{pkg}.{base}".strip(".")
            # ``from pkg import sub`` imports the module ``pkg.sub``; ``from mod import Name``, ``mod``.
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for n in names:
            if n.split(".")[0] in PACKAGES:
                target = _resolve(n, modules)
                if target and target != mod:
                    out.add(target)
    return out


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {m: _imports(m, p, modules) for m, p in modules.items()}


def _is_within(mod: str, prefix: str) -> bool:
    return mod == prefix or mod.startswith(prefix + ".")


def _parent_package(mod: str) -> str:
    return mod.rpartition(".")[0]


def test_no_import_cycles(graph):
    """No module reaches itself through imports (package __init__ re-exports left out: they
    import their own children by design)."""
    edges = {m: {t for t in ts if not (m.endswith("__init__") or _is_within(t, m))} for m, ts in graph.items()}
    edges = {m: {t for t in ts if not _is_within(m, t) or t == m} for m, ts in edges.items()}
    seen: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(m: str, stack: list[str]) -> None:
        seen[m] = 1
        stack.append(m)
        for t in sorted(edges.get(m, ())):
            if seen.get(t) == 1:
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in seen:
                visit(t, stack)
        stack.pop()
        seen[m] = 2

    for m in sorted(edges):
        if m not in seen:
            visit(m, [])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_features_know_nothing_of_detector(graph):
    bad = {m: sorted(t for t in ts if _is_within(t, "detector")) for m, ts in graph.items() if _is_within(m, "features")}
    assert not {m: ts for m, ts in bad.items() if ts}


def test_core_never_imports_faces_or_learning(graph):
    core = [m for m in graph if _is_within(m, "detector") and not any(_is_within(m, p) for p in OUTSIDE_CORE)]
    assert "detector.api" in core and "detector.sources.load" in core
    bad = {m: sorted(t for t in graph[m] if any(_is_within(t, p) for p in OUTSIDE_CORE)) for m in core}
    assert not {m: ts for m, ts in bad.items() if ts}


def test_learning_is_not_imported_by_faces_except_train_and_evaluate(graph):
    """Scoring faces (score, explain, index, the integrations) never load the learning code."""
    faces = [m for m in graph if any(_is_within(m, p) for p in ("detector.integrations", "detector.commands"))]
    allowed = {"detector.commands.train", "detector.commands.evaluate"}
    bad = {m: sorted(t for t in graph[m] if _is_within(t, "detector.learn")) for m in faces if m not in allowed}
    assert not {m: ts for m, ts in bad.items() if ts}


def test_subpackages_do_not_import_their_own_package_init(graph):
    """Inside a subpackage, modules import their siblings, never the package's re-exports
    (that is how a re-export turns into a loop)."""
    modules = _modules()
    bad = []
    for m, ts in graph.items():
        pkg = _parent_package(m)
        if modules[m].name != "__init__.py" and pkg in modules and pkg in ts and pkg not in ("detector", "features"):
            bad.append((m, pkg))
    assert not bad
