"""RE2 with Python's Unicode character classes: the pieces every pattern over input text uses.

RE2 (linear time, no backtracking) is the only regex engine applied to input text in
`cleaner/` (`tests/test_regex_engines.py` checks). Its `\\w`, `\\s`, `\\d` and `\\b` are ASCII,
Python's are Unicode, so patterns spell the Unicode classes out with these constants (checked
code point by code point against Python's in the same test). RE2 has no lookaround and no
Unicode `\\b`: the few patterns that need them are written as code.
"""

from __future__ import annotations

import re2

WORD = r"\p{L}\p{N}_"  # Python's \w: str.isalnum() or "_"
SPACE = (r"\t\n\x0b\f\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
         r"\x{205f}\x{3000}")  # Python's \s: str.isspace()
W, NW = f"[{WORD}]", f"[^{WORD}]"
S, NS = f"[{SPACE}]", f"[^{SPACE}]"
D = r"\p{Nd}"  # Python's \d
LETTER = r"[\p{L}\p{Nl}\p{No}]"  # Python's [^\W\d_]


def compile(pattern: str | bytes):
    """An RE2 pattern (the one place `cleaner/` compiles a pattern for input text)."""
    return re2.compile(pattern)


def boundary_before(text: str, i: int) -> bool:
    """Python's `\\b` at `i` when text[i] is a word character: the one before is not."""
    return i == 0 or not _is_word(text[i - 1])


def boundary_after(text: str, i: int) -> bool:
    """Python's `\\b` at `i` when text[i - 1] is a word character: text[i] is not."""
    return i >= len(text) or not _is_word(text[i])


def word_at_boundary(text: str, start: int, end: int) -> bool:
    """Python's `\\b` at both ends of text[start:end] (a span that begins and ends with word chars)."""
    return boundary_before(text, start) and boundary_after(text, end)


def _is_word(ch: str) -> bool:
    return bool(ch) and (ch.isalnum() or ch == "_")


__all__ = ["LETTER", "NS", "NW", "SPACE", "WORD", "D", "S", "W", "boundary_after", "boundary_before",
           "compile",
           "word_at_boundary"]
