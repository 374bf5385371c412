"""HTML mode on the dev set beats the issue's floor and trafilatura's own extraction, same run,
in both its modes (precise: trafilatura's view as a second opinion; fast: the markup's own).

Runs scripts/evaluate_html.py's `evaluate` (about 25 s on a 2-core box); skipped without ../shared.
"""

from __future__ import annotations

import pytest
from conftest import SHARED, load_script

pytestmark = pytest.mark.skipif(
    not (SHARED / "data" / "dev-html.jsonl.gz").is_file(),
    reason=f"needs the shared dev set with HTML at {SHARED / 'data'} (absent here)",
)

F1_FLOOR = 0.965  # issue 4
FAST_F1_FLOOR = 0.978  # the fast mode measured 0.983 on dev when it was added
CAPTION_RECALL_FLOOR = 0.9
# dev2 (WCXB / Murrough Foley, CC-BY-4.0): 440 pages of 431 sites the HTML parameters were not read
# from. The fast mode became the default on this figure (0.9441 in sample, 0.9432 cross-validated
# by site; precise 0.9381, trafilatura 0.9378): the floor sits 0.005 below it.
DEV2_FAST_F1_FLOOR = 0.939


@pytest.fixture(scope="module")
def measured() -> dict:
    return load_script("evaluate_html").evaluate(SHARED, bootstrap=200)


def test_html_f1_floor_and_trafilatura(measured: dict) -> None:
    ours, theirs = measured["precise"]["f1"], measured["trafilatura"]["f1"]
    assert measured["errors"] == {"precise": 0, "fast": 0}
    assert ours >= F1_FLOOR, f"HTML-mode aeb_macro F1 {ours:.4f} < {F1_FLOOR}"
    assert ours >= theirs, f"HTML-mode F1 {ours:.4f} below trafilatura's {theirs:.4f}"


def test_fast_mode_f1_floor_trafilatura_and_speed(measured: dict) -> None:
    fast, theirs = measured["fast"]["f1"], measured["trafilatura"]["f1"]
    assert fast >= FAST_F1_FLOOR, f"fast-mode aeb_macro F1 {fast:.4f} < {FAST_F1_FLOOR}"
    assert fast >= theirs + 0.01, f"fast-mode F1 {fast:.4f} not trafilatura's {theirs:.4f} + 0.01"
    speed = measured["docs_per_s"]
    assert speed["fast"] > 1.3 * speed["precise"], speed  # CPU time: it skips trafilatura's run


@pytest.mark.skipif(not (SHARED / "data" / "dev2-html.jsonl.gz").is_file(),
                    reason=f"needs the shared dev2 set with HTML at {SHARED / 'data'} (absent here)")
def test_the_default_fast_mode_holds_on_dev2_and_beats_trafilatura_there() -> None:
    """The default mode on pages of sites it was not tuned on (about 40 s: fast mode and
    trafilatura on 440 pages)."""
    from cleaner.engine import PRECISE_DEFAULT

    assert PRECISE_DEFAULT is False
    res = load_script("evaluate_html").evaluate(SHARED, bootstrap=50, name="dev2", modes=("fast",))
    fast, theirs = res["fast"]["f1"], res["trafilatura"]["f1"]
    assert res["errors"] == {"fast": 0}
    assert fast >= DEV2_FAST_F1_FLOOR, f"dev2 fast-mode aeb_macro F1 {fast:.4f} < {DEV2_FAST_F1_FLOOR}"
    assert fast > theirs, f"dev2 fast-mode F1 {fast:.4f} not above trafilatura's {theirs:.4f}"


def test_html_caption_recall(measured: dict) -> None:
    c = measured["captions"]
    assert c["recall"] >= CAPTION_RECALL_FLOOR, f"caption recall {c['recall']:.3f}"
    assert c["leak"] <= 0.05
