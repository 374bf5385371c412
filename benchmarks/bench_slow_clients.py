"""Slow clients and throughput, back to back: today's gunicorn config (main's, sync workers) against
this tree's (threaded CleanerWorker with a read deadline).

    .venv/bin/python benchmarks/bench_slow_clients.py [--duration 20] [--slow 50] [--baseline REF]

For each configuration, in the same run:
1. wrk on the clean path (`POST /v1/clean`, the dev `raw_region` bodies, 16 connections): req/s.
2. `--slow` connections that trickle their request (half send headers a byte every 0.5 s, half
   send full headers then a body a byte every 0.5 s), then 20 normal requests one after the
   other (`GET /healthz`, `POST /v1/clean` of a short story): the slowest normal answer, and how
   long the slow connections stayed open (cut by the read timeout, or still open at the end).
Prints both and the req/s ratio. Needs wrk. Not part of the test suite (about 2 minutes).
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_service import DEV, LUA, ROOT, free_port, load_bodies, run_wrk, start

STORY = "A headline\n\n" + "\n\n".join(
    f"Paragraph {i} of the story says what happened and why it matters to the readers here."
    for i in range(5))


def trickle(port: int, body_phase: bool, stop: threading.Event, out: list[float]) -> None:
    started = time.monotonic()
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        head = b"POST /v1/clean HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n"
        if body_phase:
            sock.sendall(head + b"\r\n")
            payload = b"a" * 100000
        else:
            payload = head
        for i in range(len(payload)):
            if stop.is_set():
                break
            sock.sendall(payload[i:i + 1])
            if stop.wait(0.5):
                break
        sock.close()
    except OSError:
        pass  # cut by the server
    out.append(time.monotonic() - started)


def normal_requests(port: int, n: int = 20) -> list[float]:
    times = []
    for i in range(n):
        t0 = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        if i % 2:
            conn.request("GET", "/healthz")
        else:
            conn.request("POST", "/v1/clean?explain=false", STORY.encode(), {"Content-Type": "text/plain"})
        resp = conn.getresponse()
        resp.read()
        conn.close()
        assert resp.status == 200, resp.status
        times.append(time.monotonic() - t0)
        time.sleep(0.2)
    return times


def slow_client_run(port: int, n_slow: int, hold_s: float) -> dict:
    stop = threading.Event()
    lifetimes: list[float] = []
    threads = [threading.Thread(target=trickle, args=(port, i % 2 == 1, stop, lifetimes), daemon=True)
               for i in range(n_slow)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    try:
        times = normal_requests(port)
        err = None
    except (OSError, AssertionError) as exc:
        times, err = [], repr(exc)
    remaining = hold_s - 1.0 - sum(times) - 0.2 * len(times)
    if remaining > 0:
        time.sleep(remaining)
    open_at_end = n_slow - len(lifetimes)
    stop.set()
    for t in threads:
        t.join(10)
    return {"normal_max_ms": round(max(times) * 1000, 1) if times else None,
            "normal_p50_ms": round(sorted(times)[len(times) // 2] * 1000, 1) if times else None,
            "normal_error": err, "slow_cut": n_slow - open_at_end, "slow_open_at_end": open_at_end,
            "slow_lifetime_max_s": round(max(lifetimes[: n_slow - open_at_end] or [0]), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=int, default=20, help="wrk seconds per configuration")
    ap.add_argument("--slow", type=int, default=50, help="slow connections")
    ap.add_argument("--hold", type=float, default=16.0, help="seconds the slow clients keep trickling")
    ap.add_argument("--baseline", default="main", help="git ref whose gunicorn.conf.py is today's config")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reverse", action="store_true", help="run this tree's configuration first")
    args = ap.parse_args(argv)
    if not shutil.which("wrk"):
        print("wrk not found: apt-get install -y wrk", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bench-slow-"))
    try:
        old = subprocess.run(["git", "show", f"{args.baseline}:gunicorn.conf.py"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        (tmp / "baseline.conf.py").write_text(old)
        paths = load_bodies("raw_region", 80, tmp, DEV)
        script = tmp / "bodies.lua"
        script.write_text(LUA % {"paths": ", ".join(json.dumps(str(p)) for p in paths), "path": "/v1/clean"})
        configs = (("today (" + args.baseline + ")", str(tmp / "baseline.conf.py")),
                   ("this tree", "gunicorn.conf.py"))
        if args.reverse:
            configs = configs[::-1]
        results = {}
        for name, conf in configs:
            port = free_port()
            proc = start(["gunicorn", "-c", conf], port, args.workers, tmp / "server.log")
            try:
                wrk = run_wrk(port, script, args.duration, 16, 2)
                slow = slow_client_run(port, args.slow, args.hold)
            finally:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
            results[name] = {"rps": round(wrk["rps"], 1), "p50_ms": wrk["p50_us"] / 1000,
                             "p99_ms": wrk["p99_us"] / 1000, "errors": wrk["errors"], **slow}
            print(name, json.dumps(results[name]), flush=True)
        (a, ra), (b, rb) = results.items()
        print(f"\nclean-path req/s: {a} {ra['rps']}, {b} {rb['rps']} ({rb['rps'] / ra['rps'] - 1:+.1%})")
        for name, r in results.items():
            print(f"{name}: with {args.slow} slow connections, slowest normal answer "
                  f"{r['normal_max_ms']} ms (error: {r['normal_error']}); slow ones cut {r['slow_cut']}, "
                  f"still open after {args.hold:g} s: {r['slow_open_at_end']}")
        print("RESULTS " + json.dumps(results))
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
