"""A comment thread after a short story (cleaner/core/context.py `_thread_start`).

When the comments under a "Comments" header hold more prose than the story above it, the main
run of prose would lock onto them and take the story's end for the comments' start. A comment
header closely followed by a comment's controls ("Reply") with good prose before it opens the
thread: the main run stays before it and the comments are `comment`. A share row's "Comments"
button is not a comment header's only reading: with no controls after it, nothing changes."""

from __future__ import annotations

from core_helpers import P1, TITLE, result_from_lines, run_lines

from cleaner import clean

COMMENTS = [
    (
        "Sheri says",
        "July 31, 2018 at 2:41 pm",
        "Thanks for sharing this with us, I have been looking for a way to fix the old bridge near our "
        "farm for years and the ideas in your post about the piers and the bearings are exactly what I "
        "needed to show the county engineer when he comes out to look at it next month.",
    ),
    (
        "Jenny says",
        "August 12, 2018 at 8:57 am",
        "Great post about the bridge. I will be featuring this tonight on my own blog, and I hope that "
        "my readers will come over and read about how your town decided to repair the bridge instead of "
        "building a new one, which is what most of the towns around here seem to do these days.",
    ),
    (
        "Andrew says",
        "January 8, 2019 at 2:13 am",
        "We just bought a summer cabin near a bridge like this one, and I am sure that these notes about "
        "the cracks and the inspections will come in handy next year when the council in our county has "
        "to decide what it wants to do about the crossing that the school buses use every day.",
    ),
]


def thread_lines() -> list[str]:
    lines = [TITLE, "", P1, "", "Comments", ""]
    for who, when, said in COMMENTS:
        lines += [who, "", when, "", said, "", "Reply", ""]
    return lines


def test_comments_with_more_prose_than_the_story_do_not_become_the_story():
    result = result_from_lines(*thread_lines())
    assert P1 in result.text
    assert not any(said in result.text for _, _, said in COMMENTS)


def test_the_comments_are_read_as_the_thread():
    doc = run_lines(*thread_lines(), upto="story").doc
    said = {c[2] for c in COMMENTS}
    assert {(b.role, b.rule) for b in doc.blocks if b.text in said} == {("comment", "context.comment_thread")}


def test_a_comments_button_above_the_story_changes_nothing():
    text = "\n\n".join([TITLE, "Share", "Comments", P1, COMMENTS[0][2]])
    result = clean(text)
    assert P1 in result.text and COMMENTS[0][2] in result.text
