"""Bounded fuzzing of `clean()` with hypothesis: arbitrary text, generated tag soup, and mutated
dev documents (text and HTML), on every CPU core, for a fixed time.

    .venv/bin/python benchmarks/fuzz_engine.py [--seconds 60] [--procs 2] [--budget 2] [--out fuzz-crashes]

A run is one `clean()` call. A typed error (`CleanerError`: 4xx/422 on the API) is a normal
outcome; anything else, or a call that runs past 2x its budget, is a crash: its input is
written to `--out` and counted. Prints "N runs, M crashes (K slow), X s" and exits 1 on any
crash. The whole script stops within `--seconds` (start-up included): near the end each run
gets the budget that still fits (half the time left), none starts in the last 0.3 s, and a
process still busy at the end is killed and counted as a crash. Every crash this finds becomes
a regression test (tests/test_budget.py for slow inputs, tests/test_hostile.py for requests);
none so far (5,100 runs in 60 s on 2 cores, 2026-12-01).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import multiprocessing as mp
import sys
import time
import traceback
from pathlib import Path
from queue import Empty

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
TAGS = ["p", "div", "span", "a", "h1", "h2", "li", "ul", "table", "td", "tr", "script", "style", "br",
        "article", "main", "nav", "footer", "figure", "figcaption", "time", "meta", "title", "!--", "svg"]


def _dev_docs(limit: int = 40) -> list[tuple[str, str]]:
    docs: list[tuple[str, str]] = []
    if (DATA / "dev.jsonl").is_file():
        with open(DATA / "dev.jsonl", encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i >= limit:
                    break
                docs.append(("text", json.loads(line)["raw_region"]))
    if (DATA / "dev-html.jsonl.gz").is_file():
        with gzip.open(DATA / "dev-html.jsonl.gz", "rt", encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i >= limit // 4:
                    break
                docs.append(("html", json.loads(line)["html"][:200_000]))
    return docs or [("text", "Title\n\nThe council voted on Tuesday to repair the old bridge.")]


def worker(index: int, end: float, budget: float, out: str, queue) -> None:
    """Fuzz until `end` (a `time.monotonic()` instant, shared by the processes on Linux)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from cleaner import clean
    from cleaner.config import Settings
    from cleaner.engine import default_ruleset
    from cleaner.errors import CleanerError

    rs = default_ruleset()
    docs = _dev_docs()
    runs = crashes = slow = 0

    attr = st.tuples(st.sampled_from(["class", "id", "href", "style", "lang", "charset", "x"]),
                     st.text(max_size=30))
    tag = st.builds(lambda t, attrs, inner: f"<{t} " + " ".join(f'{k}="{v}"' for k, v in attrs) + f">{inner}",
                    st.sampled_from(TAGS), st.lists(attr, max_size=4), st.text(max_size=80))
    soup = st.lists(st.one_of(tag, st.sampled_from([f"</{t}>" for t in TAGS]), st.text(max_size=40)),
                    max_size=60).map("".join)
    mutation = st.tuples(st.integers(0, 10**6), st.integers(0, 400), st.text(max_size=50),
                         st.sampled_from(["insert", "delete", "repeat"]))

    def mutate(doc: tuple[str, str], muts) -> tuple[str, str]:
        kind, body = doc
        for pos, n, text, op in muts:
            p = pos % (len(body) + 1)
            if op == "insert":
                body = body[:p] + text + body[p:]
            elif op == "delete":
                body = body[:p] + body[p + n:]
            else:
                body = body[:p] + body[p:p + n] * 20 + body[p:]
        return kind, body

    case = st.one_of(
        st.tuples(st.just("text"), st.text(max_size=3000)),
        st.tuples(st.just("html"), soup),
        st.builds(mutate, st.sampled_from(docs), st.lists(mutation, max_size=6)),
    )

    def record(kind: str, body: str, why: str) -> None:
        digest = hashlib.sha1(body.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        Path(out).mkdir(parents=True, exist_ok=True)
        path = Path(out) / f"{kind}-{digest}.json"
        path.write_text(json.dumps({"kind": kind, "input": body, "why": why}, ensure_ascii=True))

    # Few examples a call, so that the loop below looks at the clock often.
    @settings(max_examples=10, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(case)
    def one(doc: tuple[str, str]) -> None:
        nonlocal runs, crashes, slow
        t0 = time.monotonic()
        left = end - t0
        if left < 0.3:
            return  # hypothesis draws the rest of this call's examples; none is run
        run_budget = min(budget, (left - 0.1) / 2)  # even a run at 2x its budget ends in time
        kind, body = doc
        runs += 1
        try:
            clean(**{kind: body}, ruleset=rs, settings=Settings(timeout_s=run_budget))
        except CleanerError:
            pass
        except Exception:
            crashes += 1
            record(kind, body, traceback.format_exc())
        took = time.monotonic() - t0
        if took > 2 * run_budget:
            crashes += 1
            slow += 1
            record(kind, body, f"ran {took:.1f} s, over 2x the {run_budget:.2f} s budget")

    while time.monotonic() < end - 0.3:
        one()
    queue.put((runs, crashes, slow))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--procs", type=int, default=2, help="processes (default 2: both cores)")
    ap.add_argument("--budget", type=float, default=2.0, help="CLEANER_TIMEOUT_S per document")
    ap.add_argument("--out", default="fuzz-crashes", help="folder for crashing inputs")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    queue: mp.Queue = mp.Queue()
    t0 = time.monotonic()
    end = t0 + args.seconds
    procs = [mp.Process(target=worker, args=(i, end, args.budget, args.out, queue))
             for i in range(args.procs)]
    for p in procs:
        p.start()
    totals, hung = [], 0
    for _ in procs:
        try:  # a worker not done by the end is stuck in one run: a crash
            totals.append(queue.get(timeout=max(0.1, end - time.monotonic())))
        except Empty:
            hung += 1
    for p in procs:
        if p.is_alive():
            p.kill()
        p.join()
    runs, crashes, slow = (sum(t[i] for t in totals) for i in range(3))
    crashes, slow = crashes + hung, slow + hung
    print(f"{runs} runs, {crashes} crashes ({slow} slow), {time.monotonic() - t0:.1f} s, "
          f"{args.procs} processes" + (f"; inputs in {args.out}/" if crashes - hung else "")
          + (f"; {hung} stuck past the end" if hung else ""))
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
