"""Stage 1 of 5 for HTML: the page's visible text as blocks, each with a locator and markup hints.

The segmenter consumes a flat stream of events (`start(tag, attrs)`, `data(text)`, `end(tag)`),
so it never recurses and a tree of any depth costs the same as a flat one. The events come from
an lxml tree (`events_from_tree`, iterative) or, when lxml had to cut the page short (over its
depth limit), from the standard library's tokenizer (`events_from_tokens`), which keeps all the
text but only a capped stack of elements.

A block is the text of one block-level element up to its next block-level child (inline tags
such as `a`, `span`, `b` stay inside the block). Each element becomes a `Frame` that remembers
its tag, its class/id tokens, its text size and which frames hold it; markup roles are decided
from those after the walk (`resolve_roles`), when the size of every element is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from .. import textre
from ..model import Block


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


INLINE_TAGS = _tags(
    "a abbr acronym b bdi bdo big cite code data del dfn em font i img ins kbd label mark q s samp "
    "small span strike strong sub sup time tt u var wbr picture source br button nobr"
)
SKIP_TAGS = _tags(
    "script style noscript template svg math iframe object embed canvas select option datalist "
    "textarea input map area audio video track param meta link base"
)
VOID_TAGS = _tags("area base br col embed hr img input link meta param source track wbr")
MEDIA_TAGS = _tags("img picture video iframe svg amp-img")

# Page furniture that the tree walk reads as one block of all its text, its subtree unvisited
# (`events_from_tree`), when it holds none of PRUNE_GUARD_TAGS: a menu, a site footer, a
# sidebar of links. One that holds a paragraph, a top heading or an article is walked as any
# element (broken markup where an unclosed `<nav>` swallows the page, a footer with an
# address, an aside with prose), and so is one with text that is not shown (a script, a
# form field's options).
PRUNE_TAGS = _tags("nav footer aside")
PRUNE_GUARD_TAGS = ("p", "h1", "article", "main", "table", "script", "style", "noscript", "template",
                    "select", "textarea")
PRUNE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})


def _furniture_attrs(attrs: Mapping[str, str]) -> bool:
    """Whether an element's ARIA role names it page furniture (`PRUNE_ROLES`)."""
    role = attrs.get("role")
    return bool(role) and role.strip().lower() in PRUNE_ROLES


HEADINGS = _tags("h1 h2 h3 h4 h5 h6")
# Class and id tokens are the runs of [a-z0-9] of the lower-cased names, camelCase split first.
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_TOKEN_TABLE = textre.table(lambda ch: ord(ch) if ch in _TOKEN_CHARS else ord(" "))
_DISPLAY_NONE = textre.compile(f"(?i)display{textre.S}*:{textre.S}*none"
                               f"|visibility{textre.S}*:{textre.S}*hidden")

_KEPT_ATTRS = ("class", "id", "role", "itemprop", "rel")
CREDIT_TOKENS = frozenset({"credit", "credits", "copyright", "photographer", "photocredit"})
MAX_STACK = 512  # deeper elements are flattened into their ancestor at this depth


@dataclass(slots=True, eq=False)
class Frame:
    """One element of the page as the walk saw it."""

    tag: str
    parent: Frame | None
    segment: str  # this element's step of the locator, e.g. `div:nth-of-type(2)`
    depth: int
    tokens: frozenset[str] = frozenset()
    attrs: Mapping[str, str] | None = None  # class, id, role, itemprop, rel (when present)
    chars: int = 0  # visible text characters inside the element (filled on its end)
    link_chars: int = 0
    has_media: bool = False
    n_blocks: int = 0
    counters: dict[str, int] | None = None  # same-tag children seen so far (for nth-of-type)
    _locator: str | None = None

    def locator(self) -> str:
        """The CSS-like path of the element (`html > body > div:nth-of-type(2) > p`)."""
        if self._locator is None:
            parts: list[str] = []
            f: Frame | None = self
            while f is not None and f._locator is None:
                parts.append(f.segment)
                f = f.parent
            if f is not None and f._locator:
                parts.append(f._locator)
            self._locator = " > ".join(reversed(parts))
        return self._locator

    def ancestors(self, limit: int = 64) -> Iterator[Frame]:
        """This frame, then its parents, nearest first, at most `limit` of them."""
        f: Frame | None = self
        while f is not None and limit > 0:
            yield f
            f = f.parent
            limit -= 1


