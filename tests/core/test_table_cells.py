"""Tables inside the story whose cells are numbers alone (cleaner/core/story.py).

A cell such as "+13.1%", "729" or "37% / 40%" matches a cue rule (`boilerplate.counter_only`,
`boilerplate.breadcrumb`: a counter, a trail), which names the role of a block the context
rules left out. Two things follow for a table inside the story:

- `table_cells`: the cells between two short blocks of the story (a row label, another cell)
  join it as `story.table_cell`; a number alone between two paragraphs (a counter) stays out;
- `data_tables`: a stretch left out between two kept blocks of the story that is a table of data
  (many distinct cells of numbers alone; its other lines short lines or prose the context rules
  left out for place) joins it whole as `story.data_table`: header, labels and cells;
- `story_columns`: a block named by a cue rule is not counted as decided by a final rule
  (`by_rule`, `doc_ruled`), so a table of numbers does not make its page read as furniture to
  the story model; the model still leaves such a block as it is (it is `fixed`).
"""

from __future__ import annotations

from core_helpers import P1, P2, P3, TITLE, builtin_ruleset, run_lines

from cleaner import load_ruleset
from cleaner.core.story import data_tables, table_cells
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


# ---- data_tables: a table of data between two kept blocks of the story ---------------------------

PARAMS = builtin_ruleset().params
SERIES = ["Date", "Change in price (YoY)", "1/1/2013", "+13.1%", "2/1/2013", "+12.5%", "3/1/2013", "+9.9%"]


def stretch(*decided: tuple[str, str, str]) -> list[Block]:
    """Blocks measured, each with the (text, role, rule) given: the decisions before the stage."""
    blocks = blocks_of([t for t, _, _ in decided])
    for b, (_, role, rule) in zip(blocks, decided, strict=True):
        b.decide(role, rule, "as decided")
    return blocks


def series_between(first: tuple[str, str, str], last: tuple[str, str, str]) -> list[Block]:
    rows = [(t, "navigation", "context.outside_short") if any(c.isalpha() for c in t)
            else (t, "widget", "boilerplate.counter_only") for t in SERIES]
    return stretch(first, *rows, last)


def test_a_time_series_between_two_paragraphs_of_the_story_joins_it_whole():
    blocks = series_between((P1, "body", "story.model_in"), (P2, "body", "story.model_in"))
    assert data_tables(blocks, PARAMS) == len(SERIES)
    assert all(b.role == "body" and b.rule == "story.data_table" and b.reason for b in blocks[1:-1])


def test_a_table_after_the_story_stays_out():
    # nothing of the story follows it: a market ticker or a results box under the article
    related = ("Related stories", "related", "sections.related_header")
    blocks = series_between((P1, "body", "story.model_in"), related)
    assert data_tables(blocks, PARAMS) == 0
    assert blocks[3].role == "widget"


def test_a_rule_named_line_keeps_the_stretch_out():
    # a product box: its button is furniture a rule names, so the scores beside it are the box's
    rows = [("Check price", "advert", "boilerplate.price_button")] + [
        (t, "widget", "boilerplate.counter_only") for t in ("90", "83", "80", "77", "75")]
    blocks = stretch((P1, "body", "story.model_in"), *rows, (P2, "body", "story.model_in"))
    assert data_tables(blocks, PARAMS) == 0


def test_a_rating_widget_repeating_its_values_stays_out():
    rows = [(t, "widget", "boilerplate.counter_only") for t in ("1", "2", "3", "4", "5") * 3]
    blocks = stretch((P1, "body", "story.model_in"), *rows, (P2, "body", "story.model_in"))
    assert data_tables(blocks, PARAMS) == 0


def test_a_few_numbers_among_short_lines_are_no_table():
    short, cell = ("navigation", "context.outside_short"), ("widget", "boilerplate.counter_only")
    rows = [("Menu", *short), ("12", *cell), ("Sport", *short), ("3", *cell),
            ("Travel", *short), ("Weather", *short)]
    blocks = stretch((P1, "body", "story.model_in"), *rows, (P2, "body", "story.model_in"))
    assert data_tables(blocks, PARAMS) == 0


def test_switched_off_the_pipeline_leaves_the_table_out(tmp_path):
    # a page (a share row and a newsletter line: no clean article), the table inside its story
    text = "\n\n".join(["Share on Facebook", TITLE, P1, *SERIES, P2, P3, "Sign up for our newsletter"])
    off_rules = "version: 1\nparams:\n  data_tables_on: 0\nrules: []\n"
    (tmp_path / "off.yaml").write_text(off_rules, encoding="utf-8")
    on = run_lines(text, upto="story").doc.blocks
    off = run_lines(text, upto="story", ruleset=load_ruleset([tmp_path])).doc.blocks
    cell = SERIES.index("+12.5%") + 3
    assert on[cell].text == off[cell].text == "+12.5%"
    assert (on[cell].role, on[cell].rule) == ("body", "story.data_table")
    assert off[cell].role not in ("body", "standfirst")
