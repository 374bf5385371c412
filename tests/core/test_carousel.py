"""After a related-stories header, prose the page repeats is no story going on
(cleaner/core/context.py `_story_resumes`): a carousel prints its slides twice (cloned for the
scrolling), testimonials or cards; a story's paragraphs are printed once. Prose after the list
that the page prints once still resumes the story."""

from __future__ import annotations

from core_helpers import P1, P2, P3, TITLE, doc_from_lines, result_from_lines, role_of

QUOTES = [
    (
        "Great doctors and staff who genuinely care about you and your children, and the clinic is "
        "always kept very clean, which is why we have been coming here for many years now.",
        "Mallory R.",
    ),
    (
        "Everyone at the office has been great with us, it has been easy to set up appointments and "
        "the communication with the nurses has been excellent every single time we have called.",
        "Brittany M.",
    ),
]
P4 = (
    "Engineers will first shore up the piers with steel frames, then replace the worn bearings and "
    "finally resurface the deck with a new layer of asphalt before the road opens again."
)
LIST = ["More Videos", "", "Summer Safety Tips for Kids", "", "Well-Child Checks for Ages 4-10", ""]


def page(after: list[str]) -> list[str]:
    return [TITLE, "", P1, "", P2, "", P3, "", *LIST, *after]


def slides() -> list[str]:
    lines = []
    for _ in range(2):  # the carousel's slides, then their clones
        for quote, name in QUOTES:
            lines += [quote, "", name, ""]
    return lines


def test_a_carousel_after_a_related_list_is_not_the_story_going_on():
    result = result_from_lines(*page(slides()))
    assert P1 in result.text and P3 in result.text
    assert not any(quote in result.text for quote, _ in QUOTES)


def test_prose_printed_once_after_the_list_resumes_the_story():
    result = result_from_lines(*page([P4]))
    assert P4 in result.text



def test_the_story_resumes_after_a_long_list_under_a_related_header():
    # A guide's "More on <topic>" list of twenty links, then the guide goes on at length: up to
    # `resume_look_ahead` (32) blocks after the header, the context rules see the story resume
    # (the story model need not rescue it), and the list stays related.
    links = [line for k in range(20) for line in (f"Guide number {k + 1} to the bridges of the county", "")]
    lines = [TITLE, "", P1, "", P2, "", "More on the bridges", "", *links, P3, "", P4]
    doc = doc_from_lines(*lines)
    assert role_of(doc, P3) == ("body", "context.prose") and role_of(doc, P4) == ("body", "context.prose")
    assert role_of(doc, "Guide number 7 to the bridges of the county")[0] == "related"
    result = result_from_lines(*lines)
    assert P3 in result.text and P4 in result.text and "Guide number 7" not in result.text


TEASERS = [
    ("Travel", "Dec 19, 2025", "A new contender rises in the mountain west",
     "Long in the shadow of the big city, the hub of the region, there is a new contender for the "
     "travellers who want the hills and the lakes without the crowds of the summer season."),
    ("Airlines", "Dec 18, 2025", "An airline launches its first suites between two continents",
     "The carrier introduces its retrofitted aircraft on the route this winter, with new seats in "
     "every cabin and a lounge at both ends of the journey for the passengers who fly often."),
    ("Daily", "Dec 17, 2025", "A game reserve opens an air shuttle for its guests",
     "Ready to streamline your arrival at the reserve? Just in time for the busy season, the lodge "
     "has launched a shuttle from the nearest airport that lands a few minutes from the camp."),
]


def test_a_list_of_dated_teasers_after_a_related_header_is_not_the_story_going_on():
    # Each teaser has a date line of its own; their summaries are prose, but the story is over.
    after = [line for t in TEASERS for part in t for line in (part, "")]
    doc = doc_from_lines(*page(after))
    assert role_of(doc, P3) == ("body", "context.prose")
    assert all(role_of(doc, t[3])[0] != "body" for t in TEASERS)


def test_a_dated_list_of_the_storys_own_goes_on():
    # Tour dates say what happens on each date: no date alone, so the story resumes.
    tour = "a city of the tour @ an arena by the river"
    dates = [line for k in range(5) for line in (f"June {k + 9} - {tour}", "")]
    doc = doc_from_lines(*page([P4, "", *dates, P1[::-1]]))
    assert role_of(doc, P4) == ("body", "context.prose")