def class_tokens(attrs: Mapping[str, str]) -> frozenset[str]:
    """Lower-cased word tokens of an element's class and id (`related-posts` -> related, posts)."""
    cls, eid = attrs.get("class"), attrs.get("id")
    if not cls and not eid:
        return _NO_TOKENS
    raw = f"{cls or ''} {eid or ''}"[:500]
    # A page repeats its class names: each distinct one is split once (`str.translate` over a
    # dict costs ~50 ns a character), in a cache of at most _TOKEN_CACHE_SIZE names of 500
    # characters or less.
    toks = _TOKEN_CACHE.get(raw)
    if toks is None:
        low = raw.lower()
        if raw != low:  # an upper-case letter: split camelCase (a space before A-Z after a-z)
            low = _split_camel(raw).lower()
        toks = frozenset(low.translate(_TOKEN_TABLE).split())
        if len(_TOKEN_CACHE) >= _TOKEN_CACHE_SIZE:
            _TOKEN_CACHE.clear()
        _TOKEN_CACHE[raw] = toks
    return toks


def _split_camel(raw: str) -> str:
    out, after_lower = [], False
    for ch in raw:
        if after_lower and "A" <= ch <= "Z":
            out.append(" ")
        out.append(ch)
        after_lower = "a" <= ch <= "z"
    return "".join(out)


_NO_TOKENS: frozenset[str] = frozenset()
_TOKEN_CACHE: dict[str, frozenset[str]] = {}
_TOKEN_CACHE_SIZE = 16_384
_NO_ATTRS: Mapping[str, str] = {}  # an element without attributes (never written to)


@dataclass(slots=True)
class RawBlock:
    """A block of text before it becomes a `Block`: its owner element and link share."""

    text: str
    frame: Frame
    part: int
    link_chars: int
    credit: str | None = None  # text of an inline element marked as a credit (`span.credit`)


