"""Data types shared by the stages: blocks of a document, decisions, and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Roles a block can end with. Kept roles first, removed roles after.
KEPT_ROLES = ("title", "standfirst", "body", "heading", "caption", "source", "related")
REMOVED_ROLES = (
    "duplicate", "navigation", "share", "newsletter", "cookie", "legal", "advert",
    "comment", "byline", "dateline", "widget", "other",
)
ROLES = KEPT_ROLES + REMOVED_ROLES
BODY_KINDS = ("paragraph", "heading", "list_item", "quote")


@dataclass(slots=True)
class Block:
    """One unit of the input: a paragraph, a line of a menu, a caption...

    `lines` is the 1-based inclusive span of input lines (None for HTML input, which has a
    `locator` instead). `hints` carries markup evidence from HTML input (tag, class tokens,
    link density...); it is empty for text input.
    """

    index: int
    text: str
    lines: tuple[int, int] | None = None
    indent: int = 0
    locator: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    # Filled by later stages.
    features: dict[str, Any] = field(default_factory=dict)
    rule_hits: list[str] = field(default_factory=list)
    role: str = "other"
    kind: str = "paragraph"
    rule: str = ""
    reason: str = ""
    first_opinion: str = ""  # the context-free class, kept so a trace shows what context changed

    def decide(self, role: str, rule: str, reason: str) -> None:
        """Give the block its role, with the rule that decided it and why."""
        self.role, self.rule, self.reason = role, rule, reason


@dataclass(slots=True)
class Document:
    """The blocks of one input plus what is known about the page."""

    blocks: list[Block]
    url: str | None = None
    host: str | None = None
    language: str | None = None
    stopwords: frozenset[str] = frozenset()
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. title/author from HTML metadata


@dataclass(slots=True)
class CleanResult:
    """The structured article. `to_dict()` gives the documented JSON shape."""

    title: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    source: str | None = None
    body: list[dict[str, Any]] = field(default_factory=list)
    captions: list[dict[str, Any]] = field(default_factory=list)
    related: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    blocks: list[dict[str, Any]] = field(default_factory=list)
    language: str | None = None
    confidence: float = 0.0
    input_kind: str = "text"
    # What the page declares about itself (HTML input: JSON-LD / OpenGraph): date, site name...
    page: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The body texts joined by a blank line."""
        return "\n\n".join(b["text"] for b in self.body)

    def to_dict(self, explain: bool = True) -> dict[str, Any]:
        """The JSON shape of the API; `explain=False` leaves out `blocks` and `removed`."""
        out: dict[str, Any] = {
            "title": self.title,
            "standfirst": self.standfirst,
            "byline": self.byline,
            "source": self.source,
            "text": self.text,
            "body": self.body,
            "captions": self.captions,
            "related": self.related,
            "language": self.language,
            "confidence": round(self.confidence, 4),
            "input": self.input_kind,
            "page": self.page,
        }
        if explain:
            out["removed"] = self.removed
            out["blocks"] = self.blocks
        return out

    def to_markdown(self) -> str:
        """The article as Markdown: title, standfirst, body with headings, captions, source."""
        parts: list[str] = []
        if self.title:
            parts.append("# " + self.title)
        if self.standfirst:
            parts.append("*" + self.standfirst + "*")
        for b in self.body:
            if b["kind"] == "heading":
                parts.append("## " + b["text"])
            elif b["kind"] == "list_item":
                parts.append("- " + b["text"])
            elif b["kind"] == "quote":
                parts.append("> " + b["text"])
            else:
                parts.append(b["text"])
        for c in self.captions:
            credit = f" ({c['credit']})" if c.get("credit") else ""
            parts.append(f"_Caption: {c['text']}{credit}_")
        if self.source:
            parts.append("Source: " + self.source)
        return "\n\n".join(parts) + ("\n" if parts else "")
