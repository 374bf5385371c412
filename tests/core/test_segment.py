"""Stage 1, segmenting text: blank lines and indentation split blocks, hard wraps join, every
non-blank line lands in exactly one block with its 1-based span."""

from __future__ import annotations

import pytest
from core_helpers import doc_from_lines

from cleaner.core.segment import segment_text, split_lines

WRAPPED = (
    "The council voted on Tuesday to repair the old",
    "bridge before the winter, after inspectors found",
    "cracks in two of its piers during a routine check",
    "in the summer of this year and said it was unsafe.",
    "",
    "Work will start next month and is expected to take",
    "about six weeks, during which the bridge will be",
    "closed to cars but open to people on foot and bikes.",
)


def spans(*lines: str) -> list[tuple[tuple[int, int] | None, str]]:
    return [(b.lines, b.text) for b in doc_from_lines(*lines, upto="segment").blocks]


def test_blank_lines_split_blocks():
    assert spans("One line", "", "Another line", "", "", "A third") == [
        ((1, 1), "One line"), ((3, 3), "Another line"), ((6, 6), "A third"),
    ]


def test_whitespace_only_lines_count_as_blank():
    assert spans("   ", "\t", "Hello", "   ", "World") == [((3, 3), "Hello"), ((5, 5), "World")]


def test_a_change_of_indentation_splits_a_block():
    blocks = doc_from_lines("Title", "", "  indented line", "flush line", upto="segment").blocks
    assert [(b.lines, b.indent, b.text) for b in blocks] == [
        ((1, 1), 0, "Title"), ((3, 3), 2, "indented line"), ((4, 4), 0, "flush line"),
    ]


def test_short_lines_without_a_blank_between_stay_apart():
    # A menu: one item a line, nothing to say they are one paragraph.
    assert spans("Home", "News", "Sport") == [((1, 1), "Home"), ((2, 2), "News"), ((3, 3), "Sport")]


def test_hard_wrapped_lines_of_a_paragraph_join():
    got = spans(*WRAPPED)
    assert [s for s, _ in got] == [(1, 4), (6, 8)]
    assert got[0][1].startswith("The council voted on Tuesday to repair the old bridge before the winter,")
    assert got[0][1].endswith("said it was unsafe.")
    assert "  " not in got[0][1]


def test_in_a_hard_wrapped_text_an_indented_line_starts_a_new_block():
    lines = (*WRAPPED[:4], "    A quoted line that is indented.", *WRAPPED[4:])
    assert [s for s, _ in spans(*lines)] == [(1, 4), (5, 5), (7, 9)]


def test_in_a_hard_wrapped_text_a_short_line_ends_its_paragraph():
    # No blank line between the paragraphs: the short last line of the first one ends it.
    lines = (*WRAPPED[:4], "It will close.", *WRAPPED[5:])
    assert [s for s, _ in spans(*lines)] == [(1, 5), (6, 8)]


def test_a_long_line_stopping_mid_sentence_joins_its_lower_case_continuation():
    got = spans(
        "This line is long enough to be a line of prose, and goes on",
        "with a lower-case line that continues it.",
        "Short one",
        "next line",
    )
    assert got == [
        ((1, 2), "This line is long enough to be a line of prose, and goes on with a lower-case line "
                 "that continues it."),
        ((3, 3), "Short one"),
        ((4, 4), "next line"),
    ]


def test_a_line_ending_a_sentence_does_not_join_the_next():
    got = spans("Line ending in a full stop that is long enough to join maybe.", "and it goes on")
    assert [s for s, _ in got] == [(1, 1), (2, 2)]


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "lone-cr"])
def test_every_line_end_counts_the_same(eol):
    text = eol.join(["Title", "", "First paragraph.", "", "Second paragraph."])
    assert [(b.lines, b.text) for b in segment_text(text)] == [
        ((1, 1), "Title"), ((3, 3), "First paragraph."), ((5, 5), "Second paragraph."),
    ]


def test_mixed_line_ends_are_each_one_line():
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    spans = [b.lines for b in segment_text("a\r\nb\r\n\r\nc\rd\n\ne")]
    assert spans == [(1, 1), (2, 2), (4, 4), (5, 5), (7, 7)]


def test_other_unicode_line_separators_are_not_line_ends():
    # Only \n, \r\n and \r end a line: a form feed or U+2028 inside a line stays in it.
    assert split_lines("a\u2028b\x0cc\nd") == ["a\u2028b\x0cc", "d"]


def test_every_non_blank_line_is_in_exactly_one_block():
    lines = ("Title | Site", "", "  Home", "  News", "", *WRAPPED, "", "", "Share this", "   ", "end")
    blocks = doc_from_lines(*lines, upto="segment").blocks
    covered = [n for b in blocks for n in range(b.lines[0], b.lines[1] + 1)]
    assert sorted(covered) == covered  # in input order, no overlap
    assert len(covered) == len(set(covered))
    non_blank = [i + 1 for i, s in enumerate(lines) if s.strip()]
    assert [n for n in covered if lines[n - 1].strip()] == non_blank
    assert all(lines[b.lines[0] - 1].strip() and lines[b.lines[1] - 1].strip() for b in blocks)


def test_blocks_are_numbered_in_order():
    blocks = doc_from_lines("a", "", "b", "", "c", upto="segment").blocks
    assert [b.index for b in blocks] == [0, 1, 2]


def test_empty_and_blank_texts_have_no_blocks():
    assert segment_text("") == []
    assert segment_text("\n\n  \r\n\t") == []
