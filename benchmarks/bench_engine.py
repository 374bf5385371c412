"""Speed of the engine on the dev set, single process, beside trafilatura fed the same text.

    .venv/bin/python benchmarks/bench_engine.py [--shared ../shared] [--set dev|dev2] [--repeat 5] [--cpu 0]

For each input (`raw_region`, `raw_fullpage`) it cleans the 80 dev pages `--repeat` times and
prints the median docs/s and MB/s (MB = 10^6 bytes of UTF-8 input). trafilatura only takes
HTML, so it gets the same text as one `<p>` per line (HTML-escaped), built before the clock
starts, with `extract(..., include_comments=False)`. Both are scored with the shared scorer,
so the speed is read beside the accuracy. The pure-Python build of the core (the fallback where
the compiled one is not built; `CLEANER_PURE_PYTHON=1`) is timed in a subprocess on the same
pages and printed beside the loaded build (`--no-pure` skips it). `--set dev+dev2` times both sets
as one. `--profile` adds a cProfile of one engine pass over both inputs (of the pure-Python
modules, the ones cProfile can see into, when run with CLEANER_PURE_PYTHON=1).
Aim (issue 12): 3,000 docs/s on raw_region and 1,500 on raw_fullpage of dev + dev2, on one core,
and at least 7x trafilatura fed the same lines. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import cProfile
import html
import importlib.util
import io
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleaner import build, clean, default_ruleset  # noqa: E402

FIELDS = ("raw_region", "raw_fullpage")
AIMS = {"raw_region": 3000, "raw_fullpage": 1500}  # docs/s on one core (issue 12)
TRAFILATURA_AIM = 7  # times trafilatura's docs/s on the same lines
_LINE_END = re.compile(r"\r\n|\r|\n")


def as_paragraphs(text: str) -> str:
    """The text as HTML, one `<p>` per non-blank line: the only way trafilatura takes text."""
    paras = "".join(f"<p>{html.escape(s.strip())}</p>\n" for s in _LINE_END.split(text) if s.strip())
    return f"<html><body><article>\n{paras}</article></body></html>"


def timed(fn: Callable[[Any], str], inputs: list[Any], repeat: int) -> tuple[float, float, list[str]]:
    """Median wall and CPU seconds of `repeat` passes of `fn` over `inputs`, and the last outputs.

    CPU time (this process) is what one core does: on a busy machine wall time also counts
    the time the process waited for the core.
    """
    walls, cpus = [], []
    outs: list[str] = []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        outs = [fn(x) for x in inputs]
        cpus.append(time.process_time() - c0)
        walls.append(time.perf_counter() - w0)
    return statistics.median(walls), statistics.median(cpus), outs


def load_scorer(shared: Path):
    path = shared / "eval" / "score.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("aeb_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def f1_of(scorer, docs: list[dict], outs: list[str]) -> float | None:
    if scorer is None:
        return None
    scored = [scorer.score_doc(d["body_gold"], out or "") for d, out in zip(docs, outs, strict=True)]
    return scorer.aeb_macro([s["aeb_norm"] for s in scored])[2]


def record(
    results: dict, name: str, field: str, secs: tuple[float, float], docs: list, mb: float, f1: float | None
) -> None:
    """Keep one measurement (wall, cpu seconds) and print its row."""
    wall, cpu = secs
    n = len(docs)
    results[f"{name}.{field}"] = {"docs_per_s": n / cpu, "mb_per_s": mb / cpu, "wall_docs_per_s": n / wall,
                                  "f1": f1}
    f1s = f"{f1:.4f}" if f1 is not None else "-"
    speed = f"{n / cpu:>9,.0f} {mb / cpu:>7.2f} {cpu * 1000 / n:>8.2f} {n / wall:>9,.0f}"
    print(f"{name:<12} {field:<13} {speed}  {f1s}", flush=True)


def profile(docs: list[dict], top: int) -> None:
    prof = cProfile.Profile()
    prof.enable()
    for field in FIELDS:
        for d in docs:
            clean(d[field], url=d.get("url"))
    prof.disable()
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(top)
        text = buf.getvalue()
        print(f"\n--- cProfile, one pass over both inputs, top {top} by {key} ---")
        print(text[text.find("   ncalls"):].rstrip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=5, help="passes over the dev set (median reported)")
    ap.add_argument("--trafilatura-repeat", type=int, default=3)
    ap.add_argument("--no-trafilatura", action="store_true")
    ap.add_argument("--cpu", type=int, help="pin the process to this core (Linux)")
    ap.add_argument("--profile", action="store_true", help="also print a cProfile of the engine")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--set", default="dev",
                    help="dev (80 pages), dev2 (440 pages, WCXB / Murrough Foley) or dev+dev2")
    ap.add_argument("--no-pure", action="store_true", help="skip the pure-Python build's figures")
    ap.add_argument("--engine-json", action="store_true", help=argparse.SUPPRESS)  # the subprocess's mode
    args = ap.parse_args()

    docs: list[dict] = []
    for name in args.set.split("+"):
        data = args.shared / "data" / f"{name}.jsonl"
        if not data.is_file():
            sys.exit(f"bench_engine: no dev set at {data}")
        with open(data, encoding="utf-8") as f:
            docs += [json.loads(line) for line in f]
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    scorer = None if args.engine_json else load_scorer(args.shared)
    default_ruleset()  # load and compile the rules before the clock starts
    kind = build()["kind"]
    if args.engine_json:  # the pure-Python subprocess: times only, as JSON
        out = {}
        for field in FIELDS:
            pairs = [(d[field], d.get("url")) for d in docs]
            out[field] = timed(lambda p: clean(p[0], url=p[1]).text, pairs, args.repeat)[:2]
        print(json.dumps({"kind": kind, "secs": out}))
        return

    print(f"{len(docs)} {args.set} docs, single process (pid {os.getpid()}), median of the passes")
    print("docs/s, MB/s and ms/doc on CPU time of this process; wall docs/s beside (MB = 10^6 bytes)")
    print(f"cleaner: the {kind} core; cleaner-py: the pure-Python build (CLEANER_PURE_PYTHON=1)")
    print(f"{'engine':<12} {'input':<13} {'docs/s':>9} {'MB/s':>7} {'ms/doc':>8} {'wall d/s':>9}  aeb F1")
    results: dict[str, dict] = {}
    for field in FIELDS:
        texts = [d[field] for d in docs]
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        pairs = [(t, d.get("url")) for t, d in zip(texts, docs, strict=True)]
        wall, cpu, outs = timed(lambda p: clean(p[0], url=p[1]).text, pairs, args.repeat)
        record(results, "cleaner", field, (wall, cpu), docs, mb, f1_of(scorer, docs, outs))
    if not args.no_pure and kind != "pure-python":
        cmd = [sys.executable, __file__, "--engine-json", "--shared", str(args.shared), "--set", args.set,
               "--repeat", str(max(1, min(args.repeat, 3)))]
        if args.cpu is not None:
            cmd += ["--cpu", str(args.cpu)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True,
                              env={**os.environ, "CLEANER_PURE_PYTHON": "1"})
        pure = json.loads(proc.stdout)
        assert pure["kind"] == "pure-python", pure["kind"]
        for field in FIELDS:
            mb = sum(len(d[field].encode("utf-8")) for d in docs) / 1e6
            record(results, "cleaner-py", field, tuple(pure["secs"][field]), docs, mb, None)
        for field in FIELDS:
            ratio = results[f"cleaner.{field}"]["docs_per_s"] / results[f"cleaner-py.{field}"]["docs_per_s"]
            print(f"the {kind} core is {ratio:.2f}x the pure-Python one on {field}")
    if not args.no_trafilatura:
        import trafilatura

        for field in FIELDS:
            texts = [d[field] for d in docs]
            mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
            pages = [as_paragraphs(t) for t in texts]
            wall, cpu, outs = timed(
                lambda h: trafilatura.extract(h, include_comments=False) or "", pages, args.trafilatura_repeat
            )
            record(results, "trafilatura", field, (wall, cpu), docs, mb, f1_of(scorer, docs, outs))
        for field in FIELDS:
            ratio = results[f"cleaner.{field}"]["docs_per_s"] / results[f"trafilatura.{field}"]["docs_per_s"]
            print(f"cleaner is {ratio:.1f}x trafilatura's speed on {field} (aim: {TRAFILATURA_AIM}x)")
    for field, aim in AIMS.items():
        got = results[f"cleaner.{field}"]["docs_per_s"]
        print(f"aim {field}: {aim:,} docs/s -> {got:,.0f} ({'met' if got >= aim else 'NOT met'})")
    if args.profile:
        profile(docs, args.top)


if __name__ == "__main__":
    main()
