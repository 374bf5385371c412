"""HTML input: decode, segment the page's visible text, add markup evidence, run stages 2-5.

In order (trafilatura's `trafilatura_sequence` style):

1. Decode bytes (`cleaner.decoding`, as for text): a BOM, else the caller's charset, else
   `<meta charset>`, else UTF-8, else detection (charset-normalizer). Bytes that decode to
   binary raise `UndecodableInput`.
2. Parse with lxml (no recursion in Python). When lxml stops at its depth limit, the page is
   read again with the standard library's tokenizer, so no text is lost.
3. Segment: one block per run of text of a block-level element (`html_segment`), with a
   CSS-like locator. The page's `<title>` comes first, as in a text dump.
4. Metadata from JSON-LD, then OpenGraph / `<meta>` (headline, author, date, site name).
   Second opinion: trafilatura's main-content extraction. A block whose words it kept gets
   `hints["main"] = True` (a table row counts as one), every other block `False`.
5. Markup roles: `figcaption`/`figure`, `nav`, `aside`, `footer`, ARIA roles and class/id tokens
   (`share`, `related`, `newsletter`, `comment`, `byline`, ...) give `hints["role"]`; headings,
   list items and quotes give `hints["kind"]`. A class/id cue only counts on an element that
   does not hold most of the main text, so an `<article class="has-comments">` stays the story.
6. Stages 2-5 (`run_blocks`) decide, as for text; then `revise_with_main` makes body of what
   trafilatura kept and nothing removed, and the blocks are assembled again.
"""

from __future__ import annotations

import gc
import html as html_lib
import json
import logging
import time
from collections.abc import Iterable
from typing import Any

from .. import textre
from ..config import Settings
from ..core.assemble import assemble
from ..core.pipeline import Deadline, host_of, run_blocks
from ..decoding import check_text, decode_bytes
from ..errors import DeadlineExceeded, InputError, UndecodableInput
from ..limits import Markup, check_html
from ..model import Block, CleanResult, Decision, Document
from ..ruleset import RuleSet
from .main import main_flags_from_markup
from .segment import (
    HEADINGS,
    Frame,
    RawBlock,
    Segmenter,
    events_from_tokens,
    events_from_tree,
    to_blocks,
)

log = logging.getLogger(__name__)

# -- 1. decoding (cleaner.decoding: the same function as for text) --------------------------
def decode_html(data: str | bytes, charset: str | None = None) -> str:
    """The page as text; raises UndecodableInput for bytes that are not text in any charset."""
    return decode_page(data, charset)[0]


def decode_page(data: str | bytes, charset: str | None = None) -> tuple[str, str | None]:
    """`(text, encoding)`: the encoding used for bytes, None for a str."""
    if isinstance(data, str):
        return check_text(data), None
    return decode_bytes(data, charset, html=True)


# -- 2./3. parsing and segmenting ------------------------------------------------------------
def _drop_xml_declaration(html: str) -> str:
    """`html` without a leading `<?xml ...?>` (at most 200 characters inside, in the first 300), in
    code: was re.sub(r"^\\s*<\\?xml[^>]{0,200}\\?>", "", html[:300]) + html[300:]."""
    head = html[:300]
    body = head.lstrip()  # str.isspace() characters, as \\s
    if body.startswith("<?xml"):
        end = body.find(">", 5)
        if end > 5 and body[end - 1] == "?" and end - 1 - 5 <= 200:
            return body[end + 1:] + html[300:]
    return html


