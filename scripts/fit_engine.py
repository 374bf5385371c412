"""Fit the story model (cleaner/core/story.py) on the dev sets and write rules/story_model.yaml.

    python scripts/fit_engine.py [--shared ../shared] [--out rules/story_model.yaml] [--init]

Training data: every block of every input (`raw_region`, `raw_fullpage`, and the clean article
`body_gold` itself, so cleaning a clean article keeps it) of `dev.jsonl` and `dev2.jsonl`
(WCXB / Murrough Foley, CC-BY-4.0), with the story model's columns as the engine computes them
and a label: story when most of the block's tokens align with `body_gold` (its 4-token shingles,
or its whole token run when shorter, occur in the gold). Each page weighs the same; a block
weighs its share of the page's tokens, as the scorer does.

Fitting: pass one is gradient-boosted trees (complete, depth DEPTH), pass two an L2-regularised
logistic regression (Newton steps), both in numpy;
the switch cost of the decoder is the one of a small grid with the best mean per-page F1 (of
tokens aligned with the gold) on the training pages. `scripts/evaluate.py --cv` calls `collect`
and `fit_full` per site fold. `fit_full` fits twice: the second time with the first model's own
output cleaned again added as inputs whose every block is story, so the clean article cleans to
itself. numpy is needed here only (requirements-dev.txt); the engine reads the
fitted numbers from the YAML file and needs no numpy.

`--init` writes the file with zero weights and the model switched off (to bootstrap).
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import load_ruleset  # noqa: E402
from cleaner.core import story  # noqa: E402
from cleaner.core.pipeline import STAGES, Deadline, Run, host_of  # noqa: E402
from cleaner.core.segment import segment_text  # noqa: E402
from cleaner.model import Document  # noqa: E402
from cleaner.ruleset import TreeModel  # noqa: E402

WORD = re.compile(r"\w+")
INPUTS = ("raw_region", "raw_fullpage", "body_gold")
L2 = 1.0
GOLD_WEIGHT = 0.3  # a clean-article input weighs this much of a raw page
SWITCH_GRID = (0.5, 1.0, 2.0, 3.0, 5.0)  # not 0: one block alone is not a story (nor a gap in it)
OFFSET_GRID = (-1.5, -1.0, -0.5, 0.0, 0.5, 1.0)  # added to pass two's bias
TREES, DEPTH, RATE, LAMBDA, BINS = 40, 3, 0.4, 1.0, 32  # pass one's boosting

# Hand-set parameters of the model (not fitted): value, type, min, max, doc.
FIXED = {
    "story_model_on": (
        1,
        "int",
        0,
        1,
        "1: the fitted story model re-decides blocks after the context rules; 0: off",
    ),
    "story_short_words": (
        6,
        "int",
        1,
        1000,
        "a block of at most this many words is short (runs of short blocks: tables, lists, menus)",
    ),
    "story_bridge_on": (
        0,
        "int",
        0,
        1,
        "1: short lines above the context rules' first kept block join the story (story.bridged) when "
        "the model kept the paragraphs on both sides; 0: off (cross-validated by site it lowered dev full "
        "page 0.9610 -> 0.9564 while raising dev2 0.9372 -> 0.9381 / 0.9175 -> 0.9194)",
    ),
    "story_window": (2, "int", 1, 100, "blocks on each side counted by the near-neighbour columns"),
    "story_wide_window": (6, "int", 1, 1000, "blocks on each side counted by the wide-neighbour columns"),
    "story_reason_columns": (2, "int", 1, 20, "how many columns a model decision's reason names"),
}
DOCS_1 = {
    "bias": "constant",
    "kept": "the context rules kept the block (body or standfirst)",
    "by_rule": "a final rule decided a removed role",
    "related": "role related",
    "navigation": "role navigation",
    "other": "role other",
    "comment": "role comment",
    "head": "taken as the page head (context.head)",
    "tail": "after the story's end marker",
    "source": "role source",
    "byline": "role byline or dateline",
    "cf_good": "first opinion good",
    "cf_neargood": "first opinion neargood",
    "cf_short": "first opinion short",
    "cf_bad": "first opinion bad",
    "log_chars": "log(1 + characters)",
    "terminal": "ends like a sentence",
    "stop_density": "share of stopwords (0 without a stoplist)",
    "no_stoplist": "the language has no stoplist",
    "in_run": "inside the main run of prose",
    "after_run": "after the main run of prose",
    "position": "index / number of blocks",
    "mass_before": "share of good prose before the block",
    "mass_after": "share of good prose after the block",
    "teaser": "a teaser between two headlines",
    "numbered": "an item of a numbered list",
    "cue": "a cue rule matched",
    "repeated": "the text repeats in the page",
    "digits": "share of digits among the characters",
    "colon_end": "ends with a colon",
    "short_run": "log(1 + length of the run of short blocks it is in)",
    "kept_prev": "the block before was kept",
    "kept_next": "the block after was kept",
    "kept_near": "share kept of the near neighbours",
    "kept_wide": "share kept of the wide neighbours",
    "after_tail": "at or after the story's end marker",
    "before_body": "before the body's first block",
    "main_hint": "HTML: in (+1) or out of (-1) the main element",
    "link_hint": "HTML: share of link text",
    "doc_ruled": "the page's share of blocks a final rule removed",
    "doc_kept": "the page's share of blocks the context rules kept",
    "doc_short": "the page's share of short blocks",
    "doc_blocks": "log(1 + the page's number of blocks)",
    "log_words": "log(1 + words)",
    "punct": "share of punctuation among the characters",
    "capitals": "share of words that open with a capital",
    "upper": "share of words in upper case (two letters or more)",
    "token_len": "mean token length",
    "sentences": "log(1 + sentence ends inside the block)",
    "commas": "commas per word",
    "question": "ends with a question mark (a FAQ question)",
    "separators": "separator characters (| / » •) per word: a breadcrumb or menu row",
    "link_shape": "holds a web address or an e-mail",
    "money": "holds a currency sign (a price)",
    "starts_digit": "opens with a digit",
    "starts_lower": "opens with a lower-case letter",
    "bullet": "opens with a bullet or dash",
}
DOCS_2 = {
    "bias": "constant",
    "logit": "pass one's log-odds",
    "p_prev": "pass one's probability of the block before",
    "p_next": "pass one's probability of the block after",
    "p_near": "mean pass-one probability of the near neighbours",
    "p_wide": "mean pass-one probability of the wide neighbours",
    "p_before": "mean pass-one probability of all blocks before",
    "p_after": "mean pass-one probability of all blocks after",
}


def _ngrams(tokens: list[str]) -> list[set[tuple[str, ...]]]:
    return [set(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)) for n in range(1, 5)]


def aligned_share(block_tokens: list[str], grams: list[set[tuple[str, ...]]]) -> float:
    """The share of a block's 4-token shingles found in the gold (its whole run when shorter)."""
    n = len(block_tokens)
    if n == 0:
        return 0.0
    if n < 4:
        return float(tuple(block_tokens) in grams[n - 1])
    sh = [tuple(block_tokens[i : i + 4]) for i in range(n - 3)]
    return sum(s in grams[3] for s in sh) / len(sh)


