"""Dependencies: Dask is an extra (with a clear message without it), the lock file pins every
package the image installs and agrees with the requirement files, the Dockerfile uses it."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

from conftest import ROOT, SEEDS


def _pins(name: str) -> dict[str, str]:
    out = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            pkg, _, version = line.partition("==")
            out[pkg.lower().replace("_", "-")] = version
    return out


def test_dask_is_an_extra_not_a_requirement():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.startswith(("dask", "distributed"))]
    assert {d.split(">")[0] for d in project["optional-dependencies"]["dask"]} == {"dask", "distributed"}
    assert not {"dask", "distributed"} & set(_pins("requirements.txt"))
    assert set(_pins("requirements-dask.txt")) == {"dask", "distributed"}
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    assert "-r requirements.txt" in dev and "-r requirements-dask.txt" in dev


def test_lock_pins_every_requirement_at_the_same_version():
    lock = _pins("requirements.lock")
    for name in ("requirements.txt", "requirements-dask.txt"):
        for pkg, version in _pins(name).items():
            assert lock.get(pkg) == version, (name, pkg, version, lock.get(pkg))
    assert all(lock.values()), "every line of the lock is pinned with =="
    for transitive in ("tornado", "msgpack", "psutil", "click", "jinja2"):  # pinned too
        assert transitive in lock


def test_dockerfile_installs_from_the_lock():
    docker = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY requirements.lock" in docker
    assert "pip install --no-cache-dir -r /src/requirements.lock" in docker
    # The package itself adds nothing unpinned: its wheel (built with the pinned Cython in the
    # build stage) is installed without dependencies.
    assert "pip install --no-cache-dir -r /src/requirements-build.txt" in docker
    assert "pip wheel --no-cache-dir --no-deps" in docker
    assert "pip install --no-cache-dir --no-deps /wheels/cleaner-" in docker


def test_engine_dask_without_dask_names_the_extra(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": (SEEDS / "000_11e950c0d58bd2da.txt").read_text()}) + "\n")
    code = (
        "import sys\n"
        "sys.modules['distributed'] = None  # as if the extra were not installed\n"
        "sys.modules['dask'] = None\n"
        "from cleaner.cli import main\n"
        f"out = {str(tmp_path / 'out.jsonl')!r}\n"
        f"sys.exit(main(['batch', {str(src)!r}, '-o', out, '--engine', 'dask']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 2, proc.stderr
    assert "pip install 'cleaner[dask]'" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out.jsonl").exists()
