"""The house rules of the package layout, read from the source (imports inside functions too).

Dependencies point one way: front ends (api, cli, batch, wsgi) -> `clean()` (engine, records)
-> stages (core, html) -> rules and model (ruleset, model and its Markdown, errors, config,
decoding, languages, _version). No cycles.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "cleaner"

FRONT_ENDS = ("cleaner.api", "cleaner.cli", "cleaner.batch", "cleaner.wsgi", "cleaner.records")
WEB = ("flask", "werkzeug", "gunicorn", "dask", "distributed")
# The base: the data types and their renderings, the errors, settings, rules, and the leaf
# helpers every front end and stage shares (decoding bytes, checking a language, the version,
# RE2 patterns over input, input caps, the deadline watchdog).
BASE = ("cleaner.model", "cleaner.markdown", "cleaner.errors", "cleaner.config", "cleaner.ruleset",
        "cleaner.decoding", "cleaner.languages", "cleaner._version", "cleaner.textre",
        "cleaner.limits", "cleaner.watchdog")


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PKG.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """Every module `name` imports, wherever the import statement stands."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            subs = {f"{target}.{a.name}" for a in node.names} & MODULES.keys()
            out |= subs  # `from . import batch` imports the module, not the package's other names
            if len(subs) < len(node.names):
                out.add(target)
    return out


def internal_edges() -> dict[str, set[str]]:
    return {m: {t for t in imports_of(m) if t in MODULES and t != m} for m in MODULES}


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_layout_has_the_named_rooms():
    for room in ("core", "html", "batch", "cli", "api"):
        assert (PKG / room / "__init__.py").exists(), room
    for top in ("engine", "model", "errors", "config", "ruleset"):
        assert f"cleaner.{top}" in MODULES


@pytest.mark.parametrize("room", ["cleaner.core", "cleaner.html"])
def test_stages_import_no_front_end_and_no_web(room):
    bad = []
    for m in MODULES:
        if not within(m, (room,)):
            continue
        for t in imports_of(m):
            if within(t, FRONT_ENDS + WEB + ("cleaner.engine",)):
                bad.append(f"{m} -> {t}")
    assert not bad, bad


def test_the_core_imports_only_itself_and_the_base():
    bad = [
        f"{m} -> {t}" for m, ts in internal_edges().items() if within(m, ("cleaner.core",))
        for t in ts if not within(t, ("cleaner.core", *BASE))
    ]
    assert not bad, bad


def test_the_base_imports_no_stage_or_front_end():
    bad = [
        f"{m} -> {t}" for m, ts in internal_edges().items() if m in BASE
        for t in ts if t not in BASE
    ]
    assert not bad, bad


def test_no_import_cycles():
    edges = internal_edges()
    # A package's __init__ re-exporting its own modules is not a cycle unless they import it back.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(edges[m]):
            if state.get(t) == 1:
                cycles.append([*stack[stack.index(t):], t])
            elif t not in state:
                visit(t, stack)
        stack.pop()
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [])
    assert not cycles, [" -> ".join(c) for c in cycles]


def test_the_cycle_finder_finds_a_cycle(tmp_path):
    """The check above can fail: two modules importing each other inside functions are a cycle."""
    (tmp_path / "cleaner").mkdir()
    (tmp_path / "cleaner" / "__init__.py").write_text("")
    (tmp_path / "cleaner" / "a.py").write_text("def f():\n    from .b import g\n")
    (tmp_path / "cleaner" / "b.py").write_text("def g():\n    from . import a\n")
    fake = {module_name_in(tmp_path, p): p for p in (tmp_path / "cleaner").rglob("*.py")}
    globals()["MODULES"], saved = fake, MODULES
    try:
        with pytest.raises(AssertionError):
            test_no_import_cycles()
    finally:
        globals()["MODULES"] = saved


def module_name_in(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)
