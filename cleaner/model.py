"""Data types shared by the stages: blocks of a document, decisions, and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NoReturn, NotRequired, TypedDict

# Roles a block can end with. Kept roles first, removed roles after.
KEPT_ROLES = ("title", "standfirst", "body", "heading", "caption", "source", "related")
REMOVED_ROLES = (
    "duplicate", "navigation", "share", "newsletter", "cookie", "legal", "advert",
    "comment", "byline", "dateline", "widget", "other",
)
ROLES = KEPT_ROLES + REMOVED_ROLES
BODY_KINDS = ("paragraph", "heading", "list_item", "quote")


@dataclass(slots=True)
class TextMemo:
    """What the stages compute from a block's text alone, by text, for one clean() call.

    Each entry is a pure function of the text (and of what the key adds: the host for rule
    hits, the stoplist's language for stopword density), so a block whose text was measured
    before (a repeated line; the second look, which cleans the kept text again) reads the
    numbers instead of counting again: the same numbers, so the same result."""

    measures: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # features.measure_blocks
    # rule ids by host, then text; stopword shares by language, then text (one lookup by text)
    rules: dict[str | None, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    density: dict[str | None, dict[str, float | None]] = field(default_factory=dict)
    shape: dict[str, tuple[float, ...]] = field(default_factory=dict)  # story.lexical_columns
    # features.guess_language: by stopword index (its id, and the index itself), then text: the
    # text's count of tokens in each language's stoplist
    langs: dict[int, tuple[Any, dict[str, tuple[tuple[str, int], ...]]]] = field(default_factory=dict)


@dataclass(slots=True)
class FeatureTable:
    """Stage 2's measures of a document: named columns, one row per block (row i = block i).

    Columns of numbers (and the token lists they are counted from), not a dict per block: the
    shape a compiled core can take over. `stop_density` is None for every row when the
    document's language has no stoplist."""

    chars: list[int] = field(default_factory=list)  # length; a CJK character counts two
    words: list[int] = field(default_factory=list)  # whitespace-separated words
    tokens: list[int] = field(default_factory=list)  # word tokens (\w+)
    repeats: list[int] = field(default_factory=list)  # blocks of the document with the same tokens
    terminal: list[bool] = field(default_factory=list)  # ends like a sentence
    has_letter: list[bool] = field(default_factory=list)
    stop_density: list[float | None] = field(default_factory=list)
    norm: list[str] = field(default_factory=list)  # lower-cased tokens joined by a space
    toks: list[list[str]] = field(default_factory=list)
    # What the stages computed from block texts alone, shared by every pass of one clean() call.
    memo: TextMemo | None = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.chars)


def _unmeasured() -> NoReturn:
    raise RuntimeError("the block has no measures yet (stage 2 has not run)")


@dataclass(slots=True)
class Block:
    """One unit of the input: a paragraph, a line of a menu, a caption...

    `lines` is the 1-based inclusive span of input lines (None for HTML input, which has a
    `locator` instead). `hints` carries markup evidence from HTML input (tag, class tokens,
    link density...); it is empty for text input. Its measures are row `index` of the
    document's `FeatureTable`, read through the properties below once stage 2 has run.
    """

    index: int
    text: str
    lines: tuple[int, int] | None = None
    indent: int = 0
    locator: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    # Filled by later stages.
    table: FeatureTable | None = field(default=None, repr=False, compare=False)
    rule_hits: list[str] = field(default_factory=list)
    role: str = "other"  # UNDECIDED while stage 4 has not decided it
    kind: str = "paragraph"
    rule: str = ""
    reason: str = ""
    first_opinion: str = ""  # the context-free class, kept so a trace shows what context changed

    def decide(self, role: str, rule: str, reason: str) -> None:
        """Give the block its role, with the rule that decided it and why."""
        self.role, self.rule, self.reason = role, rule, reason

    # Its measures: row `index` of the document's table (stage 2 fills it), read-only. One
    # property per column, each reading its column by name: the stages read these millions of
    # times a second, and a property with a plain getter is cheaper than a generic descriptor.
    @property
    def chars(self) -> int:
        table = self.table
        if table is None:
            _unmeasured()
        return table.chars[self.index]

    @property
    def words(self) -> int:
        table = self.table
        if table is None:
            _unmeasured()
        return table.words[self.index]

    @property
    def tokens(self) -> int:
        table = self.table
        if table is None:
            _unmeasured()
        return table.tokens[self.index]

    @property
    def terminal(self) -> bool:
        table = self.table
        if table is None:
            _unmeasured()
        return table.terminal[self.index]

    @property
    def has_letter(self) -> bool:
        table = self.table
        if table is None:
            _unmeasured()
        return table.has_letter[self.index]

    @property
    def stop_density(self) -> float | None:
        table = self.table
        if table is None:
            _unmeasured()
        return table.stop_density[self.index]

    @property
    def norm(self) -> str:
        table = self.table
        if table is None:
            _unmeasured()
        return table.norm[self.index]

    @property
    def toks(self) -> list[str]:
        table = self.table
        if table is None:
            _unmeasured()
        return table.toks[self.index]


