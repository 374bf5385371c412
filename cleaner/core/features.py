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
from ..model import Block, Document, FeatureTable, TextMemo
from ._breath import breathe
from ._fast import BREATH_EVERY, COMPILED, language_hits, stop_shares, text_counts, tokens

_UNSEEN = object()  # not in a memo yet (None is a value there)
WORD = textre.compile(f"{textre.W}+")  # for finditer (positions); the tokens come from textre.words


def norm_text(text: str) -> str:
    """Lower-cased word tokens joined by one space: what repetition is judged on."""
    if COMPILED:  # a typed pass over the characters: the same tokens
        return " ".join(tokens(text.lower()))
    return " ".join(textre.words(text.lower()))


def measure_blocks(doc: Document, memo: TextMemo | None = None) -> None:
    """The language-neutral measures of every block into `doc.table`: length, words, tokens,
    terminal punctuation, letters, repetition within the document. With `memo` (one per clean()
    call), each text is measured once: the measures of a block are its text's alone, bar the
    repeats, which are counted over this document."""
    blocks = doc.blocks
    seen = memo.measures if memo is not None else {}
    got = []
    for i, b in enumerate(blocks):
        if i % BREATH_EVERY == 0:
            breathe()  # a long document would hold the GIL for the whole loop otherwise
        if b.index != i:
            raise ValueError(f"block {i} has index {b.index}: blocks must be numbered in order")
        text = b.text
        m = seen.get(text)
        if m is None:
            low = text.lower()
            if COMPILED:  # one typed pass over the characters: the same tokens and counts
                toks, nwords, wide, letter = text_counts(text, low)
            else:
                toks, nwords = textre.words(low), len(text.split())
                wide, letter = textre.count_wide(text), textre.has_letter(text)
            # A Chinese, Japanese or Korean character carries about what two Latin letters do.
            m = seen[text] = (toks, " ".join(toks), len(text) + wide, nwords, len(toks),
                              textre.terminal_end(text), letter)
        got.append(m)
    toks_of, norms, chars, words, tokens, terminal, has_letter = (
        [list(c) for c in zip(*got, strict=True)] if got else [[], [], [], [], [], [], []])
    repeats = Counter(n for n in norms if n)
    t = FeatureTable(
        chars=chars, words=words, tokens=tokens, repeats=[repeats[n] if n else 0 for n in norms],
        terminal=terminal, has_letter=has_letter, stop_density=[None] * len(blocks), norm=norms,
        toks=toks_of, memo=memo,
    )
    for b in blocks:
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
    sample = language_sample(blocks, p, skip)
    total = sum(b.tokens for b in sample)
    if total < p["language_min_total"]:
        return None
    # Each language's hits are whole-number sums over the sample's texts, each text's counted once
    # per clean() call when the blocks' table has a memo (the same sums in any order).
    memo = blocks[0].table.memo if blocks and blocks[0].table is not None else None
    entry = memo.langs.get(id(index)) if memo is not None else None
    if entry is None or entry[0] is not index:
        entry = (index, {})
        if memo is not None:
            memo.langs[id(index)] = entry
    seen = entry[1]
    get = index.get
    per_lang: dict[str, int] = {}
    for b in sample:
        hits = seen.get(b.text)
        if hits is None and COMPILED:  # a typed loop over the tokens: the same counts
            hits = seen[b.text] = language_hits(b.toks, index)
        elif hits is None:
            found: dict[str, int] = {}
            for word in b.toks:
                for lang in get(word, ()):
                    found[lang] = found.get(lang, 0) + 1
            hits = seen[b.text] = tuple(found.items())
        for lang, n in hits:
            per_lang[lang] = per_lang.get(lang, 0) + n
    if not per_lang:
        return None
    best, hits = min(per_lang.items(), key=lambda kv: (-kv[1], kv[0]))
    return best if hits / total >= p["language_min_share"] else None


def stop_densities(doc: Document) -> None:
    """Each block's share of stopwords of the document's language (None without a stoplist)."""
    stops = doc.stopwords
    t = doc.table
    breathe()
    if not stops:
        t.stop_density = [None] * len(t.toks)
        return
    # The share is the text's alone for one language (the stoplist is the language's): with a
    # memo, each text's share is counted once per clean() call.
    lang = doc.language
    seen: dict[str, float | None] = t.memo.density.setdefault(lang, {}) if t.memo is not None else {}
    if COMPILED:  # a typed loop over the tokens: the same counts, the same shares
        t.stop_density = stop_shares([b.text for b in doc.blocks], t.toks, stops, seen)
        return
    out: list[float | None] = []
    for text, toks in zip([b.text for b in doc.blocks], t.toks, strict=True):
        d = seen.get(text, _UNSEEN)
        if d is _UNSEEN:
            d = seen[text] = sum(map(stops.__contains__, toks)) / len(toks) if toks else None
        out.append(d)
    t.stop_density = out
