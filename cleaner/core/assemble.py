"""Stage 5 of 5: turn decided blocks into the structured `CleanResult`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from .. import textre
from .._version import __version__
from ..model import REMOVED_ROLES, Block, CleanResult, Decision, Document
from ..ruleset import RuleSet
from ._breath import breathe
from .classify import CF_GOOD, CF_NEARGOOD

_CREDIT_TRIM = " \t-–—|:;,"


def _span(b: Block) -> list[int] | None:
    return list(b.lines) if b.lines is not None else None


def _where(b: Block) -> dict[str, Any]:
    out: dict[str, Any] = {"lines": _span(b)}
    if b.locator is not None:
        out["locator"] = b.locator
    return out


def _group(b: Block, ruleset: RuleSet, name: str) -> str | None:
    """A named group (`value`, `credit`, `label`) of the rule that decided the block."""
    rule = ruleset.get(b.rule)
    if rule is None:
        return None
    m = rule.regex.search(b.text)
    if m is None or name not in rule.regex.groupindex:
        return None
    value = m.group(name)
    return value.strip() if value else None


def split_credit(b: Block, ruleset: RuleSet) -> tuple[str, str | None]:
    """A caption's text and its credit without brackets or label."""
    text_part = _group(b, ruleset, "text")
    credit = _group(b, ruleset, "credit")
    if text_part:
        return text_part, credit
    if not credit:
        return b.text, None
    rule = ruleset.by_id(b.rule)  # _group found the credit with this rule
    m = rule.regex.search(b.text)
    start, end = m.span() if m is not None else (0, 0)
    text = (b.text[:start] + b.text[end:]).strip(_CREDIT_TRIM)
    credit = credit.strip(" []()").strip()
    return text, credit or None


# Where a byline's names end: a column gap, a handle, a digit, "on/at/in/for", a date word, a
# month or a weekday. In RE2 (ASCII \\b): each match is checked for Python's Unicode \\b in code.
_BYLINE_STOP = textre.compile(f"{textre.S}{{2,}}|[@|•]|{textre.D}|{textre.S}(?:on|at|in|for){textre.S}")
_BYLINE_WORD = textre.compile(r"\b(?:Updated|Published|Posted|Last)\b")
_BYLINE_MONTH = textre.compile(f",?{textre.S}*\\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.?"
                               f"(?:{textre.S}+{textre.D}|\n?$)")
_BYLINE_DAY = textre.compile(f",?{textre.S}*\\b(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\\b")


def _byline_end(text: str) -> int:
    """Where the first byline stop starts (len(text) if none): the old single pattern's split."""
    ends = [len(text)]
    m = _BYLINE_STOP.search(text)
    if m:
        ends.append(m.start())
    for m in _BYLINE_WORD.finditer(text):
        if textre.word_at_boundary(text, m.start(), m.end()):
            ends.append(m.start())
            break
    for m in _BYLINE_MONTH.finditer(text):
        if textre.boundary_before(text, m.start(1)):
            ends.append(m.start())
            break
    for m in _BYLINE_DAY.finditer(text):
        if textre.word_at_boundary(text, m.start(1), m.end()):
            ends.append(m.start())
            break
    return min(ends)


def byline_of(b: Block, ruleset: RuleSet) -> str | None:
    """The author names of a byline block: from its rule's `value` on, up to a date, a handle
    or a column gap ("by Regan September 15, 2014" gives "Regan")."""
    rule = ruleset.get(b.rule)
    m = rule.regex.search(b.text) if rule is not None and "value" in rule.regex.groupindex else None
    if m is None or m.group("value") is None:
        return b.text if len(b.text.split()) <= ruleset.params["byline_max_words"] else None
    start = m.start(rule.regex.groupindex["value"])  # re2 takes group numbers here
    rest = b.text[start:]
    names = rest[:_byline_end(rest)].strip(" ,;:-–—")
    return names or None


def _removed_item(b: Block) -> dict[str, Any]:
    """`removed`'s item of a block: role, rule, reason, text, then where it was."""
    lines = list(b.lines) if b.lines is not None else None
    if b.locator is None:
        return {"role": b.role, "rule": b.rule, "reason": b.reason, "text": b.text, "lines": lines}
    return {"role": b.role, "rule": b.rule, "reason": b.reason, "text": b.text, "lines": lines,
            "locator": b.locator}


def _block_item(b: Block) -> dict[str, Any]:
    """`blocks`' item of a block: where it was, then role, rule, reason and text."""
    lines = list(b.lines) if b.lines is not None else None
    if b.locator is None:
        return {"lines": lines, "role": b.role, "rule": b.rule, "reason": b.reason, "text": b.text}
    return {"lines": lines, "locator": b.locator, "role": b.role, "rule": b.rule, "reason": b.reason,
            "text": b.text}


