"""Clean the dev set's HTML and score it against trafilatura's own extraction on the same pages.

    python scripts/evaluate_html.py [--shared ../shared] [--set dev|dev2] [--per-doc FILE.tsv]
                                    [--folds [--fast]]

Prints aeb_macro P/R/F1 and docs/s (CPU time) of HTML mode in both its modes, `precise`
(trafilatura's main-content view as a second opinion) and `fast` (`precise=False`: the
markup's own main-content container, cleaner/html/main.py), and of
`trafilatura.extract(include_comments=False)`, in one run on the same pages; the 95% paired
bootstrap interval of each mode's F1 minus trafilatura's; caption recall / leak on
dev-captions.jsonl (the default mode). With --folds, the site-fold (5 folds by host)
cross-validated F1 of the HTML parameters of the precise mode, or with --fast of the fast
mode's `html_main_*` parameters (on the --set pages). The scores are computed by
`../shared/eval/score.py` (imported, not copied).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import CleanerError, clean  # noqa: E402
from cleaner.core.pipeline import host_of  # noqa: E402
from cleaner.engine import PRECISE_DEFAULT  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evaluate import caption_recall, load_scorer  # noqa: E402


def load_pages(shared: Path, name: str = "dev") -> list[dict]:
    """`name`.jsonl records joined with their HTML on `id` (pages without HTML are left out)."""
    data = shared / "data"
    with gzip.open(data / f"{name}-html.jsonl.gz", "rt", encoding="utf-8") as f:
        html = {r["id"]: r["html"] for r in map(json.loads, f)}
    with open(data / f"{name}.jsonl", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    return [{**d, "html": html[d["id"]]} for d in docs if d["id"] in html]


def load_captions(shared: Path) -> dict[str, list[str]]:
    path = shared / "data" / "dev-captions.jsonl"
    if not path.exists():
        return {}
    return {r["id"]: r["captions"] for r in map(json.loads, open(path, encoding="utf-8"))}


MODES = {"precise": True, "fast": False}  # HTML mode's two modes: clean(precise=...)
DEFAULT_MODE = "precise" if PRECISE_DEFAULT else "fast"


def run_cleaner(pages: list[dict], precise: bool | None = None, ruleset=None) -> tuple[dict, float]:
    """{id: CleanResult or None (an error)}, and the CPU seconds it took."""
    out = {}
    t0 = time.process_time()
    for d in pages:
        try:
            out[d["id"]] = clean(html=d["html"], url=d.get("url"), precise=precise, ruleset=ruleset)
        except CleanerError as exc:
            print(f"error on {d['url']}: {exc}", file=sys.stderr)
            out[d["id"]] = None
    return out, time.process_time() - t0


def run_trafilatura(pages: list[dict]) -> tuple[dict, float]:
    """{id: text} of `trafilatura.extract(include_comments=False)`, and the CPU seconds it took."""
    import trafilatura

    out = {}
    t0 = time.process_time()
    for d in pages:
        out[d["id"]] = trafilatura.extract(d["html"], url=d.get("url"), include_comments=False) or ""
    return out, time.process_time() - t0


def paired_bootstrap(scorer, a: list, b: list, n: int = 2000, seed: int = 7) -> tuple[float, float]:
    """95% interval of aeb_macro F1(a) - F1(b), resampling pages (the same pages for both)."""
    import random

    rng = random.Random(seed)
    k = len(a)
    diffs = []
    for _ in range(n):
        idx = [rng.randrange(k) for _ in range(k)]
        diffs.append(scorer.aeb_macro([a[i] for i in idx])[2] - scorer.aeb_macro([b[i] for i in idx])[2])
    diffs.sort()
    if not diffs:  # --bootstrap 0: no interval
        return float("nan"), float("nan")
    return diffs[int(0.025 * n)], diffs[max(0, int(0.975 * n) - 1)]


def evaluate(shared: Path, per_doc: Path | None = None, bootstrap: int = 2000, name: str = "dev",
             modes: tuple[str, ...] = tuple(MODES)) -> dict:
    """HTML mode (each of `modes`) and trafilatura on the same pages: F1s, bootstrap intervals,
    docs/s, caption recall. `out["html"]` is the default mode's figures."""
    scorer = load_scorer(shared)
    pages = load_pages(shared, name)
    theirs, t_theirs = run_trafilatura(pages)
    s_theirs = [scorer.score_doc(d["body_gold"], theirs[d["id"]]) for d in pages]
    b = [s["aeb_norm"] for s in s_theirs]
    out: dict = {
        "pages": len(pages), "set": name, "modes": list(modes), "default": DEFAULT_MODE,
        "trafilatura": dict(zip(("p", "r", "f1"), scorer.aeb_macro(b), strict=True)),
        "docs_per_s": {"trafilatura": len(pages) / t_theirs}, "diff_ci95": {}, "errors": {},
    }
    per_mode = {}
    for mode in modes:
        ours, t_ours = run_cleaner(pages, MODES[mode])
        texts = [ours[d["id"]].text if ours[d["id"]] else "" for d in pages]
        s_ours = [scorer.score_doc(d["body_gold"], t) for d, t in zip(pages, texts, strict=True)]
        a = [s["aeb_norm"] for s in s_ours]
        out[mode] = dict(zip(("p", "r", "f1"), scorer.aeb_macro(a), strict=True))
        out["docs_per_s"][mode] = len(pages) / t_ours
        out["diff_ci95"][mode] = paired_bootstrap(scorer, a, b, bootstrap)
        out["errors"][mode] = sum(1 for v in ours.values() if v is None)
        per_mode[mode] = (ours, s_ours)
    shown = DEFAULT_MODE if DEFAULT_MODE in per_mode else modes[0]
    out["html"] = out[shown]
    out["docs_per_s"]["html"] = out["docs_per_s"][shown]
    caps = {k: v for k, v in load_captions(shared).items() if k in per_mode[shown][0]}  # dev's only
    out["captions"] = caption_recall(per_mode[shown][0], caps) if caps else None
    by_site: dict[str, list[int]] = {}
    for i, d in enumerate(pages):
        by_site.setdefault(host_of(d["url"]) or "?", []).append(i)
    out["sites"] = len(by_site)
    if per_doc is not None:
        s_ours = per_mode[shown][1]
        rows = sorted(
            zip(pages, s_ours, s_theirs, strict=True),
            key=lambda x: sum((x[1][k] or 0) - (x[2][k] or 0) for k in ("aeb_p", "aeb_r")),
        )
        with open(per_doc, "w", encoding="utf-8") as f:
            f.write("id\turl\tP\tR\ttraf_P\ttraf_R\n")
            for d, so, st in rows:
                f.write(f"{d['id']}\t{d['url']}\t{so['aeb_p']}\t{so['aeb_r']}\t{st['aeb_p']}\t{st['aeb_r']}\n")
    return out