def columns_of(text: str, url: str | None, ruleset) -> tuple[list, Any]:
    """The blocks and the story model's columns the engine computes for one input."""
    blocks = segment_text(text, ruleset.params)
    doc = Document(blocks=blocks, url=url, host=host_of(url))
    run = Run(doc=doc, ruleset=ruleset, language=None, deadline=Deadline(60.0))
    for name, stage in STAGES:
        if name == "assemble":
            break
        stage(run)
    return blocks, run.decision.story


def collect(docs: list[dict], ruleset, inputs=INPUTS) -> list[dict]:
    """One row per (page, input): columns, labels, token counts and aligned shares per block."""
    rows = []
    for d in docs:
        gold_toks = WORD.findall(d["body_gold"] or "")
        grams = _ngrams(gold_toks)
        for field in inputs:
            text = d.get(field) or ""
            if not text.strip():
                continue
            blocks, sc = columns_of(text, d.get("url") if field != "body_gold" else None, ruleset)
            if sc is None or not blocks:
                continue
            toks = [WORD.findall(b.text) for b in blocks]
            share = [aligned_share(t, grams) for t in toks]
            rows.append(
                {
                    "id": d["id"],
                    "url": d.get("url"),
                    "field": field,
                    "x1": np.array([sc.row(i) for i in range(len(blocks))], dtype=float),
                    "fixed": np.array(sc.fixed),
                    "kept": np.array(sc.kept),
                    "tokens": np.array([len(t) for t in toks], dtype=float),
                    "share": np.array(share),
                    "gold_tokens": float(len(gold_toks)),
                }
            )
    return rows


