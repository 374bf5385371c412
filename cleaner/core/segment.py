"""Stage 1 of 5: segment the input into blocks with their line spans.

A line ends at `\\n`, `\\r\\n` or a lone `\\r`, and nowhere else. Blank lines separate blocks;
so does a change of indentation. Consecutive lines are one block only where the text is
hard-wrapped: the document shows a wrap width, the line fills it, and the next line goes on
with the same indentation (or a line that stops mid-sentence is continued in lower case).
"""

from __future__ import annotations

import re

from ..model import Block

_LINE_END = re.compile(r"\r\n|\r|\n")
_TERMINAL = ".!?:;\"'”’»)…"


def split_lines(text: str) -> list[str]:
    """The input's lines, numbered from 1 by their position + 1."""
    return _LINE_END.split(text)


def _wrap_width(lines: list[str]) -> int | None:
    """The hard-wrap width of the document, or None when it does not look hard-wrapped."""
    lengths = sorted(len(s.rstrip()) for s in lines if s.strip())
    if len(lengths) < 6:
        return None
    width = lengths[int(len(lengths) * 0.95) - 1 if len(lengths) >= 20 else -1]
    if not 30 <= width <= 120:
        return None
    near = sum(1 for n in lengths if width * 0.8 <= n <= width)
    over = sum(1 for n in lengths if n > width + 5)
    if near < max(4, len(lengths) * 0.3) or over > len(lengths) * 0.02:
        return None
    return width


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _continues(prev: str, nxt: str, width: int | None) -> bool:
    """Whether `nxt` goes on with the paragraph that `prev` ended the line of."""
    if _indent(prev) != _indent(nxt):
        return False
    p, n = prev.strip(), nxt.strip()
    if width is not None and len(prev.rstrip()) >= width * 0.75:
        return True
    return len(p) >= 40 and p[-1] not in _TERMINAL and n[:1].islower()


def segment_text(text: str) -> list[Block]:
    """Blocks of a plain-text document, in input order, each with its 1-based line span."""
    lines = split_lines(text)
    width = _wrap_width(lines)
    blocks: list[Block] = []
    start: int | None = None
    for i, line in enumerate(lines):
        if not line.strip():
            if start is not None:
                blocks.append(_block(len(blocks), lines, start, i - 1))
                start = None
            continue
        if start is not None and not _continues(lines[i - 1], line, width):
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
        text = " ".join(s.strip() for s in lines[first : last + 1])
    return Block(index=index, text=text, lines=(first + 1, last + 1), indent=_indent(lines[first]))
