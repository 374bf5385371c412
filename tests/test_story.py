"""The story model (cleaner/core/story.py): the decoder, the fitted trees as checked data, and
what the fitted model does with small hand-built documents."""

from __future__ import annotations

import pytest
from core_helpers import RIVER as P
from core_helpers import RIVER_TITLE as TITLE

from cleaner import clean, load_ruleset
from cleaner.core.story import FEATURES_1, decode, lexical_shape, second_columns
from cleaner.errors import RuleError


def paragraphs(lines: list[str]) -> list[str]:
    return clean("\n\n".join(lines)).text.split("\n\n")


# ---- the decoder ----


def test_a_weak_stretch_inside_the_story_does_not_end_it():
    # two blocks that lean out (-0.5 each) between strong story blocks: leaving and coming back
    # costs more than keeping them
    assert decode([3, 3, -0.5, -0.5, 3, 3], [False] * 6, 1.0) == [True] * 6


def test_a_strong_stretch_out_after_the_story_is_cut():
    assert decode([3, 3, 3, -2, -2], [False] * 5, 1.0) == [True, True, True, False, False]


def test_without_a_switch_cost_each_block_goes_its_own_way():
    assert decode([1, -1, 1], [False] * 3, 0.0) == [True, False, True]


def test_fixed_blocks_are_transparent():
    # the middle block's strong pull out is ignored: it is fixed (a title, a caption)
    assert decode([2, -9, 2], [False, True, False], 1.0) == [True, True, True]


def test_a_lone_weak_block_among_furniture_does_not_start_a_story():
    assert decode([-2, 0.5, -2], [False] * 3, 1.0) == [False, False, False]


def test_second_pass_columns_read_the_neighbours():
    c = second_columns([10.0, -10.0, 10.0], {"story_window": 1, "story_wide_window": 2})
    assert c["p_prev"][1] > 0.99 and c["p_next"][1] > 0.99
    assert c["p_near"][1] > 0.99 and c["p_before"][0] == 0.0 and c["p_after"][2] == 0.0


# ---- the block's lexical shape (columns of pass one) ----


def _shape(text: str) -> dict[str, float]:
    return lexical_shape(text, text.lower().replace(",", " ").replace(".", " ").split())


def test_lexical_shape_tells_a_sentence_from_a_menu_row_and_a_price_box():
    sentence = _shape(P[0])
    menu = _shape("Home | News | Sport | Weather")
    price = _shape("$49.99")
    assert sentence["commas"] > 0 and sentence["capitals"] < menu["capitals"]
    assert menu["separators"] > 0 and sentence["separators"] == 0.0
    assert price["money"] == 1.0 and sentence["money"] == 0.0
    assert price["punct"] > sentence["punct"]
    assert _shape("12 months")["starts_digit"] == 1.0


def test_lexical_shape_reads_questions_links_bullets_and_sentences():
    assert _shape("How much does it cost?")["question"] == 1.0
    assert _shape("Read more at www.example.org")["link_shape"] == 1.0
    assert _shape("• a point of the list")["bullet"] == 1.0
    assert _shape("and then it went on")["starts_lower"] == 1.0
    two = _shape("One sentence. Another one.")
    one = _shape("One sentence only.")
    assert two["sentences"] > one["sentences"]
    assert _shape("NASA and the ESA agree")["upper"] == 0.4
    assert set(_shape("x")) <= set(FEATURES_1)


# ---- the fitted model is data, checked at load ----


def test_the_fitted_model_loads_with_its_named_columns():
    rs = load_ruleset()
    model = rs.trees["story"]
    assert model.columns == FEATURES_1 and model.trees
    assert rs.params["story_model_on"] == 1 and rs.params["story_switch_cost"] >= 0


