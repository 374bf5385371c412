"""Furniture inside the story and in-story lines taken as its end (issue 9, items 3 and 4), on
small hand-built documents:

- a table of contents (a contents header, then lines that each repeat a heading further down)
  is navigation (`lists.contents_lists`, `context.contents_list`), the headings stay, and what
  lies between the first and the last heading it names is story unless a rule named it
  (`lists.contents_sections`, `context.contents_section`);
- a source line with a fair share of the story after it cites a figure: the story goes on
  (`context._source_ends`, `source_end_after_share`);
- a thread of comments whose date-and-time stamps a date rule names ends the story at the
  first stamp (`context._comment_stamps`, `comment_stamps_min`);
- a widget's settings dumped as JSON text are no story (`boilerplate.data_dump`).
"""

from __future__ import annotations

from core_helpers import P1, P2, P3, TITLE, builtin_ruleset, result_from_lines, role_of, run_lines

from cleaner.core.lists import contents_lists, contents_sections
from cleaner.model import Block

P4 = (
    "Residents who live on the east bank of the river will have to drive around through the next "
    "village, which adds about twenty minutes to the trip into the town centre."
)
P5 = (
    "The contractor said the steel for the new deck has been ordered and should arrive in the "
    "first week of next month, weather permitting, so the crews can start on time."
)
P6 = (
    "Shop owners near the bridge worry that fewer customers will come while it is closed, and "
    "the council has promised them a small grant to cover part of the lost trade."
)


def paragraphs(*blocks: str) -> tuple[str, ...]:
    """Each block a paragraph of its own (a blank line between them)."""
    return tuple(line for b in blocks for line in (b, ""))[:-1]


def body_texts(*blocks: str) -> list[str]:
    return [b["text"] for b in result_from_lines(*paragraphs(*blocks)).body]


# ---- a table of contents ------------------------------------------------------------------------

H1, H2, H3 = "Why the bridge is closing", "What the repairs will cost", "How to get around it"


def test_a_table_of_contents_inside_the_story_is_navigation():
    doc = run_lines(*paragraphs(
        TITLE, P1, "Table of Contents", H1, H2, H3, H1, P2, H2, P3, P4, H3, P5, P6,
    ), upto="story").doc
    toc = [b for b in doc.blocks if b.rule == "context.contents_list"]
    assert [b.text for b in toc] == ["Table of Contents", H1, H2, H3]
    assert all(b.role == "navigation" for b in toc)
    kept = [b.text for b in doc.blocks if b.role == "body"]
    assert kept == [P1, H1, P2, H2, P3, P4, H3, P5, P6]  # each heading once, where its section starts


def test_numbered_entries_and_a_toggle_line_belong_to_the_table():
    doc = run_lines(*paragraphs(
        TITLE, P1, "Contents", "Toggle", "1. " + H1, "2. " + H2, "3. " + H3, H1, P2, P3, H2, P4, P5, H3, P6,
    ), upto="story").doc
    toc = [b.text for b in doc.blocks if b.rule == "context.contents_list"]
    assert toc == ["Contents", "Toggle", "1. " + H1, "2. " + H2, "3. " + H3]


def test_a_contents_header_over_lines_that_repeat_nothing_is_left_alone():
    # A list under the header whose lines are not headings further down: no table of contents.
    blocks = body_texts(TITLE, P1, P2, "In this article", "Steel deck", "New railings", P3, P4, P5)
    assert "Steel deck" in blocks and "New railings" in blocks


def test_contents_lists_needs_entries_that_repeat_later():
    p = builtin_ruleset().params
    lines = ["Table of contents", "Alpha beta", "Gamma delta", "Alpha beta", "Gamma delta"]
    blocks = run_lines("\n\n".join(lines), upto="features").doc.blocks
    assert contents_lists(blocks, [0], p) == 3
    assert [b.rule for b in blocks[:3]] == ["context.contents_list"] * 3
    fresh: list[Block] = run_lines("\n\n".join(lines[:3]), upto="features").doc.blocks
    assert contents_lists(fresh, [0], p) == 0  # the entries repeat nothing after them


def test_contents_lists_names_the_headings_its_entries_link_to():
    p = builtin_ruleset().params
    lines = ["Table of contents", "Alpha beta", "2. Gamma delta", "Intro text", "Alpha beta", "Gamma delta"]
    blocks = run_lines("\n\n".join(lines), upto="features").doc.blocks
    targets: list[int] = []
    contents_lists(blocks, [0], p, targets)
    assert sorted(targets) == [4, 5]  # the headings, not the entries or the text between


def _sections(*decided: tuple[str, str, str]) -> list[Block]:
    """Blocks measured, each with the (text, role, rule) given: the story stage's decisions."""
    blocks = run_lines("\n\n".join(t for t, _, _ in decided), upto="features").doc.blocks
    for b, (_, role, rule) in zip(blocks, decided, strict=True):
        b.decide(role, rule, "as decided")
    return blocks


