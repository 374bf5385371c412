"""The pipeline: run the five stages over one document, within its time budget."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..config import Settings
from ..errors import DeadlineExceeded
from ..model import Block, CleanResult, Decision, Document, TextMemo
from ..ruleset import RuleSet
from ._breath import breathe
from .assemble import assemble, assemble_text
from .classify import PROSE, apply_rules, final_rule
from .context import assign_kinds, decide_roles, lone_title
from .features import guess_language, language_sample, measure_blocks, stop_densities
from .headline import heading_title, looks_like_title, statement_line
from .lists import contents_lists, contents_sections
from .segment import segment_text
from .story import (
    FURNITURE_ROLES,
    apply_story,
    data_tables,
    fill_story_gaps,
    model_gaps,
    repeated_sections,
    table_cells,
    title_in_story,
    trailing_bio,
    trailing_counters,
)


class Deadline:
    """A per-document time budget; `check()` raises DeadlineExceeded once it is spent.

    `check()` is also a breathing point (`_fast.breathe`): it lets the other threads of the
    process run when the compiled core has held the GIL for a while."""

    __slots__ = ("budget", "end")

    def __init__(self, seconds: float):
        self.budget = seconds
        self.end = time.monotonic() + seconds

    def check(self, stage: str = "") -> None:
        if time.monotonic() > self.end:
            where = f" (during {stage})" if stage else ""
            raise DeadlineExceeded(f"cleaning took longer than the {self.budget:g} s budget{where}")
        breathe()


def host_of(url: str | None) -> str | None:
    """The lower-cased host of `url` without a leading `www.`, or None."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


@dataclass(slots=True)
class Run:
    """What the stages hand on to each other for one document."""

    doc: Document
    ruleset: RuleSet
    language: str | None  # the caller's language, or None to guess
    deadline: Deadline
    furniture: frozenset[int] = frozenset()  # blocks a rule alone decides (left out of the guess)
    decision: Decision | None = None  # stage 4's decision
    result: CleanResult | None = None
    # The languages guessed for this document, by the texts of the sample they were guessed
    # from (the guess depends on nothing else): the second look, which cleans the kept text
    # again, mostly samples the same sentences and reuses the guess instead of counting again.
    guesses: dict[tuple[str, ...], str | None] = field(default_factory=dict)
    # What stages 2-4 computed from block texts alone (measures, rule hits, stopword densities,
    # lexical shape), by text: the second look, whose blocks are texts the first pass measured,
    # reads them instead of computing them again (the same numbers: each is the text's alone).
    memo: TextMemo = field(default_factory=TextMemo)
    full: bool = True  # stage 5 assembles the whole result, else only its text (`assemble_text`)
    # Whether body blocks get their kind (heading, list item, paragraph): only assembly reads a
    # kind, and the second look's readings are read for their title, text, roles and reasons.
    kinds: bool = True


def _guess(run: Run, sample: list[Block]) -> str | None:
    """`guess_language` over `sample`, once per document for the same sentences."""
    key = tuple(b.text for b in sample)
    if key not in run.guesses:
        run.guesses[key] = guess_language(sample, run.ruleset.stop_index, run.ruleset.params)
    return run.guesses[key]


def _features(run: Run) -> None:
    """Stage 2: text measures (lengths, words, punctuation, repetition)."""
    measure_blocks(run.doc, run.memo)


def _classify(run: Run) -> None:
    """Stage 3: every rule in one RE2 Set pass per block (text and word counts only)."""
    apply_rules(run.doc, run.ruleset, run.deadline.check, run.memo)
    run.furniture = frozenset(b.index for b in run.doc.blocks if final_rule(b, run.ruleset) is not None)


def _context(run: Run) -> None:
    """Stage 4: the language, stop-word densities, then every block's role in its context.

    The language is the one of the text cleaner keeps: when the kept blocks say otherwise
    (removed furniture tipped the guess), decide again with theirs, up to a fixed point, so
    cleaning the clean article sees the same language."""
    doc, ruleset, blocks = run.doc, run.ruleset, run.doc.blocks
    lang = (run.language or "").lower()[:2] or None
    sample = language_sample(blocks, ruleset.params, run.furniture)  # the sentences `lang` was guessed from
    if lang is None:
        lang = _guess(run, sample)
    for _ in range(LANGUAGE_ROUNDS):
        doc.language = lang
        doc.stopwords = ruleset.stoplists.get(lang or "", frozenset())
        stop_densities(doc)
        run.decision = decide_roles(doc, ruleset, run.kinds)
        run.deadline.check("context")
        if run.language is not None:
            break
        kept = language_sample(
            [b for b in blocks if b.role in ("body", "standfirst")], ruleset.params, run.furniture
        )
        if kept == sample:
            break  # the same sentences: the same language
        again = _guess(run, kept)
        if again == lang:
            break
        lang, sample = again, kept


