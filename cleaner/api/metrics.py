"""Prometheus metrics that add up across gunicorn workers, on `prometheus_client`'s multiprocess mode.

Each worker process writes its samples to its own memory-mapped files (`counter_<pid>.db`,
`histogram_<pid>.db`) in one shared folder; `GET /metrics` on any worker reads every file and
sums them (`MultiProcessCollector`), so the figures are the service's, not one worker's. Files of
exited workers stay, which is what counters need: totals never go down when a worker is replaced.

The folder is `PROMETHEUS_MULTIPROC_DIR` (prometheus_client's variable; `CLEANER_METRICS_DIR`
is read too, for older set-ups). `gunicorn.conf.py` sets it in the master before the workers
fork, wipes the files a previous server left there, and marks exited workers dead. Without it
(tests with the Flask client, `flask run`) the first app of a process makes a private folder.
prometheus_client picks its multiprocess mode from the variable, so it is set before any
metric is made (and the mode is switched on if the library was imported before).
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any

# Upper bounds (seconds) of the latency histogram's buckets; +Inf is implicit.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
ENV_DIR = "PROMETHEUS_MULTIPROC_DIR"
OLD_ENV_DIR = "CLEANER_METRICS_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_lock = threading.Lock()
_families: dict[str, Any] = {}


def metrics_dir() -> Path:
    """The shared folder (`PROMETHEUS_MULTIPROC_DIR`, else `CLEANER_METRICS_DIR`), made and
    exported when neither is set."""
    path = os.environ.get(ENV_DIR) or os.environ.get(OLD_ENV_DIR)
    if not path:
        path = tempfile.mkdtemp(prefix="cleaner-metrics-")
    os.environ[ENV_DIR] = path
    Path(path).mkdir(parents=True, exist_ok=True)
    return Path(path)


def _multiprocess_on(directory: Path) -> None:
    """Point prometheus_client at `directory` in multiprocess mode (once per process: the
    files a process writes stay where its first metric put them)."""
    os.environ.setdefault(ENV_DIR, str(directory))
    from prometheus_client import values

    if values.ValueClass is values.MutexValue:  # imported before the variable was set
        values.ValueClass = values.get_value_class()


def _metric_families() -> dict[str, Any]:
    """The process's metric objects, made once (they write to this process's files)."""
    with _lock:
        if not _families:
            from prometheus_client import CollectorRegistry, Counter, Histogram

            own = CollectorRegistry(auto_describe=True)  # not the global one: no process metrics
            _families.update(
                requests=Counter("cleaner_http_requests",
                                 "HTTP requests answered, by route, method and status.",
                                 ("route", "method", "status"), registry=own),
                latency=Histogram("cleaner_http_request_duration_seconds",
                                  "Time to answer a request, by route.",
                                  ("route",), buckets=LATENCY_BUCKETS, registry=own),
                documents=Counter("cleaner_documents",
                                  "Documents received (a /v1/clean body, a batch row), by outcome.",
                                  ("outcome",), registry=own),
                bytes_in=Counter("cleaner_request_bytes", "Bytes of request bodies read.", registry=own),
            )
    return _families


class Metrics:
    """This process's counters; `render()` sums every process's files in the folder."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        _multiprocess_on(self.directory)
        self.directory = Path(os.environ[ENV_DIR])  # where this process's files really are
        self._m = _metric_families()
        for outcome in ("error", "ok"):  # both outcomes are exported from the start, at 0
            self._m["documents"].labels(outcome=outcome)
        self._m["bytes_in"].inc(0)

    def observe_request(self, route: str, method: str, status: int, seconds: float, bytes_in: int) -> None:
        """Count one finished request."""
        self._m["requests"].labels(route=route, method=method, status=str(status)).inc()
        self._m["latency"].labels(route=route).observe(seconds)
        if bytes_in:
            self._m["bytes_in"].inc(bytes_in)

    def observe_documents(self, ok: int = 0, error: int = 0) -> None:
        """Count documents cleaned (`ok`) or refused (`error`)."""
        if ok:
            self._m["documents"].labels(outcome="ok").inc(ok)
        if error:
            self._m["documents"].labels(outcome="error").inc(error)

    def render(self) -> str:
        """Every process's samples, summed, in the Prometheus text exposition format."""
        from prometheus_client import CollectorRegistry, generate_latest
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(self.directory))
        return generate_latest(registry).decode("utf-8")


def mark_process_dead(pid: int) -> None:
    """A worker exited: let prometheus_client drop what only a live process counts."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)


def wipe(directory: str) -> None:
    """Remove the sample files a previous server left in `directory`."""
    for name in os.listdir(directory):
        if name.endswith(".db"):
            os.unlink(os.path.join(directory, name))