GRID = {
    "html_revise_max_link_density": (0.5, 0.7, 1.0),
    "html_story_box_share": (0.7, 0.85, 0.95),
    "html_link_paragraph_density": (0.8, 0.9, 1.01),
}
# The fast mode's main-content container (cleaner/html/main.py).
GRID_FAST = {
    "html_main_descend_share": (0.5, 0.6, 0.7),
    "html_main_landmark_share": (0.1, 0.3, 2.0),  # 2.0: no landmark
    "html_main_landmark_descend_share": (0.75, 0.9, 2.0),
}


def cross_validate(shared: Path, k: int = 5, fast: bool = False, name: str = "dev") -> dict:
    """Site-fold cross-validation of the HTML parameters (GRID, or with `fast` GRID_FAST in the
    fast mode): for each fold, the grid point that scores best on the other folds' pages is
    scored on the fold's pages (no site in both)."""
    import itertools

    import cleaner.html.input as hi
    from cleaner import load_ruleset

    grid = GRID_FAST if fast else GRID
    scorer = load_scorer(shared)
    pages = load_pages(shared, name)
    sites = sorted({host_of(d["url"]) or "?" for d in pages})
    fold_of_site = {s: i % k for i, s in enumerate(sites)}
    folds = [fold_of_site[host_of(d["url"]) or "?"] for d in pages]
    ruleset = load_ruleset([])
    shipped = dict(ruleset.params)
    memo: dict[tuple[str, str | None], tuple] = {}
    original = hi.trafilatura_view

    def cached(html, tree, url):  # trafilatura's view does not depend on the grid
        key = (html, url)
        if key not in memo:
            memo[key] = original(html, tree, url)
        return memo[key]

    hi.trafilatura_view = cached
    norms: dict[tuple, list] = {}
    try:
        names = list(grid)
        for values in itertools.product(*(grid[n] for n in names)):
            ruleset.params.clear()
            ruleset.params.update(shipped)
            ruleset.params.update(dict(zip(names, values, strict=True)))
            row = []
            for d in pages:
                try:
                    text = clean(html=d["html"], url=d.get("url"), ruleset=ruleset, precise=not fast).text
                except CleanerError:
                    text = ""
                row.append(scorer.score_doc(d["body_gold"], text)["aeb_norm"])
            norms[values] = row
    finally:
        hi.trafilatura_view = original
        ruleset.params.clear()
        ruleset.params.update(shipped)
    pooled: list = [None] * len(pages)
    chosen = []
    for f in range(k):
        train = [i for i in range(len(pages)) if folds[i] != f]
        best = max(norms, key=lambda v: scorer.aeb_macro([norms[v][i] for i in train])[2])
        chosen.append(dict(zip(grid, best, strict=True)))
        for i in range(len(pages)):
            if folds[i] == f:
                pooled[i] = norms[best][i]
    ship_key = tuple(shipped.get(n, grid[n][0]) for n in grid)
    return {
        "k": k,
        "grid": list(grid),
        "set": name,
        "sites": len(sites),
        "cv": dict(zip(("p", "r", "f1"), scorer.aeb_macro(pooled), strict=True)),
        "shipped": dict(zip(("p", "r", "f1"), scorer.aeb_macro(norms[ship_key]), strict=True))
        if ship_key in norms else None,
        "chosen": chosen,
        "grid_f1": {v: scorer.aeb_macro(n)[2] for v, n in norms.items()},
    }


