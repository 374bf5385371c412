"""Stage 4 of 5: decide each block's role with its context.

In order: the title line and its repeats; the main run of prose; the head of the story
(standfirst, byline, dateline, headline repeats before the first body paragraph); the end of
the story (a source line or a section header such as comments or related stories); then
jusText-style smoothing of the short blocks inside the story, so a short quote or heading
between paragraphs stays and a short line among furniture goes.
"""

from __future__ import annotations

import re
from typing import Any

from .classify import (
    CF_BAD,
    CF_GOOD,
    CF_NEARGOOD,
    CF_SHORT,
    block_score,
    cue_rule,
    final_rule,
    first_opinion,
    main_run,
)
from .features import norm_text
from .model import Block, Document
from .ruleset import Rule, RuleSet

_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ")
HEAD_MARKERS = ("byline", "dateline", "share", "duplicate", "newsletter")
PROSE = (CF_GOOD, CF_NEARGOOD)


def _set(b: Block, role: str, rule: str, reason: str) -> None:
    b.role, b.rule, b.reason = role, rule, reason


def split_site_name(title: str, later: list[str]) -> str:
    """The headline of a page title: a later line that starts it, else the title without its
    trailing site-name segments."""
    tnorm = norm_text(title)
    head = title
    for text in later:
        n = norm_text(text)
        if n and len(n) >= 0.3 * len(tnorm) and tnorm.startswith(n) and n != tnorm:
            head = text.strip()
            break
    for _ in range(3):
        cut = max((head.rfind(sep) for sep in _TITLE_SEPARATORS), default=-1)
        if cut <= 0:
            break
        tail = head[cut:].strip(" |-–—:«»·")
        if not _site_name_like(tail) or len(head[:cut].split()) < 2:
            break
        head = head[:cut].rstrip()
    return head


def _site_name_like(segment: str) -> bool:
    """A trailing title segment that names the site or section: short, no sentence, no quotes."""
    return (
        0 < len(segment.split()) <= 6
        and not any(c in segment for c in "\"“”‘’«»?!")
        and not segment.endswith(".")
    )


def looks_like_title(b: Block) -> bool:
    """A block that can be a headline: short, and not a sentence of running prose."""
    f = b.features
    prose_sentence = f["words"] >= 8 and b.text.endswith(".")  # language-neutral on purpose
    return f["has_letter"] and f["words"] <= 30 and f["chars"] <= 250 and not prose_sentence


