"""Furniture after the story on a full page (rules/tails.yaml): the header of a "more reading"
list, the header of an author's bio, a web form's notices and required-field labels. Small
hand-built documents through clean() with the committed rules and model."""

from __future__ import annotations

from core_helpers import RIVER as P
from core_helpers import RIVER_TITLE as TITLE
from core_helpers import run_lines

from cleaner import clean
from cleaner.core.story import trailing_counters


def blocks(lines: list[str]) -> list[dict]:
    return clean("\n\n".join(lines)).to_dict()["blocks"]


def kept(lines: list[str]) -> list[str]:
    return clean("\n\n".join(lines)).text.split("\n\n")


def rule_of(bs: list[dict], text: str) -> str:
    return next(b["rule"] for b in bs if b["text"] == text)


def test_a_form_after_the_story_goes_with_its_options():
    form = [
        "Fill out the form to get a copy of our guide.",
        "This field is for validation purposes and should be left unchanged.",
        "First Name*", "Last Name*", "Email*", "Company*", "Industry*",
        "Agriculture", "Construction", "Education", "Energy", "Healthcare", "Retail",
        "This field is hidden when viewing the form",
        "Lead Source",
    ]
    got = kept([TITLE, *P, *form])
    assert all(p in got for p in P)
    assert not any(f in got for f in form[1:])
    bs = blocks([TITLE, *P, *form])
    assert rule_of(bs, form[1]) == "tails.form_notice"
    assert rule_of(bs, "Email*") == "tails.form_label"


def test_a_short_form_inside_the_story_goes_and_the_story_goes_on():
    # (a longer one that breaks the main run of prose ends the story, as a related header does)
    form = ["Leave this field blank", "Email*"]
    got = kept([TITLE, *P[:3], *form, *P[3:]])
    assert all(p in got for p in P), "the paragraphs after the form stay"
    assert not any(f in got for f in form)


def test_a_bio_header_after_the_story_ends_it():
    bio = [
        "About Our Expert",
        "Jane Doe",
        "Senior writer, transport",
        "Jane Doe has covered local government and transport for the paper for twelve years, and "
        "she lives near the river with her two dogs.",
    ]
    got = kept([TITLE, *P, *bio])
    assert all(p in got for p in P)
    assert not any(b in got for b in bio)
    assert rule_of(blocks([TITLE, *P, *bio]), "About Our Expert") == "tails.author_bio_header"


def test_a_more_reading_header_after_the_story_ends_it():
    more = [
        "Related guides",
        "How to plan a detour",
        "This guide walks you through the detours around the closed bridge and the bus routes that "
        "replace the old ones.",
        "Explore more",
        "Bridges of the county",
    ]
    got = kept([TITLE, *P, *more])
    assert all(p in got for p in P)
    assert not any(m in got for m in more)
    assert rule_of(blocks([TITLE, *P, *more]), "Related guides") == "tails.more_reading_header"


def test_a_more_reading_header_with_the_story_after_it_only_opens_its_list():
    more = ["Related guides", "How to plan a detour"]
    got = kept([TITLE, *P[:3], *more, *P[3:]])
    assert all(p in got for p in P), "the story after the header goes on"
    assert "Related guides" not in got


def test_the_clean_story_is_unchanged():
    text = "\n\n".join(P)
    assert clean(text).text == text


def test_a_feedback_widget_after_the_story_ends_it():
    widget = ["Was this page helpful?", "YesNo", "Thanks for your feedback!"]
    got = kept([TITLE, *P, *widget])
    assert all(p in got for p in P)
    assert not any(w in got for w in widget)
    assert rule_of(blocks([TITLE, *P, *widget]), "Was this page helpful?") == "tails.feedback_prompt"


# ---- a lone author bio after the story (story.trailing_bio) ----

NAV = ["Home", "Privacy Policy", "Terms of Use"]  # a page: final rules find furniture
BIO = [
    "Jane Doe",
    "Jane Doe has spent twelve years reporting on the county's roads and rivers for the paper, "
    "and she lives near the old bridge with her family.",
]


def test_a_bio_after_the_story_goes_on_a_page():
    lines = [*NAV, TITLE, *P, *BIO, *NAV]
    got = kept(lines)
    assert all(p in got for p in P)
    assert not any(b in got for b in BIO)
    bs = blocks(lines)
    assert rule_of(bs, BIO[1]) == "story.trailing_bio"


def test_the_bio_shape_names_a_person_line_and_her_paragraph():
    from cleaner import load_ruleset
    from cleaner.core.story import _name_core, _opens_with_name

    p = load_ruleset().params
    stop = frozenset({"is", "has", "the", "a", "of"})
    assert _name_core("Brian Stormont, CFP®", p) == ["Brian", "Stormont"]
    assert _name_core("Jean-Luc Aufranc (CNXSoft)", p) == ["Jean-Luc", "Aufranc"]
    assert _name_core("Window direction matters.", p) == []
    assert _opens_with_name("Jane Doe is a writer.", ["Jane", "Doe"], stop)
    assert _opens_with_name("Jane has covered the council for years.", ["Jane", "Doe"], stop)
    # a heading's topic, not a person: "Window Direction" over "Window direction plays..."
    assert not _opens_with_name("Window direction plays a part.", ["Window", "Direction"], stop)


def test_a_list_of_names_with_their_paragraphs_is_the_story():
    items = []
    for name in ("Acme Bridges", "River Works", "Stone Span"):
        items += [name, f"{name} is a builder of small bridges that has worked on several crossings "
                        "in the county over the past decade."]
    lines = [*NAV, TITLE, *P, *items, *NAV]
    got = kept(lines)
    assert all(t in got for t in items), "each name and its paragraph stay"


def test_a_bio_in_a_clean_article_stays():
    text = "\n\n".join([*P, *BIO])
    assert clean(text).text == text



def test_numbers_alone_after_the_storys_last_words_go():
    # "2" (a like count) was kept between the last paragraph and a bio a later step removed:
    # the text would end with it, and cleaning the text again drops it.
    lines = [TITLE, P[0], "3", P[1], "2", "Written by", "Jane Doe"]
    blocks = run_lines("\n\n".join(lines), upto="features").doc.blocks
    decided = [
        ("title", "context.title"), ("body", "context.prose"), ("body", "context.between_prose"),
        ("body", "context.prose"), ("body", "context.between_prose"), ("byline", "bylines.contributed"),
        ("other", "story.trailing_bio"),
    ]
    for b, (role, rule) in zip(blocks, decided, strict=True):
        b.decide(role, rule, "as decided")
    assert trailing_counters(blocks) == 1
    assert (blocks[4].role, blocks[4].rule) == ("widget", "story.trailing_counter")
    assert blocks[2].role == "body"  # a number between two paragraphs stays
    assert trailing_counters(blocks) == 0