UNDECIDED = "?"  # the role of a block stage 4 leaves to smoothing


@dataclass(slots=True)
class Document:
    """The blocks of one input plus what is known about the page."""

    blocks: list[Block]
    url: str | None = None
    host: str | None = None
    language: str | None = None
    stopwords: frozenset[str] = frozenset()
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. title/author from HTML metadata
    table: FeatureTable = field(default_factory=FeatureTable)


@dataclass(slots=True)
class Decision:
    """What stage 4 hands to assembly besides each block's role: the title and where the
    standfirst and the story's tail are."""

    title: str | None = None
    standfirst_idx: int | None = None
    tail_start: int | None = None
    story: Any = None  # the story model's columns (core.story.StoryColumns), for fitting and traces


# The items of a result, as `to_dict()` gives them (and the API's JSON): typed for mypy and
# editors (`cleaner` ships `py.typed`). `lines` is the 1-based inclusive span of input lines
# (null for HTML input, which has a `locator` instead).
class BodyItem(TypedDict):
    """One unit of the story: `kind` is paragraph, heading, list_item or quote."""

    kind: str
    text: str
    lines: list[int] | None
    locator: NotRequired[str]


class Caption(TypedDict):
    """A picture's caption and its credit (without brackets or label), where it stood."""

    text: str
    credit: str | None
    lines: list[int] | None
    locator: NotRequired[str]
    after: NotRequired[int]  # how many body items come before it (where it stood in the story)


class RelatedItem(TypedDict):
    """A promo or teaser: `kind` is the page's own label (`read more`...) or `promo`."""

    kind: str
    title: str
    summary: str | None
    lines: list[int] | None
    locator: NotRequired[str]


class RemovedItem(TypedDict):
    """A removed block with its role, the rule that removed it and why."""

    role: str
    rule: str
    reason: str
    text: str
    lines: list[int] | None
    locator: NotRequired[str]


class BlockItem(TypedDict):
    """One block of the audit trail: where it is, the role it ended with, the deciding rule,
    why, and its text."""

    lines: list[int] | None
    locator: NotRequired[str]
    role: str
    rule: str
    reason: str
    text: str


@dataclass(slots=True)
class CleanResult:
    """The structured article. `to_dict()` gives the documented JSON shape."""

    title: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    source: str | None = None
    body: list[BodyItem] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    related: list[RelatedItem] = field(default_factory=list)
    removed: list[RemovedItem] = field(default_factory=list)
    blocks: list[BlockItem] = field(default_factory=list)
    language: str | None = None
    confidence: float = 0.0
    input_kind: str = "text"
    # What the page declares about itself (HTML input: JSON-LD / OpenGraph): date, site name...
    page: dict[str, str] = field(default_factory=dict)
    url: str | None = None  # the caller's URL (metadata only: never fetched)
    encoding: str | None = None  # the encoding bytes were decoded with; None when given a str
    warnings: list[str] = field(default_factory=list)  # why the body is empty, when it is
    cleaner_version: str = ""
    rules_version: str = ""  # a digest of the loaded rules (RuleSet.digest)

    @property
    def text(self) -> str:
        """What a reader reads: the standfirst (when there is one), then the body texts, joined
        by a blank line."""
        parts = ([self.standfirst] if self.standfirst else []) + [b["text"] for b in self.body]
        return "\n\n".join(parts)

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
            "url": self.url,
            "encoding": self.encoding,
            "warnings": self.warnings,
            "cleaner_version": self.cleaner_version,
            "rules_version": self.rules_version,
        }
        if explain:
            out["removed"] = self.removed
            out["blocks"] = self.blocks
        return out

    def to_markdown(self) -> str:
        """The article as Markdown a renderer can trust: YAML front matter (title, byline, date,
        source, language, url, related items), then title, standfirst, the body with its lists
        and headings, each caption where it stood, the source; all input text escaped."""
        from .markdown import to_markdown

        return to_markdown(self)