def decide_roles(doc: Document, ruleset: RuleSet) -> dict[str, Any]:
    """Give every block of `doc` a role, rule and reason; return what assembly needs."""
    p = ruleset.params
    blocks = doc.blocks
    info: dict[str, Any] = {"title": None, "standfirst_idx": None, "tail_start": None}
    if not blocks:
        return info
    cf = [first_opinion(b, p) for b in blocks]
    rules: list[Rule | None] = [final_rule(b, ruleset) for b in blocks]
    for b, c in zip(blocks, cf, strict=True):
        b.first_opinion = c

    title_idx, headline, dups = _title(blocks, rules)
    info["title"] = headline
    topic = _topic_words(headline, doc.stopwords)
    teaser = _teasers(blocks, cf, rules, topic, dups | {title_idx})
    numbered = numbered_list(blocks)
    scores = _scores(blocks, cf, rules, teaser, topic, dups, title_idx, p)
    for i in numbered:
        scores[i] = max(scores[i], p.get("numbered_item_score", 0.5))
    run = main_run(scores)
    if run is None:
        for b, r in zip(blocks, rules, strict=True):
            _outside(b, r, title_idx, dups)
        return info
    a, z = run
    mass = [b.features["chars"] if cf[i] == CF_GOOD and _plain(rules[i]) and not teaser[i] else 0
            for i, b in enumerate(blocks)]
    tail_start, lists = _story_end(blocks, cf, rules, mass, a, z)
    info["tail_start"] = tail_start
    body_end = z if tail_start is None else min(z, tail_start - 1)
    body_start, head_from = _story_start(cf, rules, mass, dups, a, body_end)
    listed = _list_items(blocks, cf, rules, lists)
    # One lone prose block before the headline repeat is the standfirst (title, dek, headline).
    pre = [i for i in range(a, head_from) if cf[i] in PROSE and rules[i] is None]
    lone = pre[0] if len(pre) == 1 else None

    for i, b in enumerate(blocks):
        r = rules[i]
        if r is not None and r.where == "outside_body" and body_start <= i <= body_end:
            r = None  # a date or byline-shaped line inside the story is story (a tour-dates list)
        if i == title_idx:
            _set(b, "title", "context.title", "The first line is the page title.")
        elif i in dups:
            _set(b, "duplicate", "context.repeated_title", "The line repeats the title.")
        elif r is not None and r.role in ("source", "caption", "related", "byline", "dateline") and (
            a - 6 <= i <= z + 2
        ):
            _set(b, r.role, r.id, r.reason)
        elif tail_start is not None and i >= tail_start:
            _tail(b, r, cf[i], rules[tail_start])
        elif i < a or i > z:
            _outside(b, r, title_idx, dups)
        elif i < body_start:
            if r is not None:
                _set(b, r.role, r.id, r.reason)
            elif (
                cf[i] in PROSE and info["standfirst_idx"] is None and (i > head_from or i == lone)
                and is_standfirst(headline, b.text)
            ):
                info["standfirst_idx"] = i
                _set(b, "standfirst", "context.standfirst", "Prose between the headline and the story.")
            else:
                _set(b, "other", "context.head", "The block stands before the story starts.")
        elif r is not None:
            _set(b, r.role, r.id, r.reason)
        elif i in listed:
            _set(b, "related", "context.related_list", "An item of a related-stories list inside the page.")
        elif i in numbered:
            _set(b, "body", "context.numbered_list", "An item of a numbered list in the story.")
        elif teaser[i]:
            _set(b, "related", "context.teaser", "A teaser summary between two headlines of other stories.")
        elif cf[i] in PROSE:
            _set(b, "body", "context.prose", "Running text inside the main run of prose.")
        else:
            b.role = "?"  # decided by smoothing below
    # Promotions come before smoothing, so a short block next to a promoted title or
    # standfirst is judged as it will be when the printed article is cleaned again.
    if title_idx is None:
        headline = _promote_title(blocks, rules, info)
    if info["standfirst_idx"] is None:
        _promote_standfirst(blocks, headline, info)
    _smooth(blocks, body_start, body_end)
    _colon_lists(blocks, cf, rules)
    _shaped_lists(blocks, rules)
    for b in blocks:  # a removed block that a cue rule names gets that rule's role
        if b.rule.startswith("context.") and b.role in ("other", "navigation"):
            cue = cue_rule(b, ruleset)
            if cue is not None:
                _set(b, cue.role, cue.id, cue.reason)
    for b in blocks:  # a role the markup states (figcaption, nav...) wins over the text's guess
        if b.hints.get("role") and b.role not in ("title", "duplicate"):
            _set(b, b.hints["role"], b.hints.get("rule", "markup.hint"), b.hints.get("reason", "Markup says so."))
    _kinds(blocks)
    return info


_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")
_DATELINE_OPENING = re.compile(r"^[A-Z][A-Z .,]+(?:\([^)]*\))?\s*[—–-]")
_ATTRIBUTION = re.compile(r"\b(?:said|says|told)\b")


def is_standfirst(headline: str | None, text: str) -> bool:
    """Whether a prose block reads as the headline's standfirst (dek): one short declarative
    sentence about the headline's subject, with no numbers, quotes, dateline or attribution.

    The test uses the headline and the block alone, so an article that cleaner printed (title,
    standfirst, body) is read back the same way: cleaning is idempotent."""
    if not headline:
        return False
    words = text.split()
    if not 8 <= len(words) <= 30 or not text.endswith("."):
        return False
    if _SENTENCE_BREAK.search(text[:-1]) or _DATELINE_OPENING.match(text) or _ATTRIBUTION.search(text):
        return False
    if any(c.isdigit() or c in "\"“”‘’'«»" for c in text):
        return False
    topic = {w for w in norm_text(headline).split() if len(w) >= 4 and not w.isdigit()}
    shared = topic & set(norm_text(text).split())
    return len(shared) >= 2 and len(shared) >= 0.5 * len(topic)


def _promote_title(blocks: list[Block], rules: list[Rule | None], info: dict[str, Any]) -> str | None:
    """With no title line, a headline-shaped first body block is the title: the text cleaner
    prints (title, standfirst, body) starts with the title, and reads back the same way."""
    for b in blocks:
        if b.role == "body":
            if rules[b.index] is None and looks_like_title(b):
                later = [x.text for x in blocks[b.index + 1 : b.index + 12] if x.role == "body"]
                info["title"] = split_site_name(b.text, later)
                _set(b, "title", "context.title_first_block", "The story's first block is headline-shaped.")
                keys = {b.features["norm"], norm_text(info["title"])}
                for d in blocks[b.index + 1 :]:
                    if d.features["norm"] in keys:
                        _set(d, "duplicate", "context.repeated_title", "The line repeats the title.")
            break
    return info["title"]


