"""Stage 3, a block on its own: the first opinion (good, neargood, short, bad, as in jusText,
with length and punctuation alone for a language without a stoplist), the rules that match it,
and the main run of prose the scores pick."""

from __future__ import annotations

import pytest
from core_helpers import builtin_ruleset, doc_from_lines, role_of, run_lines

from cleaner import load_ruleset
from cleaner.core.classify import (
    CF_BAD,
    CF_GOOD,
    CF_NEARGOOD,
    CF_SHORT,
    apply_rules,
    block_score,
    cue_rule,
    final_rule,
    first_opinion,
    main_run,
)

STORY = (
    "The council voted on Tuesday to repair the old bridge before the winter, after inspectors found "
    "cracks in two of its piers during a routine check in the summer."
)
NAMES = (
    "Messi, Suarez, Griezmann, Coutinho, Dembele, Vidal, Rakitic, Busquets, Pique, Lenglet, Alba, Semedo, "
    "Arthur, Umtiti, Todibo, Firpo, Perez and ter Stegen trained with Valverde, Sarabia, Eusebio and "
    "Unzue at Barcelona on Saturday."
)
MENU = "Home News Sport Weather Business Politics Opinion Culture Lifestyle Travel Science Technology"
CHINESE = (
    "北京市环境保护局星期二发布了最新的空气质量报告，报告显示今年前十个月全市细颗粒物平均浓度同比下降百分之十二，"
    "空气质量优良天数比去年同期增加了二十天。专家表示，空气质量的改善主要得益于燃煤治理、机动车排放控制以及工业企业的升级改造。"
)


def opinion(text: str, language: str | None = "en") -> str:
    """The first opinion of a one-block document in `language` (None: no stoplist)."""
    (b,) = doc_from_lines(text, language=language or "sw").blocks  # no Swahili stoplist
    return first_opinion(b, builtin_ruleset().params)


def test_a_sentence_of_running_prose_is_good():
    assert opinion(STORY) == CF_GOOD


def test_prose_that_does_not_end_a_sentence_is_neargood():
    assert opinion("The council voted on Tuesday to repair the old bridge before the winter, after "
                   "inspectors found cracks") == CF_NEARGOOD


def test_a_long_sentence_dense_with_names_is_still_neargood():
    assert opinion(NAMES) == CF_NEARGOOD


def test_a_short_line_is_short_whatever_its_words():
    assert opinion("The bridge will close.") == CF_SHORT
    assert opinion("Bridge to be repaired") == CF_SHORT


def test_a_long_line_without_stopwords_is_bad():
    assert opinion(MENU) == CF_BAD


def test_a_line_without_letters_is_bad():
    assert opinion("12:30 — 14:45, 15:00 — 16:15, 17:00 — 18:30, 19:00 — 20:45, 21:00 — 22:30") == CF_BAD
    assert opinion("0") == CF_BAD


def test_without_a_stoplist_a_long_sentence_is_good():
    (b,) = doc_from_lines(CHINESE, language="zh").blocks
    assert b.chars >= builtin_ruleset().params["length_high"]  # a CJK character counts two
    assert opinion(CHINESE, language=None) == CF_GOOD
    assert opinion(STORY, language=None) == CF_NEARGOOD  # a sentence of 160 characters


def test_without_a_stoplist_many_words_make_a_line_neargood_without_an_end():
    assert opinion(STORY.rstrip("."), language=None) == CF_NEARGOOD
    eleven = MENU.removesuffix(" Technology")
    assert opinion(eleven, language=None) == CF_BAD  # 11 words, no end: long but not prose
    assert opinion(MENU, language=None) == CF_NEARGOOD  # 12 words


def test_without_a_stoplist_a_short_line_is_short():
    assert opinion("北京市发布报告。", language=None) == CF_SHORT


def test_the_first_opinion_is_kept_on_the_block_for_the_trace():
    doc = doc_from_lines("Bridge to be repaired", "", STORY, language="en")
    assert [b.first_opinion for b in doc.blocks] == [CF_SHORT, CF_GOOD]


