"""Prometheus metrics that add up across gunicorn workers.

Each worker process keeps its counters in its own memory-mapped file in one shared folder;
`GET /metrics` on any worker reads every file in the folder and sums them, so the figures are
the service's, not one worker's. A worker that exits leaves its file behind, which is what
counters need: totals never go down when a worker is replaced.

A file is a header (8 bytes: how many bytes are in use) and entries appended one after the
other: a 4-byte key length, the key (JSON of the sample's name and labels), padding to 8 bytes,
and the value as an 8-byte float. An update rewrites the 8 aligned bytes of its value in place
(no system call); a new key is written past the end first and only then counted in the header,
so a reader never sees half an entry. (Rewriting a whole JSON file per request, the first
design, cost ~2 ms a request under load: more than the rest of the stack.)

The folder is `CLEANER_METRICS_DIR`. `gunicorn.conf.py` makes a fresh one in the master before
the workers fork; without it (tests with the Flask client, `flask run`) each process makes a
private one.
"""

from __future__ import annotations

import bisect
import json
import math
import mmap
import os
import struct
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

# Upper bounds (seconds) of the latency histogram's buckets; +Inf is implicit.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
ENV_DIR = "CLEANER_METRICS_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
SUFFIX = ".metrics"
_HEADER = struct.Struct("<Q")
_KEYLEN = struct.Struct("<I")
_VALUE = struct.Struct("<d")
_INITIAL_SIZE = 64 * 1024


def metrics_dir() -> Path:
    """The shared folder named by `CLEANER_METRICS_DIR`, made (and exported) if unset."""
    path = os.environ.get(ENV_DIR)
    if not path:
        path = tempfile.mkdtemp(prefix="cleaner-metrics-")
        os.environ[ENV_DIR] = path
    Path(path).mkdir(parents=True, exist_ok=True)
    return Path(path)


class _MappedCounters:
    """One process's samples in one memory-mapped file: key -> float, add in place."""

    def __init__(self, path: Path):
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        os.ftruncate(self._fd, _INITIAL_SIZE)
        self._map = mmap.mmap(self._fd, _INITIAL_SIZE)
        self._used = _HEADER.size
        _HEADER.pack_into(self._map, 0, self._used)
        self._offsets: dict[str, int] = {}

    def add(self, key: str, amount: float) -> None:
        offset = self._offsets.get(key)
        if offset is None:
            offset = self._append(key)
        value = _VALUE.unpack_from(self._map, offset)[0]
        _VALUE.pack_into(self._map, offset, value + amount)

    def _append(self, key: str) -> int:
        raw = key.encode("utf-8")
        start = self._used
        value_at = start + _KEYLEN.size + len(raw)
        value_at += -value_at % 8  # the value on an 8-byte boundary: written in one store
        end = value_at + _VALUE.size
        if end > len(self._map):
            size = len(self._map)
            while size < end:
                size *= 2
            os.ftruncate(self._fd, size)
            self._map.close()
            self._map = mmap.mmap(self._fd, size)
        _KEYLEN.pack_into(self._map, start, len(raw))
        self._map[start + _KEYLEN.size:start + _KEYLEN.size + len(raw)] = raw
        _VALUE.pack_into(self._map, value_at, 0.0)
        self._used = end
        _HEADER.pack_into(self._map, 0, end)  # last: the entry is whole before it is counted
        self._offsets[key] = value_at
        return value_at


def read_samples(path: Path) -> Iterator[tuple[str, float]]:
    """The (key, value) entries of one process's file."""
    data = path.read_bytes()
    if len(data) < _HEADER.size:
        return
    used = min(_HEADER.unpack_from(data, 0)[0], len(data))
    pos = _HEADER.size
    while pos + _KEYLEN.size <= used:
        n = _KEYLEN.unpack_from(data, pos)[0]
        key_end = pos + _KEYLEN.size + n
        value_at = key_end + (-key_end % 8)
        if value_at + _VALUE.size > used:
            break
        yield data[pos + _KEYLEN.size:key_end].decode("utf-8"), _VALUE.unpack_from(data, value_at)[0]
        pos = value_at + _VALUE.size


