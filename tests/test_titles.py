"""Titles: the on-page headline under the page's title line, site names and dates off the title,
a heading the title starts with kept apart; and the clean article read back the same way."""

from __future__ import annotations

import pytest

from cleaner import clean
from cleaner.core.headline import title_keys
from cleaner.engine import default_ruleset

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


@pytest.mark.parametrize("label", ["By", "Written by"])
def test_the_name_under_a_byline_label_is_no_headline(label):
    """A dump of "By" / "Jane Doe" / "Jane Doe" (the name said twice, a repeat like a headline's,
    then the author's note) names the author: the headline is the line above, which that byline
    marks."""
    headline = "Our 6 Favorite Bridges Make Any Trip Shorter"
    page = _page(
        "The 6 Best Bridges, Tested & Reviewed",
        "We independently evaluate all of our recommendations. If you click on links we provide, "
        "we may receive compensation.",
        headline,
        "Steel, stone, and timber are no match for these bridges' strength",
        label,
        "Jane Doe",
        "Jane Doe",
        "Jane Doe is a travel writer specializing in bridges and roads.",
        "Updated on 09/12/25",
    )
    res = clean(page)
    assert res.title == headline


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


# --- the host's name, the on-page headline's score, labelled repeats ------------------------


@pytest.mark.parametrize(
    ("title", "url", "headline"),
    [
        # a leading host name, parted by a colon a site-name prefix does not use
        ("Riverside Gazette: " + HEADLINE, "https://news.riversidegazette.com/a/1", HEADLINE),
        # a host name after the headline takes what follows it along
        (HEADLINE + " | RVG - Riverside Valley Gazette: News for the Valley", "https://rvg.com/a", HEADLINE),
        # the capitals of the site's name spell the host; a short form of the name names it too
        (HEADLINE + " - Riverside Valley Gazette", "https://rvg.org/x", HEADLINE),
        ("Riverside Gazette » " + HEADLINE, "https://rivgaz.com/x", HEADLINE),
    ],
)
def test_the_segment_that_names_the_host_comes_off_the_title(title, url, headline):
    res = clean(_page(title), url=url)
    assert res.title == headline
    again = clean(res.title + "\n\n" + res.text, url=url)
    assert (again.title, again.text) == (res.title, res.text)


def test_without_a_url_no_host_name_is_cut():
    res = clean(_page("Riverside Gazette: " + HEADLINE))
    assert res.title == "Riverside Gazette: " + HEADLINE


def test_a_first_line_that_is_only_the_host_name_is_not_the_title():
    res = clean(_page("Riversidegazette", HEADLINE), url="https://riversidegazette.com/a")
    assert res.title == HEADLINE


def test_a_site_name_with_an_apostrophe_comes_off():
    assert clean(_page(HEADLINE + " | It’s All Local News")).title == HEADLINE


def test_a_headline_that_a_byline_follows_is_the_title_though_it_shares_few_words():
    # "Bridge" is the one word the two share: too little on its own, but the byline under the
    # line marks it as the headline over the story.
    head = ("Bridge Works Approved for Winter | Riverside Gazette", "Local",
            "When Will the Bridge Reopen to Traffic?")
    assert clean(_page(*head)).title == "Bridge Works Approved for Winter"
    res = clean(_page(*head, "By Jane Doe"))
    assert res.title == "When Will the Bridge Reopen to Traffic?"
    assert _roles(res).get("context.headline_below") == "title"
    again = _reclean(res)
    assert (again.title, again.text) == (res.title, res.text)


def test_a_headline_said_twice_over_a_byline_needs_no_word_in_common_with_the_title():
    said = "Crossing to Close for Ten Weeks"
    page = _page("Riverside Gazette Local News | Riverside Gazette", "Home", said, said, "By Jane Doe")
    assert clean(page).title == said


def test_the_headline_with_a_label_is_no_on_page_headline():
    page = _page(HEADLINE + " | Riverside Gazette", "Blog: " + HEADLINE, "By Jane Doe")
    assert clean(page).title == HEADLINE


def test_the_site_tail_the_on_page_headline_shares_with_the_title_line_comes_off():
    page = _page(
        "Council Approves Old Bridge Repair | Opinion",
        "Council Votes to Repair the Old Bridge Before Winter | Opinion",
        "By Jane Doe",
    )
    res = clean(page)
    assert res.title == "Council Votes to Repair the Old Bridge Before Winter"
    again = _reclean(res)
    assert (again.title, again.text) == (res.title, res.text)


def test_a_later_line_that_is_the_title_s_first_segment_is_the_headline():
    page = _page("Old Bridges | Repair, Costs, Timelines and Materials Compared | Riverside Gazette",
                 "Old Bridges")
    assert clean(page).title == "Old Bridges"


