"""Which build of the core is loaded: the compiled extension modules, or their pure-Python sources.

The modules named in `_compiled_modules.txt` are plain Python (Cython's pure-Python mode: the
types are in `.pxd` files beside them); `pip install .` compiles each into an extension module
beside its `.py` where Cython and a C compiler exist, and records the sha256 of each source it
compiled (and of its `.pxd`) in `_compiled.json`. This module is imported first by
`cleaner/__init__.py` and decides, for each of them, which one the import system loads:

- `CLEANER_PURE_PYTHON=1` in the environment: the `.py` (the same results, slower; the tests
  compare the two builds this way, in a subprocess);
- otherwise the extension module, where there is one and its source is unchanged since it was
  compiled; a `.py` edited since (an editable install) is loaded as it is, with one warning to
  rebuild (`pip install -e .`), so an edit is never hidden by a stale build.

`build()` says which modules are loaded compiled; `cleaner --version` prints it.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path
from types import ModuleType

PURE_ENV = "CLEANER_PURE_PYTHON"
_HERE = Path(__file__).resolve().parent


def _names() -> tuple[str, ...]:
    try:
        lines = (_HERE / "_compiled_modules.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ()
    return tuple(s for s in (line.split("#")[0].strip() for line in lines) if s)


COMPILED_MODULES = _names()


def _source(name: str) -> Path:
    return _HERE.joinpath(*name.split(".")[1:]).with_suffix(".py")


def _extension(name: str) -> Path | None:
    base = _HERE.joinpath(*name.split(".")[1:])
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = base.with_name(base.name + suffix)
        if path.is_file():
            return path
    return None


def pure_requested() -> bool:
    """Whether the environment asks for the pure-Python modules (`CLEANER_PURE_PYTHON=1`)."""
    return os.environ.get(PURE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _manifest() -> dict[str, dict[str, str]]:
    try:
        data = json.loads((_HERE / "_compiled.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _stale(name: str, manifest: dict[str, dict[str, str]]) -> bool:
    """Whether the module's .py differs from the source its extension was compiled from."""
    try:
        digest = hashlib.sha256(_source(name).read_bytes()).hexdigest()
    except OSError:
        return False  # no source beside it: the extension is all there is
    built = manifest.get(name)
    return not isinstance(built, dict) or built.get("py") != digest


class _PureFinder(importlib.abc.MetaPathFinder):
    """Loads the named modules from their .py even where an extension module sits beside it."""

    def __init__(self, names: frozenset[str]):
        self.names = names

    def find_spec(self, fullname: str, path: object = None, target: ModuleType | None = None):
        if fullname not in self.names:
            return None
        source = _source(fullname)
        if not source.is_file():
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def _install() -> frozenset[str]:
    with_ext = [n for n in COMPILED_MODULES if _extension(n) is not None]
    if pure_requested():
        pure = frozenset(COMPILED_MODULES)
    else:
        manifest = _manifest()
        stale = [n for n in with_ext if _stale(n, manifest)]
        if stale:
            warnings.warn(
                f"cleaner: {', '.join(stale)} changed since the compiled core was built; loading "
                "the .py (rebuild with `pip install -e .` for the compiled speed)",
                RuntimeWarning, stacklevel=3,
            )
        pure = frozenset(stale)
    if pure:
        sys.meta_path.insert(0, _PureFinder(pure))
    return pure


_FORCED_PURE = _install()


def build() -> dict[str, object]:
    """Which of the compiled core's modules are loaded compiled (imports them)."""
    compiled, pure = [], []
    for name in COMPILED_MODULES:
        mod = importlib.import_module(name)
        file = getattr(mod, "__file__", "") or ""
        (pure if file.endswith(".py") else compiled).append(name)
    if not pure:
        kind = "compiled"
    elif not compiled:
        kind = "pure-python"
    else:
        kind = "partly compiled"
    return {"kind": kind, "compiled": compiled, "pure": pure, "forced_pure": pure_requested()}


def describe() -> str:
    """One line for `cleaner --version`: which build of the core is loaded."""
    b = build()
    n, total = len(b["compiled"]), len(COMPILED_MODULES)  # type: ignore[arg-type]
    if b["kind"] == "compiled":
        return f"compiled core ({n}/{total} modules, Cython)"
    why = f" ({PURE_ENV}=1)" if b["forced_pure"] else ""
    if b["kind"] == "pure-python":
        return f"pure-Python core{why}"
    return f"partly compiled core ({n}/{total} modules compiled; pure: {', '.join(b['pure'])}){why}"  # type: ignore[arg-type]
