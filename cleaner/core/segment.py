"""Stage 1 of 5: segment the input into blocks with their line spans.

A line ends at `\\n`, `\\r\\n` or a lone `\\r`, and nowhere else. Blank lines separate blocks;
so does a change of indentation. Consecutive lines are one block only where the text is
hard-wrapped: the document shows a wrap width, the line fills it, and the next line goes on
with the same indentation (or a line that stops mid-sentence is continued in lower case).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import Block
from ..ruleset import builtin_params
from ._breath import breathe
from ._fast import BREATH_EVERY

_TERMINAL = ".!?:;\"'”’»)…"


def split_lines(text: str) -> list[str]:
    """The input's lines, numbered from 1 by their position + 1."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _wrap_width(lines: list[str], p: Mapping[str, Any]) -> int | None:
    """The hard-wrap width of the document, or None when it does not look hard-wrapped."""
    lengths = sorted(len(s.rstrip()) for s in lines if s.strip())
    n = len(lengths)
    if n < p["wrap_min_lines"]:
        return None
    width = lengths[int(n * p["wrap_width_percentile"]) - 1 if n >= p["wrap_sample_lines"] else -1]
    if not p["wrap_width_min"] <= width <= p["wrap_width_max"]:
        return None
    near = sum(1 for k in lengths if width * p["wrap_near_share"] <= k <= width)
    over = sum(1 for k in lengths if k > width + p["wrap_over_slack"])
    few = near < max(p["wrap_min_near_lines"], n * p["wrap_min_near_share"])
    if few or over > n * p["wrap_max_over_share"]:
        return None
    return width


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _continues(prev: str, nxt: str, width: int | None, p: Mapping[str, Any]) -> bool:
    """Whether `nxt` goes on with the paragraph that `prev` ended the line of."""
    if _indent(prev) != _indent(nxt):
        return False
    a, b = prev.strip(), nxt.strip()
    if width is not None and len(prev.rstrip()) >= width * p["wrap_join_share"]:
        return True
    return len(a) >= p["join_min_chars"] and a[-1] not in _TERMINAL and b[:1].islower()


def segment_text(text: str, params: Mapping[str, Any] | None = None) -> list[Block]:
    """Blocks of a plain-text document, in input order, each with its 1-based line span
    (`params`: the rule set's numbers, default the built-in ones)."""
    p = builtin_params() if params is None else params
    lines = split_lines(text)
    width = _wrap_width(lines, p)
    blocks: list[Block] = []
    start: int | None = None
    for i, line in enumerate(lines):
        if i % BREATH_EVERY == 0:
            breathe()  # a long document would hold the GIL for the whole loop otherwise
        if not line.strip():
            if start is not None:
                blocks.append(_block(len(blocks), lines, start, i - 1))
                start = None
            continue
        if start is not None and not _continues(lines[i - 1], line, width, p):
            blocks.append(_block(len(blocks), lines, start, i - 1))
            start = None
        if start is None:
            start = i
    if start is not None:
        blocks.append(_block(len(blocks), lines, start, len(lines) - 1))
    return blocks


def _block(index: int, lines: list[str], first: int, last: int) -> Block:
    if first == last:
        text = lines[first].strip()
    else:
        text = " ".join([s.strip() for s in lines[first : last + 1]])
    return Block(index=index, text=text, lines=(first + 1, last + 1), indent=_indent(lines[first]))
