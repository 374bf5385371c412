"""Eval gate: the dev-set scores must stay at or above the floors in `tests/eval_floors.json`.

Lowering a floor is a deliberate commit that says why (see the note in that file).
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, SHARED, load_script

FLOORS_FILE = ROOT / "tests" / "eval_floors.json"
FLOORS: dict[str, float] = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))["floors"]

pytestmark = pytest.mark.skipif(
    not ((SHARED / "data" / "dev.jsonl").is_file() and (SHARED / "eval" / "score.py").is_file()),
    reason=f"eval gate needs the shared dev set and scorer at {SHARED} (absent here)",
)


@pytest.fixture(scope="module")
def scores() -> dict:
    """scripts/evaluate.py's `evaluate()` on the dev set, run once."""
    return load_script("evaluate").evaluate(SHARED)


def test_floors_file_is_sane():
    assert set(FLOORS) == {"raw_region.f1", "raw_fullpage.f1", "captions.recall"}
    assert all(0.0 < v <= 1.0 for v in FLOORS.values())


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_score_at_or_above_floor(scores, key):
    group, metric = key.split(".")
    got = scores[group][metric]
    floor = FLOORS[key]
    assert got >= floor, (
        f"{key} fell to {got:.4f}, below its floor {floor:.4f} (tests/eval_floors.json). "
        "Fix the regression, or lower the floor in a commit of its own that says why."
    )
