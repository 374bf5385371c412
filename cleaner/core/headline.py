"""Headlines: the title line and its site name, repeats of the headline, the standfirst.

Every test here reads a block's text (and the headline) only, never its neighbours, so the
article cleaner prints (title, standfirst, body) is read back the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import textre
from ..model import Block
from ..ruleset import Rule
from .features import WORD, norm_text

MAX_SITE_SEGMENTS = 3  # loop bound: site or section segments cut off the end of a title
TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ", " • ")
DASHES = ("-", "–", "—")
# They part a leading site name from the headline.
PREFIX_SEPARATORS = (" | ", " » ", " :: ", " · ", " • ", " - ", " – ", " — ")
REST_SEPARATORS = (" : ", ", ")  # they part a site name from a headline that a later line repeats
PATH_SEPARATORS = (" » ", " / ", " > ", " › ", "›", "»")  # a breadcrumb trail's
PROSE_OPINIONS = ("good", "neargood")  # first opinions of prose (classify.PROSE)
_SENTENCE_BREAK = textre.compile(r"[.!?]" + textre.S + "+[A-Z]")
_DATELINE_OPENING = textre.compile(r"^[A-Z][A-Z .,]+(?:\([^)]*\))?" + textre.S + "*[—–-]")
_ATTRIBUTION = textre.compile(f"(?:^|{textre.NW})(?:said|says|told)(?:$|{textre.NW})")  # \\b(...)\\b


def split_site_name(title: str, later: list[str], p: Mapping[str, Any]) -> str:
    """The headline of a page title: a later line that starts it, else the title without its
    trailing site-name segments."""
    tnorm = norm_text(title)
    head = title
    for text in later:
        n = norm_text(text)
        share = len(n) >= p["title_prefix_share"] * len(tnorm)
        if n and share and tnorm.startswith(n) and n != tnorm and _site_rest(title, text):
            head = text.strip()
            break
    for _ in range(MAX_SITE_SEGMENTS):
        cut, sep = max((head.rfind(sep), sep) for sep in TITLE_SEPARATORS)
        if cut <= 0:
            break
        tail = head[cut:].strip(" |-–—:«»·")
        rest = head[:cut]
        short = len(rest.split()) < p["site_rest_min_words"] and len(rest) < p["site_rest_min_chars"]
        # A site name may open in lower case ("threadWEAR"); a section before it is in lower case
        # throughout ("tips and tricks").
        section = tail == tail.lower() != tail.upper() and "." not in tail
        # After a dash, a list goes on the headline ("X – Features, Pricing, And Comparison").
        listed = sep.strip() in DASHES and "," in tail
        if not _site_name_like(tail, p) or short or section or listed:
            break
        head = head[:cut].rstrip()
    return _without_site_prefix(head, p)


def _without_site_prefix(head: str, p: Mapping[str, Any]) -> str:
    """The headline without a leading site or section name ("Literary Hub » The Ultimate Best
    Books of 2025 List"): a short site-name-like segment before a separator, with a headline at
    least `site_prefix_rest_share` times as long after it, not going on in lower case ("Brexit -
    what happens next" keeps its lead)."""
    cuts = [(head.find(sep), sep) for sep in PREFIX_SEPARATORS if head.find(sep) > 0]
    if not cuts:
        return head
    at, sep = min(cuts)
    lead, rest = head[:at], head[at + len(sep) :].strip()
    n_lead, n_rest = len(lead.split()), len(rest.split())
    if (
        _site_name_like(lead, p) and n_lead <= p["site_prefix_max_words"] and not rest[:1].islower()
        and n_rest >= p["site_prefix_rest_min_words"] and n_rest >= p["site_prefix_rest_share"] * n_lead
    ):
        return rest
    return head


def _site_rest(title: str, heading: str) -> bool:
    """Whether what follows `heading` in `title` names the site: a separator, or a
    capitalised word ("Recipe | King Arthur", "101RealtyMogul"). A heading the
    title merely starts with ("Different Types of Cameras" in "Different Types of Cameras for
    Photography", "What is X?" in "What is X? The Complete Guide") is a section of the story."""
    words = [w.lower() for w in WORD.findall(heading)]
    found = [(m.group().lower(), m.end()) for m in WORD.finditer(title)]
    if not words or len(found) <= len(words) or [w for w, _ in found[: len(words)]] != words:
        return False
    after = title[found[len(words) - 1][1] :]
    rest = after.lstrip("?!.’'\"”")  # the heading's own end punctuation
    if rest.startswith(TITLE_SEPARATORS + REST_SEPARATORS):
        return True
    first = rest.lstrip()[:1]  # a word glued on or after a space, not after "?" ("What is X? The Guide")
    return rest == after and bool(first) and (first.isupper() or first.isdigit())


def _site_name_like(segment: str, p: Mapping[str, Any]) -> bool:
    """A trailing title segment that names the site or section: short, no sentence, no quotes."""
    return (
        0 < len(segment.split()) <= p["site_name_max_words"]
        and not any(c in segment for c in "\"“”‘’«»?!")
        and not segment.endswith(".")
    )


def looks_like_title(b: Block, p: Mapping[str, Any]) -> bool:
    """A block that can be a headline: short, and not a sentence of running prose."""
    prose_sentence = b.words >= p["title_prose_min_words"] and b.text.endswith(".")  # language-neutral
    one_word = b.words < 2 and b.chars < p["title_menu_chars"]  # "News", "Home": a menu item, not a headline
    short = b.words <= p["title_max_words"] and b.chars <= p["title_max_chars"]
    return b.has_letter and short and not prose_sentence and not one_word


def find_title(
    blocks: list[Block], rules: list[Rule | None], p: Mapping[str, Any],
) -> tuple[int | None, str | None, set[int]]:
    """The title block, the headline, its repeats.

    The title is the first block no rule recognised as furniture ("SUBSCRIBE", a share row),
    when it is headline-shaped: in a page dump, the page's title line. The clean article
    starts with it, so cleaning that again finds the same title."""
    first = next((b for b in blocks if rules[b.index] is None), None)
    if first is None or not looks_like_title(first, p):
        return None, None, set()
    i = first.index
    later = [b.text for b in blocks[i + 1 : i + 1 + p["title_look_ahead"]]]
    headline = split_site_name(first.text, later, p)
    keys = {norm_text(first.text), norm_text(headline)}
    dups = {b.index for b in blocks[i + 1 :] if b.norm in keys}
    return i, headline, dups


def headline_below(
    blocks: list[Block], rules: list[Rule | None], title_idx: int, headline: str, body_start: int,
    dups: set[int], stopwords: frozenset[str], p: Mapping[str, Any],
) -> int | None:
    """The on-page headline under the page's title line, or None.

    A page dump opens with the `<title>` line; the headline the reader sees (the `<h1>`) comes
    further down, before the story starts, and often says the same thing in other words ("Best
    Tax Preparation Software | Accounting.com" over "The Best Tax Prep Software of 2025"). It is
    the headline-shaped line of the head, between the title line and the story, that shares
    most of its content words with the title (Dice overlap at least `headline_below_min_overlap`
    and `headline_below_min_shared` words). In a clean article nothing stands between the title
    and the story, so cleaning it again keeps its title."""
    title_words = topic_words(headline, stopwords, p)
    if not title_words or dups:  # a repeat of the title line shows it is the headline
        return None
    tnorm = norm_text(blocks[title_idx].text)
    best, best_score = None, p["headline_below_min_overlap"]
    need = best_score  # after a paragraph, a headline must share more with the title
    end = min(body_start, len(blocks))
    paragraph = [
        b.first_opinion in PROSE_OPINIONS and rules[b.index] is None and not looks_like_title(b, p)
        for b in blocks[:end]
    ]
    for j in range(title_idx + 1, end):
        b = blocks[j]
        shaped = looks_like_title(b, p)
        if paragraph[j] and j + 1 < end and paragraph[j + 1]:
            break  # the headline comes before the story's paragraphs
        if paragraph[j]:  # a lone paragraph may be a blurb of the page's furniture, or the lead
            need = max(need, p["headline_below_after_prose_overlap"])
        if rules[j] is not None or not shaped or b.norm in tnorm:
            continue  # furniture, not headline-shaped, or a part of the title ("Forming an LLC")
        if any(sep in b.text for sep in PATH_SEPARATORS):
            continue  # a breadcrumb trail ("Home » Blog » ...")
        words = topic_words(b.text, stopwords, p)
        shared = len(words & title_words)
        if shared < p["headline_below_min_shared"]:
            continue
        score = 2 * shared / (len(words) + len(title_words))
        if score >= need and score >= best_score and (best is None or score > best_score):
            best, best_score = j, score
    return best


def is_standfirst(headline: str | None, text: str, p: Mapping[str, Any]) -> bool:
    """Whether a prose block reads as the headline's standfirst (dek): one short declarative
    sentence about the headline's subject, with no numbers, quotes, dateline or attribution.

    The test uses the headline and the block alone, so an article that cleaner printed (title,
    standfirst, body) is read back the same way: cleaning is idempotent."""
    if not headline:
        return False
    words = text.split()
    if not p["standfirst_min_words"] <= len(words) <= p["standfirst_max_words"] or not text.endswith("."):
        return False
    if _SENTENCE_BREAK.search(text[:-1]) or _DATELINE_OPENING.match(text) or _ATTRIBUTION.search(text):
        return False
    if any(c.isdigit() or c in "\"“”‘’'«»" for c in text):
        return False
    topic = {w for w in norm_text(headline).split() if len(w) >= p["topic_min_chars"] and not w.isdigit()}
    shared = topic & set(norm_text(text).split())
    return len(shared) >= p["topic_min_words"] and len(shared) >= p["topic_share"] * len(topic)


def topic_words(title: str | None, stopwords: frozenset[str], p: Mapping[str, Any]) -> set[str]:
    """Content words of the headline: what the story is about."""
    if not title:
        return set()
    n = p["title_word_min_chars"]
    return {w for w in norm_text(title).split() if len(w) >= n and w not in stopwords and not w.isdigit()}
