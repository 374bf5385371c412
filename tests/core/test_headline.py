"""Headlines: the title is the first headline-shaped line no rule claims, a site name leaves it,
its repeats are duplicates; a standfirst is one declarative sentence about the headline."""

from __future__ import annotations

import pytest
from core_helpers import builtin_ruleset, doc_from_lines, role_of, run_lines

from cleaner.core.classify import final_rule
from cleaner.core.headline import find_title, is_standfirst, looks_like_title, split_site_name, topic_words

P = builtin_ruleset().params
STORY = (
    "The council voted on Tuesday to repair the old bridge before the winter, after inspectors found "
    "cracks in two of its piers during a routine check in the summer."
)
MORE = (
    "Work will start next month and is expected to take about six weeks, during which the bridge will "
    "be closed to cars but open to people on foot and on bicycles."
)
DEK = "The old bridge over the river will be repaired before the winter comes."


def title_of(*lines: str) -> tuple[int | None, str | None, set[int]]:
    rs = builtin_ruleset()
    blocks = doc_from_lines(*lines, upto="classify").blocks
    return find_title(blocks, [final_rule(b, rs) for b in blocks], P)


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        ("Bridge to be repaired | Town Gazette", "Bridge to be repaired"),
        ("Bridge to be repaired - Town Gazette News", "Bridge to be repaired"),
        ("Bridge to be repaired – Local News – Town Gazette", "Bridge to be repaired"),
        ("Bridge to be repaired :: Town Gazette", "Bridge to be repaired"),
        ("Bridge to be repaired", "Bridge to be repaired"),
    ],
)
def test_a_site_suffix_leaves_the_title(title, headline):
    assert split_site_name(title, [], P) == headline


@pytest.mark.parametrize(
    "title",
    [
        'Council votes on bridge - "We cannot wait"',  # a quote is the headline's, not a site's
        "Council votes on bridge - but will it be ready by the winter?",
        "Council votes on bridge - repairs start in spring.",
        "Council votes on bridge - and the mayor who fought for it for ten long years says so",
    ],
)
def test_a_segment_that_reads_as_part_of_the_headline_stays(title):
    assert split_site_name(title, [], P) == title


def test_a_site_name_is_not_cut_when_too_little_would_be_left():
    assert split_site_name("News | Town Gazette", [], P) == "News | Town Gazette"


def test_a_later_line_that_starts_the_title_is_the_headline():
    title = "Bridge to be repaired before winter, council says | Town Gazette"
    assert split_site_name(title, ["Home", "Bridge to be repaired before winter"], P) == (
        "Bridge to be repaired before winter"
    )


def test_the_title_is_the_first_headline_shaped_line():
    idx, headline, dups = title_of("Bridge to be repaired | Town Gazette", "", STORY, "", MORE)
    assert (idx, headline, dups) == (0, "Bridge to be repaired", set())


def test_lines_a_rule_claims_are_passed_over_for_the_title():
    lines = ("Skip to content", "", "Share this story", "", "Bridge to be repaired", "", STORY)
    idx, headline, _ = title_of(*lines)
    assert (idx, headline) == (2, "Bridge to be repaired")


def test_a_prose_sentence_first_is_no_title():
    assert title_of(STORY, "", MORE) == (None, None, set())


def test_a_one_word_menu_item_first_is_no_title():
    assert title_of("News", "", "Bridge to be repaired", "", STORY) == (None, None, set())


def test_repeats_of_the_title_or_the_headline_are_its_duplicates():
    lines = ("Bridge to be repaired | Town Gazette", "", "Bridge to be repaired", "", STORY, "", MORE,
             "", "BRIDGE TO BE REPAIRED | TOWN GAZETTE")
    idx, headline, dups = title_of(*lines)
    assert (idx, headline, dups) == (0, "Bridge to be repaired", {1, 4})


def test_in_context_the_repeat_of_the_title_is_a_duplicate():
    doc = doc_from_lines("Bridge to be repaired - Town News", "", "Bridge to be repaired", "", STORY, "",
                         MORE)
    assert role_of(doc, "Bridge to be repaired - Town News") == ("title", "context.title")
    assert role_of(doc, "Bridge to be repaired") == ("duplicate", "context.repeated_title")


def test_the_decision_carries_the_headline_without_the_site_name():
    run = run_lines("Bridge to be repaired | Town Gazette", "", STORY, "", MORE)
    assert run.decision.title == "Bridge to be repaired"