def test_a_title_line_in_title_case_may_end_with_an_abbreviation():
    title = "The Oldest Bridges Still Standing in the U.S."
    assert clean(_page(title)).title == title


def test_a_prose_like_title_line_gives_way_to_the_next_line_that_repeats_its_first_segment():
    line = HEADLINE + " – Riverside Gazette – Your town, your news, every single day of the year."
    page = _page(line, HEADLINE)
    assert clean(page).title == HEADLINE


def test_lead_before_the_hosts_name_is_the_headline():
    """"Coffee - University of Wisconsin-Stevens Point" on uwsp.edu: the host's name is the site,
    the one-word lead the headline (not cut off as a site prefix), and the article reads back."""
    page = _page("Bridges - Riverside Valley Town Council")
    res = clean(page, url="https://www.rvtc.gov/news/bridges/")
    assert res.title == "Bridges"
    assert "Riverside Valley Town Council" not in res.text
    again = _reclean(res)
    assert (again.title, again.text) == (res.title, res.text)
    # Without the url the host's name is unknown: the lead is a site prefix there, as before.
    assert clean(page).title == "Riverside Valley Town Council"


def test_first_segment_repeated_right_under_the_title_line_is_the_headline():
    res = clean(_page("Bridges - Riverside Valley Council", "Bridges"))
    assert res.title == "Bridges"
    assert not res.text.startswith("Bridges")
    again = _reclean(res)
    assert (again.title, again.text) == (res.title, res.text)


def test_one_word_first_line_is_a_title_over_a_paragraph_not_over_a_menu():
    res = clean("Bridges\n\n" + STORY)
    assert res.title == "Bridges"
    assert res.text == STORY
    menu = clean("Bridges\n\nRoads\n\nParks\n\n" + STORY)
    assert menu.title != "Bridges"


def test_tail_opening_with_an_indefinite_article_is_a_subtitle():
    res = clean(_page("Bridge Repairs - A Beginner's Guide - Riverside Gazette"))
    assert res.title == "Bridge Repairs - A Beginner's Guide"
    again = _reclean(res)
    assert (again.title, again.text) == (res.title, res.text)
    # A tail that names a site (no article) still comes off.
    assert clean(_page("Bridge Repairs - Riverside Gazette")).title == "Bridge Repairs"


def test_labelled_repeat_of_the_headline_confirms_the_title_line():
    page = _page(
        HEADLINE + " | Riverside Gazette",
        "Blog: " + HEADLINE,
        "Riverside Gazette | October 15, 2025",
        "A short welcome to the old bridge pages, with the latest news.",
        "Old Bridge Repair Votes Explained",
    )
    res = clean(page)
    assert res.title == HEADLINE


def test_title_case_headline_with_a_bracketed_tag_is_not_a_caption():
    title = "How To Repair An Old Stone Bridge [Step By Step]"
    res = clean(title + "\n\n" + STORY)
    assert res.title == title
    assert res.captions == []
    again = _reclean(res)
    assert (again.title, again.text) == (res.title, res.text)
    # A caption sentence with an agency credit in brackets is still a caption.
    credited = "\n\nEngineers inspect the cracked pier of the bridge [Reuters]\n\nWork will"
    cap = clean(STORY.replace("\n\nWork will", credited))
    assert any("Reuters" in (c["credit"] or "") for c in cap.captions)


def test_a_short_label_under_a_title_case_title_line_is_not_the_title():
    # A line under the title line that says the same in fewer words is a label of the story
    # ("Hotel Travel Hacks"); the title line in Title Case is the title (fitted weights:
    # headline_below_longer_bonus, headline_below_title_case_penalty).
    res = clean(_page("The Best Old Bridge Repair Plans and Tips | Riverside Gazette",
                      "Old Bridge Repair Tips"))
    assert res.title == "The Best Old Bridge Repair Plans and Tips"
    assert _reclean(res).title == res.title


def test_a_longer_headline_under_a_sentence_case_title_line_is_the_title():
    res = clean(_page("Old bridge repair approved | Riverside Gazette",
                      "Council approves the old bridge repair after a long debate on Tuesday"))
    assert res.title == "Council approves the old bridge repair after a long debate on Tuesday"
    assert _reclean(res).title == res.title


def test_a_tail_holding_an_indefinite_article_is_a_subtitle():
    res = clean(_page("How to repair a bridge – From an Experienced Engineer"))
    assert res.title == "How to repair a bridge – From an Experienced Engineer"
    again = _reclean(res)
    assert (again.title, again.text) == (res.title, res.text)
    named = clean(_page("How to repair a bridge – Riverside Engineering News"))
    assert named.title == "How to repair a bridge"


