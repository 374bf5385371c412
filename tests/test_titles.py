"""Titles: the on-page headline under the page's title line, site names and dates off the title,
a heading the title starts with kept apart; and the clean article read back the same way."""

from __future__ import annotations

import pytest

from cleaner import clean

STORY = (
    "The council voted on Tuesday to repair the old bridge before winter, after engineers found "
    "cracks in two of its piers during the autumn inspection of the river crossings.\n\n"
    "Work will start next month and is expected to take about ten weeks, the council said, with "
    "one lane open to traffic at all times and the footpath closed for the whole of the works.\n\n"
    "Residents had asked for the repairs for years, and many of them came to the meeting to hear "
    "the vote, which passed by seven votes to two after a debate that lasted most of the evening.\n\n"
    "The bridge, built in 1902, carries about twelve thousand vehicles a day and is the only "
    "crossing of the river for eight miles, so its closure would have meant long detours for all."
)


HEADLINE = "Council Votes to Repair the Old Bridge"


def _page(*head: str) -> str:
    return "\n\n".join(head) + "\n\n" + STORY


def _roles(res) -> dict[str, str]:
    """The role of each rule's blocks (rule id -> role) in the audit trail."""
    return {b["rule"]: b["role"] for b in res.blocks}


def _reclean(res):
    return clean(res.title + "\n\n" + res.text)


def test_headline_below_the_title_line_is_the_title():
    page = _page(
        "Council Approves Old Bridge Repair | Riverside Gazette",
        "News",
        "Local",
        "Council Votes to Repair the Old Bridge Before Winter",
        "By Jane Doe",
    )
    res = clean(page)
    assert res.title == "Council Votes to Repair the Old Bridge Before Winter"
    rules = _roles(res)
    assert rules.get("context.headline_below") == "title"
    assert rules.get("context.page_title") == "other"  # the <title> line is audited, not lost
    assert "Riverside Gazette" not in res.text
    again = _reclean(res)
    assert (again.title, again.text) == (res.title, res.text)


def test_title_line_stays_when_the_line_below_shares_little():
    page = _page(HEADLINE + " | Riverside Gazette", "Weather Warning for the Weekend")
    res = clean(page)
    assert res.title == HEADLINE


def test_title_line_stays_when_it_is_repeated():
    # The repeat of the title line shows it is the headline; a related heading below is not.
    page = _page(
        "Council Votes to Repair the Old Bridge",
        "Council Votes to Repair the Old Bridge",
        "Old Bridge Repair Costs Explained",
    )
    assert clean(page).title == "Council Votes to Repair the Old Bridge"


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        (HEADLINE + " | Riverside Gazette", HEADLINE),
        (HEADLINE + " - 12 March 2024", HEADLINE),
        ("Riverside Gazette » " + HEADLINE, HEADLINE),
        ("Gazette.org - " + HEADLINE, HEADLINE),
        # a section in lower case before the site name stays on the headline
        ("Repairing an old bridge – tips and tricks | Gazette", "Repairing an old bridge – tips and tricks"),
        # a lead that the headline goes on from in lower case is not a site name
        ("Bridges - what the council should repair first", "Bridges - what the council should repair first"),
    ],
)
def test_site_names_and_dates_come_off_the_title(title, headline):
    res = clean(_page(title))
    assert res.title == headline
    again = _reclean(res)
    assert (again.title, again.text) == (res.title, res.text)


def test_a_heading_the_title_starts_with_is_not_the_title():
    page = _page(
        "Different Types of Bridges for Rivers and Roads Explained",
        "Different Types of Bridges",
    )
    assert clean(page).title == "Different Types of Bridges for Rivers and Roads Explained"


def test_a_later_repeat_of_the_headline_before_the_site_name_is_the_title():
    question = "How Much Does a Bridge Repair Cost?"
    page = _page(question + " | Riverside Gazette", question)
    assert clean(page).title == question


@pytest.mark.parametrize(
    "title",
    [
        "What is Bridge Repair? The Complete Guide",  # a heading the title starts with, then "?"
        "Best Bridge Repairs in 2026 – Costs, Materials, And Timelines",  # a list after a dash
        "Comparing the 8 Best Bridge Designs [Complete with Pros & Cons]",  # a bracket that is no credit
    ],
)
def test_the_rest_of_a_title_that_is_no_site_name_stays(title):
    page = _page(title, title.split("?")[0] + "?" if "?" in title else "Bridges")
    assert clean(page).title == title
