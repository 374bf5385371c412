"""Stage 4, last step: the fitted story model decides which blocks are the story.

The page is a sequence of blocks, each in the story or out of it. The context rules before this
step give every block a first decision (title, head, main run of prose, lists, smoothing...);
this step reads that decision together with the block's measures and its neighbours' as
columns of numbers, one row per block (`StoryColumns`), and scores each block twice with
weights fitted on the dev sets (`scripts/fit_engine.py`, weights in
`rules/story_model.yaml`):

1. pass one (boosted trees, `trees: story` in the same file): the block's own columns (its
   first decision, role, first opinion, length, shape, position, prose mass before and after
   it, how many blocks around it were kept), its lexical shape (`lexical_shape`: shares of
   punctuation, capitalised and upper-case words, mean token length, sentences, commas, a
   question, separators, a link, a price, how it opens) and the page's (how much of it rules
   removed);
2. pass two: the first pass's log-odds plus its neighbours' probabilities (so a table inside a
   story, whose own cells look like furniture, is carried by the story on both sides).

Then a two-state sequence decoder (out / in, Viterbi) takes the story as the path with the
best total log-odds, paying `story_switch_cost` for every entry into or exit from the story,
so a short structured stretch inside the story does not end it and a lone prose-shaped block
among furniture does not start one. The title, its repeats, captions and the standfirst keep
their roles (they are transparent to the decoder). A block whose decision the model changes
gets rule `story.model_in` or `story.model_out` and a reason naming the columns that carried it.

Everything here is a per-document array of numbers (lists of floats), the shape a compiled
core can take over; every weight and window is a named parameter.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from .. import textre
from ..model import Block, FeatureTable
from ..ruleset import TreeModel
from . import _fast
from .classify import CF_BAD, CF_GOOD, CF_NEARGOOD, CF_SHORT

# Pass one: each block's own columns (and its neighbours' first decisions).
FEATURES_1 = (
    "bias",
    "kept",
    "by_rule",
    "related",
    "navigation",
    "other",
    "comment",
    "head",
    "tail",
    "source",
    "byline",
    "cf_good",
    "cf_neargood",
    "cf_short",
    "cf_bad",
    "log_chars",
    "terminal",
    "stop_density",
    "no_stoplist",
    "in_run",
    "after_run",
    "position",
    "mass_before",
    "mass_after",
    "teaser",
    "numbered",
    "cue",
    "repeated",
    "digits",
    "colon_end",
    "short_run",
    "kept_prev",
    "kept_next",
    "kept_near",
    "kept_wide",
    "after_tail",
    "before_body",
    "main_hint",
    "link_hint",
    "doc_ruled",
    "doc_kept",
    "doc_short",
    "doc_blocks",
    # the block's own lexical shape
    "log_words",
    "punct",
    "capitals",
    "upper",
    "token_len",
    "sentences",
    "commas",
    "question",
    "separators",
    "link_shape",
    "money",
    "starts_digit",
    "starts_lower",
    "bullet",
)
SHAPE_COLUMNS = FEATURES_1[FEATURES_1.index("log_words"):]  # what lexical_shape gives
# Pass two: pass one's log-odds and its neighbours' probabilities.
FEATURES_2 = ("bias", "logit", "p_prev", "p_next", "p_near", "p_wide", "p_before", "p_after")
FIXED_ROLES = ("title", "duplicate", "caption", "standfirst")
KEPT = ("body", "standfirst")


@dataclass(slots=True)
class StoryColumns:
    """The story model's inputs for one document: named columns, one row per block."""

    cols: dict[str, list[float]] = field(default_factory=dict)
    fixed: list[bool] = field(default_factory=list)  # roles the model leaves as they are
    kept: list[bool] = field(default_factory=list)  # the context rules' decision

    def row(self, i: int, names: Sequence[str] = FEATURES_1) -> list[float]:
        return [self.cols[f][i] for f in names]


@dataclass(slots=True)
class StoryDecision:
    """The model's reading of one document: probabilities, log-odds and the decoded path."""

    logit1: list[float]
    logit2: list[float]
    keep: list[bool]


def _window_means(values: Sequence[float], w: int) -> list[float]:
    """For each i, the mean of the values within `w` places of it, itself left out."""
    if _fast.PLAIN_SUMS:  # a typed loop: the same sums in the same order
        return _fast.window_means(values, w)
    n = len(values)
    out = []
    for i in range(n):
        lo, hi = max(0, i - w), min(n, i + w + 1)
        k = hi - lo - 1
        out.append((sum(values[lo:hi]) - values[i]) / k if k > 0 else 0.0)
    return out


def _window_shares(flags: Sequence[bool], w: int) -> list[float]:
    """`_window_means` of 0/1 values (1.0 where `flags[i]`) from a running count: their sums are
    whole numbers, exact however they are added, so the same means in one pass, not w sums."""
    if _fast.PLAIN_SUMS:  # the typed window sums: whole numbers too, the same means
        return _fast.window_means([1.0 if f else 0.0 for f in flags], w)
    n = len(flags)
    ahead = [0] * (n + 1)  # ahead[i]: the flags before i
    for i, f in enumerate(flags):
        ahead[i + 1] = ahead[i] + 1 if f else ahead[i]
    out = []
    for i in range(n):
        lo, hi = max(0, i - w), min(n, i + w + 1)
        k = hi - lo - 1
        out.append((ahead[hi] - ahead[lo] - (1 if flags[i] else 0)) / k if k > 0 else 0.0)
    return out


