"""`title_in_story` (cleaner/core/story.py): a first body block the context rules promoted to
the title goes back to the body when the story model then took blocks above it into the story
(cleaning the clean text again would otherwise cut that line out of the middle of its story);
a title above the whole story, or a page's title line, stays the title."""

from __future__ import annotations

from core_helpers import P1, P2, builtin_ruleset

from cleaner.core.segment import segment_text
from cleaner.core.story import title_in_story
from cleaner.model import Block

HEAD = "Origin of the word"


def blocks_of(lines: list[str]) -> list[Block]:
    return segment_text("\n\n".join(lines), builtin_ruleset().params)


def decided(blocks: list[Block], roles: list[tuple[str, str]]) -> None:
    for b, (role, rule) in zip(blocks, roles, strict=True):
        b.decide(role, rule, "test")


def test_a_promoted_title_below_story_blocks_goes_back_to_the_body():
    blocks = blocks_of([P1, HEAD, P2])
    decided(blocks, [("body", "story.model_in"), ("title", "context.title_first_block"),
                     ("body", "context.prose")])
    assert title_in_story(blocks)
    assert [b.role for b in blocks] == ["body"] * 3
    assert blocks[1].rule == "story.title_in_story" and blocks[1].reason


def test_a_promoted_title_over_the_whole_story_stays():
    blocks = blocks_of([HEAD, P1, P2])
    decided(blocks, [("title", "context.title_first_block"), ("body", "context.prose"),
                     ("body", "context.prose")])
    assert not title_in_story(blocks)
    assert blocks[0].role == "title"


def test_the_page_title_line_is_not_moved():
    blocks = blocks_of([P1, HEAD, P2])
    decided(blocks, [("body", "story.model_in"), ("title", "context.title"), ("body", "context.prose")])
    assert not title_in_story(blocks)
    assert blocks[1].role == "title"

