"""Gunicorn settings for the cleaner service: `gunicorn -c gunicorn.conf.py` serves it.

Anything given on the command line wins over this file (e.g. `--bind 127.0.0.1:9000`).
Environment: PORT (8000), HOST (127.0.0.1; the Docker image sets 0.0.0.0), WEB_CONCURRENCY
(workers; default the CPUs this process may use), CLEANER_LOG_LEVEL, and the CLEANER_*
settings the app itself reads (see docs/service.md).
"""

import math
import os
import shutil
import tempfile


def cpus_available() -> int:
    """CPUs this process may run on: its affinity mask, capped by a cgroup v2/v1 CPU quota."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    quota = None
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:  # cgroup v2: "max 100000" or "200000 100000"
            q, period = f.read().split()[:2]
            if q != "max":
                quota = int(q) / int(period)
    except (OSError, ValueError):
        try:
            with open("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") as f1, \
                    open("/sys/fs/cgroup/cpu/cpu.cfs_period_us") as f2:
                q1, p1 = int(f1.read()), int(f2.read())
                if q1 > 0 and p1 > 0:
                    quota = q1 / p1
        except (OSError, ValueError):
            pass
    if quota:
        n = min(n, max(1, math.ceil(quota)))
    return max(1, n)


wsgi_app = "cleaner.wsgi:app"
bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]

# Cleaning is CPU-bound pure Python: one worker process per CPU keeps every core busy without
# workers fighting over them. Each worker loads the rules once (no preload: the app is made
# after the fork, so each worker has its own metrics file too). The worker is gunicorn's threaded
# one with a read deadline, a hard per-request limit and a drain (cleaner/api/worker.py): a
# client that is slow to send holds one idle thread for at most CLEANER_READ_TIMEOUT_S, never a
# whole worker, and /healthz answers while a long document is being cleaned.
worker_class = "cleaner.api.worker.CleanerWorker"
workers = int(os.environ.get("WEB_CONCURRENCY") or cpus_available())
threads = int(os.environ.get("CLEANER_THREADS") or 64)
worker_connections = 1000
keepalive = 5
preload_app = False

# The app bounds each document (CLEANER_TIMEOUT_S) and each batch (3x that); this kill of a
# stuck worker is the last resort, well past both.
_doc_budget = float(os.environ.get("CLEANER_TIMEOUT_S") or 10)
timeout = int(max(60, 3 * _doc_budget + 30))
# SIGTERM: drain for CLEANER_DRAIN_S (/readyz 503, still serving), then stop taking connections,
# answer every one already accepted or waiting in the backlog, and exit (cleaner/api/worker.py).
graceful_timeout = 30

# Request limits (gunicorn answers 400 past them, before the app runs).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# Logs: the access log as JSON lines on stdout, gunicorn's own log on stderr.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("CLEANER_LOG_LEVEL", "info").lower()
logger_class = "cleaner.api.gunicorn_log.JsonLogger"

# Heartbeat files and metrics in memory, not on a container's overlay disk.
_SHM = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
worker_tmp_dir = _SHM

# No control socket: several servers may run side by side (tests, benchmark).
control_socket_disable = True
proc_name = "cleaner"


def on_starting(server):
    """One metrics folder for all workers (prometheus_client's multiprocess mode), set before
    the workers fork and wiped of the files a previous server left (cleaner/api/metrics.py)."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("CLEANER_METRICS_DIR")
    if path:
        os.makedirs(path, exist_ok=True)
        for name in os.listdir(path):
            if name.endswith((".db", ".metrics")):
                os.unlink(os.path.join(path, name))
    else:
        path = tempfile.mkdtemp(prefix="cleaner-metrics-", dir=_SHM)
        server._cleaner_own_metrics_dir = path
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path


def child_exit(server, worker):
    """A worker exited: prometheus_client's bookkeeping for the process (live gauges)."""
    from cleaner.api.metrics import mark_process_dead

    mark_process_dead(worker.pid)


def when_ready(server):
    """SIGTERM drains before the graceful stop (see cleaner/api/worker.py: install_drain)."""
    from cleaner.api.worker import install_drain

    install_drain(server)


def post_fork(server, worker):
    """Gunicorn's own error answers (request line or headers over the limits) as problem+json."""
    from cleaner.api.gunicorn_log import install_problem_errors

    install_problem_errors()


def on_exit(server):
    path = getattr(server, "_cleaner_own_metrics_dir", None)
    if path:
        shutil.rmtree(path, ignore_errors=True)
