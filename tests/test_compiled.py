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
from hypothesis import given
from hypothesis import strategies as st

import cleaner
from cleaner import textre
from cleaner.core import _fast, story

SETS = ("dev", "dev2")
HTML_EVERY = 8  # one HTML page in this many (HTML spends most of its time outside the core)

PROBE = r"""
import gzip, hashlib, json, sys
from pathlib import Path
import cleaner
from cleaner import textre
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


@pytest.mark.slow
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


# The typed helpers of cleaner/core/_fast.py against the string-method code they stand for (in
# whichever build is loaded: compiled, or as plain Python under CLEANER_PURE_PYTHON=1).

_SHAPE_CHARS = "".join(sorted(story.PUNCT | story.SEPARATORS | story.MONEY | story.BULLETS)) + (
    " \t\n\u00a0\u2003Aa1٣ǅßİıÉé中。！？?.!,ΣΑ\u0345ⅷⅧ")
_texts = st.lists(st.text(alphabet=st.sampled_from(_SHAPE_CHARS) | st.characters(), max_size=40),
                  max_size=6)


def test_the_typed_helpers_use_the_story_models_character_classes():
    assert set(_fast._PUNCT) == story.PUNCT and set(_fast._SEPARATORS) == story.SEPARATORS
    assert set(_fast._MONEY) == story.MONEY and _fast._BULLETS == story.BULLETS
    for ch in _SHAPE_CHARS:  # the literals in shape_counts are the same classes
        assert _fast.lexical_columns([ch], [[]]) == story.lexical_columns_py([ch], [[]]), repr(ch)


@given(_texts)
def test_the_typed_lexical_columns_are_the_string_methods_ones(texts):
    toks = [t.lower().split() for t in texts]
    assert _fast.lexical_columns(texts, toks) == story.lexical_columns_py(texts, toks)


_MODEL = cleaner.default_ruleset().trees["story"]
_THRESHOLDS = sorted({x for _, t, _ in _MODEL.trees for x in t})


@given(st.lists(st.floats(allow_nan=False, width=32) | st.sampled_from(_THRESHOLDS), min_size=1,
                max_size=30), st.integers(0, 4))
def test_the_typed_tree_walk_gives_the_generated_codes_floats(values, seed):
    model = _MODEL
    m = len(model.columns)
    cols = [[values[(i * 7 + j + seed) % len(values)] for i in range(5)] for j in range(m)]
    assert _fast.predict(model, cols, 5) == model.predict(cols, 5)


def test_the_typed_lexical_columns_agree_on_every_code_point():
    points = [*range(0x10000), *range(0x10000, 0x110000, 31)]  # the BMP, and a sample beyond
    for lo in range(0, len(points), 20000):
        chars = [chr(c) for c in points[lo:lo + 20000]]
        texts = [t for c in chars for t in ("A" + c, c + "a b", "x" + c + "Y. " + c)]
        toks = [t.lower().split() for t in texts]
        assert _fast.lexical_columns(texts, toks) == story.lexical_columns_py(texts, toks), lo


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.0, 1.0]), max_size=40),
       st.integers(0, 12))
def test_the_typed_window_means_are_the_sums_of_the_slices(values, w):
    n = len(values)
    want = []
    for i in range(n):  # story._window_means' arithmetic, as the pure-Python build does it
        lo, hi = max(0, i - w), min(n, i + w + 1)
        want.append((sum(values[lo:hi]) - values[i]) / (hi - lo - 1) if hi - lo - 1 > 0 else 0.0)
    if sys.version_info < (3, 12):  # sum() adds one by one (3.12 compensates; the build then uses sum)
        assert _fast.window_means(values, w) == want
    assert story._window_means(values, w) == want


def _text_counts_py(text):
    """features.measure_blocks' string code for what `_fast.text_counts` counts in one pass."""
    return (textre.words(text.lower()), len(text.split()), textre.count_wide(text),
            textre.has_letter(text))


_MEASURE_CHARS = "".join(_SHAPE_CHARS) + "_\u3000\u2028\x1c\x85İΣς한ｶ豈\u1100\u11ff\u2e80\u9fff"


