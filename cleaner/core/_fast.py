# cython: boundscheck=False, wraparound=False, initializedcheck=False, annotation_typing=False
"""Typed helpers of the compiled core: per-document loops over flat arrays of numbers.

Plain Python that runs as it is; `_fast.pxd` beside it gives Cython the C types, so the compiled
build runs these loops in C. Both builds do the same operations in the same order (the same
comparisons, the same sums of the same floats), so they give the same numbers bit for bit
(`tests/test_compiled.py` compares). The stages call these instead of open-coding the loops.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import Sequence
from typing import Any

from ..textre import has_letter
from ._breath import breathe

COMPILED = not __file__.endswith(".py")  # whether this module is the compiled one
# Python's sum() of floats adds them one by one up to 3.11 (3.12 compensates the rounding): only
# then does a typed loop give the same sums. Asked of sum() itself: two half-ulps added to 1.0
# one by one round away, compensated they do not.
_HALF_ULP = sys.float_info.epsilon / 2
PLAIN_SUMS = COMPILED and sum([1.0, _HALF_ULP, _HALF_ULP]) == 1.0

# Breathing points (`_breath.breathe`): the longest compiled loops call it every BREATH_EVERY
# rows, so a thread waiting for the GIL gets it within that many rows.
BREATH_EVERY = 4096  # rows of a long loop between two breathing points


# A fitted tree ensemble as flat arrays (one per model, made on first use): every tree's node
# columns and thresholds, its leaves, and where each tree's nodes and leaves start.
_FLAT: dict[int, tuple[Any, tuple[Any, ...]]] = {}


def flat_trees(model: Any) -> tuple[Any, ...]:
    """(feat, thr, leaf, node_off, leaf_off, inner) of a `TreeModel`, made once per model."""
    got = _FLAT.get(id(model))
    if got is not None and got[0] is model:
        return got[1]
    feat, thr, leaf = array("i"), array("d"), array("d")
    node_off, leaf_off, inner = array("i"), array("i"), array("i")
    for f, t, v in model.trees:
        node_off.append(len(feat))
        leaf_off.append(len(leaf))
        inner.append(len(f))
        feat.extend(f)
        thr.extend(t)
        leaf.extend(v)
    flat = (feat, thr, leaf, node_off, leaf_off, inner)
    _FLAT[id(model)] = (model, flat)
    return flat


def rows(cols: Sequence[Sequence[float]], n: int) -> Any:
    """The columns as one flat row-major array of doubles (row i, column j at i * m + j)."""
    m = len(cols)
    xs = array("d", [0.0]) * (n * m)
    for j in range(m):
        breathe()
        col = cols[j]
        _fill_column(xs, col if type(col) is list else list(col), j, m, n)
    return xs


def _fill_column(xs: Any, col: list[float], j: int, m: int, n: int) -> None:
    """Column j of the row-major `xs` (m columns) from the first n values of `col` (a typed loop
    compiled; each value converted to a double as `array("d")` does)."""
    if len(col) < n:
        raise ValueError(f"a column has {len(col)} values, not {n}")
    for i in range(n):
        xs[i * m + j] = col[i]


def tree_sums(
    n: int, m: int, xs: Any, base: float, feat: Any, thr: Any, leaf: Any,
    node_off: Any, leaf_off: Any, inner: Any,
) -> list[float]:
    """The ensemble's value of each of the n rows of `xs`: `base` plus each tree's leaf, in
    tree order (a node sends the row right when its column is above the threshold)."""
    out = []
    ntrees = len(inner)
    every = BREATH_EVERY
    for i in range(n):
        if i % every == 0:
            breathe()
        s = base
        row = i * m
        for tr in range(ntrees):
            f0 = node_off[tr]
            ni = inner[tr]
            k = 0
            while k < ni:
                k = 2 * k + 1 + (xs[row + feat[f0 + k]] > thr[f0 + k])
            s += leaf[leaf_off[tr] + k - ni]
        out.append(s)
    return out


def predict(model: Any, cols: Sequence[Sequence[float]], n: int) -> list[float]:
    """`model.predict(cols, n)` (the same floats) as one typed loop over flat arrays."""
    if n == 0:
        return []
    feat, thr, leaf, node_off, leaf_off, inner = flat_trees(model)
    return tree_sums(n, len(cols), rows(cols, n), model.base, feat, thr, leaf, node_off, leaf_off, inner)


def path_credit(model: Any, row: Sequence[float]) -> dict[str, float]:
    """Each column's share of the leaf values on one row's paths through the trees of `model`
    (a `TreeModel`; `row[j]` is column `model.columns[j]`): every leaf's value shared equally
    among the nodes above it, summed tree by tree in order."""
    breathe()
    columns = model.columns
    m = len(columns)
    feat, thr, leaf, node_off, leaf_off, inner = flat_trees(model)
    return _credit(array("d", row), m, feat, thr, leaf, node_off, leaf_off, inner, columns)


def _credit(
    xs: Any, m: int, feat: Any, thr: Any, leaf: Any, node_off: Any, leaf_off: Any, inner: Any,
    columns: Sequence[str],
) -> dict[str, float]:
    acc = array("d", [0.0]) * m
    seen = array("b", [0]) * m
    path = array("i", [0]) * (max(inner) if len(inner) else 0)  # a path has at most `inner` nodes
    for tr in range(len(inner)):
        f0 = node_off[tr]
        ni = inner[tr]
        depth = 0
        k = 0
        while k < ni:
            j = feat[f0 + k]
            path[depth] = j
            depth += 1
            k = 2 * k + 1 + (xs[j] > thr[f0 + k])
        if depth == 0:
            continue
        share = leaf[leaf_off[tr] + k - ni] / depth
        for d in range(depth):
            j = path[d]
            acc[j] = acc[j] + share
            seen[j] = 1
    credit: dict[str, float] = {}
    for j in range(m):
        if seen[j]:
            name = columns[j]
            credit[name] = credit.get(name, 0.0) + acc[j]
    return credit


# The story model's lexical shape of a block (`story.lexical_columns`), in one pass over its
# characters: the same counts as the string methods there (tests/test_compiled.py and
# tests/test_story.py compare the two on every dev page and on generated text).
_SEPARATORS = "|•·»›‹/\\"
_PUNCT = ".,;:!?'\"()[]{}<>/\\|-–—_*&#%@+=~^`…«»“”‘’·•›‹"
_MONEY = "$€£¥₹¢"
_TAIL = " \"'”’»)]"
_BULLETS = frozenset("•·▪◦-*–—>")


def shape_counts(t: str) -> tuple[int, int, int, int, int, int, int, int, int, bool]:
    """(words, punctuation, separators, capitalised words, upper-case words of two characters or
    more, digits, sentence ends, commas, money signs, ends with a question mark) of one text:
    words split at `str.isspace`, classes in `story._char_class`'s order."""
    n = len(t)
    words = punct = seps = caps = upper = digits = ends = commas = money = 0
    prev_space = True  # the start counts as after a space
    wlen = 0
    w_cased = False
    w_lower = False
    for i in range(n):
        ch = t[i]
        if ch.isspace():
            if wlen > 1 and w_cased and not w_lower:
                upper += 1
            wlen = 0
            prev_space = True
            continue
        if wlen == 0:
            words += 1
            w_cased = False
            w_lower = False
        wlen += 1
        if ch < "\x80":  # ASCII: the letters' case and the digits without the Unicode tables
            is_lower = "a" <= ch <= "z"
            is_upper = "A" <= ch <= "Z"
            is_title = False
            is_digit = "0" <= ch <= "9"
        else:
            is_lower = ch.islower()
            is_upper = ch.isupper()
            is_title = ch.istitle()
            is_digit = ch.isdigit()
        # str.isupper of the word: a cased character and none lower or title case (no character
        # is both upper and title case, so `istitle`, true of upper case too, comes last).
        if is_lower:
            w_lower = True
        elif is_upper:
            w_cased = True
        elif is_title:
            w_lower = True
        if ch in "|•·»›‹/\\":  # _SEPARATORS (literals: the compiled build tests them in C)
            seps += 1
            punct += 1
        elif ch in ".,;:!?'\"()[]{}<>/\\|-–—_*&#%@+=~^`…«»“”‘’·•›‹":  # _PUNCT
            punct += 1
        elif ch in "$€£¥₹¢":  # _MONEY
            money += 1
        elif is_digit:
            digits += 1
        elif is_upper and prev_space:
            caps += 1
        prev_space = False
        if ch == ",":
            commas += 1
        elif ch == "." or ch == "!" or ch == "?":
            if i + 1 < n and t[i + 1] == " ":
                ends += 1
        elif ch == "。" or ch == "！" or ch == "？":
            ends += 1
    if wlen > 1 and w_cased and not w_lower:
        upper += 1
    j = n - 1
    while j >= 0 and t[j] in " \"'”’»)]":  # _TAIL
        j -= 1
    question = j >= 0 and (t[j] == "?" or t[j] == "？")
    return words, punct, seps, caps, upper, digits, ends, commas, money, question


