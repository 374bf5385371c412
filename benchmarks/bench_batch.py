"""Benchmark of `cleaner batch`: docs/s and peak memory, local pool vs Dask, and trafilatura's CLI.

    .venv/bin/python benchmarks/bench_batch.py            # needs ../shared/data (the dev set)
    .venv/bin/python benchmarks/bench_batch.py --quick    # 10k docs only, no Dask at 100k

It builds a JSONL of N documents from the 80 dev pages (the `raw_fullpage` text, ids made unique,
`-k` appended), then runs `python -m cleaner batch` as a subprocess for each configuration and
samples the whole process tree (driver, pool or Dask workers, scheduler) every 0.2 s. Memory is
the peak of the tree's summed PSS (shared pages split between the processes that share them), so
forked workers are not counted twice. For scale it also times trafilatura's own parallel CLI
(`--input-dir`, `--parallel 2`) over the dev pages' HTML, each page 10 times, and cleaner on the
same folder of HTML files. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def build_jsonl(path: Path, n: int, field: str) -> None:
    """N records from the dev set, cycling through the pages, ids made unique."""
    pages = [json.loads(x) for x in (DATA / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    with open(path, "w", encoding="utf-8") as f:
        for k in range(n):
            p = pages[k % len(pages)]
            f.write(json.dumps({"id": f"{p['id']}-{k}", "url": p["url"], "text": p[field]},
                               ensure_ascii=False) + "\n")


def build_html_dir(folder: Path, copies: int) -> int:
    """The dev pages' HTML, each `copies` times, as .html files."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    with gzip.open(DATA / "dev-html.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            for c in range(copies):
                (folder / f"{rec['id'][:16]}-{c}.html").write_text(rec["html"], encoding="utf-8")
                n += 1
    return n


def tree_pss(proc: psutil.Process) -> int:
    """Summed PSS (else RSS) of a process and its descendants, in bytes."""
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for p in procs:
        try:
            info = p.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def measure(cmd: list[str], n_docs: int, label: str) -> dict[str, object]:
    """Run `cmd`, sampling the tree's memory; return wall time, docs/s and peak memory."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_pss(ps))
        time.sleep(0.2)
    seconds = time.monotonic() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    row = {"run": label, "docs": n_docs, "seconds": round(seconds, 1),
           "docs_per_s": round(n_docs / seconds, 1), "peak_mib": round(peak / 2**20, 1),
           "exit": proc.returncode}
    print(json.dumps(row), flush=True)
    if proc.returncode not in (0, 1):
        print(err, file=sys.stderr)
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="10k documents only")
    ap.add_argument("--field", default="raw_fullpage", help="dev-set field used as text")
    ap.add_argument("--workdir", help="keep inputs and outputs here (default: a temp folder)")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()
    if not (DATA / "dev.jsonl").is_file():
        print(f"needs the dev set at {DATA}", file=sys.stderr)
        return 2
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-batch-"))
    work.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    sizes = [10_000] if args.quick else [10_000, 100_000]
    for n in sizes:
        build_jsonl(work / f"in-{n}.jsonl", n, args.field)
    results = []

    def batch(n: int, *extra: str) -> list[str]:
        return [py, "-m", "cleaner", "batch", str(work / f"in-{n}.jsonl"), "-o", str(work / "out.jsonl"),
                "--no-progress", *extra]

    results.append(measure(batch(10_000, "--workers", "1"), 10_000, "local, 1 worker"))
    results.append(measure(batch(10_000, "--workers", "2"), 10_000, "local, 2 workers"))
    results.append(measure(batch(10_000, "--engine", "dask", "--workers", "2"), 10_000,
                           "dask LocalCluster, 2 workers"))
    if not args.quick:
        results.append(measure(batch(100_000, "--workers", "2"), 100_000, "local, 2 workers"))
        results.append(measure(batch(100_000, "--engine", "dask", "--workers", "2"), 100_000,
                               "dask LocalCluster, 2 workers"))

    html = work / "html"
    n_html = build_html_dir(html, 10)
    if shutil.which("trafilatura") or (Path(py).parent / "trafilatura").exists():
        traf = str(Path(py).parent / "trafilatura")
        out = work / "traf-out"
        shutil.rmtree(out, ignore_errors=True)
        results.append(measure([traf, "--input-dir", str(html), "--output-dir", str(out), "--parallel", "2"],
                               n_html, "trafilatura CLI, --parallel 2, HTML"))
    results.append(measure([py, "-m", "cleaner", "batch", str(html), "-o", str(work / "html-out.jsonl"),
                            "--workers", "2", "--no-progress"], n_html, "cleaner batch, 2 workers, HTML"))

    print()
    print("| run | docs | s | docs/s | peak MiB |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['run']} | {r['docs']:,} | {r['seconds']} | {r['docs_per_s']} | {r['peak_mib']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
