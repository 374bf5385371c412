"""The helper the stage tests build documents with runs the pipeline's own stages, in order."""

from __future__ import annotations

import pytest
from core_helpers import STAGE_NAMES, builtin_ruleset, doc_from_lines, result_from_lines, roles, run_lines

from cleaner import clean
from cleaner.model import UNDECIDED

LINES = ("Bridge to be repaired", "", "Share this story", "",
         "The council voted on Tuesday to repair the old bridge before the winter, after inspectors "
         "found cracks in two of its piers during a routine check in the summer.")


def test_the_stages_are_the_pipelines():
    assert STAGE_NAMES == ("segment", "features", "classify", "context", "story", "assemble")


def test_up_to_segment_the_blocks_have_no_measures_yet():
    doc = doc_from_lines(*LINES, upto="segment")
    assert [b.lines for b in doc.blocks] == [(1, 1), (3, 3), (5, 5)]
    with pytest.raises(RuntimeError):
        _ = doc.blocks[0].words


def test_up_to_features_the_blocks_are_measured_but_match_no_rule_yet():
    doc = doc_from_lines(*LINES, upto="features")
    assert [b.words for b in doc.blocks] == [4, 3, 29]
    assert [b.rule_hits for b in doc.blocks] == [[], [], []]


def test_up_to_classify_the_rules_have_matched_but_nothing_is_decided():
    doc = doc_from_lines(*LINES, upto="classify")
    assert [b.rule_hits for b in doc.blocks] == [[], ["boilerplate.share_buttons"], []]
    assert [b.rule for b in doc.blocks] == ["", "", ""]


def test_up_to_context_every_block_is_decided():
    doc = doc_from_lines(*LINES)
    assert [r[1:] for r in roles(doc)] == [
        ("title", "context.title"), ("share", "boilerplate.share_buttons"), ("body", "context.prose"),
    ]
    assert UNDECIDED not in [b.role for b in doc.blocks]


def test_all_stages_give_what_clean_gives():
    text = "\n".join(LINES)
    assert result_from_lines(*LINES).to_dict() == clean(text, ruleset=builtin_ruleset()).to_dict()
    assert run_lines(*LINES, upto="assemble").result is not None


def test_an_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="upto"):
        doc_from_lines("x", upto="smoothing")


def test_the_url_gives_the_document_its_host():
    assert doc_from_lines("x", url="https://www.example.com/a").host == "example.com"


def test_cleaning_text_holds_the_cyclic_collector_and_leaves_it_as_it_was():
    import gc

    from cleaner import engine

    seen = []
    real = engine.clean_text

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    text = "\n".join(LINES)
    was = gc.isenabled()
    try:
        engine.clean_text = spy
        gc.enable()
        assert clean(text).text == real(text, builtin_ruleset(), engine.Settings()).text
        assert gc.isenabled()
        gc.disable()
        clean(text)
        assert not gc.isenabled()  # a caller's disabled collector stays disabled
    finally:
        engine.clean_text = real
        (gc.enable if was else gc.disable)()
    assert seen == [False, False]


def test_cleaning_html_holds_the_cyclic_collector_and_leaves_it_as_it_was(monkeypatch):
    import gc

    from cleaner.html import input as html_input

    seen = []
    real = html_input.clean_html

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(html_input, "clean_html", spy)
    page = "<html><body><article>" + "".join(f"<p>{s}</p>" for s in LINES if s) + "</article></body></html>"
    was = gc.isenabled()
    try:
        gc.enable()
        clean(html=page)
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False]