def _story(run: Run) -> None:
    """Stage 4b: the fitted story model re-reads the context rules' decisions (text input; HTML
    input, whose blocks have a locator, keeps the decisions its markup evidence backs)."""
    doc, p = run.doc, run.ruleset.params
    model = run.ruleset.trees.get("story")
    decision = run.decision
    if decision is None or decision.story is None or model is None or not p["story_model_on"]:
        return
    if any(b.locator is not None for b in doc.blocks):
        return
    apply_story(doc.blocks, decision.story, p, model)
    breathe()
    if p["title_in_story_on"] and title_in_story(doc.blocks):
        decision.title = None
    if p["clean_gap_fill_on"]:
        ruleset = run.ruleset
        finals = [final_rule(doc.blocks[i], ruleset) for i in sorted(run.furniture)]
        furniture = any(r is not None and r.role in FURNITURE_ROLES for r in finals)
        # A date or byline rule that fired on a few rows names a column of a table or list.
        rows = Counter(r.id for r in finals if r is not None and r.where == "outside_body")
        fillable = frozenset(k for k, v in rows.items() if v >= p["clean_gap_rule_rows"])
        fill_story_gaps(doc.blocks, furniture, fillable, p["clean_lead_lines"],
                        lambda b: looks_like_title(b, p, title_case=True), bool(p["clean_tail_on"]))
    if p["table_cells_on"]:
        table_cells(doc.blocks, run.ruleset.cue_ids, p["story_short_words"])
    if p["data_tables_on"]:
        data_tables(doc.blocks, p)
    if p["contents_lists_on"]:
        _contents(run)
    if p["trailing_bio_on"]:
        _trailing_bio(run)
    _clean_bio(run)
    if p["model_gaps_on"]:
        model_gaps(doc.blocks, p)
    if p["repeated_sections_on"]:
        repeated_sections(doc.blocks, p)
    trailing_counters(doc.blocks)
    if run.kinds:
        assign_kinds(doc.blocks, p)


def _contents(run: Run) -> None:
    """A table of contents (a contents header, then lines repeating the story's headings) is
    navigation, whatever the story model read it as (lists.contents_lists)."""
    ruleset = run.ruleset
    headers = []
    for b in run.doc.blocks:
        if any(ruleset.by_id(rid).kind == "contents" for rid in b.rule_hits):
            headers.append(b.index)
    if headers:
        targets: list[int] = []
        contents_lists(run.doc.blocks, headers, ruleset.params, targets)
        if ruleset.params["contents_sections_on"]:
            contents_sections(run.doc.blocks, targets)


def _trailing_bio(run: Run) -> None:
    """An author's bio after the story goes, on a page (story.trailing_bio)."""
    finals = [final_rule(run.doc.blocks[i], run.ruleset) for i in sorted(run.furniture)]
    furniture = any(r is not None and r.role in FURNITURE_ROLES for r in finals)
    trailing_bio(run.doc.blocks, furniture, run.doc.stopwords, run.ruleset.params)


def _clean_bio(run: Run) -> None:
    """A bio paragraph (a rule of kind `bio`) goes on a page only: in a clean article (no final
    rule found furniture), it is the article's own, and stays as the context rules read it
    without that rule (first do no harm: a clean article keeps its sentences)."""
    ruleset = run.ruleset
    finals = [final_rule(run.doc.blocks[i], ruleset) for i in sorted(run.furniture)]
    if any(r is not None and r.role in FURNITURE_ROLES for r in finals):
        return
    for b in run.doc.blocks:
        r = final_rule(b, ruleset)
        if r is not None and r.kind == "bio" and b.rule == r.id and b.first_opinion in PROSE:
            b.decide("body", "context.prose", "Running text of a clean article (a bio paragraph).")