LEXICAL = ("log_words", "punct", "capitals", "upper", "digits", "token_len", "sentences", "commas",
           "question", "separators", "link_shape", "money", "starts_digit", "starts_lower", "bullet")


def lexical_row(t: str, tk: Sequence[str]) -> tuple[float, ...]:
    """One text's `story.lexical_columns` values, in `LEXICAL` order, from `shape_counts`."""
    nwords, npunct, nseps, ncaps, nupper, ndigits, nends, ncommas, nmoney, asks = shape_counts(t)
    n = len(t)
    nw = nwords or 1
    first = t[:1]
    ntk = len(tk)
    tlen = 0  # the tokens' characters (`sum(map(len, tk))`: a whole number, exact in any order)
    for w in tk:
        tlen += len(w)
    return (
        math.log1p(nwords),
        npunct / (n or 1),
        ncaps / nw,
        nupper / nw,
        ndigits / n if n else 0.0,
        tlen / ntk if ntk else 0.0,
        math.log1p(nends + 1),
        ncommas / nw,
        1.0 if asks else 0.0,
        float(nseps) / nw,
        1.0 if "http" in t or "www." in t or "@" in t or ".com" in t else 0.0,
        1.0 if nmoney > 0 else 0.0,
        1.0 if first.isdigit() else 0.0,
        1.0 if first.islower() else 0.0,
        1.0 if first in _BULLETS else 0.0,
    )


