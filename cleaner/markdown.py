"""A result as Markdown a renderer can trust: YAML front matter, then the story.

- Everything from the input is escaped, so a CommonMark / GitHub renderer shows it as text:
  inline markup characters (`*`, `_`, `` ` ``, `[`, `]`, `<`, `>`, `&`, `~`, `|`, `#`, `\\`)
  are backslash-escaped, and a line that would start a block (`#`, `>`, `-`, `+`, `1.`, `=`,
  `---`) has its marker escaped. Raw HTML in the input (`<b>`, `<script>`) stays text.
- List items: a run of them is one list with no blank lines between items; an item that
  starts with a number (`1.`, `2)`) is an ordered list item with that number, an item with
  its own bullet (`•`, `-`, `*`, `·`, `–`) loses the bullet for the list's `-`.
- Captions stand where they stood in the story (after `after` body items), as an
  emphasised `Caption:` line with the credit.
- The front matter holds title, byline, date (when the page declares one), source, language,
  url and the related items, dumped by PyYAML (so quoting is YAML-safe).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import re2
import yaml


class Result(Protocol):
    """What the Markdown needs of a `cleaner.model.CleanResult` (no import of it: the model
    imports this module)."""

    title: str | None
    standfirst: str | None
    byline: str | None
    source: str | None
    language: str | None
    url: str | None
    page: dict[str, str]

    @property
    def body(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def captions(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def related(self) -> Sequence[Mapping[str, Any]]: ...

_INLINE = re2.compile(r"([\\`*_\[\]<>&~|#])")
# A line start that CommonMark reads as a block: heading, quote, bullet, ordered item,
# setext underline or thematic break (after the inline escapes, which leave `-+=.)` alone).
_BULLET_START = re2.compile(r"^([-+])(\s|$)")
_ORDERED_START = re2.compile(r"^(\d{1,9})([.)])(\s|$)")
_RULE_LINE = re2.compile(r"^[-=]+\s*$|^(?:-\s*){3,}$")
_NUMBERED = re2.compile(r"^(\d{1,9})[.)]\s+(\S.*)$")
_OWN_BULLET = re2.compile(r"^[•·▪◦‣*–—-]\s*(\S.*)$")


def escape(text: str) -> str:
    """`text` as Markdown that renders as the same text (every line of it)."""
    return "\n".join(_escape_line(line) for line in text.split("\n"))


def _escape_line(line: str) -> str:
    line = str(_INLINE.sub(r"\\\1", line.strip()))
    if _RULE_LINE.search(line):
        return "\\" + line
    m = _ORDERED_START.search(line)
    if m:
        number = str(m.group(1))
        return number + "\\" + line[len(number):]
    if _BULLET_START.search(line):
        return "\\" + line
    return line


def front_matter(res: Result) -> str:
    """The YAML front matter block (with its `---` fences), or "" when there is nothing to say."""
    meta: dict[str, Any] = {}
    for key, value in (
        ("title", res.title), ("byline", res.byline), ("date", res.page.get("date")),
        ("source", res.source), ("language", res.language), ("url", res.url),
    ):
        if value:
            meta[key] = value
    if res.related:
        meta["related"] = [
            {k: v for k, v in (("kind", r["kind"]), ("title", r["title"]), ("summary", r["summary"])) if v}
            for r in res.related
        ]
    if not meta:
        return ""
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10**6) + "---\n"


def _list_item(text: str) -> tuple[str, str]:
    """(marker, text) of a list item: its own number, or `-` with its own bullet dropped."""
    m = _NUMBERED.search(text)
    if m:
        return m.group(1) + ".", m.group(2)
    m = _OWN_BULLET.search(text)
    if m:
        return "-", m.group(1)
    return "-", text


def _caption(cap: Any) -> str:
    credit = f" ({escape(cap['credit'])})" if cap.get("credit") else ""
    return f"*Caption: {escape(cap['text'])}{credit}*"


def to_markdown(res: Result) -> str:
    """The whole document: front matter, title, standfirst, the story with its captions, source."""
    parts: list[str] = []
    if res.title:
        parts.append("# " + escape(res.title).replace("\n", " "))
    if res.standfirst:
        parts.append("*" + escape(res.standfirst) + "*")
    captions: dict[int, list[str]] = {}
    for cap in res.captions:
        after = cap.get("after")
        at = after if isinstance(after, int) and 0 <= after <= len(res.body) else len(res.body)
        captions.setdefault(at, []).append(_caption(cap))
    parts += captions.pop(0, [])
    items: list[str] = []  # the list being built
    last_marker = ""
    for i, b in enumerate(res.body, start=1):
        if b["kind"] == "list_item":
            marker, text = _list_item(b["text"])
            if items and marker.endswith(".") != last_marker.endswith("."):
                parts.append("\n".join(items))  # an ordered run after a bulleted one: a new list
                items = []
            last_marker = marker
            pad = " " * (len(marker) + 1)
            items.append(marker + " " + escape(text).replace("\n", "\n" + pad))
        else:
            if items:
                parts.append("\n".join(items))
                items = []
            text = escape(b["text"])
            if b["kind"] == "heading":
                parts.append("## " + text.replace("\n", " "))
            elif b["kind"] == "quote":
                parts.append("> " + text.replace("\n", "\n> "))
            else:
                parts.append(text)
        if i in captions:
            if items:
                parts.append("\n".join(items))
                items = []
            parts += captions.pop(i)
    if items:
        parts.append("\n".join(items))
    for rest in captions.values():
        parts += rest
    if res.source:
        parts.append("Source: " + escape(res.source))
    body = "\n\n".join(parts) + ("\n" if parts else "")
    head = front_matter(res)
    return head + ("\n" if head and body else "") + body
