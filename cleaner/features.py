"""Stage 2 of 5: per-block measures, and the document's language.

Measures are language-neutral where they can be (length, terminal punctuation, case, digits,
repetition within the document); stopword density needs the language, which is guessed from
the stoplists in `rules/stoplists/` when the caller does not name it. Without a stoplist
(a language we have none for), density is left at None and later stages rely on the rest.
"""

from __future__ import annotations

import re
from collections import Counter

from .model import Block, Document

WORD = re.compile(r"\w+")
_TERMINAL_END = re.compile(r"[.!?。！？…]['\"”’»)\]]*$|[.!?。！？…]\s*\(.{0,40}\)$")
_HAS_LETTER = re.compile(r"[^\W\d_]")


def norm_text(text: str) -> str:
    """Lower-cased word tokens joined by one space: what repetition is judged on."""
    return " ".join(WORD.findall(text.lower()))


def detect_language(
    blocks: list[Block], stoplists: dict[str, frozenset[str]], skip: frozenset[int] = frozenset()
) -> str | None:
    """The stoplist language with the highest stopword share over the document's sentences, or None.

    Only sentence-like blocks count (eight words or more, ending like a sentence), and not the
    blocks in `skip` (furniture a rule recognised): these are the blocks the clean article keeps,
    so cleaning the clean article again finds the same language."""
    words: list[str] = []
    for b in blocks:
        if b.index in skip or not _TERMINAL_END.search(b.text):
            continue
        tokens = WORD.findall(b.text.lower())
        if len(tokens) >= 8:
            words.extend(tokens)
        if len(words) > 4000:
            break
    if len(words) < 20:
        return None
    best, best_share = None, 0.0
    counts = Counter(words)
    total = sum(counts.values())
    for lang, stops in stoplists.items():
        share = sum(n for w, n in counts.items() if w in stops) / total
        if share > best_share:
            best, best_share = lang, share
    return best if best_share >= 0.15 else None


def compute_features(doc: Document) -> None:
    """Fill `block.features` for every block of `doc` (in place)."""
    norms = [norm_text(b.text) for b in doc.blocks]
    repeats = Counter(n for n in norms if n)
    stops = doc.stopwords
    n_blocks = len(doc.blocks)
    for b, nrm in zip(doc.blocks, norms, strict=True):
        text = b.text
        tokens = nrm.split()
        words = text.split()
        letters = [c for c in text if c.isalpha()]
        upper = sum(1 for c in letters if c.isupper())
        caps_words = sum(1 for w in words if w[:1].isupper())
        f = b.features
        f["chars"] = len(text)
        f["words"] = len(words)
        f["tokens"] = len(tokens)
        f["norm"] = nrm
        f["repeats"] = repeats[nrm] if nrm else 0
        f["terminal"] = bool(_TERMINAL_END.search(text))
        f["upper_ratio"] = upper / len(letters) if letters else 0.0
        f["capitalised_ratio"] = caps_words / len(words) if words else 0.0
        f["digit_ratio"] = sum(c.isdigit() for c in text) / len(text) if text else 0.0
        f["has_letter"] = bool(_HAS_LETTER.search(text))
        f["position"] = b.index / max(1, n_blocks - 1)
        f["stop_density"] = (sum(1 for t in tokens if t in stops) / len(tokens)) if (stops and tokens) else None