def report(res: dict) -> None:
    """Print what `evaluate` measured."""
    t = res["docs_per_s"]["trafilatura"]
    print(f"{res['pages']} {res['set']} pages ({res['sites']} sites); docs/s in CPU time; "
          f"default mode: {res['default']}")
    for name in (*res["modes"], "trafilatura"):
        s = res[name]
        speed = res["docs_per_s"][name]
        label = f"html {name}" if name != "trafilatura" else name
        print(f"{label:<14} aeb_macro P {s['p']:.4f} R {s['r']:.4f} F1 {s['f1']:.4f}"
              f"  {speed:6.1f} docs/s ({speed / t:.2f}x trafilatura)")
    for mode in res["modes"]:
        lo, hi = res["diff_ci95"][mode]
        print(f"F1 difference (html {mode} - trafilatura) 95% paired bootstrap: [{lo:+.4f}, {hi:+.4f}]")
    c = res["captions"]
    if c is not None:
        print(f"captions     n {c['n']} recall {c['recall']:.3f} (exact strings {c['recall_exact']:.3f})"
              f" leak into text {c['leak']:.3f}")
    for mode, n in res["errors"].items():
        if n:
            print(f"errors       {mode}: {n}")


def report_folds(cv: dict) -> None:
    """Print what `cross_validate` measured."""
    s = cv["cv"]
    print(f"site-fold CV on {cv['set']} ({cv['k']} folds, {cv['sites']} sites) of {', '.join(cv['grid'])}:")
    print(f"  cross-validated aeb_macro P {s['p']:.4f} R {s['r']:.4f} F1 {s['f1']:.4f}")
    if cv["shipped"]:
        t = cv["shipped"]
        print(f"  shipped params, in sample  P {t['p']:.4f} R {t['r']:.4f} F1 {t['f1']:.4f}")
    for f, c in enumerate(cv["chosen"]):
        print(f"  fold {f}: chose {c}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--set", default="dev", choices=("dev", "dev2"),
                    help="the dev set (dev2: WCXB / Murrough Foley, CC-BY-4.0)")
    ap.add_argument("--per-doc", type=Path)
    ap.add_argument("--bootstrap", type=int, default=2000)
    ap.add_argument("--folds", action="store_true", help="also cross-validate the HTML parameters by site")
    ap.add_argument("--fast", action="store_true", help="with --folds: the fast mode's parameters")
    ap.add_argument("--folds-only", action="store_true", help="with --folds: skip the evaluation run")
    args = ap.parse_args()
    if not args.folds_only:
        report(evaluate(Path(args.shared), args.per_doc, args.bootstrap, args.set))
    if args.folds:
        report_folds(cross_validate(Path(args.shared), fast=args.fast, name=args.set))


if __name__ == "__main__":
    main()