def test_with_no_title_line_a_headline_shaped_first_paragraph_becomes_the_title():
    headline = "Council votes to repair the old bridge before the winter, after inspectors find cracks in it"
    run = run_lines("News", "", headline, "", STORY, "", MORE)
    assert role_of(run.doc, headline) == ("title", "context.title_first_block")
    assert run.decision.title == headline


def test_a_title_case_headline_may_hold_an_abbreviation_that_looks_like_a_sentence_end():
    (b,) = doc_from_lines("What Are the Top U.S. Rental Car Companies of 2025?", upto="features").blocks
    assert looks_like_title(b, P, title_case=True)
    assert not looks_like_title(b, P)  # read as two sentences where Title Case does not count


def test_a_line_of_several_sentences_is_no_headline_even_in_title_case():
    """A results line capitalises its names, but its sentences make it a paragraph (hypothesis
    found it becoming the title when the clean text was cleaned again)."""
    text = ("Space Coast (0-1): Kairi Thomas-Brooks 18 points. Adrianna Knight 12 points. "
            "Syniah Johnson 6 points. Shaniya Fluellen 6 points. Ashley Cathon 6 points.")
    (b,) = doc_from_lines(text, upto="features").blocks
    assert not looks_like_title(b, P, title_case=True)


def test_a_segment_without_a_letter_names_no_site():
    """"— 70" ends a score line; cut as a site name it was lost when the text was cleaned again."""
    assert split_site_name("Palm Bay 18 22 13 17 — 70", [], P) == "Palm Bay 18 22 13 17 — 70"
    assert split_site_name("Palm Bay beat Space Coast — Town Gazette", [], P) == "Palm Bay beat Space Coast"
    assert split_site_name("Palm Bay beat Space Coast | 12/20/2024", [], P) == "Palm Bay beat Space Coast"


def test_a_standfirst_of_two_sentences_first_stays_in_the_text():
    """Cleaning a clean article's text again must not promote its standfirst to the title."""
    standfirst = "Espresso for under $500? Yes, you can."
    run = run_lines(standfirst, "", STORY, "", MORE)
    assert run.decision.title is None
    assert role_of(run.doc, standfirst)[0] != "title"


def test_a_long_question_in_title_case_is_still_a_headline():
    text = "What Are the Best Ways to Keep Your Old Garden Bridge Safe, Sound and Looking Good This Winter?"
    (b,) = doc_from_lines(text, upto="features").blocks
    assert b.words > P["title_question_max_words"]
    assert looks_like_title(b, P, title_case=True)
    assert not looks_like_title(b, P)


def test_a_long_question_lead_first_stays_in_the_text():
    """Cleaning a clean article's text again must not take its opening question as the title."""
    lead = ("When you think about losing weight, extreme diets and lots of cardio may come to mind, "
            "but is that really the right strategy for you?")
    run = run_lines(lead, "", STORY, "", MORE)
    assert run.decision.title is None
    assert role_of(run.doc, lead)[0] != "title"


def test_with_no_title_line_and_no_headline_every_paragraph_stays_body():
    doc = doc_from_lines(STORY, "", MORE, "", STORY.replace("Tuesday", "Monday"))
    assert [b.role for b in doc.blocks] == ["body", "body", "body"]


@pytest.mark.parametrize(
    ("text", "shaped"),
    [
        ("Bridge to be repaired", True),
        ("Council votes to repair the old bridge before winter, after inspectors find cracks", True),
        ("The council voted on Tuesday to repair the old bridge.", False),  # a sentence of prose
        ("News", False),
        (STORY + " " + MORE, False),  # too long
        ("Espresso for under $500? Yes, you can.", False),  # two sentences: a standfirst
        ("Engaged? Now what!", False),
        ("Do you need 14 USB ports on your Raspberry Pi 5?", True),  # one question: a headline
        # A long question or call in sentence case is the lead's first sentence, not a headline.
        ("When you think about losing weight, extreme diets and lots of cardio may come to mind, "
         "but is that really the right strategy for you?", False),
        ("Create a free account to organize your club, get reading recommendations, view hundreds "
         "of guides, and more!", False),
        # Two sentences that lead into what follows (a colon) are prose too.
        ("Self-hosting a database sounds terrifying. That narrative has been pushed by the big "
         "cloud providers:", False),
        ("What Are Some Current Trends In Event Management?", True),
    ],
)
def test_a_headline_is_short_and_not_a_sentence_of_prose(text, shaped):
    (b,) = doc_from_lines(text, upto="features").blocks
    assert looks_like_title(b, P) is shaped