def _assemble(run: Run) -> None:
    """Stage 5: the structured result."""
    assert run.decision is not None
    doc, decision = run.doc, run.decision
    lone_title(doc, decision, run.ruleset.params)
    run.result = assemble(doc, decision, run.ruleset) if run.full else assemble_text(doc, decision)


# Stage 1 (segmenting text or HTML into blocks) runs before these; the rest run in this order.
STAGES: tuple[tuple[str, Callable[[Run], None]], ...] = (
    ("features", _features),
    ("classify", _classify),
    ("context", _context),
    ("story", _story),
    ("assemble", _assemble),
)
LANGUAGE_ROUNDS = 3  # at most this many language guesses (the first and two corrections)


def _run(
    blocks: list[Block], ruleset: RuleSet, *, url: str | None, language: str | None,
    deadline: Deadline, meta: dict[str, object] | None = None,
    guesses: dict[tuple[str, ...], str | None] | None = None, memo: TextMemo | None = None,
    full: bool = True, kinds: bool = True,
) -> Run:
    doc = Document(blocks=blocks, url=url, host=host_of(url), meta=dict(meta or {}))
    run = Run(doc=doc, ruleset=ruleset, language=language, deadline=deadline,
              guesses={} if guesses is None else guesses, memo=TextMemo() if memo is None else memo,
              full=full, kinds=kinds)
    for name, stage in STAGES:
        stage(run)
        deadline.check(name)
    assert run.result is not None
    return run


def run_blocks(
    blocks: list[Block], ruleset: RuleSet, *, url: str | None, language: str | None,
    deadline: Deadline, meta: dict[str, object] | None = None,
) -> CleanResult:
    """Stages 2-5 over the blocks that stage 1 (text or HTML) produced."""
    result = _run(blocks, ruleset, url=url, language=language, deadline=deadline, meta=meta).result
    assert result is not None
    return result


def _second_look(run: Run, language: str | None, read: tuple[str, ...] | None = None) -> bool:
    """Clean the clean article (title, then text) again, and then its text alone (as a caller
    who keeps only `text` cleans it); the kept blocks that this drops are dropped from `run`
    too, and without a title, a first block that the text reads as its title becomes the title.
    True when something changed (then look again), False at a fixed point.

    `read`: the texts of the blocks `run` was decided from, while its result is still that
    reading's own. A look whose article segments into the same texts is that reading again (every
    stage reads the blocks' texts, in order, not their line numbers): the same decisions, so the
    same title and text, and nothing to drop or promote; it is not run (a clean article's text
    cleaned again: its first reading kept every block)."""
    assert run.result is not None and run.decision is not None
    text, title = run.result.text, run.result.title
    kept = [b for b in run.doc.blocks if b.role in ("standfirst", "body")]
    if not text or not kept:
        return False
    res = run.result
    parts = ([res.standfirst] if res.standfirst else []) + [b["text"] for b in res.body]  # of `text`
    p = run.ruleset.params
    looks = [([title, *parts], title, 0)] if title else [(parts, None, 0)]
    if title and _title_shaped(kept[0], p):
        looks.append((parts, None, 0))  # the text alone may read its first line as the title
    k = 0
    while k < len(looks):
        article, lead, skip = looks[k]
        k += 1
        blocks = _article_blocks(article, p)
        if skip == 0 and read is not None and len(blocks) == len(read) and all(
            b.text == t for b, t in zip(blocks, read, strict=True)
        ):
            continue  # the first reading again: its title and text, nothing changes
        again = _run(blocks, run.ruleset, url=run.doc.url,
                     language=language, deadline=run.deadline, guesses=run.guesses, memo=run.memo,
                     full=False, kinds=False)  # read for its title, text, roles and reasons
        assert again.result is not None
        # The text alone, when its article has a title: only a head the text's first line (taken
        # as the title) stands over is dropped, not what a story read without its title loses.
        head_only = bool(title) and lead is None
        if again.result.text != text and _drop_as_again(run, again, lead, kept[skip:], head_only):
            run.result = assemble_text(run.doc, run.decision)
            return True
        if head_only and skip + 1 < len(kept) and skip < p["second_look_heads"] and (
            again.result.title == kept[skip].text and _title_shaped(kept[skip + 1], p)
        ):
            # The text alone reads its first line as the title: cleaned again, the rest of it is
            # a text alone too, whose own first line may be read as the title over its head.
            looks.append((article[1:], None, skip + 1))
        if not title and again.result.title and again.result.text and (
            text == again.result.title + "\n\n" + again.result.text and kept[0].text == again.result.title
        ):
            # Without a title, the text's first block reads as one when the text is cleaned again
            # (a question over the story): it is the title of the first reading too.
            why = "The story's first block is headline-shaped."
            kept[0].decide("title", "context.title_first_block", why)
            run.decision.title = again.result.title
            if run.decision.standfirst_idx == kept[0].index:
                run.decision.standfirst_idx = None
            run.result = assemble_text(run.doc, run.decision)
            return True
    return False


