"""Fit `headline_below_min_overlap` (rules/classifier.yaml) on dev2 titles, cross-validated by site.

    python scripts/fit_titles.py [--shared ../shared] [--grid 0.2 0.3 0.45 0.6 0.75] [--folds 5]

For every value of the grid, cleans every dev2 page (both inputs) and records whether its title
is exact (`score.py`'s title_exact). Pages are put in `--folds` folds by host (a site is never in
two folds); each fold is scored with the value that did best on the other folds, and the
out-of-fold title_exact is printed per input, beside the in-sample figure of each value.
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
FIELDS = ("raw_region", "raw_fullpage")


def fold_of(url: str, folds: int) -> int:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return int(hashlib.sha1(host.encode()).hexdigest(), 16) % folds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--grid", nargs="+", type=float, default=[0.2, 0.3, 0.45, 0.6, 0.75])
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    shared = Path(args.shared)
    scorer = load_scorer(shared)
    with open(shared / "data" / "dev2.jsonl", encoding="utf-8") as f:
        docs = [d for d in map(json.loads, f) if d.get("title_gold")]
    folds = [fold_of(d["url"], args.folds) for d in docs]
    base = default_ruleset()
    for field in FIELDS:
        hits: dict[float, list[int]] = {}
        for value in args.grid:
            rs = copy.copy(base)
            rs.params = {**base.params, PARAM: value}
            hits[value] = [
                int(
                    scorer.norm_title(d["title_gold"])
                    == scorer.norm_title(clean(d[field], url=d["url"], ruleset=rs).title)
                )
                for d in docs
            ]
            share = sum(hits[value]) / len(docs)
            print(f"{field:<13} {PARAM} {value:<5} in-sample title_exact {share:.4f}", flush=True)
        oof = 0
        chosen = []
        for k in range(args.folds):
            train = [i for i, f in enumerate(folds) if f != k]
            best = max(args.grid, key=lambda v: (sum(hits[v][i] for i in train), -abs(v - args.grid[0])))
            chosen.append(best)
            oof += sum(hits[best][i] for i, f in enumerate(folds) if f == k)
        print(f"{field:<13} out-of-fold title_exact {oof / len(docs):.4f} (values chosen per fold: {chosen})")


if __name__ == "__main__":
    main()