def _short_runs(short: Sequence[bool]) -> list[float]:
    """For each short block, the log of the length of the run of short blocks it is in."""
    out = [0.0] * len(short)
    i = 0
    while i < len(short):
        if not short[i]:
            i += 1
            continue
        j = i
        while j < len(short) and short[j]:
            j += 1
        for k in range(i, j):
            out[k] = math.log1p(j - i)
        i = j
    return out


PUNCT = frozenset(".,;:!?'\"()[]{}<>/\\|-–—_*&#%@+=~^`…«»“”‘’·•›‹")
SEPARATORS = frozenset("|•·»›‹/\\")
MONEY = frozenset("$€£¥₹¢")
BULLETS = frozenset("•·▪◦-*–—>")
ENDS = (". ", "! ", "? ", "。", "！", "？")

# One pass over a block's characters for the shape counts: each character becomes its class
# (a separator, other punctuation, currency, digit, upper-case letter, space, anything else), and
# the counts are `str.count`s of that string, in C. Separators are punctuation too.
def _char_class(ch: str) -> str:
    if ch.isspace():
        return " "
    if ch in SEPARATORS:
        return "S"
    if ch in PUNCT:
        return "p"
    if ch in MONEY:
        return "m"
    if ch.isdigit():
        return "d"
    return "U" if ch.isupper() else "x"


_CLASSES = textre.table(lambda ch: ord(_char_class(ch)))


def lexical_shape(text: str, toks: Sequence[str]) -> dict[str, float]:
    """A block's lexical shape, language-neutral: shares of punctuation, of capitalised and
    upper-case words, mean token length, sentences, commas per word, question, separators
    (a breadcrumb, a menu row), a link or address, money, and how it opens."""
    return {f: v[0] for f, v in lexical_columns([text], [toks]).items() if f in SHAPE_COLUMNS}


def _upper_words(ws: Sequence[str]) -> int:
    """How many of the words are upper case and longer than one character."""
    ups = list(filter(str.isupper, ws))
    return len(ups) - sum(len(w) == 1 for w in ups) if ups else 0


def _sentence_ends(t: str) -> int:
    """How many sentence ends (`ENDS`) the text has."""
    return (t.count(". ") + t.count("! ") + t.count("? ") + t.count("。") + t.count("！")
            + t.count("？"))


def lexical_columns(texts: Sequence[str], toks_of: Sequence[Sequence[str]]) -> dict[str, list[float]]:
    """`lexical_shape` of every block, as columns (and the share of digits)."""
    if _fast.COMPILED:  # one typed pass over each text's characters: the same columns
        return _fast.lexical_columns(texts, toks_of)
    return lexical_columns_py(texts, toks_of)


def lexical_columns_py(texts: Sequence[str], toks_of: Sequence[Sequence[str]]) -> dict[str, list[float]]:
    """`lexical_columns` with string methods (the pure-Python build's; tests compare the two)."""
    words_of = [t.split() for t in texts]
    nws = [len(w) or 1 for w in words_of]
    firsts = [t[:1] for t in texts]
    tails = [t.rstrip(" \"'”’»)]") for t in texts]
    classes = [t.translate(_CLASSES) for t in texts]
    seps = [k.count("S") for k in classes]
    return {
        "log_words": [math.log1p(len(w)) for w in words_of],
        "punct": [(k.count("p") + sep) / (len(t) or 1)
                  for k, sep, t in zip(classes, seps, texts, strict=True)],
        "capitals": [(" " + k).count(" U") / nw for k, nw in zip(classes, nws, strict=True)],
        "upper": [_upper_words(ws) / nw for ws, nw in zip(words_of, nws, strict=True)],
        "digits": [k.count("d") / len(t) if t else 0.0 for k, t in zip(classes, texts, strict=True)],
        "token_len": [sum(map(len, tk)) / len(tk) if tk else 0.0 for tk in toks_of],
        "sentences": [math.log1p(_sentence_ends(t) + 1) for t in texts],
        "commas": [t.count(",") / nw for t, nw in zip(texts, nws, strict=True)],
        "question": [float(t.endswith(("?", "？"))) for t in tails],
        "separators": [float(sep) / nw for sep, nw in zip(seps, nws, strict=True)],
        "link_shape": [float("http" in t or "www." in t or "@" in t or ".com" in t) for t in texts],
        "money": [float("m" in k) for k in classes],
        "starts_digit": [float(f.isdigit()) for f in firsts],
        "starts_lower": [float(f.islower()) for f in firsts],
        "bullet": [float(f in BULLETS) for f in firsts],
    }


LEXICAL = ("log_words", "punct", "capitals", "upper", "digits", "token_len", "sentences", "commas",
           "question", "separators", "link_shape", "money", "starts_digit", "starts_lower", "bullet")