@given(st.text(alphabet=st.sampled_from(_MEASURE_CHARS) | st.characters(blacklist_categories=("Cs",)),
               max_size=60))
def test_the_typed_text_counts_are_the_string_methods_ones(text):
    assert _fast.text_counts(text, text.lower()) == _text_counts_py(text)
    assert _fast.tokens(text) == textre.words(text)


def test_the_typed_text_counts_agree_on_every_code_point():
    assert _fast._WIDE_RANGES == textre._WIDE_RANGES
    points = [c for c in (*range(0x10000), *range(0x10000, 0x110000, 31)) if not 0xD800 <= c < 0xE000]
    for c in points:
        ch = chr(c)
        for text in (ch, "a" + ch + "b", ch + " " + ch + "_x", "1 " + ch):
            assert _fast.text_counts(text, text.lower()) == _text_counts_py(text), hex(c)
            assert _fast.tokens(text) == textre.words(text), hex(c)


@given(st.lists(st.floats(allow_nan=False) | st.integers(-3, 3) | st.booleans(), min_size=1, max_size=12),
       st.integers(1, 5))
def test_the_typed_rows_are_the_columns_interleaved(values, m):
    n = len(values)
    cols = [[values[(i + j) % n] for i in range(n)] for j in range(m)]
    want = [float(cols[j][i]) for i in range(n) for j in range(m)]
    assert list(_fast.rows(cols, n)) == want
    assert list(_fast.rows([tuple(c) for c in cols], n)) == want


@given(st.lists(st.floats(-40, 40) | st.sampled_from([0.0, -0.0, 1.5]), max_size=30),
       st.lists(st.floats(-5, 5) | st.just(0.0), min_size=8, max_size=8), st.integers(1, 7),
       st.integers(1, 9))
def test_the_typed_second_pass_is_the_columns_dotted(logit1, w, near, wide):
    p = {"story_window": near, "story_wide_window": wide}
    want = story._dot(story.second_columns(logit1, p), story.FEATURES_2, w, len(logit1))
    if _fast.PLAIN_SUMS or not _fast.COMPILED:  # the build uses it only where sums add one by one
        assert _fast.second_logits(logit1, w, near, wide) == want


@given(_texts)
def test_the_typed_lexical_rows_are_the_columns_rows(texts):
    toks = [t.lower().split() for t in texts]
    seen: dict = {}
    rows = _fast.lexical_rows(texts, toks, seen)
    cols = story.lexical_columns_py(texts, toks)
    assert rows == [tuple(cols[f][i] for f in _fast.LEXICAL) for i in range(len(texts))]
    assert set(seen) == set(texts) and _fast.LEXICAL == story.LEXICAL


@given(st.lists(st.booleans(), max_size=40), st.integers(0, 12))
def test_the_running_count_window_shares_are_the_window_means(flags, w):
    assert story._window_shares(flags, w) == story._window_means([1.0 if f else 0.0 for f in flags], w)


_WORDS = st.sampled_from(["the", "a", "und", "der", "le", "x", "de", "и", "ab_c", ""])


@given(st.lists(st.lists(_WORDS, max_size=12), min_size=1, max_size=10), st.sets(_WORDS))
def test_the_typed_stopword_shares_are_the_string_codes(toks_of, stops):
    texts = [" ".join(t) + f"#{i}" for i, t in enumerate(toks_of)]
    want = [sum(map(frozenset(stops).__contains__, t)) / len(t) if t else None for t in toks_of]
    seen: dict = {}
    assert _fast.stop_shares(texts, toks_of, frozenset(stops), seen) == want
    assert seen == dict(zip(texts, want, strict=True))
    # a text seen before is read from `seen`, not counted again
    assert _fast.stop_shares(texts[:1], [["zzz"]], frozenset(stops), seen) == want[:1]


@given(st.lists(_WORDS, max_size=20), st.dictionaries(_WORDS, st.lists(st.sampled_from("abc"), min_size=1,
                                                                         max_size=3).map(tuple)))
def test_the_typed_language_hits_are_the_string_codes(toks, index):
    found: dict[str, int] = {}
    for word in toks:
        for lang in index.get(word, ()):
            found[lang] = found.get(lang, 0) + 1
    assert _fast.language_hits(toks, index) == tuple(found.items())
