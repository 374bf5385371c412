"""First do no harm: a clean article keeps its structured stretches (cleaner/core/story.py
`fill_story_gaps`, run after the story model on text input).

In a clean article (no final rule found page furniture: navigation, share, cookie, legal,
comment, widget lines), the table rows, step headings, spec lines and code between the story's
paragraphs are story, whatever the context rules and the model made of them one by one; so is
a table of dated rows that opens it, a list its last kept block opens, and (with no title line)
the short line right above its first paragraph; and (`tail`) its last sections when everything
after its last kept block was left out for place alone. Cleaning the result again gives it back."""

from __future__ import annotations

import json

from conftest import SHARED, needs_shared
from core_helpers import P1, P2, P3, builtin_ruleset

from cleaner import clean
from cleaner.core.segment import segment_text
from cleaner.core.story import fill_story_gaps
from cleaner.model import Block

P4 = (
    "Engineers will first shore up the piers with steel frames, then replace the worn bearings and "
    "finally resurface the deck with a new layer of asphalt."
)
P5 = (
    "Residents who live near the bridge will get letters explaining the detours, and the council has "
    "set up a phone line for anyone with questions about the work."
)
P6 = (
    "A public meeting about the plans will be held at the town hall next week, where the engineers "
    "will answer questions from residents and local businesses."
)
TABLE = ["Option\tCost\tMonths", "Repair\t$4 million\t9", "Rebuild\t$11 million\t18"]
STEPS = ["Step 1", "Close the road", "Step 2", "Shore up the piers"]
CODE = ["def cost(months):", "rate = 450000", "return months * rate"]


def blocks_of(lines: list[str]) -> list[Block]:
    return segment_text("\n\n".join(lines), builtin_ruleset().params)


def decided(blocks: list[Block], rules: list[str]) -> None:
    for b, rule in zip(blocks, rules, strict=True):
        role = "body" if rule in ("context.prose", "story.model_in") else "navigation"
        b.decide(role, rule, "test")


def test_a_table_steps_and_code_between_kept_paragraphs_join_the_story():
    cases = (
        (TABLE, "context.outside_short"), (STEPS, "context.head"), (CODE, "context.short_among_furniture"),
    )
    for inner, why in cases:
        blocks = blocks_of([P1, *inner, P2])
        decided(blocks, ["story.model_in", *[why] * len(inner), "context.prose"])
        assert fill_story_gaps(blocks, furniture=False, fillable=frozenset()) == len(inner)
        assert [b.role for b in blocks] == ["body"] * len(blocks)
        assert {b.rule for b in blocks[1:-1]} == {"story.clean_gap"}
        assert all(b.reason for b in blocks)


def test_on_a_page_with_furniture_the_stretch_stays_as_the_model_read_it():
    blocks = blocks_of([P1, *TABLE, P2])
    decided(blocks, ["story.model_in", *["context.outside_short"] * 3, "context.prose"])
    assert fill_story_gaps(blocks, furniture=True, fillable=frozenset()) == 0
    assert [b.role for b in blocks[1:4]] == ["navigation"] * 3


def test_a_block_a_rule_removed_stays_out_unless_its_rule_names_a_column_of_rows():
    blocks = blocks_of([P1, "Date: March 2-5, 2026", "Read more: the council's plans", P2])
    decided(blocks, ["context.prose", "bylines.labelled_date", "labels.promo_label", "context.prose"])
    fill_story_gaps(blocks, furniture=False, fillable=frozenset({"bylines.labelled_date"}))
    assert [b.role for b in blocks] == ["body", "body", "navigation", "body"]


def test_nothing_outside_the_story_joins_but_a_list_it_opens():
    blocks = blocks_of(["Home", P1, "- the first point", "- the second point", "Share this"])
    decided(blocks, ["context.outside_short", "context.prose", "story.model_in", "context.outside_short",
                     "context.outside_short"])
    blocks[0].decide("title", "context.title", "test")
    fill_story_gaps(blocks, furniture=False, fillable=frozenset(), lead=1)
    assert [b.role for b in blocks] == ["title", "body", "body", "body", "navigation"]
    assert blocks[3].rule == "story.clean_list"


def _lines_kept(lines: list[str]) -> tuple[list[str], bool]:
    res = clean("\n\n".join(lines))
    got = res.text.split("\n\n")
    return [x for x in lines if x not in got], clean(res.text).text == res.text


def test_a_clean_list_of_dated_items_keeps_every_item_and_cleans_to_itself():
    # five events, each with a "Date:" line: more date lines than a head holds, so no head
    lines = [P1]
    for n, (name, date, where), p in zip(
        range(1, 6),
        [("Spring fair", "March 2-5, 2026", "Town square"),
         ("Summer fair", "June 8-11, 2026", "River park"),
         ("Autumn fair", "September 7-9, 2026", "Old market"),
         ("Winter fair", "December 1-3, 2026", "Town hall"),
         ("New year fair", "January 2-4, 2027", "Harbour")],
        [P2, P3, P4, P5, P6], strict=True,
    ):
        lines += [f"{n}. {name}", f"Date: {date}", f"Location: {where}", p]
    lost, same = _lines_kept(lines)
    assert lost == []
    assert same


def test_a_table_of_dated_rows_that_opens_the_article_stays():
    rows = ["1/1/2013\t+13.1%", "2/1/2013\t+12.9%", "3/1/2013\t+11.9%", "4/1/2013\t+12.5%"]
    lost, same = _lines_kept([*rows, P1, P2, P3])
    assert lost == []
    assert same