def _lexical_of(blocks: list[Block], texts: list[str]) -> dict[str, list[float]]:
    """`lexical_columns` of the blocks, each text's row computed once per clean() call when the
    blocks' table has a memo (a row is its text's alone: the same floats)."""
    _fast.breathe()  # a breathing point (a long document holds the GIL otherwise)
    memo = blocks[0].table.memo if blocks and blocks[0].table is not None else None
    if _fast.COMPILED:  # a row per text, typed, each text's once: the same floats
        got = _fast.lexical_rows(texts, [b.toks for b in blocks], {} if memo is None else memo.shape)
        if not got:
            return {f: [] for f in LEXICAL}
        return {f: list(col) for f, col in zip(LEXICAL, zip(*got, strict=True), strict=True)}
    if memo is None:
        return lexical_columns(texts, [b.toks for b in blocks])
    rows = memo.shape
    todo = [i for i, t in enumerate(texts) if t not in rows]
    if todo:
        got = lexical_columns([texts[i] for i in todo], [blocks[i].toks for i in todo])
        assert tuple(got) == LEXICAL
        for i, row in zip(todo, zip(*got.values(), strict=True), strict=True):
            rows[texts[i]] = row
    columns = zip(*map(rows.__getitem__, texts), strict=True)  # nothing for no blocks
    return {f: list(col) for f, col in zip(LEXICAL, columns, strict=False)}


def story_columns(
    blocks: list[Block],
    cf: list[str],
    cues: list[bool],
    teaser: list[bool],
    numbered: set[int],
    run: tuple[int, int] | None,
    tail_start: int | None,
    body_start: int,
    has_stoplist: bool,
    p: Mapping[str, Any],
    cue_ids: frozenset[str] = frozenset(),
) -> StoryColumns:
    """The columns of every block, read after the context rules have decided its role."""
    n = len(blocks)
    a, z = run if run is not None else (n, n - 1)
    # The measures are read as the table's columns (row i = block i, `measure_blocks`), and every
    # 0/1 column holds the shared 1.0 and 0.0 rather than a new float per block: the same values.
    t = blocks[0].table if blocks else None
    if t is None or len(t) != n:
        t = FeatureTable(
            chars=[b.chars for b in blocks], words=[b.words for b in blocks],
            repeats=[b.table.repeats[i] if b.table is not None else 0 for i, b in enumerate(blocks)],
            terminal=[b.terminal for b in blocks], stop_density=[b.stop_density for b in blocks],
        )
    chars, terminal = t.chars, t.terminal
    mass = [float(ch) if x == CF_GOOD else 0.0 for ch, x in zip(chars, cf, strict=True)]
    total = sum(mass) or 1.0
    kept = [b.role in KEPT for b in blocks]
    keptf = [1.0 if k else 0.0 for k in kept]
    short_words = p["story_short_words"]
    short = [w <= short_words for w in t.words]
    runs = _short_runs(short)
    near, wide = p["story_window"], p["story_wide_window"]
    texts = [b.text for b in blocks]
    roles = [b.role for b in blocks]
    rules = [b.rule for b in blocks]
    hints = [b.hints for b in blocks]
    befores, acc = [], 0.0  # the prose mass before each block, summed in page order
    for m in mass:
        befores.append(acc)
        acc += m
    r = range(n)
    # Column by column (one comprehension each), not a dict per block: the same values.
    cols: dict[str, list[float]] = {
        "bias": [1.0] * n,
        "kept": keptf,
        "by_rule": [1.0 if not ru.startswith(("context.", "story.")) and ro not in KEPT and ru not in cue_ids
                    else 0.0 for ru, ro in zip(rules, roles, strict=True)],
        "related": [1.0 if ro == "related" else 0.0 for ro in roles],
        "navigation": [1.0 if ro == "navigation" else 0.0 for ro in roles],
        "other": [1.0 if ro == "other" else 0.0 for ro in roles],
        "comment": [1.0 if ro == "comment" else 0.0 for ro in roles],
        "head": [1.0 if ru == "context.head" else 0.0 for ru in rules],
        "tail": [1.0 if ru.startswith("context.after_story") or ru == "context.comment_thread" else 0.0
                 for ru in rules],
        "source": [1.0 if ro == "source" else 0.0 for ro in roles],
        "byline": [1.0 if ro in ("byline", "dateline") else 0.0 for ro in roles],
        "cf_good": [1.0 if x == CF_GOOD else 0.0 for x in cf],
        "cf_neargood": [1.0 if x == CF_NEARGOOD else 0.0 for x in cf],
        "cf_short": [1.0 if x == CF_SHORT else 0.0 for x in cf],
        "cf_bad": [1.0 if x == CF_BAD else 0.0 for x in cf],
        "log_chars": [math.log1p(ch) for ch in chars],
        "terminal": [1.0 if x else 0.0 for x in terminal],
        "stop_density": [x or 0.0 for x in t.stop_density],
        "no_stoplist": [0.0 if has_stoplist else 1.0] * n,
        "in_run": [1.0 if a <= i <= z else 0.0 for i in r],
        "after_run": [1.0 if i > z else 0.0 for i in r],
        "position": [i / n for i in r],
        "mass_before": [x / total for x in befores],
        "mass_after": [(total - x - m) / total for x, m in zip(befores, mass, strict=True)],
        "teaser": [1.0 if x else 0.0 for x in teaser],
        "numbered": [1.0 if i in numbered else 0.0 for i in r],
        "cue": [1.0 if x else 0.0 for x in cues],
        "repeated": [1.0 if x > 1 else 0.0 for x in t.repeats],
        "colon_end": [1.0 if x.endswith(":") else 0.0 for x in texts],
        "short_run": runs,
        "kept_prev": [keptf[i - 1] if i > 0 else 0.0 for i in r],
        "kept_next": [keptf[i + 1] if i + 1 < n else 0.0 for i in r],
        "kept_near": _window_shares(kept, near),
        "kept_wide": _window_shares(kept, wide),
        "after_tail": [1.0 if tail_start is not None and i >= tail_start else 0.0 for i in r],
        "before_body": [1.0 if i < body_start else 0.0 for i in r],
        "main_hint": [(1.0 if h["main"] else -1.0) if "main" in h else 0.0 for h in hints],
        "link_hint": [float(h.get("link_density", 0.0)) for h in hints],
    }
    cols.update(_lexical_of(blocks, texts))
    c = {f: cols.get(f, [0.0] * n) for f in FEATURES_1}
    # A role a final rule gave (a share row, a cookie notice) or the markup stated is not the
    # model's to change: it reads the rule's decision as a column, and leaves the block as it is.
    # Before the first block the context rules kept, the model may add sentences, not short
    # lines or headings: a menu above the story is not a table inside it, and a heading there
    # is the headline's business (cleaning the clean article again must not make it the title).
    _fast.breathe()
    inside = [i for i, k in enumerate(kept) if k]
    lo = inside[0] if inside else n
    settled = [
        b.role in FIXED_ROLES or bool(c["by_rule"][i]) or b.rule in cue_ids or bool(b.hints.get("role"))
        for i, b in enumerate(blocks)
    ]
    pre = [
        not settled[i] and not kept[i] and i < lo and (short[i] or not terminal[i])
        for i in r
    ]
    fixed = [x or y for x, y in zip(settled, pre, strict=True)]
    # The page as a whole: a clean article has no furniture a rule names, and keeps most blocks.
    doc_cols = {
        "doc_ruled": sum(c["by_rule"]) / n,
        "doc_kept": sum(keptf) / n,
        "doc_short": sum(short) / n,
        "doc_blocks": math.log1p(n),
    }
    for f, v in doc_cols.items():
        c[f] = [v] * n
    c["short"] = [1.0 if x else 0.0 for x in short]  # read by the decoder's last step, not by the trees
    c["pre_story"] = [1.0 if x else 0.0 for x in pre]  # read by `bridge_pre_story`, not by the trees
    return StoryColumns(cols=c, fixed=fixed, kept=kept)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def weights(p: Mapping[str, Any], prefix: str, names: Sequence[str]) -> list[float]:
    """The fitted weights of one pass, in column order (`story1_kept`, `story2_logit`...)."""
    return [p[f"{prefix}_{f}"] for f in names]


