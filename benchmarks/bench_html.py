"""HTML mode against trafilatura on the same dev pages, in one run.

    python benchmarks/bench_html.py [--shared ../shared] [--set dev dev2] [--bootstrap 2000] [--folds]

For each set (default dev and dev2), in one run on the same pages: aeb_macro P/R/F1 and docs/s
(CPU time, one core) of `clean(html=...)` in its `precise` mode (trafilatura's main-content
view as a second opinion) and its fast mode (`precise=False`), and of
`trafilatura.extract(include_comments=False)`; the 95% paired bootstrap interval of each
mode's F1 minus trafilatura's (pages resampled, the same pages for both); caption recall on
dev-captions.jsonl; then the aims of issue 12 (fast mode >= 2x trafilatura's docs/s and F1 >=
trafilatura's + 0.01 on each set), met or not. With `--folds`, also the site-fold
cross-validated F1 of the HTML parameters in rules/html.yaml (both modes').
Not collected by pytest; needs ../shared (the dev set and scorer).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _evaluate_module():
    spec = importlib.util.spec_from_file_location("evaluate_html", ROOT / "scripts" / "evaluate_html.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--bootstrap", type=int, default=2000)
    ap.add_argument("--set", nargs="+", default=["dev", "dev2"], choices=("dev", "dev2"))
    ap.add_argument("--folds", action="store_true", help="also cross-validate the HTML parameters by site")
    args = ap.parse_args()
    shared = Path(args.shared)
    if not (shared / "data" / "dev-html.jsonl.gz").is_file():
        print(f"needs the shared dev set at {shared / 'data'} (absent here)", file=sys.stderr)
        return 2
    ev = _evaluate_module()
    aims = []
    for name in args.set:
        res = ev.evaluate(shared, bootstrap=args.bootstrap, name=name)
        ev.report(res)
        print()
        t, f = res["trafilatura"], res["fast"]
        speed = res["docs_per_s"]["fast"] / res["docs_per_s"]["trafilatura"]
        aims.append(f"{name}: fast mode {speed:.2f}x trafilatura's docs/s (aim 2x: "
                    f"{'met' if speed >= 2 else 'NOT met'}), F1 {f['f1']:.4f} vs trafilatura's "
                    f"{t['f1']:.4f} + 0.01 (aim: {'met' if f['f1'] >= t['f1'] + 0.01 else 'NOT met'})")
    print("issue 12 aims:")
    for line in aims:
        print("  " + line)
    if args.folds:
        ev.report_folds(ev.cross_validate(shared))
        for name in args.set:
            ev.report_folds(ev.cross_validate(shared, fast=True, name=name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
