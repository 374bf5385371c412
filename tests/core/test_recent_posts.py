"""A "Recent Posts" (or "Recent Articles", "Similar posts") header after the story ends it like
the other related-stories headers (rules/sections.yaml `related_header`): the items under it
(a post's tags, its title, its author) are teasers of other posts, not the story going on."""

from __future__ import annotations

from core_helpers import P1, P2, P3, TITLE, result_from_lines, role_of, run_lines

POSTS = [
    ("Bridges, Council meetings, Road works, Town planning, Winter", "Why the Old Mill Bridge Closed Twice"),
    ("Council meetings, Budgets, Road works, Town planning", "What the New Budget Means for Our Roads"),
    ("Bridges, Engineering, Inspections, Rivers, Safety", "Inside the Inspection of the River Crossings"),
    ("Cycling, Road works, Safety, Town planning, Walking", "A Year of Cycling Across the New Bridge"),
    ("Budgets, Council meetings, Elections, Town planning", "Five Questions for the Candidates for Mayor"),
]


def page() -> list[str]:
    lines = [TITLE, "", P1, "", P2, "", P3, "", "Recent Posts", ""]
    for tags, title in POSTS:
        lines += [tags, "", title, "", "Jordan Miles", ""]
    return lines


def test_a_recent_posts_header_ends_the_story():
    doc = run_lines(*page(), upto="context").doc
    assert role_of(doc, "Recent Posts") == ("related", "sections.related_header")
    result = result_from_lines(*page())
    assert P1 in result.text and P3 in result.text
    assert not any(title in result.text or tags in result.text for tags, title in POSTS)