class Metrics:
    """This process's counters in its own file; `render()` sums every process's file."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._pid = -1
        self._store: _MappedCounters | None = None

    def _counters(self) -> _MappedCounters:
        # One file per process (pid plus a random part: pids are reused). Made on first use, so
        # an app created before a fork (preload_app) still gives each worker its own file.
        if self._store is None or os.getpid() != self._pid:
            self._pid = os.getpid()
            self.directory.mkdir(parents=True, exist_ok=True)
            self._store = _MappedCounters(self.directory / f"{self._pid}-{uuid.uuid4().hex[:12]}{SUFFIX}")
        return self._store

    def _reset(self) -> None:
        """Start a new file, as a new process would (for tests)."""
        self._store = None
        self._pid = -1

    def observe_request(self, route: str, method: str, status: int, seconds: float, bytes_in: int) -> None:
        """Count one finished request."""
        bucket = bisect.bisect_left(LATENCY_BUCKETS, seconds)  # the first bound >= seconds
        with self._lock:
            store = self._counters()
            store.add(json.dumps(["requests", route, method, str(status)]), 1)
            store.add(json.dumps(["latency_bucket", route, bucket]), 1)
            store.add(json.dumps(["latency_sum", route]), seconds)
            if bytes_in:
                store.add('["bytes_in"]', bytes_in)

    def observe_documents(self, ok: int = 0, error: int = 0) -> None:
        """Count documents cleaned (`ok`) or refused (`error`)."""
        with self._lock:
            store = self._counters()
            if ok:
                store.add('["documents", "ok"]', ok)
            if error:
                store.add('["documents", "error"]', error)

    def totals(self) -> dict[tuple, float]:
        """Every sample summed over every process's file, keyed by (name, *labels)."""
        out: dict[tuple, float] = {}
        for path in sorted(self.directory.glob("*" + SUFFIX)):
            try:
                samples = list(read_samples(path))
            except (OSError, ValueError):
                continue  # removed between glob and read
            for key, value in samples:
                k = tuple(json.loads(key))
                out[k] = out.get(k, 0.0) + value
        return out

    def render(self) -> str:
        """Every process's counters, summed, in the Prometheus text exposition format."""
        totals = self.totals()
        requests = sorted((k[1:], v) for k, v in totals.items() if k[0] == "requests")
        routes = sorted({k[1] for k in totals if k[0] in ("latency_bucket", "latency_sum")})
        out = [
            "# HELP cleaner_http_requests_total HTTP requests answered, by route, method and status.",
            "# TYPE cleaner_http_requests_total counter",
        ]
        for (route, method, status), n in requests:
            out.append(
                f'cleaner_http_requests_total{{route="{_esc(route)}",method="{_esc(method)}",'
                f'status="{_esc(status)}"}} {_num(n)}'
            )
        out += [
            "# HELP cleaner_http_request_duration_seconds Time to answer a request, by route.",
            "# TYPE cleaner_http_request_duration_seconds histogram",
        ]
        for route in routes:
            label = f'route="{_esc(route)}"'
            cumulative = 0.0
            for i, bound in enumerate(LATENCY_BUCKETS):
                cumulative += totals.get(("latency_bucket", route, i), 0.0)
                out.append(f'cleaner_http_request_duration_seconds_bucket{{{label},le="{bound:g}"}} '
                           f"{_num(cumulative)}")
            cumulative += totals.get(("latency_bucket", route, len(LATENCY_BUCKETS)), 0.0)
            out.append(
                f'cleaner_http_request_duration_seconds_bucket{{{label},le="+Inf"}} {_num(cumulative)}'
            )
            out.append(f"cleaner_http_request_duration_seconds_sum{{{label}}} "
                       f"{_num(totals.get(('latency_sum', route), 0.0))}")
            out.append(f"cleaner_http_request_duration_seconds_count{{{label}}} {_num(cumulative)}")
        out += [
            "# HELP cleaner_documents_total Documents received (a /v1/clean body, a batch row), by outcome.",
            "# TYPE cleaner_documents_total counter",
        ]
        for outcome in ("error", "ok"):
            out.append(f'cleaner_documents_total{{outcome="{outcome}"}} '
                       f"{_num(totals.get(('documents', outcome), 0.0))}")
        out += [
            "# HELP cleaner_request_bytes_total Bytes of request bodies read.",
            "# TYPE cleaner_request_bytes_total counter",
            f"cleaner_request_bytes_total {_num(totals.get(('bytes_in',), 0.0))}",
        ]
        return "\n".join(out) + "\n"


def _esc(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _num(value: float) -> str:
    if not math.isfinite(value):
        return "NaN"
    return str(int(value)) if value == int(value) and abs(value) < 2**53 else repr(float(value))
