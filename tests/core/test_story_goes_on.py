"""Where the story goes on past the model's reading (cleaner/core/story.py).

`model_gaps` (`story.model_gap`): when the story model takes paragraphs outside the context
rules' main run into the story, the short lines between them (a code listing's lines, a step's
heading, a product's name and price) stayed out as `context.outside_short`. A short stretch of
such lines between two long enough kept paragraphs joins the story; a menu (its items of one or
two words), a stretch a rule named, one beside a short sentence or one longer than
`model_gap_blocks` stays out.

`repeated_sections` (`story.repeated_section`): a story of like sections goes on after its last
kept block while its short section labels come back.
"""

from __future__ import annotations

import json

from conftest import SHARED, needs_shared
from core_helpers import P1, P2, builtin_ruleset, run_lines

from cleaner import clean, load_ruleset
from cleaner.core.story import model_gaps, repeated_sections
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


# --- repeated_sections: the story's section labels come back after its last kept block --------

SECTION = ["Best For", "Couples", "Hot sleepers", "Considerations", "Premium price ($1,795 for a queen)",
           "Our Verdict"]
VERDICT = ("The mattress balances comfort and support for most sleepers, and its coils keep it cool "
           "all night long.")


def review(products: int, kept: int, after: list[tuple[str, str, str]] | None = None) -> list[Block]:
    """A review of `products` like sections; the first `kept` of them are kept story."""
    rows: list[tuple[str, str, str]] = [(P1, *MODEL_IN)]
    for k in range(products):
        decided = ("body", "context.between_prose") if k < kept else SHORT
        prose = ("body", "context.prose") if k < kept else ("other", "context.outside_prose")
        rows += [(f"Mattress number {k}", *decided)] + [(t, *decided) for t in SECTION] + [(VERDICT, *prose)]
    return stretch(*rows, *(after or []))


def test_like_sections_after_the_story_join_it():
    after = [("Related Posts", "related", "sections.related_header"), ("Best Firm Mattress", *SHORT)]
    blocks = review(4, 2, after)
    joined = repeated_sections(blocks, PARAMS)
    section = len(SECTION) + 2
    assert joined == 2 * section
    assert all(b.role == "body" and b.rule == "story.repeated_section" and b.reason
               for b in blocks[1 + 2 * section: 1 + 4 * section])
    assert blocks[-2].rule == "sections.related_header" and blocks[-1].role == "navigation"


def test_the_stretch_ends_as_far_after_the_last_label_as_labels_lie_apart():
    # a footer of short lines after the last section: the labels lie at most 3 blocks apart
    # (verdict, next product's name, its first label), so 3 blocks after the last label the
    # stretch ends: the verdict and two footer lines join, the rest stays out
    footer = [(t, *SHORT) for t in ("About Us", "Careers", "Press", "Contact", "Terms", "Privacy")] * 3
    blocks = review(3, 1, footer)
    section = len(SECTION) + 2
    assert repeated_sections(blocks, PARAMS) == 2 * section + 2
    assert all(b.rule == "context.outside_short" for b in blocks[-len(footer) + 2:])


def test_labels_that_do_not_come_back_often_leave_the_tail_out():
    blocks = review(2, 1)  # one section after the story: its labels come back once each
    assert repeated_sections(blocks, PARAMS) == (len(SECTION) + 2 if PARAMS["repeat_min_labels"] <= 3 else 0)
    menu = [(t, *SHORT) for t in ("News", "Sport", "Weather", "News", "Sport")]
    assert repeated_sections(stretch((P1, *MODEL_IN), ("Weather", "body", "context.between_prose"),
                                     (P2, *MODEL_IN), *menu), PARAMS) == 0


def test_like_sections_left_out_between_kept_blocks_join_the_story():
    # the model took the first section and the last one in; the two between were left out
    blocks = review(4, 1)
    section = len(SECTION) + 2
    last = blocks[1 + 3 * section: 1 + 4 * section]
    for b in last:
        b.decide("body", "story.model_in", "as decided")
    assert repeated_sections(blocks, PARAMS) == 2 * section
    assert all(b.rule == "story.repeated_section" for b in blocks[1 + section: 1 + 3 * section])
    assert [b.rule for b in last] == ["story.model_in"] * section
