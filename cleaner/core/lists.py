"""Lists and teasers: structures that decide many blocks at once.

A story's lists (numbered items, a colon lead-in and its items, like-shaped lines after the
story) are kept; a list of other stories' teasers (headline, summary, headline...) is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import textre
from ..model import Block
from ..ruleset import Rule
from .classify import CF_GOOD, PROSE, plain

_NUMBER = textre.compile(f"^({textre.D}{{1,3}})[.)]{textre.S}+{textre.NS}")
# A lead-in to links, not to a list of the story ("Read more about this topic:", "Tags:").
_LINKS_LEAD_IN = textre.compile(f"(?i)(?:^|{textre.NW})"
                                r"(?:read|related|more|tags?|topics?|follow|share|links?|see also|click)"
                                f"(?:$|{textre.NW})")  # \\b(...)\\b


def numbered_list(blocks: list[Block], p: Mapping[str, Any]) -> set[int]:
    """Blocks that open with consecutive numbers ("1) ...", "2) ...", at least three in order,
    other blocks allowed between): the items of a list article, which menus rarely are."""
    out: set[int] = set()
    run: list[int] = []
    expect = None
    for b in blocks:
        if not b.text[:1].isdecimal():  # what `_NUMBER` needs first (\p{Nd}), without a call into RE2
            continue
        m = _NUMBER.match(b.text)
        if m is None:
            continue
        n = int(m.group(1))
        if expect is not None and n == expect:
            run.append(b.index)
        else:
            if len(run) >= p["list_min_items"]:
                out.update(run)
            run = [b.index]
        expect = n + 1
    if len(run) >= p["list_min_items"]:
        out.update(run)
    return out


def colon_lists(blocks: list[Block], cf: list[str], rules: list[Rule | None], p: Mapping[str, Any]) -> None:
    """A sentence ending in a colon right after a paragraph of the story introduces a list (tour
    dates, ingredients): it and the short items under it are story, up to the next prose or rule."""
    for i in range(1, len(blocks)):
        b = blocks[i]
        if b.role == "body" or blocks[i - 1].role != "body" or rules[i] is not None:
            continue
        lead_in = p["colon_lead_min_words"] <= b.words <= p["colon_lead_max_words"]
        if not (b.text.endswith(":") and lead_in) or _LINKS_LEAD_IN.search(b.text):
            continue
        items = []
        for j in range(i + 1, min(len(blocks), i + p["colon_list_look_ahead"])):
            if not plain(rules[j]) or cf[j] == CF_GOOD or blocks[j].words > p["colon_item_max_words"]:
                break
            items.append(j)
        if len(items) >= 2:
            for j in [i, *items]:
                reason = "An item of a list that a story sentence introduces."
                blocks[j].decide("body", "context.colon_list", reason)


def shape(text: str) -> str:
    """The punctuation skeleton of a line: 'England (Group A): 10th' gives '():'."""
    return textre.punctuation(text)


def shaped_lists(blocks: list[Block], rules: list[Rule | None], p: Mapping[str, Any]) -> None:
    """Short lines right after the story that share one punctuation skeleton (a results table,
    tour dates, a roster) are a list of the story, not a menu: menus carry no such shape."""
    n = len(blocks)
    i = 1
    while i < n:
        if blocks[i - 1].role != "body" or blocks[i].role == "body":
            i += 1
            continue
        start = i
        if blocks[i].words <= p["shaped_head_max_words"] and plain(rules[i]) and not shape(blocks[i].text):
            i += 1  # one short header ("Qualified teams")
        j = i
        longest = p["shaped_item_max_words"]
        while j < n and blocks[j].role != "body" and plain(rules[j]) and blocks[j].words <= longest:
            j += 1
        shapes = [shape(blocks[k].text) for k in range(i, j)]
        common = max(set(shapes), key=shapes.count) if shapes else ""
        alike = shapes.count(common) >= p["shaped_common_share"] * len(shapes)
        if len(shapes) >= p["shaped_min_items"] and common and alike:
            for k in range(start, j):
                reason = "A line of a list of like-shaped lines after the story."
                blocks[k].decide("body", "context.shaped_list", reason)
        i = max(j, start + 1)


def headline_like(b: Block, cf: str, rule: Rule | None, p: Mapping[str, Any]) -> bool:
    sized = p["teaser_min_words"] <= b.words <= p["teaser_max_words"]
    return rule is None and cf != CF_GOOD and not b.terminal and sized


def teasers(
    blocks: list[Block], cf: list[str], rules: list[Rule | None], topic: set[str], titles: set[int | None],
    p: Mapping[str, Any],
) -> list[bool]:
    """Prose blocks that sit between two headlines and share nothing with the story's headline:
    the summaries of a list of other stories."""
    n = len(blocks)
    heads = [
        headline_like(b, c, r, p) and b.index not in titles for b, c, r in zip(blocks, cf, rules, strict=True)
    ]
    # Neighbours are looked up through rule-decided blocks (captions, share rows...) and one- or
    # two-word lines, which never decide anything here: the same blocks are neighbours when the
    # clean text is cleaned again.
    kept = [i for i in range(n) if plain(rules[i]) and blocks[i].words >= p["teaser_min_words"]]
    cand = [False] * len(kept)
    for k, i in enumerate(kept):
        if cf[i] not in PROSE or rules[i] is not None or k == 0 or not heads[kept[k - 1]]:
            continue
        if k + 1 >= len(kept) or not heads[kept[k + 1]]:
            continue
        cand[k] = topic.isdisjoint(blocks[i].toks)
    # A list of them, not one: headline, summary, headline, summary, headline.
    out = [False] * n
    for k, i in enumerate(kept):
        if cand[k] and ((k >= 2 and cand[k - 2]) or (k + 2 < len(kept) and cand[k + 2])):
            out[i] = True
    return out


def list_items(blocks: list[Block], cf: list[str], rules: list[Rule | None], headers: set[int]) -> set[int]:
    """The items under a related-list header inside the page: the non-prose blocks after it."""
    out: set[int] = set()
    for h in headers:
        j = h + 1
        while j < len(blocks) and rules[j] is None and cf[j] != CF_GOOD:
            out.add(j)
            j += 1
    return out


def _contents_key(b: Block) -> tuple[str, ...]:
    """A heading's words without its leading numbers ("2.1  Why it matters" and "Why it matters"
    give the same key), lower-cased: what a table of contents and the heading share."""
    toks = b.toks
    k = 0
    while k < len(toks) and toks[k].isdigit():
        k += 1
    return tuple(toks[k:])


def contents_lists(
    blocks: list[Block], headers: list[int], p: Mapping[str, Any], targets: list[int] | None = None
) -> int:
    """A table of contents inside the page: under a contents header ("Table of Contents", "In
    this article"), short lines each of which a later block repeats (the heading it links to,
    numbered or not), in a run of at least `contents_min_entries`; one short line that repeats
    nothing (a Toggle or Hide control) may stand among them. The header and its entries are
    navigation: the story's headings are read once, where their sections start. Returns how
    many blocks it decided; `targets`, when given, gets the index of each entry's heading (the
    first later block that repeats it)."""
    keys = [_contents_key(b) for b in blocks]
    last: dict[tuple[str, ...], int] = {}
    for i, key in enumerate(keys):
        if key:
            last[key] = i
    decided = 0
    for h in headers:
        entries: list[int] = []
        gap = -1
        j = h + 1
        while j < len(blocks):
            b = blocks[j]
            if keys[j] and b.words <= p["contents_entry_max_words"] and last[keys[j]] > j:
                entries.append(j)
            elif gap < 0 and b.words <= p["contents_gap_max_words"]:
                gap = j
            else:
                break
            j += 1
        if len(entries) < p["contents_min_entries"]:
            continue
        end = entries[-1]
        reason = "A table of contents: its lines repeat the story's headings further down."
        for k in range(h, end + 1):
            blocks[k].decide("navigation", "context.contents_list", reason)
            decided += 1
        if targets is not None:
            wanted = {keys[j] for j in entries}
            for k in range(end + 1, len(blocks)):
                if keys[k] in wanted:
                    wanted.discard(keys[k])
                    targets.append(k)
    return decided


MONEY = frozenset("$€£¥₹¢")
SOFT = ("context.outside_short", "context.outside_prose", "context.after_story", "story.model_out")


def contents_sections(blocks: list[Block], targets: list[int]) -> int:
    """The story's sections a table of contents names: from the first heading it links to, to
    the last, every block a context rule or the story model left out for its shape or place
    alone (`SOFT`: a short line, prose outside the main run, past a presumed end) is story; a
    table of contents lists the article's own sections, so what lies between them is the
    article (a feature list, a pros-and-cons grid). What a rule named (a share row, an advert)
    stays as it was. Returns how many blocks it restored."""
    if len(targets) < 2:
        return 0
    restored = 0
    reason = "Between two headings a table of contents names: a section of the story."
    for k in range(min(targets), max(targets) + 1):
        b = blocks[k]
        if b.rule not in SOFT:
            continue
        # A price without a sentence (a product box's line) is furniture the sections carry.
        if not b.terminal and any(c in MONEY for c in b.text):
            continue
        b.decide("body", "context.contents_section", reason)
        restored += 1
    return restored