def recleaned(rows: list[dict], docs: dict[str, dict], ruleset) -> list[dict]:
    """Rows for the model's own output cleaned again: `clean(x).text` for every raw input of
    `rows`, every block labelled story (cleaning the clean article keeps it whole)."""
    from cleaner import clean

    out = []
    for r in rows:
        if r["field"] == "body_gold":
            continue
        d = docs[r["id"]]
        text = clean(d[r["field"]], url=d.get("url"), ruleset=ruleset).text
        if not text.strip():
            continue
        blocks, sc = columns_of(text, None, ruleset)
        if sc is None or not blocks:
            continue
        toks = np.array([len(WORD.findall(b.text)) for b in blocks], dtype=float)
        out.append(
            {
                "id": r["id"],
                "url": r["url"],
                "field": "reclean",
                "x1": np.array([sc.row(i) for i in range(len(blocks))], dtype=float),
                "fixed": np.array(sc.fixed),
                "kept": np.array(sc.kept),
                "tokens": toks,
                "share": np.ones(len(blocks)),
                "gold_tokens": float(toks.sum()),
            }
        )
    return out


def fit_full(rows: list[dict], docs: dict[str, dict], base) -> dict[str, Any]:
    """Fit, clean every raw input with that model, add its output (all story) and fit again."""
    first = fit(rows)
    extra = recleaned(rows, docs, with_model(base, first))
    return fit(rows + extra)


def _logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float) -> np.ndarray:
    """Weighted L2 logistic regression by Newton steps (the bias is not penalised)."""
    beta = np.zeros(x.shape[1])
    pen = np.full(x.shape[1], l2)
    pen[0] = 1e-6
    for _ in range(30):
        z = np.clip(x @ beta, -30, 30)
        pr = 1 / (1 + np.exp(-z))
        g = x.T @ (w * (pr - y)) + pen * beta
        h = (x * (w * pr * (1 - pr))[:, None]).T @ x + np.diag(pen)
        step = np.linalg.solve(h, g)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return beta


def _weights(r: dict, gold_weight: float) -> np.ndarray:
    t = r["tokens"] + 1.0
    return t / t.sum() * (gold_weight if r["field"] == "body_gold" else 1.0)


def _page_f1(r: dict, keep: np.ndarray) -> float:
    tp = float((r["tokens"] * r["share"] * keep).sum())
    pred = float((r["tokens"] * keep).sum())
    gold = r["gold_tokens"]
    if pred == 0 and gold == 0:
        return 1.0
    p = tp / pred if pred else 0.0
    rec = min(1.0, tp / gold) if gold else 0.0
    return 2 * p * rec / (p + rec) if p + rec else 0.0


def _bins(x: np.ndarray) -> list[np.ndarray]:
    """Candidate thresholds per column: up to BINS distinct quantiles."""
    out = []
    for j in range(x.shape[1]):
        q = np.unique(np.quantile(x[:, j], np.linspace(0, 1, BINS + 1)[1:-1]))
        out.append(q)
    return out


def tree_values(x: np.ndarray, trees: list) -> np.ndarray:
    """The summed leaf values of `trees` for every row of `x`."""
    out = np.zeros(len(x))
    rows = np.arange(len(x))
    for f, t, v in trees:
        f, t, v = np.array(f), np.array(t), np.array(v)
        k = np.zeros(len(x), dtype=int)
        while (k < len(f)).any():
            k = 2 * k + 1 + (x[rows, f[k]] > t[k])
        out += v[k - len(f)]
    return out