def second_columns(logit1: Sequence[float], p: Mapping[str, Any]) -> dict[str, list[float]]:
    """Pass two's columns: pass one's log-odds and its neighbours' probabilities."""
    n = len(logit1)
    prob = [_sigmoid(x) for x in logit1]
    near, wide = p["story_window"], p["story_wide_window"]
    p_near, p_wide = _window_means(prob, near), _window_means(prob, wide)
    total = sum(prob)
    c: dict[str, list[float]] = {f: [0.0] * n for f in FEATURES_2}
    before = 0.0
    for i in range(n):
        c["bias"][i] = 1.0
        c["logit"][i] = logit1[i]
        c["p_prev"][i] = prob[i - 1] if i > 0 else 0.0
        c["p_next"][i] = prob[i + 1] if i + 1 < n else 0.0
        c["p_near"][i] = p_near[i]
        c["p_wide"][i] = p_wide[i]
        c["p_before"][i] = before / i if i else 0.0
        c["p_after"][i] = (total - before - prob[i]) / (n - i - 1) if n - i - 1 > 0 else 0.0
        before += prob[i]
    return c


def _dot(cols: Mapping[str, list[float]], names: Sequence[str], w: Sequence[float], n: int) -> list[float]:
    out = [0.0] * n
    for f, wf in zip(names, w, strict=True):
        if wf:
            col = cols[f]
            for i in range(n):
                out[i] += wf * col[i]
    return out


def decode(emission: Sequence[float], fixed: Sequence[bool], switch: float) -> list[bool]:
    """The best in/out path (Viterbi over two states): `emission[i]` is the gain of block i
    being in the story (its log-odds), each entry into or exit from the story costs `switch`;
    fixed blocks are transparent (no gain either way). The page starts and ends out."""
    n = len(emission)
    out_s, in_s = 0.0, -math.inf
    back: list[tuple[bool, bool]] = []  # (out came from in, in came from in)
    for i in range(n):
        gain = 0.0 if fixed[i] else emission[i]
        from_in_out = in_s - switch > out_s
        new_out = max(out_s, in_s - switch)
        from_in_in = in_s >= out_s - switch
        new_in = max(in_s, out_s - switch) + gain
        back.append((from_in_out, from_in_in))
        out_s, in_s = new_out, new_in
    state = in_s - switch > out_s
    path = [False] * n
    for i in range(n - 1, -1, -1):
        path[i] = state
        state = back[i][1] if state else back[i][0]
    return path


