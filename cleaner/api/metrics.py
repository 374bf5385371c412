"""Prometheus metrics that add up across gunicorn workers.

Each worker process keeps its own counters in memory and, after every request, writes them
to its own JSON file in one shared folder (write to a temporary name, then rename, so a
reader never sees half a file). `GET /metrics` on any worker reads every file in the folder
and sums them, so the figures are the service's, not one worker's. A worker that exits leaves
its file behind, which is what counters need: totals never go down when a worker is replaced.

The folder is `CLEANER_METRICS_DIR`. `gunicorn.conf.py` makes a fresh one in the master before
the workers fork; without it (tests with the Flask client, `flask run`) each process makes a
private one.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Upper bounds (seconds) of the latency histogram's buckets; +Inf is implicit.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
ENV_DIR = "CLEANER_METRICS_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def metrics_dir() -> Path:
    """The shared folder named by `CLEANER_METRICS_DIR`, made (and exported) if unset."""
    path = os.environ.get(ENV_DIR)
    if not path:
        path = tempfile.mkdtemp(prefix="cleaner-metrics-")
        os.environ[ENV_DIR] = path
    Path(path).mkdir(parents=True, exist_ok=True)
    return Path(path)


class Metrics:
    """This process's counters, flushed to its own file; `render()` sums every process's file."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._pid = -1
        self._reset()

    def _reset(self) -> None:
        # A fresh file name per process (pid plus a random part: pids are reused).
        self._pid = os.getpid()
        self.path = self.directory / f"{self._pid}-{uuid.uuid4().hex[:12]}.json"
        self.requests: dict[tuple[str, str, str], int] = {}
        self.latency: dict[str, list[float]] = {}  # route -> bucket counts..., +Inf count, sum
        self.documents: dict[str, int] = {}
        self.bytes_in = 0

    def _check_fork(self) -> None:
        if os.getpid() != self._pid:  # made before a fork (preload_app): start this process afresh
            self._reset()

    def observe_request(self, route: str, method: str, status: int, seconds: float, bytes_in: int) -> None:
        """Count one finished request and write this process's file."""
        with self._lock:
            self._check_fork()
            key = (route, method, str(status))
            self.requests[key] = self.requests.get(key, 0) + 1
            row = self.latency.get(route)
            if row is None:
                row = self.latency[route] = [0.0] * (len(LATENCY_BUCKETS) + 2)
            for i, bound in enumerate(LATENCY_BUCKETS):
                if seconds <= bound:
                    row[i] += 1
                    break
            else:
                row[len(LATENCY_BUCKETS)] += 1
            row[-1] += seconds
            self.bytes_in += bytes_in
            self._flush()

    def observe_documents(self, ok: int = 0, error: int = 0) -> None:
        """Count documents cleaned (`ok`) or refused (`error`); written with the request."""
        with self._lock:
            self._check_fork()
            if ok:
                self.documents["ok"] = self.documents.get("ok", 0) + ok
            if error:
                self.documents["error"] = self.documents.get("error", 0) + error

    def _flush(self) -> None:
        state = {
            "requests": [[*k, v] for k, v in self.requests.items()],
            "latency": self.latency,
            "documents": self.documents,
            "bytes_in": self.bytes_in,
        }
        tmp = self.path.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(state))
            os.replace(tmp, self.path)
        except OSError:  # a full or vanished folder must not fail the request it counts
            pass

    def _load_all(self) -> Iterable[dict[str, Any]]:
        for path in sorted(self.directory.glob("*.json")):
            try:
                yield json.loads(path.read_text())
            except (OSError, ValueError):
                continue  # replaced or removed between glob and read

    def render(self) -> str:
        """Every process's counters, summed, in the Prometheus text exposition format."""
        requests: dict[tuple[str, ...], int] = {}
        latency: dict[str, list[float]] = {}
        documents: dict[str, int] = {"ok": 0, "error": 0}
        bytes_in = 0
        for state in self._load_all():
            for route, method, status, n in state.get("requests", []):
                key = (route, method, status)
                requests[key] = requests.get(key, 0) + n
            for route, row in state.get("latency", {}).items():
                acc = latency.setdefault(route, [0.0] * len(row))
                for i, v in enumerate(row):
                    acc[i] += v
            for outcome, n in state.get("documents", {}).items():
                documents[outcome] = documents.get(outcome, 0) + n
            bytes_in += state.get("bytes_in", 0)

        out = [
            "# HELP cleaner_http_requests_total HTTP requests answered, by route, method and status.",
            "# TYPE cleaner_http_requests_total counter",
        ]
        for (route, method, status), n in sorted(requests.items()):
            out.append(
                f'cleaner_http_requests_total{{route="{_esc(route)}",method="{_esc(method)}",'
                f'status="{status}"}} {n}'
            )
        out += [
            "# HELP cleaner_http_request_duration_seconds Time to answer a request, by route.",
            "# TYPE cleaner_http_request_duration_seconds histogram",
        ]
        for route, row in sorted(latency.items()):
            label = f'route="{_esc(route)}"'
            cumulative = 0.0
            for bound, n in zip(LATENCY_BUCKETS, row, strict=False):
                cumulative += n
                out.append(f'cleaner_http_request_duration_seconds_bucket{{{label},le="{bound:g}"}} '
                           f"{cumulative:g}")
            cumulative += row[len(LATENCY_BUCKETS)]
            out.append(f'cleaner_http_request_duration_seconds_bucket{{{label},le="+Inf"}} {cumulative:g}')
            out.append(f"cleaner_http_request_duration_seconds_sum{{{label}}} {_num(row[-1])}")
            out.append(f"cleaner_http_request_duration_seconds_count{{{label}}} {cumulative:g}")
        out += [
            "# HELP cleaner_documents_total Documents received (a /v1/clean body, a batch row), by outcome.",
            "# TYPE cleaner_documents_total counter",
        ]
        for outcome, n in sorted(documents.items()):
            out.append(f'cleaner_documents_total{{outcome="{_esc(outcome)}"}} {n}')
        out += [
            "# HELP cleaner_request_bytes_total Bytes of request bodies read.",
            "# TYPE cleaner_request_bytes_total counter",
            f"cleaner_request_bytes_total {bytes_in}",
        ]
        return "\n".join(out) + "\n"


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _num(value: float) -> str:
    return repr(float(value)) if math.isfinite(value) else "NaN"
