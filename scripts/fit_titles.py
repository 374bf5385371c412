"""Fit the on-page headline's score (rules/classifier.yaml, headline_below_*) on dev2 titles,
cross-validated by site.

    python scripts/fit_titles.py [--shared ../shared] [--folds 5] [--write]

Cleans every dev2 page once per input (raw_region, raw_fullpage) with the committed rules and
records, at the page's first reading, the candidates `headline.below_candidates` finds under the
title line (their features), the headline the title line gives, and the title the page got.
Then, for every point of a grid over `headline_below_min_score` and the ten weights of
`headline.below_score`, it picks each page's headline as `headline_below` would and checks it
against `title_gold` (`score.py`'s title_exact; pages without candidates keep the title they
got). Pages are put in `--folds` folds by host (a site is never in two folds); each fold is
scored with the point that did best on the other folds (both inputs together). Prints the
in-sample and out-of-fold title_exact per input, the point chosen per fold and on all pages;
`--write` puts the all-pages point into rules/classifier.yaml.

The replay reads the recorded first reading only (the clean article's second look may still
change a title), so it prints its in-sample figure for the committed weights beside the
pipeline's own; scripts/eval_titles.py measures the pipeline.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate import load_scorer  # noqa: E402

from cleaner import clean  # noqa: E402
from cleaner.core import headline  # noqa: E402
from cleaner.core.pipeline import host_of  # noqa: E402
from cleaner.engine import default_ruleset  # noqa: E402

FIELDS = ("raw_region", "raw_fullpage")
THRESHOLD = "headline_below_min_score"
WEIGHTS = {  # parameter -> grid
    THRESHOLD: (0.3, 0.45, 0.6),
    "headline_below_marker_bonus": (0.6, 0.8),
    "headline_below_segment_bonus": (0.3, 0.6),
    "headline_below_repeat_bonus": (0.3, 0.6),
    "headline_below_after_prose_penalty": (0.0, 0.2),
    "headline_below_site_cut_penalty": (0.0, 0.1, 0.2),
    "headline_below_longer_bonus": (0.3, 0.6, 0.9),
    "headline_below_title_case_penalty": (0.3, 0.6, 0.9),
    "headline_below_listed_penalty": (0.0, 0.5, 1.0),
    "headline_below_after_lead_penalty": (0.0, 0.5, 1.0),
    "headline_below_same_tail_bonus": (0.0, 0.5, 1.0),
}
YAML = ROOT / "rules" / "classifier.yaml"


def fold_of(url: str, folds: int) -> int:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return int(hashlib.sha1(host.encode()).hexdigest(), 16) % folds


def record(docs: list[dict], field: str) -> list[dict]:
    """Per page: the candidates of its first reading (or None when none were looked for)."""
    calls: list[dict] = []
    real = headline.below_candidates

    def spy(blocks, rules, title_idx, head, *rest):
        out = real(blocks, rules, title_idx, head, *rest)
        if not calls:  # the page's first reading, not the clean article's second look
            calls.append({
                "headline": head, "title_line": blocks[title_idx].text,
                "cands": [(blocks[j].text, f) for j, f in out],
            })
        return out

    headline.below_candidates = spy
    try:
        rows = []
        for d in docs:
            calls.clear()
            res = clean(d[field], url=d["url"])
            first = calls[0] if calls else {"cands": None}
            rows.append({"title": res.title, "host": host_of(d["url"]), **first})
        return rows
    finally:
        headline.below_candidates = real


def replay(row: dict, params: dict) -> str | None:
    """The title `headline_below` gives with `params` (all the rules' parameters; the recorded
    title when there were no candidates)."""
    if not row["cands"]:
        return row["title"]
    best, best_score = None, params[THRESHOLD]
    for text, f in row["cands"]:
        score = headline.below_score(f, params)
        if score >= best_score and (best is None or score > best_score):
            best, best_score = text, score
    if best is None:
        return row["headline"]
    return headline.stable_headline(headline.below_headline(best, row["title_line"]), params, row["host"])


def write(point: dict) -> None:
    text = YAML.read_text(encoding="utf-8")
    for name, value in point.items():
        text, n = re.subn(rf"(\n  {name}: *\{{value: )[^,]+", rf"\g<1>{value}", text)
        assert n == 1, name
    YAML.write_text(text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", action="store_true", help="write the all-pages point into rules/")
    args = ap.parse_args()
    shared = Path(args.shared)
    scorer = load_scorer(shared)
    with open(shared / "data" / "dev2.jsonl", encoding="utf-8") as f:
        docs = [d for d in map(json.loads, f) if d.get("title_gold")]
    gold = [scorer.norm_title(d["title_gold"]) for d in docs]
    folds = [fold_of(d["url"], args.folds) for d in docs]
    rows = {field: record(docs, field) for field in FIELDS}
    base = default_ruleset().params
    committed = dict(base)
    n = len(docs)
    for field in FIELDS:
        pairs = list(zip(rows[field], gold, strict=True))
        pipeline = sum(scorer.norm_title(r["title"]) == g for r, g in pairs)
        again = sum(scorer.norm_title(replay(r, committed)) == g for r, g in pairs)
        print(f"{field:<13} committed weights: pipeline {pipeline / n:.4f}, replay {again / n:.4f}")
    points = [dict(zip(WEIGHTS, values, strict=True)) for values in itertools.product(*WEIGHTS.values())]
    # Pages without candidates keep the title they got at every point: replayed once.
    fixed = {field: [int(scorer.norm_title(r["title"]) == g) for r, g in zip(rows[field], gold, strict=True)]
             for field in FIELDS}
    with_cands = {field: [i for i, r in enumerate(rows[field]) if r["cands"]] for field in FIELDS}
    hits = []
    for pt in points:
        params = {**base, **pt}
        row_hits = {field: list(fixed[field]) for field in FIELDS}
        for field in FIELDS:
            for i in with_cands[field]:
                row_hits[field][i] = int(scorer.norm_title(replay(rows[field][i], params)) == gold[i])
        hits.append(row_hits)

    def total(k: int, idx: list[int]) -> int:
        return sum(hits[k][field][i] for field in FIELDS for i in idx)

    everything = list(range(len(docs)))
    best = max(range(len(points)), key=lambda k: total(k, everything))
    oof = dict.fromkeys(FIELDS, 0)
    for fold in range(args.folds):
        train = [i for i in everything if folds[i] != fold]
        k = max(range(len(points)), key=lambda k: total(k, train))
        print(f"fold {fold}: {points[k]}")
        for field in FIELDS:
            oof[field] += sum(hits[k][field][i] for i in everything if folds[i] == fold)
    print(f"all pages: {points[best]}")
    for field in FIELDS:
        inside = sum(hits[best][field]) / n
        print(f"{field:<13} title_exact in sample {inside:.4f}, out of fold (by site) {oof[field] / n:.4f}")
    if args.write:
        write(points[best])
        print(f"wrote {YAML.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