def test_a_rule_hit_is_recorded_per_block():
    doc = doc_from_lines("Share this story", "", STORY, "", "Advertisement", upto="classify")
    assert [b.rule_hits for b in doc.blocks] == [["boilerplate.share_buttons"], [], ["boilerplate.advert"]]


def test_a_rule_does_not_match_beyond_its_word_limit():
    long_line = "Share this story with everyone you know, because the old bridge will close for six weeks"
    doc = doc_from_lines("Share this story", "", long_line, upto="classify")
    assert doc.blocks[0].rule_hits == ["boilerplate.share_buttons"]
    assert "boilerplate.share_buttons" not in doc.blocks[1].rule_hits


def test_a_final_rule_decides_and_a_cue_only_labels():
    rs = builtin_ruleset()
    doc = doc_from_lines("Share this story", "", "News › World › Europe", upto="classify")
    share, crumb = doc.blocks
    assert final_rule(share, rs).id == "boilerplate.share_buttons"
    assert final_rule(crumb, rs) is None
    assert cue_rule(crumb, rs).id == "boilerplate.breadcrumb"


def test_the_blocks_a_final_rule_decides_are_the_furniture():
    run = run_lines("Share this story", "", STORY, "", "News › World › Europe", "", "Advertisement",
                    upto="classify")
    assert run.furniture == frozenset({0, 3})


@pytest.fixture(scope="module")
def site_rules(tmp_path_factory):
    """The built-in rules plus one rule that applies on example.com only."""
    folder = tmp_path_factory.mktemp("site_rules")
    (folder / "site.yaml").write_text(
        "version: 1\nrules:\n"
        "  - name: desk_line\n    role: other\n    pattern: '^From the desk$'\n"
        "    reason: The site's desk line.\n    sites: [example.com]\n"
        "    examples: ['From the desk']\n",
        encoding="utf-8",
    )
    return load_ruleset([folder])


@pytest.mark.parametrize(
    ("url", "hit"),
    [("https://www.example.com/a/story", True), ("news.example.com/x", True),
     ("https://example.org/a/story", False), (None, False)],
)
def test_a_site_rule_applies_on_its_site_only(site_rules, url, hit):
    doc = doc_from_lines("From the desk", upto="classify", url=url, ruleset=site_rules)
    assert ("site.desk_line" in doc.blocks[0].rule_hits) is hit


def test_a_final_rule_gives_its_role_inside_the_story():
    doc = doc_from_lines("Bridge to be repaired", "", STORY, "", "Advertisement", "", STORY + " Again.")
    assert role_of(doc, "Advertisement") == ("advert", "boilerplate.advert")


def test_the_rule_pass_checks_the_time_budget_every_so_many_blocks():
    rs = builtin_ruleset()
    every = rs.params["deadline_every_blocks"]
    doc = doc_from_lines(*["line"] * (2 * every + 1), upto="features")
    calls: list[str] = []
    apply_rules(doc, rs, calls.append)
    assert calls == ["rules", "rules"]


def test_prose_pulls_the_main_run_and_furniture_pushes_it_away():
    rs, p = builtin_ruleset(), builtin_ruleset().params
    doc = doc_from_lines(STORY, "", "Advertisement", "", "Canada's troops leave Iraq in April [Reuters]",
                         language="en")
    story, advert, caption = doc.blocks
    assert block_score(story, CF_GOOD, None, p) > p["score_good"]
    assert block_score(advert, CF_SHORT, final_rule(advert, rs), p) == p["score_furniture"]
    assert block_score(caption, CF_SHORT, final_rule(caption, rs), p) == 0.0  # captions do not break a run


@pytest.mark.parametrize(
    ("scores", "run"),
    [
        ([-1.0, 2.0, -0.5, 3.0, -5.0, 1.0], (1, 3)),
        ([1.0, -0.1, 1.0], (0, 2)),
        ([1.0, -3.0, 1.5], (2, 2)),
        ([-1.0, -0.1], None),
        ([], None),
    ],
)
def test_the_main_run_is_the_stretch_with_the_largest_total(scores, run):
    assert main_run(scores) == run
