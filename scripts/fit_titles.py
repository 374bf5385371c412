"""Fit the headline-below thresholds (rules/classifier.yaml) on dev2 titles, cross-validated by site.

    python scripts/fit_titles.py [--shared ../shared] [--grid 0.3 0.45 0.6] [--after 0.6 0.75 0.9] [--folds 5]

`headline_below_min_overlap` (the grid) and `headline_below_after_prose_overlap` (--after): for
every pair, cleans every dev2 page (both inputs) and records whether its title is exact
(`score.py`'s title_exact). Pages are put in `--folds` folds by host (a site is never in two
folds); each fold is scored with the pair that did best on the other folds (both inputs
together), and the out-of-fold title_exact is printed per input, beside the in-sample figures.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate import load_scorer  # noqa: E402

from cleaner import clean  # noqa: E402
from cleaner.engine import default_ruleset  # noqa: E402

PARAM = "headline_below_min_overlap"
AFTER = "headline_below_after_prose_overlap"
FIELDS = ("raw_region", "raw_fullpage")


def fold_of(url: str, folds: int) -> int:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return int(hashlib.sha1(host.encode()).hexdigest(), 16) % folds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--grid", nargs="+", type=float, default=[0.35, 0.4, 0.45, 0.5])
    ap.add_argument("--after", nargs="+", type=float, default=[0.6, 0.75, 0.9])
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    shared = Path(args.shared)
    scorer = load_scorer(shared)
    with open(shared / "data" / "dev2.jsonl", encoding="utf-8") as f:
        docs = [d for d in map(json.loads, f) if d.get("title_gold")]
    folds = [fold_of(d["url"], args.folds) for d in docs]
    base = default_ruleset()
    pairs = [(v, a) for v in args.grid for a in args.after if a >= v]
    hits: dict[tuple[str, tuple[float, float]], list[int]] = {}
    for pair in pairs:
        rs = copy.copy(base)
        rs.params = {**base.params, PARAM: pair[0], AFTER: pair[1]}
        for field in FIELDS:
            hits[field, pair] = [
                int(
                    scorer.norm_title(d["title_gold"])
                    == scorer.norm_title(clean(d[field], url=d["url"], ruleset=rs).title)
                )
                for d in docs
            ]
        shares = "  ".join(f"{field} {sum(hits[field, pair]) / len(docs):.4f}" for field in FIELDS)
        print(f"{PARAM} {pair[0]:<5} {AFTER} {pair[1]:<5} in-sample title_exact {shares}", flush=True)
    oof = dict.fromkeys(FIELDS, 0)
    chosen = []
    for k in range(args.folds):
        train = [i for i, f in enumerate(folds) if f != k]
        best = max(pairs, key=lambda pr: sum(hits[field, pr][i] for field in FIELDS for i in train))
        chosen.append(best)
        for field in FIELDS:
            oof[field] += sum(hits[field, best][i] for i, f in enumerate(folds) if f == k)
    for field in FIELDS:
        print(f"{field:<13} out-of-fold title_exact {oof[field] / len(docs):.4f}")
    print(f"pairs chosen per fold: {chosen}")


if __name__ == "__main__":
    main()