def test_a_standfirst_is_one_sentence_about_the_headline():
    assert is_standfirst("Bridge to be repaired", DEK, P)
    assert not is_standfirst(None, DEK, P)


@pytest.mark.parametrize(
    "text",
    [
        "The council said the old bridge over the river will be repaired before winter.",  # attribution
        "The old bridge over the river will be repaired before the winter. It closes soon.",  # two sentences
        "LONDON — The old bridge over the river will be repaired before the winter comes.",  # a dateline
        "The old bridge over the river will be repaired in 2020 before the winter comes.",  # a number
        "The “old” bridge over the river will be repaired before the winter comes.",  # a quote
        "Bridges get repaired.",  # too short
        "The school on the hill will get a new roof and a new hall before the winter comes.",  # off topic
        "The old bridge over the river will be repaired before the winter comes",  # no full stop
    ],
)
def test_what_is_not_a_standfirst(text):
    assert not is_standfirst("Bridge to be repaired over the river", text, P)


def test_topic_words_are_the_headlines_content_words():
    stop = builtin_ruleset().stoplists["en"]
    assert topic_words("Bridge to be repaired in 2020 | Gazette", stop, P) == {
        "bridge", "repaired", "gazette",
    }
    assert topic_words(None, stop, P) == set()


def _below_features(title_line: str, below: str) -> dict[str, float]:
    """The features `below_candidates` gives the line under `title_line` (then a story)."""
    from cleaner.core.headline import below_candidates

    rs = builtin_ruleset()
    blocks = doc_from_lines(title_line, below, STORY, MORE, upto="classify").blocks
    rules = [final_rule(b, rs) for b in blocks]
    idx, headline, dups = find_title(blocks, rules, P)
    assert idx == 0 and headline is not None
    found = below_candidates(blocks, rules, idx, headline, 2, dups, rs.stoplists["en"], P)
    assert [j for j, _ in found] == [1]
    return found[0][1]


def test_a_line_under_the_title_line_with_more_words_than_the_headline_is_longer():
    longer = "Council Votes to Repair the Old Bridge Before Winter"
    f = _below_features("Old Bridge Repairs | Town Gazette", longer)
    assert f["longer"] == 1.0
    g = _below_features(longer, "Old Bridge Repairs")
    assert g["longer"] == 0.0


def test_a_headline_in_title_case_is_marked_for_the_below_score():
    title_case = _below_features("Council Votes to Repair the Old Bridge", "Old Bridge Repairs Approved")
    sentence_case = _below_features("Council votes to repair the old bridge", "Old bridge repairs approved")
    assert title_case["title_case"] == 1.0
    assert sentence_case["title_case"] == 0.0


def test_the_below_score_weighs_the_longer_and_title_case_features():
    from cleaner.core.headline import below_score

    base = {"overlap": 0.5, "marked": 0.0, "segment": 0.0, "repeated": 0.0, "after_prose": 0.0,
            "site_cut": 0.0, "longer": 0.0, "title_case": 0.0, "listed": 0.0, "after_lead": 0.0,
            "same_tail": 0.0}
    q = {**P, "headline_below_longer_bonus": 0.4, "headline_below_title_case_penalty": 0.3,
         "headline_below_listed_penalty": 0.5, "headline_below_after_lead_penalty": 0.7,
         "headline_below_same_tail_bonus": 0.2}
    assert below_score({**base, "longer": 1.0}, q) == pytest.approx(below_score(base, q) + 0.4)
    assert below_score({**base, "title_case": 1.0}, q) == pytest.approx(below_score(base, q) - 0.3)
    assert below_score({**base, "listed": 1.0}, q) == pytest.approx(below_score(base, q) - 0.5)
    assert below_score({**base, "after_lead": 1.0}, q) == pytest.approx(below_score(base, q) - 0.7)
    assert below_score({**base, "same_tail": 1.0}, q) == pytest.approx(below_score(base, q) + 0.2)


