"""The page's main-content container from markup and text density, without trafilatura.

The fast path's replacement for trafilatura's second opinion (`input.trafilatura_view`,
`precise=True`): the same thing, one flag per block saying "this is in the main content",
found from what the segmenting walk already measured, in two passes over the blocks and their
ancestors (no second parse, no second walk of the tree).

- Every prose block (at least `html_main_min_chars` characters, under
  `html_main_max_link_density` link text) scores 1 + its commas + a point per
  `html_main_chars_per_point` characters, at most `html_main_max_length_points` (readability's
  paragraph score, Arc90 / python-readability).
- Furniture does not count: prose under a `nav`, `aside`, `footer` or `form`, or under an
  element whose class/id tokens say so (`comment`, `sidebar`, `related`, `share`... and no
  `article`, `content`, `story`... token), is left out, unless that element holds more than
  `html_main_cue_max_share` of the page's prose (a layout class such as `has-sidebar` or a
  utility class such as `overflow-hidden` on the story's own wrapper is no cue).
- The container is found top-down, like the story box of `input._story_box`: from the page
  root, step into the child holding the most prose points while it holds at least
  `html_main_descend_share` of the current element's. Where the prose splits (a list of
  items in sibling boxes, a story cut by an in-article box) the walk stops, so the whole of
  the story is kept.
- Where the page marks its main content (HTML5 landmarks), the descent starts there: at its
  `<main>` element (or `role="main"`; the one with the most prose points), else at its one
  `<article>` element when it has exactly one, when that holds at least
  `html_main_landmark_share` of the prose points; and inside it steps into a child only
  while that child holds `html_main_landmark_descend_share` of the current element's (the
  page said where the story is: a narrower box would cut a story told in sibling sections).
- A block is main when it lies inside that container and not inside furniture within it.
  When the container holds less than `html_main_min_box_share` of the page's prose, there is
  no view (the text classifier and the markup roles decide alone), as when trafilatura finds
  nothing.

The numbers are data in rules/html.yaml (`html_main_*`), chosen on the dev sets;
`scripts/evaluate_html.py --folds --fast` cross-validates them by site (5 folds).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .segment import Frame, RawBlock

# Class/id tokens (whole tokens: `segment.class_tokens`) that mark the story, and furniture.
POSITIVE = frozenset({
    "article", "body", "content", "entry", "hentry", "main", "page", "post", "text", "blog",
    "story", "articlebody", "postbody", "entrycontent", "storybody", "prose", "richtext",
})
NEGATIVE = frozenset({
    "hidden", "banner", "combx", "comment", "comments", "contact", "foot", "footer", "footnote",
    "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox",
    "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget", "nav", "menu",
    "social", "newsletter", "ad", "ads", "advert", "recommended", "breadcrumb", "cookie",
    "subscribe", "popup", "modal", "teaser", "aside",
})
FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "form"})


def _is_main_role(attrs: Mapping[str, str]) -> bool:
    return attrs.get("role", "").strip().lower() == "main"


def main_flags_from_markup(raw: list[RawBlock], p: Mapping[str, Any]) -> list[bool] | None:
    """One flag per block: inside the story container, found top-down: from the page root,
    step into the child that holds the most prose points while it holds at least
    `html_main_descend_share` of the current element's. Prose under furniture (a `nav`,
    `aside`, `footer` or `form`, or a class/id token such as `comment` or `sidebar`) does not
    count, where that element holds at most `html_main_cue_max_share` of the page's prose (a
    layout class such as `has-sidebar` on the story's own wrapper is no cue)."""
    min_chars = p["html_main_min_chars"]
    max_ld = p["html_main_max_link_density"]
    chars_per_point = p["html_main_chars_per_point"]
    max_len_points = p["html_main_max_length_points"]
    share = p["html_main_descend_share"]
    cue_share = p["html_main_cue_max_share"]
    prose: list[tuple[list[Frame], float]] = []
    total_of: dict[int, float] = {}
    for rb in raw:
        text = rb.text
        n = len(text)
        if n < min_chars or rb.link_chars > max_ld * n:
            continue
        chain = list(rb.frame.ancestors(512))
        pts = 1.0 + text.count(",") + min(n / chars_per_point, max_len_points)
        prose.append((chain, pts))
        for f in chain:
            total_of[id(f)] = total_of.get(id(f), 0.0) + pts
    if not prose:
        return None
    page = sum(pts for _, pts in prose)
    bad: dict[int, bool] = {}

    def is_bad(f: Frame) -> bool:
        key = id(f)
        if key not in bad:
            toks = f.tokens
            cue = f.tag in FURNITURE_TAGS or bool(toks & NEGATIVE and not toks & POSITIVE)
            bad[key] = cue and total_of.get(key, 0.0) <= cue_share * page
        return bad[key]

    points: dict[int, float] = {}
    children: dict[int, dict[int, Frame]] = {}  # by id: linear however many children
    landmarks: dict[int, Frame] = {}
    articles: dict[int, Frame] = {}
    root: Frame | None = None
    for chain, pts in prose:
        if any(is_bad(f) for f in chain):
            continue
        prev: Frame | None = None
        for f in chain:
            key = id(f)
            if key not in points:
                points[key] = 0.0
                children[key] = {}
                if f.tag == "main" or (f.attrs is not None and _is_main_role(f.attrs)):
                    landmarks[key] = f
                elif f.tag == "article":
                    articles[key] = f
            points[key] += pts
            if prev is not None:
                children[key][id(prev)] = prev
            prev = f
        root = prev
    if root is None:
        return None
    box = root
    if not landmarks and len(articles) == 1:
        landmarks = articles  # one `<article>`: the story's own box
    if landmarks:  # the page's own `<main>` (or role=main): the descent starts there
        lm = max(landmarks.values(), key=lambda f: points[id(f)])
        if points[id(lm)] >= p["html_main_landmark_share"] * points[id(root)]:
            box = lm
            share = p["html_main_landmark_descend_share"]
    while True:
        kids = list(children.get(id(box), {}).values())
        if not kids:
            break
        best = max(kids, key=lambda c: points[id(c)])
        if points[id(best)] < share * points[id(box)]:
            break
        box = best
    if points[id(box)] < p["html_main_min_box_share"] * page:
        return None  # a container with little of the page's prose: no view to trust
    out: list[bool] = []
    inside: dict[int, bool] = {}
    for rb in raw:
        fid = id(rb.frame)
        flag = inside.get(fid)
        if flag is None:
            flag = False
            for g in rb.frame.ancestors(512):
                if g is box:
                    flag = True
                    break
                if is_bad(g):  # furniture inside the container (an aside, a share box)
                    break
            inside[fid] = flag
        out.append(flag)
    return out