def tree_logits(sc: StoryColumns, model: TreeModel) -> list[float]:
    """Pass one: the boosted trees' log-odds of every block."""
    cols = [sc.cols[c] for c in model.columns]
    if _fast.COMPILED:  # a typed loop over flat arrays; the same floats as the generated code
        return _fast.predict(model, cols, len(sc.kept))
    return model.predict(cols, len(sc.kept))


def read_story(sc: StoryColumns, p: Mapping[str, Any], model: TreeModel) -> StoryDecision:
    """Both passes and the decoded path for one document."""
    n = len(sc.kept)
    logit1 = tree_logits(sc, model)
    w2 = weights(p, "story2", FEATURES_2)
    if _fast.PLAIN_SUMS:  # one typed loop: the same operations in the same order
        logit2 = _fast.second_logits(logit1, w2, p["story_window"], p["story_wide_window"])
    else:
        logit2 = _dot(second_columns(logit1, p), FEATURES_2, w2, n)
    keep = decode(logit2, sc.fixed, p["story_switch_cost"])
    _no_trailing_headings(sc, keep)
    return StoryDecision(logit1=logit1, logit2=logit2, keep=keep)


def _no_trailing_headings(sc: StoryColumns, keep: list[bool]) -> None:
    """A heading heads something: after the story's last kept block that is not a short line
    without end punctuation, the model takes in no such line (an "About the author" above a
    bio, a "Related" above a list) that the context rules had left out."""
    short, terminal = sc.cols["short"], sc.cols["terminal"]
    for i in range(len(keep) - 1, -1, -1):
        if not (keep[i] or (sc.fixed[i] and sc.kept[i])):
            continue
        if sc.fixed[i] or sc.kept[i] or not short[i] or terminal[i]:
            return
        keep[i] = False


def carried_by(sc: StoryColumns, i: int, model: TreeModel, towards: bool, top: int) -> str:
    """The columns on block i's paths through the trees that pushed most towards the decision
    taken (each leaf's value shared among the columns of the nodes above it)."""
    credit = _fast.path_credit(model, [sc.cols[c][i] for c in model.columns])
    sign = 1.0 if towards else -1.0
    ranked = sorted(((sign * c, f) for f, c in credit.items() if f != "bias"), reverse=True)
    names = [f"{f} {c * sign:+.2f}" for c, f in ranked[:top] if c > 0]
    return ", ".join(names) or "its neighbours"


def apply_story(
    blocks: list[Block],
    sc: StoryColumns,
    p: Mapping[str, Any],
    model: TreeModel,
) -> StoryDecision:
    """Re-decide the blocks whose place the model reads differently from the context rules."""
    sd = read_story(sc, p, model)
    for i, b in enumerate(blocks):
        if sc.fixed[i] or sd.keep[i] == sc.kept[i]:
            continue
        prob = _sigmoid(sd.logit2[i])
        why = carried_by(sc, i, model, sd.keep[i], p["story_reason_columns"])
        if sd.keep[i]:
            b.decide(
                "body", "story.model_in", f"The fitted story model reads it as story (p {prob:.2f}; {why})."
            )
        else:
            role = "navigation" if b.first_opinion in (CF_SHORT, CF_BAD) else "other"
            b.decide(
                role,
                "story.model_out",
                f"The fitted story model reads it as outside the story (p {prob:.2f}; {why}).",
            )
    if p["story_bridge_on"]:
        bridge_pre_story(blocks, sc)
    return sd


# Roles of page furniture: a page where a final rule found one is a page, not a clean article.
FURNITURE_ROLES = ("navigation", "share", "cookie", "legal", "comment", "widget")
# What a clean article's structured stretch between two story paragraphs was left out by: a
# short line or prose outside the main run, the page head, a short line among removed blocks.
GAP_RULES = (
    "context.outside_short", "context.outside_prose", "context.head", "context.short_among_furniture",
)


LEAD_ENDS = (".", "!", "?", "\u2026")  # a line ending so is a sentence, not an opening spec line