def parse_and_segment(
    html: str, deadline: Deadline | None = None, html_elements: bool = True,
) -> tuple[Segmenter, Any | None]:
    """The segmented page, and the lxml tree (None when the page was read by the tokenizer).
    With `html_elements` the tree is `lxml.html`'s (what trafilatura takes); without, plain
    `etree` elements from the same libxml2 parser (no Python class look-up per element, which
    is ~5% of the walk), which is all the fast mode reads."""
    from lxml import etree
    from lxml import html as lxml_html

    # Drop an XML declaration with an encoding: lxml refuses it on a str.
    text = _drop_xml_declaration(html)
    options = {"remove_comments": True, "remove_pis": True, "collect_ids": False}
    parser = lxml_html.HTMLParser(**options) if html_elements else etree.HTMLParser(**options)
    tree = None
    try:
        if text.strip():
            # lxml_html.document_fromstring, without its element classes when not asked for
            tree = etree.fromstring(text, parser)
            if tree is None:
                raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        tree = None
    too_deep = any("depth" in (e.message or "").lower() for e in parser.error_log)
    if deadline is not None:
        deadline.check("html parse")
    seg = Segmenter(deadline)
    # The walk makes one small object per element and no reference cycles: the cyclic collector
    # would only re-scan them (seconds on a page of a million elements), so it waits.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        if tree is not None and not too_deep:
            events_from_tree(tree, seg)
        else:
            tree = None
            try:
                events_from_tokens(text, seg)
            except DeadlineExceeded:
                raise
            except Exception as exc:  # the tokenizer's AssertionError / ValueError on broken markup
                raise UndecodableInput(
                    f"the HTML cannot be tokenised: {type(exc).__name__}: {exc}"
                ) from None
        seg.close()
    finally:
        if gc_was_on:
            gc.enable()
    return seg, tree


# -- 4. trafilatura's second opinion -----------------------------------------------------------
def _tokens(text: str) -> list[str]:
    return [t.lower() for t in textre.words(text)]


def trafilatura_view(html: str, tree: Any | None, url: str | None) -> str | None:
    """trafilatura's main text, or None when it found none (or failed on the page)."""
    try:
        from trafilatura import bare_extraction
    except ImportError:  # pragma: no cover - a dependency
        return None
    try:
        doc = bare_extraction(
            tree if tree is not None else html, url=url, include_comments=False, include_tables=True,
        )
    except Exception as exc:  # a second opinion: when it fails, the classifier decides alone
        log.info("trafilatura failed on %s: %s: %s", url or "a page", type(exc).__name__, exc)
        return None
    return (getattr(doc, "text", None) or None) if doc is not None else None


_META_KEYS = {
    "og:title": "title", "twitter:title": "title",
    "author": "author", "article:author": "author", "byl": "author", "dc.creator": "author",
    "parsely-author": "author", "sailthru.author": "author",
    "og:site_name": "sitename", "application-name": "sitename",
    "og:description": "description", "description": "description", "twitter:description": "description",
    "article:published_time": "date", "datepublished": "date", "pubdate": "date", "dc.date": "date",
}


