"""Build the compiled core (Cython, pure-Python mode) where Cython and a C compiler exist.

The modules in `cleaner/_build.py:COMPILED` are plain Python that also runs as it is; where they
compile, the wheel (and `pip install -e .`) carries an extension module beside each `.py`, and
`cleaner._build` loads it. Where the build cannot be done (no Cython, no compiler, a module that
does not compile) the package installs as pure Python, with one warning saying so.
Everything else about the package is in pyproject.toml.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
# The one list of compiled modules (cleaner/_build.py reads the same file at run time).
COMPILED = [
    line.split("#")[0].strip()
    for line in (ROOT / "cleaner" / "_compiled_modules.txt").read_text(encoding="utf-8").splitlines()
    if line.split("#")[0].strip()
]
MANIFEST = "_compiled.json"  # beside the modules: the sha256 of each source that was compiled
WARNING = ("cleaner: the compiled core was not built ({why}); installing the pure-Python modules, "
           "which give the same results, slower. Install Cython and a C compiler to build it.")


def _source(mod: str) -> Path:
    return ROOT.joinpath(*mod.split(".")).with_suffix(".py")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _digests(mod: str) -> dict[str, str]:
    """What an extension module is compiled from: its .py and its .pxd (types)."""
    return {"py": _digest(_source(mod)), "pxd": _digest(_source(mod).with_suffix(".pxd"))}


def _warn(why: str) -> None:
    print("\n" + "=" * 78 + "\nWARNING: " + WARNING.format(why=why) + "\n" + "=" * 78 + "\n",
          file=sys.stderr, flush=True)


class BuildCore(build_ext):
    """build_ext that falls back to pure Python (one warning) when the extensions do not build,
    and writes the manifest of what it compiled."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1  # one compiler per core

    def run(self) -> None:
        if not self.extensions:
            return
        try:
            super().run()
        except Exception as exc:
            _warn(f"{type(exc).__name__}: {exc}")
            self._drop_built()
            return
        self._write_manifest()

    def build_extension(self, ext) -> None:
        """Compile one module, or reuse the in-place build of the same sources (`pip install -e .`
        made it beside the .py): a wheel built after an editable install compiles nothing twice."""
        target = Path(self.get_ext_fullpath(ext.name))
        if not self.inplace:
            prebuilt = ROOT.joinpath(*ext.name.split(".")[:-1]) / target.name
            built = _read_manifest(ROOT / "cleaner" / MANIFEST).get(ext.name)
            if prebuilt.is_file() and built == _digests(ext.name):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(prebuilt, target)
                print(f"cleaner: {ext.name}: reusing the in-place build of the same sources", file=sys.stderr)
                return
        super().build_extension(ext)

    def _target_dir(self) -> Path:
        if self.inplace:
            return ROOT / "cleaner"
        return Path(self.build_lib) / "cleaner"

    def _drop_built(self) -> None:
        for ext in self.extensions:
            with contextlib.suppress(OSError):
                Path(self.get_ext_fullpath(ext.name)).unlink(missing_ok=True)
        (self._target_dir() / MANIFEST).unlink(missing_ok=True)

    def _write_manifest(self) -> None:
        target = self._target_dir()
        target.mkdir(parents=True, exist_ok=True)
        manifest = {mod: _digests(mod) for mod in COMPILED}
        (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                       encoding="utf-8")

    def get_outputs(self) -> list[str]:
        outs = super().get_outputs()
        manifest = self._target_dir() / MANIFEST
        return [*outs, str(manifest)] if manifest.exists() else outs


def _read_manifest(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _extensions() -> list:
    if os.environ.get("CLEANER_PURE_PYTHON_BUILD") == "1":
        _warn("CLEANER_PURE_PYTHON_BUILD=1")
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        _warn("Cython is not installed")
        return []
    from setuptools import Extension

    exts = [Extension(mod, [str(_source(mod).relative_to(ROOT))]) for mod in COMPILED]
    try:
        return cythonize(
            exts,
            # Types come from the .pxd files only: annotations keep their Python meaning (a `float`
            # annotation would otherwise make a C double), so both builds compute the same.
            compiler_directives={"language_level": "3", "binding": True, "embedsignature": True,
                                 "annotation_typing": False},
            quiet=True,
        )
    except Exception as exc:
        _warn(f"Cython failed: {type(exc).__name__}: {exc}")
        return []


setup(ext_modules=_extensions(), cmdclass={"build_ext": BuildCore})