class Segmenter:
    """Turn start/data/end events into raw blocks, keeping a frame per element."""

    def __init__(self, deadline: Any | None = None):
        root = Frame(tag="#root", parent=None, segment="", depth=0)
        root._locator = ""
        self.root = root
        self.stack: list[Frame] = [root]
        self.block_stack: list[Frame] = [root]
        self.buf: list[str] = []
        self.buf_link = 0
        self.credit_buf: list[str] = []
        self.credit_depth = 0
        self.link_depth = 0
        # Inside a skipped element (script, hidden...; <head> but its <title>): its tag, and how
        # many elements of that tag are open. Only that tag is counted, so an unbalanced stream
        # (the tokenizer's) cannot leave the rest of the page skipped by an unclosed `<li>`.
        self.skip_tag: str | None = None
        self.skip_depth = 0
        self.overflow = 0  # elements not pushed because the stack is full
        self.blocks: list[RawBlock] = []
        self.title: str | None = None
        self._in_title = False
        self._title_buf: list[str] = []
        self.deadline = deadline
        self.events = 0

    # -- events -----------------------------------------------------------------------------
    def start(self, tag: str, attrs: Mapping[str, str]) -> None:
        self.events += 1
        if not self.events & 0xFFF and self.deadline is not None:
            self.deadline.check("html segment")
        tag = tag.lower()
        if tag == "title" and self.title is None and self.skip_tag in (None, "head"):
            self._in_title = True
            return
        if self.skip_tag is not None:
            if tag == self.skip_tag and tag not in VOID_TAGS:
                self.skip_depth += 1
            if tag in MEDIA_TAGS:  # `<noscript><img></noscript>`: a lazy-loaded picture
                self.stack[-1].has_media = True
            return
        if tag == "head":
            self.skip_tag, self.skip_depth = "head", 1
            return
        parent = self.stack[-1]
        if tag in MEDIA_TAGS:
            for f in parent.ancestors(8):
                f.has_media = True
        if tag in VOID_TAGS:
            if tag == "br":
                self.buf.append(" ")
            return
        style = attrs.get("style")
        if style:
            style = style[:300]
            low = style.lower()  # RE2 only where its words are (`display: none` has "none")
            hidden_style = ("none" in low or "hidden" in low) and _DISPLAY_NONE.search(style) is not None
        else:
            hidden_style = False
        if tag in SKIP_TAGS or "hidden" in attrs or hidden_style:
            self._count(parent, tag)  # still a sibling: later locators count it
            self.skip_tag, self.skip_depth = tag, 1
            return
        if len(self.stack) >= MAX_STACK:
            self.overflow += 1
            return
        block = tag not in INLINE_TAGS
        if block:
            self._flush()
        n = self._count(parent, tag)
        seg = tag if tag in ("html", "body", "head") else f"{tag}:nth-of-type({n})"
        small_attrs = {k: attrs[k][:200] for k in _KEPT_ATTRS if k in attrs} if len(attrs) else None
        frame = Frame(tag=tag, parent=parent, segment=seg, depth=parent.depth + 1,
                      tokens=class_tokens(attrs), attrs=small_attrs)
        self.stack.append(frame)
        if block:
            self.block_stack.append(frame)
        if tag == "a":
            self.link_depth += 1
        elif not block and frame.tokens & CREDIT_TOKENS:
            self.credit_depth += 1

    def data_block(self, text: str, link_chars: int) -> None:
        """The whole text of the element just begun, with `link_chars` of link text in it (its
        subtree is not walked: `events_from_tree`)."""
        if text:
            self.buf.append(text)
            self.buf_link += link_chars

    def end(self, tag: str) -> None:
        self.events += 1
        if not self.events & 0xFFF and self.deadline is not None:
            self.deadline.check("html segment")
        tag = tag.lower()
        if self._in_title and tag == "title":
            self._in_title = False
            self.title = " ".join("".join(self._title_buf).split()) or None
            return
        if tag in VOID_TAGS:
            return
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth <= 0:
                    self.skip_tag, self.skip_depth = None, 0
            return
        if self.overflow:
            self.overflow -= 1
            return
        # Close up to the matching open element (the tokenizer's stream may be unbalanced).
        for k in range(len(self.stack) - 1, max(0, len(self.stack) - 64), -1):
            if self.stack[k].tag == tag:
                break
        else:
            return
        while len(self.stack) > k:
            self._pop()

    def data(self, text: str) -> None:
        if self._in_title:
            self._title_buf.append(text)
            return
        if self.skip_tag is not None or not text:
            return
        self.buf.append(text)
        if self.credit_depth:
            self.credit_buf.append(text)
        if self.link_depth:
            self.buf_link += len(text.strip())

    def close(self) -> list[RawBlock]:
        while len(self.stack) > 1:
            self._pop()
        self._flush()
        return self.blocks

    # -- internals --------------------------------------------------------------------------
    @staticmethod
    def _count(parent: Frame, tag: str) -> int:
        """The position of a new `tag` child of `parent` among its same-tag siblings."""
        if parent.counters is None:
            parent.counters = {}
        n = parent.counters.get(tag, 0) + 1
        parent.counters[tag] = n
        return n

    def _pop(self) -> None:
        frame = self.stack.pop()
        if frame.tag not in INLINE_TAGS:
            self._flush()
            self.block_stack.pop()
        elif frame.tag == "a":
            self.link_depth = max(0, self.link_depth - 1)
        elif frame.tokens & CREDIT_TOKENS:
            self.credit_depth = max(0, self.credit_depth - 1)
        if frame.parent is not None:
            frame.parent.chars += frame.chars
            frame.parent.link_chars += frame.link_chars

    def _flush(self) -> None:
        if not self.buf:
            return
        text = " ".join("".join(self.buf).split())  # runs of spaces (str.isspace) as one
        link = self.buf_link
        credit = " ".join("".join(self.credit_buf).split()) if self.credit_buf else None
        self.buf, self.buf_link, self.credit_buf = [], 0, []
        if not text:
            return
        owner = self.block_stack[-1]
        if owner.tokens & CREDIT_TOKENS:
            credit = text
        owner.n_blocks += 1
        owner.chars += len(text)
        owner.link_chars += min(link, len(text))
        self.blocks.append(RawBlock(text, owner, owner.n_blocks, min(link, len(text)), credit or None))

    def _tick(self) -> None:
        self.events += 1
        if self.deadline is not None and not self.events & 0xFFF:
            self.deadline.check("html segment")


