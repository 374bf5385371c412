"""Tables inside the story whose cells are numbers alone (cleaner/core/story.py).

A cell such as "+13.1%", "729" or "37% / 40%" matches a cue rule (`boilerplate.counter_only`,
`boilerplate.breadcrumb`: a counter, a trail), which names the role of a block the context
rules left out. Two things follow for a table inside the story:

- `table_cells`: the cells between two short blocks of the story (a row label, another cell)
  join it as `story.table_cell`; a number alone between two paragraphs (a counter) stays out;
- `story_columns`: a block named by a cue rule is not counted as decided by a final rule
  (`by_rule`, `doc_ruled`), so a table of numbers does not make its page read as furniture to
  the story model; the model still leaves such a block as it is (it is `fixed`).
"""

from __future__ import annotations

from core_helpers import P1, P2, builtin_ruleset, run_lines

from cleaner.core.story import table_cells
from cleaner.model import Block

CUES = frozenset(r.id for r in builtin_ruleset().rules if not r.final)
SHORT = builtin_ruleset().params["story_short_words"]
ROWS = [
    "Rank", "School", "1", "Chicago Booth", "37% / 40%", "729", "$175,000", "2", "Kellogg", "31%", "$165,000",
]


def blocks_of(lines: list[str]) -> list[Block]:
    """The lines as blocks with their measures (stage 2)."""
    return run_lines("\n\n".join(lines), upto="features").doc.blocks


def decide_as_the_pipeline(blocks: list[Block]) -> None:
    """Words are the story's (as the model took them), a cell a cue rule names is out."""
    ruleset = builtin_ruleset()
    for b in blocks:
        cue = next((r for r in ruleset.match(b.text, None, b.words) if not r.final), None)
        if cue is not None:
            b.decide(cue.role, cue.id, cue.reason)
        else:
            b.decide("body", "story.model_in", "test")


def test_the_cue_rules_are_the_ones_a_table_cell_matches():
    assert {"boilerplate.counter_only", "boilerplate.breadcrumb"} <= CUES


def test_number_cells_between_short_blocks_of_the_story_join_it():
    blocks = blocks_of([P1, *ROWS, P2])
    decide_as_the_pipeline(blocks)
    assert blocks[3].role == "widget" and blocks[5].role == "navigation"  # what the cues say
    joined = table_cells(blocks, CUES, SHORT)
    cells = [b for b in blocks if b.text in ("1", "37% / 40%", "729", "2", "31%")]
    assert joined == len(cells) == 5
    assert all(b.role == "body" and b.rule == "story.table_cell" and b.reason for b in cells)
    assert [b.rule for b in blocks if b.text in ("Chicago Booth", "$175,000")] == ["story.model_in"] * 2


def test_a_counter_between_two_paragraphs_stays_out():
    blocks = blocks_of([P1, "12", P2])
    decide_as_the_pipeline(blocks)
    assert table_cells(blocks, CUES, SHORT) == 0
    assert (blocks[1].role, blocks[1].rule) == ("widget", "boilerplate.counter_only")


def test_cells_at_the_edge_of_the_story_stay_out():
    # after the story's last block there is no row on the other side: a counter, a score
    blocks = blocks_of([P1, "Rank", "729", "31%"])
    decide_as_the_pipeline(blocks)
    assert table_cells(blocks, CUES, SHORT) == 0
    assert [b.role for b in blocks[2:]] == ["widget", "widget"]


def test_a_block_a_cue_names_is_fixed_but_not_counted_as_ruled():
    run = run_lines(P1, "", "Share", "", "729", "", P2, upto="context")
    sc = run.decision.story
    texts = [b.text for b in run.doc.blocks]
    share, cell = texts.index("Share"), texts.index("729")
    assert run.doc.blocks[share].rule == "boilerplate.share_buttons"  # a final rule
    assert run.doc.blocks[cell].rule == "boilerplate.counter_only"  # a cue rule
    assert sc.cols["by_rule"][share] == 1.0
    assert sc.cols["by_rule"][cell] == 0.0
    assert sc.fixed[share] and sc.fixed[cell]
    assert sc.cols["doc_ruled"][0] == 1.0 / len(texts)


def test_a_table_that_ends_the_story_stays_as_the_model_read_it():
    # no paragraph of the story after the table: cleaning the text again would read its last
    # rows as the story's trailing lines, so its cells are left out (a fixed point)
    blocks = blocks_of([P1, *ROWS])
    decide_as_the_pipeline(blocks)
    assert table_cells(blocks, CUES, SHORT) == 0