def boost(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, list]:
    """Gradient-boosted complete trees of depth DEPTH on the logistic loss (numpy)."""
    thr = _bins(x)
    binned = np.stack([np.searchsorted(q, x[:, j], side="left") for j, q in enumerate(thr)], axis=1)
    mean = float((w * y).sum() / w.sum())
    base = float(np.log(mean / (1 - mean)))
    score = np.full(len(y), base)
    trees = []
    for _ in range(TREES):
        pr = 1 / (1 + np.exp(-np.clip(score, -30, 30)))
        g, h = w * (pr - y), w * pr * (1 - pr)
        nodes = [np.arange(len(y))]
        feats, ths, leaves = [], [], []
        for _level in range(DEPTH):
            nxt = []
            for idx in nodes:
                best = (0.0, 0, 2.0)  # gain, column, threshold (column 0 is the constant: all go left)
                if len(idx) > 1:
                    gs, hs = g[idx].sum(), h[idx].sum()
                    for j, q in enumerate(thr):
                        if not len(q):
                            continue
                        b = binned[idx, j]
                        gl = np.cumsum(np.bincount(b, g[idx], minlength=len(q) + 1))[:-1]
                        hl = np.cumsum(np.bincount(b, h[idx], minlength=len(q) + 1))[:-1]
                        gr, hr = gs - gl, hs - hl
                        gain = gl**2 / (hl + LAMBDA) + gr**2 / (hr + LAMBDA) - gs**2 / (hs + LAMBDA)
                        ok = (hl > 1e-4) & (hr > 1e-4)
                        if ok.any():
                            k = int(np.argmax(np.where(ok, gain, -1)))
                            if ok[k] and gain[k] > best[0]:
                                best = (float(gain[k]), j, float(q[k]))
                feats.append(best[1])
                ths.append(best[2])
                right = x[idx, best[1]] > best[2]
                nxt.extend([idx[~right], idx[right]])
            nodes = nxt
        for idx in nodes:
            leaves.append(float(-RATE * g[idx].sum() / (h[idx].sum() + LAMBDA)) if len(idx) else 0.0)
        tree = (feats, ths, leaves)
        trees.append(tree)
        score += tree_values(x, [tree])
    return base, trees


def fit(rows: list[dict], l2: float = L2, gold_weight: float = GOLD_WEIGHT) -> dict[str, Any]:
    """The fitted pass-one trees, pass-two weights and switch cost: {"params", "trees"}."""
    free = [~r["fixed"] for r in rows]
    x1 = np.vstack([r["x1"][m] for r, m in zip(rows, free, strict=False)])
    y = np.concatenate([(r["share"] >= 0.5)[m] for r, m in zip(rows, free, strict=False)]).astype(float)
    w = np.concatenate([_weights(r, gold_weight)[m] for r, m in zip(rows, free, strict=False)])
    base, trees = boost(x1, y, w)
    p = {k: v[0] for k, v in FIXED.items()}
    params: dict[str, float] = {}
    x2s = []
    for r in rows:
        logit1 = list(base + tree_values(r["x1"], trees))
        c2 = story.second_columns(logit1, p)
        r["x2"] = np.array([[c2[f][i] for f in story.FEATURES_2] for i in range(len(logit1))], dtype=float)
        x2s.append(r["x2"])
    x2 = np.vstack([x[m] for x, m in zip(x2s, free, strict=False)])
    b2 = _logistic(x2, y, w, l2)
    params.update({f"story2_{f}": float(v) for f, v in zip(story.FEATURES_2, b2, strict=False)})
    best = (-1.0, 0.0, 0.0)
    emissions = [r["x2"] @ b2 for r in rows]
    for cost in SWITCH_GRID:
        for off in OFFSET_GRID:
            total = 0.0
            for r, e in zip(rows, emissions, strict=False):
                keep = np.array(story.decode(list(e + off), list(r["fixed"]), cost))
                keep = np.where(r["fixed"], r["kept"], keep)
                total += _page_f1(r, keep) * (gold_weight if r["field"] == "body_gold" else 1.0)
            best = max(best, (total, cost, off))
    params["story_switch_cost"] = best[1]
    params["story2_bias"] += best[2]
    model = TreeModel(
        doc="pass one of the story model: log-odds that a block is story, from its columns",
        columns=story.FEATURES_1,
        base=base,
        trees=tuple((tuple(f), tuple(t), tuple(v)) for f, t, v in trees),
    )
    return {"params": params, "trees": model}


