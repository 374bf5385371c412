"""Short lines between two paragraphs the story model took in (cleaner/core/story.py,
`model_gaps`, rule `story.model_gap`).

When the story model takes paragraphs outside the context rules' main run into the story, the
short lines between them (a code listing's lines, a step's heading, a product's name and price)
stayed out as `context.outside_short`. A short stretch of such lines between two long enough
kept paragraphs joins the story; a menu (its items of one or two words), a stretch a rule
named, one beside a short sentence or one longer than `model_gap_blocks` stays out.
"""

from __future__ import annotations

import json

from conftest import SHARED, needs_shared
from core_helpers import P1, P2, builtin_ruleset, run_lines

from cleaner import clean, load_ruleset
from cleaner.core.story import model_gaps
from cleaner.model import Block

PARAMS = builtin_ruleset().params
MODEL_IN = ("body", "story.model_in")
SHORT = ("navigation", "context.outside_short")
CODE = ["Terminal", "function identity<T>(arg: T): T {", "return arg", "console.log(result) // Output: 10"]


def stretch(*decided: tuple[str, str, str]) -> list[Block]:
    """Blocks measured (stage 2), each with the (text, role, rule) given."""
    blocks = run_lines("\n\n".join(t for t, _, _ in decided), upto="features").doc.blocks
    for b, (_, role, rule) in zip(blocks, decided, strict=True):
        b.decide(role, rule, "as decided")
    return blocks


def between(lines: list[str], first: str = P1, last: str = P2, line_as=SHORT) -> list[Block]:
    return stretch((first, *MODEL_IN), *[(t, *line_as) for t in lines], (last, *MODEL_IN))


def test_the_lines_of_a_code_listing_between_two_paragraphs_join_the_story():
    blocks = between(CODE)
    assert model_gaps(blocks, PARAMS) == len(CODE)
    assert all(b.role == "body" and b.rule == "story.model_gap" and b.reason for b in blocks[1:-1])
    assert blocks[0].rule == blocks[-1].rule == "story.model_in"


def test_a_menu_between_two_paragraphs_stays_out():
    menu = ["Video", "All Videos", "News", "Weather", "Autos & More", "Station Info"]
    blocks = between(menu)
    assert model_gaps(blocks, PARAMS) == 0
    assert all(b.rule == "context.outside_short" for b in blocks[1:-1])


def test_beside_a_short_sentence_the_lines_stay_out():
    # a mega-menu whose blurbs the model took in one by one: its sentences are short
    blocks = between(CODE, first="See how customers work faster with our tools.")
    assert model_gaps(blocks, PARAMS) == 0


def test_a_line_a_rule_named_keeps_the_stretch_out():
    lines = [(t, *SHORT) for t in CODE] + [("Share on Facebook", "share", "boilerplate.share_buttons")]
    blocks = stretch((P1, *MODEL_IN), *lines, (P2, *MODEL_IN))
    assert model_gaps(blocks, PARAMS) == 0


def test_a_long_stretch_is_no_gap():
    lines = [f"Step {k} of the long list" for k in range(PARAMS["model_gap_blocks"] + 1)]
    assert model_gaps(between(lines), PARAMS) == 0
    assert model_gaps(between(lines[: PARAMS["model_gap_blocks"]]), PARAMS) == PARAMS["model_gap_blocks"]


def test_lines_after_the_story_stay_out():
    blocks = stretch((P1, *MODEL_IN), (P2, *MODEL_IN), *[(t, *SHORT) for t in CODE])
    assert model_gaps(blocks, PARAMS) == 0


@needs_shared
def test_a_tutorial_page_keeps_its_code_and_switched_off_drops_it(tmp_path):
    # dev2 (WCXB / Murrough Foley, CC-BY-4.0): a TypeScript guide whose first sections the model
    # took in paragraph by paragraph; its code lines between them are the guide's too
    with open(SHARED / "data" / "dev2.jsonl", encoding="utf-8") as f:
        row = next(r for r in map(json.loads, f) if r["id"] == "wcxb-test-5413")
    line = "function loggingIdentity<T>(arg: T[]): T[] {"
    on = clean(row["raw_fullpage"], url=row["url"], ruleset=load_ruleset([]))
    off_rules = "version: 1\nparams:\n  model_gaps_on: 0\nrules: []\n"
    (tmp_path / "off.yaml").write_text(off_rules, encoding="utf-8")
    off = clean(row["raw_fullpage"], url=row["url"], ruleset=load_ruleset([tmp_path]))
    assert line in on.text.splitlines() and line not in off.text.splitlines()
    assert [b["rule"] for b in on.blocks if b["text"] == line] == ["story.model_gap"]
    assert on.text.count("\n\n") > off.text.count("\n\n")
