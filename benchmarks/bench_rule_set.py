"""The RE2 Set's memory budget: us per block and resident-set growth for a few budgets.

    .venv/bin/python benchmarks/bench_rule_set.py [--shared ../shared] [--mib 32 64 96 128 256] [--repeat 5]

Each budget runs in a fresh process (the DFA cache and the resident set start empty): the
built-in rules' Set matched against every block of dev and dev2 (both inputs), `--repeat`
times, and the last pass timed (warm). `ruleset.SET_MAX_MEM` is chosen from this. Not collected
by pytest.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def one(shared: Path, mib: int, repeat: int) -> str:
    import cleaner.ruleset as rs_mod
    from cleaner import load_ruleset
    from cleaner.core.segment import segment_text

    texts = []
    for name in ("dev", "dev2"):
        with open(shared / "data" / f"{name}.jsonl", encoding="utf-8") as f:
            for d in map(json.loads, f):
                texts += [b.text for field in ("raw_region", "raw_fullpage") for b in segment_text(d[field])]
    patterns = [r.pattern for r in load_ruleset().rules]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rs_mod.SET_MAX_MEM = mib << 20
    rset = rs_mod._compile_set(patterns)
    spent = 0.0
    for _ in range(repeat):
        t0 = time.process_time()
        for text in texts:
            rset.Match(text)
        spent = time.process_time() - t0
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    per_block = spent / len(texts) * 1e6
    return f"{mib:>5} MiB  {per_block:6.2f} us/block  resident +{grown:.0f} MiB  ({len(texts)} blocks)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--mib", type=int, nargs="+", default=[32, 64, 96, 128, 256])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(one(Path(args.shared), args.one, args.repeat))
        return
    for mib in args.mib:
        subprocess.run([sys.executable, __file__, "--shared", args.shared, "--repeat", str(args.repeat),
                        "--one", str(mib)], check=True)


if __name__ == "__main__":
    main()