def _article_blocks(parts: list[str], params: Mapping[str, Any]) -> list[Block]:
    """`segment_text` of the parts joined by blank lines (the clean article's text): when every
    part is one line without surrounding space (as a block's text is), each is one block, on
    its own line, unindented, and the joined text need not be segmented again."""
    if all(t and t == t.strip() and "\n" not in t and "\r" not in t for t in parts):
        return [Block(index=i, text=t, lines=(2 * i + 1, 2 * i + 1)) for i, t in enumerate(parts)]
    return segment_text("\n\n".join(parts), params)


def _title_shaped(b: Block, p: Mapping[str, Any]) -> bool:
    """Whether the text's first block may be read as a title when the text is cleaned alone
    (the cheap test before cleaning it: most texts open with a paragraph)."""
    return b.words == 1 or (looks_like_title(b, p, title_case=True) and not statement_line(b, p))


def _drop_as_again(run: Run, again: Run, title: str | None, kept: list[Block], head_only: bool) -> bool:
    """Drop from `run` the kept blocks that the cleaning of its clean article (`again`, led by
    `title` or not) drops; with `head_only`, only those between a title `again` found and its
    first kept block (the text's first line taken as the title, with no story under it yet).
    True when one was dropped."""
    assert run.decision is not None
    blocks = again.doc.blocks
    if title and blocks and blocks[0].text == title:
        blocks = blocks[1:]
    if len(blocks) != len(kept) or any(a.text != b.text for a, b in zip(blocks, kept, strict=True)):
        return False  # not the same blocks: leave the first reading as it is
    pairs = list(zip(blocks, kept, strict=True))
    changed = False
    if head_only:
        if not blocks or blocks[0].role != "title":
            return False
        first = next((k for k, (a, _) in enumerate(pairs) if a.role in ("standfirst", "body")), len(pairs))
        lead = kept[0]
        if not heading_title(lead.text, again.result.title if again.result is not None else None):
            # The text alone reads its first line as a title that is not the whole line or ends as
            # a sentence ("Which plan is right for you?", "Home » Blog » <headline>"): not the
            # contract's exception (a heading becomes the title unchanged), so the line goes.
            why = "Cleaned alone, the text reads its first line as the title, and not as a heading."
            lead.decide("other", "story.second_look", why)
            changed = True
            if run.decision.standfirst_idx == lead.index:
                run.decision.standfirst_idx = None
        pairs = pairs[1:first]
    for a, b in pairs:
        if a.role not in ("standfirst", "body", "title"):
            why = f"Cleaning the clean article again drops it ({a.rule}: {a.reason})"
            b.decide(a.role, "story.second_look", why)
            changed = True
            if run.decision.standfirst_idx == b.index:
                run.decision.standfirst_idx = None
    return changed


def clean_text(text: str, ruleset: RuleSet, settings: Settings, *, url: str | None = None,
               language: str | None = None, deadline: Deadline | None = None) -> CleanResult:
    """Clean one plain-text document (then, with `second_look_rounds`, its kept text again)."""
    deadline = deadline or Deadline(settings.timeout_s)
    blocks = segment_text(text, ruleset.params)
    deadline.check("segment")
    # Until the last look, only the text is assembled (what the second look compares); the whole
    # result once, at the end, from the blocks as they were last decided.
    run = _run(blocks, ruleset, url=url, language=language, deadline=deadline, full=False)
    read: tuple[str, ...] | None = tuple(b.text for b in blocks)  # what `run.result` was read from
    for _ in range(ruleset.params["second_look_rounds"]):
        if not _second_look(run, language, read):
            break
        read = None  # the result has changed since
    assert run.decision is not None
    lone_title(run.doc, run.decision, ruleset.params)  # the second look may have dropped the story under it
    result = assemble(run.doc, run.decision, ruleset)
    deadline.check("assemble")
    return result