def test_a_title_of_utf8_read_as_latin1_is_read_again():
    mangled = "A Builder’s Guide to Old Bridges".encode().decode("latin-1")
    assert "\x80" in mangled
    res = clean(_page(mangled + " | Riverside Gazette"))
    assert res.title == "A Builder’s Guide to Old Bridges"
    assert _reclean(res).title == res.title
    # A title that only looks like it (no C1 control character) is left as it is.
    assert clean(_page("Café Prices Rise Again | Riverside Gazette")).title == "Café Prices Rise Again"


# Without the page's url, the page's own text tells which segment of the title is the site's name.
FOOTER = "Copyright © 2025 RIVERSIDE GAZETTE. All Rights Reserved"


def _read_back(res):
    again = _reclean(res)
    assert (again.title, again.text) == (res.title, res.text)
    alone = clean(res.text)
    assert alone.text == res.text


def test_a_segment_the_copyright_line_names_comes_off_without_a_url():
    line = HEADLINE + " - Riverside Gazette | Local News and Views for Every Town in the Valley"
    res = clean(_page(line) + "\n\n" + FOOTER)
    assert res.title == HEADLINE
    _read_back(res)
    # Without the copyright line, nothing tells the site's name: the title keeps it.
    assert clean(_page(line)).title != HEADLINE


def test_a_lead_before_the_site_the_copyright_line_names_is_the_headline():
    page = _page("Bridges - Riverside Valley Town Council") + "\n\n© 2026 Riverside Valley Town Council"
    res = clean(page)
    assert res.title == "Bridges"
    _read_back(res)


def test_the_copyright_line_does_not_cut_a_leading_site_name():
    # A title that opens with the site's name is often the site's own page: it stays.
    page = _page("Riverside Gazette | Local News for the Whole Valley") + "\n\n" + FOOTER
    assert clean(page).title == "Riverside Gazette"


def test_a_domain_shaped_segment_names_the_site():
    res = clean(_page("Riverside! Gazette | RiversideGazette.com - " + HEADLINE))
    assert res.title == HEADLINE
    _read_back(res)


def test_an_initialism_spelled_by_the_segment_beside_it_names_the_site():
    res = clean(_page(HEADLINE + " | RVG - Riverside Valley Gazette: News for the Valley"))
    assert res.title == HEADLINE
    _read_back(res)
    p = default_ruleset().params
    assert title_keys("Bridges | RVG - Riverside Valley Gazette", p) == ["rvg"]
    assert title_keys("Bridges | Riverside Valley Gazette - RVG", p) == ["rvg"]
    # Not spelled by its neighbour, or the title's first segment (the topic: "GDPR - General
    # Data Protection ..."), an initialism names no site.
    assert title_keys("Bridges | RVG - Town Council News", p) == []
    assert title_keys("RVG - Riverside Valley Gazette Explained", p) == []
    assert title_keys("RiversideGazette.com - Bridges | Node.js", p) == ["riversidegazette"]


def test_a_lead_ending_with_a_site_kind_comes_off():
    res = clean(_page("Riverside Data Blog: " + HEADLINE))
    assert res.title == HEADLINE
    _read_back(res)


def test_the_root_of_a_trail_repeated_under_the_title_is_the_site():
    res = clean(_page("Riverside Gazette » " + HEADLINE, "Riverside Gazette", "Local", "Opinion"))
    assert res.title == HEADLINE
    # After a title separator, the same repeat is the headline ("Bridges - Riverside ...").
    assert clean(_page("Bridges - Riverside Valley Council", "Bridges")).title == "Bridges"


def test_logo_then_headline_both_under_the_title_line():
    said = "Small repairs to the old bridge before winter"
    page = _page("Riverside Notes: " + said, "Riverside Notes", "Friday, December 19, 2025", said)
    res = clean(page)
    assert res.title == said
    _read_back(res)
    # A line shorter than the lead after it is no headline (a byline: "..., Jane Doe").
    page = _page(said + ", Jane Doe", said, "Jane Doe")
    assert clean(page).title == said


def test_a_one_word_brand_line_over_the_headline_is_not_the_title():
    page = _page("Riversider", HEADLINE) + "\n\n© Riversider. All rights reserved."
    res = clean(page)
    assert res.title == HEADLINE
    # Named nowhere else on the page, the one word stays the title.
    assert clean(_page("Riversider", HEADLINE)).title == "Riversider"


def test_a_one_word_line_named_in_a_path_is_a_brand_but_a_prose_word_is_not():
    path = "Run it from /home/riversider/bridges with the default settings of the tool."
    res = clean(_page("Riversider", HEADLINE) + "\n\n" + path)
    assert res.title == HEADLINE
    prose = "The riversider view of the matter was heard at the meeting on Tuesday evening."
    assert clean(_page("Riversider", HEADLINE) + "\n\n" + prose).title == "Riversider"