@pytest.mark.parametrize(
    "tree, why",
    [
        ("{f: [kept], t: [0.5], v: [1.0]}", "complete tree"),
        ("{f: [nope], t: [0.5], v: [1.0, 2.0]}", "not in `columns`"),
        ("{f: [kept], t: [x], v: [1.0, 2.0]}", "must be numbers"),
    ],
)
def test_a_broken_tree_is_refused_with_its_reason(tmp_path, tree, why):
    (tmp_path / "mine.yaml").write_text(
        "version: 1\ntrees:\n  story:\n    doc: mine\n    columns: [kept]\n    base: 0\n"
        f"    trees:\n      - {tree}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match=why):
        load_ruleset([tmp_path])


# ---- hand-built documents through clean() with the committed model ----


def test_a_table_inside_a_story_stays_with_it():
    table = ["Option", "Cost", "Months", "Repair", "$4 million", "9", "Rebuild", "$11 million", "18"]
    got = paragraphs([TITLE, *P[:3], *table, *P[3:]])
    assert all(p in got for p in P), "the story on both sides of the table stays"
    assert sum(cell in got for cell in table) >= len(table) - 2, "the table's cells stay"


def test_a_bio_after_the_story_goes():
    bio = [
        "About the author",
        "Jane Doe is a freelance writer who covers local government and transport for several "
        "newspapers in the region.",
        "Follow her on social media for more updates and stories.",
    ]
    got = paragraphs([TITLE, *P, *bio])
    assert all(p in got for p in P)
    assert not any(b in got for b in bio)


def test_a_product_box_inside_the_story_loses_its_shop_buttons_and_the_story_stays():
    # the product's name and price read like a table's cells and stay; its buttons go
    box = ["Acme Flood Sensor 3000", "$49.99", "Check price", "Buy now"]
    got = paragraphs([TITLE, *P[:2], *box, *P[2:]])
    assert all(p in got for p in P)
    assert not any(b in got for b in box[2:])


def test_a_source_citation_mid_story_does_not_end_it():
    got = paragraphs([TITLE, *P[:2], "Source: World Health Organization", *P[2:]])
    assert all(p in got for p in P), "the paragraphs after the citation stay"


def test_a_model_decision_names_the_columns_that_carried_it():
    lines = [TITLE, *P[:3], "Option", "Cost", "Repair", "$4 million", "Rebuild", "$11 million", *P[3:]]
    res = clean("\n\n".join(lines))
    reasons = [b["reason"] for b in res.removed if b["rule"] == "story.model_out"]
    decided = [b for b in res.to_dict()["blocks"] if b["rule"].startswith("story.")]
    for b in decided:
        assert b["rule"] in ("story.model_in", "story.model_out")
    for why in reasons:
        assert "fitted story model" in why and any(name in why for name in FEATURES_1)


def test_a_short_document_keeps_its_sentence():
    res = clean("Title\n\nThe council voted on Tuesday to repair the old bridge before winter.")
    assert res.title == "Title"
    assert res.text == "The council voted on Tuesday to repair the old bridge before winter."
    again = clean(res.text)
    assert again.text == res.text


def test_text_is_the_standfirst_then_the_body():
    res = clean("\n\n".join([TITLE, *P]))
    assert res.text == "\n\n".join(
        ([res.standfirst] if res.standfirst else []) + [b["text"] for b in res.body]
    )


def test_shape_columns_count_what_a_loop_over_the_characters_counts():
    """The shape columns come from one translated string of character classes; the same counts
    as reading every character and every word."""
    import random

    from cleaner.core.story import MONEY, PUNCT, SEPARATORS, lexical_columns

    rnd = random.Random(7)
    alphabet = [*"aZé Ü1٣$€|/•.,;:!?()«»\u00a0\t ", "Hello", "WORLD", "x"]
    texts = ["", "Home | News", "$49.99 or €5", "ÉCOLE and Über 3 times"] + [
        "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40))) for _ in range(3000)]
    cols = lexical_columns(texts, [t.lower().split() for t in texts])
    for i, t in enumerate(texts):
        words = t.split()
        nw = len(words) or 1
        assert cols["punct"][i] == sum(ch in PUNCT for ch in t) / (len(t) or 1), t
        assert cols["separators"][i] == sum(ch in SEPARATORS for ch in t) / nw, t
        assert cols["money"][i] == float(any(ch in MONEY for ch in t)), t
        assert cols["capitals"][i] == sum(w[:1].isupper() for w in words) / nw, t
        assert cols["digits"][i] == (sum(ch.isdigit() for ch in t) / len(t) if t else 0.0), t
