"""`bridge_pre_story` (cleaner/core/story.py): short lines above the context rules' first kept
block, which the story model may not take in on their own, join the story when the model took
the paragraphs on both sides of them (a spec list or a table between the story's first
paragraphs), and stay out otherwise (a menu above the story)."""

from __future__ import annotations

from core_helpers import P1, P2, builtin_ruleset

from cleaner.core.segment import segment_text
from cleaner.core.story import StoryColumns, bridge_pre_story
from cleaner.model import Block

SPEC = ["Compact Weight Bench", "Brand Recommendation: Echo Flat Bench", "Price: $299"]


def blocks_of(lines: list[str]) -> list[Block]:
    return segment_text("\n\n".join(lines), builtin_ruleset().params)


def decided(blocks: list[Block], roles: list[str]) -> None:
    for b, role in zip(blocks, roles, strict=True):
        b.decide(role, "story.model_in" if role == "body" else "context.outside_short", "test")


def columns(pre: list[bool]) -> StoryColumns:
    return StoryColumns(cols={"pre_story": [float(x) for x in pre]}, fixed=list(pre), kept=[False] * len(pre))


def test_a_spec_list_between_two_kept_paragraphs_joins_the_story():
    blocks = blocks_of([P1, *SPEC, P2])
    decided(blocks, ["body", "navigation", "navigation", "navigation", "body"])
    bridge_pre_story(blocks, columns([False, True, True, True, False]))
    assert [b.role for b in blocks] == ["body"] * 5
    assert [b.rule for b in blocks[1:4]] == ["story.bridged"] * 3
    assert all(b.reason for b in blocks)


def test_a_menu_above_the_first_kept_paragraph_stays_out():
    blocks = blocks_of([*SPEC, P1, P2])
    decided(blocks, ["navigation", "navigation", "navigation", "body", "body"])
    bridge_pre_story(blocks, columns([True, True, True, False, False]))
    assert [b.role for b in blocks[:3]] == ["navigation"] * 3


def test_short_lines_with_furniture_after_them_stay_out():
    blocks = blocks_of([P1, *SPEC, "Share this story", P2])
    decided(blocks, ["body", "navigation", "navigation", "navigation", "share", "body"])
    bridge_pre_story(blocks, columns([False, True, True, True, False, False]))
    assert [b.role for b in blocks[1:4]] == ["navigation"] * 3


def test_lines_the_model_could_decide_are_not_bridged():
    # not pre-story lines (the model had them in reach and left them out): they stay out
    blocks = blocks_of([P1, *SPEC, P2])
    decided(blocks, ["body", "navigation", "navigation", "navigation", "body"])
    bridge_pre_story(blocks, columns([False] * 5))
    assert [b.role for b in blocks[1:4]] == ["navigation"] * 3