def _captions(blocks: list[Block], ruleset: RuleSet) -> list[dict[str, Any]]:
    """Captions with their credit, each with `after`: how many body items come before it."""
    out: list[dict[str, Any]] = []
    prev_index = -2
    body_before = 0
    for b in blocks:
        if b.role == "body":
            body_before += 1
        if b.role != "caption":
            continue
        text, credit = split_credit(b, ruleset)
        if not text and out and prev_index == b.index - 1 and out[-1]["credit"] is None:
            out[-1]["credit"] = credit  # a credit line right under its caption
            if b.lines and out[-1]["lines"]:
                out[-1]["lines"][1] = b.lines[1]
        else:
            out.append({"text": text or b.text, "credit": credit, **_where(b), "after": body_before})
        prev_index = b.index
    return out


def _related(blocks: list[Block], ruleset: RuleSet) -> list[dict[str, Any]]:
    """Group teaser blocks into items: a title (repeats merged), then an optional summary."""
    items: list[dict[str, Any]] = []
    header_kind = "promo"
    cur: dict[str, Any] | None = None
    for b in blocks:
        if b.role != "related":
            cur = None if b.role not in ("duplicate",) else cur
            continue
        rule = ruleset.get(b.rule)
        if rule is not None and rule.kind == "section_end":
            words = b.text.strip(" :").lower()
            header_kind = words if len(words.split()) <= 2 else "related"
            cur = None
            continue
        label = _group(b, ruleset, "label")
        title = _group(b, ruleset, "value") if label else b.text
        if cur is not None and title == cur["title"]:
            _extend(cur, b)
        elif cur is not None and cur["summary"] is None and label is None and _sentence(b, ruleset.params):
            cur["summary"] = b.text
            _extend(cur, b)
        else:
            kind = label.lower() if label else header_kind
            cur = {"kind": kind, "title": title, "summary": None, **_where(b)}
            items.append(cur)
    return items


def _sentence(b: Block, p: Mapping[str, Any]) -> bool:
    """Prose, or a short sentence: what a teaser's summary is."""
    return b.first_opinion in (CF_GOOD, CF_NEARGOOD) or (b.terminal and b.words >= p["summary_min_words"])


def _extend(item: dict[str, Any], b: Block) -> None:
    if item.get("lines") and b.lines:
        item["lines"][1] = b.lines[1]


def _confidence(body: list[Block], p: Mapping[str, Any]) -> float:
    """How sure we are that the body is a story: enough prose, mostly good blocks."""
    if not body:
        return 0.0
    chars = sum(b.chars for b in body) or 1
    good = sum(b.chars for b in body if b.first_opinion == CF_GOOD)
    base = p["confidence_base"]
    return round(min(1.0, chars / p["confidence_full_chars"]) * (base + (1 - base) * good / chars), 4)


def assemble_text(doc: Document, info: Decision) -> CleanResult:
    """What `assemble` gives of the result's text, and only that: the language, title, standfirst
    and body (what the second look reads), without captions, related items, the audit trail..."""
    blocks = doc.blocks
    res = CleanResult(language=doc.language)
    res.title = info.title or doc.meta.get("title")
    sf = info.standfirst_idx
    res.standfirst = blocks[sf].text if sf is not None else None
    res.body = [{"kind": b.kind, "text": b.text, **_where(b)} for b in blocks if b.role == "body"]
    return res


def assemble(doc: Document, info: Decision, ruleset: RuleSet) -> CleanResult:
    """The result of a decided document."""
    blocks = doc.blocks
    body_blocks = [b for b in blocks if b.role == "body"]
    res = CleanResult(language=doc.language)
    res.title = info.title or doc.meta.get("title")
    sf = info.standfirst_idx
    res.standfirst = blocks[sf].text if sf is not None else None
    res.body = [{"kind": b.kind, "text": b.text, **_where(b)} for b in body_blocks]
    breathe()  # a breathing point between the steps (a long document holds the GIL otherwise)
    res.captions = _captions(blocks, ruleset)
    res.related = _related(blocks, ruleset)
    breathe()
    for b in blocks:
        if b.role == "source" and res.source is None:
            res.source = _group(b, ruleset, "value") or b.text
        if b.role == "byline" and res.byline is None:
            res.byline = byline_of(b, ruleset)
    res.removed = [_removed_item(b) for b in blocks if b.role in REMOVED_ROLES]
    breathe()
    res.blocks = [_block_item(b) for b in blocks]
    breathe()
    res.confidence = _confidence(body_blocks, ruleset.params)
    res.warnings = empty_body_warnings(res)
    res.cleaner_version = __version__
    res.rules_version = ruleset.digest
    return res


def empty_body_warnings(result: CleanResult) -> list[str]:
    """Why the body is empty, in words (an empty list when it is not)."""
    if result.body:
        return []
    if not result.blocks:
        return ["the body is empty: the input holds no text"]
    roles = Counter(b["role"] for b in result.blocks)
    kept = [r for r in ("title", "standfirst", "heading", "caption", "source", "related") if roles.get(r)]
    removed = sorted(((n, r) for r, n in roles.items() if r in REMOVED_ROLES), reverse=True)
    parts = [f"{roles[r]} {r}" for r in kept] + [f"{n} {r} (removed)" for n, r in removed]
    n = len(result.blocks)
    why = (f"the body is empty: none of the {n} block{'' if n == 1 else 's'} reads as story prose "
           f"({', '.join(parts)})")
    hint = ("a body needs at least one block of prose (sentences); `blocks` names the rule that "
            "decided each block")
    return [why, hint]