def with_model(base, model: dict[str, Any]):
    """A copy of rule set `base` with this fitted story model."""
    rs = copy.copy(base)
    rs.params = {**base.params, **model["params"]}
    rs.trees = {**base.trees, "story": model["trees"]}
    return rs


def write(path: Path, fitted: dict[str, Any], note: str) -> None:
    model = fitted.get("params", {})
    lines = [
        "version: 1",
        "description: >",
        "  The story model of cleaner/core/story.py: logistic weights of its two passes and the",
        "  decoder's switch cost, FITTED by scripts/fit_engine.py on dev.jsonl and dev2.jsonl (dev2 is",
        "  from the WCXB benchmark, WCXB / Murrough Foley, CC-BY-4.0); do not edit by hand, refit.",
        f"  {note}",
        "  Figures for the fitted model are cross-validated by site: scripts/evaluate.py --cv.",
        "params:",
    ]
    for name, (value, typ, lo, hi, doc) in FIXED.items():
        lines.append(
            f"  {name}: {{value: {value}, type: {typ}, min: {lo}, max: {hi}, doc: {json.dumps(doc)}}}"
        )
    lines.append(
        f"  story_switch_cost: {{value: {model.get('story_switch_cost', 0.0):.4g}, type: float, min: 0, "
        'max: 100, doc: "fitted: the decoder\'s cost of entering or leaving the story"}'
    )
    for f in story.FEATURES_2:
        v = model.get(f"story2_{f}", 0.0)
        doc = json.dumps(f"fitted weight, pass two: {DOCS_2[f]}")
        lines.append(f"  story2_{f}: {{value: {v:.6g}, type: float, min: -1000, max: 1000, doc: {doc}}}")
    tm = fitted.get("trees")
    lines += [
        "trees:",
        "  # Pass one: boosted trees over these columns of cleaner/core/story.py (FEATURES_1):",
    ]
    lines += [f"  #   {f}: {DOCS_1[f]}" for f in story.FEATURES_1]
    lines += [
        "  story:",
        f"    doc: {json.dumps(tm.doc if tm else 'not fitted yet')}",
        f"    columns: {json.dumps(list(story.FEATURES_1))}",
        f"    base: {tm.base if tm else 0.0:.6g}",
    ]
    if not tm or not tm.trees:
        lines.append("    trees: []")
    else:
        lines.append("    trees:")
        for f, t, v in tm.trees:
            names = [story.FEATURES_1[j] for j in f]
            lines.append(
                f"      - {{f: {json.dumps(names)}, t: [{', '.join(f'{x:.6g}' for x in t)}], "
                f"v: [{', '.join(f'{x:.5g}' for x in v)}]}}"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load_docs(shared: Path) -> list[dict]:
    out = []
    for name in ("dev", "dev2"):
        p = shared / "data" / f"{name}.jsonl"
        with open(p, encoding="utf-8") as f:
            out.extend(json.loads(line) for line in f if line.strip())
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--out", default=str(ROOT / "rules" / "story_model.yaml"))
    ap.add_argument("--init", action="store_true")
    args = ap.parse_args()
    out = Path(args.out)
    if args.init:
        FIXED["story_model_on"] = (0, *FIXED["story_model_on"][1:])
        write(out, {}, "Not fitted yet (zero weights, switched off).")
        return
    docs = load_docs(Path(args.shared))
    base = load_ruleset()
    rows = collect(docs, base)
    model = fit_full(rows, {d["id"]: d for d in docs}, base)
    n_blocks = sum(len(r["tokens"]) for r in rows)
    write(out, model, f"Fitted on {len(docs)} pages ({len(rows)} inputs, {n_blocks} blocks).")
    print(f"wrote {out}: switch cost {model['params']['story_switch_cost']}")


if __name__ == "__main__":
    main()