def fill_story_gaps(
    blocks: list[Block], furniture: bool, fillable: frozenset[str], lead: int = 0,
    title_shaped: Callable[[Block], bool] | None = None, tail: bool = False,
) -> int:
    """First do no harm: in a clean article (no final rule found page furniture anywhere), a
    stretch between two blocks of the story (the rows of a table, a spec list, step headings,
    code) is story: the blocks between the first and the last kept one that the context rules
    left out as short lines, outside prose or head (`GAP_RULES`), or that a rule placed outside
    the story (`fillable`: the rule of a column of date or byline-shaped rows) join it; and so
    do up to `lead` short lines right above the first kept block that only their shortness
    left out (an opening spec line: no rule named them), when the article has no title line
    (under a title they are the head's); the `fillable` rows right above the first kept block
    (a table that opens the story), and the items after the last kept block that open with
    its bullet (its list goes on). With `tail`, when everything after the last kept block is
    such a block (short lines, prose left out for place, dated rows) and some of it is prose,
    the story goes on to the end (`story.clean_tail`): the main run of a clean article read
    without its title can stop sections short of its end. Returns how many joined."""
    if furniture:
        return 0
    inside = [i for i, b in enumerate(blocks) if b.role in KEPT]
    if not inside:
        return 0
    joined = 0
    first, last = inside[0], inside[-1]
    for k in range(first + 1, last):
        b = blocks[k]
        if b.role in KEPT or b.role in FIXED_ROLES:
            continue
        if b.rule in GAP_RULES or b.rule in fillable:
            reason = "A clean article: a structured block between paragraphs of the story is story."
            b.decide("body", "story.clean_gap", reason)
            joined += 1
    k = first - 1
    while k >= 0 and blocks[k].rule in fillable:  # the rows of a table that opens the story
        reason = "A clean article: a row of the table that opens it."
        blocks[k].decide("body", "story.clean_lead", reason)
        joined += 1
        k -= 1
    top = k + 1
    titled = any(b.role == "title" for b in blocks)  # under a title, a short line is the head's
    # A short sentence ("Cocoa (1-2): Jordan Munoz 8 saves.") or a headline-shaped line
    # (`title_shaped`: "Jam Recipe | The Site") stays out: first in the text, cleaning it again
    # would take it as the title; an opening spec line has neither shape.
    while (not titled and k >= 0 and top - k <= lead and blocks[k].rule == "context.outside_short"
           and not blocks[k].text.rstrip().endswith(LEAD_ENDS)
           and not (title_shaped is not None and title_shaped(blocks[k]))):  # it would be the title
        reason = "A clean article: the short line right above its first paragraph opens the story."
        blocks[k].decide("body", "story.clean_lead", reason)
        joined += 1
        k -= 1
    text = blocks[last].text
    bullet = text[:2] if text[:1] in BULLETS and text[1:2] == " " else None
    k = last + 1
    while bullet is not None and k < len(blocks) and blocks[k].text.startswith(bullet) and (
        blocks[k].rule in GAP_RULES
    ):  # the story's last list goes on: its items after the last kept one
        reason = "A clean article: the list its last kept block opens goes on."
        blocks[k].decide("body", "story.clean_list", reason)
        joined += 1
        k += 1
    rest = blocks[k:] if tail else []
    if rest and all(b.rule in GAP_RULES or b.rule in fillable for b in rest) and any(
        b.rule == "context.outside_prose" for b in rest
    ):  # the story goes on to the end: sections the main run, read without a title, left out
        reason = "A clean article: its last sections, prose and rows the context rules left out for place."
        for b in rest:
            b.decide("body", "story.clean_tail", reason)
            joined += 1
    return joined


def title_in_story(blocks: list[Block]) -> bool:
    """A first body block the context rules promoted to the title (context.title_first_block)
    is the story's first block no longer when the story model took blocks above it into the
    story: a line inside the story is no title (the clean text, cleaned again, would cut it
    out of the middle of its story). It goes back to the body; True when it did."""
    above = False
    for b in blocks:
        if b.role in KEPT:
            above = True
        elif b.role == "title":
            if not above or b.rule != "context.title_first_block":
                return False
            reason = "A line inside the story, below blocks of it: not the title."
            b.decide("body", "story.title_in_story", reason)
            return True
    return False


def bridge_pre_story(blocks: list[Block], sc: StoryColumns) -> None:
    """The short lines above the context rules' first kept block are left out of the model's
    reach (a menu above the story is not a table inside it); but when the model has taken the
    paragraphs on both sides of a stretch of them into the story, the stretch is inside it (a
    spec list, the rows of a table, a list of steps between the story's first paragraphs)."""
    pre = sc.cols["pre_story"]
    n = len(blocks)
    i = 0
    while i < n:
        if not pre[i] or blocks[i].role in KEPT:
            i += 1
            continue
        j = i
        while j < n and pre[j] and blocks[j].role not in KEPT:
            j += 1
        if i > 0 and j < n and blocks[i - 1].role == "body" and blocks[j].role == "body":
            for k in range(i, j):
                reason = "A short line between paragraphs the story model took into the story."
                blocks[k].decide("body", "story.bridged", reason)
        i = j


def table_cells(blocks: list[Block], cues: frozenset[str], short_words: int) -> int:
    """A table inside the story: its cells of numbers alone ("+13.1%", "729", "37% / 40%"),
    which a cue rule names as a counter or a trail and the context rules left out, are story
    when the cells on both sides of them are short blocks of the story (a row label, another
    cell) and a paragraph of the story follows the table: a row of a table inside the story, not
    a counter between two paragraphs. (A table that ends the story stays as the model read it:
    cleaning the text again would read its last rows as the story's trailing lines, one more
    round each time.) Returns how many joined."""
    n = len(blocks)
    joined = 0
    last = max((k for k, b in enumerate(blocks) if b.role == "body" and b.words > short_words), default=-1)
    i = 0
    while i < last:
        if blocks[i].rule not in cues or blocks[i].role in KEPT:
            i += 1
            continue
        j = i
        while j < n and blocks[j].rule in cues and blocks[j].role not in KEPT:
            j += 1
        before, after = (blocks[i - 1] if i > 0 else None), (blocks[j] if j < n else None)
        if (before is not None and after is not None and before.role == "body" and after.role == "body"
                and before.words <= short_words and after.words <= short_words and j < last):
            for k in range(i, j):
                reason = "A cell of a table inside the story, between short blocks of the story."
                blocks[k].decide("body", "story.table_cell", reason)
                joined += 1
        i = j
    return joined


