"""scripts/evaluate.py --losses: where a page's loss comes from, by the rule that decided each block."""

from __future__ import annotations

from collections import Counter

from conftest import load_script
from test_story import TITLE, P

from cleaner import clean

STORY = P[:3]  # the story model's test paragraphs


def test_losses_count_story_removed_and_furniture_kept_by_rule():
    ev = load_script("evaluate")
    res = clean("\n\n".join([TITLE, *STORY]))
    kept = [b for b in res.to_dict()["blocks"] if b["role"] in ("body", "standfirst")]
    assert len(kept) == len(STORY)
    # gold: the first two paragraphs and one the engine never saw; the third kept is not gold
    gold = "\n\n".join([*STORY[:2], "A paragraph of the story that the input did not hold at all."])
    missed, kept_bad = Counter(), Counter()
    ev.block_losses(gold, res, missed, kept_bad)
    assert not missed, "nothing of the gold that the input holds was removed"
    assert len(kept_bad) == 1
    (key, share), = kept_bad.items()
    assert key.endswith("=") and 0.2 < share < 0.5  # a third of the kept tokens, among the kept blocks

    # a menu row above the story that the gold holds: removed story, counted before the first kept
    menu = "Home | News | Sport | Weather"
    res2 = clean("\n\n".join([TITLE, menu, *STORY]))
    assert menu not in res2.text
    missed2, kept2 = Counter(), Counter()
    ev.block_losses(menu + "\n\n" + "\n\n".join(STORY), res2, missed2, kept2)
    assert not kept2
    (key2, share2), = missed2.items()
    assert key2.endswith("<") and 0 < share2 < 0.1