def test_unmangled_undoes_utf8_read_as_latin1_only_when_it_reads_back():
    from cleaner.core.headline import unmangled

    assert unmangled("Investor\xe2\x80\x99s Guide") == "Investor’s Guide"
    assert unmangled("Café Guide") == "Café Guide"  # no C1 control character: as it is
    assert unmangled("Bad \x80 byte") == "Bad \x80 byte"  # not UTF-8 when read back: as it is
    assert unmangled("Investor’s \x9d Guide") == "Investor’s \x9d Guide"  # not Latin-1 throughout


def test_heading_title_is_the_whole_line_without_end_punctuation():
    from cleaner.core.headline import heading_title

    assert heading_title("Bridge Repairs Approved", "Bridge Repairs Approved")
    assert not heading_title("Which bridge plan is right for you?", "Which bridge plan is right for you?")
    assert not heading_title("Save on bridge tours!", "Save on bridge tours!")
    assert not heading_title("Home » News » Bridge Repairs Approved", "Bridge Repairs Approved")
    assert not heading_title("Bridge Repairs Approved", None)


def _candidates(*lines: str, body_start: int) -> dict[str, dict[str, float]]:
    """{text: features} of the candidates `below_candidates` finds under the first line, with
    the story starting at block `body_start` (the context stage's first reading)."""
    from cleaner.core.headline import below_candidates

    rs = builtin_ruleset()
    blocks = doc_from_lines(*lines, upto="context").blocks
    rules = [final_rule(b, rs) for b in blocks]
    idx, headline, dups = find_title(blocks, rules, P)
    assert idx == 0 and headline is not None
    found = below_candidates(blocks, rules, idx, headline, body_start, dups, rs.stoplists["en"], P)
    return {blocks[j].text: f for j, f in found}


def test_a_line_that_opens_a_run_of_short_lines_is_listed():
    # A table of contents (or a menu) under the title line: its entries are no headline.
    toc = ["How the Old Bridge Repair Will Work", "What the Council Decided", "Where the Money Comes From",
           "When the Works Start", "What Residents Said"]
    found = _candidates("Repairing the Old Bridge | Riverside Gazette", "Contents", *toc, STORY,
                        body_start=len(toc) + 2)
    assert found[toc[0]]["listed"] == 1.0
    # A byline or date under the line marks it as the headline over the story, not a list entry.
    marked = _candidates("Repairing the Old Bridge | Riverside Gazette", toc[0], "By Jane Doe", *toc[1:],
                         STORY, body_start=len(toc) + 2)
    assert marked[toc[0]]["listed"] == 0.0


def test_a_line_after_a_paragraph_about_the_headline_s_subject_is_after_the_lead():
    lead = ("Bridge repairs are a common task for a town council, and the bridge over the river is "
            "the oldest one that the council looks after.")
    found = _candidates("Bridge repairs", lead, "Basic steps of bridge repairs", STORY, body_start=3)
    assert found["Basic steps of bridge repairs"]["after_lead"] == 1.0
    blurb = ("Sign up for our weekly letter and get the best of the week's stories in your inbox "
             "every Friday morning, free of charge.")
    other = _candidates("Bridge repairs", blurb, "Basic steps of bridge repairs", STORY, body_start=3)
    assert other["Basic steps of bridge repairs"]["after_lead"] == 0.0


def test_a_line_that_ends_with_the_title_line_s_last_segment_has_the_same_tail():
    f = _below_features("Why the river bridge matters to us all | Opinion",
                        "Council votes to repair the old bridge before winter | Opinion")
    assert f["same_tail"] == 1.0
    g = _below_features("Why the river bridge matters to us all | Opinion",
                        "Council votes to repair the old bridge before winter")
    assert g["same_tail"] == 0.0


def test_a_full_stop_closing_an_initialism_ends_no_statement():
    from cleaner.core.headline import statement_line

    blocks = doc_from_lines("Top 10 Appliance Makers in the U.S.A.", "", "It is day 19, where I blog daily.",
                            "", "Where to stay in the U.S.", upto="classify").blocks
    assert [statement_line(b, P) for b in blocks] == [False, True, False]


def test_a_title_ending_with_an_initialism_reads_back_with_the_text():
    from cleaner import clean

    r = clean("Top 10 Appliance Makers in the U.S.A. - Industry Select\n\n" + STORY + "\n\n" + MORE)
    assert r.title == "Top 10 Appliance Makers in the U.S.A."
    again = clean(r.title + "\n\n" + r.text)
    assert (again.title, again.text) == (r.title, r.text)
