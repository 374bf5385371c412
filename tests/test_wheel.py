"""An installed cleaner (a built wheel, not the checkout) finds its built-in rules and cleans the seed.

Builds the wheel offline from a copy of the sources (`pip wheel --no-build-isolation`, so no
download), installs it with `--no-deps` into a fresh venv, points that venv at this
environment's site-packages for the dependencies (a .pth file), and runs it outside the repo.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

SEED = SEEDS / "000_11e950c0d58bd2da.txt"
PROBE = """
import json, sys
import cleaner
from cleaner import clean
from cleaner.ruleset import builtin_rules_dir
res = clean(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({"file": cleaner.__file__, "rules": str(builtin_rules_dir()), "sys_path": sys.path,
                  "n_rules": len(cleaner.default_ruleset().rules), "result": res.to_dict(),
                  "build": cleaner.build()}))
"""


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _can_build_wheels() -> bool:
    probe = "from setuptools.command.bdist_wheel import bdist_wheel"
    alt = "import wheel.bdist_wheel"
    return any(
        subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0
        for code in (probe, alt)
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    if not _can_build_wheels():
        pytest.skip(
            "building a wheel offline needs setuptools>=70.1 (or `wheel`) in this environment: "
            "pip install -r requirements-dev.txt"
        )
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    # The in-place build (`pip install -e .`) comes along: the wheel's build reuses each compiled
    # module whose .py and .pxd are unchanged since (setup.py checks their sha256), so the suite
    # compiles the core once; in a checkout without it, the wheel's build compiles it.
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("cleaner", "rules"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    dist = tmp / "dist"
    build = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                  "-w", str(dist), str(src)], cwd=tmp)
    wheels = list(dist.glob("cleaner-*.whl"))
    assert len(wheels) == 1, wheels

    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp)
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "--quiet",
          str(wheels[0])], cwd=tmp)
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=tmp).stdout.strip())
    # Dependencies come from this environment, after the venv's own site-packages.
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "zz_cleaner_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CLEANER_RULES", "PYTHONHOME")}
    out = _run([str(py), "-c", PROBE, str(SEED)], cwd=tmp, env=env).stdout
    return {"wheel": wheels[0], "site": site, "py": py, "venv": venv, "tmp": tmp, "env": env,
            "probe": json.loads(out), "build_log": build.stdout + build.stderr}


def test_wheel_ships_rules(installed):
    names = zipfile.ZipFile(installed["wheel"]).namelist()
    yaml_files = sorted(p.name for p in (ROOT / "rules").glob("*.yaml"))
    stoplists = sorted(p.name for p in (ROOT / "rules" / "stoplists").glob("*.txt"))
    assert yaml_files and stoplists
    for name in yaml_files:
        assert f"cleaner/rules/{name}" in names
    for name in stoplists:
        assert f"cleaner/rules/stoplists/{name}" in names
    assert not any(n.startswith(("rules/", "tests/", "seeds/")) for n in names), names


def test_wheel_ships_every_module(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    modules = [p.relative_to(ROOT).as_posix() for p in (ROOT / "cleaner").rglob("*.py")
               if "__pycache__" not in p.parts]
    missing = [m for m in modules if m not in names]
    assert not missing, f"not in the wheel (add the package to [tool.setuptools] packages): {missing}"


def test_wheel_ships_the_playground(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    static = sorted(p.name for p in (ROOT / "cleaner" / "api" / "static").iterdir())
    assert "index.html" in static
    missing = [n for n in static if f"cleaner/api/static/{n}" not in names]
    assert not missing, f"not in the wheel (add them to [tool.setuptools.package-data]): {missing}"


def test_installed_cleaner_is_imported_from_site_packages(installed):
    probe, site = installed["probe"], installed["site"]
    assert Path(probe["file"]).resolve() == (site / "cleaner" / "__init__.py").resolve()
    assert str(ROOT) not in probe["sys_path"] and "" not in probe["sys_path"][1:]


def test_installed_cleaner_finds_builtin_rules(installed, ruleset):
    probe, site = installed["probe"], installed["site"]
    assert Path(probe["rules"]).resolve() == (site / "cleaner" / "rules").resolve()
    assert probe["n_rules"] == len(ruleset.rules)


def test_installed_cleaner_cleans_the_seed(installed):
    from cleaner import clean

    got = installed["probe"]["result"]
    assert got == json.loads(json.dumps(clean(SEED.read_text(encoding="utf-8")).to_dict()))
    expected = json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert got["title"] == expected["title"]
    assert got["source"] == expected["source"]
    assert [c["credit"] for c in got["captions"]] == [c["credit"] for c in expected["captions"]]


def test_installed_console_script(installed):
    script = installed["venv"] / ("Scripts/cleaner.exe" if os.name == "nt" else "bin/cleaner")
    out = _run([str(script), "clean", str(SEED), "--format", "text"], cwd=installed["tmp"],
               env=installed["env"]).stdout
    assert out.startswith("Canadian forces exchange gunfire")  # the standfirst, then the body
    rules = _run([str(script), "rules", "check"], cwd=installed["tmp"], env=installed["env"]).stdout
    assert "ok" in rules


def test_wheel_is_typed_and_has_the_dask_extra(installed):
    """`py.typed` ships (mypy reads cleaner's types), Dask is an extra, not a requirement."""
    wheel = zipfile.ZipFile(installed["wheel"])
    assert "cleaner/py.typed" in wheel.namelist()
    meta = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    lines = wheel.read(meta).decode("utf-8").splitlines()
    requires = [line for line in lines if line.startswith("Requires-Dist:")]
    assert "Provides-Extra: dask" in lines
    dask = [r for r in requires if r.split()[1].startswith(("dask", "distributed"))]
    assert dask and all("extra == \"dask\"" in r for r in dask), requires
    assert any(r.startswith("Requires-Dist: tqdm") for r in requires)
    assert any(r.startswith("Requires-Dist: prometheus-client") for r in requires)


def _can_compile() -> bool:
    """Cython in this environment and a C compiler on the PATH: the wheel carries the compiled core."""
    has_cython = subprocess.run([sys.executable, "-c", "import Cython"], capture_output=True).returncode == 0
    return has_cython and any(shutil.which(cc) for cc in ("cc", "gcc", "clang"))


def test_wheel_carries_the_compiled_core_and_loads_it(installed):
    from cleaner import _build

    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    build = installed["probe"]["build"]
    if not _can_compile():
        assert build["kind"] == "pure-python"
        assert installed["build_log"].count("the compiled core was not built") == 1
        pytest.skip("no Cython or no C compiler here: the wheel is the pure-Python one (checked)")
    assert build["kind"] == "compiled", (build, installed["build_log"][-3000:])
    assert build["compiled"] == list(_build.COMPILED_MODULES)
    assert "cleaner/_compiled.json" in names and "cleaner/_compiled_modules.txt" in names
    for mod in _build.COMPILED_MODULES:
        path = mod.replace(".", "/")
        assert f"{path}.py" in names, mod  # the pure-Python source ships beside it
        assert any(n.startswith(path + ".") and n.endswith((".so", ".pyd")) for n in names), mod
    assert not any(n.endswith(".c") for n in names)


def test_the_installed_wheel_loads_its_pure_python_modules_on_request(installed):
    code = "import json, cleaner; print(json.dumps(cleaner.build()))"
    env = {**installed["env"], "CLEANER_PURE_PYTHON": "1"}
    build = json.loads(_run([str(installed["py"]), "-c", code], cwd=installed["tmp"], env=env).stdout)
    assert build["kind"] == "pure-python" and build["forced_pure"]
