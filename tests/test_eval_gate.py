"""Eval gate: the dev-set scores must stay at or above the floors in `tests/eval_floors.json`.

Both dev sets (dev.jsonl; dev2.jsonl from WCXB / Murrough Foley, CC-BY-4.0), both inputs, in
sample on the committed rules/ (the fitted story model is not refitted here): aeb_macro F1,
title_exact on dev2, the clean-article recall, caption recall.

Lowering a floor is a deliberate commit that says why (see the note in that file).
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, SHARED, load_script

FLOORS_FILE = ROOT / "tests" / "eval_floors.json"
FLOORS: dict[str, float] = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))["floors"]

pytestmark = pytest.mark.skipif(
    not (
        (SHARED / "data" / "dev.jsonl").is_file() and (SHARED / "data" / "dev2.jsonl").is_file()
        and (SHARED / "eval" / "score.py").is_file()
    ),
    reason=f"eval gate needs the shared dev sets and scorer at {SHARED} (absent here)",
)


@pytest.fixture(scope="module")
def scores() -> dict:
    """scripts/evaluate.py's `evaluate()` on the dev set, run once."""
    return load_script("evaluate").evaluate(SHARED, reclean=False)


def test_floors_file_is_sane():
    assert set(FLOORS) == {
        "dev.raw_region.f1", "dev.raw_fullpage.f1", "dev2.raw_region.f1", "dev2.raw_fullpage.f1",
        "dev2.raw_region.title_exact", "dev2.raw_fullpage.title_exact", "dev.clean_article.r",
        "dev2.clean_article.r", "captions.recall",
    }
    assert all(0.0 < v <= 1.0 for v in FLOORS.values())


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_score_at_or_above_floor(scores, key):
    group, metric = key.rsplit(".", 1)
    got = scores[group][metric]
    floor = FLOORS[key]
    assert got >= floor, (
        f"{key} fell to {got:.4f}, below its floor {floor:.4f} (tests/eval_floors.json). "
        "Fix the regression, or lower the floor in a commit of its own that says why."
    )