def _promote_standfirst(blocks: list[Block], headline: str | None, info: dict[str, Any]) -> None:
    """With no standfirst in the head, a first body paragraph that reads as one becomes it."""
    for b in blocks:
        if b.role == "body":
            if b.first_opinion in PROSE and is_standfirst(headline, b.text):
                info["standfirst_idx"] = b.index
                _set(b, "standfirst", "context.standfirst_shape", "The first paragraph reads as a standfirst.")
            return


_NUMBER = re.compile(r"^(\d{1,3})[.)]\s+\S")


def numbered_list(blocks: list[Block]) -> set[int]:
    """Blocks that open with consecutive numbers ("1) ...", "2) ...", at least three in order,
    other blocks allowed between): the items of a list article, which menus rarely are."""
    out: set[int] = set()
    run: list[int] = []
    expect = None
    for b in blocks:
        m = _NUMBER.match(b.text)
        if m is None:
            continue
        n = int(m.group(1))
        if expect is not None and n == expect:
            run.append(b.index)
        else:
            if len(run) >= 3:
                out.update(run)
            run = [b.index]
        expect = n + 1
    if len(run) >= 3:
        out.update(run)
    return out


def _plain(r: Rule | None) -> bool:
    """No rule decides the block by itself (none, or one that only applies outside the story)."""
    return r is None or r.where == "outside_body"


def _title(blocks: list[Block], rules: list[Rule | None]) -> tuple[int | None, str | None, set[int]]:
    """The title block (the first line, when it is headline-shaped), the headline, its repeats."""
    if not looks_like_title(blocks[0]) or rules[0] is not None:
        return None, None, set()
    headline = split_site_name(blocks[0].text, [b.text for b in blocks[1:12]])
    keys = {norm_text(blocks[0].text), norm_text(headline)}
    dups = {b.index for b in blocks[1:] if b.features["norm"] in keys}
    return 0, headline, dups


def _scores(
    blocks: list[Block], cf: list[str], rules: list[Rule | None], teaser: list[bool], topic: set[str],
    dups: set[int], title_idx: int | None, p: dict[str, Any],
) -> list[float]:
    """Each block's pull on the main run: prose up, furniture and other stories' teasers down."""
    scores = [block_score(b, c, None if _plain(r) else r) for b, c, r in zip(blocks, cf, rules, strict=True)]
    for i, b in enumerate(blocks):
        if b.hints.get("role"):  # markup evidence from HTML input
            scores[i] = min(scores[i], -1.0)
        if "main" in b.hints:
            scores[i] += p.get("main_hint_weight", 1.5) * (1 if b.hints["main"] else -1)
        if teaser[i]:
            scores[i] = p.get("teaser_score", -0.2)
        elif cf[i] == CF_GOOD and topic and len(topic & set(b.features["norm"].split())) >= 2:
            scores[i] += p.get("topic_bonus", 0.5)
    for i in dups | ({title_idx} if title_idx is not None else set()):
        scores[i] = -1.0
    return scores