def lexical_columns(texts: Sequence[str], toks_of: Sequence[Sequence[str]]) -> dict[str, list[float]]:
    """`story.lexical_columns` from `lexical_row`: the same columns, the same floats."""
    rows = []
    every = BREATH_EVERY
    for k, (t, tk) in enumerate(zip(texts, toks_of, strict=True)):
        if k % every == 0:
            breathe()
        rows.append(lexical_row(t, tk))
    if not rows:
        return {f: [] for f in LEXICAL}
    return {f: list(col) for f, col in zip(LEXICAL, zip(*rows, strict=True), strict=True)}


def lexical_rows(texts: Sequence[str], toks_of: Sequence[Sequence[str]],
                 seen: dict[str, tuple[float, ...]]) -> list[tuple[float, ...]]:
    """`lexical_row` of every text, each computed once in `seen` (by text: a row is its text's
    alone, its tokens being the text's too)."""
    out = []
    every = BREATH_EVERY
    for k, (t, tk) in enumerate(zip(texts, toks_of, strict=True)):
        if k % every == 0:
            breathe()
        row = seen.get(t)
        if row is None:
            row = seen[t] = lexical_row(t, tk)
        out.append(row)
    return out


# A block's text measures (`features.measure_blocks`) in one pass over its characters: the same
# values as the string code there (`textre.words`, `str.split`, `textre.count_wide`,
# `textre.has_letter`; tests/test_compiled.py compares them on every code point).
_WIDE_RANGES = ((0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF))  # textre's


def text_counts(text: str, low: str) -> tuple[list[str], int, int, bool]:
    """(the word tokens of `low`, the whitespace-separated words of `text`, its Chinese, Japanese
    or Korean characters, whether it has a letter) where `low` is `text.lower()`: a token is a
    run of word characters (`str.isalnum` or "_"), a word a run of non-space (`str.isspace`)."""
    n = len(text)
    words = 0
    wide = 0
    ascii_only = True
    ascii_letter = False
    in_word = False
    for i in range(n):
        ch = text[i]
        if ch.isspace():
            in_word = False
        elif not in_word:
            in_word = True
            words += 1
        if ch < "\x80":
            if not ascii_letter and ("A" <= ch <= "Z" or "a" <= ch <= "z"):
                ascii_letter = True
        else:
            ascii_only = False
            if ("\u1100" <= ch <= "\u11ff" or "\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"
                    or "\uf900" <= ch <= "\ufaff"):
                wide += 1
    # An ASCII letter is a letter (`textre.LETTER`); without one, other scripts' are looked for.
    letter = ascii_letter or (not ascii_only and has_letter(text))
    return tokens(low), words, wide, letter


def tokens(text: str) -> list[str]:
    """`textre.words(text)`: the runs of word characters (`str.isalnum` or "_"), in order."""
    toks = []
    n = len(text)
    start = -1
    for i in range(n):
        ch = text[i]
        if ch < "\x80":  # the ASCII word characters, without the Unicode tables
            word = "0" <= ch <= "9" or "A" <= ch <= "Z" or "a" <= ch <= "z" or ch == "_"
        else:
            word = ch.isalnum()
        if word:
            if start < 0:
                start = i
        elif start >= 0:
            toks.append(text[start:i])
            start = -1
    if start >= 0:
        toks.append(text[start:n])
    return toks


