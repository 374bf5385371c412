"""A site's disclaimer that its content is not advice (rules/boilerplate.yaml
`advice_disclaimer`) is a legal notice, not the story: long and well-formed, it would otherwise
pull the main run of prose towards the page's foot."""

from __future__ import annotations

from core_helpers import P1, P2, TITLE, result_from_lines, role_of, run_lines

DISCLAIMER = (
    "This material is not intended to replace the advice of a qualified advisor. Information has "
    "been obtained from sources believed to be reliable, but it is not guaranteed as to accuracy "
    "and may not reflect the current opinion of the firm or of any of its advisors."
)
STATEMENT = (
    "The council said the figures were for information only and could still change before the "
    "vote, which is expected to take place at the end of the month."
)


def test_a_disclaimer_after_the_story_is_a_legal_notice():
    lines = (TITLE, "", P1, "", P2, "", DISCLAIMER)
    doc = run_lines(*lines, upto="story").doc
    assert role_of(doc, DISCLAIMER) == ("legal", "boilerplate.advice_disclaimer")
    result = result_from_lines(*lines)
    assert P1 in result.text and P2 in result.text and DISCLAIMER not in result.text


def test_a_story_sentence_about_information_stays():
    result = result_from_lines(TITLE, "", P1, "", STATEMENT, "", P2)
    assert STATEMENT in result.text
