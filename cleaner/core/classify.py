"""Stage 3 of 5: classify each block on its own (first opinion), then with context.

First opinion, as in jusText: a block is `good` (prose: long enough, with the stopword density
or sentence shape of running text), `neargood`, `short` or `bad`; a final rule that matches
gives the block its role outright. Context then decides: the main run of prose (the densest
stretch of good blocks) is where the story is; short blocks take the class of their
neighbours (smoothing); a section header after the story (comments, related) ends it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Block, Document, TextMemo
from ..ruleset import Rule, RuleSet
from ._breath import breathe

CF_GOOD, CF_NEARGOOD, CF_SHORT, CF_BAD = "good", "neargood", "short", "bad"
PROSE = (CF_GOOD, CF_NEARGOOD)


def first_opinion(b: Block, p: dict[str, Any]) -> str:
    """The context-free class of a block (jusText's cf_class), language-neutral without a stoplist."""
    return _opinion(b.chars, b.words, b.has_letter, b.stop_density, b.terminal, p)


def first_opinions(blocks: list[Block], p: dict[str, Any]) -> list[str]:
    """`first_opinion` of every block, read from the columns of their table (the same classes)."""
    t = blocks[0].table if blocks else None
    if t is None or len(t) != len(blocks) or any(b.table is not t or b.index != i
                                                 for i, b in enumerate(blocks)):
        return [first_opinion(b, p) for b in blocks]
    return [_opinion(chars, words, letter, sd, terminal, p) for chars, words, letter, sd, terminal
            in zip(t.chars, t.words, t.has_letter, t.stop_density, t.terminal, strict=True)]


def _opinion(
    chars: int, words: int, has_letter: bool, sd: float | None, terminal: bool, p: dict[str, Any],
) -> str:
    if not has_letter:
        return CF_BAD
    if sd is None:  # no stoplist: sentence shape and length only
        if chars >= p["length_high"] and terminal:
            return CF_GOOD
        if chars >= p["length_low"] and (terminal or words >= p["neargood_min_words"]):
            return CF_NEARGOOD
        return CF_SHORT if chars < p["length_low"] else CF_BAD
    if chars < p["length_low"]:
        return CF_SHORT
    if sd >= p["stopwords_high"] and (chars >= p["length_high"] or terminal):
        return CF_GOOD
    if sd >= p["stopwords_low"]:
        return CF_NEARGOOD
    if terminal and chars >= p["length_high"] and sd >= p["stopwords_names"]:
        return CF_NEARGOOD  # a long sentence dense with names (sports, finance) is still prose
    return CF_BAD


def plain(rule: Rule | None) -> bool:
    """No rule decides the block by itself (none, or one that applies only outside the story)."""
    return rule is None or rule.where == "outside_body"


def apply_rules(
    doc: Document, ruleset: RuleSet, check: Callable[[str], None] | None = None, memo: TextMemo | None = None,
) -> None:
    """Record the rules that match each block (one RE2 Set pass per block); `check` is called
    every `deadline_every_blocks` blocks, so a time budget can stop a huge document here. With
    `memo` (one per clean() call), each text is matched once per host: the hits are the text's
    (and its word count's, itself the text's) alone."""
    host = doc.host
    every = ruleset.params["deadline_every_blocks"]
    seen = memo.rules.setdefault(host, {}) if memo is not None else {}
    for i, b in enumerate(doc.blocks):
        text = b.text
        hits = seen.get(text)
        if hits is None:
            hits = seen[text] = tuple([r.id for r in ruleset.match(text, host, b.words)])
        b.rule_hits = list(hits)
        if check is not None and (i + 1) % every == 0:
            check("rules")


def final_rule(b: Block, ruleset: RuleSet) -> Rule | None:
    """The first final rule that matched the block, if any."""
    for rid in b.rule_hits:
        rule = ruleset.by_id(rid)
        if rule.final:
            return rule
    return None


def cue_rule(b: Block, ruleset: RuleSet) -> Rule | None:
    """The first non-final (cue) rule that matched the block, if any."""
    for rid in b.rule_hits:
        rule = ruleset.by_id(rid)
        if not rule.final:
            return rule
    return None


def block_score(b: Block, cf: str, rule: Rule | None, p: dict[str, Any]) -> float:
    """How much a block pulls the main run towards itself: prose up, furniture down
    (weights in rules/classifier.yaml)."""
    if rule is not None:
        return 0.0 if rule.role == "caption" else p["score_furniture"]
    if cf == CF_GOOD:
        return p["score_good"] + min(p["score_good_length_cap"], b.chars / p["score_good_chars"])
    return p["score_" + cf]


def main_run(scores: list[float]) -> tuple[int, int] | None:
    """The contiguous stretch of blocks with the largest total score (Kadane), or None."""
    breathe()  # a breathing point of stage 4 (a long document holds the GIL otherwise)
    best, best_span = 0.0, None
    total, start = 0.0, 0
    for i, s in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += s
        if total > best:
            best, best_span = total, (start, i)
    return best_span
