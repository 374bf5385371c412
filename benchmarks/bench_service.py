"""Load benchmark of the HTTP service: wrk against gunicorn on loopback, beside an echo baseline.

    .venv/bin/python benchmarks/bench_service.py [--duration 30] [--connections 16] [--docs 80]
                                                 [--field raw_region] [--query explain=false]

Starts `gunicorn -c gunicorn.conf.py` (the service as the README and the Docker image run it)
and then the same gunicorn and config serving `benchmarks/echo_app.py`, a Flask endpoint that
returns the body it read. Both get the same dev-set bodies (`text/plain`), cycled by a wrk Lua
script, for the same time at the same concurrency, so the cleaning figure reads as a share of
what the stack itself allows. Prints requests/s, p50/p99 latency and errors (non-2xx, socket
errors) the largest worker's resident memory (after the run) and the workers' CPU time per request
(user + system: the figure that does not move with other load on the machine) for each, and the
ratios. Needs `wrk` (`apt-get install wrk`) and ../shared/data/dev.jsonl
(falls back to the seed). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "dev.jsonl"
SEED = ROOT / "seeds" / "000_11e950c0d58bd2da.txt"
BIN = Path(sys.executable).parent

LUA = r"""
local paths = {%(paths)s}
local bodies = {}
local i = 0
local counter = 0
function init(args)
  for _, p in ipairs(paths) do
    local f = assert(io.open(p, "rb"))
    bodies[#bodies + 1] = f:read("*a")
    f:close()
  end
end
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7)
end
function request()
  i = i + 1
  local body = bodies[((i + (offset or 0)) %% #bodies) + 1]
  return wrk.format("POST", "%(path)s", {["Content-Type"] = "text/plain; charset=utf-8"}, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nRESULT {"requests": %%d, "duration_us": %%d, "bytes": %%d, "p50_us": %%d, "p90_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "err_connect": %%d, "err_read": %%d, "err_write": %%d, ' ..
    '"err_status": %%d, "err_timeout": %%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_bodies(field: str, n: int, out: Path, dev: Path = DEV) -> list[Path]:
    if dev.is_file():
        with open(dev, encoding="utf-8") as f:
            texts = [json.loads(line)[field] for line in f][:n]
    else:
        print(f"(no dev set at {dev}: using the seed document)", file=sys.stderr)
        texts = [SEED.read_text(encoding="utf-8")]
    paths = []
    for i, text in enumerate(texts):
        p = out / f"body{i:03d}.txt"
        p.write_bytes(text.encode("utf-8"))
        paths.append(p)
    return paths


def start(argv: list[str], port: int, workers: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers),
           "CLEANER_LOG_LEVEL": "warning", "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)  # noqa: SIM115
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            time.sleep(1.0)  # let every worker finish booting
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"server exited: {log.read_text()[-2000:]}") from None
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def run_wrk(port: int, script: Path, duration: int, connections: int, threads: int) -> dict:
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s",
            "-s", str(script), f"http://127.0.0.1:{port}"]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    res = json.loads(line[len("RESULT "):])
    res["rps"] = res["requests"] / (res["duration_us"] / 1e6)
    res["errors"] = sum(v for k, v in res.items() if k.startswith("err_"))
    return res


def workers_of(master: int) -> list[int]:
    try:
        with open(f"/proc/{master}/task/{master}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def workers_cpu_s(master: int) -> float:
    """User + system CPU seconds the workers of `master` have used (all their threads)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in workers_of(master):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
        except (OSError, IndexError, ValueError):
            continue
    return total / tick


def worker_rss_mib(master: int) -> list[float]:
    """Resident memory (VmRSS, MiB) of each worker of the gunicorn master `master`."""
    out = []
    for pid in workers_of(master):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        out.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return out


def engine_ms_per_doc(paths: list[Path], rounds: int = 3) -> float:
    """Mean time of `clean()` on these bodies in this process: the ceiling the service works under."""
    sys.path.insert(0, str(ROOT))
    from cleaner import clean, default_ruleset

    rs = default_ruleset()
    texts = [p.read_text(encoding="utf-8") for p in paths]
    for t in texts[:5]:
        clean(t, ruleset=rs)
    start = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            clean(t, ruleset=rs)
    return (time.perf_counter() - start) * 1000 / (rounds * len(texts))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=int, default=30, help="seconds per run (default 30)")
    ap.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    ap.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    ap.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: the config's)")
    ap.add_argument("--docs", type=int, default=80, help="dev documents to cycle through (default 80)")
    ap.add_argument("--field", default="raw_region", choices=("raw_region", "raw_fullpage"))
    ap.add_argument("--query", default="", help="query string for /v1/clean, e.g. explain=false")
    ap.add_argument("--data", type=Path, default=DEV, help=f"dev set JSONL (default {DEV})")
    args = ap.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk not found: apt-get install -y wrk", file=sys.stderr)
        return 2
    workers = args.workers or int(os.environ.get("WEB_CONCURRENCY") or len(os.sched_getaffinity(0)))
    tmp = Path(tempfile.mkdtemp(prefix="bench-service-"))
    try:
        paths = load_bodies(args.field, args.docs, tmp, args.data)
        sizes = [p.stat().st_size for p in paths]
        path = "/v1/clean" + (f"?{args.query}" if args.query else "")
        script = tmp / "bodies.lua"
        script.write_text(LUA % {"paths": ", ".join(json.dumps(str(p)) for p in paths), "path": path})
        engine_ms = engine_ms_per_doc(paths)
        base = ["gunicorn", "-c", "gunicorn.conf.py"]
        results = {}
        for name, cmd in (("cleaner", base), ("echo", [*base, "benchmarks.echo_app:app"])):
            port = free_port()
            proc = start(cmd, port, workers, tmp / f"{name}.log")
            try:
                cpu0 = workers_cpu_s(proc.pid)
                results[name] = run_wrk(port, script, args.duration, args.connections, args.threads)
                used = workers_cpu_s(proc.pid) - cpu0
                results[name]["cpu_ms"] = 1000 * used / max(1, results[name]["requests"])
                rss = worker_rss_mib(proc.pid)
                results[name]["rss_mib"] = max(rss) if rss else 0.0
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(40)
        print(f"\n{len(paths)} {args.field} documents, {sum(sizes) / len(sizes) / 1024:.1f} KiB mean; "
              f"wrk {args.threads} threads, {args.connections} connections, {args.duration} s each; "
              f"gunicorn {workers} workers (gunicorn.conf.py: threaded CleanerWorker); POST {path}")
        print(f"{'':10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'requests':>10}{'errors':>8}"
              f"{'RSS MiB':>9}{'CPU ms/req':>11}")
        for name, r in results.items():
            print(f"{name:10}{r['rps']:>10.1f}{r['p50_us'] / 1000:>10.2f}{r['p99_us'] / 1000:>10.2f}"
                  f"{r['max_us'] / 1000:>10.1f}{r['requests']:>10}{r['errors']:>8}"
                  f"{r['rss_mib']:>9.1f}{r['cpu_ms']:>11.2f}")
        ceiling = workers * 1000 / engine_ms
        print(f"engine alone, in-process: {engine_ms:.2f} ms/doc, so {workers} workers can do at most "
              f"~{ceiling:.0f} req/s; the service reached {results['cleaner']['rps'] / ceiling:.0%} of that")
        ratio = results["cleaner"]["rps"] / results["echo"]["rps"]
        print(f"cleaning throughput = {ratio:.0%} of echo (aim: at least 50% for raw_region); "
              f"by worker CPU per request {results['echo']['cpu_ms'] / results['cleaner']['cpu_ms']:.0%}")
        rounded = {k: {kk: round(vv, 2) for kk, vv in v.items()} for k, v in results.items()}
        print("RESULTS " + json.dumps(rounded))
        return 0 if all(r["errors"] == 0 for r in results.values()) else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