# What the context stage left out for its shape or place alone: a short line, prose outside the
# main run. A data table's labels and headers are those; a rule's named furniture is not.
_LEFT_OUT = frozenset(("context.outside_short", "context.outside_prose"))


def _is_cell(b: Block, max_words: int) -> bool:
    """A table cell of numbers alone ("+13.1%", "84.7", "1/1/2013"): digits, no letter."""
    t = b.text
    return not b.has_letter and any(c.isdigit() for c in t) and len(t.split()) <= max_words


def data_tables(blocks: list[Block], p: Mapping[str, Any]) -> int:
    """A table of data between two kept blocks of the story: a stretch left out between them
    whose cells of numbers alone are many (`data_table_cells`) and a good share of it
    (`data_table_share`), with values that differ (`data_table_distinct`: a rating widget's
    "1 2 3 4 5" repeats), and whose other blocks the context rules left out for shape or place
    alone (`_LEFT_OUT`: its header, row labels and the chart's note; a rule's furniture, such as
    a price box's button, keeps the stretch out). The whole stretch is story: a time series or a
    ranking inside an article, which a reader reads with it. Returns how many joined."""
    kept = [k for k, b in enumerate(blocks) if b.role in KEPT]
    max_words = p["data_table_cell_words"]
    joined = 0
    reason = "A table of data between two kept blocks of the story: its cells of numbers, labels and header."
    for a, z in pairwise(kept):
        if z - a < 2:
            continue
        cells: list[str] = []
        ok = True
        for k in range(a + 1, z):
            b = blocks[k]
            if _is_cell(b, max_words):
                cells.append(b.text)
            elif b.rule not in _LEFT_OUT:
                ok = False
                break
        if (not ok or len(cells) < p["data_table_cells"] or len(cells) < p["data_table_share"] * (z - a - 1)
                or len(set(cells)) < p["data_table_distinct"] * len(cells)):
            continue
        for k in range(a + 1, z):
            blocks[k].decide("body", "story.data_table", reason)
            joined += 1
    return joined


# The rules of two paragraphs a short stretch between them is read as inside the story by.
_GAP_SIDES = ("story.model_in", "context.prose")


def model_gaps(blocks: list[Block], p: Mapping[str, Any]) -> int:
    """Short lines between two paragraphs of the story are inside it: when the story model took
    paragraphs outside the context rules' main run into the story, the short lines between
    them (a code listing's lines, a step's heading, a spec row) stayed out as short lines
    outside the run. A stretch of at most `model_gap_blocks` blocks, all of them
    `context.outside_short`, between two kept paragraphs (`_GAP_SIDES`) of at least
    `model_gap_side_words` words each joins the story. A menu whose items the model took in
    one by one has short sentences on its sides, and a rule's furniture (a share row) keeps
    the stretch out. Returns how many joined."""
    kept = [k for k, b in enumerate(blocks) if b.role in KEPT]
    most, words = p["model_gap_blocks"], p["model_gap_side_words"]
    joined = 0
    reason = "A short line between two paragraphs of the story (the story model took them in)."
    for a, z in pairwise(kept):
        if z - a < 2 or z - a - 1 > most:
            continue
        pa, pz = blocks[a], blocks[z]
        if pa.rule not in _GAP_SIDES or pz.rule not in _GAP_SIDES or min(pa.words, pz.words) < words:
            continue
        gap = range(a + 1, z)
        if all(blocks[k].rule == "context.outside_short" for k in gap) and (
            sum(blocks[k].words <= 2 for k in gap) <= p["model_gap_menu_share"] * len(gap)
        ):
            for k in gap:
                blocks[k].decide("body", "story.model_gap", reason)
                joined += 1
    return joined


_LABEL_ENDS = (".", "!", "?", ":", ";", ",")


