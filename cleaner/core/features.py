"""Stage 2 of 5: per-block measures, and the document's language.

Measures are language-neutral where they can be (length, terminal punctuation, case, digits,
repetition within the document); stopword density needs the language, which is guessed from
the stoplists in `rules/stoplists/` when the caller does not name it. Without a stoplist
(a language we have none for), density is left at None and later stages rely on the rest.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import Block, Document

WORD = re.compile(r"\w+")
_TERMINAL_END = re.compile(r"[.!?。！？…]['\"”’»)\]]*$|[.!?。！？…]\s*\(.{0,40}\)$")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_WIDE = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def norm_text(text: str) -> str:
    """Lower-cased word tokens joined by one space: what repetition is judged on."""
    return " ".join(WORD.findall(text.lower()))


def measure_blocks(doc: Document) -> None:
    """The language-neutral measures of every block (in place): length, words, tokens,
    terminal punctuation, letters, repetition within the document."""
    toks_of = [WORD.findall(b.text.lower()) for b in doc.blocks]
    norms = [" ".join(t) for t in toks_of]
    repeats = Counter(n for n in norms if n)
    for b, nrm, toks in zip(doc.blocks, norms, toks_of, strict=True):
        text = b.text
        f = b.features
        # A Chinese, Japanese or Korean character carries about what two Latin letters do.
        f["chars"] = len(text) if text.isascii() else len(text) + len(_WIDE.findall(text))
        f["words"] = len(text.split())
        f["norm"] = nrm
        f["toks"] = toks
        f["tokens"] = len(toks)
        f["repeats"] = repeats[nrm] if nrm else 0
        f["terminal"] = _TERMINAL_END.search(text) is not None
        f["has_letter"] = _HAS_LETTER.search(text) is not None


def language_sample(blocks: list[Block], skip: frozenset[int] = frozenset()) -> list[Block]:
    """The blocks the language is guessed from: sentences (eight tokens or more, ending like a
    sentence) that no rule recognised as furniture, up to about 600 tokens."""
    out: list[Block] = []
    total = 0
    for b in blocks:
        f = b.features
        if b.index in skip or not f["terminal"] or f["tokens"] < 8:
            continue
        out.append(b)
        total += f["tokens"]
        if total > 600:  # plenty to tell languages apart
            break
    return out


def guess_language(
    blocks: list[Block], index: dict[str, tuple[str, ...]], skip: frozenset[int] = frozenset()
) -> str | None:
    """The stoplist language with the highest stopword share over the document's sentences, or None.

    `index` maps each stopword to the languages whose stoplist has it. Only sentence-like
    blocks count (eight tokens or more, ending like a sentence), and not the blocks in `skip`
    (furniture a rule recognised): these are the blocks the clean article keeps, so cleaning
    the clean article again finds the same language. Needs `measure_blocks` first."""
    counts: Counter[str] = Counter()
    total = 0
    for b in language_sample(blocks, skip):
        counts.update(b.features["toks"])
        total += b.features["tokens"]
    if total < 20:
        return None
    per_lang: Counter[str] = Counter()
    get = index.get
    for word, n in counts.items():
        for lang in get(word, ()):
            per_lang[lang] += n
    if not per_lang:
        return None
    best, hits = min(per_lang.items(), key=lambda kv: (-kv[1], kv[0]))
    return best if hits / total >= 0.15 else None


def stop_densities(doc: Document) -> None:
    """Each block's share of stopwords of the document's language (None without a stoplist)."""
    stops = doc.stopwords
    for b in doc.blocks:
        toks = b.features["toks"]
        density = sum(map(stops.__contains__, toks)) / len(toks) if (stops and toks) else None
        b.features["stop_density"] = density


def compute_features(doc: Document) -> None:
    """All measures of every block: `measure_blocks`, then `stop_densities` (needs doc.stopwords)."""
    measure_blocks(doc)
    stop_densities(doc)


def detect_language(blocks: list[Block], stoplists: dict[str, frozenset[str]]) -> str | None:
    """`guess_language` for callers that hold stoplists rather than the index (measures blocks)."""
    doc = Document(blocks=blocks)
    if blocks and "toks" not in blocks[0].features:
        measure_blocks(doc)
    index: dict[str, list[str]] = {}
    for lang in sorted(stoplists):
        for word in stoplists[lang]:
            index.setdefault(word, []).append(lang)
    return guess_language(blocks, {w: tuple(v) for w, v in index.items()})