def test_the_list_that_ends_the_article_keeps_all_its_items():
    lines = [
        P1, "Key topics discussed in the guide include:", "- General procedures at the rental counter",
        "- For-hire vehicle rental steps", "- Rental practices for international drivers",
        "- Reporting losses", "- Renting vehicles with hand controls",
    ]
    lost, same = _lines_kept(lines)
    assert lost == []
    assert same


def test_a_spec_line_of_labelled_fields_is_no_title_and_stays():
    lines = ["Tested by: John Smith RRP: £23.99 More info: www.example.co.uk", P1, P2, P3]
    res = clean("\n\n".join(lines))
    assert res.title is None
    assert res.text.split("\n\n") == lines


_PROSE = ("The council voted on Tuesday to repair the old bridge before winter, after inspectors found "
          "cracks in two of its arches and a rusted rail along the footpath on the river side.")


def _recleans(text: str) -> tuple[dict, dict]:
    first = clean(text).to_dict()
    article = "\n\n".join(x for x in (first["title"], first["text"]) if x)
    return first, clean(article).to_dict()


def test_a_headline_shaped_line_above_the_first_paragraph_is_not_pulled_into_the_text():
    """Pulled in, it would be the title when the text is cleaned again, its site name cut off."""
    first, second = _recleans("%\nSpiced Honey Pear Jam Recipe | The Jam Site\n" + _PROSE + "\n")
    assert first["text"] == _PROSE
    assert (second["title"], second["text"]) == (first["title"], first["text"])


def test_a_short_sentence_above_the_first_paragraph_is_not_pulled_into_the_text():
    first, second = _recleans("Dating\nCocoa (1-2): Jordan Munoz 8 saves.\n" + _PROSE + "\n")
    assert "Cocoa" not in first["text"]
    assert (second["title"], second["text"]) == (first["title"], first["text"])


def test_a_one_word_title_with_no_story_under_it_is_a_menu_item():
    result = clean("Dating\nCocoa (1-2): Jordan Munoz 8 saves.\n@apollozac\n").to_dict()
    assert result["title"] is None
    first, second = _recleans("Dating\nCocoa (1-2): Jordan Munoz 8 saves.\n@apollozac\n")
    assert (second["title"], second["text"]) == (first["title"], first["text"])


def test_a_one_sentence_document_is_its_text_not_its_title():
    result = clean("Cocoa (1-2): Jordan Munoz 8 saves.").to_dict()
    assert (result["title"], result["text"]) == (None, "Cocoa (1-2): Jordan Munoz 8 saves.")


def test_a_lead_in_line_over_no_story_is_no_title():
    """Twice on the page it passed for a headline; alone (the result cleaned again) it does not."""
    line = "Twitter seemed a bit confused by the campaign:"
    first, second = _recleans(f"{line}\n{line}\n")
    assert first["title"] is None
    assert (second["title"], second["text"]) == (first["title"], first["text"])


def test_with_tail_the_story_goes_on_to_the_end_of_a_clean_article():
    # the main run of a clean article read without its title stopped short: its last sections
    # (a numbered item's heading, dated rows, a paragraph) were left out for place alone
    rest = ["14. Bits and Pretzels", "Date: Usually late September", "Location: Munich", P3]
    why = ["context.outside_short", "bylines.labelled_date", "context.outside_short", "context.outside_prose"]
    fillable = frozenset({"bylines.labelled_date"})
    for tail in (False, True):
        blocks = blocks_of([P1, P2, *rest])
        decided(blocks, ["context.prose", "context.prose", *why])
        assert fill_story_gaps(blocks, furniture=False, fillable=fillable, tail=tail) == (4 if tail else 0)
        assert {b.rule for b in blocks[2:]} == ({"story.clean_tail"} if tail else set(why))


def test_the_tail_stays_out_when_a_rule_named_a_line_of_it_or_it_holds_no_prose():
    shortlines = ["Location: Munich", "Tickets from 90 euros"]
    cases = (
        ([*shortlines, P3, "Read more: the council's plans"],
         ["context.outside_short", "context.outside_short", "context.outside_prose", "labels.promo_label"]),
        (shortlines, ["context.outside_short", "context.outside_short"]),
    )
    for rest, why in cases:
        blocks = blocks_of([P1, P2, *rest])
        decided(blocks, ["context.prose", "context.prose", *why])
        assert fill_story_gaps(blocks, furniture=False, fillable=frozenset(), tail=True) == 0
    blocks = blocks_of([P1, P2, "Location: Munich", P3])
    decided(blocks, ["context.prose", "context.prose", "context.outside_short", "context.outside_prose"])
    assert fill_story_gaps(blocks, furniture=True, fillable=frozenset(), tail=True) == 0


@needs_shared
def test_a_list_of_events_cleaned_again_keeps_its_last_sections():
    # dev2 (WCXB / Murrough Foley, CC-BY-4.0): a list of conferences whose text, cleaned again
    # without its title, lost its last 38 paragraphs before the clean tail
    with open(SHARED / "data" / "dev2.jsonl", encoding="utf-8") as f:
        row = next(r for r in map(json.loads, f) if r["id"] == "wcxb-dev-4367")
    res = clean(row["raw_region"], url=row["url"])
    assert "Bits & Pretzels" in res.text
    assert clean(res.text).text == res.text