def page_metadata(tree: Any | None) -> dict[str, str]:
    """Headline, author, date, site name and description the page declares: JSON-LD first
    (`headline`, `author.name`, `datePublished`, `publisher.name`), then OpenGraph / `<meta>`."""
    meta: dict[str, str] = {}
    if tree is None:
        return meta
    for k, script in enumerate(tree.iterfind(".//script[@type='application/ld+json']")):
        if k >= 20:
            break
        raw = script.text or ""
        if len(raw) > 1_000_000:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for item in _ld_items(data):
            _take(meta, "title", item.get("headline"))
            _take(meta, "author", _ld_name(item.get("author")))
            _take(meta, "date", item.get("datePublished"))
            _take(meta, "sitename", _ld_name(item.get("publisher")))
            _take(meta, "description", item.get("description"))
    for el in tree.iterfind(".//meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key in _META_KEYS:
            value = el.get("content") or ""
            if not (_META_KEYS[key] == "author" and value.startswith("http")):
                _take(meta, _META_KEYS[key], value)
    return meta


def _take(meta: dict[str, str], key: str, value: Any) -> None:
    if key not in meta and isinstance(value, str) and value.strip():
        meta[key] = html_lib.unescape(" ".join(value.split()))[:500]


def _ld_items(data: Any, depth: int = 0) -> Iterable[dict[str, Any]]:
    """The objects of a JSON-LD document that describe an article (`@graph` and lists opened)."""
    if depth > 3:
        return
    if isinstance(data, list):
        for item in data[:50]:
            yield from _ld_items(item, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _ld_items(data["@graph"], depth + 1)
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(t, str) and ("Article" in t or t in ("BlogPosting", "WebPage", "Report"))
               for t in kinds):
            yield data


def _ld_name(value: Any) -> str | None:
    """A name from a JSON-LD person or organisation (or a list of them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value[:5]) if n]
        return ", ".join(names) or None
    return None


def main_flags(blocks: Iterable[str], main_text: str) -> list[bool]:
    """Which blocks trafilatura kept: most of their word trigrams are in its text."""
    toks = _tokens(main_text)
    grams = {tuple(toks[i : i + 3]) for i in range(len(toks) - 2)}
    lines = {" ".join(_tokens(line)) for line in main_text.splitlines()}
    out: list[bool] = []
    for text in blocks:
        t = _tokens(text)
        if len(t) < 3:
            out.append(bool(t) and " ".join(t) in lines)
            continue
        own = [tuple(t[i : i + 3]) for i in range(len(t) - 2)]
        out.append(sum(g in grams for g in own) >= 0.5 * len(own))
    return out


def _rows_as_units(raw: list[RawBlock], main: list[bool], main_text: str) -> None:
    """Table cells are too short to find in trafilatura's text one by one: a row whose joined
    cells are in it marks all its cells as main content."""
    rows: dict[int, list[int]] = {}
    for k, rb in enumerate(raw):
        if rb.frame.tag in ("td", "th"):
            row = next((f for f in rb.frame.ancestors(4) if f.tag == "tr"), None)
            if row is not None:
                rows.setdefault(id(row), []).append(k)
    if not rows:
        return
    cells = list(rows.values())
    flags = main_flags((" ".join(raw[k].text for k in ks) for ks in cells), main_text)
    for ks, flag in zip(cells, flags, strict=True):
        if flag:
            for k in ks:
                main[k] = True


# -- 5. markup roles -------------------------------------------------------------------------
TOKEN_ROLES: tuple[tuple[str, frozenset[str]], ...] = (
    ("caption", frozenset({"caption", "figcaption", "credit", "credits", "photocredit", "cutline"})),
    ("share", frozenset({"share", "sharing", "social", "sharebar", "addthis", "sharethis", "shares"})),
    ("comment", frozenset({"comment", "comments", "disqus", "discussion", "replies"})),
    ("newsletter", frozenset({"newsletter", "newsletters", "subscribe", "subscription", "signup", "optin"})),
    ("advert", frozenset({
        "ad", "ads", "advert", "adverts", "advertisement", "advertising", "sponsor", "sponsored",
        "dfp", "outbrain", "taboola", "promo", "promos", "promotion", "commercial",
    })),
    ("related", frozenset({
        "related", "recommended", "recommendations", "recirc", "trending", "popular", "mostread", "latest",
        "teaser", "teasers", "readmore", "readnext", "morestories", "relatedposts", "yarpp",
    })),
    ("byline", frozenset({"byline", "author", "authors", "contributor"})),
    ("dateline", frozenset({"dateline", "timestamp", "pubdate", "date"})),
    ("navigation", frozenset({
        "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "footer", "masthead",
        "pagination", "pager", "tags", "sitemap",
    })),
    ("cookie", frozenset({"cookie", "cookies", "consent", "gdpr"})),
)
TAG_ROLES = {"nav": "navigation", "footer": "navigation", "aside": "related"}
ARIA_ROLES = {"navigation": "navigation", "complementary": "related", "contentinfo": "navigation",
              "banner": "navigation", "search": "navigation"}
_RELATED_PAIRS = (
    frozenset({"most", "read"}), frozenset({"more", "stories"}), frozenset({"read", "more"}),
    frozenset({"also", "read"}), frozenset({"more", "from"}), frozenset({"you", "like"}),
)
_HIDDEN_PAIRS = (
    frozenset({"sr", "only"}), frozenset({"visually", "hidden"}), frozenset({"screen", "reader"}),
)


def frame_role(f: Frame) -> tuple[str, str, bool] | None:
    """The role an element's markup states: (role, rule id, strong). Strong cues (the tag says
    it) skip the size guard that class/id cues must pass."""
    if f.tag == "figcaption":
        return "caption", "markup.figcaption", True
    if f.tag == "figure" and f.has_media:
        return "caption", "markup.figure", True
    if f.tag in TAG_ROLES:
        return TAG_ROLES[f.tag], f"markup.{f.tag}", False
    attrs = f.attrs or {}
    aria = attrs.get("role", "").strip().lower()
    if aria in ARIA_ROLES:
        return ARIA_ROLES[aria], f"markup.aria_{aria}", False
    if attrs.get("itemprop", "").strip().lower() == "author" or attrs.get("rel", "").lower() == "author":
        return "byline", "markup.author", False
    toks = f.tokens
    if not toks:
        return None
    if any(pair <= toks for pair in _HIDDEN_PAIRS):
        return "other", "markup.screen_reader", False
    for role, words in TOKEN_ROLES:
        if toks & words:
            return role, f"markup.class_{role}", False
    for pair in _RELATED_PAIRS:
        if pair <= toks:
            return "related", "markup.class_related", False
    return None


def markup_roles(
    raw: list[RawBlock], main: list[bool] | None, p: dict[str, Any],
) -> list[tuple[str, str] | None]:
    """For each block, the role its nearest telling ancestor states, or None."""
    page_chars = sum(len(rb.text) for rb in raw) or 1
    main_in: dict[int, int] = {}
    main_total = 0
    if main is not None:
        for rb, m in zip(raw, main, strict=True):
            if m:
                main_total += len(rb.text)
                for f in rb.frame.ancestors(64):
                    main_in[id(f)] = main_in.get(id(f), 0) + len(rb.text)
    max_share = p["html_cue_max_page_share"]
    max_main = p["html_cue_max_main_share"]
    cache: dict[int, tuple[str, str] | None] = {}
    cues: dict[int, tuple[str, str, bool] | None] = {}

    def allowed(f: Frame, strong: bool) -> bool:
        if main_total and main_in.get(id(f), 0) > max_main * main_total:
            return f.tag == "figcaption"
        return strong or f.chars <= max(400, max_share * page_chars)

    out: list[tuple[str, str] | None] = []
    for rb in raw:
        key = id(rb.frame)
        if key not in cache:
            found = None
            for f in rb.frame.ancestors(64):
                fid = id(f)
                if fid not in cues:
                    cues[fid] = frame_role(f)
                cue = cues[fid]
                if cue is not None and allowed(f, cue[2]):
                    found = (cue[0], cue[1])
                    break
            cache[key] = found
        out.append(cache[key])
    return out


REASONS = {
    "caption": "The markup marks it as a picture's caption or credit.",
    "navigation": "The markup marks it as navigation or page furniture.",
    "related": "The markup marks it as a sidebar or related-content box.",
    "share": "The markup marks it as a share or social widget.",
    "comment": "The markup marks it as comments.",
    "newsletter": "The markup marks it as a newsletter or subscription box.",
    "advert": "The markup marks it as an advert or promotion.",
    "byline": "The markup marks it as the author line.",
    "dateline": "The markup marks it as the date line.",
    "cookie": "The markup marks it as a cookie notice.",
    "other": "The markup hides it from sighted readers.",
}


def block_kind(f: Frame) -> str | None:
    """The body kind the markup states: heading, list item, quote or paragraph."""
    for g in f.ancestors(4):
        if g.tag == "blockquote":
            return "quote"
    if f.tag in HEADINGS:
        return "heading"
    if f.tag in ("li", "dd"):
        return "list_item"
    if f.tag == "p":
        return "paragraph"
    return None


def _caption_rule(text: str, ruleset: RuleSet, host: str | None) -> str | None:
    """A caption rule whose named credit group the text matches (so assembly splits the credit)."""
    for r in ruleset.match(text, host):
        if r.role == "caption":
            return r.id
    return None


# -- 6. stages 2-5, with the HTML revision between context and assembly ----------------------
REVISABLE_ROLES = ("other", "navigation", "related")


def revise_with_main(blocks: list[Block], p: dict[str, Any], titles: Iterable[str] = ()) -> int:
    """Stage 4b for HTML: a block that trafilatura kept as main content, that no rule and no
    markup cue removed, is body even when the text classifier's single run of prose missed it
    (a story cut in two by an in-article box, a table of stats, a short closing line), unless
    it is the headline (an `h1`, or words of the page's title), mostly link text, or outside
    the story box (`_story_box`). And a body paragraph (`p`) that is all one link is a pointer
    to another page ("SEE MORE: ...", "CLICK HERE TO GET THE APP"), not story."""
    max_ld = p["html_revise_max_link_density"]
    link_paragraph = p["html_link_paragraph_density"]
    title_words = [set(_tokens(t)) for t in titles if t]
    box = _story_box(blocks, p["html_story_box_share"])
    changed = 0
    for b in blocks:
        h = b.hints
        ld = h.get("link_density", 0.0)
        if (
            h.get("main") and not h.get("role") and b.role in REVISABLE_ROLES
            and b.rule.startswith("context.") and ld < max_ld
            and h.get("tag") != "h1" and not _repeats_title(b.text, title_words)
            and (box is None or _path(b)[: len(box)] == box)
        ):
            b.first_opinion = b.first_opinion or b.role
            b.role, b.rule = "body", "html.main_content"
            b.reason = "trafilatura's main-content view kept it and no rule or markup cue removes it."
            b.kind = h.get("kind") or "paragraph"
            changed += 1
        elif b.role == "body" and h.get("tag") == "p" and ld >= link_paragraph:
            # `context.` id: assemble._related looks up every other rule id in the rule set.
            b.role, b.rule = "related", "context.html_link_paragraph"
            b.reason = "A paragraph that is one link: a pointer to another page."
            changed += 1
    return changed


def _path(b: Block) -> list[str]:
    return (b.locator or "").split("::", 1)[0].split(" > ")


def _story_box(blocks: list[Block], share: float) -> list[str] | None:
    """The path of the deepest element that holds `share` of the body the text classifier
    found: where the story is. None when it found none."""
    body = [(_path(b), len(b.text)) for b in blocks if b.role == "body"]
    total = sum(n for _, n in body)
    if not total or share > 1:
        return None
    agreed = sum(len(b.text) for b in blocks if b.role == "body" and b.hints.get("main"))
    if agreed < 0.5 * total:  # the classifier and trafilatura disagree: no box to trust
        return None
    box: list[str] = []
    while True:
        counts: dict[str, int] = {}
        for path, n in body:
            if len(path) > len(box) + 1 and path[: len(box)] == box:
                counts[path[len(box)]] = counts.get(path[len(box)], 0) + n
        if not counts:
            return box
        step, n = max(counts.items(), key=lambda kv: kv[1])
        if n < share * total:
            return box
        box = [*box, step]


def _repeats_title(text: str, title_words: list[set[str]], share: float = 0.8) -> bool:
    """Whether most of the words of `text` are words of one of the page's titles."""
    words = _tokens(text)
    if not words:
        return False
    return any(sum(w in tw for w in words) >= share * len(words) for tw in title_words)


def run_html_blocks(
    blocks: list[Block], ruleset: RuleSet, *, url: str | None, language: str | None,
    deadline: Deadline, meta: dict[str, object] | None = None,
) -> CleanResult:
    """Stages 2-5 over HTML blocks (`pipeline.run_blocks`), then `revise_with_main` and, when it
    changed a role, assembly again over the same decided blocks."""
    res = run_blocks(blocks, ruleset, url=url, language=language, deadline=deadline, meta=meta)
    titles = [str((meta or {}).get("title") or ""), res.title or ""]
    titles += [b.text for b in blocks[:1] if b.hints.get("tag") == "title"]
    if not revise_with_main(blocks, ruleset.params, titles):
        return res
    doc = Document(blocks=blocks, url=url, host=host_of(url), meta=dict(meta or {}), language=res.language)
    if blocks and blocks[0].table is not None:
        doc.table = blocks[0].table
    standfirst = next((b.index for b in blocks if b.role == "standfirst"), None)
    return assemble(doc, Decision(title=res.title, standfirst_idx=standfirst), ruleset)


# -- the entry point ---------------------------------------------------------------------------
def build_blocks(
    html: str, ruleset: RuleSet, *, url: str | None, deadline: Deadline, precise: bool = True,
) -> tuple[list[Block], dict[str, Any]]:
    """Stage 1 for HTML: the page's blocks with hints, and the page's metadata. The main-content
    view is trafilatura's with `precise`, else the markup's own (`main.main_flags_from_markup`)."""
    seg, tree = parse_and_segment(html, deadline, html_elements=precise)
    raw = seg.blocks
    p = ruleset.params
    # What follows (hints, locators, stages 2-5) costs a few tens of microseconds a block and
    # checks the deadline only between steps: stop now when it cannot fit the time left.
    _check_room(len(raw), deadline, p, "html_seconds_per_block")
    meta = page_metadata(tree)
    main_text = None
    main: list[bool] | None = None
    if not precise:
        main = main_flags_from_markup(raw, p) if raw else None
    else:
        # trafilatura cannot be interrupted: run it only when its expected time fits the budget left.
        expected = len(html) * p["html_trafilatura_seconds_per_char"]
        if raw and len(html) <= p["html_trafilatura_max_chars"] and (
            expected < 0.5 * (deadline.end - time.monotonic())
        ):
            main_text = trafilatura_view(html, tree, url)
            deadline.check("html main content")
        main = main_flags((rb.text for rb in raw), main_text) if main_text else None
        if main is not None:
            _rows_as_units(raw, main, main_text or "")
    roles = markup_roles(raw, main, p)
    blocks: list[Block] = []
    if seg.title:
        blocks.append(Block(index=0, text=seg.title, locator="html > head > title",
                            hints={"tag": "title"}))
    body_blocks = to_blocks(raw, start_index=len(blocks))
    host = host_of(url)
    for k, (b, rb) in enumerate(zip(body_blocks, raw, strict=True)):
        hints: dict[str, Any] = {"tag": rb.frame.tag}
        if rb.link_chars:
            hints["link_density"] = round(rb.link_chars / max(1, len(rb.text)), 3)
        if main is not None:
            hints["main"] = main[k]
        if rb.credit:
            hints["credit"] = rb.credit
        kind = block_kind(rb.frame)
        if kind:
            hints["kind"] = kind
        role = roles[k]
        if role is not None:
            hints["role"] = role[0]
            rule = role[1]
            if role[0] == "caption":
                rule = _caption_rule(b.text, ruleset, host) or rule
            elif role[0] == "related":
                # assemble._related looks up every rule id not under `context.` in the rule set;
                # until it tolerates markup ids, related boxes carry a `context.` id.
                rule = "context." + rule.replace(".", "_")
            hints["rule"] = rule
            hints["reason"] = REASONS.get(role[0], "The markup says so.")
        b.hints = hints
        blocks.append(b)
    return blocks, {k: v for k, v in meta.items() if v}


def clean_html(
    html: str | bytes, ruleset: RuleSet, settings: Settings, *, url: str | None = None,
    language: str | None = None, deadline: Deadline | None = None, charset: str | None = None,
    precise: bool = True,
) -> CleanResult:
    """Clean one HTML page (str, or bytes in `charset` or a detected one); `precise` takes
    trafilatura's main-content view as a second opinion (see `build_blocks`)."""
    deadline = deadline or Deadline(settings.timeout_s)
    if not isinstance(html, (str, bytes)):
        raise InputError(f"`html` must be str or bytes, not {type(html).__name__}")
    text, encoding = decode_page(html, charset)
    deadline.check("html decode")
    # Caps on the decoded markup, before the parser sees it; then lxml (which cannot be
    # interrupted) runs only when its expected time fits the time left.
    _check_parse_room(check_html(text, settings, deadline), len(text), deadline, ruleset.params)
    blocks, meta = build_blocks(text, ruleset, url=url, deadline=deadline, precise=precise)
    _check_room(len(blocks), deadline, ruleset.params, "html_engine_seconds_per_block")
    res = run_html_blocks(blocks, ruleset, url=url, language=language, deadline=deadline,
                          meta={"title": meta.get("title")} if meta.get("title") else None)
    res.input_kind = "html"
    res.encoding = encoding
    res.captions = credits_from_markup(res.captions, blocks)
    # The headline the page declares (JSON-LD, OpenGraph) beats one cut from `<title>`; an `h1`
    # that the text stages took as the title stays.
    h1s = {" ".join(_tokens(b.text)) for b in blocks if b.hints.get("tag") == "h1"}
    if meta.get("title") and (res.title is None or " ".join(_tokens(res.title)) not in h1s):
        res.title = meta["title"]
    if res.byline is None and meta.get("author"):
        res.byline = meta["author"]
    res.page = {k: meta[k] for k in ("date", "sitename", "description", "author", "title") if meta.get(k)}
    return res


_CREDIT_LABEL = textre.compile(f"^(?i:(?:photo|image|picture)?{textre.S}*credits?|photo|image|copyright|©)"
                               f"{textre.S}*[:.-]?{textre.S}*")


def credits_from_markup(captions: list[dict[str, Any]], blocks: list[Block]) -> list[dict[str, Any]]:
    """Captions with the credit the markup marks (`<span class="credit">` in a figcaption, a
    `div.credit` in a figure) where the caption rules found none: split off the caption's text,
    or, for a block that is only a credit, given to the caption just before it."""
    by_loc = {b.locator: b for b in blocks}
    out: list[dict[str, Any]] = []
    for cap in captions:
        b = by_loc.get(cap.get("locator"))
        credit = b.hints.get("credit") if b is not None else None
        if not credit or cap.get("credit"):
            out.append(cap)
            continue
        clean_credit = _CREDIT_LABEL.sub("", credit).strip() or credit
        text = cap["text"]
        if " ".join(text.split()) == " ".join(credit.split()):
            if out and not out[-1].get("credit"):
                out[-1] = {**out[-1], "credit": clean_credit}
                continue
            out.append({**cap, "credit": clean_credit})
            continue
        if credit in text:
            text = text.replace(credit, " ").strip(" \t-–—|:;,")
        out.append({**cap, "text": text or cap["text"], "credit": clean_credit})
    return out


def _check_parse_room(markup: Markup, chars: int, deadline: Deadline, p: dict[str, Any]) -> None:
    """Stop now, not after the budget, when lxml's expected time on this markup does not fit the
    time left (the cap scan, up to 1 us a tag, may have used much of it)."""
    expected = (markup.elements * p["html_parse_seconds_per_element"]
                + markup.attributes * p["html_parse_seconds_per_attribute"]
                + markup.attribute_pairs * p["html_parse_seconds_per_attribute_pair"]
                + chars * p["html_parse_seconds_per_char"])
    left = deadline.end - time.monotonic()
    if expected > left:
        raise DeadlineExceeded(
            f"the page has {markup.elements} elements and {markup.attributes} attributes; parsing them "
            f"would take longer than the {deadline.budget:g} s budget allows ({max(0.0, left):.1f} s left)"
        )


def _check_room(n_blocks: int, deadline: Deadline, p: dict[str, Any], param: str) -> None:
    """Stop now, not after the budget, when stages 2-5 cannot finish in the time left: they
    check the deadline only between stages, and a page of 400,000 table cells takes seconds."""
    per_block = p[param]
    left = deadline.end - time.monotonic()
    if n_blocks * per_block > left:
        raise DeadlineExceeded(
            f"the page has {n_blocks} blocks of text; cleaning them would take longer than the "
            f"{deadline.budget:g} s budget allows ({max(0.0, left):.1f} s left)"
        )
