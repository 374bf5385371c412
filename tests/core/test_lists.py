"""Lists and teasers: a story's lists (numbered items, a colon lead-in and its items, like-shaped
lines after it) stay; a list of other stories' teasers (headline, summary, headline...) does not."""

from __future__ import annotations

import pytest
from core_helpers import P1, P2, P3, TITLE, builtin_ruleset, doc_from_lines, role_of

from cleaner.core.classify import final_rule
from cleaner.core.headline import topic_words
from cleaner.core.lists import numbered_list, shape, teasers

P = builtin_ruleset().params
TEASERS = (
    "Floods close the coast road",
    "Heavy rain closed the coast road for a second day running on Monday, and more is on the way.",
    "School roof blown off in storm",
    "Pupils were sent home early after strong winds tore the roof off the main hall of the school.",
    "New library opens its doors",
    "The library has room for twice as many books as the old one, and a cafe on the top floor.",
    "Hospital car park to be free",
)


def paragraphs(*blocks: str) -> tuple[str, ...]:
    return tuple(line for b in blocks for line in (b, ""))[:-1]


def numbered(*texts: str) -> set[int]:
    return numbered_list(doc_from_lines(*paragraphs(*texts), upto="features").blocks, P)


def test_three_numbers_in_order_make_a_numbered_list():
    assert numbered("1. Check the piers.", "2) Close the road.", "3. Paint the steel.") == {0, 1, 2}


def test_other_blocks_may_stand_between_numbered_items():
    got = numbered("1. Check the piers.", "The piers have cracks.", "2. Close the road.", "3. Paint it.")
    assert got == {0, 2, 3}


def test_two_numbered_items_or_numbers_out_of_order_are_no_list():
    assert numbered("1. Check the piers.", "2. Close the road.") == set()
    assert numbered("1. Check the piers.", "3. Close the road.", "2. Paint the steel.") == set()


def test_a_number_that_opens_a_sentence_is_no_item():
    assert numbered("2019 was a year of floods.", "2020 was dry.", "2021 was wet again.") == set()


def test_numbered_items_in_the_story_stay_and_are_list_items():
    items = ("1. Check the piers.", "2. Close the road.", "3. Paint the steel.")
    doc = doc_from_lines(*paragraphs(TITLE, P1, items[0], P2, items[1], items[2], P3))
    assert [role_of(doc, t) for t in items] == [("body", "context.numbered_list")] * 3
    assert [b.kind for b in doc.blocks if b.text in items] == ["list_item"] * 3


@pytest.mark.parametrize(
    ("text", "skeleton"),
    [("England (Group A): 10th", "():"), ("Leeds, Town Hall", ","), ("Floods close the coast road", "")],
)
def test_the_shape_of_a_line_is_its_punctuation(text, skeleton):
    assert shape(text) == skeleton


def test_like_shaped_lines_after_the_story_are_its_list():
    table = ("England (Group A): 10 points", "France (Group B): 9 points", "Spain (Group C): 9 points",
             "Italy (Group D): 7 points")
    doc = doc_from_lines(*paragraphs(TITLE, P1, P2, P3, "Qualified teams", *table))
    assert [role_of(doc, t) for t in ("Qualified teams", *table)] == [("body", "context.shaped_list")] * 5
    assert [b.kind for b in doc.blocks[4:]] == ["list_item"] * 5


def test_menu_lines_after_the_story_have_no_shape_and_go():
    doc = doc_from_lines(*paragraphs(TITLE, P1, P2, P3, "News", "Sport", "Weather", "Travel"))
    assert [b.role for b in doc.blocks[4:]] == ["navigation"] * 4


def test_three_like_shaped_lines_are_too_few_for_a_list():
    venues = ("Leeds, Town Hall", "York, Barbican", "Hull, City Hall")
    doc = doc_from_lines(*paragraphs(TITLE, P1, P2, P3, *venues))
    assert [b.role for b in doc.blocks[4:]] == ["navigation"] * 3


def test_a_colon_line_after_the_story_introduces_its_list():
    lead = "The band will play these dates in the new year:"
    items = ("Leeds, Town Hall", "York, Barbican")
    doc = doc_from_lines(*paragraphs(TITLE, P1, P2, P3, lead, *items))
    assert [role_of(doc, t) for t in (lead, *items)] == [("body", "context.colon_list")] * 3
    assert [b.kind for b in doc.blocks[4:]] == ["paragraph", "list_item", "list_item"]


def test_a_colon_line_that_leads_to_links_is_no_list():
    lead = "Read more about this topic:"
    doc = doc_from_lines(*paragraphs(TITLE, P1, P2, P3, lead, "Floods close the coast road", "School roof"))
    assert role_of(doc, lead)[0] != "body"
    assert [b.role for b in doc.blocks[4:]] == ["navigation"] * 3


@pytest.mark.xfail(strict=True, reason="inside the story the colon list's items are smoothed into the body "
                   "before colon_lists runs, so they keep paragraph or heading kinds (the last is a heading)")
def test_the_items_a_colon_line_introduces_inside_the_story_are_list_items():
    items = ("Leeds, Town Hall", "York, Barbican", "Hull, City Hall")
    lead = "The band will play these dates in the new year:"
    doc = doc_from_lines(*paragraphs(TITLE, P1, P2, lead, *items, P3))
    assert [b.kind for b in doc.blocks if b.text in items] == ["list_item"] * 3


def teaser_flags(*texts: str) -> list[bool]:
    rs = builtin_ruleset()
    doc = doc_from_lines(*paragraphs(*texts))
    blocks = doc.blocks
    cf = [b.first_opinion for b in blocks]
    title = blocks[0].text
    topic = topic_words(title, doc.stopwords, P)
    return teasers(blocks, cf, [final_rule(b, rs) for b in blocks], topic, {0}, P)


def test_summaries_between_headlines_of_other_stories_are_teasers():
    flags = teaser_flags(TITLE, *TEASERS, P1, P2, P3)
    assert [i for i, f in enumerate(flags) if f] == [2, 4, 6]


def test_a_summary_that_shares_the_headlines_words_is_no_teaser():
    more = ("Pupils crossed the old bridge to school, before it was repaired, for the last time.",
            "Bus fares to rise in spring")
    flags = teaser_flags(TITLE, *TEASERS, *more, P1, P2, P3)
    assert [i for i, f in enumerate(flags) if f] == [2, 4, 6]  # not 8: it is about the bridge


def test_one_summary_between_two_headlines_is_no_teaser_list():
    flags = teaser_flags(TITLE, *TEASERS[:3], P1, P2, P3)
    assert not any(flags)


def test_a_teaser_list_before_the_story_is_not_body():
    doc = doc_from_lines(*paragraphs(TITLE, *TEASERS, P1, P2, P3))
    assert [b.text for b in doc.blocks if b.role == "body"] == [P1, P2, P3]


def test_a_teaser_shaped_list_with_story_on_both_sides_is_the_storys_own():
    doc = doc_from_lines(*paragraphs(TITLE, P1, P2, *TEASERS, P3, P1.replace("Tuesday", "Monday")))
    assert all(role_of(doc, t)[0] == "body" for t in TEASERS)


def test_items_under_a_related_header_inside_the_page_are_related():
    related = ("Related", "Floods close the coast road", "School roof blown off")
    doc = doc_from_lines(*paragraphs(TITLE, P1, P2, *related, P3, P1.replace("Tuesday", "Monday")))
    assert role_of(doc, "School roof blown off") == ("related", "context.related_list")
