"""Stage 2 of 5: per-block measures, and the document's language.

Measures are language-neutral where they can be (length, terminal punctuation, case, digits,
repetition within the document); stopword density needs the language, which is guessed from
the stoplists in `rules/stoplists/` when the caller does not name it. Without a stoplist
(a language we have none for), density is left at None and later stages rely on the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from .. import textre
from ..model import Block, Document, FeatureTable

WORD = textre.compile(f"{textre.W}+")  # for finditer (positions); the tokens come from textre.words


def norm_text(text: str) -> str:
    """Lower-cased word tokens joined by one space: what repetition is judged on."""
    return " ".join(textre.words(text.lower()))


def measure_blocks(doc: Document) -> None:
    """The language-neutral measures of every block into `doc.table`: length, words, tokens,
    terminal punctuation, letters, repetition within the document."""
    blocks = doc.blocks
    toks_of = [textre.words(b.text.lower()) for b in blocks]
    norms = [" ".join(t) for t in toks_of]
    repeats = Counter(n for n in norms if n)
    t = FeatureTable(norm=norms, toks=toks_of, stop_density=[None] * len(blocks))
    for i, (b, nrm, toks) in enumerate(zip(blocks, norms, toks_of, strict=True)):
        if b.index != i:
            raise ValueError(f"block {i} has index {b.index}: blocks must be numbered in order")
        text = b.text
        # A Chinese, Japanese or Korean character carries about what two Latin letters do.
        t.chars.append(len(text) + textre.count_wide(text))
        t.words.append(len(text.split()))
        t.tokens.append(len(toks))
        t.repeats.append(repeats[nrm] if nrm else 0)
        t.terminal.append(textre.terminal_end(text))
        t.has_letter.append(textre.has_letter(text))
        b.table = t
    doc.table = t


def language_sample(
    blocks: list[Block], p: Mapping[str, Any], skip: frozenset[int] = frozenset(),
) -> list[Block]:
    """The blocks the language is guessed from: sentences (eight tokens or more, ending like a
    sentence) that no rule recognised as furniture, up to about `language_sample_tokens` tokens."""
    out: list[Block] = []
    total = 0
    for b in blocks:
        if b.index in skip or not b.terminal or b.tokens < p["language_min_tokens"]:
            continue
        out.append(b)
        total += b.tokens
        if total > p["language_sample_tokens"]:  # plenty to tell languages apart
            break
    return out


def guess_language(
    blocks: list[Block], index: dict[str, tuple[str, ...]], p: Mapping[str, Any],
    skip: frozenset[int] = frozenset(),
) -> str | None:
    """The stoplist language with the highest stopword share over the document's sentences, or None.

    `index` maps each stopword to the languages whose stoplist has it. Only sentence-like
    blocks count (eight tokens or more, ending like a sentence), and not the blocks in `skip`
    (furniture a rule recognised): these are the blocks the clean article keeps, so cleaning
    the clean article again finds the same language. Needs `measure_blocks` first."""
    counts: Counter[str] = Counter()
    total = 0
    for b in language_sample(blocks, p, skip):
        counts.update(b.toks)
        total += b.tokens
    if total < p["language_min_total"]:
        return None
    per_lang: Counter[str] = Counter()
    get = index.get
    for word, n in counts.items():
        for lang in get(word, ()):
            per_lang[lang] += n
    if not per_lang:
        return None
    best, hits = min(per_lang.items(), key=lambda kv: (-kv[1], kv[0]))
    return best if hits / total >= p["language_min_share"] else None


def stop_densities(doc: Document) -> None:
    """Each block's share of stopwords of the document's language (None without a stoplist)."""
    stops = doc.stopwords
    t = doc.table
    t.stop_density = [
        sum(map(stops.__contains__, toks)) / len(toks) if (stops and toks) else None for toks in t.toks
    ]
