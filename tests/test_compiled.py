"""The compiled core and its pure-Python source give byte-identical results.

`cleaner/_build.py` loads the compiled extension modules where the build made them, and the
`.py` sources under `CLEANER_PURE_PYTHON=1`. Two subprocesses (one of each) clean every dev and
dev2 page from both inputs (`raw_region`, `raw_fullpage`) and a sample of their HTML, and print
the sha256 of each `to_dict()` as canonical JSON; the two lists must be equal, page by page.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, SHARED

import cleaner

pytestmark = pytest.mark.slow

SETS = ("dev", "dev2")
HTML_EVERY = 8  # one HTML page in this many (HTML spends most of its time outside the core)

PROBE = r"""
import gzip, hashlib, json, sys
from pathlib import Path
import cleaner
from cleaner import Settings, clean

shared, html_every = Path(sys.argv[1]), int(sys.argv[2])
settings = Settings(timeout_s=600.0)  # no page may stop at the budget in one build and not the other


def digest(res):
    data = json.dumps(res.to_dict(), sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


out = {"build": cleaner.build(), "hashes": {}}
for name in sys.argv[3:]:
    with open(shared / "data" / f"{name}.jsonl", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    for field in ("raw_region", "raw_fullpage"):
        out["hashes"][f"{name}.{field}"] = [
            digest(clean(d[field], url=d.get("url"), settings=settings)) for d in docs
        ]
    urls = {d["id"]: d.get("url") for d in docs}
    pages = []
    with gzip.open(shared / "data" / f"{name}-html.jsonl.gz", "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % html_every == 0:
                pages.append(json.loads(line))
    out["hashes"][f"{name}.html"] = [
        digest(clean(html=p["html"], url=urls.get(p["id"]), settings=settings)) for p in pages
    ]
print(json.dumps(out))
"""


def _probe(pure: bool) -> dict:
    env = dict(os.environ)
    env.pop("CLEANER_PURE_PYTHON", None)
    if pure:
        env["CLEANER_PURE_PYTHON"] = "1"
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(SHARED), str(HTML_EVERY), *SETS],
        capture_output=True, text=True, timeout=900, env=env, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout)


def _compiled_or_skip() -> None:
    kind = cleaner.build()["kind"]
    if kind == "compiled":
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI runs the suite on the compiled core, but this environment loads the {kind} one")
    pytest.skip(f"the compiled core is not built here ({kind}); `pip install -e .` with Cython builds it")


def test_the_environment_variable_loads_the_pure_python_modules():
    code = "import json, cleaner; print(json.dumps(cleaner.build()))"
    env = {**os.environ, "CLEANER_PURE_PYTHON": "1"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    build = json.loads(proc.stdout)
    assert build["kind"] == "pure-python" and build["forced_pure"] is True
    assert build["compiled"] == [] and build["pure"] == list(cleaner._build.COMPILED_MODULES)


def test_the_compiled_core_is_loaded_by_default():
    _compiled_or_skip()
    build = cleaner.build()
    assert build["pure"] == [] and build["compiled"] == list(cleaner._build.COMPILED_MODULES)
    for name in build["compiled"]:
        assert not sys.modules[name].__file__.endswith(".py"), name


def test_compiled_and_pure_python_give_byte_identical_results():
    if not all((SHARED / "data" / f"{name}.jsonl").is_file() for name in SETS):
        pytest.skip(f"needs the shared dev and dev2 sets at {SHARED / 'data'} (absent here)")
    _compiled_or_skip()
    compiled, pure = _probe(pure=False), _probe(pure=True)
    assert compiled["build"]["kind"] == "compiled", compiled["build"]
    assert pure["build"]["kind"] == "pure-python", pure["build"]
    assert compiled["hashes"].keys() == pure["hashes"].keys()
    for key, want in pure["hashes"].items():
        got = compiled["hashes"][key]
        assert len(got) == len(want) and len(want) > 0, key
        differ = [i for i, (a, b) in enumerate(zip(got, want, strict=True)) if a != b]
        assert not differ, f"{key}: {len(differ)} of {len(want)} documents differ (first at line {differ[0]})"
    assert sum(map(len, pure["hashes"].values())) > 1000