def test_the_sections_a_table_of_contents_names_are_story():
    blocks = _sections(
        ("Menu entry", "navigation", "context.outside_short"),
        (H1, "navigation", "context.outside_short"),  # the first heading the table names
        ("Features", "navigation", "context.outside_short"),
        ("Servers: twelve cores each", "navigation", "context.outside_short"),
        ("Share on Facebook", "share", "boilerplate.share_row"),
        ("From $30 a month", "navigation", "context.outside_short"),
        (P2, "other", "story.model_out"),
        (H2, "body", "context.between_prose"),  # the last one
        ("Related posts", "navigation", "context.outside_short"),
    )
    assert contents_sections(blocks, [7, 1]) == 4
    assert [b.rule for b in blocks] == [
        "context.outside_short", "context.contents_section", "context.contents_section",
        "context.contents_section", "boilerplate.share_row", "context.outside_short",
        "context.contents_section", "context.between_prose", "context.outside_short",
    ]
    assert all(blocks[k].role == "body" for k in (1, 2, 3, 6))


def test_one_heading_named_is_no_span():
    blocks = _sections(
        (H1, "navigation", "context.outside_short"), ("Features", "navigation", "context.outside_short"),
    )
    assert contents_sections(blocks, [0]) == 0
    assert [b.role for b in blocks] == ["navigation", "navigation"]


def test_a_contents_header_is_a_cue_not_a_final_rule():
    rule = builtin_ruleset().by_id("sections.contents_header")
    assert not rule.final and rule.kind == "contents"


# ---- a source line in mid-story -----------------------------------------------------------------


def test_a_source_line_with_much_of_the_story_after_it_cites_a_figure():
    kept = body_texts(TITLE, P1, P2, P3, "Source: Transport Agency", P4, P5, P6)
    assert kept == [P1, P2, P3, P4, P5, P6]


def test_a_source_line_near_the_end_still_ends_the_story():
    doc = run_lines(*paragraphs(TITLE, P1, P2, P3, P4, P5, "Source: Transport Agency", P6)).doc
    assert role_of(doc, "Source: Transport Agency") == ("source", "labels.source_line")
    assert role_of(doc, P6)[0] != "body"


# ---- a comment thread of dated comments ---------------------------------------------------------

C1 = "This is long overdue, the old bridge has been shaking for years now whenever a bus goes over."
C2 = "Twenty minutes each way is a lot for people who work in town, I hope they hurry up with it."
C3 = "Will the footpath stay open while the crews work on the deck, or do walkers go round too?"


def test_dated_comments_after_the_story_are_a_thread():
    doc = run_lines(*paragraphs(
        TITLE, P1, P2, P3, P4,
        "Anna says:", "October 17, 2008 at 11:22 am", C1,
        "Ben says:", "November 7, 2008 at 12:48 pm", C2,
        "Cleo says:", "November 19, 2008 at 3:42 pm", C3,
    ), upto="story").doc
    kept = [b.text for b in doc.blocks if b.role == "body"]
    assert kept == [P1, P2, P3, P4]
    assert role_of(doc, "October 17, 2008 at 11:22 am") == ("comment", "comments.comment_timestamp")
    assert role_of(doc, C2) == ("comment", "context.comment_thread")


def test_one_dated_line_is_no_thread():
    kept = body_texts(TITLE, P1, P2, "October 17, 2008 at 11:22 am", P3, P4)
    assert kept[-2:] == [P3, P4]


# ---- a widget's settings dumped as text ---------------------------------------------------------

DUMP = ('{"layoutMobile":2,"layoutDesktop":4,"buttonAlign":"Center","buttonText":"Buy now",'
        '"productTitle":{"hue":213,"brightness":20},"price":{"hue":0,"size":14},"shadow":false,"gap":12}')


def test_a_json_dump_inside_the_story_is_not_story():
    doc = run_lines(*paragraphs(TITLE, P1, P2, DUMP, P3, P4)).doc
    assert role_of(doc, DUMP) == ("other", "boilerplate.data_dump")
    assert body_texts(TITLE, P1, P2, DUMP, P3, P4) == [P1, P2, P3, P4]


def test_a_blog_platforms_widget_lines_inside_the_story_go():
    lines = (TITLE, P1, P2, "Like this:", "Like Loading...", P3, "Δ", P4)
    doc = run_lines(*paragraphs(*lines)).doc
    for line in lines[3:5] + lines[6:7]:
        assert role_of(doc, line) == ("widget", "boilerplate.blog_widget")
    assert body_texts(*lines) == [P1, P2, P3, P4]


def test_a_comment_forms_call_to_comment_ends_the_story():
    lines = (TITLE, P1, P2, P3, P4, "Be the first to comment", "Add a new comment", C1)
    doc = run_lines(*paragraphs(*lines)).doc
    assert role_of(doc, "Be the first to comment") == ("comment", "comments.comment_header")
    assert [b.text for b in doc.blocks if b.role == "body"] == [P1, P2, P3, P4]
