"""Helpers for the service tests: start the real gunicorn on a free loopback port, talk HTTP.

Not a conftest: the service tests import what they need from here.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_11e950c0d58bd2da.txt"
SEED_EXPECTED = ROOT / "seeds" / "000_11e950c0d58bd2da.expected.json"
SHARED_DATA = ROOT.parent / "shared" / "data"
PROBLEM_BASE = "https://cleaner.dev/problems/"
BIN = Path(sys.executable).parent

needs_dev_set = pytest.mark.skipif(
    not (SHARED_DATA / "dev.jsonl").is_file(),
    reason=f"needs the shared dev set at {SHARED_DATA} (absent: repo cloned without ../shared)",
)
needs_dev_html = pytest.mark.skipif(
    not (SHARED_DATA / "dev-html.jsonl.gz").is_file(),
    reason=f"needs the shared dev HTML at {SHARED_DATA / 'dev-html.jsonl.gz'} (absent here)",
)


def dev_rows(n: int | None = None) -> list[dict[str, Any]]:
    rows = []
    with open(SHARED_DATA / "dev.jsonl", encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if n is not None and len(rows) >= n:
                break
    return rows


def dev_html(n: int = 1) -> list[dict[str, Any]]:
    rows = []
    with gzip.open(SHARED_DATA / "dev-html.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if len(rows) >= n:
                break
    return rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dockerfile_cmd() -> list[str]:
    """The image's CMD (exec form), exactly as the Dockerfile says it."""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD "):
            return json.loads(line[4:])
    raise AssertionError("Dockerfile has no CMD line")


def dockerfile_healthcheck() -> list[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if line.startswith("HEALTHCHECK "):
            return json.loads(line[line.index("CMD ") + 4:])
    raise AssertionError("Dockerfile has no HEALTHCHECK line")


@dataclass
class Server:
    """A gunicorn master we started, its port and its captured output."""

    proc: subprocess.Popen
    port: int
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def request(self, method: str, path: str, body: bytes | str | None = None,
                headers: dict[str, str] | None = None, timeout: float = 60) -> Response:
        return request(self.port, method, path, body, headers, timeout)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 40) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self) -> Any:
        return json.loads(self.body)


def request(port: int, method: str, path: str, body: bytes | str | None = None,
            headers: dict[str, str] | None = None, timeout: float = 60) -> Response:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
    finally:
        conn.close()


def start_server(tmp: Path, argv: list[str] | None = None, env: dict[str, str] | None = None,
                 workers: int = 2, port: int | None = None, wait_path: str = "/readyz",
                 cwd: Path | None = None) -> Server:
    """Run `argv` (default: the Dockerfile's CMD) from the repo root (or `cwd`) with the venv on PATH."""
    port = port or free_port()
    # Nothing of this test process's own settings leaks in: an in-process app exports its
    # metrics folder (PROMETHEUS_MULTIPROC_DIR), which every server would then share and wipe.
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("CLEANER_", "GUNICORN", "PROMETHEUS_", "prometheus_"))}
    full_env.update({
        "PATH": f"{BIN}{os.pathsep}{full_env.get('PATH', '')}",
        "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers),
        "CLEANER_LOG_LEVEL": "info",
    })
    full_env.update(env or {})
    log_path = tmp / f"gunicorn-{port}.log"
    log = open(log_path, "wb")  # noqa: SIM115 (the server writes to it for its whole life)
    proc = subprocess.Popen(argv or dockerfile_cmd(), cwd=cwd or ROOT, env=full_env, stdout=log,
                            stderr=subprocess.STDOUT)
    server = Server(proc, port, log_path, full_env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"gunicorn exited with {proc.returncode}:\n{server.log()}")
        # Ready when the route answers and every worker has loaded its rules (a test that
        # needs both workers must not race the second one's start-up).
        booted = server.log().count('"rules loaded:')
        try:
            if booted >= workers and request(port, "GET", wait_path, timeout=2).status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.1)
    server.stop(signal.SIGKILL)
    raise AssertionError(f"gunicorn did not get ready on port {port}:\n{server.log()}\n"
                         f"argv: {shlex.join(argv or dockerfile_cmd())}")


def assert_problem(resp: Response, status: int, slug: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status (and type slug), nothing else."""
    assert resp.status == status, (resp.status, resp.body[:500])
    assert resp.content_type.startswith("application/problem+json"), resp.content_type
    body = resp.json()
    assert {"type", "title", "status", "detail"} <= set(body), body
    assert body["status"] == status
    assert body["type"].startswith(PROBLEM_BASE)
    if slug is not None:
        assert body["type"] == PROBLEM_BASE + slug, body
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    assert "Traceback" not in resp.body.decode("utf-8", "replace")
    assert resp.headers.get("x-request-id"), "every response names its request id"
    return body


def raw_exchange(port: int, payload: bytes, timeout: float = 30) -> Response:
    """Send raw bytes (e.g. a chunked request) and parse the response."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        # The server may answer and close before it has read everything.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(payload)
        chunks = []
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                chunks.append(data)
        except ConnectionResetError:
            pass
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Response(status, headers, body)


def chunked(body: bytes, size: int = 65536) -> bytes:
    out = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(out) + b"0\r\n\r\n"


def metric_samples(text: str) -> dict[str, float]:
    """Samples of a Prometheus text exposition by `name{labels}`, the labels sorted by name and
    numbers as Prometheus reads them (`le="5.0"` and `le="5"` are the same bucket)."""
    out: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        name, _, labels = key.partition("{")
        pairs = []
        for part in labels.rstrip("}").split('",') if labels else []:
            k, _, v = part.partition('="')
            v = v.rstrip('"')
            with contextlib.suppress(ValueError):
                v = format(float(v), "g") if k == "le" and v != "+Inf" else v
            pairs.append(f'{k}="{v}"')
        out[name + ("{" + ",".join(sorted(pairs)) + "}" if pairs else "")] = float(value)
    return out
