"""HTML mode against trafilatura on the same dev pages, in one run.

    python benchmarks/bench_html.py [--shared ../shared] [--bootstrap 2000] [--folds]

Prints aeb_macro P/R/F1 of `clean(html=...)` and of `trafilatura.extract(include_comments=False)`,
the 95% paired bootstrap interval of their F1 difference (pages resampled, the same pages for
both), docs/s of each, and caption recall on dev-captions.jsonl. With `--folds`, also the
site-fold cross-validated F1 of the HTML parameters in rules/html.yaml.
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
    ap.add_argument("--folds", action="store_true", help="also cross-validate the HTML parameters by site")
    args = ap.parse_args()
    shared = Path(args.shared)
    if not (shared / "data" / "dev-html.jsonl.gz").is_file():
        print(f"needs the shared dev set at {shared / 'data'} (absent here)", file=sys.stderr)
        return 2
    ev = _evaluate_module()
    res = ev.evaluate(shared, bootstrap=args.bootstrap)
    ev.report(res)
    if args.folds:
        ev.report_folds(ev.cross_validate(shared))
    return 0


if __name__ == "__main__":
    sys.exit(main())
