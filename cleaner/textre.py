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


# Plain string code for the patterns that would return one match per word or character: the
# Python binding of RE2 builds every match in Python (about 5 us each), while `str.translate` over
# a table filled on first sight of each code point runs in C. Same results as the RE2 patterns
# they stand for (`W+` findall, `NW`-and-`NS` findall, the wide-character count): tests compare.
TABLE_LIMIT = 1 << 16  # code points a table remembers (the rest are decided on every sight)


class _Table(dict[int, int | None]):
    """A `str.translate` table: code point -> `decide(character)` (a code point, or None to delete)."""

    __slots__ = ("decide",)

    def __init__(self, decide):
        super().__init__()
        self.decide = decide

    def __missing__(self, cp: int) -> int | None:
        value = self.decide(chr(cp))
        if len(self) < TABLE_LIMIT:
            self[cp] = value
        return value


def table(decide) -> _Table:
    """A `str.translate` table that maps each code point to `decide(character)` (a code point,
    or None to delete it), decided on first sight."""
    return _Table(decide)


_SPACE_CP = ord(" ")
_SEPARATE = _Table(lambda ch: ord(ch) if ch.isalnum() or ch == "_" else _SPACE_CP)
_PUNCT_ONLY = _Table(lambda ch: None if ch.isalnum() or ch == "_" or ch.isspace() else ord(ch))
_WIDE_RANGES = ((0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF))
_NOT_WIDE = _Table(lambda ch: None if any(lo <= ord(ch) <= hi for lo, hi in _WIDE_RANGES) else ord(ch))


def words(text: str) -> list[str]:
    """The runs of word characters of `text` (what `compile(W + "+").findall(text)` returns)."""
    return text.translate(_SEPARATE).split()


def punctuation(text: str) -> str:
    """The characters of `text` that are neither word characters nor spaces, in order."""
    return text.translate(_PUNCT_ONLY)


_LETTER_ONE = compile(LETTER)
_NOT_LETTER = _Table(lambda ch: ord(ch) if _LETTER_ONE.fullmatch(ch) is None else None)
_SENTENCE_END = frozenset(".!?。！？…")
_CLOSERS = "'\"”’»)]"
_ASIDE_MAX = 40  # characters in a closing "(...)" after a sentence's end: "... winter. (Reuters)"


def has_letter(text: str) -> bool:
    """Whether `text` has a letter (`LETTER`: Python's [^\\W\\d_])."""
    if text.isascii():
        return text.lower() != text.upper()  # the ASCII letters are the ASCII cased characters
    return len(text.translate(_NOT_LETTER)) < len(text)


def terminal_end(text: str) -> bool:
    """Whether `text` ends like a sentence: an end mark, then closing quotes or brackets, or an
    end mark, then a short aside in parentheses (and one final newline at most). Plain string code
    for RE2 `[.!?。！？…]['"”’»)\\]]*\\n?$|[.!?。！？…]\\s*\\(.{0,40}\\)\\n?$`."""
    t = text[:-1] if text.endswith("\n") else text
    u = t.rstrip(_CLOSERS)
    if u and u[-1] in _SENTENCE_END:
        return True
    if not t.endswith(")"):
        return False
    inner_end = len(t) - 1
    j = inner_end - 1
    while j >= 0 and inner_end - j - 1 <= _ASIDE_MAX and t[j] != "\n":
        if t[j] == "(":
            k = j
            while k > 0 and t[k - 1].isspace():
                k -= 1
            if k > 0 and t[k - 1] in _SENTENCE_END:
                return True
        j -= 1
    return False


def count_wide(text: str) -> int:
    """How many Chinese, Japanese or Korean characters (Hangul, CJK, compatibility) `text` has."""
    return 0 if text.isascii() else len(text) - len(text.translate(_NOT_WIDE))


__all__ = [
    "LETTER",
    "NS",
    "NW",
    "SPACE",
    "WORD",
    "D",
    "S",
    "W",
    "boundary_after",
    "boundary_before",
    "compile",
    "count_wide",
    "has_letter",
    "punctuation",
    "table",
    "terminal_end",
    "word_at_boundary",
    "words",
]