def repeated_sections(blocks: list[Block], p: Mapping[str, Any]) -> int:
    """A story of like sections (a review of nine products, each with "Best For",
    "Considerations", "Our Verdict") goes on while its section labels come back: the short
    lines of the kept story (at most `repeat_label_words` words, no end punctuation) that come
    back at least `repeat_min_labels` times, `repeat_min_distinct` of them different, in a
    stretch the context rules left out for shape or place alone (`_LEFT_OUT`; a rule's furniture
    or a related header ends it). Such a stretch between two kept blocks is story, all of it;
    after the last kept block, up to the last label and as far again after it as two labels in
    the stretch lie apart at most (the last section's closing lines; a footer further down
    stays out). Returns how many joined."""
    kept = [k for k, b in enumerate(blocks) if b.role in KEPT]
    if not kept:
        return 0
    most = p["repeat_label_words"]
    labels = {b.norm for b in (blocks[k] for k in kept)
              if 0 < b.words <= most and not b.text.rstrip().endswith(_LABEL_ENDS)}
    def come_back(stretch: range) -> list[int]:
        """The stretch's blocks that repeat a label, when enough of them do (else none)."""
        seen = [k for k in stretch if blocks[k].norm in labels]
        enough = len(seen) >= p["repeat_min_labels"]
        return seen if enough and len({blocks[k].norm for k in seen}) >= p["repeat_min_distinct"] else []

    joined = 0
    reason = "The story's section labels come back in a stretch left out inside it: its like sections go on."
    for a, z in pairwise(kept):  # a stretch left out between two kept blocks: all of it
        if z - a < 2 or not all(blocks[k].rule in _LEFT_OUT for k in range(a + 1, z)) or not come_back(
            range(a + 1, z)
        ):
            continue
        for k in range(a + 1, z):
            blocks[k].decide("body", "story.repeated_section", reason)
            joined += 1
    last, j = kept[-1], kept[-1] + 1
    while j < len(blocks) and blocks[j].rule in _LEFT_OUT:
        j += 1
    seen = come_back(range(last + 1, j))
    if not seen:
        return joined
    section = max(z - a for a, z in pairwise(seen))
    end = min(j, seen[-1] + section + 1)
    reason = "The story's section labels come back after it: its like sections go on."
    for k in range(last + 1, end):
        blocks[k].decide("body", "story.repeated_section", reason)
    return joined + end - last - 1


def _name_core(text: str, p: Mapping[str, Any]) -> list[str]:
    """The words of a name line ("Jane Doe", "Brian Stormont, CFP", "Jean-Luc Aufranc (CNX)"):
    its capitalised words before a comma or parenthesis, at least two; else none."""
    t = text.strip()
    if not t or t[-1] in LEAD_ENDS or t.endswith(":") or len(t.split()) > p["bio_line_max_words"]:
        return []
    if any(ch.isdigit() for ch in t):
        return []
    core = t.split(",")[0].split("(")[0].split()
    if len(core) < 2 or len(core) > p["bio_name_max_words"] or not all(w[:1].isupper() for w in core):
        return []
    return core


def _opens_with_name(text: str, core: Sequence[str], stopwords: frozenset[str]) -> bool:
    """Whether a paragraph opens with the name and goes on as a sentence about the person: the
    whole name as the line has it, then a word in lower case ("Jane Doe is a writer..."), or its
    first word alone, when that is no function word of the language, then one ("Jane has
    covered...": "Window direction plays..." under "Window Direction" is a heading's topic)."""
    words = [w.strip(",") for w in text.split()]
    k = len(core)
    if len(words) > k and words[:k] == list(core) and words[k][:1].islower():
        return True
    return (len(words) > 1 and words[0] == core[0] and core[0].lower() not in stopwords
            and words[1].lower() in stopwords)


def trailing_bio(
    blocks: list[Block], furniture: bool, stopwords: frozenset[str], p: Mapping[str, Any],
) -> int:
    """On a page (a final rule found furniture), the author's bio after the story: a kept name
    line and, within the next `bio_look_ahead` blocks, a kept paragraph that opens with that
    name (`_opens_with_name`), when the page has one such pair only (a list of products or
    people, each a name and its paragraph, is the story's own) and it stands after most of the
    kept paragraphs' words (`bio_after_share`). The name line, what stands between, and the
    paragraph go. Returns how many blocks went."""
    if not furniture:
        return 0
    min_words = p["bio_min_words"]
    kept = [b.role in KEPT for b in blocks]
    pairs: list[tuple[int, int]] = []
    for i, b in enumerate(blocks):
        core = _name_core(b.text, p) if kept[i] else []
        if not core:
            continue
        for j in range(i + 1, min(i + 1 + p["bio_look_ahead"], len(blocks))):
            para = blocks[j]
            if kept[j] and para.words >= min_words and _opens_with_name(para.text, core, stopwords):
                pairs.append((i, j))
                break
    if len(pairs) != 1:
        return 0
    i, j = pairs[0]
    mass = [b.words if k and b.words >= min_words else 0 for b, k in zip(blocks, kept, strict=True)]
    total = sum(mass)
    if not total or sum(mass[:i]) < p["bio_after_share"] * total:
        return 0
    went = 0
    for k in range(i, j + 1):
        if kept[k]:
            reason = "An author's bio after the story: a name line, then a paragraph about that person."
            blocks[k].decide("other", "story.trailing_bio", reason)
            went += 1
    return went


def trailing_counters(blocks: list[Block]) -> int:
    """The kept blocks after the story's last words that hold no letter (a like count, a page
    number, a separator), kept by smoothing between paragraphs (`context.between_prose`) until a
    later step took the paragraph after them: a story does not end with a number alone, and
    cleaning the text again would drop them (nothing follows them there). They go; returns how
    many."""
    went = 0
    for b in reversed(blocks):
        if b.role not in KEPT:
            continue
        if b.has_letter or b.rule != "context.between_prose":
            break
        b.decide("widget", "story.trailing_counter", "Numbers or punctuation alone after the story's end.")
        went += 1
    return went
