"""Stage 2, measures: characters (a CJK character counts two), words and tokens, sentence ends
with closing quotes, letters, repeats within the document; the language and stopword density."""

from __future__ import annotations

import pytest
from core_helpers import builtin_ruleset, doc_from_lines

from cleaner.core.features import guess_language, language_sample, norm_text

STORY = (
    "The council voted on Tuesday to repair the old bridge before the winter, after inspectors found "
    "cracks in two of its piers during a routine check in the summer."
)
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss noch vor dem Winter zu "
    "sanieren, weil die Prüfer im Sommer Risse in den Pfeilern gefunden hatten."
)


def measured(text: str):
    (block,) = doc_from_lines(text, upto="features").blocks
    return block


def test_latin_text_counts_one_char_a_character():
    b = measured("Bridge to be repaired")
    assert (b.chars, b.words, b.tokens) == (21, 4, 4)


def test_a_cjk_character_counts_two():
    b = measured("北京市发布报告")  # seven Chinese characters
    assert b.chars == 14
    mixed = measured("Beijing 北京")
    assert mixed.chars == len("Beijing 北京") + 2


def test_words_split_on_whitespace_tokens_on_word_characters():
    b = measured("Don't stop — it's 9:30")
    assert b.words == 5  # "Don't", "stop", "—", "it's", "9:30"
    assert b.tokens == 7  # don, t, stop, it, s, 9, 30
    assert b.toks == ["don", "t", "stop", "it", "s", "9", "30"]


def test_norm_is_lower_case_tokens_without_punctuation():
    assert measured("Hello, World!  (Again)").norm == "hello world again"
    assert norm_text("Hello, World!  (Again)") == "hello world again"


@pytest.mark.parametrize(
    "text",
    [
        "The bridge will close.",
        "Will it close?",
        "It closed!",
        "“We cannot wait,” she said, “not another year.”",
        "He called it 'a disgrace.'",
        "The vote was close (the mayor abstained.)",
        "The bridge will close. (Reuters)",
        "会议在北京举行。",
        "And then…",
    ],
)
def test_a_sentence_end_is_terminal_even_behind_closing_quotes(text):
    assert measured(text).terminal


@pytest.mark.parametrize(
    "text",
    ["Bridge to be repaired", "Read more:", "Home | News | Sport", "The vote was 5-4", "Tags: bridge,"],
)
def test_headlines_and_menus_are_not_terminal(text):
    assert not measured(text).terminal


def test_digits_and_punctuation_alone_have_no_letter():
    assert not measured("12:30 — 14:45").has_letter
    assert not measured("0").has_letter
    assert measured("Über 3").has_letter
    assert measured("北京").has_letter


def test_repeats_count_blocks_with_the_same_words_whatever_their_case_and_punctuation():
    lines = ("Bridge to be repaired", "", "BRIDGE TO BE REPAIRED!", "", "Other line")
    assert doc_from_lines(*lines, upto="features").table.repeats == [2, 2, 1]


def test_a_block_of_punctuation_only_counts_no_repeat():
    assert doc_from_lines("***", "", "***", upto="features").table.repeats == [0, 0]


def test_the_measures_are_one_table_row_per_block():
    doc = doc_from_lines("One", "", "Two words", "", "Three words here", upto="features")
    assert len(doc.table) == 3
    assert doc.table.words == [1, 2, 3]
    assert [b.words for b in doc.blocks] == doc.table.words


def test_the_language_is_guessed_from_the_sentences():
    doc = doc_from_lines("Bridge to be repaired", "", STORY, "", STORY.replace("Tuesday", "Monday"))
    assert doc.language == "en"
    german = doc_from_lines("Brücke wird saniert", "", GERMAN, "", GERMAN.replace("Dienstag", "Montag"))
    assert german.language == "de"


def test_the_callers_language_wins_over_the_guess():
    doc = doc_from_lines("Bridge to be repaired", "", STORY, language="de")
    assert doc.language == "de"
    assert "der" in doc.stopwords


def test_too_little_text_guesses_no_language():
    doc = doc_from_lines("Home", "", "News", "", "Short line here.")
    assert doc.language is None
    assert doc.stopwords == frozenset()


def test_headlines_and_short_lines_are_left_out_of_the_language_sample():
    doc = doc_from_lines("Bridge to be repaired", "", "Short line here.", "", STORY, upto="features")
    sample = language_sample(doc.blocks, builtin_ruleset().params)
    assert [b.text for b in sample] == [STORY]


def test_furniture_is_left_out_of_the_language_guess():
    rs = builtin_ruleset()
    doc = doc_from_lines(GERMAN, "", STORY, "", STORY, upto="features")
    assert guess_language(doc.blocks, rs.stop_index, rs.params) == "en"
    assert guess_language(doc.blocks, rs.stop_index, rs.params, skip=frozenset({1, 2})) == "de"


def test_stopword_density_is_the_share_of_stopwords_among_tokens():
    (b,) = doc_from_lines("the bridge and the car", language="en").blocks
    assert b.stop_density == pytest.approx(3 / 5)


def test_without_a_stoplist_density_is_none():
    doc = doc_from_lines("北京市环境保护局星期二发布了最新的空气质量报告。", language="zh")
    assert doc.stopwords == frozenset()
    assert doc.blocks[0].stop_density is None


def test_the_language_guess_counts_each_text_once_per_index():
    from cleaner.model import TextMemo

    rs = builtin_ruleset()
    doc = doc_from_lines(GERMAN, "", STORY, "", STORY, upto="features")
    memo = TextMemo()
    for b in doc.blocks:
        b.table.memo = memo  # as one clean() call has it
    assert guess_language(doc.blocks, rs.stop_index, rs.params) == "en"
    assert set(memo.langs[id(rs.stop_index)][1]) == {GERMAN, STORY}  # the sample's texts, once each
    assert guess_language(doc.blocks, rs.stop_index, rs.params, skip=frozenset({1, 2})) == "de"
    # Another index (other stoplists) is not answered from the first one's counts.
    german_only = {w: langs for w, langs in rs.stop_index.items() if "de" in langs and "en" not in langs}
    german_only = {w: ("de",) for w in german_only}
    assert guess_language(doc.blocks, german_only, rs.params) == "de"
