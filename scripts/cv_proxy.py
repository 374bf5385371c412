"""A quick cross-validated proxy of the story model, for trying fitting settings before a full --cv.

    python scripts/cv_proxy.py [--shared ../shared] [--trees 40] [--depth 3] [--rate 0.4] [--limit N]

Collects the story model's columns of every dev/dev2 input once (`fit_engine.collect`, about
20 s compiled), then per site fold (the folds of `scripts/evaluate.py --cv`) fits pass one and
pass two on the other folds' sites (`fit_engine.fit`, one round: no re-cleaned inputs) and scores
the held-out pages by the fitting script's token F1 after decoding (`fit_engine._page_f1`; not the
shared scorer, and without the steps after the model: gap filling, the second look). Prints the
mean per set and input and how many pages fall below 0.5. It took 3-6 minutes where the full
--cv takes 12-19, and it tracked it within about 0.002 on dev2 (2026-12-03: proxy dev2 region
0.9406, full page 0.9239; --cv 0.9399, 0.9216). Use it to rank candidates; report --cv figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import load_ruleset  # noqa: E402
from cleaner.core import story  # noqa: E402


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def emissions(fit, model: dict, row: dict) -> np.ndarray:
    """Pass two's log-odds of every block of one input, with a fitted model."""
    p = {k: v[0] for k, v in fit.FIXED.items()} | model["params"]
    tm = model["trees"]
    logit1 = tm.base + fit.tree_values(row["x1"], [tuple(map(np.array, t)) for t in tm.trees])
    c2 = story.second_columns(list(logit1), p)
    x2 = np.array([[c2[f][i] for f in story.FEATURES_2] for i in range(len(logit1))])
    return x2 @ np.array([p[f"story2_{f}"] for f in story.FEATURES_2])


def proxy(fit, ev, rows: list[dict], sets: dict[str, str]) -> dict[tuple[str, str], list[float]]:
    """Held-out token F1 of every input, by (set, input field)."""
    out: dict[tuple[str, str], list[float]] = {}
    for k in range(ev.FOLDS):
        model = fit.fit([r for r in rows if ev.fold_of(r["url"]) != k])
        cost = model["params"]["story_switch_cost"]
        for r in (r for r in rows if ev.fold_of(r["url"]) == k):
            keep = np.array(story.decode(list(emissions(fit, model, r)), list(r["fixed"]), cost))
            keep = np.where(r["fixed"], r["kept"], keep)
            out.setdefault((sets[r["id"]], r["field"]), []).append(fit._page_f1(r, keep))
        print(f"fold {k} scored", file=sys.stderr, flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    fit, ev = _load("fit_engine"), _load("evaluate")
    ap.add_argument("--trees", type=int, default=fit.TREES)
    ap.add_argument("--depth", type=int, default=fit.DEPTH)
    ap.add_argument("--rate", type=float, default=fit.RATE)
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages (a smoke run)")
    args = ap.parse_args()
    fit.TREES, fit.DEPTH, fit.RATE = args.trees, args.depth, args.rate
    docs = fit.load_docs(Path(args.shared))
    docs = docs[: args.limit] if args.limit else docs
    sets = {d["id"]: d.get("split") or "?" for d in docs}
    rows = fit.collect(docs, load_ruleset())
    res = proxy(fit, ev, rows, sets)
    print(f"trees {args.trees} depth {args.depth} rate {args.rate} (token F1, held out by site)")
    for (name, field), f1s in sorted(res.items()):
        low = sum(f < 0.5 for f in f1s)
        print(f"{name}.{field:<14} {np.mean(f1s):.4f}  below 0.5: {low} of {len(f1s)}")


if __name__ == "__main__":
    main()