def window_means(values: Sequence[float], w: int) -> list[float]:
    """`story._window_means`: for each i, the mean of the values within `w` places of it, itself
    left out (each window summed from its first value on, as `sum` does)."""
    breathe()
    return _window_means(array("d", values), w)


def _window_means(xs: Any, w: int) -> list[float]:
    n = len(xs)
    out = []
    for i in range(n):
        lo = i - w if i - w > 0 else 0
        hi = i + w + 1 if i + w + 1 < n else n
        k = hi - lo - 1
        if k > 0:
            s = 0.0
            for j in range(lo, hi):
                s += xs[j]
            out.append((s - xs[i]) / k)
        else:
            out.append(0.0)
    return out


def second_logits(logit1: Sequence[float], w: Sequence[float], near: int, wide: int) -> list[float]:
    """`story.read_story`'s pass two as one typed loop: `story.second_columns` (pass one's
    probabilities, their neighbours' means) dotted with the weights `w` (in `story.FEATURES_2`
    order, a zero weight skipped) as `story._dot` does: the same operations in the same order.
    Only where sums add one by one (`PLAIN_SUMS`), as `_window_means` needs."""
    breathe()
    n = len(logit1)
    xs = array("d", logit1)
    prob = array("d", [0.0]) * n
    total = 0.0
    for i in range(n):
        x = xs[i]
        if x >= 0:
            prob[i] = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            prob[i] = e / (1.0 + e)
        total += prob[i]
    ws = array("d", w)
    return _second(xs, prob, array("d", _window_means(prob, near)), array("d", _window_means(prob, wide)),
                   total, ws)


def _second(xs: Any, prob: Any, p_near: Any, p_wide: Any, total: float, w: Any) -> list[float]:
    n = len(xs)
    out = []
    before = 0.0
    # bias, logit, p_prev, p_next, p_near, p_wide, p_before, p_after (story.FEATURES_2)
    w_bias = w[0]
    w_logit = w[1]
    w_prev = w[2]
    w_next = w[3]
    w_near = w[4]
    w_wide = w[5]
    w_before = w[6]
    w_after = w[7]
    for i in range(n):
        s = 0.0
        if w_bias != 0.0:
            s += w_bias * 1.0
        if w_logit != 0.0:
            s += w_logit * xs[i]
        if w_prev != 0.0:
            s += w_prev * (prob[i - 1] if i > 0 else 0.0)
        if w_next != 0.0:
            s += w_next * (prob[i + 1] if i + 1 < n else 0.0)
        if w_near != 0.0:
            s += w_near * p_near[i]
        if w_wide != 0.0:
            s += w_wide * p_wide[i]
        if w_before != 0.0:
            s += w_before * (before / i if i else 0.0)
        if w_after != 0.0:
            s += w_after * ((total - before - prob[i]) / (n - i - 1) if n - i - 1 > 0 else 0.0)
        out.append(s)
        before += prob[i]
    return out


# Stopword counts (`features.stop_densities`, `features.guess_language`) as typed loops over a
# block's tokens: the same counts as the string code there (tests/test_compiled.py compares).
def stop_shares(texts: Sequence[str], toks_of: Sequence[list[str]], stops: Any,
                seen: dict[str, float | None]) -> list[float | None]:
    """Each text's share of tokens in `stops` (None for no tokens), each text's counted once in
    `seen`: `sum(map(stops.__contains__, toks)) / len(toks)`."""
    out = []
    for t, toks in zip(texts, toks_of, strict=True):
        if t in seen:
            out.append(seen[t])
            continue
        n = len(toks)
        if n == 0:
            d = None
        else:
            k = 0
            for w in toks:
                if w in stops:
                    k += 1
            d = k / n
        seen[t] = d
        out.append(d)
    return out


def language_hits(toks: list[str], index: dict[str, tuple[str, ...]]) -> tuple[tuple[str, int], ...]:
    """How many of the tokens each language's stoplist has, by language in the order first met
    (`index`: stopword -> its languages)."""
    found: dict[str, int] = {}
    for word in toks:
        langs = index.get(word)
        if langs is None:
            continue
        for lang in langs:
            found[lang] = found.get(lang, 0) + 1
    return tuple(found.items())