def _story_end(
    blocks: list[Block], cf: list[str], rules: list[Rule | None], mass: list[int], a: int, z: int,
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
            if r.role == "comment" or (r.role == "source" and after < before) or (
                r.role != "source" and not _story_resumes(cf, rules, mass, i, z, before, after)
            ):
                return i, lists
            lists.add(i)
        if i <= z:
            before += mass[i]
    return None, lists


def _story_resumes(
    cf: list[str], rules: list[Rule | None], mass: list[int], h: int, z: int, before: int, after: int,
) -> bool:
    """After the list under header `h`, does the story go on (good prose, a fair share of it)?"""
    if after < 0.25 * before:
        return False
    j = h + 1
    while j <= z and j <= h + 16:
        if mass[j] > 0:
            return True
        if cf[j] == CF_GOOD and rules[j] is None:
            return False
        j += 1
    return False


def _story_start(
    cf: list[str], rules: list[Rule | None], mass: list[int], dups: set[int], a: int, body_end: int,
) -> tuple[int, int]:
    """The first block of the body, and the block the head starts after (the headline repeat).

    A repeat of the headline with most of the run's prose after it marks where the article
    starts (what precedes it is other stories). After it, prose before the last of a chain of
    head markers (byline, dateline, share row; each at most two paragraphs after the last) is
    the head (standfirst, kicker), not body. Counting paragraphs, not shares of the text, keeps
    the head where it is when the clean article is cleaned again."""
    total = sum(mass[a : body_end + 1])
    head_from = a - 1
    for d in sorted(dups):
        if a <= d <= body_end and sum(mass[d : body_end + 1]) >= 0.6 * total:
            head_from = d
    body_start = head_from + 1
    goods = 0  # paragraphs since the last head marker: a chain of markers, each close to the last
    for i in range(head_from + 1, body_end + 1):
        r = rules[i]
        strong = i in dups or (r is not None and r.role in ("byline", "dateline"))
        if (strong and goods <= 2) or (r is not None and r.role in HEAD_MARKERS and goods <= 1):
            body_start, goods = i + 1, 0
        elif mass[i] > 0:
            goods += 1
            if goods > 2:
                break
    return body_start, head_from


def _colon_lists(blocks: list[Block], cf: list[str], rules: list[Rule | None]) -> None:
    """A sentence ending in a colon right after a paragraph of the story introduces a list (tour
    dates, ingredients): it and the short items under it are story, up to the next prose or rule."""
    for i in range(1, len(blocks)):
        b = blocks[i]
        if b.role == "body" or blocks[i - 1].role != "body" or rules[i] is not None:
            continue
        if not (b.text.endswith(":") and 4 <= b.features["words"] <= 30):
            continue
        items = []
        for j in range(i + 1, min(len(blocks), i + 80)):
            if not _plain(rules[j]) or cf[j] == CF_GOOD or blocks[j].features["words"] > 30:
                break
            items.append(j)
        if len(items) >= 2:
            for j in [i, *items]:
                _set(blocks[j], "body", "context.colon_list", "An item of a list that a story sentence introduces.")


_PUNCT = re.compile(r"[^\w\s]")


def _shape(text: str) -> str:
    """The punctuation skeleton of a line: 'England (Group A): 10th' gives '():'."""
    return "".join(_PUNCT.findall(text))


def _shaped_lists(blocks: list[Block], rules: list[Rule | None]) -> None:
    """Short lines right after the story that share one punctuation skeleton (a results table,
    tour dates, a roster) are a list of the story, not a menu: menus carry no such shape."""
    n = len(blocks)
    i = 1
    while i < n:
        if blocks[i - 1].role != "body" or blocks[i].role == "body":
            i += 1
            continue
        start = i
        if blocks[i].features["words"] <= 6 and _plain(rules[i]) and not _shape(blocks[i].text):
            i += 1  # one short header ("Qualified teams")
        j = i
        while j < n and blocks[j].role != "body" and _plain(rules[j]) and blocks[j].features["words"] <= 25:
            j += 1
        shapes = [_shape(blocks[k].text) for k in range(i, j)]
        common = max(set(shapes), key=shapes.count) if shapes else ""
        if len(shapes) >= 4 and common and shapes.count(common) >= 0.75 * len(shapes):
            for k in range(start, j):
                _set(blocks[k], "body", "context.shaped_list", "A line of a list of like-shaped lines after the story.")
        i = max(j, start + 1)


def _tail(b: Block, r: Rule | None, cf: str, end_rule: Rule | None) -> None:
    """A block after the end of the story: comments after a comment header, else teasers."""
    if r is not None:
        _set(b, r.role, r.id, r.reason)
    elif end_rule is not None and end_rule.role == "comment":
        _set(b, "comment", "context.comment_thread", "The block follows a comment-section header.")
    elif cf in PROSE or b.features["words"] >= 3:
        _set(b, "related", "context.after_story", "A teaser after the end of the story.")
    else:
        _set(b, "navigation", "context.after_story_short", "A short line after the end of the story.")


def _topic_words(title: str | None, stopwords: frozenset[str]) -> set[str]:
    """Content words of the headline: what the story is about."""
    if not title:
        return set()
    return {w for w in norm_text(title).split() if len(w) >= 3 and w not in stopwords and not w.isdigit()}


def _headline_like(b: Block, cf: str, rule: Rule | None) -> bool:
    f = b.features
    return rule is None and cf != CF_GOOD and not f["terminal"] and 3 <= f["words"] <= 24


def _teasers(
    blocks: list[Block], cf: list[str], rules: list[Rule | None], topic: set[str], titles: set[int | None],
) -> list[bool]:
    """Prose blocks that sit between two headlines and share nothing with the story's headline:
    the summaries of a list of other stories."""
    n = len(blocks)
    heads = [_headline_like(b, c, r) and b.index not in titles for b, c, r in zip(blocks, cf, rules, strict=True)]
    # Neighbours are looked up through rule-decided blocks (captions, share rows...) and one- or
    # two-word lines, which never decide anything here: the same blocks are neighbours when the
    # clean text is cleaned again.
    kept = [i for i in range(n) if _plain(rules[i]) and blocks[i].features["words"] >= 3]
    cand = [False] * len(kept)
    for k, i in enumerate(kept):
        if cf[i] not in PROSE or rules[i] is not None or k == 0 or not heads[kept[k - 1]]:
            continue
        if k + 1 >= len(kept) or not heads[kept[k + 1]]:
            continue
        cand[k] = not (topic & set(blocks[i].features["norm"].split()))
    # A list of them, not one: headline, summary, headline, summary, headline.
    out = [False] * n
    for k, i in enumerate(kept):
        if cand[k] and ((k >= 2 and cand[k - 2]) or (k + 2 < len(kept) and cand[k + 2])):
            out[i] = True
    return out


def _list_items(blocks: list[Block], cf: list[str], rules: list[Rule | None], headers: set[int]) -> set[int]:
    """The items under a related-list header inside the page: the non-prose blocks after it."""
    out: set[int] = set()
    for h in headers:
        j = h + 1
        while j < len(blocks) and rules[j] is None and cf[j] != CF_GOOD:
            out.add(j)
            j += 1
    return out


def _outside(b: Block, r: Rule | None, title_idx: int | None, dups: set[int]) -> None:
    if b.index == title_idx:
        _set(b, "title", "context.title", "The first line is the page title.")
    elif b.index in dups:
        _set(b, "duplicate", "context.repeated_title", "The line repeats the title.")
    elif r is not None and r.role not in ("caption", "source", "related"):
        _set(b, r.role, r.id, r.reason)
    elif b.first_opinion in (CF_SHORT, CF_BAD):
        _set(b, "navigation", "context.outside_short", "A short line outside the main run of prose.")
    else:
        _set(b, "other", "context.outside_prose", "Text outside the main run of prose.")


def _smooth(blocks: list[Block], start: int, end: int) -> None:
    """Short blocks in the story take their neighbours' side (jusText's revision)."""
    for i in range(start, end + 1):
        b = blocks[i]
        if b.role != "?":
            continue
        prev = _neighbour(blocks, i, -1, start, end)
        nxt = _neighbour(blocks, i, +1, start, end)
        if prev == "body" and nxt == "body":
            _set(b, "body", "context.between_prose", "A short block between paragraphs of the story.")
        else:
            _set(b, "other", "context.short_among_furniture", "A short block among non-story blocks.")


def _neighbour(blocks: list[Block], i: int, step: int, start: int, end: int) -> str | None:
    j = i + step
    while start <= j <= end:
        b = blocks[j]
        if b.role == "body":
            return "body"
        if b.role != "?" and b.rule.startswith("context."):
            return "other"
        j += step  # undecided, or decided by a rule: look through it
    return None


def _kinds(blocks: list[Block]) -> None:
    """Body blocks get a kind: heading, list item or paragraph."""
    body = [b for b in blocks if b.role == "body"]
    for k, b in enumerate(body):
        f = b.features
        text = b.text
        if b.hints.get("kind") in ("heading", "list_item", "quote", "paragraph"):
            b.kind = b.hints["kind"]
        elif b.rule in ("context.colon_list", "context.shaped_list") and not text.endswith(":"):
            b.kind = "list_item"
        elif text[:1] in "•·▪◦-*–" and len(text) > 2 and text[1] == " " or _numbered(text):
            b.kind = "list_item"
        elif (
            f["words"] <= 12 and not f["terminal"] and k + 1 < len(body)
            and body[k + 1].first_opinion in PROSE and not text.endswith((",", ";"))
        ):
            b.kind = "heading"
        else:
            b.kind = "paragraph"


def _numbered(text: str) -> bool:
    head = text[:4]
    digits = len(head) - len(head.lstrip("0123456789"))
    return 0 < digits <= 2 and text[digits : digits + 2] in (". ", ") ")
