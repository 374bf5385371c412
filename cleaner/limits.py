"""Input caps checked before any stage or the HTML parser sees a document (linear scans, RE2).

Over a cap the document is refused whole with `InputTooLarge` (413 `too-large` on the API, an
error row in batch): never truncated, so the audit trail of what is cleaned stays complete.
The defaults (in `Settings`, each an environment variable) sit far above real pages: on the 520
dev pages the longest text line is 4,271 characters, the most attributes on one element 167,
the deepest nesting 247 (counted as below) and the most elements 7,390.

| cap | default | variable |
|---|---|---|
| characters in one line of text | 1,000,000 | `CLEANER_MAX_LINE_CHARS` |
| attributes on one HTML element | 1,000 | `CLEANER_MAX_ATTRIBUTES` |
| HTML nesting depth (open tags not closed; void, self-closed ones skipped) | 20,000 | `CLEANER_MAX_DEPTH` |
| HTML elements (start tags) | 1,000,000 | `CLEANER_MAX_ELEMENTS` |

Every pattern is RE2, so a long line or a deep page costs linear time in the stages (and the
watchdog ends them at the budget); the line, depth and element caps bound memory and the
parser's uninterruptible share. The attribute cap matters most: lxml's time grows with the
square of one element's attributes (90,000 took 16-44 s); under the cap, 10 MiB of elements
with 1,000 attributes each parse in about 2.4 s (this box), within 2x the default budget.
"""

from __future__ import annotations

import re2

from .config import Settings
from .errors import InputTooLarge

# A start or end tag up to the next "<" or ">". Attributes are counted as the whitespace-separated
# pieces of that span outside double quotes (`a = "x"` counts 3: an over-count; a quoted
# value holding a ">" ends the span early, which this linear scan does not follow).
_TAG = re2.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:_-]{0,64})([^<>]*)")
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr", "keygen", "command", "basefont", "frame"})


def check_text(text: str, settings: Settings) -> None:
    """Refuse text with a line over `max_line_chars` (lines end at \\r\\n, \\r or \\n, as in segment)."""
    cap = settings.max_line_chars
    if len(text) <= cap:
        return
    longest = max(map(len, text.replace("\r", "\n").split("\n")))
    if longest > cap:
        raise InputTooLarge(f"a line of the text is {longest} characters long, over the {cap}-character "
                            "cap (CLEANER_MAX_LINE_CHARS)")


def check_html(html: str | bytes, settings: Settings) -> None:
    """Refuse markup over the attribute, depth or element caps, before it is parsed."""
    if isinstance(html, str):  # scanned as UTF-8 bytes: RE2 refuses lone surrogates in a str
        html = html.encode("utf-8", "surrogatepass")
    assert isinstance(html, bytes)
    max_attrs, max_depth, max_elements = settings.max_attributes, settings.max_depth, settings.max_elements
    elements = depth = 0
    for m in _TAG.finditer(html):
        closing, name, attrs = m.group(1), m.group(2), m.group(3)
        if closing:
            depth = max(0, depth - 1)
            continue
        elements += 1
        if elements > max_elements:
            raise InputTooLarge(f"the HTML has over {max_elements} elements (CLEANER_MAX_ELEMENTS)")
        if len(attrs) > 2 * max_attrs:  # each attribute takes at least 2 characters
            n = sum(len(part.split()) for part in attrs.split(b'"')[::2])  # outside "..." only
            if n > max_attrs:
                raise InputTooLarge(f"an HTML <{_text(name)}> element has {n} attributes, over the "
                                    f"{max_attrs}-attribute cap (CLEANER_MAX_ATTRIBUTES)")
        lname = _text(name).lower()
        if lname in VOID or attrs.rstrip().endswith(b"/"):
            continue
        depth += 1
        if depth > max_depth:
            raise InputTooLarge(f"the HTML nests deeper than {max_depth} elements (CLEANER_MAX_DEPTH)")


def _text(name: bytes) -> str:
    return name.decode("latin-1")


__all__ = ["check_html", "check_text"]
