"""Headlines: the title line and its site name, repeats of the headline, the standfirst.

Every test here reads a block's text (and the headline) only, never its neighbours, so the
article cleaner prints (title, standfirst, body) is read back the same way.
"""

from __future__ import annotations

import re

from ..model import Block
from ..ruleset import Rule
from .features import norm_text

TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")
_DATELINE_OPENING = re.compile(r"^[A-Z][A-Z .,]+(?:\([^)]*\))?\s*[—–-]")
_ATTRIBUTION = re.compile(r"\b(?:said|says|told)\b")


def split_site_name(title: str, later: list[str]) -> str:
    """The headline of a page title: a later line that starts it, else the title without its
    trailing site-name segments."""
    tnorm = norm_text(title)
    head = title
    for text in later:
        n = norm_text(text)
        if n and len(n) >= 0.3 * len(tnorm) and tnorm.startswith(n) and n != tnorm:
            head = text.strip()
            break
    for _ in range(3):
        cut = max((head.rfind(sep) for sep in TITLE_SEPARATORS), default=-1)
        if cut <= 0:
            break
        tail = head[cut:].strip(" |-–—:«»·")
        rest = head[:cut]
        if not _site_name_like(tail) or (len(rest.split()) < 2 and len(rest) < 8):
            break
        head = head[:cut].rstrip()
    return head


def _site_name_like(segment: str) -> bool:
    """A trailing title segment that names the site or section: short, no sentence, no quotes."""
    return (
        0 < len(segment.split()) <= 6
        and not any(c in segment for c in "\"“”‘’«»?!")
        and not segment.endswith(".")
    )


def looks_like_title(b: Block) -> bool:
    """A block that can be a headline: short, and not a sentence of running prose."""
    f = b.features
    prose_sentence = f["words"] >= 8 and b.text.endswith(".")  # language-neutral on purpose
    one_word = f["words"] < 2 and f["chars"] < 8  # "News", "Home": a menu item, not a headline
    return f["has_letter"] and f["words"] <= 30 and f["chars"] <= 250 and not prose_sentence and not one_word


def find_title(blocks: list[Block], rules: list[Rule | None]) -> tuple[int | None, str | None, set[int]]:
    """The title block, the headline, its repeats.

    The title is the first block no rule recognised as furniture ("SUBSCRIBE", a share row),
    when it is headline-shaped: in a page dump, the page's title line. The clean article
    starts with it, so cleaning that again finds the same title."""
    first = next((b for b in blocks if rules[b.index] is None), None)
    if first is None or not looks_like_title(first):
        return None, None, set()
    i = first.index
    headline = split_site_name(first.text, [b.text for b in blocks[i + 1 : i + 12]])
    keys = {norm_text(first.text), norm_text(headline)}
    dups = {b.index for b in blocks[i + 1 :] if b.features["norm"] in keys}
    return i, headline, dups


def is_standfirst(headline: str | None, text: str) -> bool:
    """Whether a prose block reads as the headline's standfirst (dek): one short declarative
    sentence about the headline's subject, with no numbers, quotes, dateline or attribution.

    The test uses the headline and the block alone, so an article that cleaner printed (title,
    standfirst, body) is read back the same way: cleaning is idempotent."""
    if not headline:
        return False
    words = text.split()
    if not 8 <= len(words) <= 30 or not text.endswith("."):
        return False
    if _SENTENCE_BREAK.search(text[:-1]) or _DATELINE_OPENING.match(text) or _ATTRIBUTION.search(text):
        return False
    if any(c.isdigit() or c in "\"“”‘’'«»" for c in text):
        return False
    topic = {w for w in norm_text(headline).split() if len(w) >= 4 and not w.isdigit()}
    shared = topic & set(norm_text(text).split())
    return len(shared) >= 2 and len(shared) >= 0.5 * len(topic)


def topic_words(title: str | None, stopwords: frozenset[str]) -> set[str]:
    """Content words of the headline: what the story is about."""
    if not title:
        return set()
    return {w for w in norm_text(title).split() if len(w) >= 3 and w not in stopwords and not w.isdigit()}
