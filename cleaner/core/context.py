"""Stage 4 of 5: decide each block's role with its context.

In order: the title line and its repeats; the main run of prose; the head of the story
(standfirst, byline, dateline, headline repeats before the first body paragraph); the end of
the story (a source line or a section header such as comments or related stories); then
jusText-style smoothing of the short blocks inside the story, so a short quote or heading
between paragraphs stays and a short line among furniture goes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..model import UNDECIDED, Block, Decision, Document
from ..ruleset import Rule, RuleSet
from ._breath import breathe
from .classify import (
    CF_BAD,
    CF_GOOD,
    CF_SHORT,
    PROSE,
    block_score,
    cue_rule,
    final_rule,
    first_opinions,
    main_run,
    plain,
)
from .features import norm_text
from .headline import (
    below_headline,
    ends_as_sentence,
    find_title,
    headline_below,
    is_standfirst,
    list_item_number,
    looks_like_title,
    split_site_name,
    stable_headline,
    statement_line,
    topic_words,
)
from .lists import colon_lists, list_items, numbered_list, shaped_lists, teasers
from .story import story_columns

HEAD_MARKERS = ("byline", "dateline", "share", "duplicate", "newsletter")
COMMENT_STAMP = "comments.comment_timestamp"  # the rule naming a comment's date-and-time stamp


def decide_roles(doc: Document, ruleset: RuleSet, kinds: bool = True) -> Decision:
    """Give every block of `doc` a role, rule and reason; return what assembly needs. With
    `kinds`, body blocks get their kind too (without it, the caller gives them later, or reads
    no kind: a block's kind is read by assembly alone)."""
    p = ruleset.params
    blocks = doc.blocks
    info = Decision()
    if not blocks:
        return info
    cf = first_opinions(blocks, p)
    rules: list[Rule | None] = [final_rule(b, ruleset) for b in blocks]
    for b, c in zip(blocks, cf, strict=True):
        b.first_opinion = c
    breathe()  # breathing points: a long document holds the GIL otherwise (_fast.breathe)

    title_idx, headline, dups = find_title(blocks, rules, p, doc.host)
    if title_idx is not None and statement_line(blocks[title_idx], p):
        title_idx, headline = None, None
    info.title = headline
    topic = topic_words(headline, doc.stopwords, p)
    teaser = teasers(blocks, cf, rules, topic, dups | {title_idx}, p)
    numbered = numbered_list(blocks, p)
    scores = _scores(blocks, cf, rules, teaser, topic or _doc_topic(blocks, cf, doc.stopwords, p),
                     dups, title_idx, p)
    for i in numbered:
        scores[i] = max(scores[i], p["numbered_item_score"])
    thread = _thread_start(blocks, cf, rules, p)
    if thread is not None:  # the comments under it are no story for the main run to lock onto
        for i in range(thread, len(blocks)):
            scores[i] = min(scores[i], 0.0)
    run = main_run(scores)
    if run is None:
        for b, r in zip(blocks, rules, strict=True):
            _outside(b, r, title_idx, dups)
        breathe()
        _only_text(blocks, rules, info, p)
        _story(doc, ruleset, info, cf, teaser, numbered, None, None, len(blocks))
        if kinds:
            _kinds(blocks, p)
        return info
    a, z = run
    mass = [b.chars if cf[i] == CF_GOOD and plain(rules[i]) and not teaser[i] else 0
            for i, b in enumerate(blocks)]
    tail_start, lists = _story_end(blocks, cf, rules, mass, a, z, p, _repeated(blocks))
    stamps = _comment_stamps(blocks, mass, a, p)
    if stamps is not None and (tail_start is None or stamps < tail_start):
        tail_start = stamps  # a thread of dated comments, though a date rule names each stamp
        rules[stamps] = ruleset.by_id(COMMENT_STAMP)
    info.tail_start = tail_start
    body_end = z if tail_start is None else min(z, tail_start - 1)
    # Headline-shaped prose does not count as a paragraph of the head: it may become the title.
    head_mass = [0 if looks_like_title(b, p) else m for b, m in zip(blocks, mass, strict=True)]
    body_start, head_from = _story_start(rules, mass, head_mass, dups, a, body_end, p)
    # The body is the densest stretch of its own blocks: without the head that held the run
    # together, weak blocks at its edges go. The clean article, cleaned again, has no head.
    inner_run = main_run(scores[body_start : body_end + 1])
    if inner_run is not None:
        body_start, body_end = body_start + inner_run[0], body_start + inner_run[1]
    page_title = None  # the page's title line, when the on-page headline below it is the title
    if title_idx is not None and headline:
        below = headline_below(blocks, rules, title_idx, headline, body_start, dups, doc.stopwords, p)
        if below is not None:
            page_title, title_idx = title_idx, below
            below_text = below_headline(blocks[below].text, blocks[page_title].text)
            headline = info.title = stable_headline(below_text, p, doc.host)
            dups = {i for i in dups if i != below} | {
                b.index for b in blocks[below + 1 :] if b.norm == blocks[below].norm
            }
    listed = list_items(blocks, cf, rules, lists)
    # A teaser-shaped list with story on both sides is the story's own (a list of points).
    ahead = [0] * (len(blocks) + 1)
    for i in range(len(blocks)):
        ahead[i + 1] = ahead[i] + (mass[i] if body_start <= i <= body_end else 0)
    inner = {
        i for i in range(body_start, body_end + 1) if teaser[i] and ahead[i] and ahead[-1] > ahead[i + 1]
    }
    # One lone prose block before the headline repeat is the standfirst (title, dek, headline).
    pre = [i for i in range(a, head_from) if cf[i] in PROSE and rules[i] is None]
    lone = pre[0] if len(pre) == 1 else None

    for i, b in enumerate(blocks):
        r = rules[i]
        if r is not None and r.where == "outside_body" and body_start <= i <= body_end:
            r = None  # a date or byline-shaped line inside the story is story (a tour-dates list)
        if i == title_idx:
            if page_title is None:
                b.decide("title", "context.title", "The first line is the page title.")
            else:
                b.decide("title", "context.headline_below", "The headline under the page's title line.")
        elif i == page_title:
            reason = "The page's title line; the headline below it is the title."
            b.decide("other", "context.page_title", reason)
        elif i in dups:
            b.decide("duplicate", "context.repeated_title", "The line repeats the title.")
        elif r is not None and r.role in ("source", "caption", "related", "byline", "dateline") and (
            a - p["rule_role_before_run"] <= i <= z + p["rule_role_after_run"]
        ):
            b.decide(r.role, r.id, r.reason)
        elif tail_start is not None and i >= tail_start:
            _tail(b, r, cf[i], rules[tail_start], p)
        elif i < a or i > body_end:
            _outside(b, r, title_idx, dups)
        elif i < body_start:
            if r is not None:
                b.decide(r.role, r.id, r.reason)
            elif (
                cf[i] in PROSE and info.standfirst_idx is None and (i > head_from or i == lone)
                and is_standfirst(headline, b.text, p)
            ):
                info.standfirst_idx = i
                b.decide("standfirst", "context.standfirst", "Prose between the headline and the story.")
            else:
                b.decide("other", "context.head", "The block stands before the story starts.")
        elif r is not None:
            b.decide(r.role, r.id, r.reason)
        elif i in listed:
            b.decide("related", "context.related_list", "An item of a related-stories list inside the page.")
        elif i in numbered:
            b.decide("body", "context.numbered_list", "An item of a numbered list in the story.")
        elif teaser[i] and i not in inner:
            b.decide("related", "context.teaser", "A teaser summary between two headlines of other stories.")
        elif cf[i] in PROSE:
            b.decide("body", "context.prose", "Running text inside the main run of prose.")
        else:
            b.role = UNDECIDED  # decided by smoothing below
    breathe()
    _captions_over_credits(blocks, rules, p)
    # Promotions come before smoothing, so a short block next to a promoted title or
    # standfirst is judged as it will be when the printed article is cleaned again.
    if title_idx is None:
        headline = _promote_title(blocks, rules, info, p)
    if info.standfirst_idx is None:
        _promote_standfirst(blocks, headline, info, p)
    _smooth(blocks, body_start, body_end)
    colon_lists(blocks, cf, rules, p)
    shaped_lists(blocks, rules, p)
    for b in blocks:  # a removed block that a cue rule names gets that rule's role
        if b.rule.startswith("context.") and b.role in ("other", "navigation"):
            cue = cue_rule(b, ruleset)
            if cue is not None:
                b.decide(cue.role, cue.id, cue.reason)
    for b in blocks:  # a role the markup states (figcaption, nav...) wins over the text's guess
        if b.hints.get("role") and b.role not in ("title", "duplicate"):
            hints = b.hints
            b.decide(hints["role"], hints.get("rule", "markup.hint"), hints.get("reason", "Markup says so."))
    breathe()
    _only_text(blocks, rules, info, p)
    _story(doc, ruleset, info, cf, teaser, numbered, run, tail_start, body_start)
    if kinds:
        _kinds(blocks, p)
    return info


def _only_text(blocks: list[Block], rules: list[Rule | None], info: Decision, p: Mapping[str, Any]) -> None:
    """A short document is still a document: when nothing was kept, its sentences (blocks that
    end like one, that no rule names) are the text, and a short first line without end
    punctuation above them is the title ("Title", then one sentence)."""
    if any(b.role in ("body", "standfirst") for b in blocks):
        return
    sentences = [b for b in blocks if b.terminal and b.has_letter and rules[b.index] is None]
    if not sentences:
        return
    if info.title is not None and all(b.role == "title" for b in sentences):
        # The one sentence is the whole text, not a title over nothing: cleaning that text
        # again (one line, first, so a title candidate) then gives the same text.
        info.title = None
        for b in sentences:
            b.decide("body", "context.only_text", "A short document: its one sentence is its text.")
        return
    first = blocks[0]
    if (
        info.title is None and first is not sentences[0] and rules[0] is None and not first.terminal
        and first.words <= p["title_max_words"] and first.chars <= p["title_max_chars"] and first.has_letter
        and not list_item_number(first.text, p)  # a list's item, as `find_title` reads it
    ):
        info.title = first.text
        first.decide("title", "context.title", "The first line is the page title.")
    for b in sentences:
        if b.role != "title":
            b.decide("body", "context.only_text", "A short document: its sentences are its text.")


def lone_title(doc: Document, decision: Decision, p: Mapping[str, Any]) -> None:
    """A title over no kept story must read as a title alone, as cleaning the result again reads
    it: a one-word title ("Dating") is one only over a sentence (`_one_word_title`), and a line
    that ends like a statement never (`statement_line`): it is a menu item or a lead-in over
    nothing; one sentence over nothing is the short document's text."""
    if decision.title is None or any(b.role in ("body", "standfirst") for b in doc.blocks):
        return
    titles = [b for b in doc.blocks if b.role == "title"]
    if len(titles) == 1 and (ends_as_sentence(titles[0].text) or ends_as_sentence(decision.title)):
        # One sentence over nothing (a question under a site name cut off, a statement that
        # closes a quote: '... saying, "we will restore trust."'): a short document's text, as
        # cleaning that text again reads it.
        titles[0].decide("body", "context.only_text", "A short document: its one sentence is its text.")
        decision.title = None
        return
    if not titles or not (" " not in decision.title.strip() or statement_line(titles[0], p)):
        return
    for b in titles:
        b.decide("navigation", "context.lone_title", "A title with nothing of the story kept under it.")
    decision.title = None


def _story(
    doc: Document, ruleset: RuleSet, info: Decision, cf: list[str], teaser: list[bool], numbered: set[int],
    run: tuple[int, int] | None, tail_start: int | None, body_start: int,
) -> None:
    """The story model's columns, read after the context rules' decisions (the model itself runs
    as the next stage, cleaner/core/story.py)."""
    p = ruleset.params
    blocks = doc.blocks
    cues = [cue_rule(b, ruleset) is not None for b in blocks]
    sc = story_columns(
        blocks, cf, cues, teaser, numbered, run, tail_start, body_start, bool(doc.stopwords), p,
        ruleset.cue_ids,
    )
    info.story = sc


def _promote_title(
    blocks: list[Block], rules: list[Rule | None], info: Decision, p: Mapping[str, Any],
) -> str | None:
    """With no title line, a headline-shaped first body block is the title: the text cleaner
    prints (title, standfirst, body) starts with the title, and reads back the same way."""
    for b in blocks:
        if b.role == "body":
            if (
                rules[b.index] is None and looks_like_title(b, p) and not statement_line(b, p)
                and not list_item_number(b.text, p)
            ):
                ahead = blocks[b.index + 1 : b.index + 1 + p["title_look_ahead"]]
                later = [x.text for x in ahead if x.role == "body"]
                info.title = stable_headline(split_site_name(b.text, later, p), p)
                b.decide("title", "context.title_first_block", "The story's first block is headline-shaped.")
                keys = {b.norm, norm_text(info.title)}
                for d in blocks[b.index + 1 :]:
                    if d.norm in keys:
                        d.decide("duplicate", "context.repeated_title", "The line repeats the title.")
            break
    return info.title


def _promote_standfirst(
    blocks: list[Block], headline: str | None, info: Decision, p: Mapping[str, Any],
) -> None:
    """With no standfirst in the head, a first body paragraph that reads as one becomes it."""
    for b in blocks:
        if b.role == "body":
            if b.first_opinion in PROSE and is_standfirst(headline, b.text, p):
                info.standfirst_idx = b.index
                reason = "The first paragraph reads as a standfirst."
                b.decide("standfirst", "context.standfirst_shape", reason)
            return


def _doc_topic(
    blocks: list[Block], cf: list[str], stopwords: frozenset[str], p: Mapping[str, Any],
) -> set[str]:
    """Without a headline, the words the document's prose is about: the content words found in
    the most good blocks (at least `topic_doc_min_blocks`), `topic_doc_words` of them. A clean
    text read without its title then gives the blocks about its subject the topic bonus they
    had under the title (a table's rows, a list's tail, a key-points box stay in the run)."""
    n = p["title_word_min_chars"]
    seen: Counter[str] = Counter()
    for b, c in zip(blocks, cf, strict=True):
        if c == CF_GOOD:
            seen.update({w for w in b.toks if len(w) >= n and w not in stopwords and not w.isdigit()})
    top = [w for w, k in seen.most_common(p["topic_doc_words"]) if k >= p["topic_doc_min_blocks"]]
    return set(top)


def _scores(
    blocks: list[Block], cf: list[str], rules: list[Rule | None], teaser: list[bool], topic: set[str],
    dups: set[int], title_idx: int | None, p: dict[str, Any],
) -> list[float]:
    """Each block's pull on the main run: prose up, furniture and other stories' teasers down."""
    scores = [
        block_score(b, c, None if plain(r) else r, p) for b, c, r in zip(blocks, cf, rules, strict=True)
    ]
    for i, b in enumerate(blocks):
        if b.hints.get("role"):  # markup evidence from HTML input
            scores[i] = min(scores[i], 0.0)
        if "main" in b.hints:
            scores[i] += p["main_hint_weight"] * (1 if b.hints["main"] else -1)
        if teaser[i]:
            scores[i] = p["teaser_score"]
        elif cf[i] == CF_GOOD and topic and len(topic.intersection(b.toks)) >= p["topic_min_shared"]:
            scores[i] += p["topic_bonus"]
    for i in dups | ({title_idx} if title_idx is not None else set()):
        scores[i] = p["score_title"]
    return scores


def _repeated(blocks: list[Block]) -> list[bool]:
    """Whether each block's text appears more than once in the page (the measures' count)."""
    t = blocks[0].table if blocks else None
    if t is None or len(t.repeats) != len(blocks):
        return [False] * len(blocks)
    return [x > 1 for x in t.repeats]


def _thread_start(
    blocks: list[Block], cf: list[str], rules: list[Rule | None], p: Mapping[str, Any],
) -> int | None:
    """The header of a comment thread after the story ("Comments", "Leave a Reply"), when the
    controls of comments ("Reply", "Report") follow it closely (a thread, not a share row's
    "Comments" button above the story) and good prose stands before it; else None."""
    seen_prose = False
    for i, r in enumerate(rules):
        if r is None:
            seen_prose = seen_prose or cf[i] == CF_GOOD
            continue
        if not (seen_prose and r.role == "comment" and r.kind == "section_end"):
            continue
        ahead = rules[i + 1 : i + 1 + p["thread_look_ahead"]]
        if sum(x is not None and x.role == "comment" and x.kind != "section_end" for x in ahead) >= 1:
            return i
    return None


def _comment_stamps(blocks: list[Block], mass: list[int], a: int, p: Mapping[str, Any]) -> int | None:
    """The first of a comment thread's date-and-time stamps ("October 17, 2008 at 11:22 am"),
    when at least `comment_stamps_min` blocks after the start of the main run are such stamps
    and good prose stands before the first: comments follow the story. A date rule (a dateline)
    may be the block's final rule; one stamp alone is no thread (a story's dateline)."""
    found = [i for i in range(a, len(blocks)) if COMMENT_STAMP in blocks[i].rule_hits]
    if len(found) < p["comment_stamps_min"] or not any(mass[a : found[0]]):
        return None
    return found[0]


def _story_end(
    blocks: list[Block], cf: list[str], rules: list[Rule | None], mass: list[int], a: int, z: int,
    p: Mapping[str, Any], repeated: list[bool],
) -> tuple[int | None, set[int]]:
    """Where the story ends: a source line, a comment header, or a related-stories header after
    which the run has no more story. A related header with story after it only opens a list."""
    before = 0
    total = sum(mass[a : z + 1])
    lists: set[int] = set()
    for i in range(a, len(blocks)):
        r = rules[i]
        if r is not None and before > 0 and (r.role == "source" or r.kind == "section_end"):
            after = total - before if i <= z else 0
            if r.role == "comment" or (r.role == "source" and _source_ends(before, after, p)) or (
                r.role != "source"
                and not _story_resumes(cf, rules, mass, i, z, before, after, p, repeated, blocks)
            ):
                return i, lists
            lists.add(i)
        if i <= z:
            before += mass[i]
    return None, lists


def _source_ends(before: int, after: int, p: Mapping[str, Any]) -> bool:
    """Whether a source line ends the story: the run's prose after it is a small share of the
    prose before it. With a fair share after it ("Source: <organisation>" under a chart or a
    quote of a listicle's middle), it cites a figure and the story goes on."""
    return after < p["source_end_after_share"] * before


def _story_resumes(
    cf: list[str], rules: list[Rule | None], mass: list[int], h: int, z: int, before: int, after: int,
    p: Mapping[str, Any], repeated: list[bool], blocks: list[Block],
) -> bool:
    """After the list under header `h`, does the story go on (good prose, a fair share of it)?
    Prose whose text the page repeats (a carousel's slides, cloned: testimonials, cards) is not
    the story going on: a story's paragraphs are printed once. Nor is a list of dated teasers
    (`resume_dated_max` lines that are a date alone, "Dec 19, 2025", within
    `resume_dated_window` blocks after the header and before `resume_prose_run` good paragraphs
    in a row), however much prose their summaries hold; a story's own dated list (tour dates, a
    timeline) says what happens on each date."""
    if after < p["resume_min_share"] * before:
        return False
    dated = 0
    prose = 0  # good paragraphs in a row: `resume_prose_run` of them are the story going on
    for k in range(h + 1, min(len(rules), h + 1 + p["resume_dated_window"])):
        r = rules[k]
        if r is not None and r.role == "dateline" and blocks[k].words <= p["resume_dated_words"]:
            dated += 1
        prose = prose + 1 if mass[k] > 0 and not repeated[k] else 0
        if prose >= p["resume_prose_run"]:
            break
    if dated >= p["resume_dated_max"]:
        return False
    j = h + 1
    while j <= z and j <= h + p["resume_look_ahead"]:
        if mass[j] > 0 and not repeated[j]:
            return True
        if cf[j] == CF_GOOD and (rules[j] is None or repeated[j]):
            return False
        j += 1
    return False


def _story_start(
    rules: list[Rule | None], mass: list[int], head_mass: list[int], dups: set[int], a: int, body_end: int,
    p: Mapping[str, Any],
) -> tuple[int, int]:
    """The first block of the body, and the block the head starts after (the headline repeat).

    A repeat of the headline with most of the run's prose after it marks where the article
    starts (what precedes it is other stories). After it, prose before the last of a chain of
    head markers (byline, dateline, share row; each at most two paragraphs after the last) is
    the head (standfirst, kicker), not body; a chain of more than `head_max_markers` markers is
    no head but a list of dated items in the story, which then starts after the repeat.
    Counting paragraphs, not shares of the text, keeps the head where it is when the clean
    article is cleaned again."""
    total = sum(mass[a : body_end + 1])
    head_from = a - 1
    for d in sorted(dups):
        if a <= d <= body_end and sum(mass[d : body_end + 1]) >= p["headline_repeat_share"] * total:
            head_from = d
    body_start = head_from + 1
    goods = 0  # paragraphs since the last head marker: a chain of markers, each close to the last
    markers = 0
    for i in range(head_from + 1, body_end + 1):
        r = rules[i]
        strong = i in dups or (r is not None and r.role in ("byline", "dateline"))
        weak = r is not None and r.role in HEAD_MARKERS and goods <= p["head_weak_marker_gap"]
        if (strong and goods <= p["head_marker_gap"]) or weak:
            body_start, goods = i + 1, 0
            markers += 1
        elif head_mass[i] > 0:
            goods += 1
            if goods > p["head_marker_gap"]:
                break
    if markers > p["head_max_markers"]:
        # More markers than a head holds: a list of dated items (events, tour dates) in the story.
        return head_from + 1, head_from
    return body_start, head_from


def _tail(b: Block, r: Rule | None, cf: str, end_rule: Rule | None, p: Mapping[str, Any]) -> None:
    """A block after the end of the story: comments after a comment header, else teasers."""
    if r is not None:
        b.decide(r.role, r.id, r.reason)
    elif end_rule is not None and end_rule.role == "comment":
        b.decide("comment", "context.comment_thread", "The block follows a comment-section header.")
    elif cf in PROSE or b.words >= p["tail_teaser_min_words"]:
        b.decide("related", "context.after_story", "A teaser after the end of the story.")
    else:
        b.decide("navigation", "context.after_story_short", "A short line after the end of the story.")


def _outside(b: Block, r: Rule | None, title_idx: int | None, dups: set[int]) -> None:
    if b.index == title_idx:
        b.decide("title", "context.title", "The first line is the page title.")
    elif b.index in dups:
        b.decide("duplicate", "context.repeated_title", "The line repeats the title.")
    elif r is not None and r.role not in ("caption", "source", "related"):
        b.decide(r.role, r.id, r.reason)
    elif b.first_opinion in (CF_SHORT, CF_BAD):
        b.decide("navigation", "context.outside_short", "A short line outside the main run of prose.")
    else:
        b.decide("other", "context.outside_prose", "Text outside the main run of prose.")


def _smooth(blocks: list[Block], start: int, end: int) -> None:
    """Short blocks in the story take their neighbours' side (jusText's revision)."""
    for i in range(start, end + 1):
        b = blocks[i]
        if b.role != UNDECIDED:
            continue
        prev = _neighbour(blocks, i, -1, start, end)
        nxt = _neighbour(blocks, i, +1, start, end)
        if prev == "body" and nxt == "body":
            b.decide("body", "context.between_prose", "A short block between paragraphs of the story.")
        else:
            b.decide("other", "context.short_among_furniture", "A short block among non-story blocks.")


def _captions_over_credits(blocks: list[Block], rules: list[Rule | None], p: Mapping[str, Any]) -> None:
    """A short paragraph or line right above a credit line ("Sonu Mehta/Getty Images", "(Image
    credit: NASA)") is that picture's caption: pictures carry a caption, then a credit. A short
    line is still undecided here (smoothing comes later)."""
    for i in range(1, len(blocks)):
        r = rules[i]
        if r is None or r.kind != "credit" or blocks[i].role != "caption":
            continue
        b = blocks[i - 1]
        # A short line still undecided (smoothing comes later) is a caption when it is a
        # sentence: a heading above a picture stays the story's.
        sentence = b.role == "body" or (b.role == UNDECIDED and b.terminal)
        if sentence and b.words <= p["caption_max_words"] and rules[i - 1] is None:
            reason = "A short paragraph right above a photo credit."
            b.decide("caption", "context.caption_above_credit", reason)


def _neighbour(blocks: list[Block], i: int, step: int, start: int, end: int) -> str | None:
    j = i + step
    while start <= j <= end:
        b = blocks[j]
        if b.role == "body":
            return "body"
        if b.role not in (UNDECIDED, "caption") and b.rule.startswith("context."):
            return "other"
        j += step  # undecided, a caption, or decided by a rule: look through it
    return None


def assign_kinds(blocks: list[Block], p: Mapping[str, Any]) -> None:
    """Body blocks get a kind (again, after the story model re-decided some)."""
    _kinds(blocks, p)


def _kinds(blocks: list[Block], p: Mapping[str, Any]) -> None:
    """Body blocks get a kind: heading, list item or paragraph."""
    body = [b for b in blocks if b.role == "body"]
    for k, b in enumerate(body):
        text = b.text
        if b.hints.get("kind") in ("heading", "list_item", "quote", "paragraph"):
            b.kind = b.hints["kind"]
        elif (
            (b.rule in ("context.colon_list", "context.shaped_list") and not text.endswith(":"))
            or (text[:1] in "•·▪◦-*–" and len(text) > 2 and text[1] == " ")
            or _numbered(text, p)
        ):
            b.kind = "list_item"
        elif (
            b.words <= p["heading_max_words"] and not b.terminal and k + 1 < len(body)
            and body[k + 1].first_opinion in PROSE and not text.endswith((",", ";"))
        ):
            b.kind = "heading"
        else:
            b.kind = "paragraph"


def _numbered(text: str, p: Mapping[str, Any]) -> bool:
    """An item number ("1. ", "12) ") opens the text."""
    if not text or text[0] not in "0123456789":
        return False  # what the count below needs first, without slicing
    limit = p["numbered_max_digits"]
    head = text[: limit + 1]
    digits = len(head) - len(head.lstrip("0123456789"))
    return 0 < digits <= limit and text[digits : digits + 2] in (". ", ") ")