def events_from_tree(root: Any, seg: Segmenter) -> None:
    """Feed an lxml tree's elements to `seg`, iteratively (lxml's iterwalk). An element that
    begins a skipped stretch (script, svg, hidden...; not `<head>`, whose `<title>` is read) has
    its subtree passed over unvisited: the segmenter would drop all of it but for noting a
    picture in it, which one search of the subtree does (`Frame.has_media`). Furniture
    (`PRUNE_TAGS`: nav, footer, aside; or an ARIA role in `PRUNE_ROLES`) that holds none
    of `PRUNE_GUARD_TAGS` (no paragraph, `h1`, `article`, `main` or table, and no script or form field
    whose text is not shown) becomes one block of all its text, its subtree unvisited: on
    many pages a third of the elements are menus and footers, and the markup roles and the
    main-content view weigh that one block as they weighed its pieces."""
    from lxml import etree

    start, end, data = seg.start, seg.end, seg.data
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):  # comment, processing instruction, entity
            if event == "end" and el.tail:
                data(el.tail)
            continue
        if event == "start":
            items = el.items()  # one call into lxml, then plain dict look-ups
            attrs = dict(items) if items else _NO_ATTRS
            skipping = seg.skip_tag is not None
            depth = len(seg.stack)
            start(tag, attrs)
            if not skipping and seg.skip_tag is not None and seg.skip_tag != "head":
                if len(el):
                    for _ in el.iter(*MEDIA_TAGS):
                        seg.stack[-1].has_media = True
                        break
                    walker.skip_subtree()
                continue  # the skipped element's text is not read
            if not skipping and len(seg.stack) > depth and len(el) and (
                    tag in PRUNE_TAGS or (items and _furniture_attrs(attrs))):
                for _ in el.iter(*PRUNE_GUARD_TAGS):
                    break
                else:  # furniture with no prose: one block of all its text, its subtree unvisited
                    links = 0
                    for a in el.iter("a"):
                        links += len(" ".join(a.itertext()).strip())
                    seg.data_block(" ".join(el.itertext()), links)
                    walker.skip_subtree()
                    continue
            if el.text:
                data(el.text)
        else:
            end(tag)
            if el.tail:
                data(el.tail)


class _Tokens(HTMLParser):
    def __init__(self, seg: Segmenter):
        super().__init__(convert_charrefs=True)
        self.seg = seg

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seg.start(tag, {k: v or "" for k, v in attrs[:64]})
        if tag.lower() in VOID_TAGS:
            self.seg.end(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seg.start(tag, {k: v or "" for k, v in attrs[:64]})
        self.seg.end(tag)

    def handle_endtag(self, tag: str) -> None:
        self.seg.end(tag)

    def handle_data(self, data: str) -> None:
        self.seg.data(data)


def events_from_tokens(html: str, seg: Segmenter, chunk: int = 1 << 16) -> None:
    """Feed the standard library tokenizer's events to `seg` (no tree, so no depth limit)."""
    parser = _Tokens(seg)
    for i in range(0, len(html), chunk):
        parser.feed(html[i : i + chunk])
        seg._tick()
    parser.close()


def to_blocks(raw: Iterable[RawBlock], start_index: int = 0) -> list[Block]:
    """`Block`s (no hints yet) from raw blocks, numbered from `start_index`."""
    out: list[Block] = []
    for k, rb in enumerate(raw):
        loc = rb.frame.locator() or ":root"
        if rb.part > 1 or rb.frame.n_blocks > 1:
            loc = f"{loc}::text({rb.part})"
        out.append(Block(index=start_index + k, text=rb.text, locator=loc))
    return out
